#pragma once
#include <string>

namespace portier {

// Who is on the other end of a request, for the audit log and session list.
struct ClientInfo {
  std::string ip;
  std::string user_agent;  // truncated to 256 bytes by the web layer
};

}  // namespace portier
