#pragma once
// The [lockout] keys for client addresses shared by many members (a
// hospital's NAT or proxy): the ranges, and the per-address limits that
// apply there instead of lockout.client_free_failures and
// lockout.successes_per_client. Per-account counters are unchanged.
#include <string>
#include <vector>

namespace portier {

struct SharedAddressConfig {
  std::vector<std::string> ranges;  // "192.0.2.0/24", "2001:db8:10::/48", "198.51.100.7"
  int free_failures = 200;          // failed sign-ins per client_window before robot check and delays
  int successes = 20000;            // successful sign-ins per success_window
};

void validate_shared_address_config(const SharedAddressConfig& shared, std::vector<std::string>& problems);

}  // namespace portier
