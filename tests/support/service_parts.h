#pragma once
// The real parts most service tests need, over one in-memory SQLite database
// with a FakeClock: stores, hashing with small argon2 parameters, sessions,
// the admin service to create accounts, the outbox, rate limits and the mail
// composer with the real templates. A test fixture inherits it and adds the
// service under test.
#include <gtest/gtest.h>

#include "admin/account_admin_service.h"
#include "notify/message_composer.h"
#include "storage/stores/sql_outbox_store.h"
#include "storage/stores/sql_rate_limit_store.h"
#include "support/sqlite_fixture.h"
#include "throttle/rate_limiter.h"

namespace portier::testing_support {

inline const char* kTestPassword = "une longue phrase de passe";

struct ServiceParts {
  SqliteStores s;
  SecretHasher secrets{std::string(32, 'k')};
  SodiumRandom random;
  AuditLog audit{*s.audit, s.clock};
  PasswordHasher hasher{Argon2Params{1024, 1, 1}};
  PasswordPolicy policy{PasswordPolicyConfig{},
                        std::make_shared<PasswordBlocklist>(PasswordBlocklist::from_words({"motdepasse1234"}))};
  SessionService sessions{*s.sessions, secrets, random, s.clock, SessionPolicy{}};
  AccountAdminService admin{*s.accounts, sessions, hasher, policy, audit, random, s.clock, AdminSettings{"portier"}};
  storage::SqlOutboxStore outbox{s.db};
  storage::SqlRateLimitStore limits{s.db};
  RateLimiter limiter{limits, s.clock};
  MessageComposer composer{std::string(PORTIER_SOURCE_DIR) + "/templates/mail", "portier", "https://portail.example"};

  // An active member with kTestPassword; `email` defaults to <id>@example.org.
  Account add_member(const std::string& id, const std::string& email = "") {
    auto a = admin.add(NewAccount{id, email.empty() ? id + "@example.org" : email, "Dr " + id, "", "", Role::Member,
                                  kTestPassword},
                       std::nullopt, {});
    EXPECT_TRUE(a) << (a ? "" : a.error().detail);
    return a ? *a : Account{};
  }
  std::vector<OutboundMessage> messages() { return *outbox.list(100, 0); }
};

}  // namespace portier::testing_support
