#pragma once
// The reference of an assistance request, "A-7K3Q": short enough to read out
// on the phone, from characters that are not mistaken for one another (no
// 0/O, 1/I/L, and no U next to V). Not a secret: it names a request for the
// member and staff, and opens nothing. Unique in the store (a collision draws
// another one).
#include <string>
#include <string_view>

#include "common/random.h"

namespace portier {

// 8 digits and 22 letters: 30^4 = 810,000 references of four characters.
inline constexpr std::string_view kReferenceAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

// "A-" and four characters of kReferenceAlphabet, uniformly drawn.
std::string new_request_reference(Random& random);

}  // namespace portier
