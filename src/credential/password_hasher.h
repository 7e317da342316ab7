#pragma once
// Hashes and verifies member passwords with argon2id (libsodium). Never logs
// or keeps a password; verification time does not depend on which byte differs.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace portier {

// Defaults are the OWASP argon2id baseline (19 MiB, t=2, p=1).
struct Argon2Params {
  std::uint32_t memory_kib = 19456;
  std::uint32_t iterations = 2;
  std::uint32_t parallelism = 1;
};

// Every problem with params, for startup validation; empty when valid.
std::vector<std::string> validate(const Argon2Params& params);

class PasswordHasher {
public:
  // Throws std::runtime_error when params are invalid or the dummy hash cannot
  // be made: construction happens at startup, where exceptions are the way out.
  explicit PasswordHasher(Argon2Params params);
  // Virtual so that tests can count the hashes a flow computes (a refusal
  // must come before any: tests/unit/flow/sign_in_gate_test.cpp).
  virtual ~PasswordHasher() = default;

  // PHC string "$argon2id$v=19$m=...,t=...,p=1$salt$hash"; Internal on out-of-memory.
  virtual Result<std::string> hash(std::string_view password) const;
  // False for a wrong password and for an empty or malformed phc.
  virtual bool verify(std::string_view phc, std::string_view password) const;
  // True when phc was made with other params (or is not argon2id): rehash at next sign-in.
  bool needs_rehash(std::string_view phc) const;
  // Costs one verification against a hash made at construction, so that an
  // unknown identifier takes as long as a known one. Always returns false.
  virtual bool verify_dummy(std::string_view password) const;

  const Argon2Params& params() const { return params_; }

private:
  Argon2Params params_;
  std::string dummy_phc_;
};

}  // namespace portier
