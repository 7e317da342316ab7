#pragma once
// Turns an OutboundMessage into the bytes of an RFC 5322 / MIME message:
// multipart/alternative (text/plain + text/html), UTF-8, quoted-printable
// bodies, RFC 2047 encoded subject and display name, CRLF line endings.
// It never adds tracking, remote images or anything the templates did not say,
// and never lets a CR or LF from a value reach a header.
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "notify/outbound_message.h"

namespace portier {

// Who a message comes from; the same for every message of one portal.
struct MailSender {
  std::string address = "no-reply@localhost";  // From, and the envelope MAIL FROM
  std::string name;                            // From display name; empty: the address alone
  std::string reply_to;                        // empty: no Reply-To header
};

struct MimeMessage {
  std::string message_id;  // with its angle brackets: "<…@example.org>"
  std::string bytes;       // headers + CRLF + body, every line ending in CRLF
};

/// Builds the message for an email `m`. Message-ID and the MIME boundary come
/// from `random`; the Message-ID's domain is that of the sender's address.
/// Errors: InvalidInput for a malformed recipient or sender address.
Result<MimeMessage> build_mime_message(const OutboundMessage& m, const MailSender& from, TimePoint date,
                                       Random& random);

/// True for a plain "local@domain" address with nothing a header could
/// misread (no spaces, angle brackets, quotes, commas or control characters).
bool is_plain_mail_address(std::string_view address);

/// The domain part of "local@domain" ("localhost" when there is none).
std::string mail_domain(std::string_view address);

// Building blocks, exposed for their unit tests.
std::string rfc5322_date(TimePoint t);                  // "Sun, 29 Nov 2026 17:47:12 +0000"
std::string encode_header_text(std::string_view text);  // RFC 2047 when not plain ASCII
std::string quoted_printable(std::string_view text);    // CRLF line endings, lines <= 76

}  // namespace portier
