#pragma once
// The browser's own word on where a POST comes from: the Origin and
// Sec-Fetch-Site headers. The Router checks them before the CSRF token, as
// a second lock: a POST sent by another site is refused even if a token
// leaked. A header that is absent (old browsers, scripts, command-line
// clients) is not held against the request; the token still applies.
// Never trusts the Host header: the portal's origin comes from
// server.public_url.
#include <optional>
#include <string>
#include <string_view>

namespace portier::web {

// "scheme://host[:port]" of an absolute http or https URL, lower-case, the
// default port left out, as browsers write Origin. Empty when not one.
std::string origin_of(std::string_view url);

enum class ForeignPost {
  Origin,     // Origin names another origin
  FetchSite,  // Sec-Fetch-Site is cross-site or same-site
};

// Why a POST carrying these headers (empty when absent) is refused, if it is.
// Origin "null" tells nothing and is let through to the token check: it is
// what browsers send for portier's own forms, whose pages say
// Referrer-Policy: no-referrer (Fetch standard, "serializing a request
// origin"); a sandboxed frame or a page of another site that sends it is
// caught by Sec-Fetch-Site and by the session-bound token.
// Sec-Fetch-Site "same-site" is refused too: a sibling host under the same
// registrable domain (a member application, say) is another party whose
// pages must not post portier's forms, and SameSite=Lax cookies do not
// stop it.
std::optional<ForeignPost> foreign_post(std::string_view origin, std::string_view fetch_site,
                                        std::string_view own_origin);

}  // namespace portier::web
