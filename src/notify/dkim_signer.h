#pragma once
// Adds a DKIM-Signature (rsa-sha256, relaxed/relaxed) to a finished message
// with libopendkim, so receivers can tell portier's mail from forgeries.
// It never changes the message itself and never logs the key.
#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"

struct dkim_lib;  // libopendkim's DKIM_LIB

namespace portier {

struct DkimSettings {
  std::string domain;    // d=, normally the From address's domain
  std::string selector;  // s=; the public key lives at <selector>._domainkey.<domain>
  std::string key_file;  // RSA private key, PEM
};

class DkimSigner {
public:
  /// Reads the key file. Errors: InvalidInput when a field is empty or the
  /// file cannot be read or holds no PEM private key.
  static Result<std::unique_ptr<DkimSigner>> load(const DkimSettings& settings);
  ~DkimSigner();
  DkimSigner(const DkimSigner&) = delete;
  DkimSigner& operator=(const DkimSigner&) = delete;

  /// Returns `message` (CRLF line endings) with a DKIM-Signature header in
  /// front. Errors: Internal when libopendkim refuses (a broken key).
  Result<std::string> sign(const std::string& message) const;

  const std::string& domain() const { return settings_.domain; }

private:
  DkimSigner(DkimSettings settings, std::string key, dkim_lib* lib);
  DkimSettings settings_;
  std::string key_;  // PEM text
  dkim_lib* lib_;
  mutable std::mutex mutex_;  // one signature at a time per library handle
};

}  // namespace portier
