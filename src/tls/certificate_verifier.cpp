#include "tls/certificate_verifier.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <fstream>
#include <iterator>
#include <system_error>

#include "common/encoding.h"
#include "tls/openssl_text.h"

namespace portier::tls {

namespace {

using Clock = std::chrono::system_clock;
using http::CertificateVerdict;

struct X509Free { void operator()(X509* x) const { X509_free(x); } };
struct CrlFree { void operator()(X509_CRL* c) const { X509_CRL_free(c); } };
using X509Ptr = std::unique_ptr<X509, X509Free>;
using CrlPtr = std::unique_ptr<X509_CRL, CrlFree>;

struct StoreFree { void operator()(X509_STORE* s) const { X509_STORE_free(s); } };
struct CtxFree { void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); } };
// The stacks own nothing: the certificates and CRLs live in State/verify().
struct X509StackFree { void operator()(STACK_OF(X509)* s) const { sk_X509_free(s); } };
struct CrlStackFree { void operator()(STACK_OF(X509_CRL)* s) const { sk_X509_CRL_free(s); } };

Result<std::string> read_file(const std::string& path, std::string_view role) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(ErrorCode::InvalidInput, std::string(role) + " " + path + ": " + ec.message());
  if (size > 64 * 1024 * 1024) return fail(ErrorCode::InvalidInput, std::string(role) + " " + path + ": larger than 64 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::InvalidInput, std::string(role) + " " + path + ": cannot be opened");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool looks_like_pem(std::string_view text) { return text.find("-----BEGIN ") != std::string_view::npos; }

X509Ptr parse_der_certificate(std::string_view der) {
  if (der.empty() || der.size() > kMaxCertificateSize) return nullptr;
  auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* end = p + der.size();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  // Trailing bytes mean the value is not one certificate: refuse, do not guess.
  if (cert && p != end) return nullptr;
  return cert;
}

Clock::time_point to_time_point(const ASN1_TIME* time) {
  std::tm tm{};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return {};
  return Clock::from_time_t(timegm(&tm));
}

std::string serial_hex(const X509* cert) {
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr), BN_free);
  if (!bn) return {};
  char* hex = BN_bn2hex(bn.get());
  if (!hex) return {};
  std::string out(hex);
  OPENSSL_free(hex);
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) return {};
  return hex_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

// Verdicts in the order the page should explain them when several apply:
// an unknown issuer makes every other finding meaningless; a revoked card is
// refused whatever its dates; what the holder can fix (dates, wrong card)
// comes before what only the operator can (a stale CRL).
int rank(CertificateVerdict verdict) {
  switch (verdict) {
    case CertificateVerdict::Unreadable: return 0;
    case CertificateVerdict::UnknownIssuer: return 1;
    case CertificateVerdict::Revoked: return 2;
    case CertificateVerdict::Expired: return 3;
    case CertificateVerdict::NotYetValid: return 4;
    case CertificateVerdict::WrongUsage: return 5;
    case CertificateVerdict::RevocationUnknown: return 6;
    case CertificateVerdict::Valid: return 7;
  }
  return 0;
}

CertificateVerdict verdict_of(int error) {
  switch (error) {
    case X509_V_ERR_CERT_HAS_EXPIRED: return CertificateVerdict::Expired;
    case X509_V_ERR_CERT_NOT_YET_VALID: return CertificateVerdict::NotYetValid;
    case X509_V_ERR_CERT_REVOKED: return CertificateVerdict::Revoked;
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
    case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
    case X509_V_ERR_DIFFERENT_CRL_SCOPE:
    case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
    case X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
      return CertificateVerdict::RevocationUnknown;
    case X509_V_ERR_INVALID_PURPOSE:
      return CertificateVerdict::WrongUsage;
    default:
      // Untrusted or broken chains, bad signatures, path-length and name
      // constraint violations: none is a chain to a configured CA.
      return CertificateVerdict::UnknownIssuer;
  }
}

