// hiredis_asio: drives a hiredis asynchronous context from an Asio io_context (hiredis has no adapter).
#pragma once

struct redisAsyncContext;

namespace boost::asio {
class io_context;
}

namespace sluice::pubsub::detail {

// Called (on the io_context's thread, from inside hiredis) when hiredis frees the context, after its pending
// callbacks ran and before it closes the socket; `ac` is still readable then (its error string, say).
using hiredis_cleanup_fn = void (*)(void* arg, redisAsyncContext* ac);

// Installs hooks on `ac` (a fresh context from redisAsyncConnect, without error) so that the io_context
// watches its socket and calls redisAsyncHandleRead / redisAsyncHandleWrite when it is ready. Asio never owns
// the socket: hiredis closes it when it frees the context. Every use of `ac` must stay on the io_context's
// one thread. Returns false (nothing installed; the caller frees the context) when Asio cannot watch the
// socket.
[[nodiscard]] bool attach_asio(redisAsyncContext* ac, boost::asio::io_context& io,
                               hiredis_cleanup_fn on_cleanup, void* arg);

}  // namespace sluice::pubsub::detail
