#include "web/console_nav.h"

#include "assistance/assistance_service.h"
#include "web/exchange.h"

namespace portier::web {

void add_console_nav(Exchange& ex, boost::json::object& data) {
  if (!data.contains("has_import")) data["has_import"] = ex.services().account_import != nullptr;
  // Registered applications (console_client_pages.cpp): administrators only.
  if (ex.services().client_admin && ex.agent().account.role == Role::Admin) {
    data["has_clients_link"] = true;
    data["clients_current"] = ex.request().path.rfind("/support/applications", 0) == 0;
  }
  auto* assistance = ex.services().assistance;
  if (!assistance) return;
  data["has_requests_link"] = true;
  data["requests_current"] = ex.request().path.rfind("/support/demandes", 0) == 0;
  // One COUNT on an indexed column; a failure only hides the number.
  auto n = assistance->count_new();
  if (!n || *n <= 0) return;
  data["has_new_requests"] = true;
  data["new_requests"] = std::to_string(*n);
  data["new_requests_label"] = ex.t(*n == 1 ? "assist_nav_new_one" : "assist_nav_new_other");
}

}  // namespace portier::web
