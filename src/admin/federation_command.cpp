#include "admin/federation_command.h"

#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <iostream>
#include <map>

#include "common/clock.h"
#include "common/encoding.h"
#include "common/random.h"
#include "federation/relying_party.h"

namespace portier {

FederationCommand::FederationCommand(CLI::App& cli) {
  federation_ = cli.add_subcommand("federation", "external identity providers (Pro Santé Connect)");
  federation_->require_subcommand(1);
  check_ = federation_->add_subcommand("check", "fetch and judge a provider's discovery document and keys");
  check_->add_option("id", id_, "the provider's id in [[federation.providers]]")->required();
  test_login_ = federation_->add_subcommand(
      "test-login", "sign in once through a provider, in a browser, and print the verified identity");
  test_login_->add_option("id", id_, "the provider's id in [[federation.providers]]")->required();
  test_login_->add_option("--redirect-uri", redirect_uri_,
                          "the redirect URI registered at the provider (default: public_url + /federation/<id>/retour)");
}

int FederationCommand::run(const Config& config, federation::HttpFetcher& http, std::istream& in, std::ostream& out,
                           std::ostream& err) {
  const auto* p = config.federation.find(id_);
  if (!p) {
    err << "portier: no provider \"" << id_ << "\" in [[federation.providers]]";
    if (!config.federation.providers.empty()) {
      err << " (configured:";
      for (const auto& q : config.federation.providers) err << " " << q.id;
      err << ")";
    }
    err << "\n";
    return 2;
  }
  if (check_->parsed()) return check(*p, config, http, out, err);
  return test_login(*p, config, http, in, out, err);
}

int FederationCommand::check(const FederationProviderConfig& p, const Config& config, federation::HttpFetcher& http,
                             std::ostream& out, std::ostream& err) {
  SystemClock clock;
  SodiumRandom random;
  federation::RelyingParty rp(p, http, clock, random);
  out << "provider:               " << p.id << " (preset " << p.preset << ")\n"
      << "discovery_url:          " << p.discovery_url << "\n";
  auto m = rp.metadata();
  if (!m) {
    err << "portier: discovery failed: " << m.error().detail << "\n";
    return 1;
  }
  auto keys = rp.refresh_keys();
  out << "issuer:                 " << m->issuer << " (as expected)\n"
      << "authorization_endpoint: " << m->authorization_endpoint << "\n"
      << "token_endpoint:         " << m->token_endpoint << "\n"
      << "userinfo_endpoint:      " << (m->userinfo_endpoint.empty() ? "(none)" : m->userinfo_endpoint) << "\n"
      << "jwks_uri:               " << m->jwks_uri << "\n"
      << "end_session_endpoint:   " << (m->end_session_endpoint.empty() ? "(none)" : m->end_session_endpoint) << "\n"
      << "client authentication:  " << m->client_auth_method(p.client_auth).value_or("(not announced: " + p.client_auth + ")")
      << "\n"
      << "iss parameter:          " << (m->iss_parameter_supported ? "announced, required (RFC 9207)" : "not announced")
      << "\n"
      << "scopes, acr_values:     " << p.scopes << "; " << (p.acr_values.empty() ? "(none)" : p.acr_values) << "\n"
      << "redirect_uri:           " << config.server.public_url << federation::redirect_path(p.id) << "\n"
      << "post_logout_redirect_uri: " << config.server.public_url << federation::post_logout_path(p.id)
      << (m->end_session_endpoint.empty() ? " (unused: no end_session_endpoint)" : "") << "\n";
  if (p.uses_private_key()) {
    // What to register at the provider for private_key_jwt: the public half only.
    auto jwk = rp.client_public_jwk();
    if (!jwk) {
      err << "portier: client_private_key_file: " << jwk.error().detail << "\n";
      return 1;
    }
    out << "client public key (JWK, register it at the provider):\n"
        << boost::json::serialize(*jwk) << "\n";
  }
  if (auto method = m->client_auth_method(p.client_auth); !method) {
    err << "portier: client_auth: " << method.error().detail << "\n";
    return 1;
  }
  if (!keys) {
    err << "portier: the provider's keys: " << keys.error().detail << "\n";
    return 1;
  }
  if (*keys == 0) {
    err << "portier: the provider's JWKS has no key portier can verify with (RS256, PS256, ES256, EdDSA)\n";
    return 1;
  }
  out << "signing keys:           " << *keys << " usable\nOK\n";
  return 0;
}

int FederationCommand::test_login(const FederationProviderConfig& p, const Config& config, federation::HttpFetcher& http,
                                  std::istream& in, std::ostream& out, std::ostream& err) {
  SystemClock clock;
  SodiumRandom random;
  federation::RelyingParty rp(p, http, clock, random);
  auto redirect = redirect_uri_.empty() ? config.server.public_url + federation::redirect_path(p.id) : redirect_uri_;
  auto start = rp.begin(redirect);
  if (!start) {
    err << "portier: " << start.error().detail << "\n";
    return 1;
  }
  // The keys now, as a sign-in would find them cached: a key the provider
  // rotates in meanwhile must be found by the refresh on an unknown kid.
  if (auto keys = rp.refresh_keys(); !keys) {
    err << "portier: the provider's keys: " << keys.error().detail << "\n";
    return 1;
  }
  out << "Open this address in a browser and sign in:\n" << start->url << "\n"
      << "Then paste here the address the browser was sent back to (it starts with " << redirect << "):\n"
      << std::flush;
  std::string line;
  if (!std::getline(in, line)) {
    err << "portier: no address read\n";
    return 1;
  }
  auto pasted = boost::urls::parse_uri_reference(std::string(trim(line)));
  if (!pasted) {
    err << "portier: not an address: " << line.substr(0, 200) << "\n";
    return 1;
  }
  std::map<std::string, std::string> answer;
  for (auto param : pasted->params()) answer.emplace(param.key, param.value);  // the first of repeated keys
  auto outcome = rp.finish(start->kept, answer);
  if (auto* refused = std::get_if<federation::Refused>(&outcome)) {
    out << "REFUSED: " << federation::to_word(refused->reason) << ": " << refused->detail << "\n";
    return 1;
  }
  const auto& who = std::get<federation::FederatedIdentity>(outcome);
  out << "VERIFIED\n"
      << "issuer:      " << who.issuer << "\n"
      << "sub:         " << who.subject << "\n"
      << p.subject_claim << ": " << who.person_id << "\n"
      << "given_name:  " << who.given_name << "\n"
      << "family_name: " << who.family_name << "\n"
      << "email:       " << who.email << "\n"
      << "acr:         " << who.acr << "\n"
      << "claims:      " << boost::json::serialize(who.claims) << "\n";
  return 0;
}

}  // namespace portier
