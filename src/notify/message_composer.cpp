#include "notify/message_composer.h"

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>
#include <stdexcept>

#include "common/encoding.h"
#include "common/mustache_data.h"

namespace portier {

namespace mst = kainjow::mustache;

namespace {

constexpr const char* kParts[] = {"subject", "body.txt", "body.html"};
constexpr const char* kLangs[] = {"fr", "en"};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

MessageComposer::MessageComposer(const std::string& dir, std::string portal_name, std::string public_url)
    : portal_name_(std::move(portal_name)), public_url_(std::move(public_url)) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw std::runtime_error("mail template folder missing: " + dir);
  for (auto& kind : fs::directory_iterator(dir)) {
    if (!kind.is_directory()) continue;
    auto name = kind.path().filename().string();
    // Every kind speaks both languages: a missing file would otherwise only
    // show when a member of that language asks for that message.
    for (auto* part : kParts)
      for (auto* lang : kLangs) {
        auto file = kind.path() / (std::string(part) + "." + lang + ".mustache");
        if (!fs::exists(file)) throw std::runtime_error("mail template missing: " + file.string());
        auto source = read_file(file);
        mst::mustache probe(source);
        if (!probe.is_valid()) throw std::runtime_error(file.string() + ": " + probe.error_message());
        sources_[name + "/" + part + "." + lang] = std::move(source);
      }
  }
}

ComposedMessage MessageComposer::compose(std::string_view kind, std::string_view lang_in,
                                         boost::json::object params) const {
  std::string lang = lang_in == "en" ? "en" : "fr";
  params["portal_name"] = portal_name_;
  params["public_url"] = public_url_;
  auto data = to_mustache_data(params);
  auto render = [&](const char* part, bool html) {
    auto it = sources_.find(std::string(kind) + "/" + part + "." + lang);
    if (it == sources_.end()) throw std::runtime_error("no mail template " + std::string(kind) + "/" + part);
    // Parsed per call: kainjow templates keep render state, and a message is
    // rare next to the hashing that precedes it.
    mst::mustache tmpl(it->second);
    // Text parts are not HTML: a name like "O'Brien & fils" must read as typed.
    if (!html) tmpl.set_custom_escape([](const std::string& s) { return s; });
    return tmpl.render(data);
  };
  ComposedMessage out;
  out.subject = std::string(trim(render("subject", false)));
  out.text = render("body.txt", false);
  // A plain frame, no remote images, no tracking: what a hospital mail
  // filter expects of a legitimate automatic message.
  out.html = "<!doctype html>\n<html lang=\"" + lang + "\">\n<head><meta charset=\"utf-8\"><title>" +
             mst::html_escape<std::string>(out.subject) +
             "</title></head>\n<body style=\"font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; "
             "color: #1b1b1b; max-width: 40em;\">\n" +
             render("body.html", true) + "</body>\n</html>\n";
  return out;
}

}  // namespace portier
