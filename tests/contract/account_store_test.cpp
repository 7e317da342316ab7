#include <algorithm>

#include "contract/backends.h"

namespace portier::contract {
namespace {

using namespace std::chrono_literals;

class AccountStoreContract : public StoreContract {};
PORTIER_CONTRACT_SUITE(AccountStoreContract);

TEST_P(AccountStoreContract, CreateSetsIdAndCreatedAtFromTheClock) {
  Account input = sample_account("mcurie");
  input.phone = "+33612345678";
  input.rpps = "10001234567";
  input.code_channel = CodeChannel::Sms;
  auto created = accounts().create(input);
  ASSERT_TRUE(created) << created.error().detail;
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->created_at, clock_.now());
  EXPECT_EQ(created->identifier, "mcurie");
  EXPECT_EQ(created->phone, "+33612345678");
  EXPECT_EQ(created->rpps, "10001234567");
  EXPECT_EQ(created->code_channel, CodeChannel::Sms);
  EXPECT_EQ(created->status, AccountStatus::Pending);
  EXPECT_EQ(created->password_hash, "");
  EXPECT_FALSE(created->last_sign_in_at);

  auto found = accounts().find_by_id(created->id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->identifier, "mcurie");
  EXPECT_EQ(found->created_at, clock_.now());
}

TEST_P(AccountStoreContract, DuplicateIdentifierInAnotherCaseIsConflict) {
  create_account("mcurie");
  auto again = accounts().create(sample_account("MCurie"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::Conflict);
}

TEST_P(AccountStoreContract, FindByIdentifierIgnoresCase) {
  Account a = create_account("mcurie");
  auto found = accounts().find_by_identifier("MCURIE");
  ASSERT_TRUE(found) << found.error().detail;
  EXPECT_EQ(found->id, a.id);
}

TEST_P(AccountStoreContract, UnknownAccountIsNotFound) {
  EXPECT_EQ(accounts().find_by_identifier("nobody").error().code, ErrorCode::NotFound);
  EXPECT_EQ(accounts().find_by_id(4242).error().code, ErrorCode::NotFound);
  EXPECT_EQ(accounts().set_status(4242, AccountStatus::Active).error().code, ErrorCode::NotFound);
}

TEST_P(AccountStoreContract, FindByEmailReturnsEveryAccountOldestFirst) {
  Account first = create_account("first", "shared@example.org");
  clock_.advance(1s);
  Account second = create_account("second", "Shared@Example.org");
  create_account("other", "other@example.org");

  auto found = accounts().find_by_email("SHARED@example.org");
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].id, first.id);
  EXPECT_EQ((*found)[1].id, second.id);
  EXPECT_TRUE(accounts().find_by_email("none@example.org")->empty());
}

TEST_P(AccountStoreContract, ListIsOrderedByIdentifierAndPaged) {
  create_account("charlie");
  create_account("alice");
  create_account("bob");
  auto page = accounts().list(2, 1);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].identifier, "bob");
  EXPECT_EQ((*page)[1].identifier, "charlie");
}

TEST_P(AccountStoreContract, UpdateProfileRoundTripsAndClearsOptionals) {
  Account a = sample_account("mcurie");
  a.phone = "+33612345678";
  a.rpps = "10001234567";
  a = *accounts().create(a);

  a.email = "new@example.org";
  a.display_name = "Marie Sklodowska-Curie";
  a.phone.reset();
  a.rpps.reset();
  a.code_channel = CodeChannel::Sms;
  a.identifier = "ignored";  // not a profile field
  ASSERT_TRUE(accounts().update_profile(a));

  auto found = accounts().find_by_id(a.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->email, "new@example.org");
  EXPECT_EQ(found->display_name, "Marie Sklodowska-Curie");
  EXPECT_FALSE(found->phone);
  EXPECT_FALSE(found->rpps);
  EXPECT_EQ(found->code_channel, CodeChannel::Sms);
  EXPECT_EQ(found->identifier, "mcurie");
}

