#pragma once
// What the console's own navigation (_console_nav.mustache) shows on every
// console page: the import link, the registered applications (administrators), and the assistance queue with the count of
// new requests ("Demandes (3)"). Exchange::render adds it whenever the
// Router's gate admitted an agent, so no console page has to remember.
#include <boost/json/object.hpp>

namespace portier::web {

class Exchange;

void add_console_nav(Exchange& ex, boost::json::object& data);

}  // namespace portier::web
