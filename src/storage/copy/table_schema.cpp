#include "storage/copy/table_schema.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "common/encoding.h"

namespace portier::storage::copy {

namespace {

// SQLite's type affinity rules (https://sqlite.org/datatype3.html §3.1),
// in their order: INT first, then text, then BLOB/none, then REAL.
ColumnKind sqlite_kind(const std::string& declared) {
  std::string t = ascii_lower(declared);
  if (t.find("int") != std::string::npos) return ColumnKind::Integer;
  if (t.find("char") != std::string::npos || t.find("clob") != std::string::npos ||
      t.find("text") != std::string::npos)
    return ColumnKind::Text;
  return ColumnKind::Other;
}

ColumnKind postgres_kind(const std::string& data_type) {
  if (data_type == "bigint" || data_type == "integer" || data_type == "smallint") return ColumnKind::Integer;
  if (data_type == "text" || data_type == "character varying" || data_type == "character") return ColumnKind::Text;
  return ColumnKind::Other;
}

const char* kind_name(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::Integer: return "integer";
    case ColumnKind::Text: return "text";
    case ColumnKind::Other: return "unsupported";
  }
  return "?";
}

Result<Schema> read_sqlite(sql::Lease& lease) {
  struct Entry {
    std::string name, sql;
  };
  auto entries = sql::read_rows(lease.query("SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'table'"
                                            " ORDER BY name"),
                                [](const sql::Statement& s) { return Entry{s.text(0), s.text(1)}; });
  if (!entries) return tl::unexpected(entries.error());
  std::vector<std::string> virtual_tables;
  for (const auto& e : *entries)
    if (ascii_lower(e.sql).starts_with("create virtual table")) virtual_tables.push_back(e.name);

  Schema schema;
  for (const auto& e : *entries) {
    if (e.name == "schema_migrations") {
      schema.skipped.push_back(e.name + " (each database records its own migrations)");
      continue;
    }
    if (e.name.starts_with("sqlite_")) {
      schema.skipped.push_back(e.name + " (SQLite's own)");
      continue;
    }
    // A virtual table (FTS5) and its shadow tables (name_data, name_idx…)
    // are an index SQLite's triggers rebuild from the data tables.
    if (std::find(virtual_tables.begin(), virtual_tables.end(), e.name) != virtual_tables.end()) {
      schema.skipped.push_back(e.name + "* (SQLite's full-text index and its shadow tables, rebuilt from the data)");
      continue;
    }
    bool shadow = std::any_of(virtual_tables.begin(), virtual_tables.end(),
                              [&](const std::string& v) { return e.name.starts_with(v + "_"); });
    if (shadow) continue;
    Table table{e.name, {}, {}, {}};
    struct Info {
      Column column;
      int pk;
    };
    auto infos = sql::read_rows(lease.query("SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid", e.name),
                                [](const sql::Statement& s) {
                                  return Info{Column{s.text(0), s.text(1), sqlite_kind(s.text(1))},
                                              static_cast<int>(s.int64(2))};
                                });
    if (!infos) return tl::unexpected(infos.error());
    std::vector<std::pair<int, std::string>> pk;
    for (auto& info : *infos) {
      if (info.pk > 0) pk.emplace_back(info.pk, info.column.name);
      table.columns.push_back(std::move(info.column));
    }
    std::sort(pk.begin(), pk.end());
    for (auto& [order, name] : pk) table.primary_key.push_back(name);
    auto refs = sql::read_rows(lease.query("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)", e.name),
                               [](const sql::Statement& s) { return s.text(0); });
    if (!refs) return tl::unexpected(refs.error());
    table.references = std::move(*refs);
    schema.tables.push_back(std::move(table));
  }
  return schema;
}

Result<Schema> read_postgres(sql::Lease& lease) {
  auto names = sql::read_rows(lease.query("SELECT table_name FROM information_schema.tables"
                                          " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                                          " ORDER BY table_name"),
                              [](const sql::Statement& s) { return s.text(0); });
  if (!names) return tl::unexpected(names.error());
  struct Row {
    std::string table;
    Column column;
  };
  auto columns = sql::read_rows(lease.query("SELECT table_name, column_name, data_type FROM information_schema.columns"
                                            " WHERE table_schema = current_schema()"
                                            " ORDER BY table_name, ordinal_position"),
                                [](const sql::Statement& s) {
                                  return Row{s.text(0), Column{s.text(1), s.text(2), postgres_kind(s.text(2))}};
                                });
  if (!columns) return tl::unexpected(columns.error());
  Schema schema;
  for (const auto& name : *names) {
    if (name == "schema_migrations") {
      schema.skipped.push_back(name + " (each database records its own migrations)");
      continue;
    }
    Table table{name, {}, {}, {}};
    for (const auto& row : *columns)
      if (row.table == name) table.columns.push_back(row.column);
    schema.tables.push_back(std::move(table));
  }
  return schema;
}

}  // namespace

const Table* Schema::find(const std::string& name) const {
  for (const auto& t : tables)
    if (t.name == name) return &t;
  return nullptr;
}

Result<Schema> read_schema(sql::Lease& lease) {
  return lease.dialect().backend() == sql::Backend::Sqlite ? read_sqlite(lease) : read_postgres(lease);
}

std::vector<std::string> compare_schemas(const Schema& source, const Schema& target) {
  std::vector<std::string> problems;
  for (const auto& s : source.tables) {
    const Table* t = target.find(s.name);
    if (!t) {
      problems.push_back("table " + s.name + " exists in the source only");
      continue;
    }
    for (const auto& c : s.columns) {
      if (c.kind == ColumnKind::Other)
        problems.push_back("column " + s.name + "." + c.name + " has type " + c.declared_type +
                           ", which db copy does not handle (integers and text only)");
      auto match = std::find_if(t->columns.begin(), t->columns.end(), [&](const Column& x) { return x.name == c.name; });
      if (match == t->columns.end()) {
        problems.push_back("column " + s.name + "." + c.name + " exists in the source only");
      } else if (match->kind != c.kind && c.kind != ColumnKind::Other) {
        problems.push_back("column " + s.name + "." + c.name + " is " + kind_name(c.kind) + " (" + c.declared_type +
                           ") in the source but " + kind_name(match->kind) + " (" + match->declared_type +
                           ") in the target");
      }
    }
    for (const auto& c : t->columns) {
      bool known = std::any_of(s.columns.begin(), s.columns.end(), [&](const Column& x) { return x.name == c.name; });
      if (!known) problems.push_back("column " + s.name + "." + c.name + " exists in the target only");
    }
  }
  return problems;
}

std::vector<std::string> target_only(const Schema& source, const Schema& target) {
  std::vector<std::string> out;
  for (const auto& t : target.tables)
    if (!source.find(t.name)) out.push_back(t.name);
  return out;
}

Result<std::vector<const Table*>> dependency_order(const Schema& schema) {
  std::vector<const Table*> order;
  std::map<std::string, int> state;  // 1: being visited, 2: placed
  std::function<Result<void>(const Table&)> visit = [&](const Table& table) -> Result<void> {
    int& s = state[table.name];
    if (s == 2) return {};
    if (s == 1) return fail(ErrorCode::InvalidInput, "foreign keys form a cycle through table " + table.name);
    s = 1;
    for (const auto& ref : table.references) {
      if (ref == table.name) continue;
      const Table* parent = schema.find(ref);
      // A reference to a table that is not copied (none today) is left to
      // the target's own constraint to judge.
      if (parent) {
        if (auto ok = visit(*parent); !ok) return ok;
      }
    }
    state[table.name] = 2;
    order.push_back(&table);
    return {};
  };
  for (const auto& t : schema.tables)
    if (auto ok = visit(t); !ok) return tl::unexpected(ok.error());
  return order;
}

std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace portier::storage::copy
