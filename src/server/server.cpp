// The listener, the event loops and the graceful shutdown.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <stdexcept>
#include <spdlog/spdlog.h>
#include <system_error>
#include <thread>

#include "server_impl.hpp"

namespace sluice::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

server::impl::impl(const execution::executor& ex, server_options o)
    : executor(ex), options(std::move(o)), graphql(ex) {
  if (options.sse.single_connection && options.sse.require_authentication && !options.http.authenticate)
    throw std::invalid_argument("sse.require_authentication needs an http.authenticate hook to say who is who");
  reservations = options.sse.store ? options.sse.store
                                   : transport::sse::make_memory_reservation_store(options.sse.reservations);
  registry = std::make_shared<subscription_registry>(ex);
  unsigned n = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) loops.push_back(std::make_unique<event_loop>());
}

void event_loop::run_deferred() {
  // The first rounds let what is already queued run (a request read, the event it published, its delivery: a
  // round each); more follow while those handlers keep adding (the next events of a burst), up to a limit, so that
  // their messages join the same writes. A round with nothing else to run costs one post.
  if (deferred_rounds < min_deferred_rounds ||
      (deferred_rounds < max_deferred_rounds && activity != activity_seen)) {
    ++deferred_rounds;
    activity_seen = activity;
    boost::asio::post(io, [this] { run_deferred(); });
    return;
  }
  deferred_posted = false;
  deferred.swap(deferred_running);
  for (auto& f : deferred_running) f();
  deferred_running.clear();
}

server::server(const execution::executor& ex, server_options options)
    : impl_(std::make_shared<impl>(ex, std::move(options))) {
  spdlog::set_level(spdlog::level::from_str(impl_->options.log_level));
}

server::~server() {
  // A server that never ran, or has stopped: nothing runs any more; the loops go with the impl.
  if (impl_->acceptor) {
    boost::system::error_code ignored;
    impl_->acceptor->close(ignored);
  }
}

void server::listen() {
  auto& m = *impl_;
  auto& io = m.loops.front()->io;
  const auto address = asio::ip::make_address(m.options.host);
  m.acceptor.emplace(io);
  tcp::endpoint endpoint(address, m.options.port);
  m.acceptor->open(endpoint.protocol());
  m.acceptor->set_option(asio::socket_base::reuse_address(true));
  m.acceptor->bind(endpoint);
  m.acceptor->listen(asio::socket_base::max_listen_connections);
  if (m.options.handle_signals) {
    m.signals.emplace(io, SIGINT, SIGTERM);
    m.signals->async_wait([weak = std::weak_ptr<impl>(impl_)](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (auto self = weak.lock()) {
        spdlog::info("signal {}: shutting down (grace {} ms)", signal, self->options.shutdown_grace.count());
        self->begin_stop();
      }
    });
  }
  m.listening = true;
  m.start_accepting();
  if (m.options.broker) asio::co_spawn(io, m.receive_notifications(), asio::detached);
}

std::uint16_t server::port() const { return impl_->acceptor ? impl_->acceptor->local_endpoint().port() : 0; }

void server::run() {
  auto& loops = impl_->loops;
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < loops.size(); ++i) threads.emplace_back([&, i] { loops[i]->io.run(); });
  loops.front()->io.run();
  for (auto& t : threads) t.join();
}

void server::stop() {
  asio::post(impl_->loops.front()->io, [m = impl_.get()] { m->begin_stop(); });
}

void server::impl::start_accepting() {
  accept_started = true;
  asio::co_spawn(loops.front()->io, accept_loop(), asio::detached);
}

// Coroutines and handlers refer to the impl by `this`: they run only inside run(), and those left waiting when the
// loops stop are destroyed with the loops, which the impl owns.
asio::awaitable<void> server::impl::accept_loop() {
  while (!stopping) {
    event_loop& loop = *loops[next_loop++ % loops.size()];
    auto [ec, socket] = co_await acceptor->async_accept(loop.io, asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) break;
      spdlog::warn("accept failed: {}", ec.message());  // out of descriptors, say: keep serving the others
      continue;
    }
    ++sessions;
    // Small messages (results, pings) leave at once; several queued ones are batched with TCP_CORK instead.
    boost::system::error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    auto c = std::make_shared<connection>(std::move(socket));
    asio::co_spawn(loop.io, session(std::move(c), loop), asio::detached);
  }
  accepting_done = true;
  finish_if_done();
}

// On loops[0].
void server::impl::begin_stop() {
  if (stopping.exchange(true)) return;
  listening = false;
  boost::system::error_code ignored;
  if (acceptor) acceptor->close(ignored);  // the accept loop ends
  if (signals) signals->cancel(ignored);
  reservations->shutdown();  // operations of streams not open yet stop too
  notify_stream.stop();
  // Idle connections close now; busy ones after their response (their sessions see `stopping`).
  for (auto& loop : loops) {
    asio::post(loop->io, [&l = *loop] {
      for (auto& weak : l.connections) {
        auto c = weak.lock();
        if (!c) continue;
        if (c->close_gracefully)
          c->close_gracefully();
        else if (!c->busy && c->stream)
          c->stream->socket().close();
      }
    });
  }
  grace.emplace(loops.front()->io, options.shutdown_grace);
  grace->async_wait([this](const boost::system::error_code& ec) {
    if (ec || finished.exchange(true)) return;
    spdlog::warn("shutdown grace of {} ms is over: closing {} connection(s)", options.shutdown_grace.count(),
                 sessions.load());
    // Every connection closes; what was still running is abandoned (and destroyed with the loops).
    for (auto& loop : loops) {
      asio::post(loop->io, [&l = *loop] {
        for (auto& weak : l.connections) {
          auto c = weak.lock();
          if (!c) continue;
          if (c->close_now)
            c->close_now();
          else if (c->stream)
            c->stream->socket().close();
        }
        l.work.reset();
        l.io.stop();
      });
    }
  });
  finish_if_done();
}

void server::impl::session_ended() {
  if (--sessions == 0 && stopping) asio::post(loops.front()->io, [this] { finish_if_done(); });
}

// On loops[0]: once nothing is left, the loops run out of work and run() returns.
void server::impl::finish_if_done() {
  if (!stopping || sessions.load() != 0 || (accept_started && !accepting_done)) return;
  if (finished.exchange(true)) return;
  if (grace) grace->cancel();
  for (auto& loop : loops) asio::post(loop->io, [&l = *loop] { l.work.reset(); });
  spdlog::info("stopped");
}

}  // namespace sluice::server
