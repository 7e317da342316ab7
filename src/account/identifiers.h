#pragma once
// Validation and normalisation of what members type: identifiers, email
// addresses, mobile numbers. Pure functions, no I/O.
#include <optional>
#include <string>
#include <string_view>

namespace portier {

// Identifiers are 3-64 characters of [a-z0-9._@-], compared case-insensitively;
// returns the lower-cased form, or nullopt when invalid.
std::optional<std::string> normalize_identifier(std::string_view raw);

// A pragmatic address check (one @, a dot in the domain, no spaces, <= 254
// bytes); returns the trimmed address with a lower-cased domain.
std::optional<std::string> normalize_email(std::string_view raw);

// Accepts E.164 (+33612345678) or a national number (06 12 34 56 78) that the
// default country code turns into E.164. Spaces, dots and dashes are ignored.
std::optional<std::string> normalize_phone(std::string_view raw, std::string_view default_country_code);

// RPPS numbers are 11 digits.
std::optional<std::string> normalize_rpps(std::string_view raw);

}  // namespace portier
