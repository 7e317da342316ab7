#include "web/card_reading.h"

#include <cctype>

namespace portier::web {

namespace {

CardCheck check_of(http::CertificateVerdict v) {
  switch (v) {
    case http::CertificateVerdict::Valid: return CardCheck::Valid;
    case http::CertificateVerdict::Expired: return CardCheck::Expired;
    case http::CertificateVerdict::NotYetValid: return CardCheck::NotYetValid;
    case http::CertificateVerdict::Revoked: return CardCheck::Revoked;
    case http::CertificateVerdict::RevocationUnknown: return CardCheck::RevocationUnknown;
    case http::CertificateVerdict::UnknownIssuer: return CardCheck::UnknownIssuer;
    case http::CertificateVerdict::WrongUsage: return CardCheck::WrongUsage;
    case http::CertificateVerdict::Unreadable: return CardCheck::Unreadable;
  }
  return CardCheck::Unreadable;
}

// The value of `name=` in an RFC 2253 subject ("CN=810002813839+SN=DUPONT+GN=JEAN,title=Médecin,C=FR"):
// attributes are separated by ',' or '+' (multi-valued RDN); escaped
// separators never occur in the attributes read here (digits, names).
std::string attribute(std::string_view subject, std::string_view name) {
  std::size_t at = 0;
  while (at < subject.size()) {
    auto end = subject.find_first_of(",+", at);
    if (end == std::string_view::npos) end = subject.size();
    auto part = subject.substr(at, end - at);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part[name.size()] == '=' && part.substr(0, name.size()) == name)
      return std::string(part.substr(name.size() + 1));
    at = end + 1;
  }
  return {};
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return !s.empty();
}

}  // namespace

PresentedCard presented_card(const std::optional<http::ClientCertificate>& certificate) {
  PresentedCard card;
  if (!certificate) return card;  // CardCheck::NoCard
  const auto& c = *certificate;
  card.check = check_of(c.verdict);
  card.sha256 = c.sha256_hex;
  card.subject = c.subject;
  card.issuer = c.issuer;
  card.serial = c.serial_hex;
  card.not_after = c.not_after;
  // A CPS names its holder by national identifier in the CN: "8" + the
  // 11-digit RPPS; "0" + ADELI and "3" + FINESS cards name no RPPS.
  auto cn = attribute(c.subject, "CN");
  if (cn.size() == 12 && cn[0] == '8' && all_digits(cn)) card.rpps = cn.substr(1);
  auto title = attribute(c.subject, "title");
  auto given = attribute(c.subject, "GN");
  auto surname = attribute(c.subject, "SN");
  for (const auto& part : {title, given, surname})
    if (!part.empty()) card.holder += (card.holder.empty() ? "" : " ") + part;
  if (card.holder.empty()) card.holder = cn;
  return card;
}

}  // namespace portier::web
