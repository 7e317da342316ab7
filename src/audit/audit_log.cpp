#include "audit/audit_log.h"

#include <spdlog/spdlog.h>

namespace portier {

AuditEvent AuditLog::event(std::string event, std::optional<AccountId> actor, std::optional<AccountId> target,
                           const ClientInfo& client, std::string detail) const {
  AuditEvent e;
  e.at = clock_.now();
  e.event = std::move(event);
  e.actor = actor;
  e.target = target;
  e.ip = client.ip;
  e.user_agent = client.user_agent;
  e.detail = std::move(detail);
  return e;
}

void AuditLog::record(std::string event, std::optional<AccountId> actor, std::optional<AccountId> target,
                      const ClientInfo& client, std::string detail) {
  auto e = this->event(std::move(event), actor, target, client, std::move(detail));
  if (auto r = store_.append(e); !r)
    spdlog::error("audit event {} could not be written: {}", e.event, r.error().detail);
}

}  // namespace portier
