#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "contract/backends.h"

namespace portier::contract {
namespace {

using namespace std::chrono_literals;

class OutboxStoreContract : public StoreContract {
protected:
  OutboundMessage make_message(std::string kind = "mail.test", std::string recipient = "member@example.org") {
    OutboundMessage m;
    m.recipient = std::move(recipient);
    m.kind = std::move(kind);
    m.lang = "en";
    m.subject = "Your code";
    m.body_text = "code 123456";
    m.body_html = "<p>code 123456</p>";
    m.created_at = clock_.now();
    return m;
  }

  std::int64_t enqueue(OutboundMessage m) {
    auto id = outbox().enqueue(m);
    EXPECT_TRUE(id) << (id ? "" : id.error().detail);
    return id ? *id : 0;
  }

  std::vector<std::int64_t> claim(int limit = 20, Seconds lease = 5min) {
    auto claimed = outbox().claim_due(clock_.now(), clock_.now() + lease, limit);
    EXPECT_TRUE(claimed) << (claimed ? "" : claimed.error().detail);
    std::vector<std::int64_t> ids;
    if (claimed)
      for (auto& m : *claimed) {
        ids.push_back(m.id);
        claimed_[m.id] = m;
      }
    return ids;
  }

  // The message as the last claim of `id` gave it (its claim token).
  const OutboundMessage& claimed(std::int64_t id) { return claimed_[id]; }

  OutboundMessage find(std::int64_t id) {
    auto all = outbox().list(1000, 0);
    EXPECT_TRUE(all);
    for (auto& m : *all)
      if (m.id == id) return m;
    ADD_FAILURE() << "no message " << id;
    return {};
  }

private:
  std::map<std::int64_t, OutboundMessage> claimed_;
};
PORTIER_CONTRACT_SUITE(OutboxStoreContract);

TEST_P(OutboxStoreContract, EnqueueStoresAQueuedMessageDueNow) {
  AccountId member = create_account("mcurie").id;
  auto m = make_message();
  m.account = member;
  auto id = enqueue(m);
  ASSERT_GT(id, 0);
  auto stored = find(id);
  EXPECT_EQ(stored.channel, MessageChannel::Email);
  EXPECT_EQ(stored.recipient, "member@example.org");
  EXPECT_EQ(stored.account, member);
  EXPECT_EQ(stored.kind, "mail.test");
  EXPECT_EQ(stored.lang, "en");
  EXPECT_EQ(stored.subject, "Your code");
  EXPECT_EQ(stored.body_text, "code 123456");
  EXPECT_EQ(stored.body_html, "<p>code 123456</p>");
  EXPECT_EQ(stored.status, DeliveryStatus::Queued);
  EXPECT_EQ(stored.attempts, 0);
  EXPECT_EQ(stored.created_at, clock_.now());
  EXPECT_EQ(stored.next_attempt_at, clock_.now());
  EXPECT_FALSE(stored.sent_at);
}

TEST_P(OutboxStoreContract, AMessagesOwnReplyToRoundTrips) {
  auto m = make_message();
  EXPECT_EQ(find(enqueue(m)).reply_to, "") << "none: the sender's";
  m.reply_to = "assistance@example.org";
  EXPECT_EQ(find(enqueue(m)).reply_to, "assistance@example.org");
}

TEST_P(OutboxStoreContract, EnqueueRefusesAMessageWithoutRecipient) {
  EXPECT_EQ(outbox().enqueue(make_message("mail.test", "")).error().code, ErrorCode::InvalidInput);
}

TEST_P(OutboxStoreContract, SmsChannelRoundTrips) {
  auto m = make_message("recovery.code", "+33612345678");
  m.channel = MessageChannel::Sms;
  m.body_html.clear();
  auto stored = find(enqueue(m));
  EXPECT_EQ(stored.channel, MessageChannel::Sms);
  EXPECT_EQ(stored.recipient, "+33612345678");
}

TEST_P(OutboxStoreContract, ClaimReturnsDueMessagesOldestFirstAndOnlyOnce) {
  auto first = enqueue(make_message());
  clock_.advance(1s);
  auto second = enqueue(make_message());
  auto later = make_message();
  later.next_attempt_at = clock_.now() + 1h;
  enqueue(later);

  EXPECT_EQ(claim(), (std::vector<std::int64_t>{first, second}));
  EXPECT_TRUE(claim().empty()) << "leased messages are not claimed again";
  EXPECT_EQ(find(first).attempts, 1) << "a claim counts as an attempt";
}

TEST_P(OutboxStoreContract, ClaimHonoursTheLimit) {
  for (int i = 0; i < 5; ++i) enqueue(make_message());
  EXPECT_EQ(claim(2).size(), 2u);
  EXPECT_EQ(claim(10).size(), 3u);
  EXPECT_TRUE(claim().empty());
}

TEST_P(OutboxStoreContract, ExpiredLeaseMakesAMessageClaimableAgain) {
  auto id = enqueue(make_message());
  ASSERT_EQ(claim(20, 5min), std::vector<std::int64_t>{id});
  clock_.advance(4min);
  EXPECT_TRUE(claim().empty());
  clock_.advance(1min);
  EXPECT_EQ(claim(), std::vector<std::int64_t>{id}) << "the worker that claimed it died; another takes over";
  EXPECT_EQ(find(id).attempts, 2);
}

TEST_P(OutboxStoreContract, TwoThreadsNeverClaimTheSameMessage) {
  constexpr int kMessages = 200;
  for (int i = 0; i < kMessages; ++i) enqueue(make_message());
  std::mutex mutex;
  std::vector<std::int64_t> all;
  std::atomic<int> errors{0};
  auto worker = [&] {
    for (;;) {
      auto claimed = outbox().claim_due(clock_.now(), clock_.now() + 5min, 7);
      if (!claimed) {
        ++errors;
        continue;
      }
      if (claimed->empty()) return;
      std::lock_guard lock(mutex);
      for (auto& m : *claimed) all.push_back(m.id);
    }
  };
  std::thread a(worker), b(worker), c(worker);
  a.join();
  b.join();
  c.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()).size(), static_cast<std::size_t>(kMessages));
}

