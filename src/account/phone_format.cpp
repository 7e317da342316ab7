#include "account/phone_format.h"

#include <algorithm>
#include <array>

namespace portier {

namespace {

bool is_e164(std::string_view s) {
  if (s.size() < 9 || s.size() > 16 || s[0] != '+') return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Calling codes of one or two digits (ITU-T E.164 assignments); every other
// code has three. Enough to cut the country code off for display.
std::size_t country_code_length(std::string_view digits) {
  if (digits[0] == '1' || digits[0] == '7') return 1;
  static constexpr std::array<std::string_view, 44> kTwo = {
      "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
      "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
      "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98"};
  auto two = digits.substr(0, 2);
  return std::find(kTwo.begin(), kTwo.end(), two) != kTwo.end() ? 2 : 3;
}

// Pairs from the end, a leading group of three when the count is odd:
// "470123456" -> "470 12 34 56", "12345678" -> "12 34 56 78".
std::string in_pairs(std::string_view digits) {
  std::string out;
  std::size_t first = digits.size() % 2 == 1 && digits.size() > 1 ? 3 : 2;
  if (digits.size() <= 3) return std::string(digits);
  out.append(digits.substr(0, first));
  for (std::size_t i = first; i < digits.size(); i += 2) {
    out += ' ';
    out.append(digits.substr(i, 2));
  }
  return out;
}

}  // namespace

std::string format_phone(std::string_view e164) {
  if (!is_e164(e164)) return std::string(e164);
  auto digits = e164.substr(1);
  auto cc = country_code_length(digits);
  auto national = digits.substr(cc);
  // France: the national form every French speaker reads, "0" then pairs.
  if (digits.substr(0, cc) == "33" && national.size() == 9) return in_pairs("0" + std::string(national));
  // North America: 3-3-4, as written there.
  if (cc == 1 && digits[0] == '1' && national.size() == 10)
    return "+1 " + std::string(national.substr(0, 3)) + " " + std::string(national.substr(3, 3)) + " " +
           std::string(national.substr(6));
  return "+" + std::string(digits.substr(0, cc)) + " " + in_pairs(national);
}

std::string phone_href(std::string_view e164) {
  if (!is_e164(e164)) return {};
  return "tel:" + std::string(e164);
}

}  // namespace portier
