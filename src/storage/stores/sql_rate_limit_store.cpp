#include "storage/stores/sql_rate_limit_store.h"

namespace portier::storage {

namespace {

// Insert, or count one more in the running window, or start a new window
// when the stored one is over: one statement, so the database serialises
// parallel hits and each reads back its own count. With `max`, a guard:
// the update only happens when the stored window is over or still has
// room; otherwise nothing changes and no row comes back (nullopt).
// (The existing row's columns are named with the table's name: PostgreSQL
// finds a bare name ambiguous beside the `excluded` row.)
Result<std::optional<int>> upsert(Lease& lease, std::string_view key, std::chrono::seconds window, TimePoint now,
                                  std::optional<int> max) {
  auto start_of_expired = to_unix(now) - window.count();
  // ?4 is bound only when the statement names it (both drivers refuse a
  // parameter the statement does not use).
  std::vector<sql::Param> params{sql::param(key), sql::param(now), sql::param(start_of_expired)};
  if (max) params.push_back(sql::param(*max));
  auto stmt = lease.connection().query(
      std::string("INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)"
                  " ON CONFLICT (key) DO UPDATE SET"
                  "   count = CASE WHEN rate_limits.window_start <= ?3 THEN 1 ELSE rate_limits.count + 1 END,"
                  "   window_start = CASE WHEN rate_limits.window_start <= ?3 THEN ?2 ELSE rate_limits.window_start END") +
          (max ? " WHERE rate_limits.window_start <= ?3 OR rate_limits.count < ?4" : "") + " RETURNING count",
      std::move(params));
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<int>();
  int count = static_cast<int>(stmt->int64(0));
  if (auto done = stmt->run(); !done) return tl::unexpected(done.error());
  return std::optional<int>(count);
}

}  // namespace

Result<int> SqlRateLimitStore::hit(std::string_view key, std::chrono::seconds window, TimePoint now) {
  auto lease = db_->acquire();
  auto count = upsert(lease, key, window, now, std::nullopt);
  if (!count) return tl::unexpected(count.error());
  if (!*count) return fail(ErrorCode::Internal, "rate limit upsert returned no row");
  return **count;
}

Result<std::optional<int>> SqlRateLimitStore::take(std::string_view key, std::chrono::seconds window, int max,
                                                   TimePoint now) {
  if (max < 1) return std::optional<int>();
  auto lease = db_->acquire();
  return upsert(lease, key, window, now, max);
}

Result<int> SqlRateLimitStore::peek(std::string_view key, std::chrono::seconds window, TimePoint now) {
  auto lease = db_->acquire();
  auto stmt = lease.query("SELECT count FROM rate_limits WHERE key = ? AND window_start > ?", key,
                          to_unix(now) - window.count());
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return *row ? static_cast<int>(stmt->int64(0)) : 0;
}

Result<int> SqlRateLimitStore::purge(TimePoint before) {
  auto lease = db_->acquire();
  return lease.run("DELETE FROM rate_limits WHERE window_start < ?", before);
}

}  // namespace portier::storage
