#include "web/console_client_form.h"

#include <gtest/gtest.h>

namespace portier::web {
namespace {

using oidc::AccessTokenFormat;
using oidc::ClientAuthMethod;

Form form(std::string_view encoded) {
  auto f = Form::parse(encoded);
  EXPECT_TRUE(f) << encoded;
  return f ? *f : Form{};
}

TEST(ConsoleClientFormTest, LinesAreTrimmedAndBlankOnesDropped) {
  EXPECT_EQ(lines_of("  https://a.example/cb \r\n\r\n\thttps://b.example/cb\t\n  "),
            (std::vector<std::string>{"https://a.example/cb", "https://b.example/cb"}));
  EXPECT_TRUE(lines_of("").empty());
  EXPECT_EQ(text_of({"a", "b"}), "a\nb");
}

TEST(ConsoleClientFormTest, AddReadsTheCommonFieldsAndPublicMeansNoAuthentication) {
  oidc::Client c;
  read_client_form(form("name=+Agenda+&redirect_uris=https%3A%2F%2Fa.example%2Fcb&backchannel_logout_uri=+https%3A%2F%2Fa."
                        "example%2Fbye+&public=1&trusted=1&scopes=rpps&require_pkce="),
                   ClientFormKind::Add, c);
  EXPECT_EQ(c.name, "Agenda");
  EXPECT_EQ(c.redirect_uris, std::vector<std::string>{"https://a.example/cb"});
  EXPECT_EQ(c.backchannel_logout_uri, "https://a.example/bye");
  EXPECT_TRUE(c.is_public);
  EXPECT_TRUE(c.trusted);
  EXPECT_EQ(c.auth_method, ClientAuthMethod::None);
  // Fields the add form does not show are not read.
  EXPECT_EQ(c.scopes, oidc::Client{}.scopes);
  EXPECT_TRUE(c.require_pkce);
}

TEST(ConsoleClientFormTest, EditReadsTheOptionsButNeverTheKind) {
  oidc::Client c;
  c.client_id = "abc";
  c.auth_method = ClientAuthMethod::ClientSecretPost;
  c.jwks = "";
  c.trusted = true;
  read_client_form(form("id=zzz&name=Agenda&public=1&auth_method=none&scopes=openid&scopes=rpps&grant_types=authorization_"
                        "code&id_token_claims=rpps&id_token_alg=ES256&access_token_format=jwt&access_token_audience=+urn%"
                        "3Aapi+"),
                   ClientFormKind::Edit, c);
  EXPECT_EQ(c.client_id, "abc");
  EXPECT_FALSE(c.is_public);
  EXPECT_EQ(c.auth_method, ClientAuthMethod::ClientSecretPost);
  EXPECT_FALSE(c.trusted) << "an unchecked box is not sent";
  EXPECT_FALSE(c.require_pkce);
  EXPECT_EQ(c.scopes, (std::vector<std::string>{"openid", "rpps"}));
  EXPECT_EQ(c.grant_types, std::vector<std::string>{"authorization_code"});
  EXPECT_EQ(c.id_token_claims, std::vector<std::string>{"rpps"});
  EXPECT_EQ(c.id_token_alg, "ES256");
  EXPECT_EQ(c.access_token_format, AccessTokenFormat::Jwt);
  EXPECT_EQ(c.access_token_audience, "urn:api");
}

TEST(ConsoleClientFormTest, EditLeavesEmptyGroupsEmptyAndKeepsTheFormatOnAnUnknownValue) {
  oidc::Client c;
  c.access_token_format = AccessTokenFormat::Jwt;
  read_client_form(form("name=A&access_token_format=paseto"), ClientFormKind::Edit, c);
  EXPECT_TRUE(c.grant_types.empty());
  EXPECT_TRUE(c.scopes.empty());
  EXPECT_EQ(c.access_token_format, AccessTokenFormat::Jwt);
  EXPECT_FALSE(oidc::check_client(c).empty()) << "the rules, not the form, refuse what is missing";
}

}  // namespace
}  // namespace portier::web
