#include "http/bounded_pool.h"

namespace portier::http {

BoundedPool::BoundedPool(std::string name, int threads, int queue)
    : name_(std::move(name)),
      threads_(std::max(1, threads)),
      queue_(std::max(0, queue)),
      pool_(static_cast<std::size_t>(threads_)) {}

std::optional<BoundedPool::Ticket> BoundedPool::try_enter() {
  // Count first, then check: parallel callers each see a distinct number, so
  // the pool never holds more than its capacity even for an instant.
  if (in_flight_.fetch_add(1) >= capacity()) {
    in_flight_.fetch_sub(1);
    return std::nullopt;
  }
  return Ticket(in_flight_);
}

}  // namespace portier::http
