// graphql-transport-ws as the protocol state machine speaks it: init and its timeout, ack, ping/pong, subscribe,
// next/error/complete, every close code, and what is never sent (docs/WEBSOCKET.md).
#include <gtest/gtest.h>

#include "ws_test_util.hpp"

namespace sluice::transport::ws::testing {
namespace {

constexpr auto kTransportWs = subprotocol::graphql_transport_ws;
constexpr const char* kInvalid = "close 4400 Invalid message received";

std::string subscribe(std::string_view id, std::string_view query = "{hello}") {
  std::string out = R"({"type":"subscribe","id":)";
  json::write_string(out, id);
  out += R"(,"payload":{"query":)";
  json::write_string(out, query);
  out += "}}";
  return out;
}

// A connection opened, initialised and acknowledged.
driver acked(protocol_options options = {}) {
  driver d(kTransportWs, options);
  EXPECT_EQ(d.opened(), lines{"timer init 3000ms"});
  EXPECT_EQ(d.text(R"({"type":"connection_init"})"), (lines{"cancel init", "authenticate null"}));
  EXPECT_EQ(d.accept(), lines{R"(send {"type":"connection_ack"})"});
  return d;
}

// ---- connection_init, its timeout, the ack

TEST(WsTransportWs, OpenedStartsTheInitTimer) {
  driver d(kTransportWs, {.init_timeout = std::chrono::milliseconds(1500)});
  EXPECT_EQ(d.opened(), lines{"timer init 1500ms"});
}

TEST(WsTransportWs, NoInitTimerWhenTheTimeoutIsZero) {
  driver d(kTransportWs, {.init_timeout = std::chrono::milliseconds(0)});
  EXPECT_EQ(d.opened(), lines{});
  EXPECT_EQ(d.text(R"({"type":"connection_init"})"), lines{"authenticate null"});
  EXPECT_EQ(d.closed(), lines{});
}

TEST(WsTransportWs, NoConnectionInitInTimeClosesWith4408) {
  driver d(kTransportWs);
  d.opened();
  EXPECT_EQ(d.timer(timer_kind::init), lines{"close 4408 Connection initialisation timeout"});
  EXPECT_TRUE(d.machine().is_closed());
  EXPECT_EQ(d.text(R"({"type":"connection_init"})"), lines{});
}

TEST(WsTransportWs, ConnectionInitCancelsTheTimerAndAStaleTimerEventDoesNotClose) {
  driver d(kTransportWs);
  d.opened();
  EXPECT_EQ(d.text(R"({"type":"connection_init","payload":{"token":"t"}})"),
            (lines{"cancel init", R"(authenticate {"token":"t"})"}));
  // The hook is still running when the (already cancelled) timer's event arrives: no close.
  EXPECT_EQ(d.timer(timer_kind::init), lines{});
  EXPECT_FALSE(d.machine().is_closed());
  EXPECT_EQ(d.accept(), lines{R"(send {"type":"connection_ack"})"});
}

TEST(WsTransportWs, ConnectionParamsAreTheInitPayloadWhenItIsAnObject) {
  driver d(kTransportWs);
  d.text(R"({"type":"connection_init","payload":{"headers":{"a":"b"}}})");
  EXPECT_EQ(json::to_string(d.machine().connection_params()), R"({"headers":{"a":"b"}})");
  driver n(kTransportWs);
  EXPECT_EQ(n.text(R"({"type":"connection_init","payload":null})"), lines{"authenticate null"});
  EXPECT_TRUE(n.machine().connection_params().is_null());
}

TEST(WsTransportWs, AckCarriesThePayloadOnlyWhenItIsAnObject) {
  struct row {
    sluice::value payload;
    std::string expected;
  };
  const std::vector<row> rows = {
      {sluice::value(), R"(send {"type":"connection_ack"})"},
      {sluice::value(true), R"(send {"type":"connection_ack"})"},
      {sluice::value("yes"), R"(send {"type":"connection_ack"})"},
      {sluice::value(sluice::object{}), R"(send {"type":"connection_ack","payload":{}})"},
      {sluice::value(sluice::object{{"user", sluice::value("ada")}}),
       R"(send {"type":"connection_ack","payload":{"user":"ada"}})"},
  };
  for (const auto& r : rows) {
    driver d(kTransportWs);
    d.text(R"({"type":"connection_init"})");
    EXPECT_FALSE(d.machine().acknowledged());
    EXPECT_EQ(d.accept(r.payload), lines{r.expected});
    EXPECT_TRUE(d.machine().acknowledged());
  }
}

TEST(WsTransportWs, RefusedConnectionClosesWith4403) {
  driver d(kTransportWs);
  d.opened();
  d.text(R"({"type":"connection_init"})");
  EXPECT_EQ(d.refuse(sluice::object{{"message", sluice::value("no")}}), lines{"close 4403 Forbidden"});
  EXPECT_FALSE(d.machine().acknowledged());
}

TEST(WsTransportWs, AnAnswerWithoutAPendingAuthenticateIsIgnored) {
  driver d(kTransportWs);
  EXPECT_EQ(d.accept(), lines{});
  EXPECT_EQ(d.refuse(), lines{});
  EXPECT_FALSE(d.machine().acknowledged());
  auto a = acked();
  EXPECT_EQ(a.accept(), lines{});
  EXPECT_EQ(a.refuse(), lines{});
  EXPECT_FALSE(a.machine().is_closed());
}

TEST(WsTransportWs, SecondConnectionInitWhilePendingClosesWith4429) {
  driver d(kTransportWs);
  d.text(R"({"type":"connection_init"})");
  EXPECT_EQ(d.text(R"({"type":"connection_init"})"), lines{"close 4429 Too many initialisation requests"});
  EXPECT_EQ(d.accept(), lines{});  // the hook's late answer is ignored
}

TEST(WsTransportWs, SecondConnectionInitAfterTheAckClosesWith4429) {
  auto d = acked();
  EXPECT_EQ(d.text(R"({"type":"connection_init","payload":{}})"), lines{"close 4429 Too many initialisation requests"});
}

// ---- ping and pong

TEST(WsTransportWs, PingIsAnsweredBeforeInitToo) {
  driver d(kTransportWs);
  d.opened();
  EXPECT_EQ(d.text(R"({"type":"ping"})"), lines{R"(send {"type":"pong"})"});
  EXPECT_EQ(d.text(R"({"type":"ping","payload":null})"), lines{R"(send {"type":"pong"})"});
  EXPECT_EQ(d.text(R"({"type":"ping","payload":{"n":1,"s":"x\"y"}})"),
            lines{R"(send {"type":"pong","payload":{"n":1,"s":"x\"y"}})"});
  EXPECT_FALSE(d.machine().is_closed());
}

