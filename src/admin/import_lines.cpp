#include "admin/import_lines.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "account/identifiers.h"
#include "admin/csv_text.h"
#include "common/encoding.h"

namespace portier {

namespace {

// Header names, folded (lower case, no accents, punctuation as one space),
// French first. A spreadsheet export from an office's software or a list
// typed by hand: both name the same columns in many ways.
struct HeaderName {
  std::string_view folded;
  ImportField field;
};
constexpr HeaderName kHeaderNames[] = {
    {"identifiant", ImportField::Identifier},        {"identifier", ImportField::Identifier},
    {"login", ImportField::Identifier},              {"username", ImportField::Identifier},
    {"nom d utilisateur", ImportField::Identifier},  {"user name", ImportField::Identifier},
    {"adresse e mail", ImportField::Email},          {"adresse email", ImportField::Email},
    {"adresse mail", ImportField::Email},            {"adresse electronique", ImportField::Email},
    {"adresse de messagerie", ImportField::Email},   {"courriel", ImportField::Email},
    {"e mail", ImportField::Email},                  {"email", ImportField::Email},
    {"mail", ImportField::Email},                    {"email address", ImportField::Email},
    {"e mail address", ImportField::Email},          {"nom", ImportField::LastName},
    {"nom de famille", ImportField::LastName},       {"nom d usage", ImportField::LastName},
    {"last name", ImportField::LastName},            {"lastname", ImportField::LastName},
    {"surname", ImportField::LastName},              {"family name", ImportField::LastName},
    {"prenom", ImportField::FirstName},              {"first name", ImportField::FirstName},
    {"firstname", ImportField::FirstName},           {"given name", ImportField::FirstName},
    {"nom complet", ImportField::Name},              {"nom et prenom", ImportField::Name},
    {"prenom et nom", ImportField::Name},            {"nom affiche", ImportField::Name},
    {"name", ImportField::Name},                     {"full name", ImportField::Name},
    {"display name", ImportField::Name},             {"telephone", ImportField::Mobile},
    {"tel", ImportField::Mobile},                    {"telephone mobile", ImportField::Mobile},
    {"telephone portable", ImportField::Mobile},     {"portable", ImportField::Mobile},
    {"mobile", ImportField::Mobile},                 {"numero de mobile", ImportField::Mobile},
    {"numero de telephone", ImportField::Mobile},    {"phone", ImportField::Mobile},
    {"phone number", ImportField::Mobile},           {"mobile phone", ImportField::Mobile},
    {"cell phone", ImportField::Mobile},             {"gsm", ImportField::Mobile},
    {"rpps", ImportField::Rpps},                     {"n rpps", ImportField::Rpps},
    {"n\xC2\xB0 rpps", ImportField::Rpps},           {"no rpps", ImportField::Rpps},
    {"numero rpps", ImportField::Rpps},              {"rpps number", ImportField::Rpps},
    {"identifiant rpps", ImportField::Rpps},         {"num rpps", ImportField::Rpps},
};

constexpr std::size_t kMaxGeneratedTries = 1000;

bool blank(const CsvRecord& r) {
  return !r.stray_quote && std::all_of(r.fields.begin(), r.fields.end(), [](auto& f) { return trim(f).empty(); });
}

}  // namespace

std::string identifier_base(std::string_view text) {
  std::string out;
  for (char c : fold_header(text)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    else if (c == ' ' && !out.empty() && out.back() != '.') out += '.';
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out.substr(0, 60);
}

const char* to_string(ImportField f) {
  switch (f) {
    case ImportField::Identifier: return "identifier";
    case ImportField::Email: return "email";
    case ImportField::LastName: return "last_name";
    case ImportField::FirstName: return "first_name";
    case ImportField::Name: return "name";
    case ImportField::Mobile: return "mobile";
    case ImportField::Rpps: return "rpps";
  }
  return "";
}

std::optional<ImportField> field_of_header(std::string_view folded) {
  for (auto& h : kHeaderNames)
    if (h.folded == folded) return h.field;
  return std::nullopt;
}

std::vector<CsvRecord> parse_csv(std::string_view text, char separator) {
  // A spreadsheet's "CSV UTF-8" starts with a byte-order mark.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRecord> out;
  CsvRecord record{1, {""}};
  int line = 1;
  bool quoted = false;        // inside a quoted field
  bool after_quote = false;   // the field's closing quote was seen
  bool field_started = false; // the current field has content
  auto end_record = [&] {
    out.push_back(std::move(record));
    record = CsvRecord{line, {""}};
    after_quote = field_started = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          record.fields.back() += '"';
          ++i;
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        record.fields.back() += c;
      }
      continue;
    }
    if (c == separator) {
      record.fields.emplace_back();
      after_quote = field_started = false;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;  // CRLF: the LF ends the record
    } else if (c == '\n') {
      ++line;
      end_record();
    } else if (c == '"') {
      if (field_started || after_quote) record.stray_quote = true;
      else quoted = true;
      field_started = true;
    } else {
      if (after_quote) record.stray_quote = true;
      record.fields.back() += c;
      field_started = true;
    }
  }
  if (quoted) record.unterminated_quote = true;
  if (!blank(record) || record.unterminated_quote) out.push_back(std::move(record));
  std::erase_if(out, [](const CsvRecord& r) { return blank(r) && !r.unterminated_quote; });
  return out;
}

