#include "notify/file_mailer.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

namespace portier {

namespace {

// "20261129T174712Z": sorts in send order in a directory listing.
std::string compact_utc(TimePoint t) {
  std::time_t secs = to_unix(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// The kind comes from code, but a file name is no place to trust it.
std::string safe_name(std::string_view kind) {
  std::string out;
  for (char c : kind) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  return out.empty() ? "message" : out;
}

}  // namespace

FileMailer::FileMailer(std::string dir, MailSender sender, std::shared_ptr<const DkimSigner> dkim, Random& random,
                       const Clock& clock)
    : dir_(std::move(dir)), sender_(std::move(sender)), dkim_(std::move(dkim)), random_(random), clock_(clock) {}

std::string FileMailer::describe() const { return "files in " + dir_; }

Result<void> FileMailer::send(const OutboundMessage& message) {
  auto written = deliver(message);
  if (!written) return tl::unexpected(written.error());
  return {};
}

Result<std::string> FileMailer::deliver(const OutboundMessage& m) {
  auto now = clock_.now();
  std::string base = compact_utc(now) + "-" + std::to_string(m.id) + "-" + safe_name(m.kind);
  if (m.channel == MessageChannel::Sms) {
    // Without sms.gateway_url, SMS land here (HttpSmsSender otherwise).
    std::string text = "To: " + m.recipient + "\nDate: " + format_utc(now) + "\nKind: " + m.kind + "\n\n" +
                       m.body_text + (m.body_text.ends_with('\n') ? "" : "\n");
    return write_file(base + ".sms", text);
  }
  auto mime = build_mime_message(m, sender_, now, random_);
  if (!mime) return tl::unexpected(mime.error());
  std::string bytes = std::move(mime->bytes);
  if (dkim_) {
    auto signed_bytes = dkim_->sign(bytes);
    if (!signed_bytes) return tl::unexpected(signed_bytes.error());
    bytes = std::move(*signed_bytes);
  }
  return write_file(base + ".eml", bytes);
}

Result<std::string> FileMailer::write_file(const std::string& name, const std::string& bytes) const {
  std::error_code ec;
  if (!std::filesystem::exists(dir_, ec)) {
    std::filesystem::create_directories(dir_, ec);
    if (ec) return fail(ErrorCode::Unavailable, "cannot create " + dir_ + ": " + ec.message());
    ::chmod(dir_.c_str(), 0700);
  }
  auto path = dir_ + "/" + name;
  // Written under a hidden temporary name, then renamed: rename is atomic,
  // so a reader polling the folder (the tests, a developer) never sees half
  // a message. 0600: messages hold codes and links.
  auto temp = dir_ + "/." + name + "." + std::to_string(::getpid()) + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fail(ErrorCode::Unavailable, "cannot create " + temp + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  bool ok = done == bytes.size() && ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    if (ok) saved = errno;
    ::unlink(temp.c_str());
    return fail(ErrorCode::Unavailable, "cannot write " + path + ": " + std::strerror(saved));
  }
  spdlog::info("mail: wrote {}", path);
  return "written to " + path;
}

}  // namespace portier
