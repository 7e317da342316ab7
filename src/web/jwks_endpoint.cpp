// GET /.well-known/jwks.json: the public keys of the OpenID Connect
// provider's key ring (active, next, and retired keys whose tokens may still
// be valid). 404 while the provider is off (oidc.enabled = false).
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>

#include "oidc/key_ring.h"
#include "web/pages.h"

namespace portier::web {

http::Response jwks(Exchange& ex) {
  auto* ring = ex.services().key_ring;
  if (!ring) return ex.error(404);
  auto set = ring->jwks();
  if (!set) {
    spdlog::error("jwks: {}", set.error().detail);
    return ex.error(503);
  }
  http::Response r;
  r.status = 200;
  r.set_header("Content-Type", "application/json");
  // Relying parties may cache it for jwks_max_age: the rotation policy
  // publishes a next key at least that long (plus the longest token
  // lifetime) before it signs, so a cached copy always knows the signer.
  r.set_header("Cache-Control",
               "public, max-age=" + std::to_string(ring->policy().jwks_max_age.count()));
  // Public keys only: browser-based relying parties may read them.
  r.set_header("Access-Control-Allow-Origin", "*");
  r.body = boost::json::serialize(*set);
  apply_security_headers(r, false);
  return r;
}

}  // namespace portier::web
