#include "notify/mime_message.h"

#include <ctime>

#include "common/encoding.h"

namespace portier {

namespace {

constexpr std::string_view kCrlf = "\r\n";

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Header values come from configuration and templates; a CR or LF there
// would let them add headers of their own, so control characters become spaces.
std::string one_line(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

bool is_plain_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return s.find("=?") == std::string_view::npos;
}

// A display name as a quoted-string, or encoded words when not ASCII.
std::string display_name(std::string_view name) {
  auto clean = one_line(name);
  if (!is_plain_ascii(clean)) return encode_header_text(clean);
  std::string out = "\"";
  for (char c : clean) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string mailbox(std::string_view name, std::string_view address) {
  if (name.empty()) return std::string(address);
  return display_name(name) + " <" + std::string(address) + ">";
}

std::string random_hex(Random& random, std::size_t bytes) {
  std::string raw(bytes, '\0');
  random.fill(reinterpret_cast<unsigned char*>(raw.data()), raw.size());
  return hex_encode(raw);
}

void add_part(std::string& out, std::string_view boundary, std::string_view type, std::string_view body) {
  out += "--";
  out += boundary;
  out += kCrlf;
  out += "Content-Type: ";
  out += type;
  out += "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += quoted_printable(body);
  out += kCrlf;
}

}  // namespace

bool is_plain_mail_address(std::string_view a) {
  auto at = a.rfind('@');
  if (a.empty() || a.size() > 254 || at == std::string_view::npos || at == 0 || at + 1 == a.size()) return false;
  for (unsigned char c : a)
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '(' ||
        c == ')' || c == '\\' || c == '[' || c == ']')
      return false;
  return a.find('@') == at;
}

std::string mail_domain(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos || at + 1 == address.size() ? "localhost" : std::string(address.substr(at + 1));
}

std::string rfc5322_date(TimePoint t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t secs = to_unix(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string encode_header_text(std::string_view text) {
  auto clean = one_line(text);
  if (is_plain_ascii(clean)) return clean;
  // Encoded words of at most 45 bytes (60 base64 characters, 72 with the
  // =?UTF-8?B?…?= frame: under RFC 2047's 75), cut between UTF-8 characters
  // because a decoder may not join a character split across two words.
  std::string out;
  std::size_t i = 0;
  while (i < clean.size()) {
    std::size_t end = std::min(clean.size(), i + 45);
    while (end < clean.size() && end > i && (static_cast<unsigned char>(clean[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(std::string_view(clean).substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t start = 0;
  bool first_line = true;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    auto line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!first_line) out += kCrlf;
    first_line = false;
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      unsigned char c = line[i];
      bool last = i + 1 == line.size();
      std::string piece;
      // A '.' or "From " opening a line is escaped too: some relays stuff
      // or mangle them.
      bool risky_start = column == 0 && (c == '.' || (c == 'F' && line.substr(i, 5) == "From "));
      if ((c >= 33 && c <= 126 && c != '=' && !risky_start) || ((c == ' ' || c == '\t') && !last)) {
        piece = static_cast<char>(c);
      } else {
        piece = {'=', kHex[c >> 4], kHex[c & 15]};
      }
      // Soft line break: lines stay within 76 characters, '=' included.
      if (column + piece.size() > (last ? 76 : 75)) {
        out += "=\r\n";
        column = 0;
        if (piece == ".") piece = "=2E";
      }
      out += piece;
      column += piece.size();
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

Result<MimeMessage> build_mime_message(const OutboundMessage& m, const MailSender& from, TimePoint date,
                                       Random& random) {
  if (!is_plain_mail_address(m.recipient)) return fail(ErrorCode::InvalidInput, "malformed recipient address");
  if (!is_plain_mail_address(from.address)) return fail(ErrorCode::InvalidInput, "malformed sender address");
  // A message's own Reply-To (the assistance's mails) wins over the sender's.
  const std::string& reply_to = m.reply_to.empty() ? from.reply_to : m.reply_to;
  if (!reply_to.empty() && !is_plain_mail_address(reply_to))
    return fail(ErrorCode::InvalidInput, "malformed reply-to address");

  MimeMessage out;
  out.message_id = "<" + random_hex(random, 16) + "@" + mail_domain(from.address) + ">";
  std::string& b = out.bytes;
  auto header = [&b](std::string_view name, std::string_view value) {
    b += name;
    b += ": ";
    b += value;
    b += kCrlf;
  };
  header("Date", rfc5322_date(date));
  header("From", mailbox(from.name, from.address));
  if (!reply_to.empty()) header("Reply-To", reply_to);
  header("To", m.recipient);
  header("Subject", encode_header_text(m.subject));
  header("Message-ID", out.message_id);
  header("MIME-Version", "1.0");
  // RFC 3834: tells vacation responders and mailing lists not to answer.
  header("Auto-Submitted", "auto-generated");
  if (m.lang == "fr" || m.lang == "en") header("Content-Language", m.lang);

  if (m.body_html.empty()) {
    header("Content-Type", "text/plain; charset=UTF-8");
    header("Content-Transfer-Encoding", "quoted-printable");
    b += kCrlf;
    b += quoted_printable(m.body_text);
    b += kCrlf;
    return out;
  }
  // The boundary cannot occur in quoted-printable output ("=_" never appears there).
  auto boundary = "=_portier_" + random_hex(random, 12);
  header("Content-Type", "multipart/alternative;\r\n boundary=\"" + boundary + "\"");
  b += kCrlf;
  b += "This is a multi-part message in MIME format.\r\n";
  // Plain text first: RFC 2046 puts the preferred (richest) part last.
  add_part(b, boundary, "text/plain", m.body_text);
  add_part(b, boundary, "text/html", m.body_html);
  b += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace portier
