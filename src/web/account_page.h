#pragma once
// What Mon espace shows, for the handlers that answer one of its forms with
// the page again (account_pages.cpp, totp_pages.cpp).
#include <boost/json/object.hpp>

#include "flow/settings/settings_service.h"
#include "web/exchange.h"

namespace portier::web {

// Everything Mon espace shows; `profile` overrides the stored values when a
// submitted form is shown back with its errors.
boost::json::object account_data(Exchange& ex, const Account& a, const ProfileInput* profile);

}  // namespace portier::web
