#pragma once
// The [card] section: sign-in with the health-professional smart card (CPS),
// docs/card.md. Plain data, no I/O.
#include <string>
#include <vector>

namespace portier {

struct CardConfig {
  bool enabled = false;
  // Where the listener that asks for client certificates is reached
  // (https://carte.reseau.example, https://portail.example:8443): the
  // sign-in page's "Carte CPS" entry leads to <public_url>/carte-cps.
  // Empty: server.public_url (the main listener asks itself).
  std::string public_url;
  // How a card finds its account: "rpps" (the card's "8" + RPPS must be the
  // account's RPPS, at linking and at every sign-in) or "linked_only" (any
  // valid card the member links while signed in; no RPPS check: for ADELI
  // and establishment cards, or accounts without an RPPS).
  std::string identifier_rule = "rpps";
  // False: the card and its PIN are the two factors. True: the usual second
  // step (code or app) is asked after the card.
  bool second_step = false;
};

// Appends one line per problem of `card` to `problems`.
void validate_card_config(const CardConfig& card, std::vector<std::string>& problems);

}  // namespace portier
