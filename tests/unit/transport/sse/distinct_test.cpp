// Distinct-connections SSE without sockets: when a request wants a stream, how it starts, how events look.
#include "sluice/transport/sse/distinct.hpp"

#include <gtest/gtest.h>

#include "sluice/schema/builder.hpp"

namespace sluice::transport::sse {
namespace {

TEST(SseAcceptTest, AStreamIsWantedWhenTextEventStreamIsAcceptable) {
  EXPECT_TRUE(wants_event_stream("text/event-stream"));
  EXPECT_TRUE(wants_event_stream("application/json, Text/Event-Stream;q=0.5"));
  EXPECT_FALSE(wants_event_stream("text/event-stream;q=0"));
  EXPECT_FALSE(wants_event_stream("text/event-stream;q=0.00"));
  EXPECT_FALSE(wants_event_stream("*/*"));  // a wildcard is not a request for a stream
  EXPECT_FALSE(wants_event_stream(""));
  EXPECT_FALSE(wants_event_stream("application/graphql-response+json"));
}

TEST(SseEventTest, EventsAreWrittenAsGraphqlSseWritesThem) {
  EXPECT_EQ(next_event(R"({"data":{"a":1}})"), "event: next\ndata: {\"data\":{\"a\":1}}\n\n");
  EXPECT_EQ(complete_event(), "event: complete\ndata:\n\n");
  EXPECT_EQ(keep_alive_comment(), ":\n\n");
  EXPECT_EQ(stream_headers().front().second, "text/event-stream; charset=utf-8");
}

class SseStartTest : public ::testing::Test {
 protected:
  std::unique_ptr<execution::executor> ex_ = [] {
    auto built = schema::build_schema("type Query { a: Int } type Mutation { m: Int }");
    return std::make_unique<execution::executor>(built.built);
  }();
  stream_start start(std::string_view method, std::string_view target, std::string_view body = "",
                     std::string_view type = "application/json") {
    return read_request(http::http_request{method, target, type, "text/event-stream", body}, *ex_);
  }
};

TEST_F(SseStartTest, GetAndPostStartAStreamEvenForAnInvalidDocument) {
  auto get = start("GET", "/graphql?query=%7B+a+%7D");
  ASSERT_TRUE(get.request);
  EXPECT_EQ(get.request->query, "{ a }");
  auto invalid = start("POST", "/graphql", R"({"query":"{ nope }"})");
  ASSERT_TRUE(invalid.request);  // its errors are the stream's next event
  EXPECT_FALSE(invalid.refusal);
}

TEST_F(SseStartTest, MalformedRequestsAndMutationsOverGetAreRefused) {
  auto bad = start("POST", "/graphql", R"({"query": 7})");
  ASSERT_TRUE(bad.refusal);
  EXPECT_EQ(bad.refusal->status, 400);
  auto type = start("POST", "/graphql", "query=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(type.refusal);
  EXPECT_EQ(type.refusal->status, 415);
  auto mutation = start("GET", "/graphql?query=mutation%7Bm%7D");
  ASSERT_TRUE(mutation.refusal);
  EXPECT_EQ(mutation.refusal->status, 405);
  EXPECT_EQ(mutation.refusal->header("Allow"), "POST");
  auto method = start("PATCH", "/graphql");
  ASSERT_TRUE(method.refusal);
  EXPECT_EQ(method.refusal->status, 405);
}

}  // namespace
}  // namespace sluice::transport::sse
