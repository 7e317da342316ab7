#pragma once
// Reads the [sms] section of a parsed configuration file. Apart from
// sms_config.h so that only config/ pulls toml++ in.
#include <string>
#include <vector>

#include "config/config_file.h"
#include "config/sms_config.h"

namespace portier {

// Records a problem for each key of the wrong type; missing keys keep their defaults.
void read_sms_config(const ConfigFile& file, SmsConfig& sms, std::vector<std::string>& problems);

}  // namespace portier
