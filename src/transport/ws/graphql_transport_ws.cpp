// graphql-transport-ws (the graphql-ws library's protocol): connection_init and its ack, ping and pong, subscribe,
// next, error and complete, and the 44xx closes (PROTOCOLS.md section 1, docs/WEBSOCKET.md).
#include <string>

#include "messages.hpp"
#include "sluice/core/error.hpp"
#include "sluice/core/json.hpp"
#include "sluice/transport/ws/protocol.hpp"

namespace sluice::transport::ws {
namespace {

constexpr std::string_view subscriber_exists_prefix = "Subscriber for ";
constexpr std::string_view subscriber_exists_suffix = " already exists";

// "Subscriber for <id> already exists", the id shortened when the whole would not fit in a close frame.
std::string subscriber_exists(std::string_view id) {
  std::string reason(subscriber_exists_prefix);
  reason += detail::fit(
      id, detail::max_close_reason - subscriber_exists_prefix.size() - subscriber_exists_suffix.size());
  reason += subscriber_exists_suffix;
  return reason;
}

// [{"message":M}]
std::string error_list(std::string_view message) {
  std::string out = "[";
  out += detail::message_object(message);
  out.push_back(']');
  return out;
}

}  // namespace

void protocol::transport_ws_text(std::string_view frame, actions& out) {
  auto m = detail::read_transport_ws_message(frame);
  if (!m) return close_with(4400, "Invalid message received", out);
  switch (m->type) {
    case detail::client_type::connection_init:
      // A second one, while the first is being answered or after the ack.
      if (init_received_) return close_with(4429, "Too many initialisation requests", out);
      init_received_ = true;
      if (m->payload.is_object()) connection_params_ = std::move(m->payload);
      if (init_timer_armed_) {
        init_timer_armed_ = false;
        out.push_back(action::cancel_timer{timer_kind::init});
      }
      auth_pending_ = true;
      out.push_back(action::authenticate{connection_params_});
      return;
    case detail::client_type::ping:
      // In any state, before init too; the payload is echoed.
      out.push_back(action::send{m->payload.is_null() ? detail::message("pong") : detail::message("pong", m->payload)});
      return;
    case detail::client_type::pong:
      return;
    case detail::client_type::subscribe:
      return transport_ws_subscribe(std::move(m->id), std::move(m->request), out);
    case detail::client_type::complete:
      // The client stops listening: nothing is sent back. An unknown (or finished) id is ignored.
      if (auto it = operations_.find(m->id); it != operations_.end()) {
        operations_.erase(it);
        out.push_back(action::stop{std::move(m->id)});
      }
      return;
    default:
      return close_with(4400, "Invalid message received", out);  // (not produced by the reader)
  }
}

void protocol::transport_ws_subscribe(std::string id, execution::request request, actions& out) {
  if (!acknowledged_) return close_with(4401, "Unauthorized", out);
  // Active means started or still being prepared: the id is reserved the moment the subscribe arrives.
  if (operations_.contains(id)) return close_with(4409, subscriber_exists(id), out);
  if (operations_.size() >= options_.max_operations) {
    out.push_back(action::send{detail::operation_message(
        id, "error",
        error_list("Too many operations on this connection (at most " + std::to_string(options_.max_operations) +
                   ")."))});
    return;
  }
  operations_.emplace(id, true);
  out.push_back(action::start{std::move(id), std::move(request)});
}

void protocol::transport_ws_accepted(const sluice::value& ack_payload, actions& out) {
  out.push_back(action::send{ack_payload.is_object() ? detail::message("connection_ack", ack_payload)
                                                     : detail::message("connection_ack")});
}

void protocol::transport_ws_response(const std::string& id, const execution::response& r, actions& out) {
  if (!r.has_data() && !r.errors.empty()) {
    // Refused before execution (syntax, validation, variables, no source): one error message, no complete.
    std::string errors;
    write_errors_json(errors, r.errors);
    out.push_back(action::send{detail::operation_message(id, "error", errors)});
    return;
  }
  out.push_back(action::send{detail::operation_message(id, "next", r.to_json())});
  out.push_back(action::send{detail::operation_message(id, "complete")});
}

void protocol::transport_ws_result(const std::string& id, const execution::shared_result& r, actions& out) {
  if (!r.final) {
    static const auto empty = std::make_shared<const std::string>("{}");
    out.push_back(action::send_shared{result_head(id), r.json ? r.json : empty, "}"});
    return;
  }
  // The stream ended with an error: the errors go out as an error message, and no complete follows.
  std::string errors;
  if (auto list = r.json ? detail::errors_of(*r.json) : std::nullopt)
    json::write(errors, *list);
  else
    errors = error_list("The operation ended with an error.");
  out.push_back(action::send{detail::operation_message(id, "error", errors)});
}

}  // namespace sluice::transport::ws
