#pragma once
// [[federation.providers]]: the external OpenID Connect providers portier
// signs members in through (Pro Santé Connect, an establishment's own
// provider). Presets fill what the provider publishes; validation refuses a
// provider that could not be used safely (plain http off loopback, no secret,
// no openid scope). Nothing here is used unless a provider is configured.
#include <string>
#include <vector>

namespace portier {

struct FederationProviderConfig {
  std::string id;             // [a-z0-9_-], used in URLs and audit: "psc"
  std::string preset;         // "psc", "psc-sandbox" or "oidc"
  std::string discovery_url;  // the provider's metadata document (PSC: a non-standard "wallet" path)
  std::string issuer;         // expected `issuer`; derived from discovery_url when empty
  std::string client_id;
  std::string client_secret;       // from the file when client_secret_file is set; never logged
  std::string client_secret_file;  // preferred: keeps the secret out of portier.toml
  std::string scopes;              // space-separated; must contain "openid"
  std::string acr_values;          // space-separated; asked and then required of the ID token
  std::string subject_claim;       // the claim that identifies the person (PSC: SubjectNameID)
  std::string given_name_claim;    // the claims read into FederatedIdentity's names and email
  std::string family_name_claim;   //   (PSC and oidc presets: given_name, family_name, email)
  std::string email_claim;
  std::string label;               // button text
  // "oidc" preset: whether the account's second step follows a sign-in
  // through this provider. false: the establishment's provider is itself
  // multi-factor, and its sign-in counts as two factors (amr fed mfa).
  // Ignored by the PSC presets (acr eidas1 is two factors already).
  bool second_step = true;
  // A person whose identity is linked to no account and whose RPPS no
  // account has may create a member account from the provider's claims
  // (names, email, profession). PSC presets only (docs/federation.md).
  bool create_accounts = false;
  // How portier authenticates at the token endpoint: "client_secret_basic",
  // "client_secret_post", "private_key_jwt" (RFC 7523 assertion signed with
  // client_private_key_file), or empty: private_key_jwt when a key file is
  // set, else from the provider's metadata.
  std::string client_auth;
  std::string client_private_key_file;  // PKCS#8 PEM, mode 600; its public JWK is registered at the provider
  std::string client_private_key_pem;   // read from the file at start; never logged
  std::string client_signing_alg;       // RS256 (RSA, default), PS256 (RSA) or ES256 (P-256, default for EC)

  bool uses_private_key() const { return client_auth == "private_key_jwt"; }
};

struct FederationConfig {
  std::vector<FederationProviderConfig> providers;
  const FederationProviderConfig* find(std::string_view id) const {
    for (const auto& p : providers)
      if (p.id == id) return &p;
    return nullptr;
  }
};

// PSC publishes its metadata under the realm's ".well-known/wallet-openid-configuration"
// and authorises on another host (the wallet) than its token endpoint.
inline constexpr const char* kPscDiscoveryUrl =
    "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet/.well-known/wallet-openid-configuration";
inline constexpr const char* kPscSandboxDiscoveryUrl =
    "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet/.well-known/wallet-openid-configuration";

// The issuer a discovery URL implies: everything before "/.well-known/"
// (OpenID Connect Discovery §4.1); empty when the URL has no such segment.
std::string issuer_from_discovery_url(const std::string& discovery_url);

}  // namespace portier
