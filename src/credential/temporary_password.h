#pragma once
// Temporary passwords as support reads them out over the phone: 16
// characters from an alphabet without look-alikes (no 0/O, 1/l/I), shown in
// four groups of four (about 79 bits). Whatever case and spacing the member
// types them in, they are compared in one canonical form: lower case, groups
// joined by "-" ("k7m2-pq9x-..."). That is also the form issued before this
// rule existed, so the hashes of temporary passwords already given out still
// match. Pure functions, no I/O.
#include <string>
#include <string_view>

#include "common/random.h"

namespace portier {

inline constexpr std::string_view kTemporaryPasswordAlphabet = "23456789abcdefghjkmnpqrstuvwxyz";

// A new one, in canonical form: what is hashed and stored.
std::string make_temporary_password(Random& random);

// What the member typed ("K7M2 PQ9X ...", "k7m2pq9x...", "K7M2-PQ9X-...")
// in canonical form when it has the shape of a temporary password (16
// characters of the alphabet once spaces, dashes and dots are removed and
// letters lowered); otherwise `typed` unchanged (a typo is then simply wrong).
std::string canonical_temporary_password(std::string_view typed);

}  // namespace portier
