#include "web/multipart.h"

#include <gtest/gtest.h>

namespace portier::web {
namespace {

const std::string kBoundary = "----WebKitFormBoundaryAbC123";

std::string part(const std::string& name, const std::string& value, const std::string& filename = "") {
  std::string disposition = "Content-Disposition: form-data; name=\"" + name + "\"";
  if (!filename.empty()) disposition += "; filename=\"" + filename + "\"\r\nContent-Type: text/csv";
  return "--" + kBoundary + "\r\n" + disposition + "\r\n\r\n" + value + "\r\n";
}

TEST(MultipartBoundary, FromTheContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + kBoundary), kBoundary);
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; boundary=\"a b\""), "a b");
  EXPECT_FALSE(multipart_boundary("application/x-www-form-urlencoded"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary="));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')));
}

TEST(ParseMultipart, FieldsAndAFileKeptAsBytes) {
  auto body = part("csrf", "jeton") + part("file", "Nom;Pr\xE9nom\r\nMartin;Claire\r\n", "liste.csv") +
              part("csv", "") + part("step", "check") + "--" + kBoundary + "--\r\n";
  auto form = parse_multipart(body, kBoundary);
  ASSERT_TRUE(form);
  EXPECT_EQ(form->get("csrf"), "jeton");
  EXPECT_EQ(form->get("file"), "Nom;Pr\xE9nom\r\nMartin;Claire\r\n");  // Windows-1252 kept as sent
  EXPECT_EQ(form->get("csv"), "");
  EXPECT_EQ(form->get("step"), "check");
}

TEST(ParseMultipart, MalformedBodiesAreRefusedWhole) {
  auto closing = "--" + kBoundary + "--\r\n";
  EXPECT_FALSE(parse_multipart("", kBoundary));
  EXPECT_FALSE(parse_multipart(part("a", "1"), kBoundary)) << "no closing delimiter";
  EXPECT_FALSE(parse_multipart("--" + kBoundary + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n" + closing, kBoundary))
      << "a part without a name";
  EXPECT_FALSE(parse_multipart(part("a", "caf\xE9") + closing, kBoundary)) << "a text field that is not UTF-8";
  EXPECT_FALSE(parse_multipart(part("a", std::string("x\0y", 3)) + closing, kBoundary)) << "a NUL in a text field";
  EXPECT_FALSE(parse_multipart("--" + kBoundary + "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n" + closing,
                               kBoundary));
  std::string many;
  for (std::size_t i = 0; i <= Form::kMaxFields; ++i) many += part("f" + std::to_string(i), "v");
  EXPECT_FALSE(parse_multipart(many + closing, kBoundary));
}

}  // namespace
}  // namespace portier::web
