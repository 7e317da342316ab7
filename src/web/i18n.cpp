#include "web/i18n.h"

#include <boost/json/parse.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "common/encoding.h"

namespace portier::web {

namespace {
boost::json::object read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = boost::json::parse(ss.str(), ec);
  if (ec || !v.is_object()) throw std::runtime_error(path + ": invalid JSON (" + ec.message() + ")");
  return v.as_object();
}

// <lang>.json, then every <area>.<lang>.json beside it in name order: a
// feature keeps its strings in a file of its own. A key defined twice is an
// error, so two files can never silently override each other.
boost::json::object read_language(const std::string& dir, const std::string& lang) {
  auto table = read_json(dir + "/" + lang + ".json");
  std::vector<std::filesystem::path> extra;
  for (auto& entry : std::filesystem::directory_iterator(dir)) {
    auto name = entry.path().filename().string();
    auto suffix = "." + lang + ".json";
    if (name.size() > suffix.size() && name.ends_with(suffix)) extra.push_back(entry.path());
  }
  std::sort(extra.begin(), extra.end());
  for (auto& path : extra)
    for (auto& [k, v] : read_json(path.string())) {
      if (table.contains(k)) throw std::runtime_error(path.string() + ": key " + std::string(k) + " defined twice");
      table[k] = v;
    }
  return table;
}

}  // namespace

Translations Translations::load(const std::string& dir) {
  Translations t;
  t.fr_ = read_language(dir, "fr");
  t.en_ = read_language(dir, "en");
  for (auto& [k, v] : t.fr_)
    if (!t.en_.contains(k)) throw std::runtime_error("en.json lacks key " + std::string(k));
  for (auto& [k, v] : t.en_)
    if (!t.fr_.contains(k)) throw std::runtime_error("fr.json lacks key " + std::string(k));
  return t;
}

const boost::json::object& Translations::strings(std::string_view lang) const { return lang == "en" ? en_ : fr_; }

std::string Translations::t(std::string_view lang, std::string_view key,
                            std::initializer_list<std::pair<std::string_view, std::string>> args) const {
  auto& table = strings(lang);
  auto it = table.find(key);
  if (it == table.end() || !it->value().is_string()) return std::string(key);
  std::string s(it->value().as_string());
  for (auto& [name, value] : args) {
    std::string marker = "{" + std::string(name) + "}";
    for (auto pos = s.find(marker); pos != std::string::npos; pos = s.find(marker, pos + value.size()))
      s.replace(pos, marker.size(), value);
  }
  return s;
}

bool is_plural(std::string_view lang, long long count) {
  if (lang == "en") return count != 1;
  return count > 1 || count < -1;  // « 0 compte », « 1 compte », « 2 comptes »
}

std::string Translations::tn(std::string_view lang, std::string_view key, long long count,
                             std::initializer_list<std::pair<std::string_view, std::string>> args) const {
  auto form = std::string(key) + (is_plural(lang, count) ? "_other" : "_one");
  auto s = t(lang, form, args);
  std::string marker = "{count}", value = std::to_string(count);
  for (auto pos = s.find(marker); pos != std::string::npos; pos = s.find(marker, pos + value.size()))
    s.replace(pos, marker.size(), value);
  return s;
}

namespace {

// RFC 9110 12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ),
// in thousandths; nullopt when malformed. std::stod took "2", "inf", "1e0"
// and hex, so "en;q=2" outranked every language (found by
// tests/fuzz/accept_language_fuzz).
std::optional<int> parse_qvalue(std::string_view s) {
  if (s.empty() || (s[0] != '0' && s[0] != '1')) return std::nullopt;
  int q = (s[0] - '0') * 1000;
  if (s.size() == 1) return q;
  if (s[1] != '.' || s.size() > 5) return std::nullopt;
  int scale = 100;
  for (char c : s.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    q += (c - '0') * scale;
    scale /= 10;
  }
  return q <= 1000 ? std::optional<int>(q) : std::nullopt;
}

}  // namespace

std::string negotiate_language(std::string_view cookie, std::string_view accept_language, std::string_view fallback) {
  if (cookie == "fr" || cookie == "en") return std::string(cookie);
  // Highest q wins; ties keep header order; q=0 means "not this one"; an
  // item with a malformed weight counts for nothing. "fr-FR;q=0.9" counts as fr.
  std::string best(fallback);
  int best_q = 0;
  auto header = accept_language.substr(0, 512);
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    auto semi = item.find(';');
    auto tag = ascii_lower(trim(item.substr(0, semi)));
    std::optional<int> q = 1000;
    auto params = semi == std::string_view::npos ? std::string_view() : item.substr(semi + 1);
    while (semi != std::string_view::npos && q) {
      semi = params.find(';');
      auto param = trim(params.substr(0, semi));
      if (semi != std::string_view::npos) params.remove_prefix(semi + 1);
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') q = parse_qvalue(param.substr(2));
    }
    auto primary = tag.substr(0, tag.find('-'));
    if (q && (primary == "fr" || primary == "en") && *q > best_q) {
      best = primary;
      best_q = *q;
    }
  }
  return best;
}

}  // namespace portier::web