Result<ImportReport> check_import_lines(std::string_view bytes, const ImportSettings& settings,
                                        const IdentifierTaken& is_taken) {
  ImportReport report;
  report.columns.assign(kImportFieldCount, false);
  auto problem = [&](int line, std::string code, std::string message, std::string field = {}) {
    report.problems.push_back({line, std::move(code), std::move(message), std::move(field)});
  };
  auto decoded = decode_csv_bytes(bytes);
  if (!decoded) {
    problem(1, "encoding", "neither UTF-8 nor Windows-1252 (save the file as CSV UTF-8)");
    return report;
  }
  report.encoding = decoded->encoding;
  report.separator = detect_separator(decoded->text);
  auto records = parse_csv(decoded->text, report.separator);
  if (records.empty()) {
    problem(1, "empty", "the file is empty: expected a header line naming at least the email column");
    return report;
  }

  // The header: which column holds what. Two columns for one field: the first wins.
  const auto& header = records.front();
  std::vector<std::optional<ImportField>> column_field;
  for (auto& cell : header.fields) {
    auto field = field_of_header(fold_header(trim(cell)));
    if (field && report.columns[static_cast<int>(*field)]) field.reset();
    if (field) report.columns[static_cast<int>(*field)] = true;
    else if (!trim(cell).empty()) report.ignored_columns.emplace_back(trim(cell));
    column_field.push_back(field);
  }
  auto has = [&](ImportField f) { return report.columns[static_cast<int>(f)]; };
  if (header.stray_quote || header.unterminated_quote || !has(ImportField::Email)) {
    problem(header.line, "header",
            "the first line must name the columns, at least the email address (\"Adresse e-mail\" or \"email\")");
    return report;
  }
  report.identifiers_made = !has(ImportField::Identifier);
  // Made identifiers are shown in the preview like read ones.
  report.columns[static_cast<int>(ImportField::Identifier)] = true;
  if (records.size() == 1) problem(header.line, "empty", "no member lines after the header");
  if (records.size() - 1 > settings.max_lines)
    problem(records[settings.max_lines + 1].line, "too_many_lines",
            "at most " + std::to_string(settings.max_lines) + " members per file");

  std::map<std::string, int> seen;  // identifier -> line
  for (std::size_t r = 1; r < records.size() && r <= settings.max_lines; ++r) {
    const auto& rec = records[r];
    int line = rec.line;
    ImportRow row;
    row.line = line;
    row.cells.assign(kImportFieldCount, "");
    auto line_problem = [&](std::string code, std::string message) {
      problem(line, std::move(code), std::move(message));
      report.rows.push_back(row);
    };
    if (rec.unterminated_quote) {
      line_problem("quote", "a quoted field is never closed");
      continue;
    }
    if (rec.stray_quote) {
      line_problem("quote", "a quote inside an unquoted field (quote the field and double its quotes)");
      continue;
    }
    // Spreadsheets leave out trailing empty cells; more cells than the header
    // names, unless empty, means the separator is inside a value.
    bool extra = false;
    for (std::size_t i = 0; i < rec.fields.size(); ++i) {
      if (i >= column_field.size()) extra = extra || !trim(rec.fields[i]).empty();
      else if (column_field[i]) row.cells[static_cast<int>(*column_field[i])] = std::string(trim(rec.fields[i]));
    }
    if (extra) {
      line_problem("columns", "expected " + std::to_string(column_field.size()) + " fields, found " +
                                  std::to_string(rec.fields.size()));
      continue;
    }
    auto cell = [&](ImportField f) -> std::string& { return row.cells[static_cast<int>(f)]; };
    Account a;
    a.role = Role::Member;
    a.status = AccountStatus::Pending;
    bool good = true;
    auto bad = [&](ImportField f, std::string code, std::string message) {
      problem(line, std::move(code), std::move(message), to_string(f));
      good = false;
    };

    if (auto email = normalize_email(cell(ImportField::Email))) a.email = *email;
    else bad(ImportField::Email, "email_invalid", "email '" + cell(ImportField::Email) + "' is not a valid address");

    a.display_name = cell(ImportField::Name);
    if (a.display_name.empty()) {
      auto first = cell(ImportField::FirstName), last = cell(ImportField::LastName);
      a.display_name = std::string(trim(first + " " + last));
    }
    if (a.display_name.size() > 120) bad(ImportField::Name, "name_invalid", "name: at most 120 characters");

    if (!report.identifiers_made) {
      if (auto id = normalize_identifier(cell(ImportField::Identifier))) {
        a.identifier = *id;
        if (auto [it, inserted] = seen.emplace(*id, line); !inserted) {
          bad(ImportField::Identifier, "identifier_duplicate",
              "identifier '" + *id + "' also on line " + std::to_string(it->second));
        } else {
          auto taken = is_taken(*id);
          if (!taken) return tl::unexpected(taken.error());
          if (*taken) bad(ImportField::Identifier, "identifier_taken", "identifier '" + *id + "' is already taken");
        }
      } else {
        bad(ImportField::Identifier, "identifier_invalid",
            "identifier '" + cell(ImportField::Identifier) + "': 3 to 64 characters among letters, digits and . _ - @");
      }
    } else if (good) {
      // "claire.martin", or the address's local part without a name; then
      // "claire.martin2"... past the ones taken in the file or the database.
      auto base = identifier_base(a.display_name);
      if (base.size() < 3) base = identifier_base(a.email.substr(0, a.email.find('@')));
      if (base.size() < 3) base = "membre";
      for (std::size_t n = 1; n <= kMaxGeneratedTries && a.identifier.empty(); ++n) {
        auto candidate = n == 1 ? base : base + std::to_string(n);
        if (seen.contains(candidate)) continue;
        auto taken = is_taken(candidate);
        if (!taken) return tl::unexpected(taken.error());
        if (!*taken) a.identifier = candidate;
      }
      if (a.identifier.empty()) bad(ImportField::Identifier, "identifier_taken", "no free identifier from '" + base + "'");
      else seen.emplace(a.identifier, line);
      cell(ImportField::Identifier) = a.identifier;
    }
    if (a.display_name.empty()) a.display_name = a.identifier;

    if (auto mobile = cell(ImportField::Mobile); !mobile.empty()) {
      if (auto phone = normalize_phone(mobile, settings.phone_default_country)) a.phone = *phone;
      else bad(ImportField::Mobile, "mobile_invalid",
               "mobile '" + mobile + "' is not a mobile number (E.164 such as +33612345678)");
    }
    if (auto rpps = cell(ImportField::Rpps); !rpps.empty()) {
      if (auto n = normalize_rpps(rpps)) a.rpps = *n;
      else bad(ImportField::Rpps, "rpps_invalid", "rpps '" + rpps + "': expected 11 digits");
    }
    row.valid = good;
    if (good) {
      row.account = report.accounts.size();
      report.accounts.push_back(std::move(a));
    }
    report.rows.push_back(std::move(row));
  }
  return report;
}

}  // namespace portier
