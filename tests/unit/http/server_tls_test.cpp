// The HTTP layer end to end in one process: real listeners (plain and TLS,
// each client-certificate mode), curl as the client, and a handler that
// echoes what the Request carries. Certificates are made with the openssl
// command at test time.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <atomic>
#include <future>
#include <thread>

#include "common/metrics.h"
#include "http/server.h"

namespace portier::http {
namespace {

namespace fs = std::filesystem;

struct Output {
  int status = -1;
  std::string text;
};

Output run(const std::string& command) {
  Output out;
  FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (!p) return out;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.text.append(buf.data(), n);
  out.status = ::pclose(p);
  return out;
}

const char* verdict_name(CertificateVerdict v) {
  switch (v) {
    case CertificateVerdict::Valid: return "valid";
    case CertificateVerdict::Expired: return "expired";
    case CertificateVerdict::NotYetValid: return "not-yet-valid";
    case CertificateVerdict::Revoked: return "revoked";
    case CertificateVerdict::RevocationUnknown: return "revocation-unknown";
    case CertificateVerdict::UnknownIssuer: return "unknown-issuer";
    case CertificateVerdict::WrongUsage: return "wrong-usage";
    case CertificateVerdict::Unreadable: return "unreadable";
  }
  return "?";
}

// Says what the request carried, one fact a line.
struct Echo : RequestHandler {
  Lane lane(const Request&) const override { return Lane::Inline; }
  Response handle(const Request& r) override {
    Response out;
    out.body = "ip=" + r.remote_ip + "\ntls=" + (r.tls ? "1" : "0") + "\nasks=" + (r.asks_client_certificate ? "1" : "0");
    if (r.client_certificate) {
      const auto& c = *r.client_certificate;
      out.body += std::string("\ncert=") + verdict_name(c.verdict) +
                  (c.source == CertificateSource::Proxy ? " proxy" : " handshake") + " der=" +
                  std::to_string(c.leaf_der.size()) + " subject=" + c.subject;
    } else {
      out.body += "\ncert=none";
    }
    out.body += "\nheaders=";
    for (auto& [k, v] : r.headers) out.body += k + ",";
    out.body += "\n";
    return out;
  }
  Response error_page(int status, const Request*) override {
    Response r;
    r.status = status;
    return r;
  }
};

class ServerTlsTest : public ::testing::Test {
public:
  static void SetUpTestSuite() {
    dir = fs::temp_directory_path() / ("portier-server-tls-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    // A server CA and a leaf for 127.0.0.1; a client CA and a leaf usable
    // for client authentication.
    const std::string d = dir.string();
    const std::string script =
        "set -e; cd " + d + "; "
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server-ca.key -out server-ca.pem "
        "-days 2 -subj '/CN=Test server CA' >/dev/null 2>&1; "
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr "
        "-subj '/CN=127.0.0.1' >/dev/null 2>&1; "
        "printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > server.ext; "
        "openssl x509 -req -in server.csr -CA server-ca.pem -CAkey server-ca.key -CAcreateserial -days 2 "
        "-extfile server.ext -out server.pem >/dev/null 2>&1; "
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client-ca.key -out client-ca.pem "
        "-days 2 -subj '/CN=Test client CA' "
        ">/dev/null 2>&1; "
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client.key -out client.csr "
        "-subj '/CN=810002813839+SN=DUPONT+GN=JEAN/C=FR' -multivalue-rdn >/dev/null 2>&1; "
        "printf 'keyUsage=critical,digitalSignature\\nextendedKeyUsage=clientAuth\\n' > client.ext; "
        "openssl x509 -req -in client.csr -CA client-ca.pem -CAkey client-ca.key -CAcreateserial -days 2 "
        "-extfile client.ext -out client.pem >/dev/null 2>&1; "
        "chmod 600 *.key";
    ASSERT_EQ(std::system(script.c_str()), 0);

    config.io_threads = 1;
    config.worker_threads = 1;
    config.hashing_threads = 1;
    config.shutdown_grace = std::chrono::seconds(1);
    config.trusted_proxies = {"127.0.0.2"};
    auto listener = [&](std::string mode, bool tls) {
      ListenerConfig l;
      l.address = "127.0.0.1:0";
      if (tls) {
        l.tls_certificate = d + "/server.pem";
        l.tls_key = d + "/server.key";
      }
      l.client_certificates = mode;
      if (mode != "none") l.client_ca = d + "/client-ca.pem";
      return l;
    };
    config.listeners = {listener("none", false), listener("optional", false), listener("none", true),
                        listener("optional", true), listener("required", true)};
    metrics = new Metrics();
    server = new Server(config, echo, *metrics);
    server->bind();
    for (auto& b : server->bound_listeners()) addresses.push_back(b.address);
    thread = std::thread([] { server->run(); });
  }

  static void TearDownTestSuite() {
    server->stop();
    thread.join();
    delete server;
    delete metrics;
    fs::remove_all(dir);
  }

  // curl against listener `n`; `extra` adds options (headers, a certificate).
  static Output get(std::size_t n, const std::string& extra = "") {
    bool tls = !config.listeners[n].tls_certificate.empty();
    std::string url = std::string(tls ? "https://" : "http://") + addresses[n] + "/";
    return run("curl -sS --max-time 5 --cacert " + (dir / "server-ca.pem").string() + " " + extra + " " + url);
  }
  static std::string client_cert() {
    return "--cert " + (dir / "client.pem").string() + " --key " + (dir / "client.key").string();
  }

  static inline fs::path dir;
  static inline ServerConfig config;
  static inline Echo echo;
  static inline Metrics* metrics = nullptr;
  static inline Server* server = nullptr;
  static inline std::thread thread;
  static inline std::vector<std::string> addresses;
};

bool has(const std::string& text, const std::string& line) { return text.find(line) != std::string::npos; }

TEST_F(ServerTlsTest, APlainListenerIgnoresForwardingHeadersFromAnUntrustedPeer) {
  auto r = get(0, "-H 'X-Forwarded-For: 203.0.113.9' -H 'X-Forwarded-Proto: https' -H 'Forwarded: for=198.51.100.1'");
  ASSERT_EQ(r.status, 0);
  EXPECT_TRUE(has(r.text, "ip=127.0.0.1\n")) << r.text;
  EXPECT_TRUE(has(r.text, "tls=0\n")) << r.text;
  EXPECT_FALSE(has(r.text, "forwarded")) << "forwarding headers must not reach the handler: " << r.text;
}

TEST_F(ServerTlsTest, ATrustedProxyIsBelievedRightMostFirst) {
  auto r = get(0, "--interface 127.0.0.2 -H 'X-Forwarded-For: 6.6.6.6, 203.0.113.9' -H 'X-Forwarded-Proto: https'");
  ASSERT_EQ(r.status, 0);
  EXPECT_TRUE(has(r.text, "ip=203.0.113.9\n")) << r.text;
  EXPECT_TRUE(has(r.text, "tls=1\n")) << r.text;
  EXPECT_FALSE(has(r.text, "forwarded")) << r.text;
}

TEST_F(ServerTlsTest, CertificateHeadersFromAnUntrustedPeerAreDroppedUnread) {
  auto r = get(1, "-H 'Client-Cert: :MIIBAA==:' -H 'X-Client-Cert: -----BEGIN%20CERTIFICATE-----'");
  ASSERT_EQ(r.status, 0);
  EXPECT_TRUE(has(r.text, "asks=1\n")) << r.text;
  EXPECT_TRUE(has(r.text, "cert=none\n")) << r.text;
  EXPECT_FALSE(has(r.text, "client-cert")) << r.text;
  EXPECT_FALSE(has(r.text, "x-client-cert")) << r.text;
}

TEST_F(ServerTlsTest, ATlsListenerWithoutClientCertificatesSaysTls) {
  auto r = get(2, client_cert());
  ASSERT_EQ(r.status, 0);
  EXPECT_TRUE(has(r.text, "tls=1\nasks=0\ncert=none\n")) << r.text;
  // Only a trusted proxy may say otherwise.
  auto said = get(2, "-H 'X-Forwarded-Proto: http'");
  EXPECT_TRUE(has(said.text, "tls=1\n")) << said.text;
}

TEST_F(ServerTlsTest, AnOptionalListenerServesWithAndWithoutACertificate) {
  auto without = get(3);
  ASSERT_EQ(without.status, 0);
  EXPECT_TRUE(has(without.text, "asks=1\ncert=none\n")) << without.text;
  auto with = get(3, client_cert());
  ASSERT_EQ(with.status, 0);
  EXPECT_TRUE(has(with.text, "cert=valid handshake der=")) << with.text;
  EXPECT_FALSE(has(with.text, "der=0 ")) << with.text;
  EXPECT_TRUE(has(with.text, "810002813839")) << with.text;
}

TEST_F(ServerTlsTest, AnOptionalListenerNeverFailsTheHandshakeForAForeignCertificate) {
  // The server's own certificate: another CA, not for client authentication.
  auto r = get(3, "--cert " + (dir / "server.pem").string() + " --key " + (dir / "server.key").string());
  ASSERT_EQ(r.status, 0);
  EXPECT_TRUE(has(r.text, "cert=")) << r.text;
  EXPECT_FALSE(has(r.text, "cert=valid")) << r.text;
  EXPECT_FALSE(has(r.text, "cert=none")) << r.text;
}

std::string pem_text() {
  std::ifstream in(ServerTlsTest::dir / "client.pem");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(ServerTlsTest, ACertificateForwardedByATrustedProxyIsVerified) {
  const std::string pem = pem_text();
  std::string escaped;  // as nginx's $ssl_client_escaped_cert
  for (unsigned char c : pem) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') escaped += static_cast<char>(c);
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      escaped += buf;
    }
  }
  std::string base64;  // RFC 9440: the DER, base64, between colons
  std::istringstream lines(pem);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("-----", 0) != 0) base64 += line;

