#pragma once
// Phone numbers as people read them aloud: a stored E.164 number shown in
// groups. French numbers in their national form ("06 12 34 56 78"), others
// with their country code ("+32 470 12 34 56"). Pure functions, no I/O; the
// stored form stays E.164 (account/identifiers.h normalises input).
#include <string>
#include <string_view>

namespace portier {

// "+33612345678" -> "06 12 34 56 78"; "+32470123456" -> "+32 470 12 34 56";
// "+12125551234" -> "+1 212 555 1234". Anything that is not "+" and digits
// comes back unchanged (never hides what is stored).
std::string format_phone(std::string_view e164);

// The target of a tap-to-call link: "tel:+33612345678" (RFC 3966 global
// number); empty when `e164` is not "+" and 8 to 15 digits.
std::string phone_href(std::string_view e164);

}  // namespace portier
