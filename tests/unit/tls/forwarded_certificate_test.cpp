#include "tls/forwarded_certificate.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "support/test_pki.h"

using namespace portier;
using portier::testing_support::TestPki;

namespace {

std::string base64(std::string_view bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
    for (int s = 18; s >= 0; s -= 6) out += alphabet[(v >> s) & 63];
  }
  if (bytes.size() - i == 1) {
    unsigned v = (unsigned char)bytes[i] << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += "==";
  } else if (bytes.size() - i == 2) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// What nginx's ngx_escape_uri does to $ssl_client_cert for $ssl_client_escaped_cert.
std::string url_escape(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

const std::string& leaf() {
  static const std::string der = TestPki::get().read("card-valid.der");
  return der;
}
const std::string& other() {
  static const std::string der = TestPki::get().read("card-second.der");
  return der;
}

std::string item(std::string_view der) { return ":" + base64(der) + ":"; }

}  // namespace

TEST(ClientCertHeader, DecodesOneByteSequence) {
  auto parsed = tls::parse_client_cert(item(leaf()));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->leaf_der, leaf());
  EXPECT_TRUE(parsed->chain_der.empty());
}

TEST(ClientCertHeader, ToleratesWhitespaceParametersAndMissingPadding) {
  EXPECT_TRUE(tls::parse_client_cert(" \t" + item(leaf()) + " "));
  auto with_parameters = tls::parse_client_cert(item(leaf()) + ";a=1;b;c=\"x,y;z\";d=?1;e=tok/en;f=:AAA=:;g=-1.5");
  ASSERT_TRUE(with_parameters);
  EXPECT_EQ(with_parameters->leaf_der, leaf());
  // Lengths 1, 2, 3 mod 3: padding optional (RFC 8941 §4.2.7).
  for (const std::string& bytes : std::vector<std::string>{"a", "ab", "abc", "abcd"}) {
    auto padded = base64(bytes);
    auto bare = padded.substr(0, padded.find('='));
    auto from_padded = tls::parse_client_cert(":" + padded + ":");
    auto from_bare = tls::parse_client_cert(":" + bare + ":");
    ASSERT_TRUE(from_padded && from_bare) << bytes;
    EXPECT_EQ(from_padded->leaf_der, bytes);
    EXPECT_EQ(from_bare->leaf_der, bytes);
  }
}

TEST(ClientCertHeader, RefusesAnythingElse) {
  auto b64 = base64(leaf());
  for (const std::string& bad : std::vector<std::string>{std::string(), std::string("::"), std::string(":"), b64, ":" + b64, b64 + ":",
                          ":" + b64 + ":x", ":" + b64 + ": :", item(leaf()) + "," + item(leaf()),
                          ":" + b64.substr(0, 10) + "!" + b64.substr(10) + ":", ":" + b64 + "=:",
                          ":A===:", ":A:", ":=AAA:", ":AA=A:", "\"" + b64 + "\"", item(leaf()) + ";",
                          item(leaf()) + ";A=1", item(leaf()) + ";a=", item(leaf()) + ";a=\"open",
                          item(leaf()) + ";a=?2", item(leaf()) + ";a=\"\\n\"", "-----BEGIN CERTIFICATE-----"})
    EXPECT_FALSE(tls::parse_client_cert(bad)) << bad;
  EXPECT_FALSE(tls::parse_client_cert(":" + std::string(tls::kMaxForwardedValue, 'A') + ":"));
}

