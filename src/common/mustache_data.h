#pragma once
// Boost.JSON values as kainjow mustache data: pages (web/View) and messages
// (notify/MessageComposer) both hand their templates a JSON object.
#include <boost/json/value.hpp>
#include <kainjow/mustache.hpp>

namespace portier {

// Objects, arrays, strings and booleans map one to one; numbers become their
// decimal text; null is false (so {{#field}} skips it).
kainjow::mustache::data to_mustache_data(const boost::json::value& v);

}  // namespace portier
