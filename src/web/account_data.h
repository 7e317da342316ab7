#pragma once
// What Mon espace shows, shared by the handlers of its sections
// (account_pages.cpp, code_settings_pages.cpp, totp_pages.cpp).
#include <boost/json/object.hpp>

#include "flow/settings/settings_service.h"
#include "web/exchange.h"

namespace portier::web {

// `profile` overrides the stored values when a submitted form is shown back.
boost::json::object account_data(Exchange& ex, const Account& a, const ProfileInput* profile);

}  // namespace portier::web
