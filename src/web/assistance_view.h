#pragma once
// How assistance requests and callback slots read on pages, in the page
// language and the server's time zone. Shared by the public form and the
// support pages; renders nothing itself.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <vector>

#include "assistance/assistance_request.h"
#include "web/exchange.h"

namespace portier::web {

// Offered slots grouped by local day: [{legend, key, slots: [{id, label,
// input_id, checked}]}], `checked` from `chosen` (slot ids as submitted).
boost::json::array slot_days(Exchange& ex, const std::vector<TimePoint>& offered,
                             const std::vector<std::string>& chosen);

// The request as staff read it (status label, times in the page language).
boost::json::object request_view(Exchange& ex, const AssistanceRequest& r);

}  // namespace portier::web
