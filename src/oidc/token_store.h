#pragma once
// Where what the token side issued lives, shared by every node
// (storage/stores/sql_oidc_*_store.*): authorization codes, refresh tokens,
// access tokens and the private_key_jwt replay cache. Tokens are stored as
// keyed hashes (or, for JWT access tokens, by jti), never in clear: the
// service hashes, the stores compare. Four narrow interfaces, one per table.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_event.h"
#include "common/clock.h"
#include "common/result.h"
#include "oidc/code_grant.h"

namespace portier::oidc {

struct RedeemedCode {
  CodeGrant grant;
  TimePoint expires_at{};
  // The code had been redeemed before: the caller refuses and revokes what
  // the first redemption issued (RFC 6749 4.1.2).
  bool reused = false;
};

class CodeStore {
public:
  virtual ~CodeStore() = default;
  virtual Result<void> insert(std::string_view code_hash, const CodeGrant& grant, TimePoint created_at,
                              TimePoint expires_at) = 0;
  // Marks the code used with one compare-and-set UPDATE, so that of two
  // concurrent redemptions exactly one gets reused = false. NotFound when
  // unknown (expiry is the caller's check: an expired code is reported with
  // its expires_at).
  virtual Result<RedeemedCode> redeem(std::string_view code_hash, TimePoint now) = 0;
  virtual Result<int> purge_expired(TimePoint now) = 0;
};

struct RefreshToken {
  std::string token_hash;
  std::string family_id;  // one per code redemption; every rotation stays in it
  std::string client_id;
  AccountId account_id = 0;
  std::string sid;
  std::vector<std::string> scopes;
  TimePoint auth_time{};
  std::vector<std::string> amr;
  std::string acr;
  std::string code_hash;  // the code the family came from
  TimePoint created_at{};
  TimePoint expires_at{};         // idle end (never after family_expires_at)
  TimePoint family_expires_at{};  // absolute end of the family
  std::optional<TimePoint> rotated_at;
  std::optional<std::string> replaced_by;
  std::optional<TimePoint> revoked_at;
};

class RefreshTokenStore {
public:
  virtual ~RefreshTokenStore() = default;
  virtual Result<void> insert(const RefreshToken& token) = 0;
  // NotFound when unknown.
  virtual Result<RefreshToken> find(std::string_view token_hash) = 0;
  // In one transaction: marks `old_hash` rotated (replaced by next) if it is
  // neither rotated nor revoked yet, and inserts `next`. False, with nothing
  // written, when another request rotated or revoked it first.
  virtual Result<bool> rotate(std::string_view old_hash, const RefreshToken& next, TimePoint now) = 0;
  // The revocations answer the families they ended (for their access tokens).
  virtual Result<int> revoke_family(std::string_view family_id, TimePoint now) = 0;
  virtual Result<std::vector<std::string>> revoke_by_code(std::string_view code_hash, TimePoint now) = 0;
  virtual Result<std::vector<std::string>> revoke_for(AccountId account, std::string_view client_id,
                                                      TimePoint now) = 0;
  // The session's families that were not granted offline_access.
  virtual Result<std::vector<std::string>> revoke_for_session(std::string_view sid, TimePoint now) = 0;
  // Rows whose family ended (expired or revoked) before `now`.
  virtual Result<int> purge_expired(TimePoint now) = 0;
};

struct AccessTokenRecord {
  std::string token_key;  // keyed hash of an opaque token, or a JWT's jti
  bool jwt = false;
  std::string client_id;
  std::optional<AccountId> account_id;  // none for client_credentials
  std::string sid;
  std::vector<std::string> scopes;
  std::string audience;
  std::optional<TimePoint> auth_time;
  std::vector<std::string> amr;
  std::string acr;
  std::string family_id;  // refresh family it came with, if any
  std::string code_hash;  // code it came from, if any
  TimePoint created_at{};
  TimePoint expires_at{};
  std::optional<TimePoint> revoked_at;
};

class AccessTokenStore {
public:
  virtual ~AccessTokenStore() = default;
  virtual Result<void> insert(const AccessTokenRecord& token) = 0;
  // The token and the audit event of its grant, in one transaction: both
  // durable or neither (the token endpoint's hot path waits for one commit).
  virtual Result<void> insert(const AccessTokenRecord& token, const AuditEvent& event) = 0;
  // NotFound when unknown.
  virtual Result<AccessTokenRecord> find(std::string_view token_key) = 0;
  virtual Result<int> revoke(std::string_view token_key, TimePoint now) = 0;
  virtual Result<int> revoke_families(const std::vector<std::string>& family_ids, TimePoint now) = 0;
  virtual Result<int> revoke_by_code(std::string_view code_hash, TimePoint now) = 0;
  virtual Result<int> revoke_for(AccountId account, std::string_view client_id, TimePoint now) = 0;
  virtual Result<int> purge_expired(TimePoint now) = 0;
};

// private_key_jwt (RFC 7523 3): each client assertion's jti works once.
class AssertionReplayCache {
public:
  virtual ~AssertionReplayCache() = default;
  // True the first time (client_id, jti) is seen; false on a replay. Kept
  // until `expires_at` (the assertion's exp), then purged.
  virtual Result<bool> remember(std::string_view client_id, std::string_view jti, TimePoint expires_at) = 0;
  virtual Result<int> purge_expired(TimePoint now) = 0;
};

}  // namespace portier::oidc
