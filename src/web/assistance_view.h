#pragma once
// How assistance requests and the callback choice read on pages, in the page
// language. Shared by the public form and the support pages; renders nothing
// itself.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <vector>

#include "assistance/assistance_request.h"
#include "assistance/day_parts.h"
#include "web/exchange.h"

namespace portier::web {

// The offered parts of days grouped by day: [{legend, key, parts: [{id,
// label, input_id, checked}]}], `checked` from `chosen` (ids as submitted).
boost::json::array part_days(Exchange& ex, const std::vector<PartChoice>& offered,
                             const std::vector<std::string>& chosen);

// The request as staff read it (status label, times in the page language,
// each preferred part of a day as the member chose it).
boost::json::object request_view(Exchange& ex, const AssistanceRequest& r);

// "A-7K3Q", or "n° 12" for a request made before references existed.
std::string request_reference(Exchange& ex, const AssistanceRequest& r);

}  // namespace portier::web
