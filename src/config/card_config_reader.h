#pragma once
// Reads the [card] section of a parsed configuration file. Apart from
// card_config.h so that only config.cpp pulls toml++ in.
#include <string>
#include <vector>

#include "config/card_config.h"
#include "config/config_file.h"

namespace portier {

// Records a problem for each key of the wrong type; missing keys keep their defaults.
void read_card_config(const ConfigFile& file, CardConfig& card, std::vector<std::string>& problems);

}  // namespace portier
