#include "http/backchannel_poster.h"

#include "http/outgoing_call.h"

namespace portier::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

template <typename Stream>
asio::awaitable<Result<int>> exchange(Stream& stream, const OutgoingTarget& t, const std::string& body) {
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, t.path, 11};
  req.set(bhttp::field::host, t.host_header);
  req.set(bhttp::field::user_agent, "portier back-channel logout");
  req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
  req.set(bhttp::field::cache_control, "no-store");
  req.set(bhttp::field::connection, "close");  // one request per connection
  req.body() = body;
  req.prepare_payload();
  co_await bhttp::async_write(stream, req, asio::use_awaitable);
  // Only the status matters: the header is read, the body never (a server
  // that sends no length and keeps the connection open cannot hold us).
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::empty_body> parser;
  parser.header_limit(16 * 1024);
  co_await bhttp::async_read_header(stream, buffer, parser, asio::use_awaitable);
  co_return Result<int>(static_cast<int>(parser.get().result_int()));
}

}  // namespace

Result<int> BackchannelPoster::post_form(const std::string& uri, const std::string& body) {
  auto target = parse_outgoing_target(uri);
  if (!target) return fail(ErrorCode::InvalidInput, "backchannel_logout_uri: " + target.error().detail);
  return run_outgoing<int>(*target, {connect_timeout_, total_timeout_}, "back-channel logout POST",
                           [&](auto& stream) { return exchange(stream, *target, body); });
}

}  // namespace portier::http
