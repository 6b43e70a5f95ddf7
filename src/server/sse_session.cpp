// Event-stream responses (GraphQL over SSE): one connection's chunked stream of events, a keep-alive comment
// first and at an interval, a byte cap on what waits to be sent. Distinct connections mode streams one operation
// and ends; single connection mode is a reservation's sink until the client leaves or the store ends it.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <spdlog/spdlog.h>

#include "persisted.hpp"
#include "router.hpp"
#include "server_impl.hpp"
#include "sluice/transport/sse/distinct.hpp"

namespace sluice::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace sse = transport::sse;

namespace {

using header_fields = std::vector<std::pair<std::string, std::string>>;

class sse_connection : public std::enable_shared_from_this<sse_connection> {
 public:
  sse_connection(server::impl& s, event_loop& loop, std::shared_ptr<connection> c)
      : s_(s),
        loop_(loop),
        c_(std::move(c)),
        wake_(c_->stream->get_executor(), std::chrono::steady_clock::time_point::max()),
        written_(c_->stream->get_executor(), std::chrono::steady_clock::time_point::max()),
        ticker_(c_->stream->get_executor()) {
    // The keep-alive comment goes first (browsers such as Firefox and Safari want a first chunk), before
    // anything a reservation had queued.
    push(std::string(sse::keep_alive_comment()));
  }

  // Distinct connections mode: the operation's results, then `complete`; the response ends with it.
  asio::awaitable<void> run_distinct(execution::request req, execution::context ctx, header_fields extra_headers) {
    auto self = shared_from_this();
    if (!co_await start(extra_headers)) co_return;
    registration notify;  // a targeted push (notify) is one more `next` while the operation runs
    if (!ctx.user.is_null()) {
      auto send = [weak = weak_from_this()](std::string json) {
        if (auto me = weak.lock()) me->push(sse::next_event(json));
      };
      notify = s_.register_for_notify(req, ctx, c_->stream->get_executor(), std::move(send));
    }
    // In the persisted registry while it streams: a connection with one subscription.
    persisted_connection row(s_.options.registry, ctx.user, "sse");
    persisted_subscription subscription_row(row, "", req, s_.executor);
    auto result = co_await loop_.hub_for(s_.executor).subscribe(std::move(req), std::move(ctx));
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
    co_await finish();
  }

  // Single connection mode: the stream of a reservation already opened with this connection's sink; what the
  // sink receives is written until the client leaves (the reservation is then closed) or the store ends it.
  asio::awaitable<void> run_single(std::string token, const sse::stream_sink* sink, header_fields extra_headers) {
    auto self = shared_from_this();
    if (co_await start(extra_headers)) {
      // Until the client leaves or end() is called.
      while (!gone_ && !done_) {
        ended_.expires_at(std::chrono::steady_clock::time_point::max());
        (void)co_await ended_.async_wait(asio::as_tuple(asio::use_awaitable));
      }
    }
    if (gone_) s_.reservations->close(token, sink);
    co_await finish();
  }

  // From the sink (posted to this connection's loop): an event, and the end of the stream.
  void push(std::string text) {
    if (gone_ || done_) return;
    queued_bytes_ += text.size();
    queue_.push_back(std::move(text));
    if (queued_bytes_ > s_.options.sse.max_send_queue_bytes) {
      spdlog::warn("sse: the client reads too slowly ({} bytes waiting); disconnected", queued_bytes_);
      disconnect();
      return;
    }
    wake_.cancel();
  }
  void end() {
    done_ = true;
    wake_.cancel();
    ended_.cancel();
  }

 private:
  // Writes the response header and starts the writer, the disconnect watcher and the keep-alive ticker.
  asio::awaitable<bool> start(const header_fields& extra_headers) {
    auto& stream = *c_->stream;
    http::response<http::empty_body> res{http::status::ok, 11};
    for (const auto& [name, value] : sse::stream_headers()) res.set(name, value);
    for (const auto& [name, value] : extra_headers) res.set(name, value);
    res.chunked(true);
    res.keep_alive(false);
    http::response_serializer<http::empty_body> serializer{res};
    stream.expires_never();
    auto [hec, hn] = co_await http::async_write_header(stream, serializer, asio::as_tuple(asio::use_awaitable));
    if (hec) {
      gone_ = true;
      co_return false;
    }
    c_->close_gracefully = [weak = weak_from_this()] {
      if (auto me = weak.lock()) me->disconnect();
    };
    c_->close_now = c_->close_gracefully;
    asio::co_spawn(stream.get_executor(), writer(), asio::detached);
    asio::co_spawn(stream.get_executor(), watch(), asio::detached);
    if (s_.options.sse.keep_alive.count() > 0) asio::co_spawn(stream.get_executor(), tick(), asio::detached);
    started_ = true;
    co_return true;
  }

