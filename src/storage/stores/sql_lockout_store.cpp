#include "storage/stores/sql_lockout_store.h"

#include <algorithm>

namespace portier::storage {

namespace {

struct Row {
  int failures = 0;
  std::optional<TimePoint> locked_until;
  bool until_reset = false;
  TimePoint updated_at{};
};

Result<std::optional<Row>> load(Lease& lease, const std::string& key) {
  auto stmt = lease.query(std::string("SELECT failures, locked_until, until_reset, updated_at FROM sign_in_lockouts"
                                      " WHERE key = ?") + lease.dialect().for_update(),
                          key);
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<Row>();
  return std::optional<Row>(Row{static_cast<int>(stmt->int64(0)), stmt->optional_time(1), stmt->int64(2) != 0, stmt->time(3)});
}

// A timed counter starts again from zero once its suspension has run out,
// or when its last failure is older than the period (failures spread over
// weeks are not "consecutive"; this also frees a last attempt whose outcome
// was never recorded because the process died). The ceiling never decays.
bool is_stale(const Row& r, const LockoutRule& rule, TimePoint now) {
  if (r.until_reset || !rule.period) return false;
  if (r.locked_until) return *r.locked_until <= now;
  return r.updated_at + *rule.period <= now;
}

}  // namespace

Result<void> clear_lockouts(Lease& lease, AccountId account) {
  auto r = lease.run("DELETE FROM sign_in_lockouts WHERE account_id = ?", account);
  if (!r) return tl::unexpected(r.error());
  return {};
}

Result<AttemptClaim> SqlLockoutStore::claim(const std::vector<LockoutRule>& rules, TimePoint now) {
  // The counters are visited in key order, so that two claims sharing keys
  // lock them in the same order and never deadlock.
  std::vector<std::size_t> order(rules.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return rules[a].key < rules[b].key; });
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<AttemptClaim> {
    // A counter that does not exist yet cannot be locked: create it at zero
    // first (a parallel claim creating the same one waits for this one).
    // The ones this claim created are removed again if it is refused.
    std::vector<std::string> created;
    for (auto i : order) {
      auto r = lease.run(
          "INSERT INTO sign_in_lockouts (key, account_id, failures, locked_until, until_reset, updated_at)"
          " VALUES (?, ?, 0, NULL, 0, ?) ON CONFLICT (key) DO NOTHING",
          rules[i].key, rules[i].account, now);
      if (!r) return tl::unexpected(r.error());
      if (*r > 0) created.push_back(rules[i].key);
    }
    auto refuse = [&](AttemptClaim refused) -> Result<AttemptClaim> {
      for (const auto& key : created)
        if (auto r = lease.run("DELETE FROM sign_in_lockouts WHERE key = ? AND failures = 0", key); !r)
          return tl::unexpected(r.error());
      return refused;
    };
    std::vector<int> next(rules.size());
    for (auto i : order) {
      auto row = load(lease, rules[i].key);  // locked until COMMIT
      if (!row) return tl::unexpected(row.error());
      int failures = 0;
      if (*row && !is_stale(**row, rules[i], now)) {
        const auto& r = **row;
        if (r.until_reset) return refuse(AttemptClaim{false, std::nullopt, true});
        if (r.locked_until) return refuse(AttemptClaim{false, r.locked_until, false});
        // At the threshold with the last attempt still being checked: that
        // attempt decides; this one waits for the suspension it may cause.
        if (r.failures >= rules[i].threshold) {
          if (!rules[i].period) return refuse(AttemptClaim{false, std::nullopt, true});
          return refuse(AttemptClaim{false, now + *rules[i].period, false});
        }
        failures = r.failures;
      }
      next[i] = failures + 1;
    }
    for (auto i : order) {
      auto r = lease.run(
          "UPDATE sign_in_lockouts SET failures = ?, locked_until = NULL, until_reset = 0, updated_at = ?,"
          " account_id = COALESCE(?, account_id) WHERE key = ?",
          next[i], now, rules[i].account, rules[i].key);
      if (!r) return tl::unexpected(r.error());
    }
    AttemptClaim allowed{true, std::nullopt, false};
    for (std::size_t i = 0; i < rules.size(); ++i)
      if (rules[i].period) {
        int left = std::max(0, rules[i].threshold - next[i]);
        if (allowed.failures_left < 0 || left < allowed.failures_left) allowed.failures_left = left;
      }
    return allowed;
  });
}

Result<std::vector<std::string>> SqlLockoutStore::record_failure(const std::vector<LockoutRule>& rules,
                                                                    TimePoint now) {
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<std::vector<std::string>> {
    std::vector<std::string> engaged;
    for (const auto& rule : rules) {
      auto changed = rule.period
                         ? lease.run("UPDATE sign_in_lockouts SET locked_until = ?, updated_at = ? WHERE key = ?"
                                     " AND failures >= ? AND locked_until IS NULL AND until_reset = 0",
                                     now + *rule.period, now, rule.key, rule.threshold)
                         : lease.run("UPDATE sign_in_lockouts SET until_reset = 1, updated_at = ? WHERE key = ?"
                                     " AND failures >= ? AND until_reset = 0",
                                     now, rule.key, rule.threshold);
      if (!changed) return tl::unexpected(changed.error());
      if (*changed > 0) engaged.push_back(rule.key);
      else if (auto touched = lease.run("UPDATE sign_in_lockouts SET updated_at = ? WHERE key = ?", now, rule.key); !touched)
        return tl::unexpected(touched.error());
    }
    return engaged;
  });
}

Result<void> SqlLockoutStore::record_success(const std::vector<std::string>& keys) {
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<void> {
    for (const auto& key : keys)
      if (auto r = lease.run("DELETE FROM sign_in_lockouts WHERE key = ?", key); !r) return tl::unexpected(r.error());
    return {};
  });
}

Result<int> SqlLockoutStore::clear_account(AccountId account) {
  auto lease = db_->acquire();
  return lease.run("DELETE FROM sign_in_lockouts WHERE account_id = ?", account);
}

Result<std::vector<LockoutState>> SqlLockoutStore::for_account(AccountId account) {
  auto lease = db_->acquire();
  auto stmt = lease.query(
      "SELECT key, failures, locked_until, until_reset, updated_at FROM sign_in_lockouts WHERE account_id = ?"
      " ORDER BY key",
      account);
  return read_rows(std::move(stmt), [](const Statement& r) {
    return LockoutState{r.text(0), static_cast<int>(r.int64(1)), r.optional_time(2), r.int64(3) != 0, r.time(4)};
  });
}

Result<int> SqlLockoutStore::purge(TimePoint before) {
  auto lease = db_->acquire();
  return lease.run("DELETE FROM sign_in_lockouts WHERE updated_at < ? AND until_reset = 0"
                   " AND (locked_until IS NULL OR locked_until < ?)",
                   before, before);
}

}  // namespace portier::storage