// Collects the worst finding of one verification (the callback runs on the
// verifying thread, with this object as the context's app data).
struct Findings {
  CertificateVerdict worst = CertificateVerdict::Valid;
  void add(CertificateVerdict verdict) {
    if (rank(verdict) < rank(worst)) worst = verdict;
  }
};

// Records every error and lets OpenSSL go on, so that a card both expired and
// revoked is called revoked whatever order OpenSSL checks in. The verdict is
// only Valid when nothing was recorded and X509_verify_cert() succeeded.
int collect(int ok, X509_STORE_CTX* ctx) {
  if (!ok) {
    auto* findings = static_cast<Findings*>(X509_STORE_CTX_get_app_data(ctx));
    if (findings) findings->add(verdict_of(X509_STORE_CTX_get_error(ctx)));
  }
  return 1;
}

// A card must be able to sign (the TLS CertificateVerify) and, when it says
// what it is for, say client authentication.
bool usable_for_client_authentication(X509* leaf) {
  std::uint32_t flags = X509_get_extension_flags(leaf);  // also caches the extensions, thread-safely
  if (flags & EXFLAG_INVALID) return false;
  // A CA certificate is no card, even one whose key usage would allow signing.
  if (flags & EXFLAG_CA) return false;
  if ((flags & EXFLAG_KUSAGE) && !(X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE)) return false;
  if ((flags & EXFLAG_XKUSAGE) && !(X509_get_extended_key_usage(leaf) & XKU_SSL_CLIENT)) return false;
  return true;
}

std::vector<X509Ptr> read_pem_certificates(const std::string& text) {
  std::vector<X509Ptr> out;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(cert);
  return out;
}

Result<std::vector<CrlPtr>> read_crls(const std::string& path, const std::string& text) {
  std::vector<CrlPtr> out;
  if (looks_like_pem(text)) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
    while (X509_CRL* crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(crl);
  } else {
    auto* p = reinterpret_cast<const unsigned char*>(text.data());
    if (X509_CRL* crl = d2i_X509_CRL(nullptr, &p, static_cast<long>(text.size()))) out.emplace_back(crl);
  }
  if (out.empty())
    return fail(ErrorCode::InvalidInput, "crl " + path + ": no CRL found (PEM \"X509 CRL\" blocks or one DER CRL)");
  return out;
}

}  // namespace

struct CertificateVerifier::State {
  TrustSettings settings;
  std::unique_ptr<X509_STORE, StoreFree> store{X509_STORE_new()};
  std::vector<X509Ptr> anchors;
  std::vector<CrlPtr> crls;
  std::unique_ptr<STACK_OF(X509_CRL), CrlStackFree> crl_stack{sk_X509_CRL_new_null()};
  std::vector<std::string> ca_names;
  std::vector<CrlSummary> crl_summaries;
  std::vector<FileStamp> stamps;
};

