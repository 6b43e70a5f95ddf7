// Choosing the WebSocket subprotocol from the client's Sec-WebSocket-Protocol header, and naming it in the answer.
#include "sluice/transport/ws/protocol.hpp"

namespace sluice::transport::ws {
namespace {

std::string_view trim(std::string_view s) {
  constexpr std::string_view blanks = " \t";
  const auto first = s.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(blanks) - first + 1);
}

// Which of our names the header offers.
struct offered {
  bool transport_ws = false;
  bool graphql_ws = false;
  bool graphql_subscriptions = false;
};

offered read_offer(std::string_view header) {
  offered o;
  for (;;) {
    const auto comma = header.find(',');
    const std::string_view name = trim(header.substr(0, comma));
    if (name == "graphql-transport-ws") o.transport_ws = true;
    if (name == "graphql-ws") o.graphql_ws = true;
    if (name == "graphql-subscriptions") o.graphql_subscriptions = true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return o;
}

}  // namespace

std::optional<subprotocol> choose_subprotocol(std::string_view sec_websocket_protocol) {
  const offered o = read_offer(sec_websocket_protocol);
  if (o.transport_ws) return subprotocol::graphql_transport_ws;
  if (o.graphql_ws || o.graphql_subscriptions) return subprotocol::graphql_ws;
  return std::nullopt;
}

std::string_view answer_name(std::string_view sec_websocket_protocol) {
  const offered o = read_offer(sec_websocket_protocol);
  if (o.transport_ws) return "graphql-transport-ws";
  if (o.graphql_ws) return "graphql-ws";
  if (o.graphql_subscriptions) return "graphql-subscriptions";
  return {};
}

std::string_view name_of(subprotocol p) {
  switch (p) {
    case subprotocol::graphql_transport_ws: return "graphql-transport-ws";
    case subprotocol::graphql_ws: return "graphql-ws";
  }
  return "graphql-transport-ws";
}

}  // namespace sluice::transport::ws