TEST_P(OutboxStoreContract, MarkSentErasesBodiesButKeepsSubject) {
  auto id = enqueue(make_message());
  claim();
  clock_.advance(3s);
  ASSERT_TRUE(outbox().mark_sent(claimed(id), clock_.now()));
  auto m = find(id);
  EXPECT_EQ(m.status, DeliveryStatus::Sent);
  EXPECT_EQ(m.sent_at, clock_.now());
  EXPECT_EQ(m.subject, "Your code");
  EXPECT_EQ(m.body_text, "");
  EXPECT_EQ(m.body_html, "");
  clock_.advance(1h);
  EXPECT_TRUE(claim().empty()) << "a sent message is never claimed again";
}

TEST_P(OutboxStoreContract, DeferredMessageIsClaimedAgainAtRetryTime) {
  auto id = enqueue(make_message());
  claim();
  ASSERT_TRUE(outbox().mark_deferred(claimed(id), clock_.now() + 2min, "421 try later"));
  auto m = find(id);
  EXPECT_EQ(m.status, DeliveryStatus::Deferred);
  EXPECT_EQ(m.last_error, "421 try later");
  EXPECT_EQ(m.body_text, "code 123456") << "kept for the next attempt";
  clock_.advance(1min);
  EXPECT_TRUE(claim().empty());
  clock_.advance(1min);
  EXPECT_EQ(claim(), std::vector<std::int64_t>{id});
}

TEST_P(OutboxStoreContract, MarkFailedErasesBodiesAndIsFinal) {
  auto id = enqueue(make_message());
  claim();
  ASSERT_TRUE(outbox().mark_failed(claimed(id), "550 no such user"));
  auto m = find(id);
  EXPECT_EQ(m.status, DeliveryStatus::Failed);
  EXPECT_EQ(m.last_error, "550 no such user");
  EXPECT_EQ(m.body_text, "");
  EXPECT_EQ(m.body_html, "");
  EXPECT_EQ(m.subject, "Your code");
  EXPECT_EQ(outbox().mark_deferred(claimed(id), clock_.now(), "late").error().code, ErrorCode::NotFound)
      << "a late report does not revive a message given up";
  clock_.advance(24h);
  EXPECT_TRUE(claim().empty());
}

TEST_P(OutboxStoreContract, MarkingAnUnknownMessageIsNotFound) {
  OutboundMessage unknown;
  unknown.id = 999;
  unknown.claim_token = "0123";
  EXPECT_EQ(outbox().mark_sent(unknown, clock_.now()).error().code, ErrorCode::NotFound);
  EXPECT_EQ(outbox().mark_deferred(unknown, clock_.now(), "x").error().code, ErrorCode::NotFound);
  EXPECT_EQ(outbox().mark_failed(unknown, "x").error().code, ErrorCode::NotFound);
}

TEST_P(OutboxStoreContract, AWorkerWhoseLeaseRanOutCannotMarkTheMessageAnotherClaimed) {
  auto id = enqueue(make_message());
  ASSERT_EQ(claim(20, 5min), std::vector<std::int64_t>{id});
  auto first = claimed(id);
  clock_.advance(6min);  // the first worker hangs past its lease
  ASSERT_EQ(claim(20, 5min), std::vector<std::int64_t>{id});
  auto second = claimed(id);
  EXPECT_NE(first.claim_token, second.claim_token);
  EXPECT_EQ(outbox().mark_sent(first, clock_.now()).error().code, ErrorCode::NotFound);
  EXPECT_EQ(outbox().mark_deferred(first, clock_.now(), "late").error().code, ErrorCode::NotFound);
  EXPECT_EQ(find(id).status, DeliveryStatus::Queued) << "the stale claim changed nothing";
  ASSERT_TRUE(outbox().mark_sent(second, clock_.now()));
  EXPECT_EQ(find(id).status, DeliveryStatus::Sent);
}

TEST_P(OutboxStoreContract, ListsAreNewestFirstAndFilterByAccount) {
  AccountId member = create_account("mcurie").id;
  auto mine = make_message();
  mine.account = member;
  auto a = enqueue(mine);
  clock_.advance(1s);
  auto b = enqueue(make_message());
  clock_.advance(1s);
  mine.created_at = clock_.now();
  auto c = enqueue(mine);

  auto all = outbox().list(10, 0);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, c);
  EXPECT_EQ((*all)[2].id, a);
  auto page = outbox().list(1, 1);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, b);

  auto for_member = outbox().list_for_account(member, 10);
  ASSERT_TRUE(for_member);
  ASSERT_EQ(for_member->size(), 2u);
  EXPECT_EQ((*for_member)[0].id, c);
  EXPECT_EQ((*for_member)[1].id, a);
}

}  // namespace
}  // namespace portier::contract
