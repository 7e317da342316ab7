#include "tls/certificate_verifier.h"

#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <sodium.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "common/encoding.h"
#include "support/test_pki.h"

using namespace portier;
using http::CertificateSource;
using http::CertificateVerdict;
using portier::testing_support::TestPki;
using std::chrono::system_clock;
using namespace std::chrono_literals;

namespace {

const TestPki& pki() { return TestPki::get(); }

std::shared_ptr<const tls::CertificateVerifier> verifier(std::vector<std::string> crls = {"crl.pem"},
                                                         std::string bundle = "ca-bundle.pem") {
  tls::TrustSettings settings{pki().path(bundle), {}};
  for (const auto& crl : crls) settings.crl_files.push_back(pki().path(crl));
  auto loaded = tls::CertificateVerifier::load(settings);
  if (!loaded) ADD_FAILURE() << loaded.error().detail;
  return loaded ? *loaded : nullptr;
}

CertificateVerdict verdict(const tls::CertificateVerifier& v, const std::string& card,
                           std::vector<std::string> chain = {}, system_clock::time_point now = system_clock::now()) {
  return v.verify(pki().read(card + ".der"), chain, CertificateSource::Handshake, now).verdict;
}

std::string der_of_pem(const std::string& name) { return pki().der_of_pem(name); }

}  // namespace

TEST(CertificateVerifier, ValidCardFillsEveryField) {
  auto v = verifier();
  auto der = pki().read("card-valid.der");
  auto before = system_clock::now();
  auto cert = v->verify(der, {}, CertificateSource::Proxy, before);
  EXPECT_EQ(cert.verdict, CertificateVerdict::Valid);
  EXPECT_EQ(cert.source, CertificateSource::Proxy);
  EXPECT_EQ(cert.leaf_der, der);
  EXPECT_EQ(cert.subject, "CN=899700000013+SN=DUPONT+GN=JEAN,title=Médecin,C=FR");
  EXPECT_EQ(cert.issuer, "CN=TEST AC IGC-SANTE FORT PERSONNES,OU=0002 000000000,O=PORTIER TEST,C=FR");
  EXPECT_EQ(cert.serial_hex, "1001");  // the first card the intermediate issues
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(der.data()), der.size());
  EXPECT_EQ(cert.sha256_hex, hex_encode(std::string_view(reinterpret_cast<char*>(digest), sizeof digest)));
  // Issued for three years from a month ago (make-test-pki.sh).
  EXPECT_GT(cert.not_after, before + 2 * 365 * 24h);
  EXPECT_LT(cert.not_after, before + 3 * 366 * 24h);
}

TEST(CertificateVerifier, SubjectsStayUtf8) {
  auto cert = verifier()->verify(pki().read("card-second.der"), {}, CertificateSource::Handshake, system_clock::now());
  EXPECT_EQ(cert.verdict, CertificateVerdict::Valid);
  EXPECT_EQ(cert.subject, "CN=899700000021+SN=LEFÈVRE+GN=ÉLODIE,title=Pharmacien,C=FR");
}

TEST(CertificateVerifier, EveryRefusedCardHasItsVerdict) {
  auto v = verifier();
  EXPECT_EQ(verdict(*v, "card-expired"), CertificateVerdict::Expired);
  EXPECT_EQ(verdict(*v, "card-not-yet-valid"), CertificateVerdict::NotYetValid);
  EXPECT_EQ(verdict(*v, "card-revoked"), CertificateVerdict::Revoked);
  EXPECT_EQ(verdict(*v, "card-wrong-ca"), CertificateVerdict::UnknownIssuer);
  EXPECT_EQ(verdict(*v, "card-wrong-usage"), CertificateVerdict::WrongUsage);
  EXPECT_EQ(verdict(*v, "card-no-signature"), CertificateVerdict::WrongUsage);
  // A valid chain says nothing of the CN: these are for card_holder() to refuse or map.
  EXPECT_EQ(verdict(*v, "card-unmapped"), CertificateVerdict::Valid);
  EXPECT_EQ(verdict(*v, "card-establishment"), CertificateVerdict::Valid);
  EXPECT_EQ(verdict(*v, "card-bad-check-digit"), CertificateVerdict::Valid);
}

