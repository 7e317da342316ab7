#pragma once
// Reads the [oidc] section of a parsed configuration file. Apart from
// oidc_config.h so that only config.cpp pulls toml++ in.
#include <string>
#include <vector>

#include "config/config_file.h"
#include "config/oidc_config.h"

namespace portier {

// Records a problem for each key of the wrong type; missing keys keep their defaults.
void read_oidc_config(const ConfigFile& file, OidcConfig& oidc, std::vector<std::string>& problems);

}  // namespace portier
