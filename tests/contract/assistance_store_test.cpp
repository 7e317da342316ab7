#include <atomic>
#include <thread>
#include <vector>

#include "contract/backends.h"

namespace portier::contract {
namespace {

using namespace std::chrono_literals;

class AssistanceStoreContract : public StoreContract {
protected:
  AssistanceStore& store() { return *stores_.assistance; }

  AssistanceRequest request(std::optional<AccountId> account = std::nullopt) {
    AssistanceRequest r;
    r.created_at = clock_.now();
    r.target_text = "Marie";
    r.account = account;
    r.name = "Marie Curie";
    r.phone = "+33612345678";
    r.email = "member@example.org";
    r.message = "Je n'arrive plus à me connecter.";
    r.preferred_slots = {clock_.now() + 2h, clock_.now() + 26h};
    return r;
  }
  OutboundMessage message(std::string kind) {
    OutboundMessage m;
    m.recipient = "member@example.org";
    m.kind = std::move(kind);
    m.subject = "s";
    m.body_text = "t";
    m.body_html = "<p>t</p>";
    m.created_at = clock_.now();
    m.next_attempt_at = clock_.now();
    return m;
  }
};

TEST_P(AssistanceStoreContract, CreateStoresEveryFieldAndTheAcknowledgementTogether) {
  auto a = create_account("marie");
  auto id = store().create(request(a.id), [&](std::int64_t) { return std::vector{message("assistance.acknowledgement")}; });
  ASSERT_TRUE(id) << id.error().detail;
  auto r = store().find(*id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, AssistanceStatus::New);
  EXPECT_EQ(r->account, a.id);
  EXPECT_EQ(r->phone, "+33612345678");
  EXPECT_EQ(r->message, "Je n'arrive plus à me connecter.");
  ASSERT_EQ(r->preferred_slots.size(), 2u);
  EXPECT_EQ(r->preferred_slots[1], clock_.now() + 26h);
  EXPECT_FALSE(r->assigned_to);
  EXPECT_EQ(outbox().list(10, 0)->size(), 1u);
  EXPECT_EQ(store().find(*id + 100).error().code, ErrorCode::NotFound);
}

TEST_P(AssistanceStoreContract, ListsByStatusAndByAccount) {
  auto a = create_account("marie");
  auto first = *store().create(request(a.id), nullptr);
  clock_.advance(1min);
  auto second = *store().create(request(), nullptr);
  auto agent = create_account("agent");
  ASSERT_TRUE(store().take(second, agent.id));
  ASSERT_TRUE(store().schedule(second, agent.id, clock_.now() + 3h, std::nullopt));
  auto fresh = *store().list(AssistanceStatus::New, 10);
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0].id, first);
  EXPECT_EQ(store().list(AssistanceStatus::Scheduled, 10)->at(0).id, second);
  EXPECT_EQ(store().list(std::nullopt, 10)->size(), 2u);
  auto mine = *store().list_for_account(a.id, 10);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].id, first);
}

TEST_P(AssistanceStoreContract, TakeIsACompareAndSet) {
  auto one = create_account("one");
  auto two = create_account("two");
  auto id = *store().create(request(), nullptr);
  ASSERT_TRUE(store().take(id, one.id));
  EXPECT_TRUE(store().take(id, one.id)) << "taking it again is harmless";
  EXPECT_EQ(store().take(id, two.id).error().code, ErrorCode::FlowStateInvalid);
  EXPECT_EQ(store().find(id)->assigned_to, one.id);
  EXPECT_EQ(store().take(id + 100, one.id).error().code, ErrorCode::NotFound);
}

TEST_P(AssistanceStoreContract, ConcurrentTakesLeaveOneHolder) {
  std::vector<Account> agents;
  for (int i = 0; i < 8; ++i) agents.push_back(create_account("agent" + std::to_string(i)));
  auto id = *store().create(request(), nullptr);
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  for (auto& a : agents)
    threads.emplace_back([&, agent = a.id] {
      if (store().take(id, agent)) ++won;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
}

TEST_P(AssistanceStoreContract, ScheduleAndCloseNeedTheHolderAndTheRightState) {
  auto holder = create_account("holder");
  auto other = create_account("other");
  auto id = *store().create(request(), nullptr);
  auto at = clock_.now() + 5h;
  EXPECT_EQ(store().schedule(id, holder.id, at, message("assistance.scheduled")).error().code,
            ErrorCode::FlowStateInvalid) << "not taken yet";
  EXPECT_TRUE(outbox().list(10, 0)->empty()) << "no confirmation for a slot that was not booked";
  ASSERT_TRUE(store().take(id, holder.id));
  EXPECT_EQ(store().schedule(id, other.id, at, std::nullopt).error().code, ErrorCode::FlowStateInvalid);
  ASSERT_TRUE(store().schedule(id, holder.id, at, message("assistance.scheduled")));
  EXPECT_EQ(outbox().list(10, 0)->size(), 1u);
  auto r = *store().find(id);
  EXPECT_EQ(r.status, AssistanceStatus::Scheduled);
  EXPECT_EQ(r.scheduled_at, at);
  EXPECT_EQ(store().close(id, other.id, "not mine", clock_.now(), std::nullopt).error().code, ErrorCode::FlowStateInvalid);
  ASSERT_TRUE(store().close(id, holder.id, "Rappelée", clock_.now(), message("assistance.closed")));
  EXPECT_EQ(outbox().list(10, 0)->size(), 2u) << "the closing notice is queued with the change";
  r = *store().find(id);
  EXPECT_EQ(r.status, AssistanceStatus::Done);
  EXPECT_EQ(r.note, "Rappelée");
  EXPECT_EQ(r.closed_at, clock_.now());
  EXPECT_EQ(store().close(id, holder.id, "twice", clock_.now(), message("assistance.closed")).error().code, ErrorCode::FlowStateInvalid);
  EXPECT_EQ(store().schedule(id, holder.id, at, std::nullopt).error().code, ErrorCode::FlowStateInvalid);
  EXPECT_EQ(outbox().list(10, 0)->size(), 2u) << "no notice for a close that did not happen";
}

TEST_P(AssistanceStoreContract, TakingMovesToInProgressAndReferencesAreUnique) {
  auto agent = create_account("agent");
  auto first = request();
  first.reference = "A-7K3Q";
  auto id = *store().create(first, nullptr);
  EXPECT_EQ(store().find(id)->reference, "A-7K3Q");
  EXPECT_EQ(store().create(first, nullptr).error().code, ErrorCode::Conflict) << "a reference names one request";
  EXPECT_EQ(*store().count(AssistanceStatus::New), 1);
  ASSERT_TRUE(store().take(id, agent.id));
  EXPECT_EQ(store().find(id)->status, AssistanceStatus::InProgress);
  EXPECT_EQ(*store().count(AssistanceStatus::New), 0);
  EXPECT_EQ(*store().count(AssistanceStatus::InProgress), 1);
  EXPECT_EQ(store().list(AssistanceStatus::InProgress, 10)->size(), 1u);
  ASSERT_TRUE(store().take(id, agent.id)) << "taking again what one holds changes nothing";
  auto legacy = request();  // made before references: none
  EXPECT_EQ(store().find(*store().create(legacy, nullptr))->reference, "");
  EXPECT_TRUE(store().create(legacy, nullptr)) << "requests without a reference do not collide";
}

PORTIER_CONTRACT_SUITE(AssistanceStoreContract);

}  // namespace
}  // namespace portier::contract
