#include "notify/message_composer.h"

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "common/encoding.h"
#include "common/mustache_data.h"

namespace portier {

namespace mst = kainjow::mustache;

namespace {

constexpr const char* kLanguages[] = {"fr", "en"};
constexpr const char* kParts[] = {"subject", "body.txt", "body.html"};
constexpr const char* kLayout = "_layout.html";

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// kainjow keeps render state in the template object, so each call parses
// its own copy: mail is rare enough that this costs nothing that matters,
// and compose() stays safe from any thread.
// Text parts (subject, body.txt) are rendered with escaping turned off: an
// "&" in a name must reach a plain-text reader as "&", not "&amp;". Only
// the HTML part is escaped.
std::string render(const std::string& source, const mst::data& data, bool html) {
  mst::mustache tmpl(source);
  if (!html) tmpl.set_custom_escape([](const std::string& s) { return s; });
  return tmpl.render(data);
}

std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  auto first = s.find_first_not_of(' ');
  auto last = s.find_last_not_of(' ');
  return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

}  // namespace

MessageComposer::MessageComposer(const std::string& dir, std::string portal_name, std::string public_url)
    : portal_name_(std::move(portal_name)), public_url_(std::move(public_url)) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw std::runtime_error("mail template folder missing: " + dir);
  auto add = [this](const std::string& key, const fs::path& path) {
    auto source = read_file(path);
    mst::mustache probe(source);
    if (!probe.is_valid()) throw std::runtime_error(path.string() + ": " + probe.error_message());
    sources_[key] = std::move(source);
  };
  if (auto layout = fs::path(dir) / (std::string(kLayout) + ".mustache"); fs::exists(layout)) add(kLayout, layout);
  for (auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_directory()) continue;
    auto kind = entry.path().filename().string();
    for (const char* part : kParts) {
      int present = 0;
      for (const char* lang : kLanguages) {
        auto path = entry.path() / (std::string(part) + "." + lang + ".mustache");
        if (!fs::exists(path)) continue;
        add(kind + "/" + part + "." + lang, path);
        ++present;
      }
      // French and English always go together, so no member ever gets a
      // message in the other language because one file was forgotten.
      if (present == 1)
        throw std::runtime_error("mail template " + kind + "/" + part + " exists in one language only");
    }
    if (!sources_.count(kind + "/body.txt.fr"))
      throw std::runtime_error("mail template " + kind + " has no body.txt.fr.mustache / body.txt.en.mustache");
  }
}

ComposedMessage MessageComposer::compose(std::string_view kind, std::string_view lang, boost::json::object params) const {
  std::string l = lang == "en" ? "en" : "fr";
  auto key = [&](const char* part) { return std::string(kind) + "/" + part + "." + l; };
  auto body = sources_.find(key("body.txt"));
  if (body == sources_.end()) throw std::runtime_error("no mail template " + std::string(kind));

  // Plural forms: every whole-number parameter `n` comes with `n_plural`, so
  // that a template writes "{{minutes}} minute{{#minutes_plural}}s{{/minutes_plural}}"
  // rather than "minute(s)" (French: 0 and 1 are singular), and `n_none`
  // when it is 0, so that "0 jour" is never written.
  std::vector<std::pair<std::string, bool>> plurals;
  for (const auto& [name, value] : params) {
    std::optional<long long> n;
    if (value.is_int64()) n = value.as_int64();
    else if (value.is_uint64()) n = static_cast<long long>(value.as_uint64());
    if (!n) continue;
    plurals.emplace_back(std::string(name) + "_plural", l == "en" ? *n != 1 : (*n > 1 || *n < -1));
    plurals.emplace_back(std::string(name) + "_none", *n == 0);  // "valables 7 jours" only when there are days
  }
  for (auto& [name, plural] : plurals) params[name] = plural;
  params["portal_name"] = portal_name_;
  params["public_url"] = public_url_;
  params["lang"] = l;
  mst::data data = to_mustache_data(params);

  ComposedMessage out;
  if (auto s = sources_.find(key("subject")); s != sources_.end()) out.subject = one_line(render(s->second, data, false));
  out.text = render(body->second, data, false);
  if (auto h = sources_.find(key("body.html")); h != sources_.end()) {
    out.html = render(h->second, data, true);
    if (auto layout = sources_.find(kLayout); layout != sources_.end()) {
      data.set("subject", out.subject);
      data.set("content", out.html);
      out.html = render(layout->second, data, true);
    }
  }
  return out;
}

OutboundMessage MessageComposer::message(std::string_view kind, std::string_view lang, boost::json::object params,
                                         MessageChannel channel, std::string recipient,
                                         std::optional<AccountId> account, TimePoint now) const {
  auto composed = compose(kind, lang, std::move(params));
  OutboundMessage m;
  m.channel = channel;
  m.recipient = std::move(recipient);
  m.account = account;
  m.kind = std::string(kind);
  m.lang = lang == "en" ? "en" : "fr";
  if (channel == MessageChannel::Sms) {
    m.body_text = std::string(trim(composed.text));  // an SMS is its text, nothing else
  } else {
    m.subject = std::move(composed.subject);
    m.body_text = std::move(composed.text);
    m.body_html = std::move(composed.html);
  }
  m.created_at = m.next_attempt_at = now;
  return m;
}

}  // namespace portier
