#include <gtest/gtest.h>

#include "contract/backends.h"

namespace portier::contract {
namespace {

class TotpStoreContract : public StoreContract {
protected:
  TotpStore& totp() { return *stores_.totp; }
};

TEST_P(TotpStoreContract, APendingSecretIsNotAnApp) {
  auto a = create_account("marie");
  EXPECT_EQ(totp().find(a.id).error().code, ErrorCode::NotFound);
  ASSERT_TRUE(totp().save_pending(a.id, "box-1", clock_.now()));
  ASSERT_TRUE(totp().save_pending(a.id, "box-2", clock_.now()));
  auto row = totp().find(a.id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->pending_box, "box-2");
  EXPECT_FALSE(row->is_enrolled());
  EXPECT_EQ(*totp().claim_step(a.id, 10), false);
}

TEST_P(TotpStoreContract, ConfirmMovesThePendingSecretOnlyIfUnchanged) {
  auto a = create_account("marie");
  ASSERT_TRUE(totp().save_pending(a.id, "box-1", clock_.now()));
  ASSERT_TRUE(totp().save_pending(a.id, "box-2", clock_.now()));
  auto stale = totp().confirm(a.id, "box-1", 100, clock_.now(), {"h1"});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::FlowStateInvalid);
  ASSERT_TRUE(totp().confirm(a.id, "box-2", 100, clock_.now(), {"h1", "h2"}));
  auto row = totp().find(a.id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->secret_box, "box-2");
  EXPECT_EQ(row->pending_box, std::nullopt);
  EXPECT_EQ(row->last_step, 100);
  EXPECT_EQ(row->confirmed_at, clock_.now());
  EXPECT_EQ(*totp().count_recovery_codes(a.id), 2);
  EXPECT_EQ(totp().confirm(a.id, "box-2", 101, clock_.now(), {}).error().code, ErrorCode::FlowStateInvalid);
}

TEST_P(TotpStoreContract, AStepIsClaimedOnceAndNeverAfterANewerOne) {
  auto a = create_account("marie");
  ASSERT_TRUE(totp().save_pending(a.id, "box", clock_.now()));
  ASSERT_TRUE(totp().confirm(a.id, "box", 100, clock_.now(), {}));
  EXPECT_EQ(*totp().claim_step(a.id, 100), false);
  EXPECT_EQ(*totp().claim_step(a.id, 102), true);
  EXPECT_EQ(*totp().claim_step(a.id, 102), false);
  EXPECT_EQ(*totp().claim_step(a.id, 101), false);
  EXPECT_EQ(*totp().claim_step(a.id, 103), true);
  // A replacement pending does not disturb the app in use.
  ASSERT_TRUE(totp().save_pending(a.id, "box-new", clock_.now()));
  EXPECT_EQ(*totp().claim_step(a.id, 104), true);
  EXPECT_EQ(totp().find(a.id)->secret_box, "box");
}

TEST_P(TotpStoreContract, RecoveryCodesAreSpentOnceByTheirOwner) {
  auto a = create_account("marie");
  auto b = create_account("jean", "jean@example.org");
  ASSERT_TRUE(totp().save_pending(a.id, "box", clock_.now()));
  ASSERT_TRUE(totp().confirm(a.id, "box", 1, clock_.now(), {"h1", "h2", "h3"}));
  EXPECT_EQ(*totp().use_recovery_code(b.id, "h1", clock_.now()), false);
  EXPECT_EQ(*totp().use_recovery_code(a.id, "h1", clock_.now()), true);
  EXPECT_EQ(*totp().use_recovery_code(a.id, "h1", clock_.now()), false);
  EXPECT_EQ(*totp().use_recovery_code(a.id, "unknown", clock_.now()), false);
  EXPECT_EQ(*totp().count_recovery_codes(a.id), 2);
  ASSERT_TRUE(totp().replace_recovery_codes(a.id, {"h4"}));
  EXPECT_EQ(*totp().use_recovery_code(a.id, "h2", clock_.now()), false);
  EXPECT_EQ(*totp().count_recovery_codes(a.id), 1);
}

TEST_P(TotpStoreContract, RemoveDeletesTheAppAndItsCodes) {
  auto a = create_account("marie");
  ASSERT_TRUE(totp().save_pending(a.id, "box", clock_.now()));
  ASSERT_TRUE(totp().confirm(a.id, "box", 1, clock_.now(), {"h1"}));
  ASSERT_TRUE(totp().remove(a.id));
  EXPECT_EQ(totp().find(a.id).error().code, ErrorCode::NotFound);
  EXPECT_EQ(*totp().count_recovery_codes(a.id), 0);
  EXPECT_EQ(*totp().use_recovery_code(a.id, "h1", clock_.now()), false);
  ASSERT_TRUE(totp().remove(a.id));
}

TEST_P(TotpStoreContract, APendingKeyKeepsWhenItWasDrawnAndCanBeCleared) {
  auto a = create_account("marie");
  ASSERT_TRUE(totp().save_pending(a.id, "box", clock_.now()));
  auto row = totp().find(a.id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->pending_at, clock_.now());
  ASSERT_TRUE(totp().clear_pending(a.id));
  // Only a pending key: nothing is left of the row.
  EXPECT_EQ(totp().find(a.id).error().code, ErrorCode::NotFound);
  ASSERT_TRUE(totp().clear_pending(a.id));
}

TEST_P(TotpStoreContract, ClearingAPendingKeyKeepsTheEnrolledApp) {
  auto a = create_account("marie");
  ASSERT_TRUE(totp().save_pending(a.id, "box", clock_.now()));
  ASSERT_TRUE(totp().confirm(a.id, "box", 1, clock_.now(), {"h1"}));
  ASSERT_TRUE(totp().save_pending(a.id, "box-new", clock_.now()));
  ASSERT_TRUE(totp().clear_pending(a.id));
  auto row = totp().find(a.id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->secret_box, "box");
  EXPECT_EQ(row->pending_box, std::nullopt);
  EXPECT_EQ(row->pending_at, std::nullopt);
  EXPECT_EQ(*totp().count_recovery_codes(a.id), 1);
}

PORTIER_CONTRACT_SUITE(TotpStoreContract);

}  // namespace
}  // namespace portier::contract
