#pragma once
// The "I'm not a robot" field for the forms that guard against scripted
// requests (forgot identifier, forgot password). A handler calls
// add_robot_field() when it renders the form, so that templates can include
// {{>_robot_check}}, and check_robot() when the form comes back. Never says
// more to the visitor than "check again".
#include <boost/json/object.hpp>

#include "robot/robot_check.h"
#include "web/exchange.h"

namespace portier::web {

// Reads the form field `altcha` (the widget's payload) and verifies it.
// Missing when the field is absent or empty. A store failure is logged and
// answered Invalid: the form comes back, nothing is let through unchecked.
RobotVerdict check_robot(Exchange& ex);

// Puts what _robot_check.mustache needs into page data: `robot_challenge_url`,
// `robot_strings` (the widget's strings as JSON, in the page language) and,
// when `previous` is a failed verdict, `error_robot` (its message in the page
// language, shown in the error summary and beside the check) and `has_errors`.
void add_robot_field(Exchange& ex, boost::json::object& data, RobotVerdict previous = RobotVerdict::Passed);

// The message for a failed verdict in the page language; empty for Passed.
std::string robot_message(Exchange& ex, RobotVerdict verdict);

}  // namespace portier::web