TEST(WsTransportWs, PongIsIgnored) {
  driver d(kTransportWs);
  EXPECT_EQ(d.text(R"({"type":"pong"})"), lines{});
  EXPECT_EQ(d.text(R"({"type":"pong","payload":{"a":1}})"), lines{});
  EXPECT_FALSE(d.machine().is_closed());
}

// ---- subscribe

TEST(WsTransportWs, SubscribeBeforeInitClosesWith4401) {
  driver d(kTransportWs);
  d.opened();
  EXPECT_EQ(d.text(subscribe("1")), lines{"close 4401 Unauthorized"});
}

TEST(WsTransportWs, SubscribeWhileAuthenticateIsPendingClosesWith4401) {
  driver d(kTransportWs);
  d.text(R"({"type":"connection_init"})");
  EXPECT_EQ(d.text(subscribe("1")), lines{"close 4401 Unauthorized"});
  EXPECT_EQ(d.accept(), lines{});
}

TEST(WsTransportWs, SubscribeStartsTheOperationWithItsRequest) {
  auto d = acked();
  EXPECT_EQ(d.text(subscribe("1")), lines{"start 1 {hello}"});
  EXPECT_EQ(d.text(R"({"type":"subscribe","id":"2","payload":{"query":"query Q($n:Int){a(n:$n)}",)"
                   R"("operationName":"Q","variables":{"n":2},"extensions":{"persisted":true}}})"),
            lines{R"(start 2 query Q($n:Int){a(n:$n)} op=Q variables={"n":2} extensions={"persisted":true})"});
  EXPECT_EQ(d.text(R"({"type":"subscribe","id":"3","payload":{"query":"{a}","operationName":null,)"
                   R"("variables":null,"extensions":null}})"),
            lines{"start 3 {a}"});
  EXPECT_EQ(d.machine().active_operations(), 3u);
}

