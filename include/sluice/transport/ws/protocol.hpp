// GraphQL over WebSocket, both subprotocols, as a state machine without I/O: frames, timer events and operation
// results in; frames to send, timers, operations to start and stop, and closes out. The server's WebSocket
// session is thin glue around it (docs/WEBSOCKET.md has the rules and the choices made).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "sluice/core/value.hpp"
#include "sluice/execution/request.hpp"
#include "sluice/execution/subscription.hpp"

namespace sluice::transport::ws {

enum class subprotocol {
  graphql_transport_ws,  // "graphql-transport-ws", the graphql-ws library
  graphql_ws,            // "graphql-ws", the legacy subscriptions-transport-ws (also offered as "graphql-subscriptions")
};

// The subprotocol to accept from a Sec-WebSocket-Protocol header (a comma-separated list): graphql-transport-ws
// when offered, else the legacy protocol when "graphql-ws" or "graphql-subscriptions" is offered, else nullopt
// (the upgrade is refused).
[[nodiscard]] std::optional<subprotocol> choose_subprotocol(std::string_view sec_websocket_protocol);
// The name to answer in Sec-WebSocket-Protocol.
[[nodiscard]] std::string_view name_of(subprotocol p);
// The name to answer for this header: name_of(*choose_subprotocol(h)), except "graphql-subscriptions" when the
// client offered only that older legacy name (RFC 6455: a client fails a handshake answered with a name it did
// not offer). Empty when nothing is acceptable.
[[nodiscard]] std::string_view answer_name(std::string_view sec_websocket_protocol);

struct protocol_options {
  // graphql-transport-ws: without connection_init by then, close 4408. Zero: no limit.
  std::chrono::milliseconds init_timeout{3000};
  // graphql-ws: a `ka` message right after connection_ack and then at this interval. Zero: none.
  std::chrono::milliseconds keep_alive{12000};
  // Operations active at once on one connection; one more gets an error message (the connection stays).
  std::size_t max_operations = 200;
};

enum class timer_kind { init, keep_alive };

namespace action {
// One text frame.
struct send {
  std::string text;
};
// One text frame made of head + *payload + tail: a shared result inside its envelope, without copying it.
struct send_shared {
  std::string head;
  std::shared_ptr<const std::string> payload;
  std::string tail;
};
// Close the WebSocket with this code and reason (nothing is sent after it).
struct close {
  std::uint16_t code = 1000;
  std::string reason;
};
struct start_timer {
  timer_kind kind;
  std::chrono::milliseconds after;
};
struct cancel_timer {
  timer_kind kind;
};
// Run the on-connect hook with the connection_init payload (an object, or null); answer with
// protocol::connect_accepted or protocol::connect_refused.
struct authenticate {
  sluice::value payload;
};
// Start an operation: subscribe(request) on the engine; feed what it gives back to operation_response,
// operation_result and operation_complete under this id.
struct start {
  std::string id;
  execution::request request;
};
// Stop an operation (the client stopped it, it was replaced, or the connection is closing). Nothing more is
// sent for it; the session need not report its completion.
struct stop {
  std::string id;
};
}  // namespace action

using action_t = std::variant<action::send, action::send_shared, action::close, action::start_timer,
                              action::cancel_timer, action::authenticate, action::start, action::stop>;
using actions = std::vector<action_t>;

class protocol {
 public:
  protocol(subprotocol p, protocol_options options = {});

  [[nodiscard]] subprotocol kind() const { return kind_; }

  // Events. Each appends the actions to take, in order, to `out`. After an action::close, every event is ignored
  // (but closed() still stops the active operations).
  void opened(actions& out);
  void text_frame(std::string_view frame, actions& out);
  void binary_frame(actions& out);
  void timer_fired(timer_kind kind, actions& out);
  // The answer to action::authenticate. An accepted payload that is an object goes into connection_ack. Ignored
  // when no action::authenticate is waiting for an answer.
  void connect_accepted(const sluice::value& ack_payload, actions& out);
  void connect_refused(const sluice::value& error_payload, actions& out);
  // What subscribe() gave for an operation: a response (a query's or mutation's result, or errors from before
  // execution), after which the operation is over.
  void operation_response(std::string_view id, const execution::response& r, actions& out);
  // One result of a subscription's stream (final: it carries the error that ends the stream).
  void operation_result(std::string_view id, const execution::shared_result& r, actions& out);
  // The envelope of a subscription's results that are not final, up to the payload (the rest is "}"), for a session
  // that frames them itself: what operation_result sends for them while the operation runs and the connection is
  // not closed.
  [[nodiscard]] std::string result_head(std::string_view id) const;
  // The subscription's stream ended after its last result.
  void operation_complete(std::string_view id, actions& out);
  // The socket closed (either side): every active operation is stopped (in id order) and the timers cancelled;
  // nothing is sent. The session must not feed results of an operation once it was told to stop it.
  void closed(actions& out);

  [[nodiscard]] bool acknowledged() const { return acknowledged_; }
  [[nodiscard]] bool is_closed() const { return closed_; }
  [[nodiscard]] std::size_t active_operations() const { return operations_.size(); }
  // The connection_init payload (null until it arrives, or when it was not an object).
  [[nodiscard]] const sluice::value& connection_params() const { return connection_params_; }

 private:
  // Shared by both subprotocols (protocol.cpp).
  void close_with(std::uint16_t code, std::string_view reason, actions& out);
  [[nodiscard]] bool started(std::string_view id) const;
  // graphql-transport-ws (graphql_transport_ws.cpp).
  void transport_ws_text(std::string_view frame, actions& out);
  void transport_ws_subscribe(std::string id, execution::request request, actions& out);
  void transport_ws_accepted(const sluice::value& ack_payload, actions& out);
  void transport_ws_response(const std::string& id, const execution::response& r, actions& out);
  void transport_ws_result(const std::string& id, const execution::shared_result& r, actions& out);
  // graphql-ws, the legacy protocol (graphql_ws.cpp).
  void graphql_ws_text(std::string_view frame, actions& out);
  void graphql_ws_start(std::string id, execution::request request, actions& out);
  void graphql_ws_stop(const std::string& id, actions& out);
  // Stops (or unqueues) the operation and frees its id; false when the id is not active.
  bool graphql_ws_forget(const std::string& id, actions& out);
  void graphql_ws_accepted(actions& out);
  void graphql_ws_refused(const sluice::value& error_payload, actions& out);
  void graphql_ws_response(const std::string& id, const execution::response& r, actions& out);
  void graphql_ws_result(const std::string& id, const execution::shared_result& r, actions& out);

  subprotocol kind_;
  protocol_options options_;
  bool init_received_ = false;
  bool auth_pending_ = false;  // an action::authenticate awaits connect_accepted or connect_refused
  bool acknowledged_ = false;
  bool closed_ = false;
  bool init_timer_armed_ = false;
  bool keep_alive_armed_ = false;
  sluice::value connection_params_;
  std::unordered_map<std::string, bool> operations_;  // active ids (true: started on the engine, false: queued)
  std::vector<std::pair<std::string, execution::request>> queued_;  // graphql-ws: starts that came before the ack
};

}  // namespace sluice::transport::ws
