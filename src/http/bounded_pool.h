#pragma once
// A thread pool that holds at most `threads + queue` jobs (running or
// waiting) and refuses the next one at once: a flood of slow jobs (argon2id
// hashing) then costs its senders a 503, never minutes of waiting for every
// other request. One pool per lane, so a full hashing pool leaves the pages
// pool untouched.
#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <optional>
#include <string>

namespace portier::http {

class BoundedPool {
public:
  // threads >= 1, queue >= 0.
  BoundedPool(std::string name, int threads, int queue);
  BoundedPool(const BoundedPool&) = delete;
  BoundedPool& operator=(const BoundedPool&) = delete;

  // Holds one place in the pool until destroyed; movable, not copyable.
  class Ticket {
  public:
    explicit Ticket(std::atomic<long>& in_flight) : in_flight_(&in_flight) {}
    Ticket(Ticket&& o) noexcept : in_flight_(o.in_flight_) { o.in_flight_ = nullptr; }
    Ticket& operator=(Ticket&& o) noexcept {
      if (this != &o) {
        leave();
        in_flight_ = o.in_flight_;
        o.in_flight_ = nullptr;
      }
      return *this;
    }
    ~Ticket() { leave(); }

  private:
    void leave() {
      if (in_flight_) in_flight_->fetch_sub(1);
      in_flight_ = nullptr;
    }
    std::atomic<long>* in_flight_;
  };

  // A place for one job, or nothing when the pool is full (the caller answers
  // 503). Never blocks.
  std::optional<Ticket> try_enter();

  boost::asio::thread_pool& executor() { return pool_; }
  const std::string& name() const { return name_; }
  int threads() const { return threads_; }
  int capacity() const { return threads_ + queue_; }
  long in_flight() const { return in_flight_.load(); }
  void join() { pool_.join(); }

private:
  std::string name_;
  int threads_;
  int queue_;
  std::atomic<long> in_flight_{0};
  boost::asio::thread_pool pool_;
};

}  // namespace portier::http
