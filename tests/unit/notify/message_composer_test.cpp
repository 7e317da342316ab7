#include "notify/message_composer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace portier {
namespace {

namespace fs = std::filesystem;

const std::string kTemplates = std::string(PORTIER_SOURCE_DIR) + "/templates/mail";

MessageComposer composer() { return MessageComposer(kTemplates, "Réseau <Santé> & Co", "https://portail.example.org"); }

TEST(MessageComposer, TestMessageExistsInBothLanguages) {
  auto c = composer();
  auto fr = c.compose("mail.test", "fr", {});
  auto en = c.compose("mail.test", "en", {});
  EXPECT_NE(fr.subject.find("message de test"), std::string::npos) << fr.subject;
  EXPECT_NE(en.subject.find("test message"), std::string::npos) << en.subject;
  EXPECT_NE(fr.text.find("Bonjour"), std::string::npos);
  EXPECT_NE(en.text.find("Hello"), std::string::npos);
  EXPECT_NE(fr.html.find("<html lang=\"fr\">"), std::string::npos) << "wrapped in the shared layout";
  EXPECT_NE(en.html.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_EQ(fr.subject.find('\n'), std::string::npos) << "a subject is one line";
}

TEST(MessageComposer, UnknownLanguageFallsBackToFrench) {
  EXPECT_EQ(composer().compose("mail.test", "de", {}).text, composer().compose("mail.test", "fr", {}).text);
}

TEST(MessageComposer, TextIsNotHtmlEscapedButHtmlIs) {
  auto m = composer().compose("mail.test", "en", {{"note", "Tom & Jerry <3 \"quotes\""}});
  EXPECT_NE(m.subject.find("Réseau <Santé> & Co"), std::string::npos) << m.subject;
  EXPECT_NE(m.text.find("Réseau <Santé> & Co"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("Note: Tom & Jerry <3 \"quotes\""), std::string::npos) << m.text;
  EXPECT_EQ(m.html.find("Tom & Jerry"), std::string::npos) << "raw & must not reach the HTML";
  EXPECT_EQ(m.html.find("<Santé>"), std::string::npos);
  EXPECT_NE(m.html.find("Tom &amp; Jerry &lt;3 &quot;quotes&quot;"), std::string::npos) << m.html;
  EXPECT_NE(m.html.find("Réseau &lt;Santé&gt; &amp; Co"), std::string::npos) << m.html;
}

TEST(MessageComposer, NoRemoteImagesOrScripts) {
  for (auto& entry : fs::recursive_directory_iterator(kTemplates)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text.find("<img"), std::string::npos) << entry.path();
    EXPECT_EQ(text.find("<script"), std::string::npos) << entry.path();
  }
}

TEST(MessageComposer, UnknownKindThrows) {
  EXPECT_THROW(composer().compose("no.such.kind", "fr", {}), std::runtime_error);
}

TEST(MessageComposer, KindInOneLanguageOnlyIsRefusedAtStart) {
  auto dir = fs::temp_directory_path() / ("portier-mail-" + std::to_string(::getpid()));
  fs::create_directories(dir / "half");
  std::ofstream(dir / "half" / "body.txt.fr.mustache") << "Bonjour";
  EXPECT_THROW(MessageComposer(dir.string(), "p", "https://p"), std::runtime_error);
  std::ofstream(dir / "half" / "body.txt.en.mustache") << "Hello {{name}}";
  MessageComposer ok(dir.string(), "p", "https://p");
  EXPECT_EQ(ok.compose("half", "en", {{"name", "A&B"}}).text, "Hello A&B");
  EXPECT_EQ(ok.compose("half", "en", {}).html, "") << "no HTML template: text-only message";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace portier