  auto nginx = get(1, "--interface 127.0.0.2 -H 'X-Client-Cert: " + escaped + "'");
  ASSERT_EQ(nginx.status, 0);
  EXPECT_TRUE(has(nginx.text, "cert=valid proxy der=")) << nginx.text;
  EXPECT_FALSE(has(nginx.text, "x-client-cert")) << nginx.text;
  auto rfc9440 = get(1, "--interface 127.0.0.2 -H 'Client-Cert: :" + base64 + ":'");
  EXPECT_TRUE(has(rfc9440.text, "cert=valid proxy der=")) << rfc9440.text;
  auto mangled = get(1, "--interface 127.0.0.2 -H 'Client-Cert: :not base64!:'");
  EXPECT_TRUE(has(mangled.text, "cert=unreadable proxy")) << mangled.text;
  // The same headers from a peer that is not a trusted proxy: nothing.
  auto direct = get(1, "-H 'X-Client-Cert: " + escaped + "' -H 'Client-Cert: :" + base64 + ":'");
  EXPECT_TRUE(has(direct.text, "cert=none\n")) << direct.text;
  // A listener that does not ask for certificates ignores them even from a proxy.
  auto not_asked = get(0, "--interface 127.0.0.2 -H 'X-Client-Cert: " + escaped + "'");
  EXPECT_TRUE(has(not_asked.text, "asks=0\ncert=none\n")) << not_asked.text;
}

TEST_F(ServerTlsTest, AnOptionalListenerNamesItsCertificateAuthorities) {
  auto r = run("openssl s_client -connect " + addresses[3] + " -tls1_2 </dev/null");
  EXPECT_TRUE(has(r.text, "Acceptable client certificate CA names")) << r.text;
  EXPECT_TRUE(has(r.text, "Test client CA")) << r.text;
}

TEST_F(ServerTlsTest, ARequiredListenerRefusesTheHandshakeWithoutACertificate) {
  EXPECT_NE(get(4).status, 0);
  auto with = get(4, client_cert());
  ASSERT_EQ(with.status, 0);
  EXPECT_TRUE(has(with.text, " handshake der=")) << with.text;
}

}  // namespace
}  // namespace portier::http

