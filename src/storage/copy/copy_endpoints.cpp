#include "storage/copy/copy_endpoints.h"

#include <cctype>
#include <filesystem>
#include <vector>
#include <system_error>

#include "storage/sql/postgres_driver.h"
#include "storage/sql/sqlite_driver.h"

namespace portier::storage::copy {

namespace {

bool is_postgres_uri(std::string_view text) {
  return text.starts_with("postgresql://") || text.starts_with("postgres://");
}

// password=… in a key/value connection string: the value is a word or a
// single-quoted string with \' and \\ escapes (libpq's rules).
std::string redact_conninfo(std::string_view dsn, std::vector<std::string>* found = nullptr) {
  std::string out;
  std::size_t i = 0;
  while (i < dsn.size()) {
    std::size_t eq = dsn.find('=', i);
    if (eq == std::string_view::npos) {
      out.append(dsn.substr(i));
      break;
    }
    std::string_view key = dsn.substr(i, eq - i);
    std::size_t key_start = key.find_first_not_of(" \t\n");
    std::size_t key_end = key.find_last_not_of(" \t\n");
    std::string_view name = key_start == std::string_view::npos ? "" : key.substr(key_start, key_end - key_start + 1);
    out.append(key);
    out += '=';
    std::size_t v = eq + 1;
    while (v < dsn.size() && (dsn[v] == ' ' || dsn[v] == '\t' || dsn[v] == '\n')) out += dsn[v++];
    std::size_t end = v;
    if (end < dsn.size() && dsn[end] == '\'') {
      ++end;
      while (end < dsn.size() && dsn[end] != '\'') end += dsn[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, dsn.size());
    } else {
      while (end < dsn.size() && dsn[end] != ' ' && dsn[end] != '\t' && dsn[end] != '\n') end += dsn[end] == '\\' ? 2 : 1;
      end = std::min(end, dsn.size());
    }
    if (name == "password") {
      out += "***";
      if (found) found->emplace_back(dsn.substr(v, end - v));
    } else {
      out.append(dsn.substr(v, end - v));
    }
    i = end;
  }
  return out;
}

std::string redact_uri(std::string_view dsn, std::vector<std::string>* found = nullptr) {
  std::string out(dsn);
  std::size_t scheme = out.find("://");
  std::size_t authority = scheme + 3;
  std::size_t authority_end = out.find_first_of("/?#", authority);
  if (authority_end == std::string::npos) authority_end = out.size();
  std::size_t at = out.rfind('@', authority_end);
  if (at != std::string::npos && at >= authority) {
    std::size_t colon = out.find(':', authority);
    if (colon != std::string::npos && colon < at) {
      if (found) found->push_back(out.substr(colon + 1, at - colon - 1));
      out.replace(colon + 1, at - colon - 1, "***");
      authority_end = out.find_first_of("/?#", authority);
      if (authority_end == std::string::npos) authority_end = out.size();
    }
  }
  // ?password=… (and &password=…) in the query.
  std::size_t query = out.find('?', authority_end);
  while (query != std::string::npos) {
    std::size_t p = out.find("password=", query);
    if (p == std::string::npos) break;
    if (out[p - 1] != '?' && out[p - 1] != '&') {
      query = p + 1;
      continue;
    }
    std::size_t value = p + 9;
    std::size_t end = out.find_first_of("&#", value);
    if (end == std::string::npos) end = out.size();
    if (found) found->push_back(out.substr(value, end - value));
    out.replace(value, end - value, "***");
    query = value + 3;
  }
  return out;
}

// %40 -> @: libpq decodes a URI's user:password@ before it uses it.
std::string percent_decoded(const std::string& text) {
  std::string out;
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (text[k] == '%' && k + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[k + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[k + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(k + 1, 2), nullptr, 16));
      k += 2;
    } else {
      out += text[k];
    }
  }
  return out;
}

}  // namespace

Result<std::string> parse_sqlite_source(std::string_view text) {
  std::string_view path = text;
  if (text.starts_with("sqlite:")) path = text.substr(7);
  else if (text.starts_with("postgres:") || text.starts_with("postgresql:"))
    return fail(ErrorCode::InvalidInput, "--from must be an SQLite file (sqlite:PATH): copying from PostgreSQL is not supported");
  if (path.empty()) return fail(ErrorCode::InvalidInput, "--from needs a path: sqlite:PATH");
  return std::string(path);
}

Result<std::string> parse_postgres_target(std::string_view text) {
  std::string_view dsn;
  if (is_postgres_uri(text)) dsn = text;
  else if (text.starts_with("postgres:")) dsn = text.substr(9);
  else if (text.starts_with("postgresql:")) dsn = text.substr(11);
  else
    return fail(ErrorCode::InvalidInput,
                "--to must be a PostgreSQL database: postgres:DSN (a libpq connection string or a postgresql:// URI)");
  if (dsn.find_first_not_of(" \t") == std::string_view::npos)
    return fail(ErrorCode::InvalidInput, "--to needs a connection string after postgres:");
  return std::string(dsn);
}

std::string redact_dsn(std::string_view dsn) {
  return is_postgres_uri(dsn) ? redact_uri(dsn) : redact_conninfo(dsn);
}

std::string scrub_password(std::string text, std::string_view dsn) {
  std::vector<std::string> secrets;
  if (is_postgres_uri(dsn)) redact_uri(dsn, &secrets);
  else redact_conninfo(dsn, &secrets);
  for (std::string secret : secrets) {
    if (secret.size() >= 2 && secret.front() == '\'' && secret.back() == '\'') secret = secret.substr(1, secret.size() - 2);
    std::vector<std::string> forms{secret, percent_decoded(secret)};
    // Unquoted values end at a space for libpq: the words of a password
    // typed with spaces come back one by one in its complaints.
    for (std::size_t start = 0; start < secret.size();) {
      std::size_t end = std::min(secret.find(' ', start), secret.size());
      forms.push_back(secret.substr(start, end - start));
      start = end + 1;
    }
    for (const auto& form : forms) {
      if (form.size() < 3) continue;  // a shorter one would mask the message, not a secret
      for (std::size_t at = text.find(form); at != std::string::npos; at = text.find(form, at + 3))
        text.replace(at, form.size(), "***");
    }
  }
  return text;
}

Result<std::shared_ptr<sql::Database>> open_source(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return fail(ErrorCode::InvalidInput, "no SQLite file at " + path);
  return sql::open_sqlite_read_only(path);
}

Result<std::shared_ptr<sql::Database>> open_target(const std::string& dsn) {
  sql::PostgresOptions options;
  options.conninfo = dsn;
  options.pool_size = 1;
  options.statement_timeout = std::chrono::milliseconds(0);  // 0: none
  auto db = sql::open_postgres(options);
  if (!db) return db;
  // Text is UTF-8 in SQLite; say so, whatever the server's default encoding.
  if (auto set = (*db)->acquire().exec("SET client_encoding = 'UTF8'"); !set) return tl::unexpected(set.error());
  return db;
}

}  // namespace portier::storage::copy