TEST(WsTransportWs, DuplicateIdWhileStillPreparingClosesWith4409) {
  auto d = acked();
  EXPECT_EQ(d.text(subscribe("1")), lines{"start 1 {hello}"});
  EXPECT_EQ(d.text(subscribe("1", "{other}")), lines{"close 4409 Subscriber for 1 already exists"});
  // Nothing more for it after the close; closed() still stops it.
  EXPECT_EQ(d.response("1", data_response(R"({"hello":"x"})")), lines{});
  EXPECT_EQ(d.closed(), lines{"stop 1"});
}

TEST(WsTransportWs, DuplicateIdWhileStreamingClosesWith4409) {
  auto d = acked();
  d.text(subscribe("sub"));
  EXPECT_EQ(d.result("sub", R"({"data":{"n":1}})"), lines{R"(shared {"id":"sub","type":"next","payload":{"data":{"n":1}}})"});
  EXPECT_EQ(d.text(subscribe("sub")), lines{"close 4409 Subscriber for sub already exists"});
}

TEST(WsTransportWs, ALongDuplicateIdIsShortenedToFitTheCloseFrame) {
  auto d = acked();
  std::string long_id;
  for (int i = 0; i < 60; ++i) long_id += "\xC3\xA9";  // 120 bytes of "é"
  d.text(subscribe(long_id));
  d.text(subscribe(long_id));
  ASSERT_EQ(d.last().size(), 1u);
  const auto& c = std::get<action::close>(d.last()[0]);
  EXPECT_EQ(c.code, 4409);
  EXPECT_LE(c.reason.size(), 123u);
  EXPECT_TRUE(c.reason.starts_with("Subscriber for \xC3\xA9"));
  EXPECT_TRUE(c.reason.ends_with("\xC3\xA9 already exists"));  // cut between characters, not inside one
}

TEST(WsTransportWs, AnIdIsFreeAgainAfterItsOperationEnded) {
  auto d = acked();
  d.text(subscribe("1"));
  d.response("1", data_response("{}"));
  EXPECT_EQ(d.text(subscribe("1")), lines{"start 1 {hello}"});
  d.text(R"({"type":"complete","id":"1"})");
  EXPECT_EQ(d.text(subscribe("1")), lines{"start 1 {hello}"});
  d.result("1", R"({"errors":[{"message":"gone"}]})", true);
  EXPECT_EQ(d.text(subscribe("1")), lines{"start 1 {hello}"});
  d.complete("1");
  EXPECT_EQ(d.text(subscribe("1")), lines{"start 1 {hello}"});
}

TEST(WsTransportWs, TooManyOperationsGetsAnErrorAndTheConnectionStays) {
  auto d = acked({.max_operations = 2});
  d.text(subscribe("1"));
  d.text(subscribe("2"));
  EXPECT_EQ(d.text(subscribe("3")),
            lines{R"(send {"id":"3","type":"error","payload":[{"message":"Too many operations on this connection (at most 2)."}]})"});
  EXPECT_EQ(d.machine().active_operations(), 2u);
  EXPECT_FALSE(d.machine().is_closed());
  // The refused id was not kept: nothing goes out for it, and it is not a duplicate later.
  EXPECT_EQ(d.response("3", data_response("{}")), lines{});
  d.complete("1");
  EXPECT_EQ(d.text(subscribe("3")), lines{"start 3 {hello}"});
}

