#include "credential/qr_svg.h"

#include <gtest/gtest.h>

namespace portier {
namespace {

TEST(QrSvg, IsAnAccessibleImageWithoutStyleAttributes) {
  auto svg = qr_svg("otpauth://totp/portier:marie?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "Code <QR>");
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->rfind("<svg ", 0), 0u);
  EXPECT_NE(svg->find("viewBox=\"0 0 "), std::string::npos);
  EXPECT_NE(svg->find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg->find("aria-label=\"Code &lt;QR&gt;\""), std::string::npos);
  EXPECT_NE(svg->find("<title>Code &lt;QR&gt;</title>"), std::string::npos);
  EXPECT_NE(svg->find("<path fill=\"#000\" d=\"M"), std::string::npos);
  EXPECT_EQ(svg->find("style"), std::string::npos);
}

}  // namespace
}  // namespace portier
