#include "notify/outbox_worker.h"

#include <spdlog/spdlog.h>

#include <array>

#include "common/metrics.h"

namespace portier {

namespace {

using namespace std::chrono_literals;

// What a log line may say about a recipient: the mail domain, or the
// country prefix of a phone number. Never the whole address.
std::string recipient_hint(const OutboundMessage& m) {
  if (m.channel == MessageChannel::Sms) return m.recipient.substr(0, 3) + "…";
  auto at = m.recipient.rfind('@');
  return at == std::string::npos ? "?" : "…" + m.recipient.substr(at);
}

}  // namespace

std::chrono::seconds OutboxWorker::backoff(int attempts) {
  static constexpr std::array<std::chrono::seconds, 9> kSteps{1min, 2min, 5min, 15min, 30min, 1h, 2h, 4h, 8h};
  if (attempts < 1) return kSteps[0];
  if (attempts > static_cast<int>(kSteps.size())) return 24h;
  return kSteps[attempts - 1];
}

OutboxWorker::OutboxWorker(OutboxStore& store, Mailer& mailer, const Clock& clock, OutboxWorkerSettings settings,
                           Metrics* metrics)
    : store_(store), mailer_(mailer), clock_(clock), settings_(settings), metrics_(metrics) {}

OutboxWorker::~OutboxWorker() { stop(); }

void OutboxWorker::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

void OutboxWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeup_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wakeup_.notify_all();
}

void OutboxWorker::run() {
  spdlog::info("outbox: sending through {}", mailer_.describe());
  for (;;) {
    int claimed = drain_once();
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    // A full batch means more may be waiting: go again without sleeping.
    if (claimed >= settings_.batch) continue;
    wakeup_.wait_for(lock, settings_.poll_interval, [this] { return stopping_ || woken_; });
    woken_ = false;
    if (stopping_) return;
  }
}

int OutboxWorker::drain_once() {
  auto now = clock_.now();
  auto claimed = store_.claim_due(now, now + settings_.lease, settings_.batch);
  if (!claimed) {
    spdlog::warn("outbox: cannot claim messages: {}", claimed.error().detail);
    return 0;
  }
  for (std::size_t i = 0; i < claimed->size(); ++i) {
    bool stopping;
    {
      std::lock_guard lock(mutex_);
      stopping = stopping_;
    }
    if (stopping) {
      // Hand the rest back at once rather than leaving them leased for
      // minutes: the next process to start sends them.
      for (std::size_t j = i; j < claimed->size(); ++j)
        (void)store_.mark_deferred((*claimed)[j], clock_.now(), "not attempted: portier was stopping");
      break;
    }
    send_one((*claimed)[i]);
  }
  return static_cast<int>(claimed->size());
}

void OutboxWorker::send_one(const OutboundMessage& m) {
  auto sent = mailer_.send(m);
  auto now = clock_.now();
  auto who = recipient_hint(m);
  if (sent) {
    // Not recorded means this worker's lease ran out mid-send and another
    // may have claimed the message since: the lease (outbox_worker.h) is
    // made far longer than one send so that this stays exceptional.
    if (auto marked = store_.mark_sent(m, now); !marked)
      spdlog::error("outbox: {} #{} sent but not recorded: {}", m.kind, m.id, marked.error().detail);
    spdlog::info("outbox: {} #{} to {} sent (attempt {})", m.kind, m.id, who, m.attempts);
    count("sent");
    return;
  }
  const auto& error = sent.error();
  if (error.code == ErrorCode::InvalidInput) {
    (void)store_.mark_failed(m, error.detail);
    spdlog::warn("outbox: {} #{} to {} refused for good: {}", m.kind, m.id, who, error.detail);
    count("failed");
    return;
  }
  // attempts already counts this one (claim_due increments it).
  auto deadline = m.created_at + settings_.max_age;
  auto retry_at = now + backoff(m.attempts);
  if (now >= deadline) {
    (void)store_.mark_failed(m, "gave up after " + std::to_string(m.attempts) + " attempts: " + error.detail);
    spdlog::warn("outbox: {} #{} to {} given up after {} attempts: {}", m.kind, m.id, who, m.attempts, error.detail);
    count("failed");
    return;
  }
  // One last attempt exactly at the deadline rather than none at all.
  if (retry_at > deadline) retry_at = deadline;
  (void)store_.mark_deferred(m, retry_at, error.detail);
  spdlog::warn("outbox: {} #{} to {} deferred until {}: {}", m.kind, m.id, who, format_utc(retry_at), error.detail);
  count("deferred");
}

void OutboxWorker::count(const char* outcome) {
  if (metrics_) metrics_->count_outbox(outcome);
}

}  // namespace portier