namespace {

Result<FileStamp> stamp(const std::string& path) {
  std::error_code ec;
  FileStamp out{path, std::filesystem::last_write_time(path, ec), 0};
  if (!ec) out.size = std::filesystem::file_size(path, ec);
  if (ec) return fail(ErrorCode::InvalidInput, path + ": " + ec.message());
  return out;
}

Result<void> load_bundle(CertificateVerifier::State& state) {
  const auto& path = state.settings.ca_file;
  auto text = read_file(path, "client_ca");
  if (!text) return tl::unexpected(text.error());
  auto certificates = read_pem_certificates(*text);
  if (certificates.empty())
    return fail(ErrorCode::InvalidInput, "client_ca " + path + ": no PEM certificate found");
  for (auto& cert : certificates) {
    std::uint32_t flags = X509_get_extension_flags(cert.get());
    std::string name = name_text(X509_get_subject_name(cert.get()));
    if (!(flags & EXFLAG_CA))
      return fail(ErrorCode::InvalidInput, "client_ca " + path + ": " + name + " is not a CA certificate");
    if (X509_STORE_add_cert(state.store.get(), cert.get()) != 1)
      return fail(ErrorCode::InvalidInput, "client_ca " + path + ": " + name + " cannot be added: " + openssl_error());
    unsigned char* der = nullptr;
    int length = i2d_X509_NAME(X509_get_subject_name(cert.get()), &der);
    if (length <= 0) return fail(ErrorCode::InvalidInput, "client_ca " + path + ": " + name + ": unencodable name");
    state.ca_names.emplace_back(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
    OPENSSL_free(der);
    state.anchors.push_back(std::move(cert));
  }
  return {};
}

// The CRL's issuer must be in the bundle and its signature must verify: a CRL
// nobody trusted signed proves nothing, and saying so at startup beats a
// RevocationUnknown for every card later.
Result<void> load_crl_file(CertificateVerifier::State& state, const std::string& path) {
  auto text = read_file(path, "crl");
  if (!text) return tl::unexpected(text.error());
  auto crls = read_crls(path, *text);
  if (!crls) return tl::unexpected(crls.error());
  for (auto& crl : *crls) {
    std::string issuer = name_text(X509_CRL_get_issuer(crl.get()));
    X509* signer = nullptr;
    for (const auto& anchor : state.anchors) {
      if (X509_NAME_cmp(X509_get_subject_name(anchor.get()), X509_CRL_get_issuer(crl.get())) != 0) continue;
      EVP_PKEY* key = X509_get0_pubkey(anchor.get());
      if (key && X509_CRL_verify(crl.get(), key) == 1) signer = anchor.get();
    }
    if (!signer)
      return fail(ErrorCode::InvalidInput, "crl " + path + ": issued by " + issuer +
                                               ", which no certificate of client_ca signs for (missing from the "
                                               "bundle, or a bad signature)");
    // Sorting the revoked list happens on first lookup; do it now, once,
    // rather than under a lock on the first concurrent verify().
    X509_REVOKED* ignored = nullptr;
    X509_CRL_get0_by_serial(crl.get(), &ignored, X509_get0_serialNumber(signer));
    state.crl_summaries.push_back(CrlSummary{path, issuer, to_time_point(X509_CRL_get0_lastUpdate(crl.get())),
                                             to_time_point(X509_CRL_get0_nextUpdate(crl.get()))});
    sk_X509_CRL_push(state.crl_stack.get(), crl.get());
    state.crls.push_back(std::move(crl));
  }
  return {};
}

}  // namespace

CertificateVerifier::CertificateVerifier(std::unique_ptr<State> state) : state_(std::move(state)) {}
CertificateVerifier::~CertificateVerifier() = default;

Result<std::shared_ptr<const CertificateVerifier>> CertificateVerifier::load(const TrustSettings& settings) {
  auto state = std::make_unique<State>();
  state->settings = settings;
  if (!state->store || !state->crl_stack) return fail(ErrorCode::Internal, "out of memory");
  if (settings.ca_file.empty()) return fail(ErrorCode::InvalidInput, "client_ca: no CA bundle file given");
  // Stamps first: a file replaced while we read it then looks changed at the
  // next reload_if_changed() and is read again.
  auto ca_stamp = stamp(settings.ca_file);
  if (!ca_stamp) return fail(ErrorCode::InvalidInput, "client_ca " + ca_stamp.error().detail);
  state->stamps.push_back(*ca_stamp);
  for (const auto& file : settings.crl_files) {
    auto crl_stamp = stamp(file);
    if (!crl_stamp) return fail(ErrorCode::InvalidInput, "crl " + crl_stamp.error().detail);
    state->stamps.push_back(*crl_stamp);
  }
  if (auto loaded = load_bundle(*state); !loaded) return tl::unexpected(loaded.error());
  for (const auto& file : settings.crl_files)
    if (auto loaded = load_crl_file(*state, file); !loaded) return tl::unexpected(loaded.error());
  // Every certificate of the bundle is a trust anchor, self-signed or not:
  // an operator who lists only the "FORT PERSONNES" intermediate accepts its
  // cards and not those of the root's other branches.
  X509_STORE_set_flags(state->store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  return std::shared_ptr<const CertificateVerifier>(new CertificateVerifier(std::move(state)));
}

Result<std::shared_ptr<const CertificateVerifier>> CertificateVerifier::reload_if_changed(
    const std::shared_ptr<const CertificateVerifier>& current, const TrustSettings& settings) {
  if (!current || current->settings().ca_file != settings.ca_file ||
      current->settings().crl_files != settings.crl_files)
    return load(settings);
  for (const auto& before : current->stamps()) {
    auto now = stamp(before.path);
    if (!now || !(*now == before)) return load(settings);
  }
  return current;
}

http::ClientCertificate CertificateVerifier::verify(std::string_view leaf_der,
                                                    const std::vector<std::string>& chain_der,
                                                    http::CertificateSource source, Clock::time_point now) const {
  http::ClientCertificate out;
  out.source = source;
  out.verdict = CertificateVerdict::Unreadable;
  out.leaf_der = std::string(leaf_der);
  out.chain_der = chain_der;
  out.sha256_hex = sha256_hex(leaf_der);

  X509Ptr leaf = parse_der_certificate(leaf_der);
  if (!leaf) return out;
  out.subject = name_text(X509_get_subject_name(leaf.get()));
  out.issuer = name_text(X509_get_issuer_name(leaf.get()));
  out.serial_hex = serial_hex(leaf.get());
  out.not_after = to_time_point(X509_get0_notAfter(leaf.get()));

  if (chain_der.size() > kMaxPresentedChain) return out;
  std::vector<X509Ptr> presented;
  std::unique_ptr<STACK_OF(X509), X509StackFree> untrusted(sk_X509_new_null());
  if (!untrusted) return out;
  for (const auto& der : chain_der) {
    X509Ptr cert = parse_der_certificate(der);
    if (!cert) return out;  // a mangled element: the presentation as a whole is unreadable
    sk_X509_push(untrusted.get(), cert.get());
    presented.push_back(std::move(cert));
  }

  std::unique_ptr<X509_STORE_CTX, CtxFree> ctx(X509_STORE_CTX_new());
  Findings findings;
  if (!ctx || X509_STORE_CTX_init(ctx.get(), state_->store.get(), leaf.get(), untrusted.get()) != 1) {
    out.verdict = CertificateVerdict::UnknownIssuer;  // cannot verify: never Valid
    return out;
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, Clock::to_time_t(now));
  X509_VERIFY_PARAM_set_depth(param, static_cast<int>(kMaxPresentedChain) + 2);
  if (!state_->crls.empty()) {
    // The leaf's issuer must be covered by a current CRL; the CA
    // certificates of the bundle are trusted as configured.
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK);
    X509_STORE_CTX_set0_crls(ctx.get(), state_->crl_stack.get());
  }
  X509_STORE_CTX_set_app_data(ctx.get(), &findings);
  X509_STORE_CTX_set_verify_cb(ctx.get(), collect);
  int verified = X509_verify_cert(ctx.get());
  if (verified != 1 && findings.worst == CertificateVerdict::Valid) findings.add(CertificateVerdict::UnknownIssuer);
  if (!usable_for_client_authentication(leaf.get())) findings.add(CertificateVerdict::WrongUsage);
  out.verdict = findings.worst;
  return out;
}

std::vector<std::string> CertificateVerifier::acceptable_ca_names() const { return state_->ca_names; }
const TrustSettings& CertificateVerifier::settings() const { return state_->settings; }
const std::vector<CrlSummary>& CertificateVerifier::crls() const { return state_->crl_summaries; }
const std::vector<FileStamp>& CertificateVerifier::stamps() const { return state_->stamps; }

const char* to_string(CertificateVerdict verdict) {
  switch (verdict) {
    case CertificateVerdict::Valid: return "valid";
    case CertificateVerdict::Expired: return "expired";
    case CertificateVerdict::NotYetValid: return "not_yet_valid";
    case CertificateVerdict::Revoked: return "revoked";
    case CertificateVerdict::RevocationUnknown: return "revocation_unknown";
    case CertificateVerdict::UnknownIssuer: return "unknown_issuer";
    case CertificateVerdict::WrongUsage: return "wrong_usage";
    case CertificateVerdict::Unreadable: return "unreadable";
  }
  return "unreadable";
}

}  // namespace portier::tls