// ---- responses and results

TEST(WsTransportWs, AResponseWithDataIsNextThenComplete) {
  auto d = acked();
  d.text(subscribe("1"));
  EXPECT_EQ(d.response("1", data_response(R"({"hello":"world"})")),
            (lines{R"(send {"id":"1","type":"next","payload":{"data":{"hello":"world"}}})",
                   R"(send {"id":"1","type":"complete"})"}));
  EXPECT_EQ(d.machine().active_operations(), 0u);
}

TEST(WsTransportWs, AResponseWithDataAndFieldErrorsIsStillNext) {
  auto d = acked();
  d.text(subscribe("1"));
  auto r = data_response(R"({"boom":null})");
  r.errors.push_back(graphql_error{"kaboom", {{1, 3}}, {std::string("boom")}, {}});
  EXPECT_EQ(d.response("1", r),
            (lines{R"(send {"id":"1","type":"next","payload":{"errors":[{"message":"kaboom","locations":[{"line":1,"column":3}],"path":["boom"]}],"data":{"boom":null}}})",
                   R"(send {"id":"1","type":"complete"})"}));
}

TEST(WsTransportWs, ErrorsBeforeExecutionAreOneErrorMessageWithoutComplete) {
  auto d = acked();
  d.text(subscribe("1", "{"));
  // A syntax error is an error message too (the reference server closes 4500 instead; docs/WEBSOCKET.md).
  EXPECT_EQ(d.response("1", error_response("Syntax Error: Expected Name, found <EOF>.", 1, 2)),
            lines{R"(send {"id":"1","type":"error","payload":[{"message":"Syntax Error: Expected Name, found <EOF>.","locations":[{"line":1,"column":2}]}]})"});
  EXPECT_EQ(d.machine().active_operations(), 0u);
  EXPECT_FALSE(d.machine().is_closed());
  EXPECT_EQ(d.complete("1"), lines{});  // nothing after the error
}

TEST(WsTransportWs, StreamResultsAreSharedNextMessages) {
  auto d = acked();
  d.text(subscribe("a\"b"));
  EXPECT_EQ(d.result("a\"b", R"({"data":{"n":1}})"), lines{R"(shared {"id":"a\"b","type":"next","payload":{"data":{"n":1}}})"});
  const auto& s = std::get<action::send_shared>(d.last()[0]);
  EXPECT_EQ(s.head, R"({"id":"a\"b","type":"next","payload":)");
  EXPECT_EQ(s.tail, "}");
  EXPECT_EQ(d.result("a\"b", R"({"errors":[{"message":"yielded"}],"data":null})"),
            lines{R"(shared {"id":"a\"b","type":"next","payload":{"errors":[{"message":"yielded"}],"data":null}})"});
  EXPECT_EQ(d.complete("a\"b"), lines{R"(send {"id":"a\"b","type":"complete"})"});
  EXPECT_EQ(d.machine().active_operations(), 0u);
}

TEST(WsTransportWs, AFinalResultIsAnErrorWithoutComplete) {
  auto d = acked();
  d.text(subscribe("1"));
  EXPECT_EQ(d.result("1", R"({"errors":[{"message":"source failed","extensions":{"code":"X"}}]})", true),
            lines{R"(send {"id":"1","type":"error","payload":[{"message":"source failed","extensions":{"code":"X"}}]})"});
  EXPECT_EQ(d.complete("1"), lines{});
  EXPECT_EQ(d.result("1", R"({"data":{}})"), lines{});
  EXPECT_EQ(d.machine().active_operations(), 0u);
}

