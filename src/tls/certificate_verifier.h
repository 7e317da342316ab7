#pragma once
// Verifies client certificates (smart cards of the CPS family) against a CA
// bundle and CRL files, and says why one is refused. The only place that
// decides `CertificateVerdict::Valid`; it never signs anyone in itself and no
// OpenSSL type leaves it. Immutable once loaded: concurrent verify() calls
// are safe; new files mean a new verifier (load or reload_if_changed), which
// the server swaps in (docs/operations.md, "Client certificates").
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/client_certificate.h"

namespace portier::tls {

struct TrustSettings {
  std::string ca_file;                 // PEM: roots and intermediates, every one a trust anchor
  std::vector<std::string> crl_files;  // PEM (one or several CRLs) or DER; empty: no revocation check
};

// What a CRL file held when loaded: for logs and the operator's warnings
// (a CRL past next_update makes every card of its issuer RevocationUnknown).
struct CrlSummary {
  std::string file;
  std::string issuer;  // RFC 2253, UTF-8
  std::chrono::system_clock::time_point this_update{}, next_update{};
};

// A file as it was when read: reload_if_changed() compares these.
struct FileStamp {
  std::string path;
  std::filesystem::file_time_type modified{};
  std::uintmax_t size = 0;
  bool operator==(const FileStamp&) const = default;
};

class CertificateVerifier {
 public:
  // Reads the CA bundle (PEM, several certificates: roots and intermediates)
  // and the CRLs (PEM or DER). Every CRL must be issued by a certificate of
  // the bundle and its signature must verify. The error (InvalidInput) names
  // the file and what is wrong.
  static Result<std::shared_ptr<const CertificateVerifier>> load(const TrustSettings& settings);

  // `current` itself when no file changed since it was loaded (same settings,
  // same modification times and sizes), a fresh verifier when one did, or the
  // load error (the caller keeps `current` and logs it). Cheap: a stat() per file.
  static Result<std::shared_ptr<const CertificateVerifier>> reload_if_changed(
      const std::shared_ptr<const CertificateVerifier>& current, const TrustSettings& settings);

  // Verifies `leaf_der` with the intermediates the client presented, at
  // `now`; fills every field of ClientCertificate (verdict, subject/issuer
  // RFC 2253 UTF-8, serial, sha256, not_after, source). Never throws.
  http::ClientCertificate verify(std::string_view leaf_der, const std::vector<std::string>& chain_der,
                                 http::CertificateSource source,
                                 std::chrono::system_clock::time_point now) const;

  // The CA names to send in the TLS CertificateRequest (so that browsers
  // offer only matching cards): DER-encoded subject names of the bundle.
  std::vector<std::string> acceptable_ca_names() const;

  const TrustSettings& settings() const;
  const std::vector<CrlSummary>& crls() const;
  const std::vector<FileStamp>& stamps() const;

  ~CertificateVerifier();
  CertificateVerifier(const CertificateVerifier&) = delete;
  CertificateVerifier& operator=(const CertificateVerifier&) = delete;

  struct State;  // OpenSSL objects: certificate_verifier.cpp only

 private:
  explicit CertificateVerifier(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Presented chains longer than this are refused as Unreadable (a hostile
// client must not make chain building expensive); real cards send one or two.
inline constexpr std::size_t kMaxPresentedChain = 8;
// Larger "certificates" are refused before parsing (a CPS certificate is ~2 KiB).
inline constexpr std::size_t kMaxCertificateSize = 16 * 1024;

// Stable lower-case names of the verdicts, for logs, audit details and metrics.
const char* to_string(http::CertificateVerdict verdict);

}  // namespace portier::tls
