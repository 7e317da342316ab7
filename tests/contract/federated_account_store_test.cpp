// FederatedAccountStore on every backend: an account and its link written
// together; an identity linked already, an RPPS or an address in use, or an
// identifier taken refuse with the reason and leave nothing behind; many
// threads creating for the same identity make one account.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "contract/backends.h"
#include "storage/sql/database.h"
#include "storage/stores/sql_federated_account_store.h"

namespace portier::contract {
namespace {

class FederatedAccountStoreContract : public StoreContract {
protected:
  void SetUp() override {
    StoreContract::SetUp();
    db_ = std::static_pointer_cast<storage::sql::Database>(stores_.keep_alive);
    store_ = std::make_unique<storage::SqlFederatedAccountStore>(db_, clock_);
  }
  static Account member(std::string identifier, std::string email, std::string rpps) {
    Account a = sample_account(std::move(identifier), std::move(email));
    a.display_name = "Jeanne Dupont";
    a.rpps = std::move(rpps);
    a.status = AccountStatus::Active;
    return a;
  }
  FederatedLink link(std::string subject) {
    FederatedLink l;
    l.provider = "psc";
    l.issuer = "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet";
    l.subject = std::move(subject);
    l.person_id = "810002813839";
    l.display_name = "Jeanne Dupont";
    l.linked_at = clock_.now();
    return l;
  }
  long long rows(const char* sql) {
    auto lease = db_->acquire();
    auto r = storage::sql::read_rows(lease.query(sql), [](const storage::sql::Statement& s) { return s.int64(0); });
    return r && !r->empty() ? r->front() : -1;
  }
  std::shared_ptr<storage::sql::Database> db_;
  std::unique_ptr<storage::SqlFederatedAccountStore> store_;
};

TEST_P(FederatedAccountStoreContract, TheAccountAndItsLinkAreWrittenTogether) {
  auto made = store_->create_linked(member("jeanne.dupont", "jeanne@example.org", "10002813839"), link("f:1"));
  ASSERT_TRUE(made) << made.error().detail;
  EXPECT_GT(made->id, 0);
  EXPECT_EQ(made->created_at, clock_.now());
  auto stored = accounts().find_by_id(made->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->identifier, "jeanne.dupont");
  EXPECT_EQ(stored->rpps, std::optional<std::string>("10002813839"));
  EXPECT_EQ(stored->status, AccountStatus::Active);
  EXPECT_EQ(stored->role, Role::Member);
  EXPECT_EQ(rows("SELECT count(*) FROM federated_identities"), 1);
  EXPECT_EQ(rows("SELECT account_id FROM federated_identities WHERE subject = 'f:1'"), made->id);
}

TEST_P(FederatedAccountStoreContract, EachConflictSaysWhyAndWritesNothing) {
  ASSERT_TRUE(store_->create_linked(member("jeanne.dupont", "jeanne@example.org", "10002813839"), link("f:1")));
  struct Case {
    Account account;
    std::string subject;
    const char* why;
  } cases[] = {
      {member("autre", "autre@example.org", "20002813838"), "f:1", "identity"},
      {member("autre", "autre@example.org", "10002813839"), "f:2", "rpps"},
      {member("autre", "JEANNE@Example.org", "20002813838"), "f:2", "email"},
      {member("Jeanne.Dupont", "autre@example.org", "20002813838"), "f:2", "identifier"},
  };
  for (const auto& c : cases) {
    auto r = store_->create_linked(c.account, link(c.subject));
    ASSERT_FALSE(r) << c.why;
    EXPECT_EQ(r.error().code, ErrorCode::Conflict) << c.why;
    EXPECT_EQ(r.error().detail, c.why);
  }
  EXPECT_EQ(rows("SELECT count(*) FROM accounts"), 1);
  EXPECT_EQ(rows("SELECT count(*) FROM federated_identities"), 1);
}

TEST_P(FederatedAccountStoreContract, ManyThreadsCreatingForOneIdentityMakeOneAccount) {
  constexpr int kThreads = 8;
  std::atomic<int> created{0}, refused{0}, failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      // Different identifiers and addresses: only the identity (and the RPPS) is shared.
      auto r = store_->create_linked(
          member("jeanne" + std::to_string(i), "j" + std::to_string(i) + "@example.org", "10002813839"), link("f:1"));
      if (r) ++created;
      else if (r.error().code == ErrorCode::Conflict) ++refused;
      else ++failed;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(rows("SELECT count(*) FROM accounts"), 1);
  EXPECT_EQ(rows("SELECT count(*) FROM federated_identities"), 1);
}

PORTIER_CONTRACT_SUITE(FederatedAccountStoreContract);

}  // namespace
}  // namespace portier::contract
