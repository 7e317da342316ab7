#include "config/card_config.h"

#include "config/card_config_reader.h"

namespace portier {

void read_card_config(const ConfigFile& t, CardConfig& c, std::vector<std::string>& p) {
  read(t, "card.enabled", c.enabled, p);
  read(t, "card.public_url", c.public_url, p);
  read(t, "card.identifier_rule", c.identifier_rule, p);
  read(t, "card.second_step", c.second_step, p);
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
