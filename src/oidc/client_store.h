#pragma once
// Where registered clients live, shared by every node
// (storage/stores/sql_client_store.*). Removing a client removes what was
// issued to it (codes, grants, tokens) through the schema's cascades.
#include <string_view>
#include <vector>

#include "common/result.h"
#include "oidc/client.h"

namespace portier::oidc {

class ClientStore {
public:
  virtual ~ClientStore() = default;
  // Conflict when the client_id exists.
  virtual Result<void> create(const Client& client) = 0;
  // NotFound when absent.
  virtual Result<Client> find(std::string_view client_id) = 0;
  // Every client, by name.
  virtual Result<std::vector<Client>> list() = 0;
  // Replaces the registration (all fields but client_id, secret_hash and
  // created_at). NotFound when absent.
  virtual Result<void> update(const Client& client) = 0;
  // A new secret (its hash); NotFound when absent.
  virtual Result<void> set_secret(std::string_view client_id, std::string_view secret_hash, TimePoint at) = 0;
  // NotFound when absent.
  virtual Result<void> remove(std::string_view client_id) = 0;
};

}  // namespace portier::oidc
