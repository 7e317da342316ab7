#include "web/card_reading.h"

#include "card/cps_identity.h"

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
  // The holder, read from the certificate itself (card/cps_identity.h): a
  // CPS names them by national identifier in the CN, "8" + the 11-digit
  // RPPS; ADELI ("0") and establishment ("3" + FINESS) cards name no RPPS,
  // and a certificate whose CN is no national identifier names nobody.
  if (auto holder = card::card_holder(c.leaf_der)) {
    if (holder->kind == card::CardHolder::Kind::Rpps) card.rpps = holder->number;
    for (const auto* part : {&holder->title, &holder->given_name, &holder->surname})
      if (!part->empty()) card.holder += (card.holder.empty() ? "" : " ") + *part;
    if (card.holder.empty()) card.holder = holder->national_id;
  }
  return card;
}

}  // namespace portier::web
