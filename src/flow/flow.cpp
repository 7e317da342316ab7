#include "flow/flow.h"

namespace portier {

const char* to_string(FlowKind k) {
  switch (k) {
    case FlowKind::SignIn: return "sign_in";
    case FlowKind::Setup: return "setup";
    case FlowKind::Recovery: return "recovery";
    case FlowKind::PhoneVerification: return "phone_verification";
    case FlowKind::Activation: return "activation";
    case FlowKind::EmailChange: return "email_change";
    case FlowKind::Authorization: return "oidc_authorization";
    case FlowKind::CardTicket: return "card_ticket";
    case FlowKind::CardLink: return "card_link";
    case FlowKind::FederationLogin: return "federation_login";
    case FlowKind::FederationLink: return "federation_link";
    case FlowKind::FederationAccount: return "federation_account";
    case FlowKind::FederationLogout: return "federation_logout";
  }
  return "?";
}

}  // namespace portier
