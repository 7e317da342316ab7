// Form::parse (web/form.h): every POST body and query string.
// Invariants: no sanitizer finding; a parsed form has at most kMaxFields
// fields, all valid UTF-8 without NUL; get/has/get_all agree with the fields;
// re-encoding the fields and parsing again gives the same form.
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "common/encoding.h"
#include "fuzz_check.h"
#include "web/form.h"

using namespace portier;

namespace {
std::string encode(const std::string& s) { return boost::urls::encode(s, boost::urls::unreserved_chars); }
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  auto input = fuzz::as_text(data, size);
  auto form = web::Form::parse(input);
  if (!form) return 0;
  const auto& fields = form->fields();
  FUZZ_CHECK(fields.size() <= web::Form::kMaxFields);
  std::string again;
  for (const auto& [key, value] : fields) {
    FUZZ_CHECK(is_valid_utf8(key) && is_valid_utf8(value));
    FUZZ_CHECK(key.find('\0') == std::string::npos && value.find('\0') == std::string::npos);
    FUZZ_CHECK(form->has(key));
    auto all = form->get_all(key);
    FUZZ_CHECK(!all.empty() && form->get(key) == all.front());
    if (!again.empty()) again += '&';
    again += encode(key) + "=" + encode(value);
  }
  auto reparsed = web::Form::parse(again);
  FUZZ_CHECK(reparsed);
  // A field without '=' comes back as "key=": the same empty value.
  FUZZ_CHECK(reparsed->fields() == fields);
  return 0;
}
