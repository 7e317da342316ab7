#pragma once
// Where a code went, shown without giving the address or number away to
// whoever looks at the screen: "c•••••@example.org", "•• •• •• •• 78".
#include <string>
#include <string_view>

namespace portier {

std::string mask_email(std::string_view email);
std::string mask_phone(std::string_view e164);

}  // namespace portier
