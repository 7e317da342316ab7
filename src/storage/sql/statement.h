#pragma once
// The rows of one executed statement, read one at a time, whatever the
// driver. Column indexes start at 0. A driver implements Cursor; stores use
// Statement, a movable handle over it with the typed readers they need.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace portier::storage::sql {

class Cursor {
public:
  virtual ~Cursor() = default;
  /// true when a row is available, false when the statement is done.
  virtual Result<bool> step() = 0;
  /// Steps to completion; the number of rows the statement changed.
  virtual Result<int> run() = 0;
  virtual std::string text(int column) const = 0;
  virtual std::int64_t int64(int column) const = 0;
  virtual bool is_null(int column) const = 0;
};

class Statement {
public:
  explicit Statement(std::unique_ptr<Cursor> cursor) : cursor_(std::move(cursor)) {}

  Result<bool> step() { return cursor_->step(); }
  Result<int> run() { return cursor_->run(); }

  std::string text(int column) const { return cursor_->text(column); }
  std::int64_t int64(int column) const { return cursor_->int64(column); }
  bool is_null(int column) const { return cursor_->is_null(column); }
  std::optional<std::string> optional_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
  }
  std::optional<std::int64_t> optional_int64(int column) const {
    if (is_null(column)) return std::nullopt;
    return int64(column);
  }
  TimePoint time(int column) const { return from_unix(int64(column)); }
  std::optional<TimePoint> optional_time(int column) const {
    if (is_null(column)) return std::nullopt;
    return time(column);
  }

private:
  std::unique_ptr<Cursor> cursor_;
};

template <typename T>
struct IsResult : std::false_type {};
template <typename T>
struct IsResult<Result<T>> : std::true_type {};

/// Steps `stmt` to its end and turns each row into an element with `read`
/// (which returns the element, or a Result of it); the first error stops it.
/// Every store's "list" goes through here (and the SQLite-only statements of
/// the stores not yet moved to this layer).
template <typename Stmt, typename Read>
auto read_rows(Result<Stmt> stmt, Read read) {
  using Returned = std::invoke_result_t<Read, const Stmt&>;
  using Row = typename std::conditional_t<IsResult<Returned>::value, Returned, Result<Returned>>::value_type;
  using Out = Result<std::vector<Row>>;
  if (!stmt) return Out(tl::unexpected(stmt.error()));
  std::vector<Row> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return Out(tl::unexpected(row.error()));
    if (!*row) return Out(std::move(out));
    if constexpr (IsResult<Returned>::value) {
      auto item = read(*stmt);
      if (!item) return Out(tl::unexpected(item.error()));
      out.push_back(std::move(*item));
    } else {
      out.push_back(read(*stmt));
    }
  }
}

/// Turns "no row changed" into NotFound for updates addressed by key.
inline Result<void> require_change(Result<int> changed, std::string_view what) {
  if (!changed) return tl::unexpected(changed.error());
  if (*changed == 0) return fail(ErrorCode::NotFound, std::string(what) + " not found");
  return {};
}

}  // namespace portier::storage::sql
