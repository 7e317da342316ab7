#pragma once
// OpenSSL values as text for logs, pages and errors: names in RFC 2253 with
// UTF-8 kept as UTF-8 (not \C3\A9 escapes), and the thread's error queue.
#include <openssl/x509.h>

#include <string>

namespace portier::tls {

// RFC 2253 (most specific RDN first, "+" inside a multi-valued RDN), UTF-8.
std::string name_text(const X509_NAME* name);
// The oldest error of this thread's OpenSSL queue, and clears the queue.
std::string openssl_error();

}  // namespace portier::tls
