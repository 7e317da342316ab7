#include "notify/mime_message.h"

#include <gtest/gtest.h>

#include <sstream>

#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using testing_support::CountingRandom;

std::string decode_qp(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '=' && i + 2 < in.size() && in[i + 1] == '\r' && in[i + 2] == '\n') {
      i += 2;
    } else if (in[i] == '=' && i + 2 < in.size()) {
      out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

OutboundMessage sample() {
  OutboundMessage m;
  m.recipient = "marie@example.org";
  m.kind = "mail.test";
  m.lang = "fr";
  m.subject = "Votre code de récupération";
  m.body_text = "Bonjour Marie,\nvotre code : 123456\n";
  m.body_html = "<p>Bonjour Marie,</p><p>votre code : <strong>123456</strong></p>";
  return m;
}

MailSender sender() { return {"no-reply@portail.example.org", "Réseau Santé", "assistance@example.org"}; }

TEST(MimeMessage, HasTheHeadersEveryMailNeeds) {
  CountingRandom random;
  auto built = build_mime_message(sample(), sender(), from_unix(1'800'000'000), random);
  ASSERT_TRUE(built) << built.error().detail;
  const auto& b = built->bytes;
  auto head = b.substr(0, b.find("\r\n\r\n") + 2);
  EXPECT_NE(head.find("Date: Fri, 15 Jan 2027 08:00:00 +0000\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("From: =?UTF-8?B?"), std::string::npos) << "non-ASCII display name is encoded";
  EXPECT_NE(head.find(" <no-reply@portail.example.org>\r\n"), std::string::npos);
  EXPECT_NE(head.find("Reply-To: assistance@example.org\r\n"), std::string::npos);
  EXPECT_NE(head.find("To: marie@example.org\r\n"), std::string::npos);
  EXPECT_NE(head.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(head.find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(head.find("Auto-Submitted: auto-generated\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Type: multipart/alternative;\r\n boundary=\""), std::string::npos);
  EXPECT_EQ(built->message_id.front(), '<');
  EXPECT_TRUE(built->message_id.ends_with("@portail.example.org>"));
  EXPECT_NE(head.find("Message-ID: " + built->message_id + "\r\n"), std::string::npos);
}

TEST(MimeMessage, AMessagesOwnReplyToWinsAndIsCheckedLikeTheSenders) {
  CountingRandom random;
  auto m = sample();
  m.reply_to = "equipe-assistance@example.org";
  auto built = build_mime_message(m, sender(), from_unix(0), random);
  ASSERT_TRUE(built);
  auto head = built->bytes.substr(0, built->bytes.find("\r\n\r\n") + 2);
  EXPECT_NE(head.find("Reply-To: equipe-assistance@example.org\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Reply-To: assistance@example.org"), std::string::npos) << "one Reply-To only";
  m.reply_to = "x@example.org\r\nBcc: victim@example.org";
  EXPECT_EQ(build_mime_message(m, sender(), from_unix(0), random).error().code, ErrorCode::InvalidInput);
  // None of its own and none from the sender: no header.
  m.reply_to.clear();
  auto plain = build_mime_message(m, MailSender{"no-reply@portail.example.org", "", ""}, from_unix(0), random);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->bytes.find("Reply-To:"), std::string::npos);
}

TEST(MimeMessage, EveryLineEndsInCrlfAndStaysShort) {
  CountingRandom random;
  auto m = sample();
  m.body_text = std::string(300, 'a') + "\n" + std::string(100, 'e') + "é\n.leading dot\n";
  auto built = build_mime_message(m, sender(), from_unix(0), random);
  ASSERT_TRUE(built);
  const auto& b = built->bytes;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (b[i] == '\n') EXPECT_EQ(b[i - 1], '\r') << "bare LF at " << i;
    if (b[i] == '\r') EXPECT_EQ(b[i + 1], '\n') << "bare CR at " << i;
  }
  std::size_t start = 0;
  while (start < b.size()) {
    auto end = b.find("\r\n", start);
    EXPECT_LE(end - start, 78u) << b.substr(start, end - start);
    EXPECT_NE(b[start], '.') << "no line starts with a dot";
    start = end + 2;
  }
}

TEST(MimeMessage, BothPartsDecodeToTheOriginalText) {
  CountingRandom random;
  auto built = build_mime_message(sample(), sender(), from_unix(0), random);
  ASSERT_TRUE(built);
  const auto& b = built->bytes;
  auto boundary_at = b.find("boundary=\"") + 10;
  auto boundary = b.substr(boundary_at, b.find('"', boundary_at) - boundary_at);
  auto part = [&](std::string_view type) {
    auto at = b.find("Content-Type: " + std::string(type) + "; charset=UTF-8");
    EXPECT_NE(at, std::string::npos) << type;
    auto body = b.find("\r\n\r\n", at) + 4;
    auto end = b.find("\r\n--" + boundary, body);
    return decode_qp(b.substr(body, end - body));
  };
  EXPECT_EQ(part("text/plain"), "Bonjour Marie,\r\nvotre code : 123456\r\n");
  EXPECT_EQ(part("text/html"), sample().body_html);
  EXPECT_NE(b.find("--" + boundary + "--\r\n"), std::string::npos);
}

TEST(MimeMessage, TextOnlyMessageIsSinglePart) {
  CountingRandom random;
  auto m = sample();
  m.body_html.clear();
  auto built = build_mime_message(m, sender(), from_unix(0), random);
  ASSERT_TRUE(built);
  EXPECT_NE(built->bytes.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  EXPECT_EQ(built->bytes.find("multipart"), std::string::npos);
}

TEST(MimeMessage, HeaderValuesCannotInjectHeaders) {
  CountingRandom random;
  auto m = sample();
  m.subject = "Hello\r\nBcc: victim@example.org";
  auto built = build_mime_message(m, {"no-reply@example.org", "Evil\r\nBcc: x@example.org", ""}, from_unix(0), random);
  ASSERT_TRUE(built);
  EXPECT_EQ(built->bytes.find("\r\nBcc:"), std::string::npos);
  m.recipient = "a@example.org\r\nBcc: victim@example.org";
  EXPECT_EQ(build_mime_message(m, sender(), from_unix(0), random).error().code, ErrorCode::InvalidInput);
}

TEST(MimeMessage, MalformedAddressesAreRefused) {
  EXPECT_TRUE(is_plain_mail_address("a.b+c@example.org"));
  EXPECT_FALSE(is_plain_mail_address("no-at-sign"));
  EXPECT_FALSE(is_plain_mail_address("a@b@example.org"));
  EXPECT_FALSE(is_plain_mail_address("Name <a@example.org>"));
  EXPECT_FALSE(is_plain_mail_address("@example.org"));
  EXPECT_FALSE(is_plain_mail_address("a@"));
}

TEST(MimeMessage, EncodedWordsAreShortAndSplitBetweenCharacters) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "é";
  auto encoded = encode_header_text(subject);
  std::istringstream lines(encoded);
  std::string word;
  int words = 0;
  while (lines >> word) {
    EXPECT_LE(word.size(), 75u);
    EXPECT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?="));
    ++words;
  }
  EXPECT_EQ(words, 2);
  EXPECT_EQ(encode_header_text("Plain subject"), "Plain subject");
}

TEST(MimeMessage, QuotedPrintableEscapesWhatMailMangles) {
  EXPECT_EQ(quoted_printable("a=b"), "a=3Db");
  EXPECT_EQ(quoted_printable("trailing \nx"), "trailing=20\r\nx");
  EXPECT_EQ(quoted_printable("é"), "=C3=A9");
  EXPECT_EQ(quoted_printable("From here"), "=46rom here");
}

}  // namespace
}  // namespace portier
