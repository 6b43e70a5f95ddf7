// The legacy graphql-ws protocol (subscriptions-transport-ws) as the state machine speaks it: init and ack with ka,
// starts queued before the ack, start/stop/data/error/complete, connection_error, and closes (docs/WEBSOCKET.md).
#include <gtest/gtest.h>

#include "ws_test_util.hpp"

namespace sluice::transport::ws::testing {
namespace {

constexpr auto kLegacy = subprotocol::graphql_ws;
constexpr const char* kAck = R"(send {"type":"connection_ack"})";
constexpr const char* kKa = R"(send {"type":"ka"})";
constexpr const char* kKaTimer = "timer keep_alive 12000ms";

std::string start(std::string_view id, std::string_view query = "{hello}") {
  std::string out = R"({"type":"start","id":)";
  json::write_string(out, id);
  out += R"(,"payload":{"query":)";
  json::write_string(out, query);
  out += "}}";
  return out;
}

std::string stop(std::string_view id) {
  std::string out = R"({"type":"stop","id":)";
  json::write_string(out, id);
  out += "}";
  return out;
}

// A connection initialised and acknowledged (with the ka timer running).
driver acked(protocol_options options = {}) {
  driver d(kLegacy, options);
  EXPECT_EQ(d.opened(), lines{});
  EXPECT_EQ(d.text(R"({"type":"connection_init","payload":{}})"), lines{"authenticate {}"});
  lines expected{kAck};
  if (options.keep_alive.count() > 0) {
    expected.push_back(kKa);
    expected.push_back("timer keep_alive " + std::to_string(options.keep_alive.count()) + "ms");
  }
  EXPECT_EQ(d.accept(), expected);
  return d;
}

// ---- init, ack, keep-alive

TEST(WsGraphqlWs, HasNoInitTimeout) {
  driver d(kLegacy);
  EXPECT_EQ(d.opened(), lines{});
  EXPECT_EQ(d.timer(timer_kind::init), lines{});
  EXPECT_FALSE(d.machine().is_closed());
}

TEST(WsGraphqlWs, InitIsAuthenticatedAndAckedWithAnImmediateKa) {
  driver d(kLegacy);
  EXPECT_EQ(d.text(R"({"type":"connection_init","payload":{"authToken":"t"}})"), lines{R"(authenticate {"authToken":"t"})"});
  EXPECT_EQ(json::to_string(d.machine().connection_params()), R"({"authToken":"t"})");
  // The legacy ack never carries a payload.
  EXPECT_EQ(d.accept(sluice::object{{"user", sluice::value("ada")}}), (lines{kAck, kKa, kKaTimer}));
  EXPECT_TRUE(d.machine().acknowledged());
}

TEST(WsGraphqlWs, ANonObjectInitPayloadAuthenticatesWithNull) {
  driver d(kLegacy);
  EXPECT_EQ(d.text(R"({"type":"connection_init","payload":"token"})"), lines{"authenticate null"});
  EXPECT_TRUE(d.machine().connection_params().is_null());
}

TEST(WsGraphqlWs, KaRepeatsAtTheKeepAliveInterval) {
  auto d = acked({.keep_alive = std::chrono::milliseconds(500)});
  EXPECT_EQ(d.timer(timer_kind::keep_alive), (lines{kKa, "timer keep_alive 500ms"}));
  EXPECT_EQ(d.timer(timer_kind::keep_alive), (lines{kKa, "timer keep_alive 500ms"}));
  EXPECT_EQ(d.closed(), lines{"cancel keep_alive"});
  EXPECT_EQ(d.timer(timer_kind::keep_alive), lines{});
}

TEST(WsGraphqlWs, NoKaWhenKeepAliveIsZero) {
  auto d = acked({.keep_alive = std::chrono::milliseconds(0)});
  EXPECT_EQ(d.timer(timer_kind::keep_alive), lines{});
  EXPECT_EQ(d.closed(), lines{});
}

TEST(WsGraphqlWs, NoKaBeforeTheAck) {
  driver d(kLegacy);
  d.text(R"({"type":"connection_init"})");
  EXPECT_EQ(d.timer(timer_kind::keep_alive), lines{});
}

TEST(WsGraphqlWs, ASecondInitIsIgnored) {
  driver d(kLegacy);
  d.text(R"({"type":"connection_init","payload":{"n":1}})");
  EXPECT_EQ(d.text(R"({"type":"connection_init","payload":{"n":2}})"), lines{});
  EXPECT_EQ(d.accept(), (lines{kAck, kKa, kKaTimer}));
  EXPECT_EQ(d.text(R"({"type":"connection_init"})"), lines{});
  EXPECT_EQ(json::to_string(d.machine().connection_params()), R"({"n":1})");
  EXPECT_FALSE(d.machine().is_closed());
}

TEST(WsGraphqlWs, ARefusedConnectionGetsConnectionErrorThenClose1011) {
  driver d(kLegacy);
  d.text(R"({"type":"connection_init"})");
  EXPECT_EQ(d.refuse(sluice::object{{"message", sluice::value("bad token")}}),
            (lines{R"(send {"type":"connection_error","payload":{"message":"bad token"}})", "close 1011 "}));
  EXPECT_TRUE(d.machine().is_closed());
  driver n(kLegacy);
  n.text(R"({"type":"connection_init"})");
  EXPECT_EQ(n.refuse(),
            (lines{R"(send {"type":"connection_error","payload":{"message":"Prohibited connection!"}})", "close 1011 "}));
}

TEST(WsGraphqlWs, StartsQueuedBeforeARefusalNeverStart) {
  driver d(kLegacy);
  d.text(R"({"type":"connection_init"})");
  d.text(start("1"));
  auto out = d.refuse();
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(d.closed(), lines{});
}

// ---- start, queued before the ack

TEST(WsGraphqlWs, StartsBeforeTheAckWaitAndStartInOrderOnceAccepted) {
  driver d(kLegacy);
  d.text(R"({"type":"connection_init"})");
  EXPECT_EQ(d.text(start("1", "{a}")), lines{});
  EXPECT_EQ(d.text(start("2", "{b}")), lines{});
  EXPECT_EQ(d.machine().active_operations(), 2u);
  EXPECT_EQ(d.accept(), (lines{kAck, kKa, kKaTimer, "start 1 {a}", "start 2 {b}"}));
  EXPECT_EQ(d.text(start("3", "{c}")), lines{"start 3 {c}"});
}

TEST(WsGraphqlWs, StartsBeforeAnyInitWaitForIt) {
  driver d(kLegacy);
  EXPECT_EQ(d.text(start("1")), lines{});
  EXPECT_EQ(d.text(R"({"type":"connection_init"})"), lines{"authenticate null"});
  EXPECT_EQ(d.accept(), (lines{kAck, kKa, kKaTimer, "start 1 {hello}"}));
}

TEST(WsGraphqlWs, AQueuedStartStoppedBeforeTheAckNeverStarts) {
  driver d(kLegacy);
  d.text(R"({"type":"connection_init"})");
  d.text(start("1"));
  d.text(start("2"));
  EXPECT_EQ(d.text(stop("1")), lines{R"(send {"id":"1","type":"complete"})"});
  EXPECT_EQ(d.accept(), (lines{kAck, kKa, kKaTimer, "start 2 {hello}"}));
}

TEST(WsGraphqlWs, AQueuedDuplicateReplacesTheQueuedStart) {
  driver d(kLegacy);
  d.text(start("1", "{old}"));
  d.text(start("2", "{b}"));
  EXPECT_EQ(d.text(start("1", "{new}")), lines{});
  d.text(R"({"type":"connection_init"})");
  EXPECT_EQ(d.accept(), (lines{kAck, kKa, kKaTimer, "start 2 {b}", "start 1 {new}"}));
}

TEST(WsGraphqlWs, StartCarriesTheRequest) {
  auto d = acked();
  EXPECT_EQ(d.text(R"({"type":"start","id":"1","payload":{"query":"query Q{a}","operationName":"Q",)"
                   R"("variables":{"x":[1,2]},"extensions":{"e":1}}})"),
            lines{R"(start 1 query Q{a} op=Q variables={"x":[1,2]} extensions={"e":1})"});
  EXPECT_EQ(d.text(R"({"type":"start","id":"2","payload":{"query":"{a}","operationName":null,"variables":null}})"),
            lines{"start 2 {a}"});
}

TEST(WsGraphqlWs, ADuplicateStartStopsTheOldOperationAndStartsTheNewOne) {
  auto d = acked();
  d.text(start("1", "{old}"));
  d.result("1", R"({"data":{"n":1}})");
  EXPECT_EQ(d.text(start("1", "{new}")), (lines{"stop 1", "start 1 {new}"}));
  EXPECT_EQ(d.machine().active_operations(), 1u);
  EXPECT_EQ(d.result("1", R"({"data":{"n":2}})"), lines{R"(shared {"id":"1","type":"data","payload":{"data":{"n":2}}})"});
}

TEST(WsGraphqlWs, TooManyOperationsGetsAnErrorObject) {
  auto d = acked({.max_operations = 1});
  EXPECT_EQ(d.text(start("1")), lines{"start 1 {hello}"});
  EXPECT_EQ(d.text(start("2")),
            lines{R"(send {"id":"2","type":"error","payload":{"message":"Too many operations on this connection (at most 1)."}})"});
  // Replacing an active id is not one more.
  EXPECT_EQ(d.text(start("1", "{again}")), (lines{"stop 1", "start 1 {again}"}));
  EXPECT_EQ(d.machine().active_operations(), 1u);
}

TEST(WsGraphqlWs, QueuedStartsCountTowardsTheLimit) {
  driver d(kLegacy, {.max_operations = 1});
  d.text(start("1"));
  EXPECT_EQ(d.text(start("2")),
            lines{R"(send {"id":"2","type":"error","payload":{"message":"Too many operations on this connection (at most 1)."}})"});
  EXPECT_EQ(d.machine().active_operations(), 1u);
}

// ---- stop

TEST(WsGraphqlWs, StopStopsTheOperationAndConfirmsWithComplete) {
  auto d = acked();
  d.text(start("1"));
  EXPECT_EQ(d.text(stop("1")), (lines{"stop 1", R"(send {"id":"1","type":"complete"})"}));
  EXPECT_EQ(d.machine().active_operations(), 0u);
  EXPECT_EQ(d.result("1", "{}"), lines{});
  EXPECT_EQ(d.response("1", data_response("{}")), lines{});
  EXPECT_EQ(d.complete("1"), lines{});
  EXPECT_EQ(d.text(stop("1")), lines{});
}

TEST(WsGraphqlWs, StopForAnUnknownIdIsIgnored) {
  auto d = acked();
  EXPECT_EQ(d.text(stop("9")), lines{});
  EXPECT_EQ(d.text(R"({"type":"stop","id":""})"), lines{});
}

// ---- responses and results

TEST(WsGraphqlWs, AResponseIsDataThenComplete) {
  auto d = acked();
  d.text(start("1"));
  EXPECT_EQ(d.response("1", data_response(R"({"hello":"world"})")),
            (lines{R"(send {"id":"1","type":"data","payload":{"data":{"hello":"world"}}})",
                   R"(send {"id":"1","type":"complete"})"}));
  EXPECT_EQ(d.machine().active_operations(), 0u);
}

TEST(WsGraphqlWs, ErrorsBeforeExecutionAreDataWithErrorsThenComplete) {
  auto d = acked();
  d.text(start("1", "{ nope }"));
  EXPECT_EQ(d.response("1", error_response("Cannot query field \"nope\" on type \"Query\".", 1, 3)),
            (lines{R"(send {"id":"1","type":"data","payload":{"errors":[{"message":"Cannot query field \"nope\" on type \"Query\".","locations":[{"line":1,"column":3}]}]}})",
                   R"(send {"id":"1","type":"complete"})"}));
  d.text(start("2", "{"));
  EXPECT_EQ(d.response("2", error_response("Syntax Error: Expected Name, found <EOF>.", 1, 2)),
            (lines{R"(send {"id":"2","type":"data","payload":{"errors":[{"message":"Syntax Error: Expected Name, found <EOF>.","locations":[{"line":1,"column":2}]}]}})",
                   R"(send {"id":"2","type":"complete"})"}));
}

