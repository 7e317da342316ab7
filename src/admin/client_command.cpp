#include "admin/client_command.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "oidc/client_secret.h"

namespace portier {

namespace {

const ClientInfo kCli{"cli", "portier command line"};

std::string joined(const std::vector<std::string>& list) {
  if (list.empty()) return "-";
  std::string out;
  for (auto& s : list) out += (out.empty() ? "" : " ") + s;
  return out;
}

// `--scope ""` (a single empty value) empties a list.
std::vector<std::string> list_value(const std::vector<std::string>& given) {
  if (given.size() == 1 && given[0].empty()) return {};
  return given;
}

void print_client(const oidc::Client& c, std::ostream& out) {
  out << "client_id:                  " << c.client_id << "\n"
      << "name:                       " << c.name << "\n"
      << "type:                       " << (c.is_public ? "public" : "confidential") << "\n"
      << "trusted:                    " << (c.trusted ? "yes (no consent page)" : "no") << "\n"
      << "auth method:                " << oidc::to_string(c.auth_method) << "\n"
      << "secret:                     "
      << (oidc::uses_secret(c) ? (c.secret_hash.empty() ? "none yet (rotate-secret makes one)"
                                  : "set" + (c.secret_rotated_at ? ", made " + format_utc(*c.secret_rotated_at) : std::string()))
                               : "none")
      << "\n"
      << "redirect uris:              " << joined(c.redirect_uris) << "\n"
      << "post-logout redirect uris:  " << joined(c.post_logout_redirect_uris) << "\n"
      << "back-channel logout uri:    " << (c.backchannel_logout_uri.empty() ? "-" : c.backchannel_logout_uri) << "\n"
      << "grant types:                " << joined(c.grant_types) << "\n"
      << "scopes:                     " << joined(c.scopes) << "\n"
      << "pkce:                       " << (c.require_pkce ? "required" : "optional") << "\n"
      << "id token alg:               " << c.id_token_alg << "\n"
      << "id token claims:            " << joined(c.id_token_claims) << "\n"
      << "access tokens:              " << oidc::to_string(c.access_token_format) << "\n"
      << "access token audience:      " << (c.access_token_audience.empty() ? "-" : c.access_token_audience) << "\n"
      << "minimum acr:                " << (c.minimum_acr.empty() ? "-" : c.minimum_acr) << "\n"
      << "jwks:                       " << (c.jwks.empty() ? "-" : c.jwks) << "\n"
      << "created:                    " << format_utc(c.created_at) << "\n"
      << "updated:                    " << format_utc(c.updated_at) << "\n";
}

int failed(const Error& e, std::string_view id, std::ostream& err) {
  if (e.code == ErrorCode::NotFound) {
    err << "portier: no client " << id << "\n";
    return 1;
  }
  if (e.code == ErrorCode::InvalidInput) {
    err << "portier: " << e.detail << "\n";
    return 2;
  }
  err << "portier: " << to_string(e.code) << ": " << e.detail << "\n";
  return 1;
}

}  // namespace

ClientCommand::ClientCommand(CLI::App& cli) {
  client_ = cli.add_subcommand("client", "applications signing members in through portier (OpenID Connect)");
  client_->require_subcommand(1);
  add_ = client_->add_subcommand("add", "register an application; prints its client_id (and secret, once)");
  add_registration_options(add_, add_opts_, false);
  list_ = client_->add_subcommand("list", "list the registered applications");
  show_ = client_->add_subcommand("show", "show one application's registration");
  update_ = client_->add_subcommand("update", "change a registration (lists given replace the old ones)");
  add_registration_options(update_, update_opts_, true);
  rotate_ = client_->add_subcommand("rotate-secret", "make a new secret (printed once); the old one stops working");
  remove_ = client_->add_subcommand("remove", "remove an application and everything issued to it");
  for (auto* c : {show_, update_, rotate_, remove_}) c->add_option("client_id", target_, "the client_id")->required();
}

void ClientCommand::add_registration_options(CLI::App* sub, Options& o, bool for_update) {
  auto* name = sub->add_option("--name", o.name, "name shown to members (1 to 100 characters)");
  if (!for_update) name->required();
  sub->add_option("--redirect-uri", o.redirect_uris, "redirect URI, exact (https; http on loopback); repeatable");
  sub->add_option("--post-logout-redirect-uri", o.post_logout_uris, "where logout may return; repeatable");
  sub->add_option("--backchannel-logout-uri", o.backchannel_uri, "back-channel logout endpoint (\"\" for none)");
  sub->add_flag("--public", o.is_public, "a browser or native app: no secret, PKCE required");
  sub->add_flag("--trusted", o.trusted, "first-party: members are not asked for consent");
  sub->add_option("--auth-method", o.auth_method, "client_secret_basic (default), client_secret_post, private_key_jwt")
      ->check(CLI::IsMember({"client_secret_basic", "client_secret_post", "private_key_jwt", "none"}));
  sub->add_option("--jwks", o.jwks_file, "file holding the client's JWK Set (public keys), for private_key_jwt");
  sub->add_option("--id-token-alg", o.id_token_alg, "RS256 (default), ES256 or EdDSA")
      ->check(CLI::IsMember({"RS256", "ES256", "EdDSA"}));
  sub->add_option("--grant-type", o.grant_types,
                  "authorization_code, refresh_token, client_credentials; repeatable (default: the first two)");
  sub->add_option("--scope", o.scopes,
                  "openid profile email phone offline_access rpps roles; repeatable (default: the first five)");
  sub->add_option("--access-token", o.access_token, "opaque (default) or jwt")->check(CLI::IsMember({"opaque", "jwt"}));
  sub->add_option("--audience", o.audience, "aud of JWT access tokens (the API's URI; default: the client_id)");
  sub->add_option("--id-token-claim", o.id_token_claims, "claim also placed in the ID token; repeatable");
  sub->add_option("--minimum-acr", o.minimum_acr,
                  "lowest sign-in the application accepts: pwd, mfa, cps (the CPS card or Pro Santé Connect), "
                  "or the full urn:portier:acr:…; \"\" for none");
  sub->add_flag("--no-pkce", o.no_pkce, "do not require PKCE (confidential clients only)");
  if (for_update) {
    sub->add_flag("--confidential", o.confidential, "no longer public (a secret is made)")->excludes("--public");
    sub->add_flag("--not-trusted", o.not_trusted, "members are asked for consent again")->excludes("--trusted");
    sub->add_flag("--pkce", o.pkce, "require PKCE again")->excludes("--no-pkce");
  }
}

bool ClientCommand::apply(const CLI::App* sub, const Options& o, oidc::Client& c, std::ostream& err) {
  auto given = [&](const char* option) { return sub->count(option) > 0; };
  if (given("--name")) c.name = o.name;
  if (given("--redirect-uri")) c.redirect_uris = list_value(o.redirect_uris);
  if (given("--post-logout-redirect-uri")) c.post_logout_redirect_uris = list_value(o.post_logout_uris);
  if (given("--backchannel-logout-uri")) c.backchannel_logout_uri = o.backchannel_uri;
  if (given("--grant-type")) c.grant_types = list_value(o.grant_types);
  if (given("--scope")) c.scopes = list_value(o.scopes);
  if (given("--id-token-claim")) c.id_token_claims = list_value(o.id_token_claims);
  if (given("--id-token-alg")) c.id_token_alg = o.id_token_alg;
  if (given("--audience")) c.access_token_audience = o.audience;
  if (given("--minimum-acr")) {
    // The short names stand for the levels of oidc/authentication_context.h;
    // anything else is judged by the client rules.
    c.minimum_acr = o.minimum_acr;
    if (o.minimum_acr == "pwd" || o.minimum_acr == "mfa" || o.minimum_acr == "cps")
      c.minimum_acr = "urn:portier:acr:" + o.minimum_acr;
  }
  if (given("--access-token")) c.access_token_format = *oidc::parse_access_token_format(o.access_token);
  if (o.trusted) c.trusted = true;
  if (o.not_trusted) c.trusted = false;
  if (o.no_pkce) c.require_pkce = false;
  if (o.pkce) c.require_pkce = true;
  // The type sets the method unless one is named: public means none;
  // becoming confidential means client_secret_basic.
  if (o.is_public) {
    c.is_public = true;
    c.auth_method = oidc::ClientAuthMethod::None;
  }
  if (o.confidential) {
    c.is_public = false;
    if (c.auth_method == oidc::ClientAuthMethod::None) c.auth_method = oidc::ClientAuthMethod::ClientSecretBasic;
  }
  if (given("--auth-method")) c.auth_method = *oidc::parse_client_auth_method(o.auth_method);
  if (given("--jwks")) {
    if (o.jwks_file.empty()) {
      c.jwks.clear();
    } else {
      std::ifstream in(o.jwks_file, std::ios::binary);
      if (!in) {
        err << "portier: cannot read the JWK Set file " << o.jwks_file << "\n";
        return false;
      }
      std::ostringstream text;
      text << in.rdbuf();
      c.jwks = text.str();
      while (!c.jwks.empty() && (c.jwks.back() == '\n' || c.jwks.back() == '\r')) c.jwks.pop_back();
    }
  }
  return true;
}

int ClientCommand::report(const Result<ClientOutcome>& r, std::ostream& out, std::ostream& err, bool added) {
  if (!r) return failed(r.error(), target_, err);
  if (auto* rejected = std::get_if<ClientRejected>(&*r)) {
    err << "portier: the registration has " << rejected->problems.size() << " problem(s):\n";
    for (auto& p : rejected->problems) err << "  - " << p.field << ": " << p.message << "\n";
    return 2;
  }
  auto& s = std::get<ClientSaved>(*r);
  out << "client_id: " << s.client.client_id << "\n";
  if (!s.secret.empty())
    out << "client_secret: " << s.secret << "\n"
        << "The secret is shown only now: give it to the application's operator; it cannot be shown again"
        << " (`portier client rotate-secret` makes a new one).\n";
  if (!added) out << "updated " << s.client.name << "\n";
  return 0;
}

int ClientCommand::run(ClientAdminService& admin, std::ostream& out, std::ostream& err) {
  if (add_->parsed()) {
    oidc::Client c;
    if (!apply(add_, add_opts_, c, err)) return 2;
    return report(admin.add(std::move(c), std::nullopt, kCli), out, err, true);
  }
  if (list_->parsed()) {
    auto all = admin.list();
    if (!all) return failed(all.error(), "", err);
    for (auto& c : *all)
      out << c.client_id << "\t" << (c.is_public ? "public" : "confidential") << "\t"
          << (c.trusted ? "trusted" : "consent") << "\t" << format_utc(c.created_at) << "\t" << c.name << "\n";
    return 0;
  }
  if (show_->parsed()) {
    auto c = admin.find(target_);
    if (!c) return failed(c.error(), target_, err);
    print_client(*c, out);
    return 0;
  }
  if (update_->parsed()) {
    auto c = admin.find(target_);
    if (!c) return failed(c.error(), target_, err);
    if (!apply(update_, update_opts_, *c, err)) return 2;
    return report(admin.update(std::move(*c), std::nullopt, kCli), out, err, false);
  }
  if (rotate_->parsed()) {
    auto s = admin.rotate_secret(target_, std::nullopt, kCli);
    if (!s) return failed(s.error(), target_, err);
    out << "client_id: " << s->client.client_id << "\n"
        << "client_secret: " << s->secret << "\n"
        << "The old secret no longer works. The new one is shown only now.\n";
    return 0;
  }
  if (remove_->parsed()) {
    auto removed = admin.remove(target_, std::nullopt, kCli);
    if (!removed) return failed(removed.error(), target_, err);
    out << "removed " << target_ << "\n";
    return 0;
  }
  return 2;
}

}  // namespace portier
