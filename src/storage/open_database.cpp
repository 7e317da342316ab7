#include "storage/open_database.h"

#include <regex>

#include "storage/migrations.h"
#include "storage/sql/postgres_driver.h"
#include "storage/sql/sqlite_driver.h"

namespace portier::storage {

Result<std::shared_ptr<sql::Database>> open_database(const DatabaseSettings& s) {
  if (s.backend == sql::Backend::Sqlite) return sql::open_sqlite(s.sqlite_path, s.pool_size);
  return sql::open_postgres(sql::PostgresOptions{s.postgres_url, s.pool_size, s.statement_timeout});
}

Result<int> migrate_database(sql::Database& db) {
  return db.migrate(db.dialect().backend() == sql::Backend::Sqlite ? migrations() : postgres_migrations());
}

std::string redact_database_url(std::string_view url) {
  static const std::regex uri_password(R"(^([a-z]+://[^:/@]*:)[^@]*@)");
  static const std::regex keyword_password(R"((password\s*=\s*)('(\\.|[^'])*'|\S+))");
  auto out = std::regex_replace(std::string(url), uri_password, "$1***@");
  return std::regex_replace(out, keyword_password, "$1***");
}

}  // namespace portier::storage
