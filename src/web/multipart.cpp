#include "web/multipart.h"

#include "common/encoding.h"

namespace portier::web {

namespace {

// The value of `param` (name="x", filename="y") in a Content-Disposition
// line; browsers quote it and escape a quote as %22, so no backslashes here.
std::optional<std::string> disposition_param(std::string_view line, std::string_view param) {
  auto key = std::string("; ") + std::string(param) + "=\"";
  auto at = line.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  auto from = at + key.size();
  auto end = line.find('"', from);
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(line.substr(from, end - from));
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto type = ascii_lower(content_type);
  if (type.rfind("multipart/form-data", 0) != 0) return std::nullopt;
  auto at = type.find("boundary=");
  if (at == std::string::npos) return std::nullopt;
  // The boundary's own case matters: read it from the original text.
  auto value = content_type.substr(at + 9);
  value = value.substr(0, value.find(';'));
  value = trim(value);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  if (value.empty() || value.size() > 70) return std::nullopt;
  for (char c : value)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e || c == '"') return std::nullopt;
  return std::string(value);
}

std::optional<Form> parse_multipart(std::string_view body, std::string_view boundary) {
  const std::string delimiter = "--" + std::string(boundary);
  const std::string next = "\r\n" + delimiter;
  std::vector<std::pair<std::string, std::string>> fields;
  // The first delimiter opens the body (a preamble before it is ignored).
  auto at = body.find(delimiter);
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t pos = at + delimiter.size();
  while (true) {
    if (body.substr(pos, 2) == "--") break;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return std::nullopt;
    pos += 2;
    auto headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return std::nullopt;
    auto headers = body.substr(pos, headers_end - pos);
    std::optional<std::string> name;
    bool is_file = false;
    for (std::size_t h = 0; h <= headers.size();) {
      auto end = headers.find("\r\n", h);
      if (end == std::string_view::npos) end = headers.size();
      auto line = headers.substr(h, end - h);
      if (ascii_lower(line.substr(0, 20)) == "content-disposition:") {
        if (ascii_lower(trim(line.substr(20)).substr(0, 9)) != "form-data") return std::nullopt;
        name = disposition_param(line, "name");
        is_file = disposition_param(line, "filename").has_value();
      }
      h = end + 2;
    }
    if (!name || name->empty() || !is_valid_utf8(*name)) return std::nullopt;
    auto content_start = headers_end + 4;
    auto content_end = body.find(next, content_start);
    if (content_end == std::string_view::npos) return std::nullopt;
    auto value = body.substr(content_start, content_end - content_start);
    if (!is_file && (!is_valid_utf8(value) || value.find('\0') != std::string_view::npos)) return std::nullopt;
    if (fields.size() >= Form::kMaxFields) return std::nullopt;
    fields.emplace_back(std::move(*name), std::string(value));
    pos = content_end + next.size();
  }
  return Form::from_fields(std::move(fields));
}

}  // namespace portier::web
