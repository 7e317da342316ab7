#include "config/shared_address_config.h"

#include "config/shared_address_config_reader.h"
#include "throttle/address_ranges.h"

namespace portier {

void read_shared_address_config(const ConfigFile& t, SharedAddressConfig& s, std::vector<std::string>& p) {
  const char* example = "lockout.shared_addresses: expected a list of addresses or ranges, such as [\"192.0.2.0/24\"]";
  if (auto node = t.at_path("lockout.shared_addresses")) {
    s.ranges.clear();
    auto* list = node.as_array();
    if (!list) p.push_back(example);
    else
      for (auto& item : *list) {
        if (auto v = item.value<std::string>()) s.ranges.push_back(*v);
        else p.push_back(example);
      }
  }
  for (auto [key, out] : {std::pair{"lockout.shared_address_free_failures", &s.free_failures},
                          std::pair{"lockout.shared_address_successes", &s.successes}}) {
    auto node = t.at_path(key);
    if (!node) continue;
    if (auto v = node.value<std::int64_t>(); v && *v >= 1 && *v <= 1'000'000) *out = static_cast<int>(*v);
    else p.push_back(std::string(key) + ": expected a number from 1 to 1000000");
  }
}

void validate_shared_address_config(const SharedAddressConfig& s, std::vector<std::string>& p) {
  std::vector<std::string> bad;
  if (!AddressRanges::parse(s.ranges, &bad))
    for (const auto& b : bad)
      p.push_back("lockout.shared_addresses: \"" + b + "\" is not an address or a range such as 192.0.2.0/24 (no host bits after the prefix)");
}

}  // namespace portier
