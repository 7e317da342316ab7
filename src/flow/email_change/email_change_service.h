#pragma once
// Mon espace and the support console change a member's email address only
// through here. The rule (docs/security.md, "Changing the email address"):
//   - the member proves who they are again (password, and the app when one
//     is enrolled: session/reauthentication.h); an agent gives a reason and
//     their own password instead, and cannot prove the new mailbox for the
//     member;
//   - a link and a code go to the NEW address; nothing changes until one of
//     them comes back (single use, expiring, tries counted atomically, a
//     newer request revokes the older one);
//   - the OLD address is told at once, with a "this was not me" link that
//     cancels; after the switch it gets a notice naming the assistance;
//   - at the switch, recovery links and codes and invitations are revoked,
//     the account's other sessions end, and the audit keeps masked values.
// Never says whether the new address belongs to another account.
#include <functional>
#include <optional>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "common/random.h"
#include "common/secret_hasher.h"
#include "flow/email_change/email_change_flow.h"
#include "flow/email_change/email_change_store.h"
#include "flow/flow_store.h"
#include "notify/message_composer.h"
#include "session/reauthentication.h"

namespace portier {

struct EmailChangeSettings {
  std::chrono::seconds lifetime{24 * 3600};   // of the link, the code and the cancel link
  int code_length = 12;                       // characters of the typed code (≈5 bits each)
  int max_code_attempts = 5;                  // wrong codes before the change must be asked again
  std::chrono::seconds resend_cooldown{120};  // between two requests of one account
  std::string public_url = "http://localhost:8080";
};

// Who confirms or cancels: the browser's session (hash) and whose it is, so
// that the browser confirming keeps its session and the others end.
struct BrowserSession {
  std::string hash;
  std::optional<AccountId> account;
};

class EmailChangeService {
public:
  EmailChangeService(AccountStore& accounts, FlowStore& flows, EmailChangeStore& store, Reauthentication& reauth,
                     const MessageComposer& composer, AuditLog& audit, const SecretHasher& secrets, Random& random,
                     const Clock& clock, std::function<void()> wake_outbox, EmailChangeSettings settings);

  // Mon espace: the new address, the current password and (when an app is
  // enrolled) a code from it or a recovery code.
  Result<EmailChangeRequestOutcome> request(AccountId id, std::string_view new_email, std::string_view password,
                                            std::string_view app_code, std::string_view lang,
                                            const BrowserSession& browser, const ClientInfo& client);
  // The support console (the agent's reason and password were checked by
  // SupportService): the same flow, the member confirms from the new mailbox.
  Result<EmailChangeRequestOutcome> request_by_staff(const Account& member, std::string_view new_email,
                                                     AccountId agent, std::string_view reason, std::string_view lang,
                                                     const ClientInfo& client);
  // The change waiting for the new mailbox, if any.
  Result<std::optional<PendingEmailChange>> pending(AccountId id);
  // The code typed in Mon espace. NotFound when nothing is pending.
  Result<EmailConfirmOutcome> confirm_code(AccountId id, std::string_view code, const BrowserSession& browser,
                                           const ClientInfo& client);
  // The link pages: NotFound when unknown, used or revoked; Expired when late.
  Result<EmailChangeLinkView> check_link(std::string_view link);
  Result<EmailChanged> confirm_link(std::string_view link, const BrowserSession& browser, const ClientInfo& client);
  Result<EmailChangeLinkView> check_cancel_link(std::string_view link);
  Result<void> cancel_by_link(std::string_view link, const ClientInfo& client);
  // The member (Mon espace) or an agent (console) withdraws the pending
  // change; false when none was pending.
  Result<bool> cancel(AccountId id, std::optional<AccountId> agent, std::string_view reason, const ClientInfo& client);

private:
  Result<EmailChangeRequestOutcome> start(const Account& member, const std::string& new_email,
                                          std::optional<AccountId> agent, std::string_view reason,
                                          std::string_view lang, const std::string& requester_session,
                                          const ClientInfo& client);
  std::string flow_hash(AccountId id) const;
  Result<std::optional<FlowEnvelope>> pending_flow(AccountId id);
  Result<OneTimeToken> usable_token(std::string_view purpose, std::string_view hash);
  // The usable token of a link (`purpose`: confirm or cancel) and the
  // pending change it belongs to; NotFound when either is gone.
  struct LinkedChange {
    OneTimeToken token;
    FlowEnvelope flow;
  };
  Result<LinkedChange> linked_change(std::string_view purpose, std::string_view link);
  Result<EmailChangeLinkView> link_view(std::string_view purpose, std::string_view link);
  Result<EmailChanged> complete(const FlowEnvelope& flow, const std::string& token_hash, const BrowserSession& browser,
                                const ClientInfo& client, const char* how);

  AccountStore& accounts_;
  FlowStore& flows_;
  EmailChangeStore& store_;
  Reauthentication& reauth_;
  const MessageComposer& composer_;
  AuditLog& audit_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  std::function<void()> wake_outbox_;
  EmailChangeSettings settings_;
};

}  // namespace portier
