#pragma once
// multipart/form-data bodies (RFC 7578), as a browser sends a form with a
// file: the console's CSV import. Parsed strictly and whole, like Form:
// a missing or malformed boundary, a part without a name, more than
// Form::kMaxFields parts, a text field that is not UTF-8 or holds a NUL make
// the whole body invalid. A file part's content is kept as raw bytes (a CSV
// in Windows-1252 is not UTF-8); its filename and type are not kept.
// The body is already bounded by server.max_body_bytes.
#include <optional>
#include <string_view>

#include "web/form.h"

namespace portier::web {

// The boundary parameter of a "multipart/form-data; boundary=..." type;
// nullopt when the type is another or the boundary is missing or invalid
// (1 to 70 characters, RFC 2046).
std::optional<std::string> multipart_boundary(std::string_view content_type);

std::optional<Form> parse_multipart(std::string_view body, std::string_view boundary);

}  // namespace portier::web
