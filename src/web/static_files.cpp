#include "web/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace portier::web {

namespace {
std::string type_of(const std::string& ext) {
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  return "application/octet-stream";
}
}  // namespace

StaticFiles StaticFiles::load(const std::string& dir, std::string theme) {
  StaticFiles out;
  namespace fs = std::filesystem;
  if (fs::is_directory(dir)) {
    // Sub-folders too (vendor/altcha.js). Requests are looked up in this
    // map, never on disk, so "../" in a URL cannot reach another file.
    for (auto& entry : fs::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      auto name = entry.path().lexically_relative(dir).generic_string();
      out.files_[name] = {type_of(entry.path().extension().string()), ss.str()};
    }
  }
  out.files_["theme.css"] = {"text/css; charset=utf-8", std::move(theme)};
  return out;
}

const StaticFile* StaticFiles::find(std::string_view path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

std::string theme_css(const std::string& primary_colour) {
  return ":root { --primary: " + primary_colour + "; }\n";
}

}  // namespace portier::web
