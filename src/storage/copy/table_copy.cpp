#include "storage/copy/table_copy.h"

#include <openssl/evp.h>

#include <memory>

#include "common/encoding.h"

namespace portier::storage::copy {

namespace {

// Rows read from a PostgreSQL cursor per FETCH: bounds the memory libpq
// holds for one result (it keeps a whole result in memory).
constexpr int kFetchRows = 2000;
// Rows per INSERT: few round trips, and under both backends' limits on
// bound parameters (SQLite 32 766, PostgreSQL 65 535).
constexpr std::size_t kInsertRows = 500;
constexpr std::size_t kMaxParams = 30000;

class RowDigest {
public:
  RowDigest() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) { EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr); }

  void add(const sql::Statement& row, std::size_t columns) {
    for (std::size_t i = 0; i < columns; ++i) {
      int c = static_cast<int>(i);
      if (row.is_null(c)) {
        update("~");
      } else {
        std::string value = row.text(c);
        update(std::to_string(value.size()) + ":");
        update(value);
      }
    }
    ++rows_;
  }
  std::int64_t rows() const { return rows_; }
  std::string hex() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_.get(), out, &len);
    return hex_encode(std::string_view(reinterpret_cast<const char*>(out), len));
  }

private:
  void update(std::string_view bytes) { EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()); }

  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
  std::int64_t rows_ = 0;
};

std::string column_list(const Table& table) {
  std::string out;
  for (const auto& c : table.columns) {
    if (!out.empty()) out += ", ";
    out += quote_identifier(c.name);
  }
  return out;
}

std::string select_ordered(const Table& table, sql::Backend backend) {
  std::vector<std::string> keys = table.primary_key;
  if (keys.empty())
    for (const auto& c : table.columns) keys.push_back(c.name);
  std::string order;
  for (const auto& key : keys) {
    if (!order.empty()) order += ", ";
    order += quote_identifier(key);
    bool text = false;
    for (const auto& c : table.columns)
      if (c.name == key) text = c.kind == ColumnKind::Text;
    // Byte order on both sides: a PostgreSQL database in fr_FR.UTF-8 would
    // otherwise sort "Z" and "a" differently from SQLite, and the checksums
    // of identical tables would differ.
    if (text) order += backend == sql::Backend::Sqlite ? " COLLATE BINARY" : " COLLATE \"C\"";
  }
  return "SELECT " + column_list(table) + " FROM " + quote_identifier(table.name) + " ORDER BY " + order;
}

Result<void> step_all(sql::Statement& stmt, const std::function<Result<void>(const sql::Statement&)>& on_row,
                      int* seen = nullptr) {
  for (;;) {
    auto row = stmt.step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return {};
    if (seen) ++*seen;
    if (auto ok = on_row(stmt); !ok) return ok;
  }
}

}  // namespace

Result<void> scan_rows(sql::Lease& lease, const Table& table,
                       const std::function<Result<void>(const sql::Statement&)>& on_row) {
  auto backend = lease.dialect().backend();
  std::string select = select_ordered(table, backend);
  if (backend == sql::Backend::Sqlite) {
    auto stmt = lease.query(select);
    if (!stmt) return tl::unexpected(stmt.error());
    return step_all(*stmt, on_row);
  }
  if (!lease.connection().in_transaction())
    return fail(ErrorCode::Internal, "scan_rows on PostgreSQL needs a transaction (its cursor lives in one)");
  if (auto declared = lease.exec("DECLARE portier_copy_scan NO SCROLL CURSOR FOR " + select); !declared)
    return declared;
  for (;;) {
    auto page = lease.query("FETCH FORWARD " + std::to_string(kFetchRows) + " FROM portier_copy_scan");
    if (!page) return tl::unexpected(page.error());
    int seen = 0;
    if (auto ok = step_all(*page, on_row, &seen); !ok) return ok;
    if (seen < kFetchRows) break;
  }
  return lease.exec("CLOSE portier_copy_scan");
}

Result<TableSummary> summarize(sql::Lease& lease, const Table& table) {
  RowDigest digest;
  auto scanned = scan_rows(lease, table, [&](const sql::Statement& row) -> Result<void> {
    digest.add(row, table.columns.size());
    return {};
  });
  if (!scanned) return tl::unexpected(scanned.error());
  return TableSummary{table.name, digest.rows(), digest.hex()};
}

