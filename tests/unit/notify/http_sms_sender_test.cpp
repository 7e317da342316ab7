#include "notify/http_sms_sender.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>
#include <map>

#include "config/sms_config.h"
#include "notify/channel_mailer.h"

namespace portier {
namespace {

// Everything a template engine or a careless concatenation gets wrong.
const std::string kHostile = "Code: 123456 \"quoted\" back\\slash\nnew line & a=b+c % é ✓ {{secret}} </x>";

OutboundMessage sms(std::string text = kHostile, std::string to = "+33612345678") {
  OutboundMessage m;
  m.channel = MessageChannel::Sms;
  m.recipient = std::move(to);
  m.kind = "sms.test";
  m.body_text = std::move(text);
  return m;
}

SmsGatewaySettings json_gateway() {
  SmsGatewaySettings s;
  s.url = "https://api.gateway.example/v1/sms";
  s.headers = {"Authorization: Bearer {{secret}}", "Accept: application/json"};
  s.secret = "s3cr\"et&=";
  s.sender = "Portail \"Santé\"";
  return s;
}

// Decodes an application/x-www-form-urlencoded body into name → value.
std::map<std::string, std::string> parse_form(const std::string& body) {
  std::map<std::string, std::string> out;
  auto url = boost::urls::parse_uri("https://x.example/?" + body);
  EXPECT_TRUE(url) << body;
  if (!url) return out;
  for (auto p : url->params()) out[p.key] = p.value;
  return out;
}

TEST(BuildSmsRequest, JsonBodyEscapesEveryValue) {
  auto r = build_sms_request(json_gateway(), sms());
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->url, "https://api.gateway.example/v1/sms");
  // The default template: the body parses as JSON and holds the exact text.
  auto body = boost::json::parse(r->body).as_object();
  EXPECT_EQ(body.at("to").as_string(), "+33612345678");
  EXPECT_EQ(body.at("text").as_string(), kHostile);
  EXPECT_EQ(body.at("sender").as_string(), "Portail \"Santé\"");
  EXPECT_EQ(body.size(), 3u);
  EXPECT_EQ(r->body.find('\n'), std::string::npos) << "a raw newline inside a JSON string is invalid";
  ASSERT_EQ(r->headers.size(), 3u);
  EXPECT_EQ(r->headers[0], "Authorization: Bearer s3cr\"et&=") << "headers take the secret verbatim";
  EXPECT_EQ(r->headers[1], "Accept: application/json");
  EXPECT_EQ(r->headers[2], "Content-Type: application/json");
}

TEST(BuildSmsRequest, TheTextCannotInjectTemplateTags) {
  // The text holds "{{secret}}": mustache renders values once, never re-reads them.
  auto r = build_sms_request(json_gateway(), sms());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.find("s3cr"), std::string::npos);
}

TEST(BuildSmsRequest, CustomJsonTemplateWithNestedValuesAndTheSecret) {
  auto s = json_gateway();
  s.body_template = R"({"messages":[{"destination":"{{to_digits}}","content":"{{text}}"}],"key":"{{secret}}","from":"{{sender}}"})";
  auto r = build_sms_request(s, sms());
  ASSERT_TRUE(r) << r.error().detail;
  auto body = boost::json::parse(r->body).as_object();
  auto first = body.at("messages").as_array().at(0).as_object();
  EXPECT_EQ(first.at("destination").as_string(), "33612345678");
  EXPECT_EQ(first.at("content").as_string(), kHostile);
  EXPECT_EQ(body.at("key").as_string(), "s3cr\"et&=");
}

TEST(BuildSmsRequest, FormBodyPercentEncodesEveryValue) {
  auto s = json_gateway();
  s.body_format = "form";
  s.headers = {};
  s.body_template = "api_key={{secret}}&to={{to}}&national={{to_national}}&message={{text}}&from={{sender}}";
  auto r = build_sms_request(s, sms());
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->headers, std::vector<std::string>{"Content-Type: application/x-www-form-urlencoded"});
  // Exactly five fields: no '&' or '=' of a value split one in two.
  auto form = parse_form(r->body);
  ASSERT_EQ(form.size(), 5u) << r->body;
  EXPECT_EQ(form["api_key"], "s3cr\"et&=");
  EXPECT_EQ(form["to"], "+33612345678");
  EXPECT_EQ(form["national"], "0612345678");
  EXPECT_EQ(form["message"], kHostile);
  EXPECT_EQ(form["from"], "Portail \"Santé\"");
  EXPECT_NE(r->body.find("to=%2B33612345678"), std::string::npos) << "'+' would decode as a space";
}