TEST(WsGraphqlWs, StreamResultsAreSharedDataMessagesThenComplete) {
  auto d = acked();
  d.text(start("s"));
  EXPECT_EQ(d.result("s", R"({"data":{"n":1}})"), lines{R"(shared {"id":"s","type":"data","payload":{"data":{"n":1}}})"});
  EXPECT_EQ(std::get<action::send_shared>(d.last()[0]).head, R"({"id":"s","type":"data","payload":)");
  EXPECT_EQ(d.complete("s"), lines{R"(send {"id":"s","type":"complete"})"});
  EXPECT_EQ(d.complete("s"), lines{});
}

TEST(WsGraphqlWs, AFinalResultIsAnErrorWithTheFirstErrorObjectAndNoComplete) {
  auto d = acked();
  d.text(start("s"));
  EXPECT_EQ(d.result("s", R"({"errors":[{"message":"source failed"},{"message":"second"}]})", true),
            lines{R"(send {"id":"s","type":"error","payload":{"message":"source failed"}})"});
  EXPECT_EQ(d.complete("s"), lines{});
  EXPECT_EQ(d.machine().active_operations(), 0u);
}

// ---- invalid input, connection_terminate

TEST(WsGraphqlWs, TextThatIsNotJsonGetsConnectionErrorAndTheConnectionStays) {
  auto d = acked();
  auto out = d.text("{not json");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].starts_with(R"(send {"type":"connection_error","payload":{"message":"Message is not valid JSON)"))
      << out[0];
  EXPECT_FALSE(d.machine().is_closed());
  EXPECT_EQ(d.text(start("1")), lines{"start 1 {hello}"});
}

