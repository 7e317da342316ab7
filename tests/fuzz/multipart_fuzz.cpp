// parse_multipart (web/multipart.h): the console's CSV upload. Invariants:
// no sanitizer finding; a parsed form has at most kMaxFields fields with
// non-empty UTF-8 names; re-encoding the fields with the same boundary and
// parsing again gives the same fields (file parts included, as bytes).
#include "common/encoding.h"
#include "fuzz_check.h"
#include "web/multipart.h"

using namespace portier;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  auto input = fuzz::as_text(data, size);
  const std::string boundary = "----portierFuzzBoundary";
  auto form = web::parse_multipart(input, boundary);
  FUZZ_CHECK(web::multipart_boundary("multipart/form-data; boundary=" + boundary) == boundary);
  if (!form) return 0;
  const auto& fields = form->fields();
  FUZZ_CHECK(fields.size() <= web::Form::kMaxFields);
  std::string again;
  bool representable = true;
  for (const auto& [name, value] : fields) {
    FUZZ_CHECK(!name.empty() && is_valid_utf8(name));
    // A value holding the delimiter cannot be written back as one part.
    representable = representable && value.find("\r\n--" + boundary) == std::string::npos &&
                    name.find('"') == std::string::npos && name.find('\r') == std::string::npos &&
                    name.find('\n') == std::string::npos;
    again += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"f\"\r\n\r\n" +
             value + "\r\n";
  }
  again += "--" + boundary + "--\r\n";
  if (!representable) return 0;
  auto reparsed = web::parse_multipart(again, boundary);
  FUZZ_CHECK(reparsed);
  FUZZ_CHECK(reparsed->fields() == fields);
  return 0;
}
