// Choosing the subprotocol from Sec-WebSocket-Protocol, the name answered, and the close-reason and error helpers.
#include <gtest/gtest.h>

#include "sluice/transport/ws/protocol.hpp"
#include "transport/ws/messages.hpp"

namespace sluice::transport::ws {
namespace {

TEST(WsSubprotocol, ChoiceTable) {
  struct row {
    const char* header;
    std::optional<subprotocol> chosen;
    const char* answer;
  };
  constexpr auto transport = subprotocol::graphql_transport_ws;
  constexpr auto legacy = subprotocol::graphql_ws;
  const std::vector<row> rows = {
      {"graphql-transport-ws", transport, "graphql-transport-ws"},
      {"graphql-ws", legacy, "graphql-ws"},
      {"graphql-subscriptions", legacy, "graphql-subscriptions"},
      {"graphql-ws, graphql-transport-ws", transport, "graphql-transport-ws"},
      {"graphql-transport-ws,graphql-ws", transport, "graphql-transport-ws"},
      {" \tgraphql-transport-ws\t ", transport, "graphql-transport-ws"},
      {"foo, graphql-transport-ws", transport, "graphql-transport-ws"},
      {"graphql-subscriptions, graphql-ws", legacy, "graphql-ws"},
      {"graphql-ws, foo", legacy, "graphql-ws"},
      {",,graphql-ws,", legacy, "graphql-ws"},
      {"", std::nullopt, ""},
      {"foo", std::nullopt, ""},
      {"foo, bar", std::nullopt, ""},
      {",", std::nullopt, ""},
      {"GRAPHQL-TRANSPORT-WS", std::nullopt, ""},  // subprotocol names are case-sensitive
      {"graphql-transport-ws2", std::nullopt, ""},
      {"graphql ws", std::nullopt, ""},
      {"graphql-transport-ws;q=1", std::nullopt, ""},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(choose_subprotocol(r.header), r.chosen) << "'" << r.header << "'";
    EXPECT_EQ(answer_name(r.header), r.answer) << "'" << r.header << "'";
  }
}

TEST(WsSubprotocol, Names) {
  EXPECT_EQ(name_of(subprotocol::graphql_transport_ws), "graphql-transport-ws");
  EXPECT_EQ(name_of(subprotocol::graphql_ws), "graphql-ws");
  protocol p(subprotocol::graphql_ws);
  EXPECT_EQ(p.kind(), subprotocol::graphql_ws);
}

TEST(WsMessages, FitCutsAtACharacterBoundary) {
  EXPECT_EQ(detail::fit("abc", 3), "abc");
  EXPECT_EQ(detail::fit("abcd", 3), "abc");
  EXPECT_EQ(detail::fit("a\xC3\xA9", 2), "a");            // é is two bytes
  EXPECT_EQ(detail::fit("a\xE2\x82\xAC" "b", 3), "a");     // € is three
  EXPECT_EQ(detail::fit("a\xE2\x82\xAC" "b", 4), "a\xE2\x82\xAC");
  EXPECT_EQ(detail::fit("\xF0\x9F\x98\x80", 3), "");     // an emoji is four
  EXPECT_EQ(detail::fit("", 0), "");
}

TEST(WsMessages, ErrorsOfAResult) {
  auto e = detail::errors_of(R"({"errors":[{"message":"a"}],"data":null})");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->as_list().size(), 1u);
  EXPECT_FALSE(detail::errors_of(R"({"data":{}})").has_value());
  EXPECT_FALSE(detail::errors_of(R"({"errors":[]})").has_value());
  EXPECT_FALSE(detail::errors_of(R"({"errors":{}})").has_value());
  EXPECT_FALSE(detail::errors_of("not json").has_value());
}

}  // namespace
}  // namespace sluice::transport::ws
