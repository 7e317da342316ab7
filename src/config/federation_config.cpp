#include "config/federation_config.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include "common/encoding.h"
#include "config/federation_config_reader.h"
#include "config/loopback.h"

namespace portier {

std::string issuer_from_discovery_url(const std::string& discovery_url) {
  auto at = discovery_url.find("/.well-known/");
  if (at == std::string::npos) return {};
  return discovery_url.substr(0, at);
}

namespace {

// What each preset fills when the operator leaves the key out.
void apply_preset(FederationProviderConfig& p) {
  if (p.preset == "psc" || p.preset == "psc-sandbox") {
    if (p.discovery_url.empty()) p.discovery_url = p.preset == "psc" ? kPscDiscoveryUrl : kPscSandboxDiscoveryUrl;
    if (p.scopes.empty()) p.scopes = "openid scope_all";
    if (p.acr_values.empty()) p.acr_values = "eidas1";
    if (p.subject_claim.empty()) p.subject_claim = "SubjectNameID";
    if (p.label.empty()) p.label = "Pro Santé Connect";
  } else {
    if (p.scopes.empty()) p.scopes = "openid profile email";
    if (p.subject_claim.empty()) p.subject_claim = "sub";
  }
  if (p.issuer.empty()) p.issuer = issuer_from_discovery_url(p.discovery_url);
}

// The secret file is read once at start; it must not be readable by others
// (the same rule as the secret key file), and its trailing newline is not part
// of the secret.
void read_secret_file(FederationProviderConfig& p, const std::string& where, std::vector<std::string>& problems) {
  struct stat st {};
  if (::stat(p.client_secret_file.c_str(), &st) != 0) {
    problems.push_back(where + "client_secret_file: cannot read " + p.client_secret_file);
    return;
  }
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    problems.push_back(where + "client_secret_file: " + p.client_secret_file +
                       " is readable by others; chmod 600 it");
    return;
  }
  std::ifstream in(p.client_secret_file, std::ios::binary);
  if (!in) {
    problems.push_back(where + "client_secret_file: cannot read " + p.client_secret_file);
    return;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  p.client_secret = std::string(trim(text));
  if (p.client_secret.empty()) problems.push_back(where + "client_secret_file: " + p.client_secret_file + " is empty");
}

bool is_id_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; }

bool has_word(const std::string& words, std::string_view word) {
  std::size_t i = 0;
  while (i < words.size()) {
    auto end = words.find(' ', i);
    if (end == std::string::npos) end = words.size();
    if (std::string_view(words).substr(i, end - i) == word) return true;
    i = end + 1;
  }
  return false;
}

// https, or http on loopback only (tests and a provider on the same machine):
// the client secret and the tokens travel to these addresses.
bool is_safe_url(const std::string& url) {
  if (url.rfind("https://", 0) == 0) return !url_host(url).empty();
  return url.rfind("http://", 0) == 0 && is_loopback_host(url_host(url));
}

}  // namespace

void read_federation_config(const ConfigFile& t, FederationConfig& out, std::vector<std::string>& problems) {
  auto node = t.at_path("federation.providers");
  if (!node) return;
  const auto* list = node.as_array();
  if (!list) {
    problems.push_back("federation.providers: expected [[federation.providers]] tables");
    return;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto base = "federation.providers[" + std::to_string(i) + "].";
    if (!(*list)[i].is_table()) {
      problems.push_back("federation.providers[" + std::to_string(i) + "]: expected a table");
      continue;
    }
    FederationProviderConfig p;
    read(t, base + "id", p.id, problems);
    read(t, base + "preset", p.preset, problems);
    read(t, base + "discovery_url", p.discovery_url, problems);
    read(t, base + "issuer", p.issuer, problems);
    read(t, base + "client_id", p.client_id, problems);
    read(t, base + "client_secret", p.client_secret, problems);
    read(t, base + "client_secret_file", p.client_secret_file, problems);
    read(t, base + "scopes", p.scopes, problems);
    read(t, base + "acr_values", p.acr_values, problems);
    read(t, base + "subject_claim", p.subject_claim, problems);
    read(t, base + "label", p.label, problems);
    read(t, base + "second_step", p.second_step, problems);
    read(t, base + "create_accounts", p.create_accounts, problems);
    if (p.preset.empty()) p.preset = "oidc";
    if (!p.client_secret_file.empty() && p.client_secret.empty()) read_secret_file(p, base, problems);
    else if (!p.client_secret_file.empty())
      problems.push_back(base + "client_secret, client_secret_file: set one, not both");
    apply_preset(p);
    out.providers.push_back(std::move(p));
  }
}

void validate_federation_config(const FederationConfig& c, std::vector<std::string>& problems) {
  std::set<std::string> ids;
  for (std::size_t i = 0; i < c.providers.size(); ++i) {
    const auto& p = c.providers[i];
    auto base = "federation.providers[" + std::to_string(i) + "].";
    if (p.id.empty() || p.id.size() > 32 || !std::all_of(p.id.begin(), p.id.end(), is_id_char))
      problems.push_back(base + "id: 1 to 32 of a-z, 0-9, - and _ (it appears in URLs), such as \"psc\"");
    else if (p.id == "liaison")
      problems.push_back(base + "id: \"liaison\" is taken (/federation/liaison is the linking page)");
    else if (!ids.insert(p.id).second)
      problems.push_back(base + "id: \"" + p.id + "\" names two providers");
    if (p.preset != "psc" && p.preset != "psc-sandbox" && p.preset != "oidc")
      problems.push_back(base + "preset: \"psc\", \"psc-sandbox\" or \"oidc\"");
    if (p.discovery_url.empty())
      problems.push_back(base + "discovery_url: required with preset \"oidc\" (the provider's .well-known address)");
    else if (!is_safe_url(p.discovery_url))
      problems.push_back(base + "discovery_url: an https URL (http only on loopback)");
    if (!p.discovery_url.empty() && p.issuer.empty())
      problems.push_back(base + "issuer: required when discovery_url has no /.well-known/ segment");
    else if (!p.issuer.empty() && !is_safe_url(p.issuer))
      problems.push_back(base + "issuer: an https URL (http only on loopback)");
    if (p.client_id.empty()) problems.push_back(base + "client_id: required (given by the provider at registration)");
    if (p.client_secret.empty() && p.client_secret_file.empty())
      problems.push_back(base + "client_secret_file (or client_secret): required");
    if (!has_word(p.scopes, "openid")) problems.push_back(base + "scopes: must contain \"openid\"");
    if (p.subject_claim.empty()) problems.push_back(base + "subject_claim: must not be empty");
    if (p.preset.rfind("psc", 0) == 0 && !has_word(p.acr_values, "eidas1"))
      problems.push_back(base + "acr_values: Pro Santé Connect presets require \"eidas1\"");
    // An account is made from what PSC vouches for (the RPPS in SubjectNameID,
    // the profession in SubjectRefPro); an establishment's own provider names
    // nobody by RPPS, so its people are invited by the operator instead.
    if (p.create_accounts && p.preset.rfind("psc", 0) != 0)
      problems.push_back(base + "create_accounts: only with the \"psc\" and \"psc-sandbox\" presets");
  }
}

}  // namespace portier
