#include "contract/backends.h"

namespace portier::contract {
namespace {

using namespace std::chrono_literals;

class AuditStoreContract : public StoreContract {
protected:
  AuditEvent event(std::string name, std::optional<AccountId> actor, std::optional<AccountId> target) {
    AuditEvent e;
    e.at = clock_.now();
    e.event = std::move(name);
    e.actor = actor;
    e.target = target;
    e.ip = "192.0.2.7";
    e.user_agent = "curl";
    e.detail = "via test";
    return e;
  }
};
PORTIER_CONTRACT_SUITE(AuditStoreContract);

TEST_P(AuditStoreContract, AppendThenReadBackEveryField) {
  ASSERT_TRUE(audit().append(event("sign_in.success", std::nullopt, 7)));
  auto events = audit().recent_for_account(7, 10);
  ASSERT_TRUE(events) << events.error().detail;
  ASSERT_EQ(events->size(), 1u);
  const AuditEvent& e = (*events)[0];
  EXPECT_GT(e.id, 0);
  EXPECT_EQ(e.at, clock_.now());
  EXPECT_EQ(e.event, "sign_in.success");
  EXPECT_FALSE(e.actor);
  EXPECT_EQ(e.target, 7);
  EXPECT_EQ(e.ip, "192.0.2.7");
  EXPECT_EQ(e.user_agent, "curl");
  EXPECT_EQ(e.detail, "via test");
}

TEST_P(AuditStoreContract, RecentForAccountIsNewestFirstAsActorOrTargetAndLimited) {
  ASSERT_TRUE(audit().append(event("a.oldest", 7, std::nullopt)));
  clock_.advance(1s);
  ASSERT_TRUE(audit().append(event("b.about_someone_else", 8, 9)));
  ASSERT_TRUE(audit().append(event("c.as_target", 8, 7)));
  ASSERT_TRUE(audit().append(event("d.same_second_later", 7, 7)));
  clock_.advance(1s);
  ASSERT_TRUE(audit().append(event("e.newest", std::nullopt, 7)));

  auto all = audit().recent_for_account(7, 10);
  ASSERT_TRUE(all);
  std::vector<std::string> names;
  for (const auto& e : *all) names.push_back(e.event);
  EXPECT_EQ(names, (std::vector<std::string>{"e.newest", "d.same_second_later", "c.as_target", "a.oldest"}));

  auto two = audit().recent_for_account(7, 2);
  ASSERT_TRUE(two);
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].event, "e.newest");
  EXPECT_EQ((*two)[1].event, "d.same_second_later");
}

}  // namespace
}  // namespace portier::contract
