// The ends of `portier db copy` as written on the command line, and the
// redaction that keeps a DSN's password out of every message.
#include "storage/copy/copy_endpoints.h"

#include <gtest/gtest.h>

namespace portier::storage::copy {
namespace {

TEST(CopyEndpoints, SourceIsAnSqlitePathWithOrWithoutItsPrefix) {
  EXPECT_EQ(parse_sqlite_source("sqlite:data/portier.db").value(), "data/portier.db");
  EXPECT_EQ(parse_sqlite_source("sqlite:/var/lib/portier/portier.db").value(), "/var/lib/portier/portier.db");
  EXPECT_EQ(parse_sqlite_source("/var/lib/portier/portier.db").value(), "/var/lib/portier/portier.db");
  EXPECT_FALSE(parse_sqlite_source("sqlite:"));
  EXPECT_FALSE(parse_sqlite_source("postgres:dbname=portier"));
}

TEST(CopyEndpoints, TargetIsAConnectionStringOrAUri) {
  EXPECT_EQ(parse_postgres_target("postgres:host=/run/postgresql dbname=portier").value(),
            "host=/run/postgresql dbname=portier");
  EXPECT_EQ(parse_postgres_target("postgresql:dbname=portier").value(), "dbname=portier");
  EXPECT_EQ(parse_postgres_target("postgresql://portier@db.example.org/portier").value(),
            "postgresql://portier@db.example.org/portier");
  EXPECT_EQ(parse_postgres_target("postgres://db/portier").value(), "postgres://db/portier");
  EXPECT_EQ(parse_postgres_target("postgres:postgresql://db/portier").value(), "postgresql://db/portier");
  EXPECT_FALSE(parse_postgres_target("postgres:"));
  EXPECT_FALSE(parse_postgres_target("postgres:  "));
  EXPECT_FALSE(parse_postgres_target("mysql://db/portier"));
  EXPECT_FALSE(parse_postgres_target("dbname=portier"));
}

TEST(CopyEndpoints, RedactsThePasswordOfAConnectionString) {
  EXPECT_EQ(redact_dsn("host=db user=portier password=s3cret dbname=portier"),
            "host=db user=portier password=*** dbname=portier");
  EXPECT_EQ(redact_dsn("password = 'it\\'s a secret' host=db"), "password = *** host=db");
  EXPECT_EQ(redact_dsn("host=db password=back\\ slash"), "host=db password=***");
  EXPECT_EQ(redact_dsn("host=db dbname=portier"), "host=db dbname=portier");
  EXPECT_EQ(redact_dsn("host=db password="), "host=db password=***");
  EXPECT_EQ(redact_dsn("host=db password=s3cret"), "host=db password=***");
}

TEST(CopyEndpoints, RedactsThePasswordOfAUri) {
  EXPECT_EQ(redact_dsn("postgresql://portier:s3cret@db.example.org:5432/portier?sslmode=verify-full"),
            "postgresql://portier:***@db.example.org:5432/portier?sslmode=verify-full");
  EXPECT_EQ(redact_dsn("postgres://portier:p%40ss@db/portier"), "postgres://portier:***@db/portier");
  EXPECT_EQ(redact_dsn("postgresql://portier@db/portier"), "postgresql://portier@db/portier");
  EXPECT_EQ(redact_dsn("postgresql://db/portier?user=portier&password=s3cret&sslmode=require"),
            "postgresql://db/portier?user=portier&password=***&sslmode=require");
  EXPECT_EQ(redact_dsn("postgresql:///portier?password=s3cret"), "postgresql:///portier?password=***");
}

// libpq quotes pieces of a malformed connection string back in its errors.
TEST(CopyEndpoints, ScrubsThePasswordFromMessages) {
  EXPECT_EQ(scrub_password("bad secret", "host=db password=secret"), "bad ***");
  EXPECT_EQ(scrub_password("it's a secret here", "password='it\\'s a secret' host=db"), "it's a *** here");
  EXPECT_EQ(scrub_password("user p@ss failed", "postgresql://u:p%40ss@db/x"), "user *** failed");
  EXPECT_EQ(scrub_password("q=s3cret", "postgresql://db/x?password=s3cret"), "q=***");
  EXPECT_EQ(scrub_password("nothing here", "host=db"), "nothing here");
}

}  // namespace
}  // namespace portier::storage::copy
