#pragma once
// Sends SMS through an HTTP gateway, described entirely by configuration
// (URL, method, headers, a JSON or form body template, the success
// condition), so that a new gateway needs no code. libcurl, TLS verified,
// bounded timeouts, no redirects. It runs only on the outbox worker's thread
// or the command line; it never logs or reports the secret or the message
// text, and never builds a request by pasting raw values into it: every
// value goes through the escaping of the place it lands in.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "notify/mailer.h"

namespace portier {

struct SmsGatewaySettings {
  std::string url;                    // http(s)://…, may hold {{to}}, {{text}}, {{secret}}… (percent-encoded)
  std::string method = "POST";        // POST or GET (GET sends no body)
  std::vector<std::string> headers;   // "Name: value", may hold {{secret}}… (values inserted verbatim)
  std::string body_template;          // empty: to, text and sender in body_format
  std::string body_format = "json";   // json (values JSON-escaped) or form (values percent-encoded)
  std::string secret;                 // {{secret}}; never logged
  std::string sender;                 // {{sender}}: the sender name or number the gateway shows
  std::vector<int> success_status;    // empty: any 2xx
  std::string success_body_contains;  // empty: the status alone decides
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds timeout{30};   // the whole exchange
};

// One HTTP request, ready to send: what the gateway will see, byte for byte.
struct SmsRequest {
  std::string method;
  std::string url;
  std::vector<std::string> headers;  // "Name: value", Content-Type included for a body
  std::string body;
};

/// Renders the request for `message` (an SMS to an E.164 number) from the
/// templates. Template values: {{to}} (+33612345678), {{to_digits}}
/// (33612345678), {{to_national}} (0612345678 for +33, else as {{to}}),
/// {{text}}, {{sender}}, {{secret}}. Errors: InvalidInput for a recipient
/// that is not E.164, a template that does not parse, or a header that would
/// hold a line break.
Result<SmsRequest> build_sms_request(const SmsGatewaySettings& settings, const OutboundMessage& message);

/// Judges the gateway's answer: the answer's first 200 bytes when it meets
/// the success condition; Unavailable for 429 and 5xx (the outbox retries);
/// InvalidInput for anything else (failed for good). The detail never holds
/// the secret, even when the gateway echoes it.
Result<std::string> judge_sms_answer(const SmsGatewaySettings& settings, long status, std::string_view body);

/// "gateway.example.com:443": what describe() and error details may show
/// of the URL (its path or query may hold an API key).
std::string sms_gateway_host(const std::string& url);

class HttpSmsSender final : public Mailer {
public:
  explicit HttpSmsSender(SmsGatewaySettings settings);

  Result<void> send(const OutboundMessage& message) override;
  Result<std::string> deliver(const OutboundMessage& message) override;
  std::string describe() const override;

private:
  SmsGatewaySettings settings_;
  // One libcurl handle kept across messages, so that a batch reuses one
  // connection (and TLS session) to the gateway. The worker is one thread;
  // the mutex keeps `sms test` or a second caller safe.
  std::mutex mutex_;
  std::unique_ptr<void, void (*)(void*)> curl_{nullptr, nullptr};
};

}  // namespace portier
