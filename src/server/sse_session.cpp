// One distinct-connections SSE stream: the operation's results as chunked `next` events, then `complete`; a
// keep-alive comment first and at an interval; the operation stops as soon as the client goes away.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <spdlog/spdlog.h>

#include "server_impl.hpp"
#include "sluice/transport/sse/distinct.hpp"

namespace sluice::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace sse = transport::sse;

namespace {

class sse_connection : public std::enable_shared_from_this<sse_connection> {
 public:
  sse_connection(server::impl& s, event_loop& loop, std::shared_ptr<connection> c)
      : s_(s),
        loop_(loop),
        c_(std::move(c)),
        wake_(c_->stream.get_executor(), std::chrono::steady_clock::time_point::max()),
        written_(c_->stream.get_executor(), std::chrono::steady_clock::time_point::max()),
        ticker_(c_->stream.get_executor()) {}

  asio::awaitable<void> run(execution::request req, std::vector<std::pair<std::string, std::string>> extra_headers) {
    auto self = shared_from_this();
    auto& stream = c_->stream;
    http::response<http::empty_body> res{http::status::ok, 11};
    for (const auto& [name, value] : sse::stream_headers()) res.set(name, value);
    for (const auto& [name, value] : extra_headers) res.set(name, value);
    res.chunked(true);
    res.keep_alive(false);
    http::response_serializer<http::empty_body> serializer{res};
    stream.expires_never();
    auto [hec, hn] = co_await http::async_write_header(stream, serializer, asio::as_tuple(asio::use_awaitable));
    if (hec) co_return;

    c_->close_gracefully = [weak = weak_from_this()] {
      if (auto me = weak.lock()) me->disconnect();
    };
    c_->close_now = c_->close_gracefully;
    asio::co_spawn(stream.get_executor(), writer(), asio::detached);
    asio::co_spawn(stream.get_executor(), watch(), asio::detached);
    push(std::string(sse::keep_alive_comment()));
    if (s_.options.sse_keep_alive.count() > 0) asio::co_spawn(stream.get_executor(), tick(), asio::detached);

    if (!loop_.hub) loop_.hub = std::make_unique<execution::subscription_hub>(s_.executor);
    auto result = co_await loop_.hub->subscribe(std::move(req), execution::context{});
    if (auto* r = std::get_if<execution::response>(&result)) {
      push(sse::next_event(r->to_json()));
    } else {
      stream_ = std::move(std::get<execution::response_stream>(result));
      if (gone_) stream_.stop();
      while (auto item = co_await stream_.next()) {
        push(sse::next_event(*item->json));
        if (item->final) break;
      }
    }
    if (!gone_) push(std::string(sse::complete_event()));
    done_ = true;
    wake_.cancel();
    // Until the writer has sent everything (or the client is gone).
    if (!writer_done_) co_await written_.async_wait(asio::as_tuple(asio::use_awaitable));
    ticker_.cancel();
    c_->close_gracefully = nullptr;
    c_->close_now = nullptr;
  }

 private:
  void push(std::string text) {
    if (gone_) return;
    queue_.push_back(std::move(text));
    wake_.cancel();
  }

  // The client closed (or the server is stopping): the operation stops at once.
  void disconnect() {
    if (gone_) return;
    gone_ = true;
    queue_.clear();
    stream_.stop();
    boost::system::error_code ignored;
    c_->stream.socket().close(ignored);
    wake_.cancel();
  }

  asio::awaitable<void> writer() {
    auto self = shared_from_this();
    auto& stream = c_->stream;
    while (!gone_) {
      while (!queue_.empty() && !gone_) {
        std::string text = std::move(queue_.front());
        queue_.pop_front();
        auto [ec, n] = co_await asio::async_write(stream, http::make_chunk(asio::buffer(text)),
                                                  asio::as_tuple(asio::use_awaitable));
        if (ec) disconnect();
      }
      if (done_ || gone_) break;
      wake_.expires_at(std::chrono::steady_clock::time_point::max());
      co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (!gone_) {
      // The end of the chunked body (a client gone meanwhile makes this fail, which changes nothing).
      (void)co_await asio::async_write(stream, http::make_chunk_last(), asio::as_tuple(asio::use_awaitable));
    }
    writer_done_ = true;
    written_.cancel();
  }

  // Reads from the client only to learn that it went away (a stream's client sends nothing more).
  asio::awaitable<void> watch() {
    auto self = shared_from_this();
    char byte;
    for (;;) {
      auto [ec, n] = co_await c_->stream.socket().async_read_some(asio::buffer(&byte, 1),
                                                                  asio::as_tuple(asio::use_awaitable));
      if (ec) break;
    }
    if (!writer_done_) disconnect();
  }

  asio::awaitable<void> tick() {
    auto self = shared_from_this();
    while (!gone_ && !done_) {
      ticker_.expires_after(s_.options.sse_keep_alive);
      auto [ec] = co_await ticker_.async_wait(asio::as_tuple(asio::use_awaitable));
      if (ec || gone_ || done_) break;
      push(std::string(sse::keep_alive_comment()));
    }
  }

  server::impl& s_;
  event_loop& loop_;
  std::shared_ptr<connection> c_;
  execution::response_stream stream_;
  std::deque<std::string> queue_;
  asio::steady_timer wake_;
  asio::steady_timer written_;
  asio::steady_timer ticker_;
  bool gone_ = false;
  bool done_ = false;
  bool writer_done_ = false;
};

}  // namespace

asio::awaitable<bool> server::impl::event_stream_session(std::shared_ptr<connection> c, event_loop& loop,
                                                         const http::request<http::string_body>& req,
                                                         std::vector<std::pair<std::string, std::string>> cors) {
  transport::http::http_request hreq{req.method_string(), req.target(), req[http::field::content_type],
                                     req[http::field::accept], req.body()};
  auto start = sse::read_request(hreq, executor);
  if (start.refusal) {
    http::response<http::string_body> res{static_cast<http::status>(start.refusal->status), 11};
    for (auto& [name, value] : start.refusal->headers) res.set(name, value);
    for (auto& [name, value] : cors) res.set(name, value);
    res.body() = std::move(start.refusal->body);
    res.keep_alive(false);
    res.prepare_payload();
    co_await http::async_write(c->stream, res, asio::as_tuple(asio::use_awaitable));
    co_return false;
  }
  auto conn = std::make_shared<sse_connection>(*this, loop, c);
  co_await conn->run(std::move(*start.request), std::move(cors));
  co_return true;
}

}  // namespace sluice::server
