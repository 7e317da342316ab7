// AccountStore::create_many: the CSV import's all-or-nothing write.
#include "contract/backends.h"

namespace portier::contract {
namespace {

class AccountStoreCreateManyContract : public StoreContract {};
PORTIER_CONTRACT_SUITE(AccountStoreCreateManyContract);

TEST_P(AccountStoreCreateManyContract, CreatesEveryAccountInOrder) {
  auto created = accounts().create_many({sample_account("alpha"), sample_account("bravo"), sample_account("charlie")});
  ASSERT_TRUE(created) << created.error().detail;
  ASSERT_EQ(created->size(), 3u);
  EXPECT_EQ((*created)[0].identifier, "alpha");
  EXPECT_EQ((*created)[2].identifier, "charlie");
  EXPECT_GT((*created)[2].id, (*created)[0].id);
  EXPECT_EQ((*created)[1].created_at, clock_.now());
  EXPECT_TRUE(accounts().find_by_identifier("bravo"));
}

TEST_P(AccountStoreCreateManyContract, OneTakenIdentifierCreatesNothing) {
  create_account("bravo");
  auto created = accounts().create_many({sample_account("alpha"), sample_account("BRAVO"), sample_account("charlie")});
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, ErrorCode::Conflict);
  EXPECT_EQ(created.error().detail, "BRAVO");
  EXPECT_EQ(accounts().find_by_identifier("alpha").error().code, ErrorCode::NotFound) << "rolled back";
  EXPECT_EQ(accounts().find_by_identifier("charlie").error().code, ErrorCode::NotFound);
  EXPECT_EQ(accounts().list(10, 0)->size(), 1u);
}

TEST_P(AccountStoreCreateManyContract, DuplicatesWithinTheBatchCreateNothing) {
  auto created = accounts().create_many({sample_account("alpha"), sample_account("Alpha")});
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, ErrorCode::Conflict);
  EXPECT_TRUE(accounts().list(10, 0)->empty());
}

TEST_P(AccountStoreCreateManyContract, AnEmptyBatchIsFine) {
  auto created = accounts().create_many({});
  ASSERT_TRUE(created);
  EXPECT_TRUE(created->empty());
}

}  // namespace
}  // namespace portier::contract
