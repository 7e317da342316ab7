#include "notify/http_sms_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <functional>
#include <kainjow/mustache.hpp>

namespace portier {

namespace {

namespace mst = kainjow::mustache;

// curl_global_init is not thread-safe on every libcurl build: once per process.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

void cleanup_curl(void* handle) { curl_easy_cleanup(static_cast<CURL*>(handle)); }

constexpr std::size_t kAnswerExcerpt = 200;
constexpr std::size_t kAnswerKept = 64 * 1024;  // a gateway answer is a few hundred bytes; never buffer more

bool is_e164(const std::string& s) {
  if (s.size() < 8 || s.size() > 16 || s[0] != '+' || s[1] == '0') return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string json_escape(const std::string& s) {
  auto quoted = boost::json::serialize(boost::json::string(s));
  return quoted.substr(1, quoted.size() - 2);
}

// RFC 3986 unreserved characters stay, everything else is %XX: valid in a
// URL query and in an application/x-www-form-urlencoded body alike.
std::string percent_encode(const std::string& s) { return boost::urls::encode(s, boost::urls::unreserved_chars); }

// Triple mustaches and {{&…}} insert a value unescaped, and a delimiter
// change ({{=<% %>=}}) would hide one: none may reach a request.
bool has_raw_tag(const std::string& tmpl) {
  return tmpl.find("{{{") != std::string::npos || tmpl.find("{{&") != std::string::npos ||
         tmpl.find("{{=") != std::string::npos;
}

Result<std::string> render(const std::string& tmpl, const mst::data& values,
                           const std::function<std::string(const std::string&)>& escape, const char* what) {
  if (has_raw_tag(tmpl))
    return fail(ErrorCode::InvalidInput, std::string("sms ") + what + ": {{{…}}}, {{&…}} and {{=…=}} are not allowed");
  mst::mustache m(tmpl);
  if (!m.is_valid()) return fail(ErrorCode::InvalidInput, std::string("sms ") + what + ": " + m.error_message());
  m.set_custom_escape(escape);
  auto out = m.render(values);
  if (!m.is_valid()) return fail(ErrorCode::InvalidInput, std::string("sms ") + what + ": " + m.error_message());
  return out;
}

// Replaces the secret (a gateway may echo the request) and line breaks (the
// detail is one line of `portier mail list`).
std::string scrub(std::string s, const std::string& secret) {
  if (!secret.empty())
    for (auto at = s.find(secret); at != std::string::npos; at = s.find(secret, at + 8)) s.replace(at, secret.size(), "[secret]");
  for (auto& c : s)
    if (c == '\r' || c == '\n' || c == '\t' || c == '\0') c = ' ';
  return s;
}

std::size_t keep_answer(char* data, std::size_t size, std::size_t items, void* user) {
  auto* answer = static_cast<std::string*>(user);
  std::size_t n = size * items;
  if (answer->size() < kAnswerKept) answer->append(data, std::min(n, kAnswerKept - answer->size()));
  return n;
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
};

}  // namespace

std::string sms_gateway_host(const std::string& url) {
  // Only scheme://authority: the path or query may hold templates or keys.
  auto start = url.find("://");
  if (start == std::string::npos) return "?";
  auto end = url.find_first_of("/?#{", start + 3);
  std::string authority = url.substr(0, end);  // outlives the view parse_uri returns
  auto parsed = boost::urls::parse_uri(authority);
  if (!parsed) return "?";
  std::string port = parsed->has_port() ? std::string(parsed->port()) : parsed->scheme() == "https" ? "443" : "80";
  return std::string(parsed->encoded_host_address()) + ":" + port;
}

Result<SmsRequest> build_sms_request(const SmsGatewaySettings& s, const OutboundMessage& message) {
  if (message.channel != MessageChannel::Sms) return fail(ErrorCode::InvalidInput, "the SMS gateway sends only SMS");
  const std::string& to = message.recipient;
  if (!is_e164(to)) return fail(ErrorCode::InvalidInput, "sms: the recipient is not an E.164 number");
  mst::data values;
  values.set("to", to);
  values.set("to_digits", to.substr(1));
  // Only France is trivial (trunk prefix 0, nine digits); elsewhere the
  // national form has rules of its own, so the E.164 number stands.
  values.set("to_national", to.rfind("+33", 0) == 0 && to.size() == 12 ? "0" + to.substr(3) : to);
  values.set("text", message.body_text);
  values.set("sender", s.sender);
  values.set("secret", s.secret);

  SmsRequest r;
  r.method = s.method;
  auto url = render(s.url, values, percent_encode, "url");
  if (!url) return tl::unexpected(url.error());
  if (!boost::urls::parse_uri(*url)) return fail(ErrorCode::InvalidInput, "sms url: not a valid URL once rendered");
  r.url = std::move(*url);

  bool has_content_type = false;
  for (const auto& h : s.headers) {
    // Header values go in verbatim (a bearer token is not to be escaped),
    // so a line break anywhere would smuggle in a header of its own.
    auto line = render(h, values, [](const std::string& v) { return v; }, "header");
    if (!line) return tl::unexpected(line.error());
    if (line->find_first_of("\r\n", 0) != std::string::npos || line->find('\0') != std::string::npos)
      return fail(ErrorCode::InvalidInput, "sms header: a value would hold a line break");
    auto colon = line->find(':');
    if (colon == std::string::npos || colon == 0) return fail(ErrorCode::InvalidInput, "sms header: expected 'Name: value'");
    std::string name = line->substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    has_content_type = has_content_type || name == "content-type";
    r.headers.push_back(std::move(*line));
  }

  if (s.method == "GET") return r;
  bool json = s.body_format != "form";
  std::string tmpl = s.body_template;
  if (tmpl.empty())
    tmpl = json ? R"({"to":"{{to}}","text":"{{text}}","sender":"{{sender}}"})" : "to={{to}}&text={{text}}&sender={{sender}}";
  auto body = json ? render(tmpl, values, json_escape, "body_template") : render(tmpl, values, percent_encode, "body_template");
  if (!body) return tl::unexpected(body.error());
  r.body = std::move(*body);
  if (!has_content_type)
    r.headers.push_back(json ? "Content-Type: application/json" : "Content-Type: application/x-www-form-urlencoded");
  return r;
}

Result<std::string> judge_sms_answer(const SmsGatewaySettings& s, long status, std::string_view body) {
  auto excerpt = scrub(std::string(body), s.secret);
  if (excerpt.size() > kAnswerExcerpt) excerpt.resize(kAnswerExcerpt);
  std::string said = "HTTP " + std::to_string(status) + (excerpt.empty() ? "" : ": " + excerpt);
  // 429 and 5xx pass: the gateway is throttling or down, the outbox retries.
  if (status == 429 || status >= 500) return fail(ErrorCode::Unavailable, "sms gateway: " + said);
  bool status_ok = s.success_status.empty()
                       ? status >= 200 && status < 300
                       : std::find(s.success_status.begin(), s.success_status.end(), status) != s.success_status.end();
  if (!status_ok) return fail(ErrorCode::InvalidInput, "sms gateway refused: " + said);
  // Some gateways answer 200 with an error in the body.
  if (!s.success_body_contains.empty() && body.find(s.success_body_contains) == std::string_view::npos)
    return fail(ErrorCode::InvalidInput, "sms gateway refused (no \"" + s.success_body_contains + "\" in its answer): " + said);
  return said;
}

HttpSmsSender::HttpSmsSender(SmsGatewaySettings settings) : settings_(std::move(settings)) { init_curl_once(); }

std::string HttpSmsSender::describe() const {
  return "SMS gateway " + sms_gateway_host(settings_.url) + " (" + settings_.method +
         (settings_.method == "GET" ? "" : ", " + settings_.body_format) + ")";
}

Result<void> HttpSmsSender::send(const OutboundMessage& message) {
  auto delivered = deliver(message);
  if (!delivered) return tl::unexpected(delivered.error());
  return {};
}

Result<std::string> HttpSmsSender::deliver(const OutboundMessage& message) {
  auto request = build_sms_request(settings_, message);
  if (!request) return tl::unexpected(request.error());

  std::lock_guard lock(mutex_);
  // curl_easy_reset keeps the handle's live connection: the next SMS to the
  // same gateway reuses it (libcurl checks it is still alive first).
  if (curl_) curl_easy_reset(curl_.get());
  else curl_ = {curl_easy_init(), cleanup_curl};
  if (!curl_) return fail(ErrorCode::Internal, "curl_easy_init failed");
  CURL* c = static_cast<CURL*>(curl_.get());
  HeaderList h;
  for (const auto& line : request->headers) h.list = curl_slist_append(h.list, line.c_str());
  // No "Expect: 100-continue" round trip for bodies over 1 KiB.
  h.list = curl_slist_append(h.list, "Expect:");
  std::string answer;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(c, CURLOPT_URL, request->url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  // Redirects are not followed: the secret in a header or the URL would go
  // wherever the Location says. TLS verification stays libcurl's default (on).
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  if (request->method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request->body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request->body.size()));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h.list);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "portier");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_answer);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // signals and threads do not mix
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);

  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  // The handle outlives this call: it must not keep pointers to these locals.
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, nullptr);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, nullptr);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, nullptr);
  if (rc != CURLE_OK) {
    // After a failure start the next message on a fresh connection.
    curl_.reset();
    // Refused connections, timeouts, TLS trouble: all may pass.
    std::string why = error_buffer[0] ? error_buffer : curl_easy_strerror(rc);
    return fail(ErrorCode::Unavailable, "sms gateway " + sms_gateway_host(settings_.url) + ": " + scrub(why, settings_.secret));
  }
  return judge_sms_answer(settings_, status, answer);
}

}  // namespace portier