TEST(ClientCertChainHeader, DecodesAList) {
  auto chain = tls::parse_client_cert_chain(item(leaf()) + ", " + item(other()) + ";p=\"a,b\"  ,\t" + item(leaf()));
  ASSERT_TRUE(chain);
  ASSERT_EQ(chain->size(), 3u);
  EXPECT_EQ((*chain)[0], leaf());
  EXPECT_EQ((*chain)[1], other());
  EXPECT_EQ((*chain)[2], leaf());
  auto empty = tls::parse_client_cert_chain("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  auto blank = tls::parse_client_cert_chain("  ");
  ASSERT_TRUE(blank);
  EXPECT_TRUE(blank->empty());
}

TEST(ClientCertChainHeader, RefusesAMalformedListWhole) {
  auto a = item(leaf());
  for (const std::string& bad : std::vector<std::string>{a + ",", a + ", ", "," + a, a + ",," + a, a + " " + a, a + ", ::", a + ", junk", a + ";"})
    EXPECT_FALSE(tls::parse_client_cert_chain(bad)) << bad;
  std::string many = item("x");
  for (std::size_t i = 1; i < tls::kMaxForwardedChain; ++i) many += "," + item("x");
  EXPECT_TRUE(tls::parse_client_cert_chain(many));
  EXPECT_FALSE(tls::parse_client_cert_chain(many + "," + item("x")));
}

TEST(Rfc9440Headers, CertificateAndChainTogether) {
  auto both = tls::parse_rfc9440(item(leaf()), std::string_view(item(other())));
  ASSERT_TRUE(both);
  EXPECT_EQ(both->leaf_der, leaf());
  ASSERT_EQ(both->chain_der.size(), 1u);
  EXPECT_EQ(both->chain_der[0], other());
  auto alone = tls::parse_rfc9440(item(leaf()), std::nullopt);
  ASSERT_TRUE(alone);
  EXPECT_TRUE(alone->chain_der.empty());
  EXPECT_FALSE(tls::parse_rfc9440(item(leaf()), std::string_view("junk")));
  EXPECT_FALSE(tls::parse_rfc9440("junk", std::string_view(item(other()))));
}

TEST(EscapedPemHeader, DecodesWhatNginxSends) {
  auto pem = TestPki::get().read("card-valid.pem");
  auto parsed = tls::parse_escaped_pem(url_escape(pem));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->leaf_der, leaf());
  // Lower-case escapes, CRLF line ends, "+" and "/" left bare all decode the same.
  std::string crlf;
  for (char c : pem) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  std::string lower = url_escape(crlf);
  for (std::size_t i = 0; i + 2 < lower.size(); ++i)
    if (lower[i] == '%') lower[i + 1] = static_cast<char>(std::tolower(lower[i + 1])), lower[i + 2] = static_cast<char>(std::tolower(lower[i + 2]));
  auto relaxed = tls::parse_escaped_pem(lower);
  ASSERT_TRUE(relaxed);
  EXPECT_EQ(relaxed->leaf_der, leaf());
  std::string bare = pem;
  for (std::size_t at = 0; (at = bare.find(' ', at)) != std::string::npos;) bare.replace(at, 1, "%20");
  for (std::size_t at = 0; (at = bare.find('\n', at)) != std::string::npos;) bare.replace(at, 1, "%0A");
  auto unescaped = tls::parse_escaped_pem(bare);
  ASSERT_TRUE(unescaped);
  EXPECT_EQ(unescaped->leaf_der, leaf());
}

TEST(EscapedPemHeader, RefusesAnythingElse) {
  auto pem = TestPki::get().read("card-valid.pem");
  auto two = TestPki::get().read("card-second.pem");
  auto body_start = pem.find('\n') + 1;
  std::string damaged = pem;
  damaged[body_start + 5] = '*';
  for (const std::string& bad : std::vector<std::string>{std::string(), std::string("-"), url_escape(pem) + "%", url_escape(pem) + "%4",
                          url_escape(pem).replace(0, 3, "%ZZ"), url_escape(pem + two), url_escape("junk" + pem),
                          url_escape(pem.substr(0, pem.size() - 10)), url_escape(damaged),
                          url_escape(pem).replace(url_escape(pem).find("CERTIFICATE"), 11, "PRIVATE%20KEY"),
                          url_escape("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"),
                          url_escape(pem.substr(0, body_start) + pem.substr(body_start + 1))})
    EXPECT_FALSE(tls::parse_escaped_pem(bad)) << bad;
  EXPECT_FALSE(tls::parse_escaped_pem(std::string(tls::kMaxForwardedValue + 1, 'A')));
}
