#pragma once
// application/x-www-form-urlencoded bodies and query strings, parsed
// defensively: malformed percent-encoding, invalid UTF-8, too many fields or
// NUL bytes make the whole input invalid rather than half-read.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portier::web {

class Form {
public:
  static constexpr std::size_t kMaxFields = 64;
  static std::optional<Form> parse(std::string_view encoded);
  // Fields already parsed and checked elsewhere (web/multipart.h).
  static Form from_fields(std::vector<std::pair<std::string, std::string>> fields) {
    Form f;
    f.fields_ = std::move(fields);
    return f;
  }

  // The first value of `name`, or "" when absent.
  const std::string& get(std::string_view name) const;
  bool has(std::string_view name) const;
  // Every value of `name` in order (checkbox groups), empty when absent.
  std::vector<std::string> get_all(std::string_view name) const;
  // Every (name, value) in the order sent; for the fuzz target's invariants.
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace portier::web