TEST(WsGraphqlWs, BinaryFramesGetConnectionErrorAndTheConnectionStays) {
  auto d = acked();
  EXPECT_EQ(d.binary(),
            lines{R"(send {"type":"connection_error","payload":{"message":"Binary messages are not supported: send JSON text frames."}})"});
  EXPECT_FALSE(d.machine().is_closed());
}

TEST(WsGraphqlWs, InvalidMessagesGetAnErrorForTheirId) {
  struct row {
    const char* frame;
    const char* expected;
  };
  const char* without_id = R"(send {"type":"error","payload":{"message":"Invalid message type!"}})";
  const char* with_id = R"(send {"type":"error","id":"7","payload":{"message":"Invalid message type!"}})";
  const std::vector<row> rows = {
      {"{}", without_id},
      {"[]", without_id},
      {"3", without_id},
      {"null", without_id},
      {R"({"id":"7"})", with_id},
      {R"({"id":7,"type":"nope"})", without_id},
      {R"({"type":"nope","id":"7"})", with_id},
      {R"({"type":5,"id":"7"})", with_id},
      // graphql-transport-ws types and server-bound types
      {R"({"type":"subscribe","id":"7","payload":{"query":"{a}"}})", with_id},
      {R"({"type":"complete","id":"7"})", with_id},
      {R"({"type":"ping"})", without_id},
      {R"({"type":"ka"})", without_id},
      {R"({"type":"connection_ack"})", without_id},
      {R"({"type":"data","id":"7","payload":{}})", with_id},
      {R"({"type":"error","id":"7","payload":{}})", with_id},
      // bad shapes
      {R"({"type":"start","id":"7"})", with_id},
      {R"({"type":"start","id":"7","payload":"{a}"})", with_id},
      {R"({"type":"start","id":"7","payload":{}})", with_id},
      {R"({"type":"start","id":"7","payload":{"query":1}})", with_id},
      {R"({"type":"start","id":"7","payload":{"query":"{a}","variables":[1]}})", with_id},
      {R"({"type":"start","id":"7","payload":{"query":"{a}","operationName":false}})", with_id},
      {R"({"type":"start","payload":{"query":"{a}"}})", without_id},
      {R"({"type":"start","id":"","payload":{"query":"{a}"}})", R"(send {"type":"error","id":"","payload":{"message":"Invalid message type!"}})"},
      {R"({"type":"stop"})", without_id},
      {R"({"type":"stop","id":7})", without_id},
      // escaped id
      {R"({"type":"nope","id":"a\"b"})", R"(send {"type":"error","id":"a\"b","payload":{"message":"Invalid message type!"}})"},
  };
  for (const auto& r : rows) {
    auto d = acked();
    EXPECT_EQ(d.text(r.frame), lines{r.expected}) << r.frame;
    EXPECT_FALSE(d.machine().is_closed()) << r.frame;
    EXPECT_EQ(d.machine().active_operations(), 0u) << r.frame;
  }
}

