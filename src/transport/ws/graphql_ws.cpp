// graphql-ws, the legacy protocol of subscriptions-transport-ws: connection_init (operations queued until the ack),
// ka, start, stop, data, error, complete, connection_error and connection_terminate (PROTOCOLS.md section 2,
// docs/WEBSOCKET.md).
#include <algorithm>
#include <string>

#include "messages.hpp"
#include "sluice/core/json.hpp"
#include "sluice/transport/ws/protocol.hpp"

namespace sluice::transport::ws {

void protocol::graphql_ws_text(std::string_view frame, actions& out) {
  auto read = detail::read_graphql_ws_message(frame);
  if (auto* bad = std::get_if<detail::not_json>(&read)) {
    // The connection stays open (as the reference server does).
    out.push_back(action::send{detail::message_json("connection_error", detail::message_object(bad->message))});
    return;
  }
  if (auto* invalid = std::get_if<detail::invalid_message>(&read)) {
    // The error carries the message's id, and a client takes an error as the end of that operation: when the id
    // is an active one, it is stopped, so that nothing more is sent for it.
    if (invalid->id) graphql_ws_forget(*invalid->id, out);
    std::string text = "{\"type\":\"error\"";
    if (invalid->id) {
      text += ",\"id\":";
      json::write_string(text, *invalid->id);
    }
    text += ",\"payload\":";
    text += detail::message_object("Invalid message type!");
    text.push_back('}');
    out.push_back(action::send{std::move(text)});
    return;
  }
  auto& m = std::get<detail::client_message>(read);
  switch (m.type) {
    case detail::client_type::connection_init:
      if (init_received_) return;  // a second one is ignored (docs/WEBSOCKET.md)
      init_received_ = true;
      if (m.payload.is_object()) connection_params_ = std::move(m.payload);
      auth_pending_ = true;
      out.push_back(action::authenticate{connection_params_});
      return;
    case detail::client_type::connection_terminate:
      return close_with(1000, "", out);
    case detail::client_type::start:
      return graphql_ws_start(std::move(m.id), std::move(m.request), out);
    case detail::client_type::stop:
      return graphql_ws_stop(m.id, out);
    default:
      return;  // (not produced by the reader)
  }
}

void protocol::graphql_ws_start(std::string id, execution::request request, actions& out) {
  // The same id again replaces the operation, silently (as the reference server does).
  if (!graphql_ws_forget(id, out) && operations_.size() >= options_.max_operations) {
    out.push_back(action::send{detail::operation_message(
        id, "error",
        detail::message_object("Too many operations on this connection (at most " +
                               std::to_string(options_.max_operations) + ")."))});
    return;
  }
  if (!acknowledged_) {
    // The official client sends its starts right behind connection_init: they wait for the ack, in order.
    operations_.emplace(id, false);
    queued_.emplace_back(std::move(id), std::move(request));
    return;
  }
  operations_.emplace(id, true);
  out.push_back(action::start{std::move(id), std::move(request)});
}

bool protocol::graphql_ws_forget(const std::string& id, actions& out) {
  auto it = operations_.find(id);
  if (it == operations_.end()) return false;
  if (it->second)
    out.push_back(action::stop{id});
  else
    std::erase_if(queued_, [&](const auto& q) { return q.first == id; });
  operations_.erase(it);
  return true;
}

void protocol::graphql_ws_stop(const std::string& id, actions& out) {
  if (!graphql_ws_forget(id, out)) return;  // unknown or finished: ignored
  // The reference server confirms a stop with complete.
  out.push_back(action::send{detail::operation_message(id, "complete")});
}

void protocol::graphql_ws_accepted(actions& out) {
  out.push_back(action::send{detail::message("connection_ack")});
  if (options_.keep_alive.count() > 0) {
    out.push_back(action::send{detail::message("ka")});
    keep_alive_armed_ = true;
    out.push_back(action::start_timer{timer_kind::keep_alive, options_.keep_alive});
  }
  for (auto& [id, request] : queued_) {
    operations_[id] = true;
    out.push_back(action::start{std::move(id), std::move(request)});
  }
  queued_.clear();
}

void protocol::graphql_ws_refused(const sluice::value& error_payload, actions& out) {
  out.push_back(action::send{error_payload.is_null()
                                 ? detail::message_json("connection_error",
                                                        detail::message_object("Prohibited connection!"))
                                 : detail::message("connection_error", error_payload)});
  close_with(1011, "", out);
}

void protocol::graphql_ws_response(const std::string& id, const execution::response& r, actions& out) {
  // With data, or errors from before execution: a data message ({"errors":[...]} when there is no data; the
  // reference server answers validation errors so), then complete.
  out.push_back(action::send{detail::operation_message(id, "data", r.to_json())});
  out.push_back(action::send{detail::operation_message(id, "complete")});
}

void protocol::graphql_ws_result(const std::string& id, const execution::shared_result& r, actions& out) {
  if (!r.final) {
    static const auto empty = std::make_shared<const std::string>("{}");
    out.push_back(action::send_shared{result_head(id), r.json ? r.json : empty, "}"});
    return;
  }
  // The stream ended with an error: error carries one error object here, and no complete follows.
  std::string error;
  if (auto list = r.json ? detail::errors_of(*r.json) : std::nullopt)
    json::write(error, list->as_list().front());
  else
    error = detail::message_object("The operation ended with an error.");
  out.push_back(action::send{detail::operation_message(id, "error", error)});
}

}  // namespace sluice::transport::ws
