#pragma once
// The few static assets (CSS, logo, scripts), read into memory at start-up
// and served from /static/ with a content type and a cache lifetime.
#include <map>
#include <optional>
#include <string>

namespace portier::web {

struct StaticFile {
  std::string content_type;
  std::string body;
};

class StaticFiles {
public:
  // Loads every file under `dir` and its sub-folders (key "vendor/altcha.js");
  // `theme_css` is served as /static/theme.css.
  static StaticFiles load(const std::string& dir, std::string theme_css);
  const StaticFile* find(std::string_view path) const;  // path under /static/

private:
  std::map<std::string, StaticFile, std::less<>> files_;
};

// CSS custom properties from the portal's configured colour.
std::string theme_css(const std::string& primary_colour);

}  // namespace portier::web