TEST(WsTransportWs, AFinalResultWithoutErrorsStillEndsWithAnError) {
  auto d = acked();
  d.text(subscribe("1"));
  EXPECT_EQ(d.result("1", R"({"data":null})", true),
            lines{R"(send {"id":"1","type":"error","payload":[{"message":"The operation ended with an error."}]})"});
}

// ---- the client's complete

TEST(WsTransportWs, ClientCompleteStopsTheOperationAndSendsNothing) {
  auto d = acked();
  d.text(subscribe("1"));
  d.result("1", R"({"data":{}})");
  EXPECT_EQ(d.text(R"({"type":"complete","id":"1"})"), lines{"stop 1"});
  EXPECT_EQ(d.machine().active_operations(), 0u);
  EXPECT_EQ(d.result("1", R"({"data":{}})"), lines{});
  EXPECT_EQ(d.result("1", R"({"errors":[{"message":"x"}]})", true), lines{});
  EXPECT_EQ(d.complete("1"), lines{});
}

TEST(WsTransportWs, AResponseArrivingAfterTheClientCompletedIsDropped) {
  auto d = acked();
  d.text(subscribe("q"));
  EXPECT_EQ(d.text(R"({"type":"complete","id":"q"})"), lines{"stop q"});
  EXPECT_EQ(d.response("q", data_response(R"({"hello":"late"})")), lines{});
  EXPECT_EQ(d.response("q", error_response("late")), lines{});
}

TEST(WsTransportWs, CrossingCompletesAreHarmless) {
  auto d = acked();
  d.text(subscribe("1"));
  EXPECT_EQ(d.complete("1"), lines{R"(send {"id":"1","type":"complete"})"});
  // The client's complete was already on its way.
  EXPECT_EQ(d.text(R"({"type":"complete","id":"1"})"), lines{});
  EXPECT_FALSE(d.machine().is_closed());
}

TEST(WsTransportWs, CompleteForAnUnknownIdIsIgnoredBeforeInitToo) {
  driver d(kTransportWs);
  EXPECT_EQ(d.text(R"({"type":"complete","id":"nope"})"), lines{});
  auto a = acked();
  EXPECT_EQ(a.text(R"({"type":"complete","id":"nope"})"), lines{});
  EXPECT_FALSE(a.machine().is_closed());
}

TEST(WsTransportWs, ResultsForUnknownIdsAreIgnored) {
  auto d = acked();
  EXPECT_EQ(d.response("x", data_response("{}")), lines{});
  EXPECT_EQ(d.result("x", "{}"), lines{});
  EXPECT_EQ(d.complete("x"), lines{});
}

// ---- invalid messages

TEST(WsTransportWs, InvalidMessagesCloseWith4400) {
  const std::vector<std::string> frames = {
      "",
      "not json",
      R"({"type":"ping")",
      "[]",
      "42",
      "null",
      R"("connection_init")",
      "{}",
      R"({"type":null})",
      R"({"type":7})",
      R"({"type":""})",
      R"({"type":"nope"})",
      R"({"type":"start","id":"1","payload":{"query":"{a}"}})",  // the legacy protocol's
      // server-bound types (the reference server closes 4500 for these)
      R"({"type":"next","id":"1","payload":{"data":{}}})",
      R"({"type":"error","id":"1","payload":[{"message":"x"}]})",
      R"({"type":"connection_ack"})",
      // wrong field types
      R"({"type":"connection_init","payload":"token"})",
      R"({"type":"connection_init","payload":[]})",
      R"({"type":"ping","payload":1})",
      R"({"type":"pong","payload":"x"})",
      R"({"type":"subscribe","payload":{"query":"{a}"}})",
      R"({"type":"subscribe","id":"","payload":{"query":"{a}"}})",
      R"({"type":"subscribe","id":1,"payload":{"query":"{a}"}})",
      R"({"type":"subscribe","id":"1"})",
      R"({"type":"subscribe","id":"1","payload":null})",
      R"({"type":"subscribe","id":"1","payload":"{a}"})",
      R"({"type":"subscribe","id":"1","payload":{}})",
      R"({"type":"subscribe","id":"1","payload":{"query":null}})",
      R"({"type":"subscribe","id":"1","payload":{"query":{"a":1}}})",
      R"({"type":"subscribe","id":"1","payload":{"query":"{a}","operationName":1}})",
      R"({"type":"subscribe","id":"1","payload":{"query":"{a}","variables":[]}})",
      R"({"type":"subscribe","id":"1","payload":{"query":"{a}","variables":"{}"}})",
      R"({"type":"subscribe","id":"1","payload":{"query":"{a}","extensions":5}})",
      R"({"type":"complete"})",
      R"({"type":"complete","id":""})",
      R"({"type":"complete","id":3})",
  };
  for (const auto& frame : frames) {
    auto d = acked();
    d.text(subscribe("live"));
    EXPECT_EQ(d.text(frame), lines{kInvalid}) << frame;
    EXPECT_TRUE(d.machine().is_closed()) << frame;
    EXPECT_EQ(d.closed(), lines{"stop live"}) << frame;
  }
}