TEST(WsGraphqlWs, AnInvalidMessageWithTheIdOfAnActiveOperationEndsIt) {
  // The client takes the error as the end of operation 1: it is stopped, and nothing more goes out for it.
  auto d = acked();
  d.text(start("1"));
  EXPECT_EQ(d.text(R"({"type":"start","id":"1","payload":{"query":5}})"),
            (lines{"stop 1", R"(send {"type":"error","id":"1","payload":{"message":"Invalid message type!"}})"}));
  EXPECT_EQ(d.result("1", R"({"data":{}})"), lines{});
  EXPECT_EQ(d.machine().active_operations(), 0u);
  driver q(kLegacy);
  q.text(start("1"));
  EXPECT_EQ(q.text(R"({"type":"data","id":"1"})"),
            lines{R"(send {"type":"error","id":"1","payload":{"message":"Invalid message type!"}})"});
  q.text(R"({"type":"connection_init"})");
  EXPECT_EQ(q.accept(), (lines{kAck, kKa, kKaTimer}));
}

TEST(WsGraphqlWs, ConnectionTerminateClosesWith1000) {
  auto d = acked();
  d.text(start("1"));
  EXPECT_EQ(d.text(R"({"type":"connection_terminate"})"), lines{"close 1000 "});
  EXPECT_EQ(d.text(start("2")), lines{});
  EXPECT_EQ(d.timer(timer_kind::keep_alive), lines{});
  EXPECT_EQ(d.closed(), (lines{"stop 1", "cancel keep_alive"}));
}

// ---- closed()

TEST(WsGraphqlWs, ClosedStopsStartedOperationsAndDropsQueuedOnes) {
  driver d(kLegacy);
  d.text(start("q"));
  EXPECT_EQ(d.closed(), lines{});
  auto a = acked();
  a.text(start("2"));
  a.text(start("1"));
  EXPECT_EQ(a.closed(), (lines{"stop 1", "stop 2", "cancel keep_alive"}));
  EXPECT_EQ(a.machine().active_operations(), 0u);
  EXPECT_EQ(a.result("1", "{}"), lines{});
}

}  // namespace
}  // namespace sluice::transport::ws::testing
