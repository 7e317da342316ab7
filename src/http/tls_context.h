#pragma once
// The OpenSSL server context of one TLS listener: certificate chain and key
// from files, TLS 1.2 and 1.3 only, Mozilla's "intermediate" cipher list,
// session tickets on, ALPN http/1.1, and the listener's client-certificate
// mode. Built at start (a bad file stops the start) and again on SIGHUP (a
// bad file keeps the previous context). Only src/http includes this.
#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "common/result.h"
#include "config/listener_config.h"

namespace portier::http {

// `name` tells the listener apart in messages and in the session id context
// (a session resumes only on the listener, and the client-certificate mode,
// it was made on).
Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(const ListenerConfig& listener,
                                                                   const std::string& name);

}  // namespace portier::http
