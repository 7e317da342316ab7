#pragma once
// `portier federation check <id>` and `portier federation test-login <id>`:
// the operator's tools to prove a provider registration (Pro Santé Connect
// or another) before members see a button. Both need only the configuration
// (no database): check fetches and judges the discovery document and the
// keys; test-login runs one real sign-in with the operator in a browser and
// prints the verified identity or the fixed reason for a refusal.
// Exit codes: 0 done, 1 the provider failed a check, 2 usage (unknown id).
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "config/config.h"
#include "federation/http_fetcher.h"

namespace portier {

class FederationCommand {
public:
  explicit FederationCommand(CLI::App& cli);

  bool parsed() const { return federation_->parsed(); }
  int run(const Config& config, federation::HttpFetcher& http, std::istream& in, std::ostream& out, std::ostream& err);

private:
  int check(const FederationProviderConfig& p, const Config& config, federation::HttpFetcher& http, std::ostream& out,
            std::ostream& err);
  int test_login(const FederationProviderConfig& p, const Config& config, federation::HttpFetcher& http,
                 std::istream& in, std::ostream& out, std::ostream& err);

  CLI::App* federation_ = nullptr;
  CLI::App* check_ = nullptr;
  CLI::App* test_login_ = nullptr;
  std::string id_;
  std::string redirect_uri_;
};

}  // namespace portier
