#include "web/view.h"

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <memory>
#include <sstream>

#include "common/mustache_data.h"
#include <stdexcept>

namespace portier::web {

namespace mst = kainjow::mustache;

namespace {

// Parsed templates are not shared between threads (kainjow's render keeps
// state), so each worker thread parses a template once and keeps it.
mst::mustache& compiled(const std::string& name, const std::string& source) {
  thread_local std::map<std::string, std::unique_ptr<mst::mustache>> cache;
  auto& slot = cache[name];
  if (!slot) slot = std::make_unique<mst::mustache>(source);
  return *slot;
}

}  // namespace

View::View(const std::string& templates_dir, const Translations& translations) : translations_(translations) {
  namespace fs = std::filesystem;
  auto dir = fs::path(templates_dir) / "pages";
  if (!fs::is_directory(dir)) throw std::runtime_error("template folder missing: " + dir.string());
  for (auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".mustache") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    mst::mustache probe(ss.str());
    if (!probe.is_valid())
      throw std::runtime_error(entry.path().string() + ": " + probe.error_message());
    sources_[entry.path().stem().string()] = ss.str();
  }
  if (!sources_.count("layout")) throw std::runtime_error("templates/pages/layout.mustache missing");
  // What every page shares, built once per language: the strings ({{t.key}})
  // and the partials ({{>_name}}). Converting hundreds of strings for each
  // request used to cost more than the rest of a page.
  for (const char* lang : {"fr", "en"}) {
    auto shared = std::make_unique<mst::data>(mst::data::type::object);
    shared->set("t", to_mustache_data(translations_.strings(lang)));
    for (auto& [name, source] : sources_)
      if (!name.empty() && name[0] == '_') shared->set(name, mst::partial([&source] { return source; }));
    shared_[lang] = std::move(shared);
  }
}

std::string View::render(const std::string& page, boost::json::object data, std::string_view lang) const {
  auto it = sources_.find(page);
  if (it == sources_.end()) throw std::runtime_error("no template " + page);
  auto shared = shared_.find(lang == "en" ? "en" : "fr");
  mst::data d = to_mustache_data(data);
  // Page values first, then the shared strings and partials: a lookup falls
  // through to the language's data without copying it.
  mst::context<std::string> ctx;
  ctx.push(shared->second.get());
  ctx.push(&d);
  std::string content = compiled(page, it->second).render(ctx);
  d.set("content", content);
  return compiled("layout", sources_.at("layout")).render(ctx);
}

}  // namespace portier::web
