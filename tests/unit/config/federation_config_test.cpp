// [[federation.providers]]: presets fill what PSC publishes, validation says
// exactly what is wrong, the secret file is read and must be private.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"
#include "oidc/jose/signing_key.h"

namespace portier {
namespace {

struct Loaded {
  Config config;
  std::vector<std::string> problems;
};

Loaded load(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("portier-federation-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << text;
  auto loaded = load_config(path.string());
  std::filesystem::remove(path);
  return {loaded.config, loaded.problems};
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  for (auto& p : problems)
    if (p.find(text) != std::string::npos) return true;
  return false;
}

std::string secret_file(const std::string& content, mode_t mode) {
  auto path = std::filesystem::temp_directory_path() / ("portier-psc-secret-" + std::to_string(::getpid()));
  std::ofstream(path) << content;
  ::chmod(path.c_str(), mode);
  return path.string();
}

TEST(FederationConfig, NoProviderByDefault) {
  auto l = load("");
  EXPECT_TRUE(l.problems.empty());
  EXPECT_TRUE(l.config.federation.providers.empty());
}

TEST(FederationConfig, PscPresetFillsThePublishedValues) {
  auto l = load("[[federation.providers]]\nid = \"psc\"\npreset = \"psc\"\nclient_id = \"reseau\"\nclient_secret = \"s\"\n");
  ASSERT_TRUE(l.problems.empty()) << l.problems[0];
  const auto& p = l.config.federation.providers.at(0);
  EXPECT_EQ(p.discovery_url,
            "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet/.well-known/wallet-openid-configuration");
  EXPECT_EQ(p.issuer, "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet");
  EXPECT_EQ(p.scopes, "openid scope_all");
  EXPECT_EQ(p.acr_values, "eidas1");
  EXPECT_EQ(p.subject_claim, "SubjectNameID");
  EXPECT_EQ(p.label, "Pro Santé Connect");
}

TEST(FederationConfig, SandboxPresetPointsAtTheBacASable) {
  auto l = load("[[federation.providers]]\nid = \"psc-test\"\npreset = \"psc-sandbox\"\nclient_id = \"c\"\nclient_secret = \"s\"\n");
  ASSERT_TRUE(l.problems.empty()) << l.problems[0];
  EXPECT_EQ(l.config.federation.providers[0].issuer, "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet");
}

TEST(FederationConfig, ExplicitValuesWinOverThePreset) {
  auto l = load(
      "[[federation.providers]]\nid = \"psc\"\npreset = \"psc\"\nclient_id = \"c\"\nclient_secret = \"s\"\n"
      "discovery_url = \"http://127.0.0.1:4000/auth/realms/esante-wallet/.well-known/wallet-openid-configuration\"\n"
      "label = \"PSC (essai)\"\n");
  ASSERT_TRUE(l.problems.empty()) << l.problems[0];
  EXPECT_EQ(l.config.federation.providers[0].issuer, "http://127.0.0.1:4000/auth/realms/esante-wallet");
  EXPECT_EQ(l.config.federation.providers[0].label, "PSC (essai)");
}

TEST(FederationConfig, AProviderMayBeDeclaredMultiFactor) {
  auto l = load("[[federation.providers]]\nid = \"chu\"\npreset = \"oidc\"\nclient_id = \"c\"\nclient_secret = \"s\"\n"
                "discovery_url = \"https://idp.chu.example/.well-known/openid-configuration\"\n"
                "second_step = false\n");
  ASSERT_TRUE(l.problems.empty()) << l.problems[0];
  EXPECT_FALSE(l.config.federation.providers[0].second_step);
  auto d = load("[[federation.providers]]\nid = \"psc\"\npreset = \"psc\"\nclient_id = \"c\"\nclient_secret = \"s\"\n");
  EXPECT_TRUE(d.config.federation.providers[0].second_step);  // the default: the second step follows
}

TEST(FederationConfig, GenericOidcNeedsItsDiscoveryUrlAndOpenid) {
  auto l = load("[[federation.providers]]\nid = \"chu\"\npreset = \"oidc\"\nclient_id = \"c\"\nclient_secret = \"s\"\n"
                "scopes = \"profile\"\n");
  EXPECT_TRUE(mentions(l.problems, "federation.providers[0].discovery_url: required"));
  EXPECT_TRUE(mentions(l.problems, "federation.providers[0].scopes: must contain \"openid\""));
}

TEST(FederationConfig, EveryMistakeIsNamed) {
  auto l = load(
      "[[federation.providers]]\nid = \"PSC!\"\npreset = \"keycloak\"\n"
      "discovery_url = \"http://idp.example.org/.well-known/openid-configuration\"\n"
      "[[federation.providers]]\nid = \"x\"\npreset = \"psc\"\nclient_id = \"c\"\nclient_secret = \"s\"\nacr_values = \"eidas2\"\n"
      "[[federation.providers]]\nid = \"x\"\npreset = \"psc\"\nclient_id = \"c\"\nclient_secret = \"s\"\nscope = \"typo\"\n");
  EXPECT_TRUE(mentions(l.problems, "federation.providers[0].id: 1 to 32 of a-z"));
  EXPECT_TRUE(mentions(l.problems, "federation.providers[0].preset: \"psc\", \"psc-sandbox\" or \"oidc\""));
  EXPECT_TRUE(mentions(l.problems, "federation.providers[0].discovery_url: an https URL (http only on loopback)"));
  EXPECT_TRUE(mentions(l.problems, "federation.providers[0].client_id: required"));
  EXPECT_TRUE(mentions(l.problems, "federation.providers[0].client_secret_file (or client_secret): required"));
  EXPECT_TRUE(mentions(l.problems, "federation.providers[1].acr_values: Pro Santé Connect presets require \"eidas1\""));
  EXPECT_TRUE(mentions(l.problems, "federation.providers[2].id: \"x\" names two providers"));
  EXPECT_TRUE(mentions(l.problems, "unknown key federation.providers[2].scope"));
}

TEST(FederationConfig, AccountCreationIsOffByDefaultAndPscOnly) {
  auto l = load("[[federation.providers]]\nid = \"psc\"\npreset = \"psc\"\nclient_id = \"c\"\nclient_secret = \"s\"\n");
  ASSERT_TRUE(l.problems.empty()) << l.problems[0];
  EXPECT_FALSE(l.config.federation.providers[0].create_accounts);

  auto on = load("[[federation.providers]]\nid = \"psc\"\npreset = \"psc-sandbox\"\nclient_id = \"c\"\n"
                 "client_secret = \"s\"\ncreate_accounts = true\n");
  ASSERT_TRUE(on.problems.empty()) << on.problems[0];
  EXPECT_TRUE(on.config.federation.providers[0].create_accounts);

  auto oidc = load("[[federation.providers]]\nid = \"chu\"\npreset = \"oidc\"\nclient_id = \"c\"\nclient_secret = \"s\"\n"
                   "discovery_url = \"https://idp.example.org/.well-known/openid-configuration\"\n"
                   "create_accounts = true\n");
  EXPECT_TRUE(mentions(oidc.problems, "federation.providers[0].create_accounts: only with the \"psc\" and \"psc-sandbox\" presets"));

  auto typed = load("[[federation.providers]]\nid = \"psc\"\npreset = \"psc\"\nclient_id = \"c\"\nclient_secret = \"s\"\n"
                    "create_accounts = \"yes\"\n");
  EXPECT_TRUE(mentions(typed.problems, "federation.providers[0].create_accounts"));
}

TEST(FederationConfig, SecretFileIsReadAndTrimmed) {
  auto path = secret_file("le-secret\n", 0600);
  auto l = load("[[federation.providers]]\nid = \"psc\"\npreset = \"psc\"\nclient_id = \"c\"\nclient_secret_file = \"" +
                path + "\"\n");
  std::filesystem::remove(path);
  ASSERT_TRUE(l.problems.empty()) << l.problems[0];
  EXPECT_EQ(l.config.federation.providers[0].client_secret, "le-secret");
}

TEST(FederationConfig, SecretFileReadableByOthersIsRefused) {
  auto path = secret_file("le-secret\n", 0644);
  auto l = load("[[federation.providers]]\nid = \"psc\"\npreset = \"psc\"\nclient_id = \"c\"\nclient_secret_file = \"" +
                path + "\"\n");
  std::filesystem::remove(path);
  EXPECT_TRUE(mentions(l.problems, "is readable by others; chmod 600 it"));
}

TEST(FederationConfig, SecretAndSecretFileTogetherAreRefused) {
  auto path = secret_file("x", 0600);
  auto l = load("[[federation.providers]]\nid = \"psc\"\npreset = \"psc\"\nclient_id = \"c\"\nclient_secret = \"s\"\n"
                "client_secret_file = \"" + path + "\"\n");
  std::filesystem::remove(path);
  EXPECT_TRUE(mentions(l.problems, "client_secret, client_secret_file: set one, not both"));
}

TEST(FederationConfig, ClaimMappingDefaultsToTheStandardNamesAndCanBeSet) {
  auto l = load("[[federation.providers]]\nid = \"psc\"\npreset = \"psc\"\nclient_id = \"c\"\nclient_secret = \"s\"\n"
                "[[federation.providers]]\nid = \"chu\"\nclient_id = \"c\"\nclient_secret = \"s\"\n"
                "discovery_url = \"https://idp.chu.example/.well-known/openid-configuration\"\n"
                "given_name_claim = \"prenom\"\nfamily_name_claim = \"nom\"\nemail_claim = \"courriel\"\n");
  ASSERT_TRUE(l.problems.empty()) << l.problems[0];
  const auto& psc = l.config.federation.providers[0];
  EXPECT_EQ(psc.given_name_claim, "given_name");
  EXPECT_EQ(psc.family_name_claim, "family_name");
  EXPECT_EQ(psc.email_claim, "email");
  const auto& chu = l.config.federation.providers[1];
  EXPECT_EQ(chu.given_name_claim, "prenom");
  EXPECT_EQ(chu.family_name_claim, "nom");
  EXPECT_EQ(chu.email_claim, "courriel");
}

std::string named_file(const std::string& name, const std::string& content, mode_t mode) {
  auto path = std::filesystem::temp_directory_path() / ("portier-" + name + "-" + std::to_string(::getpid()));
  std::ofstream(path) << content;
  ::chmod(path.c_str(), mode);
  return path.string();
}

std::string key_file(oidc::jose::JwsAlg alg, mode_t mode) {
  auto key = oidc::jose::SigningKey::generate(alg);
  return named_file("psc-key", *key->private_pem(), mode);
}

std::string psc_with(const std::string& extra) {
  return "[[federation.providers]]\nid = \"psc\"\npreset = \"psc\"\nclient_id = \"c\"\n" + extra;
}

TEST(FederationConfig, PrivateKeyFileMeansPrivateKeyJwtWithoutSecret) {
  auto path = key_file(oidc::jose::JwsAlg::ES256, 0600);
  auto l = load(psc_with("client_private_key_file = \"" + path + "\"\n"));
  std::filesystem::remove(path);
  ASSERT_TRUE(l.problems.empty()) << l.problems[0];
  const auto& p = l.config.federation.providers[0];
  EXPECT_EQ(p.client_auth, "private_key_jwt");
  EXPECT_TRUE(p.uses_private_key());
  EXPECT_EQ(p.client_signing_alg, "ES256");  // from the key's kind
  EXPECT_NE(p.client_private_key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
}

TEST(FederationConfig, RsaKeySignsRs256OrPs256) {
  auto path = key_file(oidc::jose::JwsAlg::RS256, 0600);
  auto l = load(psc_with("client_auth = \"private_key_jwt\"\nclient_private_key_file = \"" + path + "\"\n"));
  ASSERT_TRUE(l.problems.empty()) << l.problems[0];
  EXPECT_EQ(l.config.federation.providers[0].client_signing_alg, "RS256");
  l = load(psc_with("client_signing_alg = \"PS256\"\nclient_private_key_file = \"" + path + "\"\n"));
  ASSERT_TRUE(l.problems.empty()) << l.problems[0];
  EXPECT_EQ(l.config.federation.providers[0].client_signing_alg, "PS256");
  l = load(psc_with("client_signing_alg = \"ES256\"\nclient_private_key_file = \"" + path + "\"\n"));
  std::filesystem::remove(path);
  EXPECT_TRUE(mentions(l.problems, "federation.providers[0].client_signing_alg: \"ES256\" does not fit the RSA key of "
                                   "client_private_key_file (RS256 or PS256)"));
}

TEST(FederationConfig, PrivateKeyMistakesAreNamed) {
  auto open_key = key_file(oidc::jose::JwsAlg::ES256, 0644);
  auto not_a_key = named_file("psc-not-a-key", "not a key", 0600);
  auto l = load(psc_with("client_private_key_file = \"" + open_key + "\"\n") +
                psc_with("client_private_key_file = \"" + not_a_key + "\"\n") +
                psc_with("client_auth = \"private_key_jwt\"\n") +
                psc_with("client_auth = \"tls_client_auth\"\nclient_secret = \"s\"\n") +
                psc_with("client_auth = \"client_secret_basic\"\nclient_secret = \"s\"\nclient_private_key_file = \"" +
                         not_a_key + "\"\n") +
                psc_with("client_secret = \"s\"\nclient_signing_alg = \"HS256\"\n"));
  std::filesystem::remove(open_key);
  std::filesystem::remove(not_a_key);
  EXPECT_TRUE(mentions(l.problems, "federation.providers[0].client_private_key_file: " + open_key +
                                       " is readable by others; chmod 600 it"));
  EXPECT_TRUE(mentions(l.problems, "federation.providers[1].client_private_key_file: " + not_a_key +
                                       ": not a PEM private key"));
  EXPECT_TRUE(mentions(l.problems, "federation.providers[2].client_private_key_file: required with client_auth "
                                   "\"private_key_jwt\""));
  EXPECT_TRUE(mentions(l.problems, "federation.providers[3].client_auth: \"client_secret_basic\", "
                                   "\"client_secret_post\" or \"private_key_jwt\""));
  EXPECT_TRUE(mentions(l.problems, "federation.providers[4].client_private_key_file: only with client_auth "
                                   "\"private_key_jwt\""));
  EXPECT_TRUE(mentions(l.problems, "federation.providers[5].client_signing_alg: \"RS256\", \"PS256\" or \"ES256\""));
  // A private-key client needs no secret; nothing asks for one.
  EXPECT_FALSE(mentions(l.problems, "federation.providers[0].client_secret_file"));
}

}  // namespace
}  // namespace portier
