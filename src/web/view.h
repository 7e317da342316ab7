#pragma once
// Renders pages: templates/pages/<name>.mustache inside layout.mustache, with
// the strings of the page's language available as {{t.key}}. Mustache escapes
// every {{value}}; only {{{content}}} (our own rendered page) is raw.
#include <boost/json/object.hpp>
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <string>

#include "web/i18n.h"

namespace portier::web {

class View {
public:
  // Loads every template once; throws std::runtime_error when one is missing.
  View(const std::string& templates_dir, const Translations& translations);
  // `page` is the template name; `data` its values. The layout receives the
  // same data plus `content`.
  std::string render(const std::string& page, boost::json::object data, std::string_view lang) const;
  const Translations& translations() const { return translations_; }

private:
  std::map<std::string, std::string> sources_;
  // Per language: {"t": strings, "_partial": …}; see the constructor.
  std::map<std::string, std::unique_ptr<kainjow::mustache::data>, std::less<>> shared_;
  const Translations& translations_;
};

}  // namespace portier::web
