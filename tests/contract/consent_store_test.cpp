// oidc::ConsentStore on every backend: a grant reads back with its client's
// name, a second grant replaces the first (one row per member and client),
// touch moves last use, the list is most recent first, revoke says whether
// there was anything, and removing the client takes its consents along.
#include <gtest/gtest.h>

#include "contract/backends.h"

namespace portier::contract {
namespace {

using oidc::Consent;

class ConsentStoreContract : public StoreContract {
protected:
  void SetUp() override {
    StoreContract::SetUp();
    member_ = create_account("mcurie").id;
    for (auto [id, name] : {std::pair{"agenda", "Agenda"}, std::pair{"formation", "Formation"}}) {
      oidc::Client c;
      c.client_id = id;
      c.name = name;
      c.redirect_uris = {"https://app.example.org/cb"};
      c.created_at = c.updated_at = clock_.now();
      ASSERT_TRUE(stores_.clients->create(c));
    }
  }
  oidc::ConsentStore& consents() { return *stores_.consents; }
  Consent consent(std::string client, std::vector<std::string> scopes, TimePoint at, bool implicit = false) {
    return Consent{member_, std::move(client), {}, std::move(scopes), implicit, at, at};
  }
  AccountId member_ = 0;
};

TEST_P(ConsentStoreContract, GrantReadsBackAndReplaces) {
  auto t0 = clock_.now();
  ASSERT_TRUE(consents().grant(consent("agenda", {"openid", "email"}, t0)));
  auto got = consents().find(member_, "agenda");
  ASSERT_TRUE(got) << got.error().detail;
  EXPECT_EQ(got->client_name, "Agenda");
  EXPECT_EQ(got->scopes, (std::vector<std::string>{"openid", "email"}));
  EXPECT_FALSE(got->implicit);
  EXPECT_EQ(got->granted_at, t0);
  ASSERT_TRUE(consents().grant(consent("agenda", {"openid", "email", "phone"}, t0 + std::chrono::seconds(5))));
  got = consents().find(member_, "agenda");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->scopes.size(), 3u);
  auto all = consents().list_for_account(member_);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
  EXPECT_EQ(consents().find(member_, "formation").error().code, ErrorCode::NotFound);
}

TEST_P(ConsentStoreContract, TouchOrdersTheListAndRevokeSays) {
  auto t0 = clock_.now();
  ASSERT_TRUE(consents().grant(consent("agenda", {"openid"}, t0, true)));
  ASSERT_TRUE(consents().grant(consent("formation", {"openid"}, t0 + std::chrono::seconds(1))));
  ASSERT_TRUE(consents().touch(member_, "agenda", t0 + std::chrono::seconds(10)));
  auto all = consents().list_for_account(member_);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(0).client_id, "agenda");
  EXPECT_TRUE(all->at(0).implicit);
  EXPECT_EQ(all->at(0).last_used_at, t0 + std::chrono::seconds(10));
  EXPECT_EQ(consents().touch(member_, "nobody", t0).error().code, ErrorCode::NotFound);
  auto r = consents().revoke(member_, "agenda");
  ASSERT_TRUE(r);
  EXPECT_TRUE(*r);
  r = consents().revoke(member_, "agenda");
  ASSERT_TRUE(r);
  EXPECT_FALSE(*r);
}

TEST_P(ConsentStoreContract, RemovingTheClientRemovesItsConsents) {
  ASSERT_TRUE(consents().grant(consent("formation", {"openid"}, clock_.now())));
  ASSERT_TRUE(stores_.clients->remove("formation"));
  EXPECT_EQ(consents().find(member_, "formation").error().code, ErrorCode::NotFound);
}

PORTIER_CONTRACT_SUITE(ConsentStoreContract);

}  // namespace
}  // namespace portier::contract
