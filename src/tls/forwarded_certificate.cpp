#include "tls/forwarded_certificate.h"

#include <array>
#include <cstdint>

namespace portier::tls {

namespace {

// Standard base64 (RFC 4648 §4), as RFC 8941 byte sequences and PEM use it.
// Padding is optional (RFC 8941 §4.2.7: parsers SHOULD NOT fail without it);
// a "=" anywhere but at the end, or a length no encoder produces, refuses.
std::optional<std::string> base64_decode(std::string_view text) {
  static constexpr auto table = [] {
    std::array<signed char, 256> t{};
    t.fill(-1);
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    return t;
  }();
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  if (padding > 0 && text.size() % 4 != 0) return std::nullopt;
  text.remove_suffix(padding);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : text) {
    int value = table[c];
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    if (++count == 4) {
      out.push_back(static_cast<char>((bits >> 16) & 0xff));
      out.push_back(static_cast<char>((bits >> 8) & 0xff));
      out.push_back(static_cast<char>(bits & 0xff));
      bits = 0;
      count = 0;
    }
  }
  if (count == 2) {
    out.push_back(static_cast<char>((bits >> 4) & 0xff));
  } else if (count == 3) {
    out.push_back(static_cast<char>((bits >> 10) & 0xff));
    out.push_back(static_cast<char>((bits >> 2) & 0xff));
  }
  return out;
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

void skip_ows(std::string_view& in) {
  while (!in.empty() && is_ows(in.front())) in.remove_prefix(1);
}

bool is_lcalpha(char c) { return c >= 'a' && c <= 'z'; }
bool is_alpha(char c) { return is_lcalpha(c) || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 9110 tchar, plus ":" and "/" as RFC 8941 tokens allow.
bool is_token_char(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  for (char allowed : std::string_view("!#$%&'*+-.^_`|~:/"))
    if (c == allowed) return true;
  return false;
}

// RFC 8941 §4.2.7: ":" base64 ":" (the base64 still to be decoded).
std::optional<std::string_view> take_byte_sequence(std::string_view& in) {
  if (in.empty() || in.front() != ':') return std::nullopt;
  auto end = in.find(':', 1);
  if (end == std::string_view::npos) return std::nullopt;
  auto body = in.substr(1, end - 1);
  in.remove_prefix(end + 1);
  return body;
}

// Skips one bare item of a parameter value (RFC 8941 §4.2.3.1): integer or
// decimal, string, token, byte sequence, boolean. Parameters carry nothing
// portier uses, but a quoted "," inside one must not split a list.
bool skip_bare_item(std::string_view& in) {
  if (in.empty()) return false;
  char c = in.front();
  if (c == '-' || is_digit(c)) {
    if (c == '-') in.remove_prefix(1);
    std::size_t digits = 0;
    while (!in.empty() && (is_digit(in.front()) || in.front() == '.') && digits < 20) {
      in.remove_prefix(1);
      ++digits;
    }
    return digits > 0;
  }
  if (c == '"') {
    in.remove_prefix(1);
    while (!in.empty()) {
      char s = in.front();
      in.remove_prefix(1);
      if (s == '"') return true;
      if (s == '\\') {
        if (in.empty() || (in.front() != '"' && in.front() != '\\')) return false;
        in.remove_prefix(1);
      } else if (s < 0x20 || s > 0x7e) {
        return false;
      }
    }
    return false;
  }
  if (c == ':') {
    auto body = take_byte_sequence(in);
    return body && base64_decode(*body).has_value();
  }
  if (c == '?') {
    if (in.size() < 2 || (in[1] != '0' && in[1] != '1')) return false;
    in.remove_prefix(2);
    return true;
  }
  if (is_alpha(c) || c == '*') {
    while (!in.empty() && is_token_char(in.front())) in.remove_prefix(1);
    return true;
  }
  return false;
}

// RFC 8941 §4.2.3.2: *( ";" *SP key [ "=" bare-item ] ), all ignored.
bool skip_parameters(std::string_view& in) {
  while (!in.empty() && in.front() == ';') {
    in.remove_prefix(1);
    while (!in.empty() && in.front() == ' ') in.remove_prefix(1);
    if (in.empty() || !(is_lcalpha(in.front()) || in.front() == '*')) return false;
    while (!in.empty() && (is_lcalpha(in.front()) || is_digit(in.front()) || in.front() == '_' ||
                           in.front() == '-' || in.front() == '.' || in.front() == '*'))
      in.remove_prefix(1);
    if (!in.empty() && in.front() == '=') {
      in.remove_prefix(1);
      if (!skip_bare_item(in)) return false;
    }
  }
  return true;
}

// One list member or item: a non-empty byte sequence and its parameters.
std::optional<std::string> take_certificate_item(std::string_view& in) {
  auto body = take_byte_sequence(in);
  if (!body) return std::nullopt;
  auto der = base64_decode(*body);
  if (!der || der->empty()) return std::nullopt;
  if (!skip_parameters(in)) return std::nullopt;
  return der;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding as nginx's ngx_escape_uri produced it; "+" is a literal
// "+" (base64), never a space.
std::optional<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    int high = hex_value(in[i + 1]), low = hex_value(in[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

std::string_view trim_whitespace(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<ForwardedCertificate> parse_client_cert(std::string_view value) {
  if (value.size() > kMaxForwardedValue) return std::nullopt;
  skip_ows(value);
  auto der = take_certificate_item(value);
  if (!der) return std::nullopt;
  skip_ows(value);
  if (!value.empty()) return std::nullopt;
  return ForwardedCertificate{std::move(*der), {}};
}

std::optional<std::vector<std::string>> parse_client_cert_chain(std::string_view value) {
  if (value.size() > kMaxForwardedValue) return std::nullopt;
  std::vector<std::string> chain;
  skip_ows(value);
  while (!value.empty()) {
    if (chain.size() == kMaxForwardedChain) return std::nullopt;
    auto der = take_certificate_item(value);
    if (!der) return std::nullopt;
    chain.push_back(std::move(*der));
    skip_ows(value);
    if (value.empty()) break;
    if (value.front() != ',') return std::nullopt;
    value.remove_prefix(1);
    skip_ows(value);
    if (value.empty()) return std::nullopt;  // a trailing comma
  }
  return chain;
}

std::optional<ForwardedCertificate> parse_rfc9440(std::string_view client_cert,
                                                  std::optional<std::string_view> client_cert_chain) {
  auto forwarded = parse_client_cert(client_cert);
  if (!forwarded) return std::nullopt;
  if (client_cert_chain) {
    auto chain = parse_client_cert_chain(*client_cert_chain);
    if (!chain) return std::nullopt;
    forwarded->chain_der = std::move(*chain);
  }
  return forwarded;
}

std::optional<ForwardedCertificate> parse_escaped_pem(std::string_view value) {
  if (value.size() > kMaxForwardedValue) return std::nullopt;
  auto decoded = percent_decode(trim_whitespace(value));
  if (!decoded) return std::nullopt;
  std::string_view pem = trim_whitespace(*decoded);
  constexpr std::string_view begin = "-----BEGIN CERTIFICATE-----";
  constexpr std::string_view end = "-----END CERTIFICATE-----";
  if (pem.size() < begin.size() + end.size() || pem.substr(0, begin.size()) != begin ||
      pem.substr(pem.size() - end.size()) != end)
    return std::nullopt;
  pem = pem.substr(begin.size(), pem.size() - begin.size() - end.size());
  std::string base64;
  base64.reserve(pem.size());
  for (char c : pem) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    base64.push_back(c);  // "-" (a second BEGIN line) and other strays fail in the decoder
  }
  // PEM is always padded: a length that is not a multiple of 4 is damage.
  if (base64.size() % 4 != 0) return std::nullopt;
  auto der = base64_decode(base64);
  if (!der || der->empty()) return std::nullopt;
  return ForwardedCertificate{std::move(*der), {}};
}

}  // namespace portier::tls
