#include "admin/staff_change_notice.h"

#include "common/time_format.h"

namespace portier {

Result<void> queue_staff_change_notice(OutboxStore& outbox, const MessageComposer& composer, const Account& member,
                                       StaffChange change, const StaffChangeNotice& c) {
  auto m = composer.message("account.staff_change", c.lang,
                            boost::json::object{{"display_name", member.display_name},
                                                {"identifier", member.identifier},
                                                {"is_temporary", change == StaffChange::TemporaryPasswordShown},
                                                {"is_unlock", change == StaffChange::SuspensionLifted},
                                                {"when", format_local_time(c.now, c.lang)},
                                                {"sign_in", std::string(c.public_url) + "/connexion"},
                                                {"assistance", std::string(c.public_url) + "/assistance"}},
                            MessageChannel::Email, member.email, member.id, c.now);
  if (auto queued = outbox.enqueue(m); !queued) return tl::unexpected(queued.error());
  return {};
}

}  // namespace portier
