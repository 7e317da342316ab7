// LinkedCardStore on every backend: a linked card reads back, a second link
// of the same certificate is a Conflict (whoever asks), touch records the
// last use, the list is per account, unlink says whether there was anything
// and only for the owner, the RPPS lookup finds the accounts that carry it,
// and deleting the account takes its cards along.
#include <gtest/gtest.h>

#include "contract/backends.h"
#include "storage/sql/database.h"

namespace portier::contract {
namespace {

class LinkedCardStoreContract : public StoreContract {
protected:
  void SetUp() override {
    StoreContract::SetUp();
    auto a = sample_account("jdupont");
    a.rpps = "10002813839";
    member_ = accounts().create(a).value().id;
    other_ = create_account("mcurie").id;
  }
  LinkedCardStore& cards() { return *stores_.linked_cards; }
  LinkedCard card(std::string sha, AccountId account, TimePoint at) {
    LinkedCard c;
    c.sha256 = std::move(sha);
    c.account_id = account;
    c.subject = "CN=810002813839+SN=DUPONT+GN=JEAN,title=Médecin,C=FR";
    c.issuer = "CN=TEST AC IGC-SANTE FORT PERSONNES,O=portier test,C=FR";
    c.serial = "0A1B";
    c.holder = "Jean Dupont";
    c.not_after = at + std::chrono::hours(24 * 365);
    c.linked_at = at;
    return c;
  }
  AccountId member_ = 0;
  AccountId other_ = 0;
};

TEST_P(LinkedCardStoreContract, ALinkedCardReadsBackAndIsLinkedOnce) {
  auto t0 = clock_.now();
  ASSERT_TRUE(cards().link(card("aa11", member_, t0)));
  auto got = cards().find("aa11");
  ASSERT_TRUE(got) << got.error().detail;
  EXPECT_EQ(got->account_id, member_);
  EXPECT_EQ(got->subject, "CN=810002813839+SN=DUPONT+GN=JEAN,title=Médecin,C=FR");
  EXPECT_EQ(got->holder, "Jean Dupont");
  EXPECT_EQ(got->serial, "0A1B");
  EXPECT_EQ(got->not_after, t0 + std::chrono::hours(24 * 365));
  EXPECT_EQ(got->linked_at, t0);
  EXPECT_FALSE(got->last_used_at);
  auto again = cards().link(card("aa11", other_, t0));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::Conflict);
  EXPECT_EQ(cards().find("aa11")->account_id, member_);
  EXPECT_EQ(cards().find("bb22").error().code, ErrorCode::NotFound);
}

TEST_P(LinkedCardStoreContract, TouchListAndUnlinkOnlyForTheOwner) {
  auto t0 = clock_.now();
  ASSERT_TRUE(cards().link(card("aa11", member_, t0)));
  ASSERT_TRUE(cards().link(card("bb22", member_, t0 + std::chrono::seconds(5))));
  ASSERT_TRUE(cards().link(card("cc33", other_, t0)));
  ASSERT_TRUE(cards().touch("aa11", t0 + std::chrono::seconds(60)));
  EXPECT_EQ(cards().touch("zz99", t0).error().code, ErrorCode::NotFound);
  auto mine = cards().list_for_account(member_);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ(mine->at(0).sha256, "bb22");  // most recently linked first
  EXPECT_EQ(mine->at(1).last_used_at, t0 + std::chrono::seconds(60));
  auto r = cards().unlink(other_, "aa11");  // not hers
  ASSERT_TRUE(r);
  EXPECT_FALSE(*r);
  r = cards().unlink(member_, "aa11");
  ASSERT_TRUE(r);
  EXPECT_TRUE(*r);
  EXPECT_EQ(cards().find("aa11").error().code, ErrorCode::NotFound);
  EXPECT_EQ(cards().list_for_account(member_)->size(), 1u);
}

TEST_P(LinkedCardStoreContract, TheRppsLeadsToItsAccounts) {
  auto found = cards().accounts_with_rpps("10002813839");
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, std::vector<AccountId>{member_});
  EXPECT_TRUE(cards().accounts_with_rpps("99999999999")->empty());
}

TEST_P(LinkedCardStoreContract, DeletingTheAccountUnlinksItsCards) {
  ASSERT_TRUE(cards().link(card("aa11", member_, clock_.now())));
  auto db = std::static_pointer_cast<storage::sql::Database>(stores_.keep_alive);
  auto lease = db->acquire();
  ASSERT_TRUE(lease.run("DELETE FROM accounts WHERE id = ?", member_));
  EXPECT_EQ(cards().find("aa11").error().code, ErrorCode::NotFound);
}

PORTIER_CONTRACT_SUITE(LinkedCardStoreContract);

}  // namespace
}  // namespace portier::contract
