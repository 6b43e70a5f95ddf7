// One GraphQL-over-WebSocket connection: Beast glue around transport::ws::protocol (frames in, actions out),
// operations run through the loop's subscription hub, a bounded send queue, ping frames, shutdown with 1001.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/container/devector.hpp>
#include <array>
#include <atomic>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unordered_map>
#include <spdlog/spdlog.h>

#include "persisted.hpp"
#include "server_impl.hpp"

namespace sluice::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ws = transport::ws;

namespace {

// One message waiting to be sent: its own text, or a shared result inside its envelope.
struct outgoing {
  std::string head;
  std::shared_ptr<const std::string> payload;
  std::string tail;
  [[nodiscard]] std::size_t size() const { return head.size() + (payload ? payload->size() : 0) + tail.size(); }
};

// An operation of the connection; its stream once subscribe() has given one.
struct op {
  execution::response_stream stream;
  registration push;           // reachable by notify() while it runs
  persisted_subscription row;  // in the persisted registry while it runs
};

std::atomic<std::uint64_t> next_connection_id{1};

class ws_connection : public std::enable_shared_from_this<ws_connection> {
 public:
  ws_connection(server::impl& s, event_loop& loop, beast::tcp_stream stream, std::optional<ws::subprotocol> p,
                std::string answer, const http::request<http::string_body>& upgrade)
      : s_(s),
        answer_(std::move(answer)),
        loop_(loop),
        ws_(std::move(stream)),
        proto_(p.value_or(ws::subprotocol::graphql_transport_ws), s.options.websocket.protocol),
        refused_(!p.has_value()),
        init_timer_(ws_.get_executor()),
        keep_alive_timer_(ws_.get_executor()) {
    id_ = next_connection_id++;
    for (const auto& field : upgrade) headers_.emplace_back(std::string(field.name_string()), std::string(field.value()));
    origin_ = std::string(upgrade[http::field::origin]);
    if (detail::may_read_cookies(s.options.cors, s.options.websocket.cookies, origin_))
      cookies_ = detail::parse_cookies(upgrade[http::field::cookie]);
  }

  asio::awaitable<void> run(http::request<http::string_body> req) {
    auto self = shared_from_this();
    const auto& o = s_.options.websocket;
    websocket::stream_base::timeout timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    if (o.ping_interval.count() > 0) {
      timeouts.idle_timeout = o.ping_interval * 2;  // a ping after one interval of silence, closed after two
      timeouts.keep_alive_pings = true;
    } else {
      timeouts.idle_timeout = websocket::stream_base::none();
    }
    ws_.set_option(timeouts);
    ws_.read_message_max(o.max_message_bytes);
    ws_.set_option(websocket::stream_base::decorator([answer = answer_](websocket::response_type& res) {
      res.set(http::field::server, "sluice");
      if (!answer.empty()) res.set(http::field::sec_websocket_protocol, answer);  // the name the client offered
    }));
    auto [aec] = co_await ws_.async_accept(req, asio::as_tuple(asio::use_awaitable));
    { auto done = std::move(req); }  // the upgrade request's fields would otherwise live as long as the connection
    if (aec) {
      ended();
      co_return;
    }

    writes_open_ = true;  // messages queued so far (none, or a refusal's close) go out now
    write_next();

    if (refused_) {
      // No subprotocol both sides speak: the upgrade succeeds and the close says why (as graphql-ws does).
      close_with(4406, "Subprotocol not acceptable");
    } else {
      ws::actions acts;
      proto_.opened(acts);
      apply(acts);
    }
    // From here reads are driven by their completions: an idle connection holds no coroutine frame.
    read_next();
  }

  // What runs when the connection is over (the server forgets it); set before run().
  std::function<void()> on_end;

  // Reads the next piece of a message; a whole message goes to the protocol, then the next is read.
  void read_next() {
    if (closing_) {
      finish();
      ended();
      return;
    }
    // Pieces of at most 128 bytes (Beast copies them out of its own frame buffer): Beast's read prepares the whole
    // piece before waiting, and an idle connection would otherwise hold a buffer of its read size hint (1.5 KiB).
    ws_.async_read_some(read_buffer_, 128, [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
      if (ec) {
        if (ec == websocket::error::message_too_big) self->close_with(1009, "Message too big");
        self->finish();
        self->ended();
        return;
      }
      if (self->ws_.is_message_done()) {
        ws::actions acts;
        auto& buffer = self->read_buffer_;
        if (self->ws_.got_text())
          self->proto_.text_frame(std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size()), acts);
        else
          self->proto_.binary_frame(acts);
        buffer.consume(buffer.size());
        buffer.shrink_to_fit();  // an idle connection keeps no read buffer of its own (Beast's frame buffer is enough)
        self->apply(acts);
      }
      self->read_next();
    });
  }

  void ended() {
    if (auto f = std::exchange(on_end, nullptr)) f();
  }

  void shutdown() {
    if (closing_) return;
    ws::actions acts;
    proto_.closed(acts);  // stops the operations first
    apply(acts);
    close_with(1001, "Server shutting down");
  }

  // TCP_CORK on the socket; false when it could not be set.
  bool cork(bool on) {
    const int value = on ? 1 : 0;
    return ::setsockopt(beast::get_lowest_layer(ws_).socket().native_handle(), IPPROTO_TCP, TCP_CORK, &value,
                        sizeof value) == 0;
  }

  [[nodiscard]] asio::any_io_executor executor() { return ws_.get_executor(); }

