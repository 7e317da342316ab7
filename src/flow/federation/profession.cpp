#include "flow/federation/profession.h"

#include <boost/json/parse.hpp>

namespace portier {

namespace {

// TRE_G15-ProfessionSante, the professions of the code de la santé publique
// (NOS 1.2.0). Codes PSC sends for practitioners in the RPPS.
struct Entry {
  std::string_view code;
  std::string_view label;
};
constexpr Entry kTreG15[] = {
    {"10", "Médecin"},
    {"21", "Pharmacien"},
    {"26", "Audioprothésiste"},
    {"28", "Opticien-Lunetier"},
    {"31", "Assistant dentaire"},
    {"32", "Physicien médical"},
    {"35", "Aide-soignant"},
    {"36", "Ambulancier"},
    {"37", "Auxiliaire de puériculture"},
    {"38", "Préparateur en pharmacie hospitalière"},
    {"39", "Préparateur en pharmacie"},
    {"40", "Chirurgien-Dentiste"},
    {"50", "Sage-Femme"},
    {"60", "Infirmier"},
    {"70", "Masseur-Kinésithérapeute"},
    {"80", "Pédicure-Podologue"},
    {"81", "Orthoprothésiste"},
    {"82", "Podo-Orthésiste"},
    {"83", "Orthopédiste-Orthésiste"},
    {"84", "Oculariste"},
    {"85", "Epithésiste"},
    {"86", "Technicien de laboratoire médical"},
    {"91", "Orthophoniste"},
    {"92", "Orthoptiste"},
    {"94", "Ergothérapeute"},
    {"95", "Diététicien"},
    {"96", "Psychomotricien"},
    {"98", "Manipulateur ERM"},
};

bool is_code(std::string_view s) {
  if (s.empty() || s.size() > 8) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::string_view profession_label(std::string_view code) {
  for (const auto& e : kTreG15)
    if (e.code == code) return e.label;
  return {};
}

Profession profession_from_claims(const boost::json::object& claims) {
  const auto* ref = claims.if_contains("SubjectRefPro");
  if (!ref) return {};
  boost::json::value parsed;
  if (ref->is_string()) {
    // Some PSC answers carry it as a string of JSON.
    boost::system::error_code ec;
    parsed = boost::json::parse(std::string_view(ref->as_string()), ec);
    if (ec) return {};
    ref = &parsed;
  }
  if (!ref->is_object()) return {};
  const auto* practices = ref->as_object().if_contains("exercices");
  if (!practices || !practices->is_array()) return {};
  for (const auto& practice : practices->as_array()) {
    if (!practice.is_object()) continue;
    const auto* code = practice.as_object().if_contains("codeProfession");
    if (!code || !code->is_string() || !is_code(std::string_view(code->as_string()))) continue;
    Profession p;
    p.code = std::string(code->as_string());
    p.label = std::string(profession_label(p.code));
    return p;
  }
  return {};
}

}  // namespace portier