TEST(CertificateVerifier, DatesAreJudgedAtTheGivenTime) {
  auto v = verifier({});
  auto now = system_clock::now();
  EXPECT_EQ(verdict(*v, "card-valid", {}, now + 4 * 366 * 24h), CertificateVerdict::Expired);
  EXPECT_EQ(verdict(*v, "card-valid", {}, now - 60 * 24h), CertificateVerdict::NotYetValid);
  EXPECT_EQ(verdict(*v, "card-not-yet-valid", {}, now + 400 * 24h), CertificateVerdict::Valid);
  EXPECT_EQ(verdict(*v, "card-expired", {}, now - 365 * 24h), CertificateVerdict::Valid);
}

TEST(CertificateVerifier, RevokedOutranksExpired) {
  // card-revoked, judged after its end date while the CRL is still current.
  auto v = verifier();
  auto cert = pki().read("card-revoked.der");
  auto later = v->verify(cert, {}, CertificateSource::Handshake, system_clock::now()).not_after + 1h;
  // The CRL is stale by then too: revoked still wins over both.
  EXPECT_EQ(verdict(*v, "card-revoked", {}, later), CertificateVerdict::Revoked);
}

TEST(CertificateVerifier, WithoutCrlsNothingIsCheckedForRevocation) {
  EXPECT_EQ(verdict(*verifier({}), "card-revoked"), CertificateVerdict::Valid);
}

TEST(CertificateVerifier, StaleCrlFailsClosed) {
  auto v = verifier({"crl-stale.pem"});
  EXPECT_EQ(verdict(*v, "card-valid"), CertificateVerdict::RevocationUnknown);
  // Before its nextUpdate the same CRL is current.
  EXPECT_EQ(verdict(*v, "card-valid", {}, system_clock::now() - 10 * 24h), CertificateVerdict::Valid);
}

TEST(CertificateVerifier, CrlOfAnotherIssuerFailsClosed) {
  // The root's CRL covers the intermediate, not the cards it issues.
  EXPECT_EQ(verdict(*verifier({"root-crl.pem"}), "card-valid"), CertificateVerdict::RevocationUnknown);
}

TEST(CertificateVerifier, CurrentCrlBesideAStaleOneIsUsed) {
  auto v = verifier({"crl-stale.pem", "crl.pem", "root-crl.pem"});
  EXPECT_EQ(verdict(*v, "card-valid"), CertificateVerdict::Valid);
  EXPECT_EQ(verdict(*v, "card-revoked"), CertificateVerdict::Revoked);
}

TEST(CertificateVerifier, ReadsDerCrls) {
  auto v = verifier({"crl.der"});
  EXPECT_EQ(verdict(*v, "card-valid"), CertificateVerdict::Valid);
  EXPECT_EQ(verdict(*v, "card-revoked"), CertificateVerdict::Revoked);
}

TEST(CertificateVerifier, IntermediatesMayComeFromTheClient) {
  auto v = verifier({}, "root-ca.pem");
  EXPECT_EQ(verdict(*v, "card-valid"), CertificateVerdict::UnknownIssuer);
  EXPECT_EQ(verdict(*v, "card-valid", {der_of_pem("intermediate-ca.pem")}), CertificateVerdict::Valid);
  // A presented intermediate of another PKI leads nowhere.
  EXPECT_EQ(verdict(*v, "card-wrong-ca", {der_of_pem("other-root-ca.pem")}), CertificateVerdict::UnknownIssuer);
}

TEST(CertificateVerifier, AnIntermediateAloneIsATrustAnchor) {
  auto v = verifier({}, "intermediate-ca.pem");
  EXPECT_EQ(verdict(*v, "card-valid"), CertificateVerdict::Valid);
  EXPECT_EQ(verdict(*v, "card-wrong-ca"), CertificateVerdict::UnknownIssuer);
}