namespace portier::http {
namespace {

// Holds "/hold" requests until released; answers anything else at once.
struct Holding : RequestHandler {
  std::atomic<int> held{0};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Lane lane(const Request&) const override { return Lane::Pages; }
  Response handle(const Request& r) override {
    if (r.path == "/hold") {
      ++held;
      released.wait();
    }
    Response out;
    out.body = "ip=" + r.remote_ip;
    return out;
  }
  Response error_page(int status, const Request*) override {
    Response r;
    r.status = status;
    return r;
  }
};

// Behind a trusted proxy the per-address cap moves from connections to each
// forwarded client's requests in flight.
TEST(ServerForwardedCapTest, EachForwardedClientIsCappedNotTheProxy) {
  ServerConfig config;
  config.io_threads = 1;
  config.worker_threads = 4;
  config.worker_queue_limit = 16;
  config.hashing_threads = 1;
  config.shutdown_grace = std::chrono::seconds(1);
  config.max_connections_per_ip = 2;
  config.trusted_proxies = {"127.0.0.1"};
  config.listen = "127.0.0.1:0";
  Holding handler;
  Metrics metrics;
  Server server(config, handler, metrics);
  auto port = std::to_string(server.bind());
  std::thread serving([&] { server.run(); });
  auto curl = [&](const std::string& path, const std::string& client) {
    return run("curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: " + client +
               "' http://127.0.0.1:" + port + path).text;
  };
  // Two requests of one client held: its cap (2) is reached, on three connections from one proxy.
  std::vector<std::thread> holders;
  std::vector<std::string> held_status(2);
  for (int i = 0; i < 2; ++i) holders.emplace_back([&, i] { held_status[i] = curl("/hold", "203.0.113.9"); });
  for (int i = 0; i < 500 && handler.held < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(handler.held, 2);
  EXPECT_EQ(curl("/", "203.0.113.9"), "503") << "the same client, a third request in flight";
  EXPECT_EQ(curl("/", "198.51.100.4"), "200") << "another client behind the same proxy";
  handler.release.set_value();
  for (auto& t : holders) t.join();
  EXPECT_EQ(held_status[0], "200");
  EXPECT_EQ(held_status[1], "200");
  EXPECT_EQ(curl("/", "203.0.113.9"), "200") << "released once its requests are answered";
  server.stop();
  serving.join();
}

}  // namespace
}  // namespace portier::http