TEST(BuildSmsRequest, DefaultFormTemplate) {
  auto s = json_gateway();
  s.body_format = "form";
  auto r = build_sms_request(s, sms("hello world"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "to=%2B33612345678&text=hello%20world&sender=Portail%20%22Sant%C3%A9%22");
}

TEST(BuildSmsRequest, GetPutsPercentEncodedValuesInTheUrl) {
  SmsGatewaySettings s;
  s.method = "GET";
  s.url = "https://sms.example.fr/send?key={{secret}}&to={{to}}&msg={{text}}";
  s.secret = "k&y";
  auto r = build_sms_request(s, sms("a&b=c d"));
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->method, "GET");
  EXPECT_EQ(r->url, "https://sms.example.fr/send?key=k%26y&to=%2B33612345678&msg=a%26b%3Dc%20d");
  EXPECT_TRUE(r->body.empty());
  EXPECT_TRUE(r->headers.empty()) << "no Content-Type without a body";
}

TEST(BuildSmsRequest, ToNationalIsOnlyRewrittenForFrance) {
  SmsGatewaySettings s;
  s.url = "https://x.example/";
  s.body_template = R"({"n":"{{to_national}}"})";
  EXPECT_EQ(build_sms_request(s, sms("x", "+33612345678"))->body, R"({"n":"0612345678"})");
  EXPECT_EQ(build_sms_request(s, sms("x", "+447700900123"))->body, R"({"n":"+447700900123"})");
}

