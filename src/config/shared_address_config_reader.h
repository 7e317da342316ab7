#pragma once
// Reads lockout.shared_addresses and its limits. Apart from
// shared_address_config.h so that only config.cpp pulls toml++ in.
#include <string>
#include <vector>

#include "config/config_file.h"
#include "config/shared_address_config.h"

namespace portier {

void read_shared_address_config(const ConfigFile& file, SharedAddressConfig& shared, std::vector<std::string>& problems);

}  // namespace portier
