#include "http/beast_http_fetcher.h"

#include "common/encoding.h"
#include "http/outgoing_call.h"

namespace portier::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using federation::HttpAnswer;
using federation::HttpCall;

template <typename Stream>
asio::awaitable<Result<HttpAnswer>> exchange(Stream& stream, const OutgoingTarget& t, const HttpCall& call,
                                             std::size_t max_body) {
  bhttp::request<bhttp::string_body> req{call.method == "POST" ? bhttp::verb::post : bhttp::verb::get, t.path, 11};
  req.set(bhttp::field::host, t.host_header);
  req.set(bhttp::field::user_agent, "portier federation");
  req.set(bhttp::field::connection, "close");
  for (const auto& [name, value] : call.headers) req.set(name, value);
  if (call.method == "POST") {
    req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
    req.body() = call.body;
  }
  req.prepare_payload();
  co_await bhttp::async_write(stream, req, asio::use_awaitable);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(max_body);  // a larger answer is an error, not a truncated document
  co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
  HttpAnswer answer;
  answer.status = static_cast<int>(parser.get().result_int());
  std::string type(parser.get()[bhttp::field::content_type]);
  answer.content_type = ascii_lower(trim(type.substr(0, type.find(';'))));
  answer.body = std::move(parser.get().body());
  co_return Result<HttpAnswer>(std::move(answer));
}

}  // namespace

Result<HttpAnswer> BeastHttpFetcher::fetch(const HttpCall& call) {
  auto target = parse_outgoing_target(call.url);
  if (!target) return fail(ErrorCode::InvalidInput, call.url + ": " + target.error().detail);
  return run_outgoing<HttpAnswer>(*target, {connect_timeout_, total_timeout_}, call.method,
                                  [&](auto& stream) { return exchange(stream, *target, call, max_body_); });
}

}  // namespace portier::http
