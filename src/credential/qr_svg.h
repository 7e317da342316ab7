#pragma once
// Draws a QR code (libqrencode) as SVG markup that a page can include as is:
// one path of black modules on a white square, sized by its viewBox, with
// role="img" and a title in the page's language. Presentation attributes
// only, never a style attribute (the Content-Security-Policy refuses them).
#include <string>
#include <string_view>

#include "common/result.h"

namespace portier {

// `text` is encoded in byte mode with error correction M; `label` names the
// image for screen readers (it is escaped). InvalidInput when `text` is too
// long for a QR code.
Result<std::string> qr_svg(std::string_view text, std::string_view label);

}  // namespace portier
