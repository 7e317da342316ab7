#pragma once
// Turns field problems into what the templates show: an error summary whose
// links lead to the fields, and a message beside each field.
#include <boost/json/object.hpp>

#include "flow/settings/settings_service.h"
#include "web/exchange.h"

namespace portier::web {

// `order` lists the form's fields top to bottom so the summary follows the page.
void add_field_errors(Exchange& ex, boost::json::object& data, const FieldErrors& errors,
                      std::initializer_list<const char*> order);
// The message for a problem id ("too_short", "wrong_current", ...); several
// ids joined by '|' give their messages one after the other, and an id with
// ":word" names the word ("contains_name:Martin", flow/password_choice.h).
std::string problem_message(Exchange& ex, const std::string& problem);
// A new password's refusal as its outcome carries it (PasswordChoice::encoded):
// the password's own problems and a different confirmation, each on its field.
FieldErrors password_field_errors(const std::string& encoded);

}  // namespace portier::web
