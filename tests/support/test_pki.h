#pragma once
// The test PKI of tests/pki/make-test-pki.sh, written once per test binary
// into a temporary folder (removed at exit) on first use. Unit tests read
// real certificates from it rather than committed ones: keys are never
// committed, and the dates stay current.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace portier::testing_support {

class TestPki {
 public:
  static const TestPki& get() {
    static TestPki pki;
    return pki;
  }
  // Path of a file of the PKI, e.g. path("card-valid.der").
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string read(const std::string& name) const {
    std::ifstream in(path(name), std::ios::binary);
    if (!in) throw std::runtime_error("test PKI has no " + name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // The first certificate of a PEM file of the PKI, as DER (the PKI writes
  // .der files for the cards only).
  std::string der_of_pem(const std::string& name) const {
    auto pem = read(name);
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (!cert) throw std::runtime_error(name + " holds no certificate");
    unsigned char* der = nullptr;
    int length = i2d_X509(cert, &der);
    X509_free(cert);
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
    OPENSSL_free(der);
    return out;
  }
  const std::filesystem::path& dir() const { return dir_; }

  ~TestPki() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

 private:
  TestPki() {
    std::string pattern = (std::filesystem::temp_directory_path() / "portier-pki-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    std::string command = std::string("'") + PORTIER_SOURCE_DIR + "/tests/pki/make-test-pki.sh' '" + dir_.string() +
                          "' >/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("tests/pki/make-test-pki.sh failed");
  }
  std::filesystem::path dir_;
};

}  // namespace portier::testing_support
