#include "web/form.h"

#include <boost/url/parse_query.hpp>

#include "common/encoding.h"

namespace portier::web {

std::optional<Form> Form::parse(std::string_view encoded) {
  Form form;
  if (encoded.empty()) return form;
  // Boost.URL 1.81's parse_query() rebuilds its view of the input from the
  // bare pointer (strlen), so it reads up to the next NUL byte rather than to
  // the end of `encoded`: past a view into a larger buffer, or out of bounds
  // (found by tests/fuzz/form_fuzz; boostorg/url#757, fixed in later Boost).
  // A copy of our own ends where the input ends.
  const std::string terminated(encoded);
  auto params = boost::urls::parse_query(terminated);
  if (!params) return std::nullopt;
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (auto p : *params) {
    if (form.fields_.size() >= kMaxFields) return std::nullopt;
    std::string key = p.key.decode(opts);
    std::string value = p.has_value ? p.value.decode(opts) : std::string();
    if (!is_valid_utf8(key) || !is_valid_utf8(value)) return std::nullopt;
    if (key.find('\0') != std::string::npos || value.find('\0') != std::string::npos) return std::nullopt;
    form.fields_.emplace_back(std::move(key), std::move(value));
  }
  return form;
}

const std::string& Form::get(std::string_view name) const {
  static const std::string empty;
  for (auto& [k, v] : fields_)
    if (k == name) return v;
  return empty;
}

bool Form::has(std::string_view name) const {
  for (auto& [k, v] : fields_)
    if (k == name) return true;
  return false;
}

std::vector<std::string> Form::get_all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields_)
    if (k == name) out.push_back(v);
  return out;
}

}  // namespace portier::web
