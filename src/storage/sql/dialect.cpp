#include "storage/sql/dialect.h"

#include <cctype>

namespace portier::storage::sql {

std::string to_postgres_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int next = 1;  // the number a bare `?` stands for
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"') {  // copy a quoted literal or name whole ('' and "" escape themselves)
      std::size_t end = sql.find(c, i + 1);
      if (end == std::string_view::npos) end = sql.size() - 1;
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // line comment
      std::size_t end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size() - 1;
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '?') {
      std::size_t j = i + 1;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
      out += '$';
      if (j > i + 1) {
        out.append(sql.substr(i + 1, j - i - 1));
      } else {
        out += std::to_string(next);
      }
      ++next;
      i = j - 1;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace portier::storage::sql
