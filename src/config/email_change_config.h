#pragma once
// The [email_change] section: how long the proof sent to a new address
// lasts, how long its code is and how many tries it allows, and how often a
// member may ask. Plain data, no I/O.
#include <chrono>
#include <string>
#include <vector>

namespace portier {

struct EmailChangeConfig {
  std::chrono::seconds lifetime{24 * 3600};   // of the link, the code and the "this was not me" link
  int code_length = 12;                       // characters (alphabet of 31, ≈59 bits)
  int max_code_attempts = 5;                  // wrong codes before the change must be asked again
  std::chrono::seconds resend_cooldown{120};  // between two requests for one account
};

// Appends one line per problem of `email_change` to `problems`.
void validate_email_change_config(const EmailChangeConfig& email_change, std::vector<std::string>& problems);

}  // namespace portier
