#pragma once
// Who holds a card of the CPS family, read from its authentication
// certificate's subject as IGC-Santé writes it:
//   CN=810002813839+SN=DUPONT+GN=JEAN,title=Médecin,C=FR
// The CN is the national identifier: a type digit then the number. Reads
// only: whether the certificate is trustworthy is CertificateVerifier's
// verdict, which the caller must have seen Valid first. No OpenSSL type in
// this header.
#include <string>
#include <string_view>

#include "common/result.h"

namespace portier::card {

struct CardHolder {
  enum class Kind {
    Rpps,    // "8" + RPPS (11 digits, the last a Luhn check digit): practitioners
    Adeli,   // "0" + ADELI (9 digits): older cards of professions not yet in RPPS
    Finess,  // "3" + FINESS (9 digits) + "/" + the staff member's number: establishment staff
    Other,   // another type digit (SIREN, SIRET…): read, never mapped by default
  };
  Kind kind = Kind::Other;
  std::string national_id;  // the whole CN identifier, e.g. 810002813839 or 3750300005/0001234
  std::string number;       // RPPS 11 digits / ADELI 9 / FINESS 9 / what follows the type digit
  std::string surname, given_name, title;  // UTF-8, as written (SN, GN, title); may be empty
};

// The holder of the card whose certificate is `leaf_der` (DER). InvalidInput
// when it is not a certificate, has no single CN, or the CN is not a national
// identifier of a known shape (wrong length, non-digits, an RPPS whose check
// digit is wrong).
Result<CardHolder> card_holder(std::string_view leaf_der);

// Parses a national identifier alone (the CN's value), as card_holder() does.
Result<CardHolder> parse_national_id(std::string_view national_id);

// Luhn check over all digits (the RPPS's last digit is its check digit).
bool luhn_valid(std::string_view digits);

const char* to_string(CardHolder::Kind kind);  // "rpps", "adeli", "finess", "other"

}  // namespace portier::card
