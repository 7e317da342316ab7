#pragma once
// Reads the [assistance] section of a parsed configuration file. Apart from
// assistance_config.h so that only config/ pulls toml++ in.
#include <string>
#include <vector>

#include "config/config_file.h"
#include "config/assistance_config.h"

namespace portier {

// Records a problem for each key of the wrong type; missing keys keep their defaults.
void read_assistance_config(const ConfigFile& file, AssistanceConfig& assistance, std::vector<std::string>& problems);

}  // namespace portier
