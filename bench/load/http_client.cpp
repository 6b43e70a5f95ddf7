// The keep-alive HTTP/1.1 client: a prebuilt request head and Beast's response parser.
#include "http_client.hpp"

#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace sluice::bench::load {

namespace http = boost::beast::http;

struct http_client::impl {
  impl(asio::io_context& ioc, const target& t) : sock(ioc), server(t) {}
  tcp::socket sock;
  const target& server;
  boost::beast::flat_buffer buffer;
  std::string request;
  std::string body;
  bool connected = false;
};

http_client::http_client(asio::io_context& ioc, const target& t) : impl_(std::make_unique<impl>(ioc, t)) {}

http_client::~http_client() = default;

asio::awaitable<void> http_client::connect() {
  impl& d = *impl_;
  boost::system::error_code ignored;
  d.sock.close(ignored);
  d.buffer.clear();
  co_await d.sock.async_connect(d.server.endpoint, asio::use_awaitable);
  d.sock.set_option(tcp::no_delay(true));
  d.connected = true;
}

asio::awaitable<unsigned> http_client::post(std::string_view body) {
  impl& d = *impl_;
  if (!d.connected) co_await connect();
  d.request.clear();
  d.request += "POST ";
  d.request += d.server.path;
  d.request += " HTTP/1.1\r\nHost: ";
  d.request += d.server.host_header;
  d.request += "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ";
  d.request += std::to_string(body.size());
  d.request += "\r\n\r\n";
  d.request += body;
  co_await asio::async_write(d.sock, asio::buffer(d.request), asio::use_awaitable);
  http::response_parser<http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  co_await http::async_read(d.sock, d.buffer, parser, asio::use_awaitable);
  auto& res = parser.get();
  d.body = std::move(res.body());
  if (!res.keep_alive()) d.connected = false;
  co_return res.result_int();
}

const std::string& http_client::body() const {
  return impl_->body;
}

std::string json_quote(std::string_view s) {
  return boost::json::serialize(boost::json::string(s));
}

std::string graphql_body(std::string_view query, std::string_view variables_json) {
  std::string out = R"({"query":)" + json_quote(query);
  if (!variables_json.empty()) {
    out += R"(,"variables":)";
    out += variables_json;
  }
  out += '}';
  return out;
}

}  // namespace sluice::bench::load
