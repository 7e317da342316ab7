// What members read in mail: plural forms, subjects that say what happened
// (and never hold a code), the main action as a button whose link is the
// text part's.
#include <gtest/gtest.h>

#include <regex>

#include "notify/message_composer.h"

namespace portier {
namespace {

const std::string kTemplates = std::string(PORTIER_SOURCE_DIR) + "/templates/mail";

MessageComposer composer() { return MessageComposer(kTemplates, "Réseau Santé Val-de-Loire", "https://portail.example.org"); }

boost::json::object code_params(long long minutes) {
  return {{"display_name", "Claire"}, {"identifier", "claire.martin"}, {"code", "12345678"},
          {"expires", "jeudi 3 décembre à 13 h 30"}, {"minutes", minutes}};
}

TEST(MessageWords, PluralFormsFollowTheCount) {
  auto c = composer();
  EXPECT_NE(c.compose("second_step.code", "fr", code_params(10)).text.find("valable 10 minutes, jusqu’au jeudi"), std::string::npos);
  EXPECT_NE(c.compose("second_step.code", "fr", code_params(1)).text.find("valable 1 minute, jusqu’au"), std::string::npos);
  EXPECT_NE(c.compose("second_step.code", "en", code_params(1)).text.find("valid for 1 minute, until"), std::string::npos);
  EXPECT_NE(c.compose("second_step.code", "en", code_params(5)).text.find("valid for 5 minutes, until"), std::string::npos);
}

TEST(MessageWords, NoCountOfZeroDays) {
  auto c = composer();
  boost::json::object p{{"expires", "jeudi 10 décembre à 9 h"}, {"days", 7}};
  EXPECT_NE(c.compose("account.invitation", "fr", p).text.find("valables 7 jours, jusqu’au jeudi"), std::string::npos);
  p["days"] = 1;
  EXPECT_NE(c.compose("account.invitation", "en", p).text.find("valid for 1 day, until jeudi"), std::string::npos);
  p["days"] = 0;  // an invitation of a few hours
  EXPECT_NE(c.compose("account.invitation", "fr", p).text.find("valables jusqu’au jeudi"), std::string::npos);
}

TEST(MessageWords, NoCodeInASubject) {
  auto c = composer();
  for (const char* lang : {"fr", "en"}) {
    auto m = c.compose("second_step.code", lang, code_params(10));
    EXPECT_EQ(m.subject.find("12345678"), std::string::npos) << m.subject;
    EXPECT_NE(m.text.find("12345678"), std::string::npos);
  }
}

TEST(MessageWords, SubjectsSayWhatHappenedAndNameTheNetwork) {
  auto c = composer();
  auto added = c.compose("codes.changed", "fr", {{"what_phone_added", true}, {"when", "x"}});
  EXPECT_EQ(added.subject, "Un numéro de portable a été ajouté à votre compte – Réseau Santé Val-de-Loire");
  auto sms = c.compose("codes.changed", "en", {{"what_channel_sms", true}, {"when", "x"}});
  EXPECT_EQ(sms.subject, "Your sign-in codes will now come by text message – Réseau Santé Val-de-Loire");
  EXPECT_EQ(c.compose("password.changed", "fr", {}).subject, "Votre mot de passe a été changé – Réseau Santé Val-de-Loire");
  EXPECT_EQ(c.compose("factors.app_changed", "fr", {{"enrolled", true}}).subject,
            "Une application d’authentification a été activée sur votre compte – Réseau Santé Val-de-Loire");
}

// Every message whose HTML part has a button: the button's link is in the text part too.
TEST(MessageWords, TheButtonLeadsWhereTheTextPartLeads) {
  auto c = composer();
  boost::json::object params{{"link", "https://portail.example.org/x?jeton=abc"},
                             {"sign_in", "https://portail.example.org/connexion"},
                             {"code_page", "https://portail.example.org/premiere-connexion/code"},
                             {"first_connection", "https://portail.example.org/premiere-connexion"},
                             {"recovery", "https://portail.example.org/mot-de-passe-oublie"},
                             {"assistance", "https://portail.example.org/assistance"},
                             {"identifiers", boost::json::array{boost::json::object{{"identifier", "claire.martin"}}}},
                             {"code", "ABCD"}, {"password", "secret"}, {"minutes", 60}, {"expires", "x"}};
  std::regex button(R"re(<a class="button" href="([^"]+)")re");
  for (const char* kind : {"account.invitation", "recovery.password", "email_change.confirm", "account.temporary_password",
                           "recovery.identifier"}) {
    for (const char* lang : {"fr", "en"}) {
      auto m = c.compose(kind, lang, params);
      std::smatch found;
      ASSERT_TRUE(std::regex_search(m.html, found, button)) << kind << " " << lang;
      auto href = found[1].str();
      EXPECT_NE(m.text.find(href), std::string::npos) << kind << " " << lang << ": " << href;
      EXPECT_NE(m.html.find(">" + href + "</a>"), std::string::npos) << kind << ": the address is written out too";
    }
  }
}

}  // namespace
}  // namespace portier
