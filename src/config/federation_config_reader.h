#pragma once
// Reads and validates [[federation.providers]]. Apart from federation_config.h
// so that only config/ pulls toml++ in.
#include <string>
#include <vector>

#include "config/config_file.h"
#include "config/federation_config.h"

namespace portier {

// Reads every provider table, applies its preset, reads client_secret_file,
// and records each problem with the provider's position and key.
void read_federation_config(const ConfigFile& file, FederationConfig& out, std::vector<std::string>& problems);

// Checks a complete configuration (also one built in code, as tests do).
void validate_federation_config(const FederationConfig& config, std::vector<std::string>& problems);

}  // namespace portier