  void abort() {
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

 private:
  // Stops every operation and timer; the protocol learns the socket is gone.
  void finish() {
    if (finished_) return;
    finished_ = true;
    ws::actions acts;
    proto_.closed(acts);
    apply(acts);
    for (auto& entry : operations_) entry.second->stream.stop();
    operations_.clear();
    row_ = {};
    init_timer_.cancel();
    keep_alive_timer_.cancel();
    closing_ = true;
    write_next();
    if (accepted_ && s_.options.websocket.hooks.on_disconnect) {
      try {
        s_.options.websocket.hooks.on_disconnect(info());
      } catch (const std::exception& e) {
        spdlog::warn("websocket: on_disconnect threw: {}", e.what());
      }
    }
  }

  void close_with(std::uint16_t code, std::string reason) {
    if (close_) return;
    close_ = websocket::close_reason(static_cast<websocket::close_code>(code), reason);
    closing_ = true;
    write_next();
  }

  void enqueue(outgoing m) {
    if (closing_) return;
    queued_bytes_ += m.size();
    queue_.push_back(std::move(m));
    if (queued_bytes_ > s_.options.websocket.max_send_queue_bytes && queue_.size() > 1) {
      // The client reads too slowly: what it has not taken is dropped and it is closed. (One message waiting
      // is always allowed, however large: the cap is on the backlog, not on the size of a result.)
      queue_.clear();
      queued_bytes_ = 0;
      spdlog::warn("websocket: send queue over {} bytes, closing a slow client",
                   s_.options.websocket.max_send_queue_bytes);
      close_with(1008, "Send queue limit exceeded: the client reads too slowly");
      return;
    }
    write_next();
  }

  // Sends the next queued message, or when none is left and the connection is closing, the close frame. One write
  // at a time, each completion starting the next: no coroutine or timer waits for messages on an idle connection.
  void write_next() {
    if (!writes_open_ || writing_) return;
    if (queue_.empty()) {
      if (corked_) corked_ = !cork(false);
      if (closing_ && close_ && !close_sent_) send_close();
      return;
    }
    // Several messages waiting: corked, they leave in as few TCP segments as the kernel can make of them.
    if (!corked_ && queue_.size() > 1) corked_ = cork(true);
    writing_ = true;
    current_ = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= current_.size();
    const std::array<asio::const_buffer, 3> buffers{asio::buffer(current_.head),
                                                   current_.payload ? asio::buffer(*current_.payload) : asio::const_buffer(),
                                                   asio::buffer(current_.tail)};
    ws_.async_write(buffers, [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
      self->writing_ = false;
      self->current_ = {};
      if (ec) {
        self->finish();
        return;
      }
      self->write_next();
    });
  }

  void send_close() {
    close_sent_ = true;
    // A close that does not complete (the client reads nothing) is cut short.
    auto limit = std::make_shared<asio::steady_timer>(ws_.get_executor(), std::chrono::seconds(5));
    limit->async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      if (auto me = weak.lock(); me && !ec) me->abort();
    });
    ws_.async_close(*close_, [self = shared_from_this(), limit](const boost::system::error_code&) { limit->cancel(); });
  }

  void apply(ws::actions& acts) {
    for (auto& a : acts) {
      std::visit([this](auto& x) { act(x); }, a);
    }
  }

  void act(ws::action::send& a) { enqueue(outgoing{std::move(a.text), nullptr, {}}); }
  void act(ws::action::send_shared& a) { enqueue(outgoing{std::move(a.head), std::move(a.payload), std::move(a.tail)}); }
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
    asio::co_spawn(ws_.get_executor(), operation(a.id, o, std::move(a.request)), asio::detached);
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
      o->push = s_.register_for_notify(req, ctx, ws_.get_executor(), std::move(send));
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
    // The results are taken by callbacks from here: the coroutine (and its frame) ends, a live subscription holds
    // only its stream and one pending callback.
    next_result(std::move(self), std::move(o), std::move(on_complete));
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

  // Takes the operation's next result and feeds it to the protocol; again until the stream ends.
  static void next_result(std::shared_ptr<ws_connection> self, std::shared_ptr<op> o, std::shared_ptr<completion> done) {
    auto& stream = o->stream;
    auto loop = self->ws_.get_executor();
    stream.next(asio::bind_executor(
        loop, [self = std::move(self), o = std::move(o), done = std::move(done)](
                  const std::exception_ptr&, std::optional<execution::shared_result> r) mutable {
          const std::string& id = done->id;
          if (!self->current(id, o)) return;  // stopped by the client: the protocol already sent what it had to
          if (r) {
            ws::actions acts;
            self->proto_.operation_result(id, *r, acts);
            self->apply(acts);
            if (!r->final) {
              next_result(std::move(self), std::move(o), std::move(done));
              return;
            }
            if (!self->current(id, o)) return;
          }
          self->operations_.erase(id);
          ws::actions acts;
          self->proto_.operation_complete(id, acts);
          self->apply(acts);
        }));
  }

  server::impl& s_;
  std::string answer_;
  event_loop& loop_;
  websocket::stream<beast::tcp_stream> ws_;
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
  boost::container::devector<outgoing> queue_;  // allocates nothing while empty (std::deque takes ~600 bytes)
  std::size_t queued_bytes_ = 0;
  std::optional<websocket::close_reason> close_;
  bool closing_ = false;
  bool finished_ = false;
  bool writes_open_ = false;  // accepted: messages may be written
  bool writing_ = false;
  bool corked_ = false;
  bool close_sent_ = false;
  outgoing current_;  // the message being written
  beast::flat_buffer read_buffer_;
  asio::steady_timer init_timer_;
  asio::steady_timer keep_alive_timer_;
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
