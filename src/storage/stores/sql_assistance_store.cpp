#include "storage/stores/sql_assistance_store.h"

#include <boost/json.hpp>

#include "storage/stores/sql_outbox_store.h"

namespace portier::storage {

namespace {

constexpr const char* kColumns =
    "id, created_at, status, target_text, account_id, name, phone, email, message, preferred_slots, assigned_to,"
    " scheduled_at, closed_at, note, lang, reference";

std::string slots_json(const std::vector<TimePoint>& slots) {
  boost::json::array a;
  for (auto at : slots) a.push_back(to_unix(at));
  return boost::json::serialize(a);
}

std::vector<TimePoint> parse_slots(const std::string& text) {
  std::vector<TimePoint> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (auto& e : v.as_array())
    if (e.is_int64()) out.push_back(from_unix(e.as_int64()));
  return out;
}

AssistanceRequest read_row(const Statement& s) {
  AssistanceRequest r;
  r.id = s.int64(0);
  r.created_at = s.time(1);
  r.status = parse_assistance_status(s.text(2)).value_or(AssistanceStatus::New);
  r.target_text = s.text(3);
  r.account = s.optional_int64(4);
  r.name = s.text(5);
  r.phone = s.optional_text(6);
  r.email = s.optional_text(7);
  r.message = s.text(8);
  r.preferred_slots = parse_slots(s.text(9));
  r.assigned_to = s.optional_int64(10);
  r.scheduled_at = s.optional_time(11);
  r.closed_at = s.optional_time(12);
  r.note = s.optional_text(13).value_or("");
  r.lang = s.text(14);
  r.reference = s.optional_text(15).value_or("");
  return r;
}

Result<std::vector<AssistanceRequest>> read_all(Result<Statement> stmt) {
  return read_rows(std::move(stmt), read_row);
}

}  // namespace

Result<std::int64_t> SqlAssistanceStore::create(const AssistanceRequest& r, const MessagesFor& messages) {
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<std::int64_t> {
    auto stmt = lease.query(
        "INSERT INTO assistance_requests (created_at, status, target_text, account_id, name, phone, email, message,"
        " preferred_slots, lang, reference) VALUES (?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        r.created_at, r.target_text, r.account, r.name, r.phone, r.email, r.message, slots_json(r.preferred_slots),
        r.lang, r.reference.empty() ? std::optional<std::string>() : std::optional<std::string>(r.reference));
    if (!stmt) return tl::unexpected(stmt.error());
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return fail(ErrorCode::Internal, "insert returned no id");
    auto id = stmt->int64(0);
    if (messages)
      for (const auto& m : messages(id)) {
        auto queued = insert_outbox_message(lease, m);
        if (!queued) return tl::unexpected(queued.error());
      }
    return id;
  });
}

Result<AssistanceRequest> SqlAssistanceStore::find(std::int64_t id) {
  auto lease = db_->acquire();
  auto stmt = lease.query(std::string("SELECT ") + kColumns + " FROM assistance_requests WHERE id = ?", id);
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return fail(ErrorCode::NotFound, "no such assistance request");
  return read_row(*stmt);
}

Result<std::vector<AssistanceRequest>> SqlAssistanceStore::list(std::optional<AssistanceStatus> status, int limit) {
  auto lease = db_->acquire();
  std::string select = std::string("SELECT ") + kColumns + " FROM assistance_requests";
  if (!status) return read_all(lease.query(select + " ORDER BY created_at DESC, id DESC LIMIT ?", limit));
  const char* order = *status == AssistanceStatus::New || *status == AssistanceStatus::InProgress
                          ? " ORDER BY created_at, id"
                      : *status == AssistanceStatus::Scheduled ? " ORDER BY scheduled_at, id"
                                                               : " ORDER BY closed_at DESC, id DESC";
  return read_all(lease.query(select + " WHERE status = ?" + order + " LIMIT ?", to_string(*status), limit));
}

Result<std::vector<AssistanceRequest>> SqlAssistanceStore::list_for_account(AccountId account, int limit) {
  auto lease = db_->acquire();
  return read_all(lease.query(std::string("SELECT ") + kColumns +
                                  " FROM assistance_requests WHERE account_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                              account, limit));
}

Result<int> SqlAssistanceStore::count(AssistanceStatus status) {
  auto lease = db_->acquire();
  auto stmt = lease.query("SELECT COUNT(*) FROM assistance_requests WHERE status = ?", to_string(status));
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return *row ? static_cast<int>(stmt->int64(0)) : 0;
}

// Nothing changed: say whether the request is missing or in another state.
Result<void> SqlAssistanceStore::changed_or_why(Lease& lease, int changed, std::int64_t id) {
  if (changed > 0) return {};
  auto stmt = lease.query("SELECT 1 FROM assistance_requests WHERE id = ?", id);
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return fail(ErrorCode::NotFound, "no such assistance request");
  return fail(ErrorCode::FlowStateInvalid, "the request is not in a state that allows this, or another agent holds it");
}

Result<void> SqlAssistanceStore::take(std::int64_t id, AccountId agent) {
  auto lease = db_->acquire();
  // The expected state is in the WHERE: of two agents taking at once, one
  // changes the row and the other changes nothing.
  auto n = lease.run(
      "UPDATE assistance_requests SET assigned_to = ?1, status = 'in_progress' WHERE id = ?2"
      " AND (status = 'new' OR (status = 'in_progress' AND assigned_to = ?1))"
      " AND (assigned_to IS NULL OR assigned_to = ?1)",
      agent, id);
  if (!n) return tl::unexpected(n.error());
  return changed_or_why(lease, *n, id);
}

Result<void> SqlAssistanceStore::schedule(std::int64_t id, AccountId agent, TimePoint at,
                                             const std::optional<OutboundMessage>& confirmation) {
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<void> {
    auto n = lease.run(
        "UPDATE assistance_requests SET status = 'scheduled', scheduled_at = ?1 WHERE id = ?2"
        " AND status IN ('new', 'in_progress', 'scheduled') AND assigned_to = ?3",
        at, id, agent);
    if (!n) return tl::unexpected(n.error());
    if (auto ok = changed_or_why(lease, *n, id); !ok) return ok;
    // The confirmation is queued only when the state did change, in the same
    // transaction: no mail for a slot that was not booked.
    if (confirmation) {
      auto queued = insert_outbox_message(lease, *confirmation);
      if (!queued) return tl::unexpected(queued.error());
    }
    return {};
  });
}

Result<void> SqlAssistanceStore::close(std::int64_t id, AccountId agent, std::string_view note, TimePoint at,
                                          const std::optional<OutboundMessage>& notice) {
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<void> {
    auto n = lease.run(
        "UPDATE assistance_requests SET status = 'done', closed_at = ?1, note = ?2 WHERE id = ?3"
        " AND status IN ('new', 'in_progress', 'scheduled') AND assigned_to = ?4",
        at, note, id, agent);
    if (!n) return tl::unexpected(n.error());
    if (auto ok = changed_or_why(lease, *n, id); !ok) return ok;
    if (notice) {
      auto queued = insert_outbox_message(lease, *notice);
      if (!queued) return tl::unexpected(queued.error());
    }
    return {};
  });
}

}  // namespace portier::storage
