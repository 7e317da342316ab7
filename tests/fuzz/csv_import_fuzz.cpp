// The member import's CSV (admin/import_lines.h): parse_csv, then the checks
// of every line (check_import_lines) with a pretend database where every
// identifier starting with "taken" exists.
// Invariants: records start on increasing lines; writing the records back as
// RFC 4180 and parsing again gives the same fields; every problem has a
// known code and a line inside the file; every accepted account carries
// normalised, valid UTF-8 values and an identifier seen once.
#include <set>

#include "account/identifiers.h"
#include "admin/import_lines.h"
#include "common/encoding.h"
#include "fuzz_check.h"

using namespace portier;

namespace {

const std::set<std::string> kCodes = {"identifier_invalid", "identifier_duplicate", "identifier_taken",
                                      "email_invalid",      "mobile_invalid",       "rpps_invalid",
                                      "name_invalid",       "columns",              "quote",
                                      "encoding",           "header",               "empty",
                                      "too_many_lines"};

std::string write_csv(const std::vector<CsvRecord>& records) {
  std::string out;
  for (const auto& r : records) {
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      if (i) out += ',';
      out += '"';
      for (char c : r.fields[i]) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  auto csv = fuzz::as_text(data, size);
  auto records = parse_csv(csv);
  int last_line = 0;
  bool clean = true;
  for (const auto& r : records) {
    FUZZ_CHECK(r.line > last_line);
    FUZZ_CHECK(!r.fields.empty());
    last_line = r.line;
    clean = clean && !r.unterminated_quote && !r.stray_quote;
  }
  int lines = 1;
  for (char c : csv) lines += c == '\n';
  FUZZ_CHECK(last_line <= lines);
  if (clean) {
    auto again = parse_csv(write_csv(records));
    FUZZ_CHECK(again.size() == records.size());
    for (std::size_t i = 0; i < records.size(); ++i) FUZZ_CHECK(again[i].fields == records[i].fields);
  }

  ImportSettings settings{"+33", "fr", 8};
  auto report = check_import_lines(csv, settings, [](const std::string& id) -> Result<bool> {
    return id.rfind("taken", 0) == 0;
  });
  FUZZ_CHECK(report);
  FUZZ_CHECK(!report->applied);
  for (const auto& p : report->problems) {
    FUZZ_CHECK(kCodes.count(p.code) == 1);
    FUZZ_CHECK(p.line >= 1 && p.line <= lines);
    FUZZ_CHECK(!p.message.empty());
  }
  FUZZ_CHECK(report->accounts.size() <= settings.max_lines);
  std::set<std::string> identifiers;
  for (const auto& a : report->accounts) {
    FUZZ_CHECK(identifiers.insert(a.identifier).second);
    FUZZ_CHECK(a.identifier.rfind("taken", 0) != 0);
    FUZZ_CHECK(normalize_identifier(a.identifier) == a.identifier);
    FUZZ_CHECK(normalize_email(a.email) == a.email);
    FUZZ_CHECK(is_valid_utf8(a.email) && is_valid_utf8(a.display_name));
    FUZZ_CHECK(!a.display_name.empty() && a.display_name.size() <= 120);
    if (a.phone) FUZZ_CHECK(normalize_phone(*a.phone, "+33") == a.phone);
    if (a.rpps) FUZZ_CHECK(normalize_rpps(*a.rpps) == a.rpps);
    FUZZ_CHECK(a.role == Role::Member && a.status == AccountStatus::Pending);
  }
  return 0;
}
