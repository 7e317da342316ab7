#include "federation/pending_login.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace portier::federation {

std::string to_json(const PendingLogin& l) {
  boost::json::object o;
  o["provider"] = l.provider;
  o["state"] = l.state;
  o["nonce"] = l.nonce;
  o["code_verifier"] = l.code_verifier;
  o["redirect_uri"] = l.redirect_uri;
  o["acr_values"] = l.acr_values;
  o["issued_at"] = to_unix(l.issued_at);
  return boost::json::serialize(o);
}

Result<PendingLogin> pending_login_from_json(std::string_view json) {
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return fail(ErrorCode::InvalidInput, "pending login is not a JSON object");
  const auto& o = v.as_object();
  PendingLogin l;
  for (auto [key, out] : {std::pair{"provider", &l.provider}, {"state", &l.state}, {"nonce", &l.nonce},
                          {"code_verifier", &l.code_verifier}, {"redirect_uri", &l.redirect_uri},
                          {"acr_values", &l.acr_values}}) {
    const auto* f = o.if_contains(key);
    if (!f || !f->is_string()) return fail(ErrorCode::InvalidInput, std::string("pending login lacks ") + key);
    *out = std::string(f->as_string());
  }
  const auto* at = o.if_contains("issued_at");
  if (!at || !at->is_int64()) return fail(ErrorCode::InvalidInput, "pending login lacks issued_at");
  l.issued_at = from_unix(at->as_int64());
  return l;
}

}  // namespace portier::federation
