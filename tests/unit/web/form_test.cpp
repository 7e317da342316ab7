#include "web/form.h"

#include <gtest/gtest.h>

namespace portier::web {
namespace {

TEST(FormTest, DecodesPercentAndPlus) {
  auto f = Form::parse("identifier=jean.dupont&password=une+phrase+%C3%A9t%C3%A9%26co");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->get("identifier"), "jean.dupont");
  EXPECT_EQ(f->get("password"), "une phrase été&co");
}

TEST(FormTest, FirstValueWinsAndMissingIsEmpty) {
  auto f = Form::parse("a=1&a=2&flag");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->get("a"), "1");
  EXPECT_TRUE(f->has("flag"));
  EXPECT_EQ(f->get("flag"), "");
  EXPECT_EQ(f->get("absent"), "");
  EXPECT_FALSE(f->has("absent"));
}

TEST(FormTest, ReadsNothingPastTheEndOfItsInput) {
  // Found by tests/fuzz/form_fuzz: Boost.URL 1.81 read up to the next NUL byte.
  std::string buffer = "a=1&b=2";
  auto f = Form::parse(std::string_view(buffer).substr(0, 3));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->get("a"), "1");
  EXPECT_FALSE(f->has("b"));
  EXPECT_EQ(f->fields().size(), 1u);
}

TEST(FormTest, EmptyBodyIsAnEmptyForm) {
  auto f = Form::parse("");
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->has("csrf"));
}

TEST(FormTest, RejectsMalformedPercentEncoding) {
  EXPECT_FALSE(Form::parse("a=%zz"));
  EXPECT_FALSE(Form::parse("a=%4"));
  EXPECT_FALSE(Form::parse("a=100%"));
}

TEST(FormTest, RejectsInvalidUtf8) {
  EXPECT_FALSE(Form::parse("a=%ff"));
  EXPECT_FALSE(Form::parse("a=%C3"));         // truncated sequence
  EXPECT_FALSE(Form::parse("a=%C0%AF"));      // overlong '/'
  EXPECT_FALSE(Form::parse("a=%ED%A0%80"));   // UTF-16 surrogate
  EXPECT_FALSE(Form::parse("%ff=1"));         // in the key too
}

TEST(FormTest, RejectsNulBytes) { EXPECT_FALSE(Form::parse("a=x%00y")); }

TEST(FormTest, RejectsTooManyFields) {
  std::string body;
  for (std::size_t i = 0; i <= Form::kMaxFields; ++i) body += "f" + std::to_string(i) + "=1&";
  body.pop_back();
  EXPECT_FALSE(Form::parse(body));
}

TEST(FormTest, KeepsLongValuesIntact) {
  std::string value(10000, 'x');
  auto f = Form::parse("v=" + value);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->get("v").size(), 10000u);
}

}  // namespace
}  // namespace portier::web
