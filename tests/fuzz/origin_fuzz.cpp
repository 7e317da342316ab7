// web/origin_check.h: the Origin and Sec-Fetch-Site headers of every POST.
// Invariants: origin_of gives "" or a lower-case http(s) origin without
// path, user or default port, and is idempotent; a POST whose Origin is
// not the portal's own (or "null") is refused; the portal's own origin with
// Sec-Fetch-Site same-origin always passes.
#include "common/encoding.h"
#include "fuzz_check.h"
#include "web/origin_check.h"

using namespace portier;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  auto input = fuzz::as_text(data, size);
  auto origin = web::origin_of(input);
  if (!origin.empty()) {
    FUZZ_CHECK(origin.rfind("http://", 0) == 0 || origin.rfind("https://", 0) == 0);
    auto rest = std::string_view(origin).substr(origin.find("://") + 3);
    FUZZ_CHECK(!rest.empty() && rest.find_first_of("/?#@") == std::string_view::npos);
    for (char c : origin) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
    FUZZ_CHECK(!origin.ends_with(":80") || origin.rfind("https://", 0) == 0);
    FUZZ_CHECK(!origin.ends_with(":443") || origin.rfind("http://", 0) == 0);
    FUZZ_CHECK(web::origin_of(origin) == origin);
  }
  const std::string own = "https://portail.example.org";
  auto t = trim(input);
  auto verdict = web::foreign_post(input, "", own);
  bool passes = t.empty() || t == "null" || web::origin_of(t) == own;
  FUZZ_CHECK(verdict.has_value() != passes);
  if (verdict) FUZZ_CHECK(*verdict == web::ForeignPost::Origin);
  // The input as Sec-Fetch-Site: only same-origin and none (any case) pass.
  auto site = ascii_lower(t);
  bool site_passes = input.empty() || site == "same-origin" || site == "none";
  auto fetch = web::foreign_post("", input, own);
  FUZZ_CHECK(fetch.has_value() != site_passes);
  if (fetch) FUZZ_CHECK(*fetch == web::ForeignPost::FetchSite);
  return 0;
}
