#include "notify/dkim_signer.h"

// dkim.h is C and spells booleans _Bool, which C++ does not know.
#define _Bool bool
#include <opendkim/dkim.h>
#undef _Bool

#include <fstream>
#include <sstream>

namespace portier {

Result<std::unique_ptr<DkimSigner>> DkimSigner::load(const DkimSettings& s) {
  if (s.domain.empty() || s.selector.empty() || s.key_file.empty())
    return fail(ErrorCode::InvalidInput, "DKIM needs a domain, a selector and a key file");
  std::ifstream in(s.key_file);
  if (!in) return fail(ErrorCode::InvalidInput, "cannot read DKIM key file " + s.key_file);
  std::stringstream ss;
  ss << in.rdbuf();
  auto key = ss.str();
  if (key.find("-----BEGIN") == std::string::npos || key.find("PRIVATE KEY-----") == std::string::npos)
    return fail(ErrorCode::InvalidInput, "DKIM key file " + s.key_file + " holds no PEM private key");
  DKIM_LIB* lib = dkim_init(nullptr, nullptr);
  if (!lib) return fail(ErrorCode::Internal, "libopendkim cannot initialise");
  return std::unique_ptr<DkimSigner>(new DkimSigner(s, std::move(key), lib));
}

DkimSigner::DkimSigner(DkimSettings settings, std::string key, dkim_lib* lib)
    : settings_(std::move(settings)), key_(std::move(key)), lib_(lib) {}

DkimSigner::~DkimSigner() { dkim_close(lib_); }

Result<std::string> DkimSigner::sign(const std::string& message) const {
  std::lock_guard lock(mutex_);
  DKIM_STAT status = DKIM_STAT_OK;
  // dkim_sign takes the key as a non-const buffer; give it a private copy.
  std::string key = key_;
  DKIM* dkim = dkim_sign(lib_, reinterpret_cast<const unsigned char*>("portier"), nullptr,
                         reinterpret_cast<unsigned char*>(key.data()),
                         reinterpret_cast<const unsigned char*>(settings_.selector.c_str()),
                         reinterpret_cast<const unsigned char*>(settings_.domain.c_str()), DKIM_CANON_RELAXED,
                         DKIM_CANON_RELAXED, DKIM_SIGN_RSASHA256, -1, &status);
  if (!dkim) return fail(ErrorCode::Internal, std::string("dkim_sign: ") + dkim_getresultstr(status));
  auto failed = [dkim](const char* step, DKIM_STAT st) {
    const char* why = dkim_geterror(dkim);
    auto detail = std::string(step) + ": " + dkim_getresultstr(st) + (why ? std::string(" (") + why + ")" : "");
    dkim_free(dkim);
    return fail(ErrorCode::Internal, detail);
  };
  // The whole message (headers, blank line, body) goes in as one chunk;
  // a NULL chunk says it is complete.
  std::string copy = message;
  status = dkim_chunk(dkim, reinterpret_cast<unsigned char*>(copy.data()), copy.size());
  if (status != DKIM_STAT_OK) return failed("dkim_chunk", status);
  status = dkim_chunk(dkim, nullptr, 0);
  if (status != DKIM_STAT_OK) return failed("dkim_chunk", status);
  status = dkim_eom(dkim, nullptr);
  if (status != DKIM_STAT_OK) return failed("dkim_eom", status);
  unsigned char* header = nullptr;
  std::size_t length = 0;
  static constexpr std::string_view kName = "DKIM-Signature: ";
  status = dkim_getsighdr_d(dkim, kName.size(), &header, &length);
  if (status != DKIM_STAT_OK) return failed("dkim_getsighdr", status);
  // The library folds with bare "\n\t"; the message must stay CRLF throughout.
  std::string folded;
  for (std::size_t i = 0; i < length; ++i) {
    if (header[i] == '\n' && (i == 0 || header[i - 1] != '\r')) folded += '\r';
    folded += static_cast<char>(header[i]);
  }
  dkim_free(dkim);
  std::string out;
  out.reserve(kName.size() + folded.size() + 2 + message.size());
  out.append(kName).append(folded).append("\r\n").append(message);
  return out;
}

}  // namespace portier
