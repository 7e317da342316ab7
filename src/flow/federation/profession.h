#pragma once
// The profession Pro Santé Connect vouches for, read from its SubjectRefPro
// claim ({"exercices": [{"codeProfession": "10", ...}, ...]}), and a label
// for the common codes of the ANS nomenclature TRE_G15-ProfessionSante
// (https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante). Pure functions.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace portier {

struct Profession {
  std::string code;   // TRE_G15 code as PSC gives it ("10"); empty when the claims name none
  std::string label;  // "Médecin"; empty for a code this table does not know (pages show the code)
};

// The first practice (exercice) of SubjectRefPro that names a profession.
// SubjectRefPro may come as an object or as a JSON string holding one.
Profession profession_from_claims(const boost::json::object& claims);

// The TRE_G15 label of `code` ("60" -> "Infirmier"); empty when unknown.
std::string_view profession_label(std::string_view code);

}  // namespace portier
