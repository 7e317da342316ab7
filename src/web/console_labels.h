#pragma once
// The console's words for what the code records in English: audit events
// ("sign_in.failure" -> "Échec de connexion"), message kinds
// ("assistance.acknowledgement" -> "Accusé de réception de demande
// d’assistance"), the known audit details ("wrong password" -> "mot de passe
// erroné") and phone numbers ("06 12 34 56 78", with a tel: link). The
// tables are in templates/i18n (audit_*, console_message_*, console_detail_*);
// an unknown kind or detail is shown as recorded, never hidden.
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "web/exchange.h"

namespace portier::web {

// The label of `kind` under `prefix` ("audit_", "console_message_"); dots
// become underscores in the key. The raw kind when no label exists.
std::string kind_label(Exchange& ex, std::string_view prefix, std::string_view kind);

// An audit detail in the page's language: a known detail in full
// (console_detail_<words joined by _>), "reason: " as the page's word for it;
// the rest (an agent's reason, masked numbers) as recorded.
std::string detail_label(Exchange& ex, std::string_view detail);

// {"phone": "06 12 34 56 78", "phone_href": "tel:+33612345678"} for a
// stored E.164 number; nothing when there is none.
void add_phone(boost::json::object& d, const std::optional<std::string>& e164);

}  // namespace portier::web
