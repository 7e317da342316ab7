#pragma once
// Small RAII helpers over OpenSSL 3 handles, shared by the jose/ files.
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

namespace portier::oidc::jose::detail {

struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); } };
using BioPtr = std::unique_ptr<BIO, BioFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// The newest OpenSSL error as text, and the queue emptied, for a Result's detail.
inline std::string openssl_error(const char* what) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  char buf[256] = {0};
  if (code) ERR_error_string_n(code, buf, sizeof buf);
  return std::string(what) + (code ? std::string(": ") + buf : std::string());
}

}  // namespace portier::oidc::jose::detail
