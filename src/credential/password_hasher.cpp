#include "credential/password_hasher.h"

#include <sodium.h>

#include <stdexcept>

namespace portier {
namespace {

// libsodium accepts larger limits, but a hash needing more than 4 GiB per
// sign-in is a configuration mistake, not a choice.
constexpr std::uint64_t kMaxMemoryKib = 4ull * 1024 * 1024;

std::size_t memlimit(const Argon2Params& p) { return std::size_t{p.memory_kib} * 1024; }

}  // namespace

std::vector<std::string> validate(const Argon2Params& p) {
  std::vector<std::string> problems;
  // libsodium's argon2id is single-lane; accepting p>1 would silently store p=1.
  if (p.parallelism != 1) problems.push_back("argon2 parallelism must be 1 (libsodium supports only one lane)");
  if (p.memory_kib < crypto_pwhash_argon2id_MEMLIMIT_MIN / 1024) problems.push_back("argon2 memory must be at least 8 KiB");
  if (p.memory_kib > kMaxMemoryKib) problems.push_back("argon2 memory must be at most 4 GiB");
  if (p.iterations < crypto_pwhash_argon2id_OPSLIMIT_MIN) problems.push_back("argon2 iterations must be at least 1");
  return problems;
}

PasswordHasher::PasswordHasher(Argon2Params params) : params_(params) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
  if (auto problems = validate(params_); !problems.empty()) throw std::runtime_error(problems.front());
  // A random password: nobody can make verify_dummy's comparison succeed on purpose.
  unsigned char secret[32];
  randombytes_buf(secret, sizeof secret);
  auto dummy = hash(std::string_view(reinterpret_cast<char*>(secret), sizeof secret));
  sodium_memzero(secret, sizeof secret);
  if (!dummy) throw std::runtime_error("argon2 dummy hash failed: " + dummy.error().detail);
  dummy_phc_ = std::move(*dummy);
}

Result<std::string> PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  // "" keeps the pointer non-null for an empty view.
  const char* data = password.empty() ? "" : password.data();
  if (crypto_pwhash_str_alg(out, data, password.size(), params_.iterations, memlimit(params_),
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail(ErrorCode::Internal, "argon2id hashing failed (out of memory)");
  }
  return std::string(out);
}

bool PasswordHasher::verify(std::string_view phc, std::string_view password) const {
  // libsodium reads a NUL-terminated string; an over-long one cannot be ours.
  if (phc.empty() || phc.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string stored(phc);
  const char* data = password.empty() ? "" : password.data();
  return crypto_pwhash_str_verify(stored.c_str(), data, password.size()) == 0;
}

bool PasswordHasher::needs_rehash(std::string_view phc) const {
  if (phc.empty() || phc.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string stored(phc);
  // -1 (not argon2id or malformed) also means "replace it".
  return crypto_pwhash_argon2id_str_needs_rehash(stored.c_str(), params_.iterations, memlimit(params_)) != 0;
}

bool PasswordHasher::verify_dummy(std::string_view password) const {
  (void)verify(dummy_phc_, password);
  return false;
}

}  // namespace portier