Result<TableSummary> copy_rows(sql::Lease& from, sql::Lease& to, const Table& table) {
  const std::size_t columns = table.columns.size();
  const std::size_t batch = std::max<std::size_t>(1, std::min(kInsertRows, kMaxParams / std::max<std::size_t>(1, columns)));
  std::string row_placeholders = "(";
  for (std::size_t i = 0; i < columns; ++i) row_placeholders += i ? ", ?" : "?";
  row_placeholders += ")";
  const std::string head = "INSERT INTO " + quote_identifier(table.name) + " (" + column_list(table) + ") VALUES ";
  std::string full_batch_sql;  // the same text for every full batch

  std::vector<sql::Param> params;
  params.reserve(batch * columns);
  std::size_t pending = 0;
  auto flush = [&]() -> Result<void> {
    if (pending == 0) return {};
    std::string sql;
    if (pending == batch && !full_batch_sql.empty()) {
      sql = full_batch_sql;
    } else {
      sql = head;
      for (std::size_t r = 0; r < pending; ++r) {
        if (r) sql += ", ";
        sql += row_placeholders;
      }
      if (pending == batch) full_batch_sql = sql;
    }
    // Values are bound as text (or NULL): PostgreSQL converts each to its
    // column's type and refuses what does not fit (a REAL slipped into an
    // INTEGER column on SQLite), rather than copying it approximately.
    auto inserted = to.connection().query(sql, std::move(params)).and_then([](sql::Statement s) { return s.run(); });
    params.clear();
    params.reserve(batch * columns);
    if (!inserted) return fail(inserted.error().code, table.name + ": " + inserted.error().detail);
    if (static_cast<std::size_t>(*inserted) != pending)
      return fail(ErrorCode::Internal, table.name + ": " + std::to_string(*inserted) + " row(s) inserted of " +
                                           std::to_string(pending));
    pending = 0;
    return {};
  };

  RowDigest digest;
  auto scanned = scan_rows(from, table, [&](const sql::Statement& row) -> Result<void> {
    digest.add(row, columns);
    for (std::size_t i = 0; i < columns; ++i) {
      int c = static_cast<int>(i);
      params.push_back(row.is_null(c) ? sql::Param(std::monostate{}) : sql::Param(row.text(c)));
    }
    if (++pending == batch) return flush();
    return {};
  });
  if (!scanned) return tl::unexpected(scanned.error());
  if (auto last = flush(); !last) return tl::unexpected(last.error());
  return TableSummary{table.name, digest.rows(), digest.hex()};
}

Result<bool> is_empty(sql::Lease& lease, const std::string& table) {
  auto stmt = lease.query("SELECT 1 FROM " + quote_identifier(table) + " LIMIT 1");
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return !*row;
}

Result<std::vector<IdentityReset>> reset_identities(sql::Lease& lease) {
  std::vector<IdentityReset> out;
  if (lease.dialect().backend() != sql::Backend::Postgres) return out;
  struct Sequence {
    std::string table, column, sequence;
  };
  auto sequences = sql::read_rows(
      lease.query("SELECT table_name, column_name,"
                  " pg_get_serial_sequence(quote_ident(table_name), column_name)"
                  " FROM information_schema.columns WHERE table_schema = current_schema()"
                  " ORDER BY table_name, column_name"),
      [](const sql::Statement& s) { return Sequence{s.text(0), s.text(1), s.optional_text(2).value_or("")}; });
  if (!sequences) return tl::unexpected(sequences.error());
  for (const auto& s : *sequences) {
    if (s.sequence.empty()) continue;
    // is_called = false: the next nextval() returns exactly max + 1 (1 for
    // an empty table).
    auto set = lease.query("SELECT setval(?1::regclass, (SELECT coalesce(max(" + quote_identifier(s.column) +
                               "), 0) + 1 FROM " + quote_identifier(s.table) + "), false)",
                           s.sequence);
    if (!set) return tl::unexpected(set.error());
    auto row = set->step();
    if (!row) return tl::unexpected(row.error());
    out.push_back(IdentityReset{s.table + "." + s.column, *row ? set->int64(0) : 0});
  }
  return out;
}

}  // namespace portier::storage::copy