TEST(BuildSmsRequest, RefusesWhatCouldNotBeSentSafely) {
  auto s = json_gateway();
  EXPECT_EQ(build_sms_request(s, sms("x", "0612345678")).error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(build_sms_request(s, sms("x", "+33 6 12")).error().code, ErrorCode::InvalidInput);
  auto mail = sms();
  mail.channel = MessageChannel::Email;
  EXPECT_EQ(build_sms_request(s, mail).error().code, ErrorCode::InvalidInput);
  // Raw tags would insert a value unescaped.
  s.body_template = R"({"text":"{{{text}}}"})";
  EXPECT_EQ(build_sms_request(s, sms()).error().code, ErrorCode::InvalidInput);
  s.body_template = R"({"text":"{{&text}}"})";
  EXPECT_EQ(build_sms_request(s, sms()).error().code, ErrorCode::InvalidInput);
  s.body_template = R"({"text":"{{text"})";
  EXPECT_EQ(build_sms_request(s, sms()).error().code, ErrorCode::InvalidInput);
  // A header value is verbatim: a line break in it would add a header.
  s = json_gateway();
  s.headers = {"X-Sender: {{sender}}"};
  s.sender = "a\r\nX-Evil: 1";
  EXPECT_EQ(build_sms_request(s, sms()).error().code, ErrorCode::InvalidInput);
}

TEST(JudgeSmsAnswer, MapsStatusesToRetryOrGiveUp) {
  SmsGatewaySettings s;
  EXPECT_EQ(*judge_sms_answer(s, 200, R"({"id":"42"})"), R"(HTTP 200: {"id":"42"})");
  EXPECT_TRUE(judge_sms_answer(s, 202, ""));
  EXPECT_EQ(judge_sms_answer(s, 500, "down").error().code, ErrorCode::Unavailable);
  EXPECT_EQ(judge_sms_answer(s, 503, "").error().code, ErrorCode::Unavailable);
  EXPECT_EQ(judge_sms_answer(s, 429, "slow down").error().code, ErrorCode::Unavailable);
  EXPECT_EQ(judge_sms_answer(s, 400, "bad number").error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(judge_sms_answer(s, 401, "").error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(judge_sms_answer(s, 302, "").error().code, ErrorCode::InvalidInput) << "redirects are not followed";
  EXPECT_EQ(judge_sms_answer(s, 400, "bad number").error().detail, "sms gateway refused: HTTP 400: bad number");
}

TEST(JudgeSmsAnswer, ConfiguredStatusesAndBodyCondition) {
  SmsGatewaySettings s;
  s.success_status = {201};
  EXPECT_EQ(judge_sms_answer(s, 200, "").error().code, ErrorCode::InvalidInput);
  EXPECT_TRUE(judge_sms_answer(s, 201, ""));
  s.success_status = {};
  s.success_body_contains = "\"status\":\"OK\"";
  EXPECT_TRUE(judge_sms_answer(s, 200, R"({"status":"OK"})"));
  auto refused = judge_sms_answer(s, 200, R"({"status":"ERROR","reason":"no credit"})");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(refused.error().detail.find("no credit"), std::string::npos);
}

TEST(JudgeSmsAnswer, DetailIsShortOneLineAndNeverHoldsTheSecret) {
  SmsGatewaySettings s;
  s.secret = "tok-123";
  std::string echo = "invalid token tok-123\n" + std::string(1000, 'x');
  auto d = judge_sms_answer(s, 401, echo).error().detail;
  EXPECT_EQ(d.find("tok-123"), std::string::npos) << d;
  EXPECT_NE(d.find("[secret]"), std::string::npos);
  EXPECT_EQ(d.find('\n'), std::string::npos);
  EXPECT_LT(d.size(), 260u);
}

TEST(HttpSmsSender, DescribesTheHostOnly) {
  SmsGatewaySettings s;
  s.url = "https://user:pw@api.gateway.example/send?key={{secret}}";
  s.secret = "tok-123";
  HttpSmsSender sender(s);
  EXPECT_EQ(sender.describe(), "SMS gateway api.gateway.example:443 (POST, json)");
  EXPECT_EQ(sms_gateway_host("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
}

TEST(HttpSmsSender, RefusesMailWithoutTouchingTheNetwork) {
  HttpSmsSender sender(json_gateway());
  OutboundMessage mail;
  mail.recipient = "marie@example.org";
  EXPECT_EQ(sender.send(mail).error().code, ErrorCode::InvalidInput);
}

TEST(HttpSmsSender, AnUnreachableGatewayIsUnavailable) {
  // Port 1 on loopback: refused at once, no outside network needed.
  SmsGatewaySettings s;
  s.url = "http://127.0.0.1:1/sms";
  s.secret = "tok-123";
  HttpSmsSender sender(s);
  auto r = sender.send(sms("x"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::Unavailable);
  EXPECT_EQ(r.error().detail.find("tok-123"), std::string::npos);
}

TEST(SmsConfig, ValidationListsEveryProblem) {
  SmsConfig c;
  c.gateway_url = "http://gateway.example/sms";
  c.method = "PUT";
  c.body_format = "xml";
  c.headers = {"Authorization Bearer x", "X-Ok: 1"};
  c.success_status = {404};
  std::vector<std::string> p;
  validate_sms_config(c, p);
  auto has = [&](std::string_view what) {
    return std::any_of(p.begin(), p.end(), [&](auto& s) { return s.find(what) != std::string::npos; });
  };
  EXPECT_TRUE(has("sms.method")) << testing::PrintToString(p);
  EXPECT_TRUE(has("sms.body_format"));
  EXPECT_TRUE(has("sms.headers"));
  EXPECT_TRUE(has("sms.success_status"));
  EXPECT_TRUE(has("https:// is required"));
  EXPECT_EQ(p.size(), 5u) << testing::PrintToString(p);
}

TEST(SmsConfig, LoopbackMayUseHttpAndSecretsMustBeSet) {
  SmsConfig c;
  c.gateway_url = "http://127.0.0.1:9999/sms";
  c.headers = {"Authorization: Bearer {{secret}}"};
  std::vector<std::string> p;
  validate_sms_config(c, p);
  ASSERT_EQ(p.size(), 1u) << testing::PrintToString(p);
  EXPECT_NE(p[0].find("PORTIER_SMS_SECRET"), std::string::npos);
  c.secret = "x";
  p.clear();
  validate_sms_config(c, p);
  EXPECT_TRUE(p.empty()) << testing::PrintToString(p);
  c.body_template = "{{text";
  validate_sms_config(c, p);
  EXPECT_EQ(p.size(), 1u) << "a template that does not parse is caught at start-up: " << testing::PrintToString(p);
}

// The outbox worker hands every message to one Mailer; SMS must reach the
// SMS sender and mail the mail one, whichever is configured.
class Recorder final : public Mailer {
public:
  Result<void> send(const OutboundMessage& m) override {
    got.push_back(m.recipient);
    return {};
  }
  std::string describe() const override { return "recorder"; }
  std::vector<std::string> got;
};

TEST(ChannelMailer, RoutesSmsToTheSmsSender) {
  Recorder mail, text;
  ChannelMailer channels(mail, text);
  OutboundMessage m;
  m.recipient = "marie@example.org";
  ASSERT_TRUE(channels.send(m));
  ASSERT_TRUE(channels.send(sms("x")));
  EXPECT_EQ(mail.got, std::vector<std::string>{"marie@example.org"});
  EXPECT_EQ(text.got, std::vector<std::string>{"+33612345678"});
}

}  // namespace
}  // namespace portier
