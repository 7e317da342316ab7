#include "flow/recovery/link_and_code.h"

#include "flow/recovery/recovery_service.h"

namespace portier {

LinkAndCode draw_link_and_code(Random& random, const SecretHasher& secrets, std::string_view link_purpose,
                               std::string_view code_purpose, AccountId account, TimePoint now, TimePoint expires,
                               std::size_t code_length) {
  LinkAndCode out;
  out.link = random.token(32);
  out.code = random.from_alphabet(kRecoveryCodeAlphabet, code_length);
  out.tokens = {
      OneTimeToken{secrets.digest(link_purpose, out.link), std::string(link_purpose), account, now, expires, std::nullopt},
      OneTimeToken{secrets.digest(code_purpose, out.code), std::string(code_purpose), account, now, expires, std::nullopt},
  };
  return out;
}

}  // namespace portier
