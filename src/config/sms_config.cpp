#include "config/sms_config.h"

#include <algorithm>
#include <cstdlib>
#include <regex>

#include "config/loopback.h"
#include "config/sms_config_reader.h"

namespace portier {

namespace {



}  // namespace

void read_sms_config(const ConfigFile& t, SmsConfig& s, std::vector<std::string>& p) {
  read(t, "sms.gateway_url", s.gateway_url, p);
  read(t, "sms.method", s.method, p);
  read(t, "sms.body_template", s.body_template, p);
  read(t, "sms.body_format", s.body_format, p);
  read(t, "sms.secret", s.secret, p);
  read(t, "sms.sender", s.sender, p);
  read(t, "sms.success_body_contains", s.success_body_contains, p);
  if (auto node = t.at_path("sms.headers")) {
    s.headers.clear();
    auto* list = node.as_array();
    if (!list) p.push_back("sms.headers: expected a list of \"Name: value\" strings");
    else
      for (auto& item : *list) {
        if (auto v = item.value<std::string>()) s.headers.push_back(*v);
        else p.push_back("sms.headers: expected a list of \"Name: value\" strings");
      }
  }
  if (auto node = t.at_path("sms.success_status")) {
    s.success_status.clear();
    auto* list = node.as_array();
    if (!list) p.push_back("sms.success_status: expected a list of HTTP statuses, such as [200, 201]");
    else
      for (auto& item : *list) {
        if (auto v = item.value<std::int64_t>()) s.success_status.push_back(static_cast<int>(*v));
        else p.push_back("sms.success_status: expected a list of HTTP statuses, such as [200, 201]");
      }
  }
  for (auto [key, out] : {std::pair{"sms.verification_codes_per_account", &s.verification_codes_per_account},
                          std::pair{"sms.codes_per_number", &s.codes_per_number},
                          std::pair{"sms.daily_ceiling", &s.daily_ceiling},
                          std::pair{"sms.robot_check_after", &s.robot_check_after}}) {
    auto node = t.at_path(key);
    if (!node) continue;
    if (auto v = node.value<std::int64_t>(); v && *v >= 0 && *v <= 1'000'000) *out = static_cast<int>(*v);
    else p.push_back(std::string(key) + ": expected a number from 0 to 1000000");
  }
  if (auto node = t.at_path("sms.allowed_prefixes")) {
    s.allowed_prefixes.clear();
    auto* list = node.as_array();
    if (!list) p.push_back("sms.allowed_prefixes: expected a list of E.164 prefixes, such as [\"+33\", \"+262\"]");
    else
      for (auto& item : *list) {
        if (auto v = item.value<std::string>()) s.allowed_prefixes.push_back(*v);
        else p.push_back("sms.allowed_prefixes: expected a list of E.164 prefixes, such as [\"+33\", \"+262\"]");
      }
  }
  if (auto node = t.at_path("sms.timeout")) {
    if (auto v = node.value<std::int64_t>()) s.timeout = std::chrono::seconds(*v);
    else p.push_back("sms.timeout: expected a number of seconds");
  }
}

void apply_sms_env(SmsConfig& s) {
  if (const char* v = std::getenv("PORTIER_SMS_GATEWAY_URL"); v && *v) s.gateway_url = v;
  // The usual way to hand over the secret: out of the file, which is often
  // readable by more people (and backups) than the service's environment.
  if (const char* v = std::getenv("PORTIER_SMS_SECRET"); v && *v) s.secret = v;
}

void validate_sms_config(const SmsConfig& s, std::vector<std::string>& p) {
  auto before = p.size();
  if (s.method != "POST" && s.method != "GET") p.push_back("sms.method: POST or GET");
  if (s.body_format != "json" && s.body_format != "form") p.push_back("sms.body_format: json or form");
  if (s.method == "GET" && !s.body_template.empty()) p.push_back("sms.body_template: a GET request has no body (put the values in the URL)");
  if (s.timeout.count() < 1 || s.timeout.count() > 120) p.push_back("sms.timeout: 1 to 120 seconds");
  for (int status : s.success_status)
    if (status < 200 || status > 299) p.push_back("sms.success_status: " + std::to_string(status) + " is not a 2xx status");
  // A token, then a colon and a value: anything else would be sent as garbage
  // or, with a line break, as a header of its own.
  static const std::regex header(R"(^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[ \t]*[^\s].*$)");
  for (const auto& h : s.headers)
    if (h.find_first_of("\r\n") != std::string::npos || !std::regex_match(h, header))
      p.push_back("sms.headers: expected \"Name: value\", got '" + h.substr(0, h.find(':')) + ":…'");
  static const std::regex prefix(R"(^\+[1-9][0-9]{0,5}$)");
  for (const auto& x : s.allowed_prefixes)
    if (!std::regex_match(x, prefix))
      p.push_back("sms.allowed_prefixes: '" + x.substr(0, 16) + "' is not an E.164 prefix such as \"+33\"");
  if (s.allowed_prefixes.empty())
    p.push_back("sms.allowed_prefixes: at least one prefix (no number could be added or texted)");
  if (s.gateway_url.empty()) return;

  const auto& url = s.gateway_url;
  bool https = url.rfind("https://", 0) == 0;
  if (!https && url.rfind("http://", 0) != 0) {
    p.push_back("sms.gateway_url: must start with https:// (or http:// to a loopback address), or be empty to write SMS to files");
    return;
  }
  auto host = sms_gateway_host(url);
  if (host == "?") p.push_back("sms.gateway_url: cannot read the host");
  else if (!https && !is_loopback_host(url_host(url)))
    p.push_back("sms.gateway_url: https:// is required (the secret and the codes would cross the network in clear); "
                "http:// is for loopback addresses only");
  bool uses_secret = url.find("{{secret}}") != std::string::npos || s.body_template.find("{{secret}}") != std::string::npos ||
                     std::any_of(s.headers.begin(), s.headers.end(),
                                 [](const std::string& h) { return h.find("{{secret}}") != std::string::npos; });
  if (uses_secret && s.secret.empty())
    p.push_back("sms.secret: the gateway settings use {{secret}}, but neither sms.secret nor PORTIER_SMS_SECRET is set");
  if (p.size() != before) return;
  // Render once with a sample message: templates that do not parse, raw
  // tags or a URL that breaks once filled in show up now, not at the first
  // sign-in that needs a code.
  OutboundMessage sample;
  sample.channel = MessageChannel::Sms;
  sample.recipient = "+33612345678";
  sample.body_text = "123456";
  if (auto r = build_sms_request(sms_gateway_settings(s), sample); !r) p.push_back("sms: " + r.error().detail);
}

SmsLimits sms_limits(const SmsConfig& s) {
  return SmsLimits{s.verification_codes_per_account, s.codes_per_number, s.daily_ceiling, s.robot_check_after,
                   s.allowed_prefixes};
}

SmsGatewaySettings sms_gateway_settings(const SmsConfig& s) {
  return SmsGatewaySettings{s.gateway_url,   s.method, s.headers,        s.body_template,
                            s.body_format,   s.secret, s.sender,         s.success_status,
                            s.success_body_contains, std::min(s.timeout, std::chrono::seconds(10)), s.timeout};
}

}  // namespace portier
