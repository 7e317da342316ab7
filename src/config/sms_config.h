#pragma once
// The [sms] section: how SMS leave the outbox. An HTTP gateway described by
// configuration (see notify/http_sms_sender.h), or, when gateway_url is
// empty, .sms files in <data_dir>/outbox. Plain data, no I/O.
#include <chrono>
#include <string>
#include <vector>

#include "notify/http_sms_sender.h"
#include "throttle/sms_budget.h"

namespace portier {

struct SmsConfig {
  std::string gateway_url;            // https://… (http:// only to loopback); empty: files. PORTIER_SMS_GATEWAY_URL
  std::string method = "POST";        // POST or GET
  std::vector<std::string> headers;   // "Name: value", e.g. "Authorization: Bearer {{secret}}"
  std::string body_template;          // mustache; empty: to, text and sender in body_format
  std::string body_format = "json";   // json or form
  std::string secret;                 // {{secret}}; PORTIER_SMS_SECRET. Never logged
  std::string sender;                 // {{sender}}: the name or number shown to the member
  std::vector<int> success_status;    // empty: any 2xx
  std::string success_body_contains;  // for gateways that answer 200 with an error
  std::chrono::seconds timeout{30};
  // Against SMS pumping (throttle/sms_budget.h): per day, counted in the database.
  int verification_codes_per_account = 5;  // codes to numbers being added, per account
  int codes_per_number = 10;               // every code to one number (adding it, second step)
  int daily_ceiling = 1000;                // every code the service texts
  int robot_check_after = 2;               // verification codes per account before the robot check
  std::vector<std::string> allowed_prefixes = kDefaultSmsPrefixes;  // E.164 prefixes numbers must start with
};

// Overrides from PORTIER_SMS_GATEWAY_URL and PORTIER_SMS_SECRET.
void apply_sms_env(SmsConfig& sms);
// Appends one line per problem of `sms` to `problems`.
void validate_sms_config(const SmsConfig& sms, std::vector<std::string>& problems);
// The anti-pumping limits of the section.
SmsLimits sms_limits(const SmsConfig& sms);
// What the HTTP sender needs from the section.
SmsGatewaySettings sms_gateway_settings(const SmsConfig& sms);

}  // namespace portier