  // Waits until the writer has sent everything (or the client is gone), then lets the session end.
  asio::awaitable<void> finish() {
    done_ = true;
    wake_.cancel();
    if (started_ && !writer_done_) co_await written_.async_wait(asio::as_tuple(asio::use_awaitable));
    ticker_.cancel();
    c_->close_gracefully = nullptr;
    c_->close_now = nullptr;
  }

  // The client closed (or the server is stopping, or the client is too slow): stops at once.
  void disconnect() {
    if (gone_) return;
    gone_ = true;
    queue_.clear();
    queued_bytes_ = 0;
    stream_.stop();
    boost::system::error_code ignored;
    c_->stream->socket().close(ignored);
    wake_.cancel();
    ended_.cancel();
  }

  asio::awaitable<void> writer() {
    auto self = shared_from_this();
    auto& stream = *c_->stream;
    while (!gone_) {
      while (!queue_.empty() && !gone_) {
        std::string text = std::move(queue_.front());
        queue_.pop_front();
        queued_bytes_ -= text.size();
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
      auto [ec, n] = co_await c_->stream->socket().async_read_some(asio::buffer(&byte, 1),
                                                                  asio::as_tuple(asio::use_awaitable));
      if (ec) break;
    }
    if (!writer_done_) disconnect();
  }

  asio::awaitable<void> tick() {
    auto self = shared_from_this();
    while (!gone_ && !done_) {
      ticker_.expires_after(s_.options.sse.keep_alive);
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
  std::size_t queued_bytes_ = 0;
  asio::steady_timer wake_;
  asio::steady_timer written_;
  asio::steady_timer ticker_;
  asio::steady_timer ended_{c_->stream->get_executor()};
  bool started_ = false;
  bool gone_ = false;
  bool done_ = false;
  bool writer_done_ = false;
};

// A reservation's stream as the store sees it: hands every call to the connection's loop.
class connection_sink final : public sse::stream_sink {
 public:
  connection_sink(std::weak_ptr<sse_connection> conn, asio::any_io_executor ex)
      : conn_(std::move(conn)), ex_(std::move(ex)) {}
  void send(std::string event) override {
    asio::post(ex_, [conn = conn_, event = std::move(event)]() mutable {
      if (auto c = conn.lock()) c->push(std::move(event));
    });
  }
  void end() override {
    asio::post(ex_, [conn = conn_] {
      if (auto c = conn.lock()) c->end();
    });
  }

 private:
  std::weak_ptr<sse_connection> conn_;
  asio::any_io_executor ex_;
};

asio::awaitable<void> write_refusal(connection& c, const transport::http::http_response& refusal,
                                    const header_fields& cors) {
  auto res = router::to_response(refusal, cors);
  res.keep_alive(false);
  res.prepare_payload();
  (void)co_await http::async_write(*c.stream, res, asio::as_tuple(asio::use_awaitable));
}

}  // namespace

asio::awaitable<bool> server::impl::event_stream_session(std::shared_ptr<connection> c, event_loop& loop,
                                                         const transport::http::http_request& req,
                                                         execution::context ctx, header_fields cors) {
  auto start = sse::read_request(req, executor);
  if (start.refusal) {
    co_await write_refusal(*c, *start.refusal, cors);
    co_return false;
  }
  auto conn = std::make_shared<sse_connection>(*this, loop, c);
  co_await conn->run_distinct(std::move(*start.request), std::move(ctx), std::move(cors));
  co_return true;
}

asio::awaitable<bool> server::impl::reserved_stream_session(std::shared_ptr<connection> c, event_loop& loop,
                                                            std::string token, std::string owner,
                                                            header_fields cors) {
  auto conn = std::make_shared<sse_connection>(*this, loop, c);
  auto sink = std::make_shared<connection_sink>(conn, c->stream->get_executor());
  const sse::stream_sink* sink_id = sink.get();
  const auto opened = co_await reservations->open(token, std::move(owner), std::move(sink));
  if (opened == sse::open_status::not_found) {
    co_await write_refusal(*c, sse::refusal(404, "Stream not found"), cors);
    co_return false;
  }
  if (opened == sse::open_status::already_open) {
    co_await write_refusal(*c, sse::refusal(409, "Stream already open"), cors);
    co_return false;
  }
  co_await conn->run_single(std::move(token), sink_id, std::move(cors));
  co_return true;
}

}  // namespace sluice::server
