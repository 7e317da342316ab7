#pragma once
// What a "link and code" message carries (forgot password, invitations): a
// 256-bit link token and a 16-character code without look-alikes (≈79 bits),
// both stored only as keyed hashes under their purposes.
#include <string>
#include <vector>

#include "common/random.h"
#include "common/secret_hasher.h"
#include "flow/token_flow_store.h"

namespace portier {

struct LinkAndCode {
  std::string link;                  // for the URL, never stored
  std::string code;                  // ungrouped, never stored
  std::vector<OneTimeToken> tokens;  // what the store keeps
};

LinkAndCode draw_link_and_code(Random& random, const SecretHasher& secrets, std::string_view link_purpose,
                               std::string_view code_purpose, AccountId account, TimePoint now, TimePoint expires,
                               std::size_t code_length = 16);

}  // namespace portier
