#pragma once
// Reads the [assistance] section of a parsed configuration file. Apart from
// assistance_config.h so that only config.cpp pulls toml++ in.
#include <string>
#include <toml++/toml.h>
#include <vector>

#include "config/assistance_config.h"

namespace portier {

// Records a problem for each key of the wrong type; missing keys keep their defaults.
void read_assistance_config(const toml::table& file, AssistanceConfig& assistance, std::vector<std::string>& problems);

}  // namespace portier