TEST(CertificateVerifier, ACaCertificateIsNoCard) {
  auto v = verifier();
  auto cert = v->verify(der_of_pem("intermediate-ca.pem"), {}, CertificateSource::Proxy, system_clock::now());
  EXPECT_EQ(cert.verdict, CertificateVerdict::WrongUsage);
}

TEST(CertificateVerifier, UnreadablePresentations) {
  auto v = verifier();
  auto der = pki().read("card-valid.der");
  auto now = system_clock::now();
  auto unreadable = [&](std::string leaf, std::vector<std::string> chain = {}) {
    auto cert = v->verify(leaf, chain, CertificateSource::Proxy, now);
    return cert.verdict == CertificateVerdict::Unreadable;
  };
  EXPECT_TRUE(unreadable(""));
  EXPECT_TRUE(unreadable("not a certificate"));
  EXPECT_TRUE(unreadable(der + "x"));  // trailing bytes
  EXPECT_TRUE(unreadable(der.substr(0, der.size() - 1)));
  EXPECT_TRUE(unreadable(der, {"garbage"}));
  EXPECT_TRUE(unreadable(der, std::vector<std::string>(tls::kMaxPresentedChain + 1, der_of_pem("intermediate-ca.pem"))));
  EXPECT_TRUE(unreadable(std::string(tls::kMaxCertificateSize + 1, '\x30')));
  // Still carried, for the page and the audit log.
  auto cert = v->verify("junk", {}, CertificateSource::Proxy, now);
  EXPECT_EQ(cert.leaf_der, "junk");
  EXPECT_EQ(cert.sha256_hex.size(), 64u);
  EXPECT_TRUE(cert.subject.empty());
}

TEST(CertificateVerifier, AcceptableCaNamesAreTheBundleSubjects) {
  auto names = verifier()->acceptable_ca_names();
  ASSERT_EQ(names.size(), 2u);
  std::vector<std::string> texts;
  for (const auto& der : names) {
    auto* p = reinterpret_cast<const unsigned char*>(der.data());
    X509_NAME* name = d2i_X509_NAME(nullptr, &p, static_cast<long>(der.size()));
    ASSERT_NE(name, nullptr);
    char buffer[256];
    X509_NAME_oneline(name, buffer, sizeof buffer);
    texts.push_back(buffer);
    X509_NAME_free(name);
  }
  EXPECT_NE(texts[0].find("CN=AC RACINE TEST"), std::string::npos);
  EXPECT_NE(texts[1].find("CN=TEST AC IGC-SANTE FORT PERSONNES"), std::string::npos);
}

TEST(CertificateVerifier, SummarisesItsCrls) {
  auto crls = verifier({"crl.pem", "crl-stale.der"})->crls();
  ASSERT_EQ(crls.size(), 2u);
  auto now = system_clock::now();
  EXPECT_EQ(crls[0].file, pki().path("crl.pem"));
  EXPECT_EQ(crls[0].issuer, "CN=TEST AC IGC-SANTE FORT PERSONNES,OU=0002 000000000,O=PORTIER TEST,C=FR");
  EXPECT_LT(crls[0].this_update, now);
  EXPECT_GT(crls[0].next_update, now + 6 * 24h);
  EXPECT_LT(crls[1].next_update, now);
}

TEST(CertificateVerifier, LoadErrorsNameTheFileAndTheFault) {
  auto error = [](tls::TrustSettings settings) {
    auto loaded = tls::CertificateVerifier::load(settings);
    EXPECT_FALSE(loaded);
    return loaded ? std::string() : loaded.error().detail;
  };
  auto missing = pki().path("missing.pem");
  EXPECT_NE(error({missing, {}}).find(missing), std::string::npos);
  EXPECT_EQ(error({"", {}}), "client_ca: no CA bundle file given");
  auto not_pem = error({pki().path("card-valid.der"), {}});
  EXPECT_NE(not_pem.find("no PEM certificate"), std::string::npos);
  EXPECT_NE(not_pem.find("card-valid.der"), std::string::npos);
  EXPECT_NE(error({pki().path("card-valid.pem"), {}}).find("not a CA certificate"), std::string::npos);
  auto bad_crl = error({pki().path("ca-bundle.pem"), {pki().path("card-valid.pem")}});
  EXPECT_NE(bad_crl.find("no CRL found"), std::string::npos);
  EXPECT_NE(bad_crl.find("card-valid.pem"), std::string::npos);
  // The root's CRL when only the intermediate is trusted: nobody configured signed it.
  auto foreign = error({pki().path("intermediate-ca.pem"), {pki().path("root-crl.pem")}});
  EXPECT_NE(foreign.find("root-crl.pem"), std::string::npos);
  EXPECT_NE(foreign.find("AC RACINE TEST"), std::string::npos);
  EXPECT_NE(error({pki().path("ca-bundle.pem"), {missing}}).find(missing), std::string::npos);
}