TEST_P(AccountStoreContract, StatusAndRoleChangesPersist) {
  Account a = create_account("mcurie");
  ASSERT_TRUE(accounts().set_status(a.id, AccountStatus::Disabled));
  ASSERT_TRUE(accounts().set_role(a.id, Role::Support));
  auto found = accounts().find_by_id(a.id);
  EXPECT_EQ(found->status, AccountStatus::Disabled);
  EXPECT_EQ(found->role, Role::Support);
}

TEST_P(AccountStoreContract, TemporaryPasswordSetsBothFlagsAndAPermanentOneClearsThem) {
  Account a = create_account("mcurie");
  TimePoint until = clock_.now() + 72h;
  ASSERT_TRUE(accounts().set_password(a.id, "$argon2id$temp", until));
  auto found = accounts().find_by_id(a.id);
  EXPECT_EQ(found->password_hash, "$argon2id$temp");
  EXPECT_TRUE(found->password_is_temporary);
  EXPECT_EQ(found->password_expires_at, until);

  ASSERT_TRUE(accounts().set_password(a.id, "$argon2id$own", std::nullopt));
  found = accounts().find_by_id(a.id);
  EXPECT_EQ(found->password_hash, "$argon2id$own");
  EXPECT_FALSE(found->password_is_temporary);
  EXPECT_FALSE(found->password_expires_at);
}

TEST_P(AccountStoreContract, RehashReplacesOnlyTheHashItWasGiven) {
  Account a = create_account("mcurie");
  ASSERT_TRUE(accounts().set_password(a.id, "old", std::nullopt));

  ASSERT_TRUE(accounts().rehash_password(a.id, "old", "rehashed"));
  EXPECT_EQ(accounts().find_by_id(a.id)->password_hash, "rehashed");

  // The member changed the password between verify and rehash: the stale
  // rehash must leave the new password alone.
  ASSERT_TRUE(accounts().set_password(a.id, "changed", std::nullopt));
  EXPECT_TRUE(accounts().rehash_password(a.id, "rehashed", "stale-rehash"));
  EXPECT_EQ(accounts().find_by_id(a.id)->password_hash, "changed");
}

TEST_P(AccountStoreContract, RecordSignInStoresTheTime) {
  Account a = create_account("mcurie");
  TimePoint at = clock_.now() + 5min;
  ASSERT_TRUE(accounts().record_sign_in(a.id, at));
  EXPECT_EQ(accounts().find_by_id(a.id)->last_sign_in_at, at);
}

TEST_P(AccountStoreContract, CountActiveWithRoleIgnoresOtherRolesAndStatuses) {
  Account admin1 = create_account("admin1");
  Account admin2 = create_account("admin2");
  Account disabled = create_account("admin3");
  Account support = create_account("support1");
  for (const Account& a : {admin1, admin2, disabled}) ASSERT_TRUE(accounts().set_role(a.id, Role::Admin));
  ASSERT_TRUE(accounts().set_role(support.id, Role::Support));
  for (const Account& a : {admin1, admin2, disabled, support})
    ASSERT_TRUE(accounts().set_status(a.id, AccountStatus::Active));
  ASSERT_TRUE(accounts().set_status(disabled.id, AccountStatus::Disabled));

  EXPECT_EQ(*accounts().count_active_with_role(Role::Admin), 2);
  EXPECT_EQ(*accounts().count_active_with_role(Role::Support), 1);
  EXPECT_EQ(*accounts().count_active_with_role(Role::Member), 0);
}

