// The WebSocket protocol's events, shared by both subprotocols: what is ignored after a close, the timers, the
// operation bookkeeping and the close of the connection; each subprotocol's own rules are in its file.
#include "sluice/transport/ws/protocol.hpp"

#include <algorithm>

#include "messages.hpp"

namespace sluice::transport::ws {

protocol::protocol(subprotocol p, protocol_options options) : kind_(p), options_(options) {}

void protocol::close_with(std::uint16_t code, std::string_view reason, actions& out) {
  closed_ = true;
  out.push_back(action::close{code, std::string(detail::fit(reason, detail::max_close_reason))});
}

bool protocol::started(std::string_view id) const {
  auto it = operations_.find(std::string(id));
  return it != operations_.end() && it->second;
}

void protocol::opened(actions& out) {
  if (closed_ || kind_ != subprotocol::graphql_transport_ws) return;
  // graphql-ws has no init timeout (docs/WEBSOCKET.md): the session's idle limits apply.
  if (options_.init_timeout.count() > 0 && !init_received_ && !init_timer_armed_) {
    init_timer_armed_ = true;
    out.push_back(action::start_timer{timer_kind::init, options_.init_timeout});
  }
}

void protocol::text_frame(std::string_view frame, actions& out) {
  if (closed_) return;
  if (kind_ == subprotocol::graphql_transport_ws)
    transport_ws_text(frame, out);
  else
    graphql_ws_text(frame, out);
}

void protocol::binary_frame(actions& out) {
  if (closed_) return;
  if (kind_ == subprotocol::graphql_transport_ws) return close_with(4400, "Invalid message received", out);
  out.push_back(action::send{detail::message_json(
      "connection_error", detail::message_object("Binary messages are not supported: send JSON text frames."))});
}

void protocol::timer_fired(timer_kind kind, actions& out) {
  if (closed_) return;
  if (kind == timer_kind::init) {
    if (!init_timer_armed_) return;  // cancelled, the event was already on its way
    init_timer_armed_ = false;
    // Only whether connection_init arrived counts: an on-connect hook still running at the deadline is no reason
    // to close (as the reference server does).
    if (!init_received_) close_with(4408, "Connection initialisation timeout", out);
    return;
  }
  if (!keep_alive_armed_) return;
  keep_alive_armed_ = false;
  if (kind_ != subprotocol::graphql_ws || !acknowledged_ || options_.keep_alive.count() <= 0) return;
  out.push_back(action::send{detail::message("ka")});
  keep_alive_armed_ = true;
  out.push_back(action::start_timer{timer_kind::keep_alive, options_.keep_alive});
}

void protocol::connect_accepted(const sluice::value& ack_payload, actions& out) {
  if (closed_ || !auth_pending_) return;
  auth_pending_ = false;
  acknowledged_ = true;  // before the ack goes out, so that nothing racing with it finds the connection unacked
  if (kind_ == subprotocol::graphql_transport_ws)
    transport_ws_accepted(ack_payload, out);
  else
    graphql_ws_accepted(out);
}

void protocol::connect_refused(const sluice::value& error_payload, actions& out) {
  if (closed_ || !auth_pending_) return;
  auth_pending_ = false;
  if (kind_ == subprotocol::graphql_transport_ws)
    close_with(4403, "Forbidden", out);
  else
    graphql_ws_refused(error_payload, out);
}

void protocol::operation_response(std::string_view id, const execution::response& r, actions& out) {
  if (closed_) return;
  auto it = operations_.find(std::string(id));
  if (it == operations_.end() || !it->second) return;  // the client stopped it: nothing is sent
  const std::string key = it->first;
  operations_.erase(it);
  if (kind_ == subprotocol::graphql_transport_ws)
    transport_ws_response(key, r, out);
  else
    graphql_ws_response(key, r, out);
}

void protocol::operation_result(std::string_view id, const execution::shared_result& r, actions& out) {
  if (closed_ || !started(id)) return;
  const std::string key(id);
  if (r.final) operations_.erase(key);
  if (kind_ == subprotocol::graphql_transport_ws)
    transport_ws_result(key, r, out);
  else
    graphql_ws_result(key, r, out);
}

std::string protocol::result_head(std::string_view id) const {
  return detail::operation_head(id, kind_ == subprotocol::graphql_transport_ws ? "next" : "data");
}

void protocol::operation_complete(std::string_view id, actions& out) {
  if (closed_ || !started(id)) return;
  operations_.erase(std::string(id));
  out.push_back(action::send{detail::operation_message(id, "complete")});
}

void protocol::closed(actions& out) {
  closed_ = true;
  std::vector<std::string> running;
  running.reserve(operations_.size());
  for (const auto& [id, is_started] : operations_)
    if (is_started) running.push_back(id);
  std::sort(running.begin(), running.end());
  for (auto& id : running) out.push_back(action::stop{std::move(id)});
  operations_.clear();
  queued_.clear();
  if (init_timer_armed_) out.push_back(action::cancel_timer{timer_kind::init});
  if (keep_alive_armed_) out.push_back(action::cancel_timer{timer_kind::keep_alive});
  init_timer_armed_ = keep_alive_armed_ = false;
  auth_pending_ = false;
}

}  // namespace sluice::transport::ws
