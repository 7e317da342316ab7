#pragma once
// Persistence of the email-change flow (flow/email_change/): the request,
// the switch and the cancellation, each one transaction with the messages
// that announce it, so that a change never happens unannounced and a mail
// never announces a change that was not stored.
#include <string>
#include <vector>

#include "common/result.h"
#include "flow/flow.h"
#include "flow/token_flow_store.h"
#include "notify/outbound_message.h"

namespace portier {

// Token purposes of the flow: the link and the code go to the new address,
// the cancel link ("this was not me") to the old one.
inline constexpr const char* kEmailChangeLink = "email_change_link";
inline constexpr const char* kEmailChangeCode = "email_change_code";
inline constexpr const char* kEmailChangeCancel = "email_change_cancel";

class EmailChangeStore {
public:
  virtual ~EmailChangeStore() = default;
  /// In one transaction: deletes the account's previous email-change flow
  /// (same `flow.id_hash`), revokes every unused email-change token of the
  /// account (a newer request makes the older link, code and cancel link
  /// useless), stores `flow` and `tokens` and enqueues `messages`.
  virtual Result<void> start(const FlowEnvelope& flow, const std::vector<OneTimeToken>& tokens,
                             const std::vector<OutboundMessage>& messages) = 0;
  /// The token with this hash, used or not; NotFound when unknown.
  virtual Result<OneTimeToken> find_token(std::string_view hash) = 0;
  /// The switch, in one transaction: spends `token_hash` (only if unused,
  /// unexpired at `now` and of `flow.account`), moves the flow from
  /// `pending_state` to `flow.state` (compare-and-set), sets the account's
  /// address to `new_email`, revokes every unused recovery, invitation and
  /// email-change token of the account, ends the account's sessions except
  /// `keep_session_hash` (empty: all) and enqueues `notices`.
  /// FlowStateInvalid when the token was spent or the flow moved meanwhile
  /// (of two racing confirmations one wins). Returns the sessions ended.
  virtual Result<int> complete(const FlowEnvelope& flow, std::string_view pending_state, std::string_view token_hash,
                               std::string_view new_email, std::string_view keep_session_hash, TimePoint now,
                               const std::vector<OutboundMessage>& notices) = 0;
  /// The cancellation, in one transaction: spends `token_hash` when not
  /// empty (same conditions as complete), moves the flow from
  /// `pending_state` to `flow.state`, revokes the account's unused
  /// email-change tokens. FlowStateInvalid as for complete.
  virtual Result<void> cancel(const FlowEnvelope& flow, std::string_view pending_state, std::string_view token_hash,
                              TimePoint now) = 0;
};

}  // namespace portier
