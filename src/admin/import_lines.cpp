#include "admin/import_lines.h"

#include <map>

#include "account/identifiers.h"
#include "common/encoding.h"

namespace portier {

namespace {

constexpr const char* kHeader[] = {"identifier", "email", "name", "mobile", "rpps"};

bool blank(const CsvRecord& r) { return r.fields.size() == 1 && r.fields[0].empty() && !r.stray_quote; }

}  // namespace

std::vector<CsvRecord> parse_csv(std::string_view text) {
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
    if (c == ',') {
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

Result<ImportReport> check_import_lines(std::string_view csv, const ImportSettings& settings,
                                        const IdentifierTaken& is_taken) {
  ImportReport report;
  auto problem = [&](int line, std::string code, std::string message) {
    report.problems.push_back({line, std::move(code), std::move(message)});
  };
  auto records = parse_csv(csv);
  if (records.empty()) {
    problem(1, "empty", "the file is empty: expected the header identifier,email,name,mobile,rpps");
    return report;
  }
  const auto& header = records.front();
  bool header_ok = header.fields.size() == 5;
  for (std::size_t i = 0; header_ok && i < 5; ++i)
    header_ok = ascii_lower(trim(header.fields[i])) == kHeader[i];
  if (!header_ok) problem(header.line, "header", "the first line must be exactly: identifier,email,name,mobile,rpps");
  if (records.size() == 1) problem(header.line, "empty", "no member lines after the header");
  if (records.size() - 1 > settings.max_lines)
    problem(records[settings.max_lines + 1].line, "too_many_lines",
            "at most " + std::to_string(settings.max_lines) + " members per file");

  std::map<std::string, int> seen;  // identifier -> line
  for (std::size_t r = 1; r < records.size() && r <= settings.max_lines; ++r) {
    const auto& rec = records[r];
    int line = rec.line;
    if (rec.unterminated_quote) {
      problem(line, "quote", "a quoted field is never closed");
      continue;
    }
    if (rec.stray_quote) {
      problem(line, "quote", "a quote inside an unquoted field (quote the field and double its quotes)");
      continue;
    }
    bool utf8 = true;
    for (auto& f : rec.fields) utf8 = utf8 && is_valid_utf8(f);
    if (!utf8) {
      problem(line, "encoding", "not valid UTF-8 (save the file as CSV UTF-8)");
      continue;
    }
    if (rec.fields.size() != 5) {
      problem(line, "columns", "expected 5 fields, found " + std::to_string(rec.fields.size()));
      continue;
    }
    Account a;
    a.role = Role::Member;
    a.status = AccountStatus::Pending;
    bool good = true;
    if (auto id = normalize_identifier(trim(rec.fields[0]))) {
      a.identifier = *id;
      if (auto [it, inserted] = seen.emplace(*id, line); !inserted) {
        problem(line, "identifier_duplicate",
                "identifier '" + *id + "' also on line " + std::to_string(it->second));
        good = false;
      } else {
        auto taken = is_taken(*id);
        if (!taken) return tl::unexpected(taken.error());
        if (*taken) {
          problem(line, "identifier_taken", "identifier '" + *id + "' is already taken");
          good = false;
        }
      }
    } else {
      problem(line, "identifier_invalid",
              "identifier '" + std::string(trim(rec.fields[0])) + "': 3 to 64 characters among letters, digits and . _ - @");
      good = false;
    }
    if (auto email = normalize_email(trim(rec.fields[1]))) a.email = *email;
    else {
      problem(line, "email_invalid", "email '" + std::string(trim(rec.fields[1])) + "' is not a valid address");
      good = false;
    }
    a.display_name = std::string(trim(rec.fields[2]));
    if (a.display_name.size() > 120) {
      problem(line, "name_invalid", "name: at most 120 characters");
      good = false;
    }
    if (a.display_name.empty()) a.display_name = a.identifier;
    if (auto mobile = trim(rec.fields[3]); !mobile.empty()) {
      if (auto phone = normalize_phone(mobile, settings.phone_default_country)) a.phone = *phone;
      else {
        problem(line, "mobile_invalid", "mobile '" + std::string(mobile) + "' is not a mobile number (E.164 such as +33612345678)");
        good = false;
      }
    }
    if (auto rpps = trim(rec.fields[4]); !rpps.empty()) {
      if (auto n = normalize_rpps(rpps)) a.rpps = *n;
      else {
        problem(line, "rpps_invalid", "rpps '" + std::string(rpps) + "': expected 11 digits");
        good = false;
      }
    }
    if (good) report.accounts.push_back(std::move(a));
  }
  return report;
}

}  // namespace portier
