// One GraphQL-over-WebSocket connection around transport::ws::protocol (messages in, actions out): Beast answers
// the upgrade, then the session frames messages itself (transport/ws/frames.hpp) and writes each burst of them in
// one system call; operations run through the loop's subscription hub; a bounded send queue, ping frames, the
// close handshake, shutdown with 1001.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/websocket.hpp>
#include <array>
#include <atomic>
#include <cerrno>
#include <sys/socket.h>
#include <unordered_map>
#include <spdlog/spdlog.h>

#include "persisted.hpp"
#include "server_impl.hpp"
#include "sluice/transport/ws/frames.hpp"

namespace sluice::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ws = transport::ws;
using tcp = asio::ip::tcp;

namespace {

// An operation of the connection; its stream once subscribe() has given one.
struct op {
  execution::response_stream stream;
  registration push;           // reachable by notify() while it runs
  persisted_subscription row;  // in the persisted registry while it runs
};

std::atomic<std::uint64_t> next_connection_id{1};

// The loop's read buffer, shared by its connections: each reads only when its socket is readable and hands the
// bytes to its frame reader at once (an idle connection holds no buffer of its own).
std::array<char, 64 * 1024>& read_buffer() {
  thread_local std::array<char, 64 * 1024> buffer;
  return buffer;
}

// Beast does the opening handshake; from then on the connection owns the socket and frames its messages itself
// (transport/ws/frames.hpp): the messages queued for a connection while the loop delivers a burst of results leave
// in one system call, control frames are answered here, and nothing is held per idle connection but its state.
class ws_connection : public std::enable_shared_from_this<ws_connection> {
 public:
  ws_connection(server::impl& s, event_loop& loop, beast::tcp_stream stream, std::optional<ws::subprotocol> p,
                std::string answer, const http::request<http::string_body>& upgrade)
      : s_(s),
        answer_(std::move(answer)),
        loop_(loop),
        ex_(stream.get_executor()),
        handshake_(std::in_place, std::move(stream)),
        sock_(ex_),
        reader_(s.options.websocket.max_message_bytes),
        proto_(p.value_or(ws::subprotocol::graphql_transport_ws), s.options.websocket.protocol),
        refused_(!p.has_value()),
        init_timer_(ex_),
        keep_alive_timer_(ex_),
        timer_(ex_) {
    id_ = next_connection_id++;
    for (const auto& field : upgrade) headers_.emplace_back(std::string(field.name_string()), std::string(field.value()));
    origin_ = std::string(upgrade[http::field::origin]);
    if (detail::may_read_cookies(s.options.cors, s.options.websocket.cookies, origin_))
      cookies_ = detail::parse_cookies(upgrade[http::field::cookie]);
  }

  asio::awaitable<void> run(http::request<http::string_body> req) {
    auto self = shared_from_this();
    auto& hs = *handshake_;
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.idle_timeout = websocket::stream_base::none();  // after the handshake the session keeps its own time
    hs.set_option(timeouts);
    hs.set_option(websocket::stream_base::decorator([answer = answer_](websocket::response_type& res) {
      res.set(http::field::server, "sluice");
      if (!answer.empty()) res.set(http::field::sec_websocket_protocol, answer);  // the name the client offered
    }));
    auto [aec] = co_await hs.async_accept(req, asio::as_tuple(asio::use_awaitable));
    { auto done = std::move(req); }  // the upgrade request's fields would otherwise live as long as the connection
    if (aec || gone_) {
      gone_ = true;
      handshake_.reset();
      ended();
      co_return;
    }
    sock_ = hs.next_layer().release_socket();
    handshake_.reset();

    writes_open_ = true;  // messages queued so far (none, or a close) go out now
    schedule_flush();
    if (!closing_) arm_timer(s_.options.websocket.ping_interval);  // (a close queued meanwhile has its own limit)

    if (refused_) {
      // No subprotocol both sides speak: the upgrade succeeds and the close says why (as graphql-ws does).
      close_with(4406, "Subprotocol not acceptable");
    } else {
      ws::actions acts;
      proto_.opened(acts);
      apply(acts);
    }
    // From here reads are driven by readiness: an idle connection holds no coroutine frame and no buffer.
    wait_readable();
  }

