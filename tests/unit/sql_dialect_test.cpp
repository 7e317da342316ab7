#include <gtest/gtest.h>

#include "storage/sql/dialect.h"

namespace portier::storage::sql {
namespace {

TEST(PostgresPlaceholders, NumberedAndBareBecomeDollarNumbers) {
  EXPECT_EQ(to_postgres_placeholders("SELECT a FROM t WHERE b = ?1 AND c = ?2 OR d = ?1"),
            "SELECT a FROM t WHERE b = $1 AND c = $2 OR d = $1");
  EXPECT_EQ(to_postgres_placeholders("INSERT INTO t VALUES (?, ?, ?)"), "INSERT INTO t VALUES ($1, $2, $3)");
  EXPECT_EQ(to_postgres_placeholders("UPDATE t SET a = ?12"), "UPDATE t SET a = $12");
}

TEST(PostgresPlaceholders, QuotesAndCommentsAreLeftAlone) {
  EXPECT_EQ(to_postgres_placeholders("SELECT '?1 it''s ?' , \"col?\" FROM t WHERE a = ?1"),
            "SELECT '?1 it''s ?' , \"col?\" FROM t WHERE a = $1");
  EXPECT_EQ(to_postgres_placeholders("SELECT 1 -- why ?\nWHERE a = ?"), "SELECT 1 -- why ?\nWHERE a = $1");
  EXPECT_EQ(to_postgres_placeholders("SELECT 'unterminated ?"), "SELECT 'unterminated ?");
}

TEST(Dialect, FragmentsDifferOnlyWhereTheBackendsDo) {
  Dialect sqlite(Backend::Sqlite), postgres(Backend::Postgres);
  EXPECT_STREQ(sqlite.skip_locked(), "");
  EXPECT_STREQ(postgres.skip_locked(), " FOR UPDATE SKIP LOCKED");
  EXPECT_STREQ(sqlite.for_update(), "");
  EXPECT_STREQ(postgres.for_update(), " FOR UPDATE");
  EXPECT_STREQ(sqlite.schema_lock(), "");
  EXPECT_NE(std::string(postgres.schema_lock()).find("pg_advisory_lock"), std::string::npos);
}

}  // namespace
}  // namespace portier::storage::sql
