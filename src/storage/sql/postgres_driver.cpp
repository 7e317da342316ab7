#include "storage/sql/postgres_driver.h"

#include <libpq-fe.h>

#include <poll.h>

#include <charconv>
#include <cstring>

namespace portier::storage::sql {

namespace {

// SQLSTATE classes that a later attempt may not meet: the server is
// unreachable, shutting down, out of resources, or this statement ran past
// statement_timeout. A member sees "try again", never a signed-out page.
bool transient_state(std::string_view state) {
  return state.starts_with("08") || state.starts_with("53") || state.starts_with("57") ||
         state == "40001" || state == "40P01";
}

Error pg_error(PGconn* conn, const PGresult* res, std::string_view what, std::string& state_out) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  state_out = state ? state : "";
  std::string detail(what.substr(0, 120));
  detail += ": ";
  const char* message = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  detail += message && *message ? message : PQerrorMessage(conn);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  if (PQstatus(conn) == CONNECTION_BAD || transient_state(state_out)) return Error{ErrorCode::Unavailable, detail};
  if (state_out == "23505") return Error{ErrorCode::Conflict, detail};  // unique_violation
  return Error{ErrorCode::Internal, detail};
}

class PgCursor final : public Cursor {
public:
  explicit PgCursor(PGresult* res) : res_(res) {}
  ~PgCursor() override { PQclear(res_); }

  Result<bool> step() override { return ++row_ < PQntuples(res_); }
  Result<int> run() override {
    const char* n = PQcmdTuples(res_);
    return n && *n ? std::atoi(n) : 0;
  }
  std::string text(int column) const override {
    return std::string(PQgetvalue(res_, row_, column), static_cast<std::size_t>(PQgetlength(res_, row_, column)));
  }
  std::int64_t int64(int column) const override {
    const char* v = PQgetvalue(res_, row_, column);
    std::int64_t out = 0;
    std::from_chars(v, v + std::strlen(v), out);
    return out;
  }
  bool is_null(int column) const override { return PQgetisnull(res_, row_, column) != 0; }

private:
  PGresult* res_;
  int row_ = -1;
};

class PgConnection final : public Connection {
public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }

  const Dialect& dialect() const override {
    static const Dialect d(Backend::Postgres);
    return d;
  }

  Result<Statement> query(std::string_view sql, std::vector<Param> params) override {
    std::string text = to_postgres_placeholders(sql);
    std::vector<std::string> numbers(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (auto* n = std::get_if<std::int64_t>(&params[i])) {
        numbers[i] = std::to_string(*n);
        values[i] = numbers[i].c_str();
      } else if (auto* s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();
      }
    }
    PGresult* res = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                                 nullptr, nullptr, 0);
    auto status = PQresultStatus(res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      Error error = pg_error(conn_, res, sql, last_state_);
      PQclear(res);
      return tl::unexpected(std::move(error));
    }
    return Statement(std::make_unique<PgCursor>(res));
  }

  Result<void> exec(std::string_view sql) override {
    std::string text(sql);
    PGresult* res = PQexec(conn_, text.c_str());
    auto status = PQresultStatus(res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      Error error = pg_error(conn_, res, sql, last_state_);
      PQclear(res);
      return tl::unexpected(std::move(error));
    }
    PQclear(res);
    return {};
  }

  Result<void> begin() override { return exec("BEGIN ISOLATION LEVEL READ COMMITTED"); }
  Result<void> commit() override { return exec("COMMIT"); }
  void rollback() override {
    if (in_transaction()) PQclear(PQexec(conn_, "ROLLBACK"));
  }
  bool in_transaction() const override {
    auto s = PQtransactionStatus(conn_);
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR;
  }
  bool last_failure_retryable() const override { return last_state_ == "40001" || last_state_ == "40P01"; }
  // Asked of an idle connection as it leaves the pool. A server that
  // restarted or failed over closed the socket meanwhile, which libpq only
  // notices on the next read: read what is pending now (without blocking),
  // so the pool reconnects before a statement is sent, rather than the
  // member's request failing on a dead connection.
  bool broken() const override {
    if (PQstatus(conn_) == CONNECTION_BAD) return true;
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    if (fd.fd < 0) return true;
    if (::poll(&fd, 1, 0) > 0 && PQconsumeInput(conn_) == 0) return true;
    return PQstatus(conn_) == CONNECTION_BAD;
  }

private:
  PGconn* conn_;
  std::string last_state_;
};

Result<std::unique_ptr<Connection>> connect(const PostgresOptions& options) {
  // connect_timeout first, so that the operator's connection string, read
  // after it, may set another: without one, an unreachable server holds a
  // worker for the system's TCP timeout (minutes).
  const char* keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {"5", options.conninfo.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = conn ? PQerrorMessage(conn) : "out of memory";
    PQfinish(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return fail(ErrorCode::Unavailable, "PostgreSQL connection: " + message);
  }
  auto out = std::make_unique<PgConnection>(conn);
  // Times are Unix seconds bound by portier, never the server's clock or
  // zone; the statement timeout bounds how long a worker can be held.
  auto set = out->exec("SET statement_timeout = " + std::to_string(options.statement_timeout.count()) +
                       "; SET application_name = 'portier'; SET client_min_messages = warning");
  if (!set) return tl::unexpected(set.error());
  return std::unique_ptr<Connection>(std::move(out));
}

}  // namespace

Result<std::shared_ptr<Database>> open_postgres(const PostgresOptions& options) {
  return Database::open(
      Dialect(Backend::Postgres), [options]() { return connect(options); }, options.pool_size);
}

}  // namespace portier::storage::sql
