// The configuration loader (config/config.h): portier.toml through toml++,
// then every section reader and validate(). load_config() takes a path, so the
// input is written to an in-memory file (memfd) that it opens by name.
// Invariants: no exception escapes (a bad file is a list of problems, never
// a crash at start-up); every problem is a non-empty line naming what is
// wrong; loading is deterministic; with no problem, validate() of the result
// agrees and the listen address splits.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>

#include "config/config.h"
#include "fuzz_check.h"

using namespace portier;

namespace {
int memfd = -1;
std::string path;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The environment overrides the file: clear it so that only the input counts.
  for (const char* name : {"PORTIER_LISTEN", "PORTIER_PUBLIC_URL", "PORTIER_DATA_DIR", "PORTIER_DATABASE",
                           "PORTIER_LOG_LEVEL", "PORTIER_ASSETS_DIR", "PORTIER_ROBOT_HMAC_KEY", "PORTIER_SMTP_URL",
                           "PORTIER_SMTP_USERNAME", "PORTIER_SMTP_PASSWORD", "PORTIER_MAIL_FROM",
                           "PORTIER_SMS_GATEWAY_URL", "PORTIER_SMS_SECRET", "PORTIER_ARGON2_MEMORY_KIB",
                           "PORTIER_ARGON2_ITERATIONS", "PORTIER_SECOND_STEP", "PORTIER_LOCKOUT_CLIENT_FREE_FAILURES"})
    unsetenv(name);
  memfd = memfd_create("portier.toml", 0);
  FUZZ_CHECK(memfd >= 0);
  path = "/proc/self/fd/" + std::to_string(memfd);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  FUZZ_CHECK(ftruncate(memfd, 0) == 0);
  FUZZ_CHECK(pwrite(memfd, data, size, 0) == static_cast<ssize_t>(size));
  auto loaded = load_config(path);
  for (const auto& problem : loaded.problems) {
    FUZZ_CHECK(!problem.empty());
    FUZZ_CHECK(problem.find(':') != std::string::npos);
  }
  auto again = load_config(path);
  FUZZ_CHECK(again.problems == loaded.problems);
  if (loaded.problems.empty()) {
    FUZZ_CHECK(validate(loaded.config).empty());
    std::string host;
    std::uint16_t port = 0;
    FUZZ_CHECK(split_listen(loaded.config.server.listen, host, port));
  }
  return 0;
}
