// The CPS identity (card/cps_identity.h): the national identifier from a
// certificate's CN, and card_holder() on arbitrary DER. Invariants: no crash;
// an accepted identifier keeps the bytes it was given, its number is what
// follows the type digit (up to the FINESS's "/"), an RPPS is 11 digits whose
// check digit holds, ADELI and FINESS numbers are 9 digits.
#include "card/cps_identity.h"
#include "fuzz_check.h"

using namespace portier;
using card::CardHolder;

namespace {
bool digits(const std::string& s, std::size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  auto text = fuzz::as_text(data, size);
  if (auto holder = card::parse_national_id(text)) {
    FUZZ_CHECK(holder->national_id == text);
    FUZZ_CHECK(text.substr(1).substr(0, holder->number.size()) == holder->number);
    switch (holder->kind) {
      case CardHolder::Kind::Rpps:
        FUZZ_CHECK(text[0] == '8' && digits(holder->number, 11) && card::luhn_valid(holder->number));
        break;
      case CardHolder::Kind::Adeli:
        FUZZ_CHECK(text[0] == '0' && digits(holder->number, 9) && text.size() == 10);
        break;
      case CardHolder::Kind::Finess:
        FUZZ_CHECK(text[0] == '3' && digits(holder->number, 9));
        break;
      case CardHolder::Kind::Other:
        FUZZ_CHECK(text[0] >= '1' && text[0] <= '9' && text[0] != '3' && text[0] != '8');
        break;
    }
  }
  // Mostly refused by d2i_X509; seeds with real certificates reach the subject.
  if (auto holder = card::card_holder(text)) FUZZ_CHECK(!holder->national_id.empty());
  return 0;
}
