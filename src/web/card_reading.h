#pragma once
// What the card sign-in sees of a request's client certificate: the HTTP
// layer's verdict (http/client_certificate.h) and the holder read from the
// certificate, as plain values for flow/card/.
#include <optional>

#include "flow/card/card_flow.h"
#include "http/client_certificate.h"

namespace portier::web {

PresentedCard presented_card(const std::optional<http::ClientCertificate>& certificate);

}  // namespace portier::web
