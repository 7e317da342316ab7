#pragma once
// `portier client add|list|show|update|rotate-secret|remove`: the command
// line around ClientAdminService. Registers its subcommands on the main
// CLI::App before parsing (main.cpp), then runs the one parsed.
// Exit codes: 0 done, 2 usage or a registration that breaks the rules
// (every problem on stderr), 1 any other failure (unknown client, database).
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "admin/client_admin_service.h"

namespace portier {

class ClientCommand {
public:
  explicit ClientCommand(CLI::App& cli);

  // True when `portier client …` was on the command line (even if its
  // options failed to parse: main.cpp then exits 2).
  bool parsed() const { return client_->parsed(); }
  int run(ClientAdminService& admin, std::ostream& out, std::ostream& err);

private:
  // The registration options shared by add and update.
  struct Options {
    std::string name;
    std::vector<std::string> redirect_uris, post_logout_uris, grant_types, scopes, id_token_claims;
    std::string backchannel_uri, auth_method, jwks_file, id_token_alg, access_token, audience, minimum_acr;
    bool is_public = false, trusted = false, no_pkce = false;
    // update only: the way back from a flag.
    bool confidential = false, not_trusted = false, pkce = false;
  };
  void add_registration_options(CLI::App* sub, Options& o, bool for_update);
  // Applies the options given on the command line to `c`; false (and a
  // message on `err`) when one cannot be read (--jwks file, a bad enum).
  bool apply(const CLI::App* sub, const Options& o, oidc::Client& c, std::ostream& err);
  int report(const Result<ClientOutcome>& r, std::ostream& out, std::ostream& err, bool added);

  CLI::App* client_;
  CLI::App *add_, *list_, *show_, *update_, *rotate_, *remove_;
  Options add_opts_, update_opts_;
  std::string target_;
};

}  // namespace portier
