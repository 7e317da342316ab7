#pragma once
// Where the provider's signing keys live, shared by every node of a cluster
// (storage/stores/sql_signing_key_store.*). Each algorithm has at most one
// `active` key (it signs) and one `next` key (published ahead of use); the
// store guarantees that, so nodes starting or rotating together cannot make
// two. Private keys arrive and leave sealed (common/secret_box.h): the store
// never sees one in clear.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "oidc/jose/algorithm.h"

namespace portier::oidc {

enum class KeyState { Next, Active, Retired };

std::string_view to_string(KeyState state);
std::optional<KeyState> parse_key_state(std::string_view text);

struct StoredSigningKey {
  std::string kid;  // RFC 7638 thumbprint of the public key
  jose::JwsAlg alg = jose::JwsAlg::RS256;
  KeyState state = KeyState::Next;
  std::string public_jwk;   // serialized JSON object, as the JWKS serves it
  std::string private_box;  // sealed PKCS#8 PEM
  TimePoint created_at;
  std::optional<TimePoint> activated_at;
  std::optional<TimePoint> retired_at;
};

class SigningKeyStore {
public:
  virtual ~SigningKeyStore() = default;
  // Every stored key, any state, oldest first.
  virtual Result<std::vector<StoredSigningKey>> list() = 0;
  // Inserts `key` (state Active or Next) unless its algorithm's slot for
  // that state is taken: false then, and the caller re-reads the winner.
  virtual Result<bool> insert_if_free(const StoredSigningKey& key) = 0;
  // One transaction: `active_kid` becomes retired at `now`, `next_kid`
  // becomes active at `now`, `new_next` is inserted as next. False, with
  // nothing changed, when either key is no longer in the expected state
  // (another node rotated first).
  virtual Result<bool> rotate(std::string_view active_kid, std::string_view next_kid, const StoredSigningKey& new_next,
                              TimePoint now) = 0;
  // Deletes the keys retired at or before `cutoff`; how many went.
  virtual Result<int> delete_retired(TimePoint cutoff) = 0;
};

}  // namespace portier::oidc
