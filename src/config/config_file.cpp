#include "config/config_file.h"

#include <algorithm>
#include <utility>

namespace portier {
namespace {

bool holds_tables(const toml::array& a) {
  return std::any_of(a.begin(), a.end(), [](const toml::node& n) { return n.is_table(); });
}

struct Unknown {
  std::size_t line;
  std::string key;
};

}  // namespace

bool ConfigFile::consulted_below(const std::string& path) const {
  for (const char* sep : {".", "["}) {
    const std::string prefix = path + sep;
    auto it = consulted_.lower_bound(prefix);
    if (it != consulted_.end() && it->rfind(prefix, 0) == 0) return true;
  }
  return false;
}

toml::node_view<const toml::node> ConfigFile::at_path(std::string_view path) const {
  consulted_.emplace(path);
  return table_.at_path(path);
}

std::vector<std::string> ConfigFile::unknown_keys() const {
  std::vector<Unknown> found;
  auto walk = [&](auto& self, const toml::node& node, const std::string& path) -> void {
    const bool consulted = consulted_.count(path) > 0;
    if (auto* table = node.as_table()) {
      // An empty section is unknown only when no reader looks inside it
      // ("[sms]" alone is fine, "[sever]" is a typo).
      if (table->empty() && !consulted && !path.empty() && !consulted_below(path))
        found.push_back({node.source().begin.line, path});
      for (auto&& [key, value] : *table)
        self(self, value, path.empty() ? std::string(key.str()) : path + "." + std::string(key.str()));
      return;
    }
    if (auto* array = node.as_array(); array && holds_tables(*array)) {
      for (std::size_t i = 0; i < array->size(); ++i)
        self(self, *array->get(i), path + "[" + std::to_string(i) + "]");
      return;
    }
    if (!consulted) found.push_back({node.source().begin.line, path});
  };
  walk(walk, table_, "");
  std::stable_sort(found.begin(), found.end(), [](const Unknown& a, const Unknown& b) { return a.line < b.line; });
  std::vector<std::string> out;
  for (auto& u : found) out.push_back(name_ + " line " + std::to_string(u.line) + ": unknown key " + u.key);
  return out;
}

bool read_string_list(const ConfigFile& t, std::string_view path, std::vector<std::string>& out,
                      std::string_view example, std::vector<std::string>& problems) {
  auto node = t.at_path(path);
  if (!node) return true;
  auto* list = node.as_array();
  std::vector<std::string> values;
  if (list)
    for (auto& item : *list)
      if (auto v = item.value<std::string>()) values.push_back(*v);
  if (!list || values.size() != list->size()) {
    problems.push_back(std::string(path) + ": expected a list of strings, such as " + std::string(example));
    return false;
  }
  out = std::move(values);
  return true;
}

}  // namespace portier
