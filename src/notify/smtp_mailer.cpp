#include "notify/smtp_mailer.h"

#include <curl/curl.h>

#include <cstring>
#include <mutex>

namespace portier {

namespace {

// curl_global_init is not thread-safe on every libcurl build: once per process.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
  const std::string* bytes;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t items, void* user) {
  auto* up = static_cast<Upload*>(user);
  std::size_t n = std::min(size * items, up->bytes->size() - up->offset);
  std::memcpy(buffer, up->bytes->data() + up->offset, n);
  up->offset += n;
  return n;
}

// Keeps the server's replies that matter: the first refusal (4xx/5xx: what
// support staff need to read, "550 5.1.1 <x@y>: Recipient address
// rejected") and the last line (the "250 Ok: queued as …" of a delivery).
// Only server lines are kept, never what we send (AUTH, the message).
struct Replies {
  std::string last;
  std::string first_error;
};

int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (line.empty()) return 0;
  auto* r = static_cast<Replies*>(user);
  r->last = line;
  if (r->first_error.empty() && (line[0] == '4' || line[0] == '5')) r->first_error = line;
  return 0;
}

void cleanup_curl(void* handle) { curl_easy_cleanup(static_cast<CURL*>(handle)); }

struct Recipients {
  curl_slist* list = nullptr;
  ~Recipients() { curl_slist_free_all(list); }
};

}  // namespace

SmtpMailer::SmtpMailer(SmtpSettings settings, MailSender sender, std::shared_ptr<const DkimSigner> dkim,
                       Random& random, const Clock& clock)
    : settings_(std::move(settings)), sender_(std::move(sender)), dkim_(std::move(dkim)), random_(random),
      clock_(clock) {
  init_curl_once();
}

std::string SmtpMailer::describe() const {
  auto tls = settings_.url.rfind("smtps://", 0) == 0 ? "implicit TLS" : settings_.tls == "none" ? "no TLS" : "STARTTLS";
  return settings_.url + " (" + tls + (dkim_ ? ", DKIM " + dkim_->domain() : std::string()) + ")";
}

Result<void> SmtpMailer::send(const OutboundMessage& message) {
  auto delivered = deliver(message);
  if (!delivered) return tl::unexpected(delivered.error());
  return {};
}

Result<std::string> SmtpMailer::deliver(const OutboundMessage& message) {
  // Retrying would not help: the SMS gateway is another sender.
  if (message.channel != MessageChannel::Email) return fail(ErrorCode::InvalidInput, "SMTP cannot send an SMS");
  auto mime = build_mime_message(message, sender_, clock_.now(), random_);
  if (!mime) return tl::unexpected(mime.error());
  std::string bytes = std::move(mime->bytes);
  if (dkim_) {
    auto signed_bytes = dkim_->sign(bytes);
    if (!signed_bytes) return tl::unexpected(signed_bytes.error());
    bytes = std::move(*signed_bytes);
  }

  std::lock_guard lock(mutex_);
  // curl_easy_reset keeps the handle's live connection: the next message to
  // the same relay reuses it (libcurl checks it is still alive first).
  if (curl_) curl_easy_reset(curl_.get());
  else curl_ = {curl_easy_init(), cleanup_curl};
  if (!curl_) return fail(ErrorCode::Internal, "curl_easy_init failed");
  CURL* c = static_cast<CURL*>(curl_.get());
  Recipients h;
  // libcurl takes the URL's path as the EHLO name; the sender's domain is a
  // better one than the local host name relays would otherwise see.
  std::string url = settings_.url;
  auto scheme_end = url.find("://");
  if (url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3) == std::string::npos)
    url += "/" + mail_domain(sender_.address);
  bool implicit_tls = url.rfind("smtps://", 0) == 0;
  std::string from = "<" + sender_.address + ">";
  std::string to = "<" + message.recipient + ">";
  h.list = curl_slist_append(nullptr, to.c_str());
  Upload upload{&bytes};
  char error_buffer[CURL_ERROR_SIZE] = {0};
  Replies replies;

  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // STARTTLS by default: CURLUSESSL_ALL fails instead of falling back to
  // plain text when the server does not offer it (a downgrade attack).
  if (!implicit_tls)
    curl_easy_setopt(c, CURLOPT_USE_SSL, settings_.tls == "none" ? (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
  if (!settings_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, settings_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, h.list);
  // Relays drop idle connections after a while; do not bet on an old one.
  curl_easy_setopt(c, CURLOPT_MAXAGE_CONN, 30L);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // signals and threads do not mix
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &replies);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // only so that on_debug sees the replies

  CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  // The handle outlives this call (and may send QUIT when it closes): it
  // must not keep pointers to these locals.
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 0L);
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, nullptr);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, nullptr);
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, nullptr);
  curl_easy_setopt(c, CURLOPT_READDATA, nullptr);
  if (rc == CURLE_OK) return replies.last.empty() ? std::string("accepted") : replies.last;
  // After a failure start the next message on a fresh connection.
  curl_.reset();

  std::string detail = std::string("smtp: ") + (error_buffer[0] ? error_buffer : curl_easy_strerror(rc));
  auto said = replies.first_error.empty() ? replies.last : replies.first_error;
  if (!said.empty()) detail += " (server said: " + said + ")";
  // 5xx refuses this message or recipient for good, except authentication
  // replies (530, 534, 535, 538): those are our configuration, and the
  // message must wait for the operator to fix it rather than be dropped.
  bool auth_reply = code == 530 || code == 534 || code == 535 || code == 538;
  if (code >= 500 && code < 600 && !auth_reply && rc != CURLE_LOGIN_DENIED)
    return fail(ErrorCode::InvalidInput, detail);
  // Everything else may pass: refused connections, timeouts, TLS trouble,
  // 4xx replies. The outbox retries with back-off.
  return fail(ErrorCode::Unavailable, detail);
}

}  // namespace portier
