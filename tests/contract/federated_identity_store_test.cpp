// FederatedIdentityStore on every backend: a linked identity reads back; a
// second link of the same (issuer, subject), or a second identity at the
// same provider for one account, is a Conflict; several threads linking one
// identity at once leave one row; touch records the last use; the list is
// per account, most recent first; unlink says whether there was anything;
// deleting the account takes its identities along.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "contract/backends.h"
#include "storage/sql/database.h"

namespace portier::contract {
namespace {

constexpr const char* kPsc = "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet";
constexpr const char* kHospital = "https://idp.chu.example/realms/staff";

class FederatedIdentityStoreContract : public StoreContract {
protected:
  void SetUp() override {
    StoreContract::SetUp();
    member_ = create_account("jdupont").id;
    other_ = create_account("mcurie").id;
  }
  FederatedIdentityStore& identities() { return *stores_.federated_identities; }
  FederatedLink identity(std::string provider, std::string issuer, std::string subject, AccountId account,
                         TimePoint at) {
    FederatedLink l;
    l.provider = std::move(provider);
    l.issuer = std::move(issuer);
    l.subject = std::move(subject);
    l.account_id = account;
    l.person_id = "810002813839";
    l.display_name = "Jean Dupont";
    l.linked_at = at;
    return l;
  }
  AccountId member_ = 0;
  AccountId other_ = 0;
};

TEST_P(FederatedIdentityStoreContract, ALinkedIdentityReadsBackAndIsLinkedOnce) {
  auto t0 = clock_.now();
  ASSERT_TRUE(identities().link(identity("psc", kPsc, "sub-1", member_, t0)));
  auto got = identities().find(kPsc, "sub-1");
  ASSERT_TRUE(got) << got.error().detail;
  EXPECT_EQ(got->provider, "psc");
  EXPECT_EQ(got->issuer, kPsc);
  EXPECT_EQ(got->subject, "sub-1");
  EXPECT_EQ(got->account_id, member_);
  EXPECT_EQ(got->person_id, "810002813839");
  EXPECT_EQ(got->display_name, "Jean Dupont");
  EXPECT_EQ(got->linked_at, t0);
  EXPECT_FALSE(got->last_used_at);
  // The same identity for another account: refused, the first link stays.
  auto again = identities().link(identity("psc", kPsc, "sub-1", other_, t0));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::Conflict);
  EXPECT_EQ(identities().find(kPsc, "sub-1")->account_id, member_);
  // A second identity at the same provider for the same account: refused.
  auto second = identities().link(identity("psc", kPsc, "sub-2", member_, t0));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::Conflict);
  // The same sub at another issuer is another identity.
  EXPECT_TRUE(identities().link(identity("chu", kHospital, "sub-1", member_, t0)));
  EXPECT_EQ(identities().find(kPsc, "sub-2").error().code, ErrorCode::NotFound);
  EXPECT_EQ(identities().find(kHospital, "sub-1")->provider, "chu");
}

TEST_P(FederatedIdentityStoreContract, TouchListAndUnlinkOnlyForTheOwner) {
  auto t0 = clock_.now();
  ASSERT_TRUE(identities().link(identity("psc", kPsc, "sub-1", member_, t0)));
  ASSERT_TRUE(identities().link(identity("chu", kHospital, "h-1", member_, t0 + std::chrono::seconds(5))));
  ASSERT_TRUE(identities().link(identity("psc", kPsc, "sub-9", other_, t0)));
  ASSERT_TRUE(identities().touch(kPsc, "sub-1", t0 + std::chrono::seconds(60)));
  EXPECT_EQ(identities().touch(kPsc, "nobody", t0).error().code, ErrorCode::NotFound);
  auto mine = identities().list_for_account(member_);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ(mine->at(0).provider, "chu");  // most recently linked first
  EXPECT_EQ(mine->at(1).last_used_at, t0 + std::chrono::seconds(60));
  auto r = identities().unlink(other_, "chu");  // she has none there
  ASSERT_TRUE(r);
  EXPECT_FALSE(*r);
  r = identities().unlink(member_, "psc");
  ASSERT_TRUE(r);
  EXPECT_TRUE(*r);
  EXPECT_EQ(identities().find(kPsc, "sub-1").error().code, ErrorCode::NotFound);
  EXPECT_EQ(identities().find(kPsc, "sub-9")->account_id, other_);
  EXPECT_EQ(identities().list_for_account(member_)->size(), 1u);
  // Unlinked, the identity may be linked again (to anyone).
  EXPECT_TRUE(identities().link(identity("psc", kPsc, "sub-1", member_, t0)));
}

TEST_P(FederatedIdentityStoreContract, SeveralThreadsLinkingOneIdentityLeaveOneRow) {
  std::vector<AccountId> accounts{member_, other_};
  for (int n = 0; n < 4; ++n) accounts.push_back(create_account("extra" + std::to_string(n)).id);
  std::atomic<int> linked{0}, conflicts{0}, errors{0};
  std::vector<std::thread> threads;
  for (auto account : accounts)
    threads.emplace_back([&, account] {
      auto r = identities().link(identity("psc", kPsc, "sub-race", account, clock_.now()));
      if (r) ++linked;
      else if (r.error().code == ErrorCode::Conflict) ++conflicts;
      else ++errors;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(linked.load(), 1);
  EXPECT_EQ(conflicts.load(), static_cast<int>(accounts.size()) - 1);
  EXPECT_EQ(errors.load(), 0);
  auto db = std::static_pointer_cast<storage::sql::Database>(stores_.keep_alive);
  auto lease = db->acquire();
  auto stmt = lease.query("SELECT count(*) FROM federated_identities");
  ASSERT_TRUE(stmt);
  ASSERT_TRUE(stmt->step().value());
  EXPECT_EQ(stmt->int64(0), 1);
}

TEST_P(FederatedIdentityStoreContract, DeletingTheAccountUnlinksItsIdentities) {
  ASSERT_TRUE(identities().link(identity("psc", kPsc, "sub-1", member_, clock_.now())));
  auto db = std::static_pointer_cast<storage::sql::Database>(stores_.keep_alive);
  auto lease = db->acquire();
  ASSERT_TRUE(lease.run("DELETE FROM accounts WHERE id = ?", member_));
  EXPECT_EQ(identities().find(kPsc, "sub-1").error().code, ErrorCode::NotFound);
}

PORTIER_CONTRACT_SUITE(FederatedIdentityStoreContract);

}  // namespace
}  // namespace portier::contract
