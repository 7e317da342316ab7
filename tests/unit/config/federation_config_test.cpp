// [[federation.providers]]: presets fill what PSC publishes, validation says
// exactly what is wrong, the secret file is read and must be private.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"

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

}  // namespace
}  // namespace portier
