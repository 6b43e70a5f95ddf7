// The WebSocket protocols' JSON messages: reading and checking what a client sends, writing what the server sends.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "sluice/core/value.hpp"
#include "sluice/execution/request.hpp"

namespace sluice::transport::ws::detail {

// What a client may ask for on either subprotocol (graphql-transport-ws: init, ping, pong, subscribe, complete;
// graphql-ws: init, start, stop, connection_terminate).
enum class client_type { connection_init, ping, pong, subscribe, complete, start, stop, connection_terminate };

// A client message whose shape was checked.
struct client_message {
  client_type type = client_type::connection_init;
  std::string id;              // subscribe, complete, start, stop
  sluice::value payload;       // connection_init, ping, pong: the payload (null when absent)
  execution::request request;  // subscribe, start
};

// graphql-transport-ws: the message, or nullopt when the frame is not one a client may send (not JSON, not an
// object, a missing or unknown `type`, a server-bound type, a field of the wrong type; PROTOCOLS.md 1.2).
[[nodiscard]] std::optional<client_message> read_transport_ws_message(std::string_view frame);

// graphql-ws: the frame is not JSON (answered with connection_error).
struct not_json {
  std::string message;
};
// graphql-ws: JSON, but not a message a client may send (answered with an error for its id, when it has a string
// one).
struct invalid_message {
  std::optional<std::string> id;
};
using graphql_ws_read = std::variant<client_message, not_json, invalid_message>;
[[nodiscard]] graphql_ws_read read_graphql_ws_message(std::string_view frame);

// {"type":T}
[[nodiscard]] std::string message(std::string_view type);
// {"type":T,"payload":P}
[[nodiscard]] std::string message(std::string_view type, const sluice::value& payload);
// {"type":T,"payload":P} with P already JSON text.
[[nodiscard]] std::string message_json(std::string_view type, std::string_view payload);
// {"id":I,"type":T}
[[nodiscard]] std::string operation_message(std::string_view id, std::string_view type);
// {"id":I,"type":T,"payload":P} with P already JSON text.
[[nodiscard]] std::string operation_message(std::string_view id, std::string_view type, std::string_view payload);
// {"id":I,"type":T,"payload": (the envelope before a shared payload; the tail is "}").
[[nodiscard]] std::string operation_head(std::string_view id, std::string_view type);
// {"message":M}
[[nodiscard]] std::string message_object(std::string_view message);

// The non-empty `errors` list of a result's JSON text; nullopt when it has none (or is not JSON).
[[nodiscard]] std::optional<sluice::value> errors_of(std::string_view result_json);

// A close frame carries at most 123 bytes of reason.
inline constexpr std::size_t max_close_reason = 123;
// `text` cut to at most `max` bytes, at a UTF-8 character boundary.
[[nodiscard]] std::string_view fit(std::string_view text, std::size_t max);

}  // namespace sluice::transport::ws::detail
