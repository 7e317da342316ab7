#include "config/card_config.h"

#include "config/card_config_reader.h"

namespace portier {

void read_card_config(const ConfigFile& t, CardConfig& c, std::vector<std::string>& p) {
  auto flag = [&](const char* path, bool& out) {
    if (auto node = t.at_path(path)) {
      if (auto v = node.value<bool>()) out = *v;
      else p.push_back(std::string(path) + ": expected true or false");
    }
  };
  auto text = [&](const char* path, std::string& out) {
    if (auto node = t.at_path(path)) {
      if (auto v = node.value<std::string>()) out = *v;
      else p.push_back(std::string(path) + ": expected a string");
    }
  };
  flag("card.enabled", c.enabled);
  text("card.public_url", c.public_url);
  text("card.identifier_rule", c.identifier_rule);
  flag("card.second_step", c.second_step);
}

void validate_card_config(const CardConfig& c, std::vector<std::string>& p) {
  if (c.identifier_rule != "rpps" && c.identifier_rule != "linked_only")
    p.push_back("card.identifier_rule: \"rpps\" or \"linked_only\"");
  if (!c.public_url.empty()) {
    // The card page redirects to the main origin and back: an https origin,
    // no path (a path would be lost), no trailing slash.
    auto rest = c.public_url.rfind("https://", 0) == 0 ? c.public_url.substr(8) : std::string();
    if (rest.empty() || rest.find_first_of("/?#@ ") != std::string::npos)
      p.push_back("card.public_url: an https origin such as https://carte.reseau.example (no path, no trailing '/')");
  }
}

}  // namespace portier
