// account/identifiers.h: what members type as identifier, address, mobile
// and RPPS number. Invariants: a normalised value is normalised again to
// itself (so a lookup by the stored form finds it), stays within its
// alphabet and length, and keeps valid UTF-8 valid.
#include <algorithm>

#include "account/identifiers.h"
#include "common/encoding.h"
#include "fuzz_check.h"

using namespace portier;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  auto input = fuzz::as_text(data, size);
  if (auto id = normalize_identifier(input)) {
    FUZZ_CHECK(id->size() >= 3 && id->size() <= 64);
    FUZZ_CHECK(id->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-@") == std::string::npos);
    FUZZ_CHECK(normalize_identifier(*id) == id);
  }
  if (auto email = normalize_email(input)) {
    FUZZ_CHECK(!email->empty() && email->size() <= 254);
    FUZZ_CHECK(email->find_first_of(" \t\r\n<>,;\"\\") == std::string::npos);
    FUZZ_CHECK(std::count(email->begin(), email->end(), '@') == 1);
    FUZZ_CHECK(normalize_email(*email) == email);
    if (is_valid_utf8(input)) FUZZ_CHECK(is_valid_utf8(*email));
  }
  for (std::string_view country : {"+33", "+262", ""}) {
    if (auto phone = normalize_phone(input, country)) {
      FUZZ_CHECK(phone->size() >= 9 && phone->size() <= 16 && (*phone)[0] == '+' && (*phone)[1] != '0');
      FUZZ_CHECK(phone->find_first_not_of("0123456789", 1) == std::string::npos);
      FUZZ_CHECK(normalize_phone(*phone, country) == phone);
    }
  }
  if (auto rpps = normalize_rpps(input)) {
    FUZZ_CHECK(rpps->size() == 11 && rpps->find_first_not_of("0123456789") == std::string::npos);
    FUZZ_CHECK(normalize_rpps(*rpps) == rpps);
  }
  return 0;
}
