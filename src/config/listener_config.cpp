#include "config/listener_config.h"

#include <fstream>

#include "config/config.h"
#include "config/listener_config_reader.h"
#include "throttle/address_ranges.h"

namespace portier {
namespace {

bool readable(const std::string& file) { return static_cast<bool>(std::ifstream(file)); }

}  // namespace

void read_listener_config(const ConfigFile& t, std::vector<ListenerConfig>& listeners,
                          std::vector<std::string>& trusted_proxies, std::vector<std::string>& p) {
  // Trusting X-Forwarded-For from any peer let whoever reaches the port
  // choose their address (and so escape every per-address limit): refused,
  // with what to write instead.
  if (t.at_path("server.trust_forwarded_for"))
    p.push_back("server.trust_forwarded_for: replaced by server.trusted_proxies, the addresses of your reverse "
                "proxies, such as trusted_proxies = [\"127.0.0.1\", \"10.0.0.5/32\"]; forwarding headers from "
                "any other peer are ignored");
  read_string_list(t, "server.trusted_proxies", trusted_proxies, "[\"127.0.0.1\", \"10.0.0.0/24\", \"::1\"]", p);
  auto node = t.at_path("server.listeners");
  if (!node) return;
  auto* tables = node.as_array();
  if (!tables || !tables->is_array_of_tables()) {
    p.push_back("server.listeners: expected [[server.listeners]] tables");
    return;
  }
  listeners.clear();
  for (std::size_t i = 0; i < tables->size(); ++i) {
    const std::string at = "server.listeners[" + std::to_string(i) + "]";
    ListenerConfig l;
    read(t, at + ".address", l.address, p);
    read(t, at + ".tls_certificate", l.tls_certificate, p);
    read(t, at + ".tls_key", l.tls_key, p);
    read(t, at + ".client_certificates", l.client_certificates, p);
    read(t, at + ".client_ca", l.client_ca, p);
    read_string_list(t, at + ".crl", l.crl, "[\"/etc/portier/igc-sante.crl\"]", p);
    listeners.push_back(std::move(l));
  }
}

void validate_listeners(const std::vector<ListenerConfig>& listeners, std::vector<std::string>& p) {
  for (std::size_t i = 0; i < listeners.size(); ++i) {
    const auto& l = listeners[i];
    const std::string at = "server.listeners[" + std::to_string(i) + "]";
    std::string host;
    std::uint16_t port = 0;
    if (!split_listen(l.address, host, port))
      p.push_back(at + ".address: expected host:port, got '" + l.address + "'");
    if (l.tls_certificate.empty() != l.tls_key.empty())
      p.push_back(at + ": tls_certificate and tls_key go together (both for HTTPS, neither for plain HTTP)");
    for (auto [key, file] : {std::pair{"tls_certificate", &l.tls_certificate}, {"tls_key", &l.tls_key},
                             {"client_ca", &l.client_ca}})
      if (!file->empty() && !readable(*file)) p.push_back(at + "." + key + ": cannot read " + *file);
    for (const auto& crl : l.crl)
      if (!readable(crl)) p.push_back(at + ".crl: cannot read " + crl);
    const auto& mode = l.client_certificates;
    if (mode != "none" && mode != "optional" && mode != "required") {
      p.push_back(at + ".client_certificates: \"none\", \"optional\" or \"required\", got \"" + mode + "\"");
      continue;
    }
    if (mode != "none" && l.client_ca.empty())
      p.push_back(at + ".client_certificates = \"" + mode +
                  "\" needs client_ca, the CA bundle client certificates must chain to");
    if (mode == "none" && (!l.client_ca.empty() || !l.crl.empty()))
      p.push_back(at + ": client_ca and crl are used only with client_certificates = \"optional\" or \"required\"");
    if (mode == "required" && !l.is_tls())
      p.push_back(at + ".client_certificates = \"required\" needs TLS on this listener (tls_certificate and tls_key); "
                  "behind a proxy use \"optional\"");
  }
  for (std::size_t i = 0; i < listeners.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (listeners[i].address == listeners[j].address && !listeners[i].address.ends_with(":0"))
        p.push_back("server.listeners[" + std::to_string(i) + "].address: same as server.listeners[" +
                    std::to_string(j) + "]");
}

void validate_trusted_proxies(const std::vector<std::string>& ranges, std::vector<std::string>& p) {
  std::vector<std::string> bad;
  if (!AddressRanges::parse(ranges, &bad))
    for (const auto& b : bad)
      p.push_back("server.trusted_proxies: \"" + b +
                  "\" is not an address or a range such as 10.0.0.0/24 or fd00::/64 (no host bits after the prefix)");
}

}  // namespace portier
