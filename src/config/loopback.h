#pragma once
// Is a configured host on this machine? For settings that may skip TLS only
// when nothing crosses the network (mail.smtp_tls = "none", http:// SMS
// gateways). Pure string logic: names other than "localhost" are not
// resolved, so "127.example.org" is not loopback.
#include <string>
#include <string_view>

namespace portier {

// 127.0.0.0/8 (dotted quad), ::1 (with or without brackets), localhost.
bool is_loopback_host(std::string_view host);

// The host of scheme://[user@]host[:port][/...], brackets removed from IPv6
// literals; empty when there is none.
std::string url_host(std::string_view url);

}  // namespace portier