TEST_P(AccountStoreContract, SearchIgnoresAccentsBothWaysAndFollowsChanges) {
  Account helene = sample_account("hdurand", "hd@example.org");
  helene.display_name = "Hélène Durand";
  auto created = accounts().create(helene);
  ASSERT_TRUE(created);
  Account plain = sample_account("zlefevre", "z@example.org");
  plain.display_name = "Zoe Lefevre";
  ASSERT_TRUE(accounts().create(plain));
  auto ids = [&](std::string_view text) {
    std::vector<std::string> out;
    auto found = accounts().search(text, 10);
    EXPECT_TRUE(found);
    if (found)
      for (auto& a : *found) out.push_back(a.identifier);
    return out;
  };
  EXPECT_EQ(ids("helene"), std::vector<std::string>{"hdurand"});
  EXPECT_EQ(ids("HÉLÈNE durand"), std::vector<std::string>{"hdurand"});
  EXPECT_EQ(ids("Zoé Lefèvre"), std::vector<std::string>{"zlefevre"});
  // The index follows a profile change (a trigger, not each store method).
  Account changed = *created;
  changed.display_name = "Hélène Roy";
  changed.phone = "+33712345678";
  ASSERT_TRUE(accounts().update_profile(changed));
  EXPECT_TRUE(ids("durand hélène").empty());
  EXPECT_EQ(ids("roy"), std::vector<std::string>{"hdurand"});
  EXPECT_EQ(ids("07 12 34 56 78"), std::vector<std::string>{"hdurand"});
}

TEST_P(AccountStoreContract, SearchMatchesEveryFieldCaseInsensitivelyAndTreatsWildcardsAsText) {
  Account curie = sample_account("mcurie", "marie.curie@example.org");
  curie.display_name = "Marie Curie";
  curie.rpps = "10001234567";
  curie.phone = "+33612345678";
  ASSERT_TRUE(accounts().create(curie));
  Account pasteur = sample_account("lpasteur", "louis@example.org");
  pasteur.display_name = "Louis Pasteur";
  ASSERT_TRUE(accounts().create(pasteur));
  for (auto id : {"a_b", "axb"}) {
    Account other = sample_account(id, std::string(id) + "@example.org");
    other.display_name = id;
    ASSERT_TRUE(accounts().create(other));
  }

  auto ids = [&](std::string_view text, int limit = 10) {
    std::vector<std::string> out;
    auto found = accounts().search(text, limit);
    EXPECT_TRUE(found) << found.error().detail;
    if (found)
      for (auto& a : *found) out.push_back(a.identifier);
    return out;
  };
  EXPECT_EQ(ids("MCURIE"), std::vector<std::string>{"mcurie"});
  EXPECT_EQ(ids("curie"), std::vector<std::string>{"mcurie"});          // identifier, name and email
  EXPECT_EQ(ids("marie curie"), std::vector<std::string>{"mcurie"});    // display name
  EXPECT_EQ(ids("curie marie"), std::vector<std::string>{"mcurie"});    // words in any order
  EXPECT_EQ(ids("Dr Curie"), std::vector<std::string>{"mcurie"});       // titles dropped
  EXPECT_EQ(ids("cur mar"), std::vector<std::string>{"mcurie"});        // each word a prefix
  EXPECT_EQ(ids("LOUIS@"), std::vector<std::string>{"lpasteur"});       // email
  EXPECT_EQ(ids("1000123"), std::vector<std::string>{"mcurie"});        // rpps
  EXPECT_EQ(ids("+3361234"), std::vector<std::string>{"mcurie"});       // phone, E.164
  EXPECT_EQ(ids("06 12 34 56 78"), std::vector<std::string>{"mcurie"}); // phone, French national form
  EXPECT_EQ(ids("a_b"), std::vector<std::string>{"a_b"});               // _ is not "any character"
  EXPECT_TRUE(ids("%").empty());
  EXPECT_EQ(ids("\"curie"), std::vector<std::string>{"mcurie"});        // a quote is punctuation, not syntax
  EXPECT_TRUE(ids("curie OR pasteur").empty());                         // FTS operators are words
  EXPECT_TRUE(ids("nobody").empty());
  EXPECT_EQ(ids("example.org", 2).size(), 2u);
  EXPECT_EQ(ids("example.org", 10), (std::vector<std::string>{"a_b", "axb", "lpasteur", "mcurie"}));
}

}  // namespace
}  // namespace portier::contract
