#include "notify/outbox_worker.h"

#include <gtest/gtest.h>

#include <deque>

#include "common/metrics.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

// A mailer that answers from a script and remembers what it was given.
class ScriptedMailer final : public Mailer {
public:
  Result<void> send(const OutboundMessage& m) override {
    std::lock_guard lock(mutex_);
    sent.push_back(m);
    if (replies.empty()) return {};
    auto reply = replies.front();
    replies.pop_front();
    return reply;
  }
  std::string describe() const override { return "script"; }

  std::mutex mutex_;
  std::deque<Result<void>> replies;  // empty: success
  std::vector<OutboundMessage> sent;
};

Result<void> unavailable() { return fail(ErrorCode::Unavailable, "421 try again later"); }

class OutboxWorkerTest : public ::testing::Test {
protected:
  OutboxWorkerTest() : worker_(*s_.outbox, mailer_, s_.clock, OutboxWorkerSettings{}, &metrics_) {}

  std::int64_t enqueue() {
    OutboundMessage m;
    m.recipient = "marie@example.org";
    m.kind = "mail.test";
    m.subject = "Test";
    m.body_text = "code 123456";
    m.created_at = s_.clock.now();
    return *s_.outbox->enqueue(m);
  }

  OutboundMessage stored(std::int64_t id) {
    auto all = s_.outbox->list(100, 0);
    EXPECT_TRUE(all) << (all ? "" : all.error().detail);
    if (!all) return {};
    for (auto& m : *all)
      if (m.id == id) return m;
    ADD_FAILURE() << "no message " << id;
    return {};
  }

  testing_support::SqliteStores s_;
  ScriptedMailer mailer_;
  Metrics metrics_;
  OutboxWorker worker_;
};

TEST_F(OutboxWorkerTest, SendsAndMarksSent) {
  auto id = enqueue();
  EXPECT_EQ(worker_.drain_once(), 1);
  ASSERT_EQ(mailer_.sent.size(), 1u);
  EXPECT_EQ(mailer_.sent[0].body_text, "code 123456");
  auto m = stored(id);
  EXPECT_EQ(m.status, DeliveryStatus::Sent);
  EXPECT_EQ(m.sent_at, s_.clock.now());
  EXPECT_EQ(m.body_text, "");
  EXPECT_EQ(worker_.drain_once(), 0);
  EXPECT_NE(metrics_.render().find("portier_outbox_messages_total{outcome=\"sent\"} 1"), std::string::npos);
}

TEST_F(OutboxWorkerTest, BackoffScheduleIsTheDocumentedOne) {
  std::vector<std::chrono::seconds> expected{1min, 2min, 5min, 15min, 30min, 1h, 2h, 4h, 8h, 24h, 24h};
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(OutboxWorker::backoff(static_cast<int>(i) + 1), expected[i]) << "after attempt " << i + 1;
}

TEST_F(OutboxWorkerTest, TransientFailuresAreRetriedOnTheSchedule) {
  auto id = enqueue();
  mailer_.replies = {unavailable(), unavailable(), unavailable()};
  EXPECT_EQ(worker_.drain_once(), 1);
  auto m = stored(id);
  EXPECT_EQ(m.status, DeliveryStatus::Deferred);
  EXPECT_EQ(m.last_error, "421 try again later");
  EXPECT_EQ(m.next_attempt_at, s_.clock.now() + 1min);
  EXPECT_EQ(m.body_text, "code 123456") << "kept for the retry";

  s_.clock.advance(59s);
  EXPECT_EQ(worker_.drain_once(), 0) << "not before its time";
  s_.clock.advance(1s);
  EXPECT_EQ(worker_.drain_once(), 1);
  EXPECT_EQ(stored(id).next_attempt_at, s_.clock.now() + 2min);
  s_.clock.advance(2min);
  EXPECT_EQ(worker_.drain_once(), 1);
  EXPECT_EQ(stored(id).next_attempt_at, s_.clock.now() + 5min);
  s_.clock.advance(5min);
  EXPECT_EQ(worker_.drain_once(), 1);
  m = stored(id);
  EXPECT_EQ(m.status, DeliveryStatus::Sent);
  EXPECT_EQ(m.attempts, 4);
  EXPECT_EQ(mailer_.sent.size(), 4u);
}

TEST_F(OutboxWorkerTest, GivesUpAfterMaxAge) {
  auto id = enqueue();
  auto created = s_.clock.now();
  for (int i = 0; i < 50; ++i) mailer_.replies.push_back(unavailable());
  int rounds = 0;
  while (stored(id).status != DeliveryStatus::Failed && rounds < 50) {
    s_.clock.set(stored(id).next_attempt_at);
    worker_.drain_once();
    ++rounds;
  }
  auto m = stored(id);
  ASSERT_EQ(m.status, DeliveryStatus::Failed);
  EXPECT_GE(s_.clock.now(), created + 24h);
  EXPECT_LE(s_.clock.now(), created + 24h) << "the last attempt is exactly at the deadline";
  // 1+2+5+15+30 min, 1+2+4+8 h ≈ 15.9 h; then the deadline: 11 attempts.
  EXPECT_EQ(m.attempts, 11);
  EXPECT_NE(m.last_error.find("gave up after 11 attempts"), std::string::npos) << m.last_error;
  EXPECT_EQ(m.body_text, "");
  EXPECT_NE(metrics_.render().find("portier_outbox_messages_total{outcome=\"failed\"} 1"), std::string::npos);
}

TEST_F(OutboxWorkerTest, PermanentRefusalFailsAtOnce) {
  auto id = enqueue();
  mailer_.replies = {fail(ErrorCode::InvalidInput, "550 5.1.1 no such user")};
  worker_.drain_once();
  auto m = stored(id);
  EXPECT_EQ(m.status, DeliveryStatus::Failed);
  EXPECT_EQ(m.last_error, "550 5.1.1 no such user");
  EXPECT_EQ(m.body_text, "");
  s_.clock.advance(48h);
  EXPECT_EQ(worker_.drain_once(), 0);
}

TEST_F(OutboxWorkerTest, ThreadSendsOnWakeAndStopsCleanly) {
  OutboxWorker worker(*s_.outbox, mailer_, s_.clock, OutboxWorkerSettings{std::chrono::seconds(3600)});
  worker.start();
  auto id = enqueue();
  worker.wake();
  for (int i = 0; i < 200 && stored(id).status != DeliveryStatus::Sent; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(stored(id).status, DeliveryStatus::Sent) << "wake() does not wait for the hour-long poll";
  worker.stop();
  worker.stop();
}

}  // namespace
}  // namespace portier
