#pragma once
// French and English strings (templates/i18n/<lang>.json) and the choice of
// language: explicit choice (cookie) first, then Accept-Language, then the
// portal default.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace portier::web {

class Translations {
public:
  // Throws std::runtime_error when a file is missing or malformed: start-up only.
  static Translations load(const std::string& dir);
  const boost::json::object& strings(std::string_view lang) const;
  // The string for `key`, with each "{name}" replaced from `args`; the key
  // itself when missing (visible in tests rather than silently empty).
  std::string t(std::string_view lang, std::string_view key,
                std::initializer_list<std::pair<std::string_view, std::string>> args = {}) const;
  // Plural forms: `key`_one or `key`_other chosen by `count` (French takes
  // the singular for 0 and 1, English for 1 alone), "{count}" replaced by the
  // number, then `args` as t() does. "1 compte créé", "2 comptes créés",
  // never "compte(s)".
  std::string tn(std::string_view lang, std::string_view key, long long count,
                 std::initializer_list<std::pair<std::string_view, std::string>> args = {}) const;

private:
  boost::json::object fr_, en_;
};

inline constexpr const char* kLanguages[] = {"fr", "en"};
// True when `count` takes the plural in `lang` (fr: 2 and more; en: all but 1).
bool is_plural(std::string_view lang, long long count);
std::string negotiate_language(std::string_view cookie, std::string_view accept_language,
                               std::string_view fallback);

}  // namespace portier::web