TEST(CertificateVerifier, ReloadsOnlyWhatChanged) {
  auto dir = pki().dir() / "reload";
  std::filesystem::create_directories(dir);
  auto crl = (dir / "crl.pem").string();
  std::filesystem::copy_file(pki().path("crl-stale.pem"), crl, std::filesystem::copy_options::overwrite_existing);
  tls::TrustSettings settings{pki().path("ca-bundle.pem"), {crl}};
  auto first = tls::CertificateVerifier::load(settings);
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_EQ(verdict(**first, "card-valid"), CertificateVerdict::RevocationUnknown);

  auto same = tls::CertificateVerifier::reload_if_changed(*first, settings);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->get(), first->get());

  // The operator's job drops a fresh CRL in place (mtime moves on).
  std::filesystem::copy_file(pki().path("crl.pem"), crl, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::last_write_time(crl, std::filesystem::last_write_time(crl) + 2s);
  auto fresh = tls::CertificateVerifier::reload_if_changed(*first, settings);
  ASSERT_TRUE(fresh) << fresh.error().detail;
  EXPECT_NE(fresh->get(), first->get());
  EXPECT_EQ(verdict(**fresh, "card-valid"), CertificateVerdict::Valid);
  // The old verifier is untouched: requests holding it finish as they began.
  EXPECT_EQ(verdict(**first, "card-valid"), CertificateVerdict::RevocationUnknown);

  // Other settings: a new verifier even if no file changed.
  auto other = tls::CertificateVerifier::reload_if_changed(*fresh, {pki().path("ca-bundle.pem"), {}});
  ASSERT_TRUE(other);
  EXPECT_NE(other->get(), fresh->get());

  // A broken file: an error, and the caller keeps what it has.
  std::ofstream(crl, std::ios::trunc) << "truncated";
  EXPECT_FALSE(tls::CertificateVerifier::reload_if_changed(*fresh, settings));
  std::filesystem::remove(crl);
  EXPECT_FALSE(tls::CertificateVerifier::reload_if_changed(*fresh, settings));
}

TEST(CertificateVerifier, ConcurrentVerificationsAgree) {
  auto v = verifier();
  auto valid = pki().read("card-valid.der");
  auto revoked = pki().read("card-revoked.der");
  auto wrong = pki().read("card-wrong-ca.der");
  std::atomic<int> mistakes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        auto now = system_clock::now();
        if (v->verify(valid, {}, CertificateSource::Handshake, now).verdict != CertificateVerdict::Valid) ++mistakes;
        if (v->verify(revoked, {}, CertificateSource::Handshake, now).verdict != CertificateVerdict::Revoked) ++mistakes;
        if (v->verify(wrong, {}, CertificateSource::Handshake, now).verdict != CertificateVerdict::UnknownIssuer)
          ++mistakes;
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mistakes.load(), 0);
}

TEST(CertificateVerifier, VerdictNames) {
  EXPECT_STREQ(tls::to_string(CertificateVerdict::Valid), "valid");
  EXPECT_STREQ(tls::to_string(CertificateVerdict::RevocationUnknown), "revocation_unknown");
  EXPECT_STREQ(tls::to_string(CertificateVerdict::UnknownIssuer), "unknown_issuer");
}
