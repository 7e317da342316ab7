#pragma once
// Counts open connections per client address and in all, and says whether
// one more may be opened. The per-address cap stops one client from taking
// every slot; the total cap keeps the process below its file-descriptor
// limit whatever the number of addresses (a botnet). Thread-safe.
#include <mutex>
#include <string>
#include <unordered_map>

namespace portier::http {

enum class Admission { Admitted, PerAddressFull, TotalFull };

class ConnectionLimits {
public:
  struct Settings {
    int per_address = 128;
    int total = 1024;
  };
  explicit ConnectionLimits(Settings settings) : settings_(settings) {}

  // Counts the connection when it is admitted; the caller then owes a
  // release(). `capped` false: a trusted proxy, whose connections carry many
  // clients; only the total cap applies to it (the server caps each
  // forwarded client per request instead).
  Admission admit(const std::string& ip, bool capped = true) {
    std::lock_guard lock(mutex_);
    if (total_ >= settings_.total) return Admission::TotalFull;
    auto& n = per_address_[ip];
    if (capped && n >= settings_.per_address) {
      return Admission::PerAddressFull;
    }
    ++n;
    ++total_;
    return Admission::Admitted;
  }
  void release(const std::string& ip) {
    std::lock_guard lock(mutex_);
    auto it = per_address_.find(ip);
    if (it == per_address_.end()) return;
    --total_;
    if (--it->second <= 0) per_address_.erase(it);
  }
  int open() const {
    std::lock_guard lock(mutex_);
    return total_;
  }
  const Settings& settings() const { return settings_; }

private:
  Settings settings_;
  mutable std::mutex mutex_;
  int total_ = 0;
  std::unordered_map<std::string, int> per_address_;
};

}  // namespace portier::http
