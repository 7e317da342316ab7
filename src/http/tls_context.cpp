#include "http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <sys/stat.h>

#include <cstring>

namespace portier::http {
namespace {

namespace ssl = boost::asio::ssl;

// Mozilla's "intermediate" configuration (version 5.7) for TLS 1.2; TLS 1.3
// keeps OpenSSL's suites, all of which that configuration allows.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:prime256v1:secp384r1";

// The last OpenSSL error, readable, and the queue cleared for the next call.
std::string openssl_error() {
  unsigned long code = ERR_peek_last_error();
  std::string text = code ? ERR_reason_error_string(code) ? ERR_reason_error_string(code) : "unknown error" : "unknown error";
  ERR_clear_error();
  return text;
}

// "optional": the certificate (or its absence) is judged after the
// handshake by the listener's verifier, and the page explains; the handshake
// itself never fails for a card.
int accept_any(int, X509_STORE_CTX*) { return 1; }

// Only "http/1.1" is spoken; a client offering only h2 goes on without ALPN.
int select_http11(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned int inlen,
                  void*) {
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kHttp11, sizeof kHttp11, in, inlen) != OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

Result<void> load_crls(X509_STORE* store, const std::vector<std::string>& files) {
  for (const auto& file : files) {
    X509_LOOKUP* lookup = X509_STORE_add_lookup(store, X509_LOOKUP_file());
    if (!lookup || (X509_load_crl_file(lookup, file.c_str(), X509_FILETYPE_PEM) <= 0 &&
                    X509_load_crl_file(lookup, file.c_str(), X509_FILETYPE_ASN1) <= 0))
      return fail(ErrorCode::InvalidInput, "crl " + file + ": not a CRL (" + openssl_error() + ")");
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<ssl::context>> make_tls_context(const ListenerConfig& l, const std::string& name) {
  auto bad = [&](const std::string& what) {
    ERR_clear_error();
    return fail(ErrorCode::InvalidInput, name + ": " + what);
  };
  // The key file must be no one else's to read (ASVS 6.4.1): a world-readable key is refused.
  struct stat st {};
  if (::stat(l.tls_key.c_str(), &st) != 0) return bad("tls_key " + l.tls_key + ": cannot read it");
  if (st.st_mode & S_IROTH) return bad("tls_key " + l.tls_key + " is readable by every user: chmod 600 (or 640 with a group of its own)");

  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* c = ctx->native_handle();
  SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(c, TLS1_3_VERSION);
  SSL_CTX_set_options(c, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // Mozilla "intermediate": the client's preference (every suite is strong;
  // a client without AES hardware picks ChaCha20).
  SSL_CTX_clear_options(c, SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(c, kTls12Ciphers) != 1) return bad("cipher list: " + openssl_error());
  if (SSL_CTX_set1_groups_list(c, kGroups) != 1) return bad("groups: " + openssl_error());
  SSL_CTX_set_dh_auto(c, 1);
  if (SSL_CTX_use_certificate_chain_file(c, l.tls_certificate.c_str()) != 1)
    return bad("tls_certificate " + l.tls_certificate + ": not a PEM certificate chain (" + openssl_error() + ")");
  if (SSL_CTX_use_PrivateKey_file(c, l.tls_key.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL compares the key with the certificate as it loads it.
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH)
      return bad("tls_key " + l.tls_key + " is not the key of tls_certificate " + l.tls_certificate);
    return bad("tls_key " + l.tls_key + ": not a PEM private key without a passphrase (" + openssl_error() + ")");
  }
  if (SSL_CTX_check_private_key(c) != 1)
    return bad("tls_key " + l.tls_key + " is not the key of tls_certificate " + l.tls_certificate);
  SSL_CTX_set_alpn_select_cb(c, select_http11, nullptr);

  // Resumption: stateless tickets (on by default; the ticket key is per
  // context, so a SIGHUP reload starts new sessions) and a server cache.
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_SERVER);
  SSL_CTX_set_timeout(c, 3600);
  std::string sid = "portier:" + name + ":" + l.client_certificates;
  sid.resize(std::min<std::size_t>(sid.size(), SSL_MAX_SID_CTX_LENGTH));
  SSL_CTX_set_session_id_context(c, reinterpret_cast<const unsigned char*>(sid.data()),
                                 static_cast<unsigned int>(sid.size()));

  if (l.asks_client_certificate()) {
    // The acceptable CA names sent in the CertificateRequest: the browser
    // offers only the certificates (cards) issued under them.
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(l.client_ca.c_str());
    if (!names) return bad("client_ca " + l.client_ca + ": no PEM certificate in it (" + openssl_error() + ")");
    SSL_CTX_set_client_CA_list(c, names);
    if (l.client_certificates == "required") {
      // Machine clients: OpenSSL verifies the chain (and the CRLs) in the
      // handshake, which fails without a valid certificate.
      if (SSL_CTX_load_verify_locations(c, l.client_ca.c_str(), nullptr) != 1)
        return bad("client_ca " + l.client_ca + ": " + openssl_error());
      if (!l.crl.empty()) {
        if (auto r = load_crls(SSL_CTX_get_cert_store(c), l.crl); !r) return bad(r.error().detail);
        X509_STORE_set_flags(SSL_CTX_get_cert_store(c), X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
      }
      SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
      SSL_CTX_set_verify_depth(c, 5);
    } else {
      // Asked in the initial handshake (never post-handshake: TLS 1.2 card
      // middleware), judged afterwards.
      SSL_CTX_set_verify(c, SSL_VERIFY_PEER, accept_any);
    }
  }
  return ctx;
}

}  // namespace portier::http
