#include "credential/qr_svg.h"

#include <qrencode.h>

#include <memory>

#include "common/encoding.h"

namespace portier {

namespace {

struct QrDeleter {
  void operator()(QRcode* q) const { QRcode_free(q); }
};

// Four modules of white around the code: the quiet zone the QR standard asks
// for, without which some phone cameras do not find the code on a dark page.
constexpr int kQuietZone = 4;

}  // namespace

Result<std::string> qr_svg(std::string_view text, std::string_view label) {
  std::string input(text);  // libqrencode wants a NUL-terminated string
  std::unique_ptr<QRcode, QrDeleter> code(QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M));
  if (!code) return fail(ErrorCode::InvalidInput, "text too long for a QR code");
  const int width = code->width;
  const int size = width + 2 * kQuietZone;

  // One path, one "M x y h1 v1 h-1 z" square per dark module; runs of dark
  // modules on a row are merged into one rectangle to keep the markup small.
  std::string d;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width;) {
      if (!(code->data[y * width + x] & 1)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && (code->data[y * width + x + run] & 1)) ++run;
      d += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h" + std::to_string(run) +
           "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  auto n = std::to_string(size);
  auto title = html_escape(label);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr-code\" viewBox=\"0 0 " + n + " " + n +
         "\" width=\"" + std::to_string(size * 5) + "\" height=\"" + std::to_string(size * 5) +
         "\" role=\"img\" aria-label=\"" + title + "\" shape-rendering=\"crispEdges\" data-testid=\"totp-qr\">" +
         "<title>" + title + "</title><rect width=\"" + n + "\" height=\"" + n + "\" fill=\"#fff\"/>" +
         "<path fill=\"#000\" d=\"" + d + "\"/></svg>";
}

}  // namespace portier
