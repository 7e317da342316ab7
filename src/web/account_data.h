#pragma once
// What Mon espace shows, shared by the handlers of its sections
// (account_pages.cpp, code_settings_pages.cpp, totp_pages.cpp).
#include <boost/json/object.hpp>

#include "flow/settings/settings_service.h"
#include "robot/robot_check.h"
#include "web/exchange.h"

namespace portier::web {

// `profile` overrides the stored values when a submitted form is shown back.
boost::json::object account_data(Exchange& ex, const Account& a, const ProfileInput* profile);

// The robot check in the "add a mobile" form, once the account asked for
// enough codes today (or with `previous`'s error). code_settings_pages.cpp.
void add_phone_robot_field(Exchange& ex, const Account& a, boost::json::object& data,
                           RobotVerdict previous = RobotVerdict::Passed);

}  // namespace portier::web