TEST(WsTransportWs, InvalidMessagesBeforeInitCloseWith4400Too) {
  driver d(kTransportWs);
  d.opened();
  EXPECT_EQ(d.text(R"({"type":"subscribe","id":"1"})"), lines{kInvalid});
}

TEST(WsTransportWs, BinaryFramesCloseWith4400) {
  auto d = acked();
  EXPECT_EQ(d.binary(), lines{kInvalid});
}

TEST(WsTransportWs, UnknownFieldsAreIgnored) {
  auto d = acked();
  EXPECT_EQ(d.text(R"({"type":"subscribe","id":"1","extra":true,"payload":{"query":"{a}","more":1}})"),
            lines{"start 1 {a}"});
  EXPECT_EQ(d.text(R"({"type":"ping","id":"x"})"), lines{R"(send {"type":"pong"})"});
}

// ---- after a close, and closed()

TEST(WsTransportWs, EveryEventIsIgnoredAfterAClose) {
  auto d = acked();
  d.text(subscribe("1"));
  d.text(subscribe("2"));
  EXPECT_EQ(d.text("{"), lines{kInvalid});
  EXPECT_EQ(d.text(R"({"type":"ping"})"), lines{});
  EXPECT_EQ(d.text(subscribe("3")), lines{});
  EXPECT_EQ(d.binary(), lines{});
  EXPECT_EQ(d.timer(timer_kind::init), lines{});
  EXPECT_EQ(d.response("1", data_response("{}")), lines{});
  EXPECT_EQ(d.result("2", "{}"), lines{});
  EXPECT_EQ(d.complete("2"), lines{});
  EXPECT_EQ(d.closed(), (lines{"stop 1", "stop 2"}));
  EXPECT_EQ(d.closed(), lines{});
}

TEST(WsTransportWs, ClosedStopsEveryOperationAndSendsNothing) {
  auto d = acked();
  d.text(subscribe("b"));
  d.text(subscribe("a"));
  d.text(subscribe("c"));
  d.text(R"({"type":"complete","id":"c"})");
  EXPECT_EQ(d.closed(), (lines{"stop a", "stop b"}));
  EXPECT_EQ(d.machine().active_operations(), 0u);
  EXPECT_TRUE(d.machine().is_closed());
  EXPECT_EQ(d.response("a", data_response("{}")), lines{});
}

TEST(WsTransportWs, ClosedBeforeInitCancelsTheInitTimer) {
  driver d(kTransportWs);
  d.opened();
  EXPECT_EQ(d.closed(), lines{"cancel init"});
  EXPECT_EQ(d.timer(timer_kind::init), lines{});
}

}  // namespace
}  // namespace sluice::transport::ws::testing
