// What the card sign-in reads of a client certificate, from the test PKI's
// real cards: the verdict passes through, the RPPS comes from the CN only
// for RPPS cards ("8" + RPPS), the holder is named for the pages, and no
// certificate at all is NoCard.
#include "web/card_reading.h"

#include <gtest/gtest.h>

#include "support/test_pki.h"

namespace portier::web {
namespace {

http::ClientCertificate certificate(const std::string& der_file, http::CertificateVerdict verdict) {
  http::ClientCertificate c;
  c.verdict = verdict;
  c.leaf_der = testing_support::TestPki::get().read(der_file);
  c.sha256_hex = std::string(64, 'c');
  c.subject = "CN=899700000013+SN=DUPONT+GN=JEAN,title=Médecin,C=FR";
  c.issuer = "CN=TEST AC IGC-SANTE FORT PERSONNES,C=FR";
  c.serial_hex = "1001";
  return c;
}

TEST(CardReading, AnRppsCardNamesItsHolderAndRpps) {
  auto card = presented_card(certificate("card-valid.der", http::CertificateVerdict::Valid));
  EXPECT_EQ(card.check, CardCheck::Valid);
  EXPECT_EQ(card.rpps, "99700000013");
  EXPECT_EQ(card.holder, "Médecin JEAN DUPONT");
  EXPECT_EQ(card.sha256, std::string(64, 'c'));
  EXPECT_EQ(card.serial, "1001");
}

TEST(CardReading, EstablishmentAndAdeliCardsNameNoRpps) {
  for (auto file : {"card-establishment.der", "card-adeli.der"}) {
    auto card = presented_card(certificate(file, http::CertificateVerdict::Valid));
    EXPECT_FALSE(card.rpps) << file;
    EXPECT_FALSE(card.holder.empty()) << file;
  }
}

TEST(CardReading, AnRppsWithAWrongCheckDigitNamesNoOne) {
  auto card = presented_card(certificate("card-bad-check-digit.der", http::CertificateVerdict::Valid));
  EXPECT_FALSE(card.rpps);
}

TEST(CardReading, TheVerdictPassesThroughAndNoCertificateIsNoCard) {
  EXPECT_EQ(presented_card(certificate("card-revoked.der", http::CertificateVerdict::Revoked)).check,
            CardCheck::Revoked);
  EXPECT_EQ(presented_card(certificate("card-wrong-ca.der", http::CertificateVerdict::UnknownIssuer)).check,
            CardCheck::UnknownIssuer);
  EXPECT_EQ(presented_card(std::nullopt).check, CardCheck::NoCard);
}

}  // namespace
}  // namespace portier::web