  // What runs when the connection is over (the server forgets it); set before run().
  std::function<void()> on_end;

  void shutdown() {
    if (closing_ || gone_) return;
    ws::actions acts;
    proto_.closed(acts);  // stops the operations first
    apply(acts);
    close_with(1001, "Server shutting down");
  }

  [[nodiscard]] asio::any_io_executor executor() const { return ex_; }

  // Closes the socket at once (no close frame); the session ends from the loop, not inside this call.
  void abort() {
    boost::system::error_code ignored;
    if (handshake_) {
      beast::get_lowest_layer(*handshake_).socket().close(ignored);  // the handshake fails and ends the session
      return;
    }
    sock_.close(ignored);
    asio::post(ex_, [self = shared_from_this()] { self->socket_gone(); });
  }

 private:
  // ---- reading ----

  void wait_readable() {
    sock_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](const boost::system::error_code& ec) {
      if (self->gone_) return;
      if (ec) return self->socket_gone();
      self->on_readable();
    });
  }

  // Reads until a read comes back shorter than the buffer (the socket is drained: the reactor is edge-triggered and
  // this loop's only thread queues the next wait before it polls again), then waits for readability.
  void on_readable() {
    auto& buffer = read_buffer();
    for (int i = 0; i < 8; ++i) {
      const ssize_t n = ::recv(sock_.native_handle(), buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        return socket_gone();
      }
      if (n == 0) return socket_gone();  // the client went without a close frame
      heard_ = true;
      if (!consume(buffer.data(), static_cast<std::size_t>(n))) return;
      if (static_cast<std::size_t>(n) < buffer.size()) break;
      if (i == 7) {  // still more: the loop's other connections run first
        asio::post(ex_, [self = shared_from_this()] {
          if (!self->gone_ && !self->reading_over()) self->on_readable();
        });
        return;
      }
    }
    wait_readable();
  }

  // Hands the bytes to the frame reader; false when reading is over.
  bool consume(char* data, std::size_t n) {
    reader_.feed(data, n, [this](const ws::frame_event& ev) { return on_frame(ev); });
    return !gone_ && !reading_over();
  }

  // Nothing more is read once the client's close frame came, or a framing error failed the connection.
  [[nodiscard]] bool reading_over() const { return close_received_ || fail_after_close_; }

  bool on_frame(const ws::frame_event& ev) {
    using kind = ws::frame_event::kind;
    switch (ev.type) {
      case kind::text:
      case kind::binary: {
        if (closing_) return true;  // after our close frame, the client's messages are dropped until its close
        ws::actions acts;
        if (ev.type == kind::text)
          proto_.text_frame(ev.data, acts);
        else
          proto_.binary_frame(acts);
        apply(acts);
        return !gone_;
      }
      case kind::ping:
        if (!close_sent_) {
          const bool had_backlog = !out_.empty();
          ws::append_frame(out_, ws::opcode::pong, ev.data);
          queued(had_backlog);  // a client that pings and never reads is capped like any other
        }
        return !gone_;
      case kind::pong:
        return true;
      case kind::close:
        // The client closes (or answers our close): the close is echoed, then the server closes the TCP connection.
        close_received_ = true;
        if (!close_sent_) {
          close_sent_ = true;
          closing_ = true;
          if (ev.code == ws::close_no_status)
            ws::append_frame(out_, ws::opcode::close, {});
          else
            ws::append_close_frame(out_, ev.code, {});
          arm_timer(close_timeout);
        }
        finish();
        schedule_flush();
        return false;
      case kind::error:
        // A framing error fails the connection: the close says why, then the socket is closed.
        fail_after_close_ = true;
        if (ev.code == ws::close_too_big) spdlog::info("websocket: connection {}: a message over the size limit", id_);
        close_with(ev.code, std::string(ev.reason));
        return false;
    }
    return false;
  }

  // ---- writing ----

  // Appends one text frame: head, then the shared payload, then tail. A client over its send-queue limit is
  // closed with 1008 (one message waiting is always allowed, however large: the cap is on the backlog).
  void send_text(std::string_view head, const std::string* payload, std::string_view tail) {
    if (closing_ || gone_) return;
    const bool had_backlog = !out_.empty();
    const std::size_t size = head.size() + (payload ? payload->size() : 0) + tail.size();
    ws::append_frame_header(out_, ws::opcode::text, size);
    out_.append(head);
    if (payload) out_.append(*payload);
    out_.append(tail);
    queued(had_backlog);
  }

  // After a frame was queued: written soon, or, past the send-queue limit, the client is closed with 1008.
  void queued(bool had_backlog) {
    if (had_backlog && out_.size() + (wbuf_.size() - wpos_) > s_.options.websocket.max_send_queue_bytes) {
      // The client reads too slowly: what it has not taken (whole frames only) is dropped and it is closed.
      out_.clear();
      spdlog::warn("websocket: send queue over {} bytes, closing a slow client",
                   s_.options.websocket.max_send_queue_bytes);
      close_with(1008, "Send queue limit exceeded: the client reads too slowly");
      return;
    }
    schedule_flush();
  }

  // The write happens once the loop has run what is already queued (results for other connections, perhaps more
  // for this one): one system call per connection per burst.
  void schedule_flush() {
    if (flush_scheduled_) return loop_.touch_deferred();
    if (!writes_open_ || gone_) return;
    flush_scheduled_ = true;
    loop_.defer([self = shared_from_this()] {
      self->flush_scheduled_ = false;
      self->flush();
    });
  }

  // Writes what is queued while the socket takes it; waits for writability when it does not.
  void flush() {
    if (gone_ || write_waiting_) return;
    for (;;) {
      if (wpos_ == wbuf_.size()) {
        wbuf_.clear();
        wpos_ = 0;
        if (out_.empty()) break;
        wbuf_.swap(out_);
      }
      const ssize_t n = ::send(sock_.native_handle(), wbuf_.data() + wpos_, wbuf_.size() - wpos_,
                               MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          write_waiting_ = true;
          sock_.async_wait(tcp::socket::wait_write, [self = shared_from_this()](const boost::system::error_code& ec) {
            self->write_waiting_ = false;
            if (self->gone_) return;
            if (ec) return self->socket_gone();
            self->flush();
          });
          return;
        }
        return socket_gone();
      }
      wpos_ += static_cast<std::size_t>(n);
    }
    // Everything is written: large buffers go (an idle connection keeps small ones).
    if (wbuf_.capacity() > 4096) std::string().swap(wbuf_);
    if (out_.capacity() > 4096) std::string().swap(out_);
    if (close_sent_ && reading_over()) close_socket();
  }

  // ---- closing ----

  // Queues a close frame after what is queued; the client's close (or the timeout) ends the connection.
  void close_with(std::uint16_t code, std::string reason) {
    if (close_sent_ || gone_) return;
    close_sent_ = true;
    closing_ = true;
    ws::append_close_frame(out_, code, reason);
    arm_timer(close_timeout);
    schedule_flush();
    // The operations stop from the loop (never inside a delivery of results, which may be what closes).
    asio::post(ex_, [self = shared_from_this()] { self->finish(); });
  }

  // The close handshake is over (or failed): the server closes the TCP connection.
  void close_socket() {
    boost::system::error_code ignored;
    sock_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_gone();
  }

  // The socket is closed or unusable: everything stops, and the server forgets the connection.
  void socket_gone() {
    if (gone_) return;
    gone_ = true;
    boost::system::error_code ignored;
    sock_.close(ignored);
    timer_.cancel();
    finish();
    ended();
  }

  void ended() {
    if (auto f = std::exchange(on_end, nullptr)) f();
  }

  // One timer per connection: the keep-alive ping while open, the close handshake's limit once closing.
  void arm_timer(std::chrono::milliseconds after) {
    if (after.count() <= 0 || gone_) return;
    timer_.expires_after(after);
    timer_.async_wait([weak = weak_from_this(), closing = closing_](const boost::system::error_code& ec) {
      auto me = weak.lock();
      if (ec || !me || me->gone_) return;
      if (closing) return me->socket_gone();  // the client did not complete the close in time
      me->on_ping_timer();
    });
  }

  // A ping after an interval in which nothing came from the client; closed when two intervals pass in silence.
  void on_ping_timer() {
    if (closing_) return;
    if (heard_) {
      heard_ = false;
      ping_outstanding_ = false;
    } else if (ping_outstanding_) {
      spdlog::info("websocket: connection {} silent for two ping intervals, closing", id_);
      return socket_gone();
    } else {
      ws::append_frame(out_, ws::opcode::ping, {});
      schedule_flush();
      ping_outstanding_ = true;
    }
    arm_timer(s_.options.websocket.ping_interval);
  }

  // Stops every operation and timer; the protocol learns the socket is gone.
  void finish() {
    if (finished_) return;
    finished_ = true;
    closing_ = true;
    ws::actions acts;
    proto_.closed(acts);
    apply(acts);
    for (auto& entry : operations_) entry.second->stream.stop();
    operations_.clear();
    row_ = {};
    init_timer_.cancel();
    keep_alive_timer_.cancel();
    if (accepted_ && s_.options.websocket.hooks.on_disconnect) {
      try {
        s_.options.websocket.hooks.on_disconnect(info());
      } catch (const std::exception& e) {
        spdlog::warn("websocket: on_disconnect threw: {}", e.what());
      }
    }
  }

  void apply(ws::actions& acts) {
    for (auto& a : acts) {
      std::visit([this](auto& x) { act(x); }, a);
    }
  }

  void act(ws::action::send& a) { send_text(a.text, nullptr, {}); }
  void act(ws::action::send_shared& a) { send_text(a.head, a.payload.get(), a.tail); }
  void act(ws::action::close& a) { close_with(a.code, std::move(a.reason)); }
  void act(ws::action::start_timer& a) {
    auto& timer = a.kind == ws::timer_kind::init ? init_timer_ : keep_alive_timer_;
    timer.expires_after(a.after);
    timer.async_wait([weak = weak_from_this(), kind = a.kind](const boost::system::error_code& ec) {
      auto me = weak.lock();
      if (ec || !me || me->finished_) return;
      ws::actions acts;
      me->proto_.timer_fired(kind, acts);
      me->apply(acts);
    });
  }
  void act(ws::action::cancel_timer& a) {
    (a.kind == ws::timer_kind::init ? init_timer_ : keep_alive_timer_).cancel();
  }
  void act(ws::action::authenticate& a) {
    params_ = a.payload;
    connect_result result;
    if (const auto& hook = s_.options.websocket.hooks.on_connect) {
      try {
        result = hook(connect_request{params_, headers_, cookies_, origin_, proto_.kind()});
      } catch (const std::exception& e) {
        result = connect_result::refuse(sluice::value(sluice::object{{"message", e.what()}}));
      }
    }
    // The upgrade's headers served the hook, which runs once (a second connection_init closes the connection).
    std::vector<std::pair<std::string, std::string>>().swap(headers_);
    std::vector<std::pair<std::string, std::string>>().swap(cookies_);
    std::string().swap(origin_);
    ws::actions acts;
    if (result.accepted) {
      accepted_ = true;
      row_ = persisted_connection(s_.options.registry, result.user, "websocket");
      user_ = std::move(result.user);
      data_ = std::move(result.data);
      scope_ = std::move(result.scope);
      proto_.connect_accepted(result.payload, acts);
    } else {
      spdlog::info("websocket: connection {} refused by on_connect", id_);
      proto_.connect_refused(result.payload, acts);
    }
    apply(acts);
  }

  [[nodiscard]] connection_info info() const { return connection_info{id_, proto_.kind(), params_, user_, data_}; }

  // The context of one operation: the context hook's, or the connection's user, parameters, scope and data.
  [[nodiscard]] execution::context context_for(const execution::request& req) const {
    if (const auto& hook = s_.options.websocket.hooks.context) return hook(info(), req);
    execution::context ctx;
    ctx.user = user_;
    ctx.connection_params = params_;
    ctx.app_data = data_;
    ctx.scope = scope_;
    return ctx;
  }
  void act(ws::action::start& a) {
    auto o = std::make_shared<op>();
    operations_[a.id] = o;
    asio::co_spawn(ex_, operation(a.id, o, std::move(a.request)), asio::detached);
  }
  void act(ws::action::stop& a) {
    auto it = operations_.find(a.id);
    if (it == operations_.end()) return;
    it->second->stream.stop();  // a stream not made yet is stopped as soon as subscribe() returns
    operations_.erase(it);
  }

  // Whether `o` is still the operation registered under `id` (not stopped, not replaced).
  [[nodiscard]] bool current(const std::string& id, const std::shared_ptr<op>& o) const {
    auto it = operations_.find(id);
    return !finished_ && it != operations_.end() && it->second == o;
  }

  // One operation: subscribe through the loop's hub, then feed every result to the protocol.
  asio::awaitable<void> operation(std::string id, std::shared_ptr<op> o, execution::request req) {
    auto self = shared_from_this();
    const auto& hooks = s_.options.websocket.hooks;
    execution::context ctx;
    try {
      if (hooks.on_operation_start) hooks.on_operation_start(info(), id, req);
      ctx = context_for(req);
    } catch (const std::exception& e) {
      operations_.erase(id);
      ws::actions acts;
      proto_.operation_response(id, execution::response{{}, {graphql_error{e.what(), {}, {}, {}}}}, acts);
      apply(acts);
      co_return;
    }
    // on_operation_complete runs however the operation ends (also when it is stopped or the connection closes):
    // when the last of this coroutine and the result callbacks lets the guard go.
    auto on_complete = std::make_shared<completion>(self, id);
    if (!ctx.user.is_null()) {
      // A targeted push (notify) is one more result of this operation.
      auto send = [weak = weak_from_this(), id, weak_op = std::weak_ptr<op>(o)](std::string json) {
        auto me = weak.lock();
        auto o2 = weak_op.lock();
        if (!me || !o2 || !me->current(id, o2)) return;
        ws::actions acts;
        me->proto_.operation_result(id, execution::shared_result{std::make_shared<const std::string>(std::move(json)), false},
                                    acts);
        me->apply(acts);
      };
      o->push = s_.register_for_notify(req, ctx, ex_, std::move(send));
    }
    o->row = persisted_subscription(row_, id, req, s_.executor);
    auto result = co_await loop_.hub_for(s_.executor).subscribe(std::move(req), std::move(ctx));
    if (!current(id, o)) co_return;  // stopped meanwhile: a stream it got stops as `result` goes
    if (auto* r = std::get_if<execution::response>(&result)) {
      operations_.erase(id);
      ws::actions acts;
      proto_.operation_response(id, *r, acts);
      apply(acts);
      co_return;
    }
    o->stream = std::move(std::get<execution::response_stream>(result));
    // The results come by callbacks from here: the coroutine (and its frame) ends. A grouped stream pushes each
    // result straight into the send queue; any other is read with next().
    if (!o->stream.push_to(sink_for(o, on_complete))) next_result(std::move(self), std::move(o), std::move(on_complete));
  }

  // Calls on_operation_complete when the operation is over and the last holder lets it go.
  struct completion {
    std::shared_ptr<ws_connection> c;
    std::string id;
    completion(std::shared_ptr<ws_connection> conn, std::string op_id) : c(std::move(conn)), id(std::move(op_id)) {}
    completion(const completion&) = delete;
    completion& operator=(const completion&) = delete;
    ~completion() {
      if (const auto& hook = c->s_.options.websocket.hooks.on_operation_complete) {
        try {
          hook(c->info(), id);
        } catch (const std::exception& e) {
          spdlog::warn("websocket: on_operation_complete threw: {}", e.what());
        }
      }
    }
  };

  // Takes a pushed result into the send queue, inline, while the group delivers it to its other subscribers: it
  // stops no stream itself (the operation leaves the table from the loop). The stream drops the sink when it
  // stops, so a result that reaches it is for the current operation.
  execution::response_stream::result_sink sink_for(const std::shared_ptr<op>& o, std::shared_ptr<completion> done) {
    std::string head = proto_.result_head(done->id);
    return [this, weak_op = std::weak_ptr<op>(o), done = std::move(done), head = std::move(head)](
               const execution::shared_result* r) {
      const std::string& id = done->id;
      if (r != nullptr && !r->final && r->json && !proto_.is_closed()) {
        // The common case, framed here with the envelope made once: what operation_result would send.
        send_text(head, r->json.get(), "}");
        return;
      }
      if (feed_result(id, r)) return;
      asio::post(ex_, [self = shared_from_this(), weak_op, done] {
        if (auto o2 = weak_op.lock(); o2 && self->current(done->id, o2)) self->operations_.erase(done->id);
      });
    };
  }

  // Takes the operation's next result and feeds it to the protocol; again until the stream ends.
  static void next_result(std::shared_ptr<ws_connection> self, std::shared_ptr<op> o, std::shared_ptr<completion> done) {
    auto& stream = o->stream;
    auto loop = self->ex_;
    stream.next(asio::bind_executor(
        loop, [self = std::move(self), o = std::move(o), done = std::move(done)](
                  const std::exception_ptr&, std::optional<execution::shared_result> r) mutable {
          const std::string& id = done->id;
          if (!self->current(id, o)) return;  // stopped by the client: the protocol already sent what it had to
          if (self->feed_result(id, r ? &*r : nullptr)) return next_result(std::move(self), std::move(o), std::move(done));
          if (self->current(id, o)) self->operations_.erase(id);
        }));
  }

  // Feeds one result of an operation's stream to the protocol, or its end (nullptr); false when the operation is
  // over (a final result, or the end, after which the protocol sends complete if nothing ended it before).
  bool feed_result(const std::string& id, const execution::shared_result* r) {
    ws::actions acts;
    if (r != nullptr) {
      proto_.operation_result(id, *r, acts);
      apply(acts);
      if (!r->final) return true;
      acts.clear();
    }
    proto_.operation_complete(id, acts);  // nothing after a final result (the protocol has forgotten the id)
    apply(acts);
    return false;
  }

  static constexpr std::chrono::milliseconds close_timeout{5000};  // for the client's answer to our close

  server::impl& s_;
  std::string answer_;
  event_loop& loop_;
  asio::any_io_executor ex_;
  std::optional<websocket::stream<beast::tcp_stream>> handshake_;  // until the upgrade is answered
  tcp::socket sock_;
  ws::frame_reader reader_;
  ws::protocol proto_;
  bool refused_;
  std::uint64_t id_ = 0;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::vector<std::pair<std::string, std::string>> cookies_;
  std::string origin_;
  sluice::value params_;
  bool accepted_ = false;
  sluice::value user_;
  std::shared_ptr<void> data_;
  std::optional<std::string> scope_;
  persisted_connection row_;  // in the persisted registry while accepted
  std::string out_;           // frames queued, not yet being written
  std::string wbuf_;          // frames being written, from wpos_
  std::size_t wpos_ = 0;
  bool writes_open_ = false;  // the handshake is done: frames may be written
  bool flush_scheduled_ = false;
  bool write_waiting_ = false;  // for writability
  bool closing_ = false;        // no more messages: a close frame is queued, or the connection is ending
  bool close_sent_ = false;
  bool close_received_ = false;
  bool fail_after_close_ = false;  // a framing error: the socket closes once the close frame is written
  bool finished_ = false;
  bool gone_ = false;  // the socket is closed
  bool heard_ = false;  // something came from the client since the last ping check
  bool ping_outstanding_ = false;
  asio::steady_timer init_timer_;
  asio::steady_timer keep_alive_timer_;
  asio::steady_timer timer_;  // keep-alive pings, then the close handshake's limit
  std::unordered_map<std::string, std::shared_ptr<op>> operations_;
};

}  // namespace

void server::impl::start_websocket(std::shared_ptr<connection> c, event_loop& loop, http::request<http::string_body> req,
                                   std::function<void()> done) {
  const auto offered = req[http::field::sec_websocket_protocol];
  auto conn = std::make_shared<ws_connection>(*this, loop, std::move(*c->stream),
                                              ws::choose_subprotocol(std::string_view(offered)),
                                              std::string(ws::answer_name(std::string_view(offered))), req);
  c->stream.reset();
  c->busy = true;
  // From here the tcp_stream belongs to the WebSocket stream: the server reaches the connection through these.
  c->close_gracefully = [weak = std::weak_ptr<ws_connection>(conn)] {
    if (auto me = weak.lock()) me->shutdown();
  };
  c->close_now = [weak = std::weak_ptr<ws_connection>(conn)] {
    if (auto me = weak.lock()) me->abort();
  };
  conn->on_end = [c, done = std::move(done)] {
    c->close_gracefully = nullptr;
    c->close_now = nullptr;
    done();
  };
  auto executor = conn->executor();
  asio::co_spawn(executor, conn->run(std::move(req)), asio::detached);
}

}  // namespace sluice::server
