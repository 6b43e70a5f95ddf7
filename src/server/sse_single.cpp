// Single-connection SSE, the steps answered over plain HTTP: PUT reserves a stream (201 and the token), POST or
// GET with the token and extensions.operationId runs an operation whose events go to that stream (202), DELETE
// ?operationId= stops one (200). The reservation and its operations live in the reservation store.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "persisted.hpp"
#include "server_impl.hpp"

namespace sluice::server {

namespace asio = boost::asio;
namespace sse = transport::sse;
using transport::http::http_response;

namespace {

// An operation running for a reservation, on the loop of the request that started it.
struct reserved_operation {
  std::shared_ptr<sse::reservation_store> store;
  std::string token;
  std::string id;
  execution::response_stream stream;
  registration push;  // reachable by notify() while it runs
  // In the persisted registry while it runs, as distinct mode's streams are: a connection (this node's part of
  // the reservation) with one subscription.
  persisted_connection row;
  persisted_subscription subscription_row;
  bool stopped = false;
};

// Its results to the store (which sends them to the stream, or queues them), then `complete`.
asio::awaitable<void> pump(std::shared_ptr<reserved_operation> op) {
  while (auto item = co_await op->stream.next()) {
    op->store->deliver(op->token, op->id, sse::next_event(op->id, *item->json), false);
    if (item->final) break;
  }
  // (Ignored by the store when the operation was stopped: DELETE already sent its `complete`.)
  op->store->deliver(op->token, op->id, sse::complete_event(op->id), true);
}

http_response accepted() {
  http_response res;
  res.status = 202;
  return res;
}

}  // namespace

asio::awaitable<http_response> server::impl::single_connection_step(sse::single_step step, event_loop& loop,
                                                                     const transport::http::http_request& req,
                                                                     std::string token, std::string owner,
                                                                     execution::context ctx) {
  switch (step) {
    case sse::single_step::reserve: {
      if (auto refused = sse::reserve_refusal(req.accept)) co_return std::move(*refused);
      const bool replace = options.sse.second_reservation == reservation_policy::replace;
      auto r = co_await reservations->reserve(std::move(owner), std::move(token), replace);
      if (r.status == sse::reserve_status::already_registered) co_return sse::refusal(409, "Stream already registered");
      if (r.status == sse::reserve_status::full)
        co_return sse::refusal(503, "Too many streams are reserved; try again later");
      co_return sse::reserved(r.token);
    }
    case sse::single_step::stop: {
      if (token.empty()) co_return sse::refusal(404, "Stream not found");
      std::string id = sse::operation_id_param(req.target);
      if (id.empty()) co_return sse::refusal(400, "Operation ID is missing: pass it as ?operationId=");
      auto stopped = co_await reservations->stop(std::move(token), std::move(owner), std::move(id));
      if (stopped == sse::stop_status::not_found) co_return sse::refusal(404, "Stream not found");
      http_response res;
      res.status = 200;
      co_return res;
    }
    case sse::single_step::run:
      break;
    default:
      co_return sse::method_refusal();
  }

  auto read = sse::read_operation(req, executor);
  if (auto* refused = std::get_if<http_response>(&read)) co_return std::move(*refused);
  auto& operation = std::get<sse::operation>(read);
  auto op = std::make_shared<reserved_operation>();
  op->store = reservations;
  op->token = token;
  op->id = operation.id;
  // A stop may come from any thread, before the operation has its stream or while it runs.
  auto stop = [weak = std::weak_ptr<reserved_operation>(op), ex = loop.io.get_executor()] {
    asio::post(ex, [weak] {
      if (auto o = weak.lock()) {
        o->stopped = true;
        o->stream.stop();
      }
    });
  };
  const auto started = co_await reservations->start(std::move(token), std::move(owner), operation.id, stop);
  if (started == sse::start_status::not_found) co_return sse::refusal(404, "Stream not found");
  if (started == sse::start_status::duplicate) co_return sse::refusal(409, "Operation with ID already exists");
  if (started == sse::start_status::too_many) co_return sse::refusal(409, "Too many operations run on this stream");

  if (!ctx.user.is_null()) {
    // A targeted push (notify) is one more `next` (the store drops it once the operation has ended).
    auto send = [store = reservations, token = op->token, id = op->id](std::string json) {
      store->deliver(token, id, sse::next_event(id, json), false);
    };
    op->push = register_for_notify(operation.request, ctx, loop.io.get_executor(), std::move(send));
  }
  op->row = persisted_connection(options.registry, ctx.user, "sse");
  op->subscription_row = persisted_subscription(op->row, op->id, operation.request, executor);
  auto result = co_await loop.hub_for(executor).subscribe(std::move(operation.request), std::move(ctx));
  if (auto* r = std::get_if<execution::response>(&result)) {
    if (!r->has_data()) {
      // Refused before it ran (syntax, validation, variables): the answer says why; the stream sees nothing.
      reservations->forget(op->token, op->id);
      http_response res;
      res.status = 400;
      res.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
      res.body = r->to_json();
      co_return res;
    }
    reservations->deliver(op->token, op->id, sse::next_event(op->id, r->to_json()), false);
    reservations->deliver(op->token, op->id, sse::complete_event(op->id), true);
    co_return accepted();
  }
  op->stream = std::move(std::get<execution::response_stream>(result));
  if (op->stopped) op->stream.stop();
  asio::co_spawn(loop.io, pump(op), asio::detached);
  co_return accepted();
}

}  // namespace sluice::server
