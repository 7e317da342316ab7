#include "config/federation_config.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
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
  if (p.given_name_claim.empty()) p.given_name_claim = "given_name";
  if (p.family_name_claim.empty()) p.family_name_claim = "family_name";
  if (p.email_claim.empty()) p.email_claim = "email";
  if (p.issuer.empty()) p.issuer = issuer_from_discovery_url(p.discovery_url);
}

// The secret file is read once at start; it must not be readable by others
// (the same rule as the secret key file), and its trailing newline is not part
// of the secret.
// nullopt (and a problem recorded under `key`) when the file is missing or
// readable by group or others.
std::optional<std::string> read_private_file(const std::string& path, const std::string& key,
                                             std::vector<std::string>& problems) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    problems.push_back(key + ": cannot read " + path);
    return std::nullopt;
  }
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    problems.push_back(key + ": " + path + " is readable by others; chmod 600 it");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back(key + ": cannot read " + path);
    return std::nullopt;
  }
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void read_secret_file(FederationProviderConfig& p, const std::string& where, std::vector<std::string>& problems) {
  auto text = read_private_file(p.client_secret_file, where + "client_secret_file", problems);
  if (!text) return;
  p.client_secret = std::string(trim(*text));
  if (p.client_secret.empty()) problems.push_back(where + "client_secret_file: " + p.client_secret_file + " is empty");
}

// The kind of a PEM private key: "RSA" (2048 bits or more), "EC" on P-256,
// or a problem's text.
std::string private_key_kind(const std::string& pem, std::string& problem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  std::string kind;
  if (!pkey) {
    problem = "not a PEM private key (unencrypted PKCS#8, \"BEGIN PRIVATE KEY\")";
  } else if (EVP_PKEY_is_a(pkey, "RSA")) {
    if (EVP_PKEY_get_bits(pkey) < 2048) problem = "an RSA key needs at least 2048 bits";
    else kind = "RSA";
  } else if (EVP_PKEY_is_a(pkey, "EC")) {
    char group[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_group_name(pkey, group, sizeof group, &len) && std::string_view(group) == "prime256v1") kind = "EC";
    else problem = "an EC key must be on P-256";
  } else {
    problem = "an RSA (2048 bits or more) or EC P-256 key";
  }
  EVP_PKEY_free(pkey);
  ERR_clear_error();
  return kind;
}

// client_private_key_file: read, private, and of a kind client_signing_alg
// (or its default) can sign with.
void read_private_key_file(FederationProviderConfig& p, const std::string& where, std::vector<std::string>& problems) {
  auto pem = read_private_file(p.client_private_key_file, where + "client_private_key_file", problems);
  if (!pem) return;
  std::string problem;
  auto kind = private_key_kind(*pem, problem);
  if (kind.empty()) {
    problems.push_back(where + "client_private_key_file: " + p.client_private_key_file + ": " + problem);
    return;
  }
  if (p.client_signing_alg.empty()) p.client_signing_alg = kind == "RSA" ? "RS256" : "ES256";
  bool fits = kind == "RSA" ? (p.client_signing_alg == "RS256" || p.client_signing_alg == "PS256")
                            : p.client_signing_alg == "ES256";
  if (!fits) {
    problems.push_back(where + "client_signing_alg: \"" + p.client_signing_alg + "\" does not fit the " + kind +
                       " key of client_private_key_file (" + (kind == "RSA" ? "RS256 or PS256" : "ES256") + ")");
    return;
  }
  p.client_private_key_pem = std::move(*pem);
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
    read(t, base + "given_name_claim", p.given_name_claim, problems);
    read(t, base + "family_name_claim", p.family_name_claim, problems);
    read(t, base + "email_claim", p.email_claim, problems);
    read(t, base + "label", p.label, problems);
    read(t, base + "second_step", p.second_step, problems);
    read(t, base + "create_accounts", p.create_accounts, problems);
    read(t, base + "client_auth", p.client_auth, problems);
    read(t, base + "client_private_key_file", p.client_private_key_file, problems);
    read(t, base + "client_signing_alg", p.client_signing_alg, problems);
    if (p.preset.empty()) p.preset = "oidc";
    if (p.client_auth.empty() && !p.client_private_key_file.empty()) p.client_auth = "private_key_jwt";
    if (!p.client_private_key_file.empty()) read_private_key_file(p, base, problems);
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
    if (!p.client_auth.empty() && p.client_auth != "client_secret_basic" && p.client_auth != "client_secret_post" &&
        p.client_auth != "private_key_jwt")
      problems.push_back(base + "client_auth: \"client_secret_basic\", \"client_secret_post\" or \"private_key_jwt\"");
    if (p.uses_private_key()) {
      if (p.client_private_key_file.empty() && p.client_private_key_pem.empty())
        problems.push_back(base + "client_private_key_file: required with client_auth \"private_key_jwt\"");
    } else {
      if (p.client_secret.empty() && p.client_secret_file.empty())
        problems.push_back(base + "client_secret_file (or client_secret): required (or client_private_key_file)");
      if (!p.client_private_key_file.empty())
        problems.push_back(base + "client_private_key_file: only with client_auth \"private_key_jwt\"");
    }
    if (!p.client_signing_alg.empty() && p.client_signing_alg != "RS256" && p.client_signing_alg != "PS256" &&
        p.client_signing_alg != "ES256")
      problems.push_back(base + "client_signing_alg: \"RS256\", \"PS256\" or \"ES256\"");
    for (auto [key, value] : {std::pair{"given_name_claim", &p.given_name_claim},
                              std::pair{"family_name_claim", &p.family_name_claim}, std::pair{"email_claim", &p.email_claim}})
      if (value->empty()) problems.push_back(base + key + ": must not be empty");
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
