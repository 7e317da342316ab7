// The discovery document is read strictly: issuer exact, endpoints https,
// PKCE S256 and a usable client authentication when those are listed.
#include "federation/provider_metadata.h"

#include <gtest/gtest.h>

namespace portier::federation {
namespace {

const char* kIss = "https://auth.example.test/auth/realms/esante-wallet";

std::string doc(const std::string& extra = "") {
  return R"({"issuer":"https://auth.example.test/auth/realms/esante-wallet",)"
         R"("authorization_endpoint":"https://wallet.example.test/auth",)"
         R"("token_endpoint":"https://auth.example.test/token","jwks_uri":"https://auth.example.test/certs")" +
         extra + "}";
}

TEST(ProviderMetadata, PscShapedDocumentIsRead) {
  auto m = parse_provider_metadata(doc(R"(,"userinfo_endpoint":"https://auth.example.test/userinfo")"), kIss);
  ASSERT_TRUE(m.has_value()) << m.error().detail;
  EXPECT_EQ(m->authorization_endpoint, "https://wallet.example.test/auth");
  EXPECT_EQ(m->userinfo_endpoint, "https://auth.example.test/userinfo");
  EXPECT_TRUE(m->uses_basic_auth());
  EXPECT_FALSE(m->iss_parameter_supported);
}

TEST(ProviderMetadata, IssuerMustBeExactlyTheExpectedOne) {
  EXPECT_FALSE(parse_provider_metadata(doc(), std::string(kIss) + "/").has_value());
  EXPECT_FALSE(parse_provider_metadata(doc(), "https://AUTH.example.test/auth/realms/esante-wallet").has_value());
}

TEST(ProviderMetadata, MissingOrPlainHttpEndpointsAreRefused) {
  auto missing = parse_provider_metadata(R"({"issuer":"https://auth.example.test/auth/realms/esante-wallet"})", kIss);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().detail.find("authorization_endpoint is missing"), std::string::npos);
  auto plain = parse_provider_metadata(doc(R"(,"userinfo_endpoint":"http://auth.example.test/userinfo")"), kIss);
  ASSERT_FALSE(plain.has_value());
  EXPECT_NE(plain.error().detail.find("userinfo_endpoint is not https"), std::string::npos);
  EXPECT_FALSE(parse_provider_metadata("[]", kIss).has_value());
  EXPECT_FALSE(parse_provider_metadata("{", kIss).has_value());
}

TEST(ProviderMetadata, PkceAndClientAuthenticationMustBeUsable) {
  EXPECT_FALSE(parse_provider_metadata(doc(R"(,"code_challenge_methods_supported":["plain"])"), kIss).has_value());
  EXPECT_TRUE(parse_provider_metadata(doc(R"(,"code_challenge_methods_supported":["plain","S256"])"), kIss).has_value());
  // private_key_jwt alone is usable now (client_private_key_file); a method portier has not is not.
  EXPECT_FALSE(parse_provider_metadata(doc(R"(,"token_endpoint_auth_methods_supported":["tls_client_auth"])"), kIss)
                   .has_value());
  auto keyed = parse_provider_metadata(doc(R"(,"token_endpoint_auth_methods_supported":["private_key_jwt"])"), kIss);
  ASSERT_TRUE(keyed.has_value());
  EXPECT_EQ(keyed->client_auth_method("private_key_jwt").value_or(""), "private_key_jwt");
  EXPECT_FALSE(keyed->client_auth_method("client_secret_post").has_value());  // configured but not announced
  auto post = parse_provider_metadata(doc(R"(,"token_endpoint_auth_methods_supported":["client_secret_post"])"), kIss);
  ASSERT_TRUE(post.has_value());
  EXPECT_FALSE(post->uses_basic_auth());
  EXPECT_EQ(post->client_auth_method("").value_or(""), "client_secret_post");  // from the metadata, as before
  // A provider that lists no method is taken at the operator's word.
  auto silent = parse_provider_metadata(doc(""), kIss);
  ASSERT_TRUE(silent.has_value());
  EXPECT_EQ(silent->client_auth_method("private_key_jwt").value_or(""), "private_key_jwt");
  EXPECT_EQ(silent->client_auth_method("").value_or(""), "client_secret_basic");
}

TEST(ProviderMetadata, Rfc9207AnnouncementIsRead) {
  auto m = parse_provider_metadata(doc(R"(,"authorization_response_iss_parameter_supported":true)"), kIss);
  ASSERT_TRUE(m.has_value());
  EXPECT_TRUE(m->iss_parameter_supported);
}

}  // namespace
}  // namespace portier::federation
