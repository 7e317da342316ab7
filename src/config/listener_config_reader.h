#pragma once
// Reads [[server.listeners]], server.trusted_proxies, and refuses the old
// server.trust_forwarded_for. Apart from listener_config.h so that only
// config/ pulls toml++ in.
#include <string>
#include <vector>

#include "config/config_file.h"
#include "config/listener_config.h"

namespace portier {

void read_listener_config(const ConfigFile& file, std::vector<ListenerConfig>& listeners,
                          std::vector<std::string>& trusted_proxies, std::vector<std::string>& problems);

}  // namespace portier
