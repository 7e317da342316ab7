#pragma once
// A parsed portier.toml that remembers every key path its readers consulted,
// so that the keys nobody read can be reported with their line numbers: a
// mistyped section or key must stop start-up, not silently fall back to the
// defaults. Readers need no registry: consulting a path is what declares it.
// Only config/ includes this header (it pulls toml++ in).
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <type_traits>
#include <vector>

namespace portier {

class ConfigFile {
public:
  ConfigFile() = default;  // no file: nothing to read, nothing unknown
  ConfigFile(toml::table table, std::string name) : table_(std::move(table)), name_(std::move(name)) {}

  // Like toml::table::at_path ("mail.smtp_url", "server.listeners[0].address"),
  // and records `path` as a key portier knows. A consulted value, or array of
  // values, covers everything below it; a consulted table or array of tables
  // does not: its entries are consulted one by one (so they are checked too).
  toml::node_view<const toml::node> at_path(std::string_view path) const;

  // "<file> line N: unknown key a.b.c" for every key (or empty table) of the
  // file that no reader consulted, in file order.
  std::vector<std::string> unknown_keys() const;

private:
  bool consulted_below(const std::string& path) const;  // some key inside `path` was read
  toml::table table_;
  std::string name_;
  mutable std::set<std::string, std::less<>> consulted_;
};

// Reads one optional value of type T at `path` (a string, a flag, a duration
// or a non-negative integer), recording a problem when the key exists with
// the wrong type. Every section reader uses it.
template <typename T>
void read(const ConfigFile& t, std::string_view path, T& out, std::vector<std::string>& problems) {
  auto node = t.at_path(path);
  if (!node) return;
  if constexpr (std::is_same_v<T, std::string>) {
    if (auto v = node.value<std::string>()) out = *v;
    else problems.push_back(std::string(path) + ": expected a string");
  } else if constexpr (std::is_same_v<T, bool>) {
    if (auto v = node.value<bool>()) out = *v;
    else problems.push_back(std::string(path) + ": expected true or false");
  } else if constexpr (std::is_same_v<T, std::chrono::milliseconds>) {
    if (auto v = node.value<std::int64_t>(); v && *v >= 0) out = std::chrono::milliseconds(*v);
    else problems.push_back(std::string(path) + ": expected a number of milliseconds");
  } else if constexpr (std::is_same_v<T, std::chrono::seconds>) {
    if (auto v = node.value<std::int64_t>()) out = std::chrono::seconds(*v);
    else problems.push_back(std::string(path) + ": expected a number of seconds");
  } else {
    if (auto v = node.value<std::int64_t>(); v && *v >= 0) out = static_cast<T>(*v);
    else problems.push_back(std::string(path) + ": expected a non-negative integer");
  }
}

// A list of strings at `path` into `out`. Absent: `out` is left as it is,
// true. Anything but a list of strings: a problem naming `example` (how the
// list is written, e.g. ["/etc/portier/igc-sante.crl"]), false.
bool read_string_list(const ConfigFile& t, std::string_view path, std::vector<std::string>& out,
                      std::string_view example, std::vector<std::string>& problems);

}  // namespace portier
