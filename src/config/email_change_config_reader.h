#pragma once
// Reads the [email_change] section of a parsed configuration file. Apart
// from email_change_config.h so that only config.cpp pulls toml++ in.
#include <string>
#include "config/config_file.h"
#include <vector>

#include "config/email_change_config.h"

namespace portier {

// Records a problem for each key of the wrong type; missing keys keep their defaults.
void read_email_change_config(const ConfigFile& file, EmailChangeConfig& email_change,
                              std::vector<std::string>& problems);

}  // namespace portier
