#include "notify/file_mailer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/sqlite_fixture.h"

namespace portier {
namespace {

namespace fs = std::filesystem;

class FileMailerTest : public ::testing::Test {
protected:
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<fs::path> files() {
    std::vector<fs::path> out;
    if (fs::exists(dir_))
      for (auto& e : fs::directory_iterator(dir_)) out.push_back(e.path());
    return out;
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  fs::path dir_ = fs::temp_directory_path() / ("portier-outbox-" + std::to_string(::getpid()));
  FakeClock clock_{from_unix(1'800'000'000)};
  testing_support::CountingRandom random_;
  FileMailer mailer_{dir_.string(), MailSender{"no-reply@example.org", "Portail", ""}, nullptr, random_, clock_};
};

TEST_F(FileMailerTest, WritesTheMimeMessageAs0600File) {
  OutboundMessage m;
  m.id = 42;
  m.recipient = "marie@example.org";
  m.kind = "recovery.password";
  m.subject = "Code";
  m.body_text = "code 123456";
  auto written = mailer_.deliver(m);
  ASSERT_TRUE(written) << written.error().detail;
  auto all = files();
  ASSERT_EQ(all.size(), 1u) << "no temporary file left behind";
  EXPECT_EQ(all[0].filename(), "20270115T080000Z-42-recovery.password.eml");
  EXPECT_NE(written->find(all[0].string()), std::string::npos);
  struct stat st {};
  ASSERT_EQ(::stat(all[0].c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto text = read(all[0]);
  EXPECT_NE(text.find("To: marie@example.org\r\n"), std::string::npos);
  EXPECT_NE(text.find("code 123456"), std::string::npos);
}

TEST_F(FileMailerTest, SmsGoesToASmsFile) {
  OutboundMessage m;
  m.id = 7;
  m.channel = MessageChannel::Sms;
  m.recipient = "+33612345678";
  m.kind = "recovery.code";
  m.body_text = "Votre code : 123456";
  ASSERT_TRUE(mailer_.send(m));
  auto all = files();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].extension(), ".sms");
  auto text = read(all[0]);
  EXPECT_NE(text.find("To: +33612345678\n"), std::string::npos);
  EXPECT_NE(text.find("Votre code : 123456\n"), std::string::npos);
}

TEST_F(FileMailerTest, KindCannotEscapeTheFolder) {
  OutboundMessage m;
  m.recipient = "marie@example.org";
  m.kind = "../../etc/evil";
  ASSERT_TRUE(mailer_.send(m));
  auto all = files();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].parent_path(), dir_);
}

}  // namespace
}  // namespace portier
