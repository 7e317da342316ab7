#include "admin/csv_text.h"

#include <cstdlib>
#include <memory>

#include <unicase.h>
#include <uniconv.h>
#include <uninorm.h>

#include "common/encoding.h"

namespace portier {

namespace {

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

}  // namespace

std::optional<CsvText> decode_csv_bytes(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (is_valid_utf8(bytes)) return CsvText{std::string(bytes), "utf-8"};
  std::size_t length = 0;
  std::unique_ptr<uint8_t, FreeDeleter> out(u8_conv_from_encoding("CP1252", iconveh_error, bytes.data(), bytes.size(),
                                                                   nullptr, nullptr, &length));
  if (!out) return std::nullopt;
  return CsvText{std::string(reinterpret_cast<const char*>(out.get()), length), "windows-1252"};
}

char detect_separator(std::string_view text) {
  int semicolons = 0, commas = 0, tabs = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c == '\n') break;
    else if (c == ';') ++semicolons;
    else if (c == ',') ++commas;
    else if (c == '\t') ++tabs;
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

std::string fold_header(std::string_view utf8) {
  if (!is_valid_utf8(utf8)) return {};
  // Lower case, then NFD so that "é" is "e" and a combining accent, dropped below.
  std::size_t length = 0;
  std::unique_ptr<uint8_t, FreeDeleter> lowered(
      u8_tolower(reinterpret_cast<const uint8_t*>(utf8.data()), utf8.size(), nullptr, UNINORM_NFD, nullptr, &length));
  if (!lowered) return {};
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < length; ++i) {
    unsigned char c = lowered.get()[i];
    bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (word) {
      if (space && !out.empty()) out += ' ';
      out += static_cast<char>(c);
      space = false;
    } else if (c < 0x80) {
      space = true;
    } else {
      // Non-ASCII: combining marks (U+0300..U+036F, "\xCC\x80".."\xCD\xAF")
      // vanish; any other letter ("ß", "ø") is kept as is.
      std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      bool combining = n == 2 && (c == 0xCC || (c == 0xCD && static_cast<unsigned char>(lowered.get()[i + 1]) <= 0xAF));
      if (!combining) {
        if (space && !out.empty()) out += ' ';
        out.append(reinterpret_cast<const char*>(lowered.get() + i), n);
        space = false;
      }
      i += n - 1;
    }
  }
  return out;
}

}  // namespace portier
