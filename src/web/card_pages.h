#pragma once
// The smart-card (CPS) sign-in's pages, docs/card.md:
//   /carte-cps              on the card listener: reads the card, refuses it
//                           with a page saying what to do, offers to link an
//                           unknown one, or hands over with a ticket;
//   /carte-cps/suite        on the main origin: spends the ticket, signs in
//                           (finish_sign_in) or keeps the card to link;
//   /carte-cps/liaison      after the sign-in made to link it: confirm;
//   /mon-espace/carte/retirer, /support/compte/carte: unlink.
#include <vector>

#include "web/route.h"

namespace portier::web {

std::vector<Route> card_routes();
// Mon espace's "Cartes CPS" fold: the member's linked cards.
void add_cards(Exchange& ex, const Account& account, boost::json::object& data);
// The console's account page: the account's cards (administrators may unlink).
void add_console_cards(Exchange& ex, const Account& account, boost::json::object& data);

}  // namespace portier::web
