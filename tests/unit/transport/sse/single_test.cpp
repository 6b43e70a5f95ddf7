// Single-connection SSE without sockets: the token of a request, which step it is, the PUT and run-step
// refusals, the DELETE parameter, and the events with operation ids.
#include "sluice/transport/sse/single.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "sluice/core/json.hpp"
#include "sluice/schema/builder.hpp"

namespace sluice::transport::sse {
namespace {

// The message of a refusal's `{"errors":[{"message":...}]}` body (empty when the body is not that).
std::string refusal_message(const http::http_response& r) {
  auto v = json::parse(r.body);
  if (!v || !v->is_object()) return {};
  const auto* errors = v->find("errors");
  if (errors == nullptr || !errors->is_list() || errors->as_list().size() != 1) return {};
  const auto* m = errors->as_list().front().find("message");
  return m != nullptr && m->is_string() ? m->as_string() : std::string{};
}

// ---- the token

TEST(SingleTokenTest, TheHeaderWinsOverTheQueryParameter) {
  EXPECT_EQ(token_of("from-header", "/graphql?token=from-query"), "from-header");
  EXPECT_EQ(token_of("from-header", "/graphql"), "from-header");
}

TEST(SingleTokenTest, EventSourceClientsPassItAsTheTokenQueryParameter) {
  EXPECT_EQ(token_of("", "/graphql?token=abc"), "abc");
  EXPECT_EQ(token_of("", "/graphql?query=x&token=abc&other=1"), "abc");
  EXPECT_EQ(token_of("", "/graphql?token=a%2Fb%3D%20c"), "a/b= c");
  EXPECT_EQ(token_of("", "/graphql?token=a+b"), "a b");
}

TEST(SingleTokenTest, NoTokenIsEmpty) {
  EXPECT_EQ(token_of("", "/graphql"), "");
  EXPECT_EQ(token_of("", "/graphql?"), "");
  EXPECT_EQ(token_of("", "/graphql?query=%7Ba%7D"), "");
  EXPECT_EQ(token_of("", "/graphql?tokens=abc"), "");
}

// ---- the step

TEST(SingleClassifyTest, EveryMethodAndFlagCombination) {
  for (bool has_token : {false, true}) {
    for (bool stream : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "token " << has_token << ", stream " << stream);
      const single_step get_or_post =
          !has_token ? single_step::none : (stream ? single_step::open : single_step::run);
      EXPECT_EQ(classify("GET", has_token, stream), get_or_post);
      EXPECT_EQ(classify("POST", has_token, stream), get_or_post);
      EXPECT_EQ(classify("PUT", has_token, stream), single_step::reserve);
      EXPECT_EQ(classify("DELETE", has_token, stream), single_step::stop);
      EXPECT_EQ(classify("OPTIONS", has_token, stream), single_step::none);
      EXPECT_EQ(classify("PATCH", has_token, stream), single_step::refuse);
      EXPECT_EQ(classify("HEAD", has_token, stream), single_step::refuse);
      EXPECT_EQ(classify("get", has_token, stream), single_step::refuse);  // methods are case-sensitive
    }
  }
}

// ---- PUT

TEST(SingleReserveTest, AcceptMustAllowTextPlain) {
  for (const char* accept : {"", "*/*", "text/plain", "text/*", "TEXT/PLAIN; charset=utf-8",
                             "application/json, text/plain;q=0.5", "text/plain;q=0.001"}) {
    EXPECT_FALSE(reserve_refusal(accept).has_value()) << accept;
  }
  for (const char* accept : {"application/json", "text/plain;q=0", "text/plain;q=0.0, application/json",
                             "text/html", "text/event-stream"}) {
    auto refused = reserve_refusal(accept);
    ASSERT_TRUE(refused.has_value()) << accept;
    EXPECT_EQ(refused->status, 406) << accept;
    EXPECT_EQ(refused->header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_NE(refusal_message(*refused).find("text/plain"), std::string::npos) << refused->body;
  }
}

TEST(SingleReserveTest, TheTokenIsAnsweredAsTextPlainWith201) {
  auto r = reserved("0b7a8a56-6d0d-4f3e-9d6c-6b2f3c1a2b3c");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(r.body, "0b7a8a56-6d0d-4f3e-9d6c-6b2f3c1a2b3c");
}

// ---- the run step

class SingleOperationTest : public ::testing::Test {
 protected:
  std::unique_ptr<execution::executor> ex_ = [] {
    auto built = schema::build_schema("type Query { a(x: Int): Int } type Mutation { m: Int }");
    EXPECT_TRUE(built.ok());
    return std::make_unique<execution::executor>(built.built);
  }();

  std::variant<operation, http::http_response> read(std::string_view method, std::string_view target,
                                                    std::string_view body = "",
                                                    std::string_view type = "application/json",
                                                    std::string_view accept = "application/json") {
    return read_operation(http::http_request{method, target, type, accept, body}, *ex_);
  }
  // The refusal read() gives (a failed test, and a 0 status, when it gives an operation).
  http::http_response refused(const std::variant<operation, http::http_response>& read_result) {
    const auto* r = std::get_if<http::http_response>(&read_result);
    EXPECT_NE(r, nullptr) << "an operation was read";
    return r != nullptr ? *r : http::http_response{0, {}, {}};
  }
};

TEST_F(SingleOperationTest, PostCarriesTheRequestAndItsOperationId) {
  auto read_result =
      read("POST", "/graphql?token=t",
           R"({"query":"query Q($x: Int) { a(x: $x) }","operationName":"Q","variables":{"x":3},)"
           R"("extensions":{"operationId":"op-1","other":true}})");
  const auto* op = std::get_if<operation>(&read_result);
  ASSERT_NE(op, nullptr) << std::get<http::http_response>(read_result).body;
  EXPECT_EQ(op->id, "op-1");
  EXPECT_EQ(op->request.query, "query Q($x: Int) { a(x: $x) }");
  EXPECT_EQ(op->request.operation_name, "Q");
  ASSERT_TRUE(op->request.variables.is_object());
  ASSERT_NE(op->request.variables.find("x"), nullptr);
  EXPECT_EQ(op->request.variables.find("x")->as_int(), 3);
  ASSERT_NE(op->request.extensions.find("other"), nullptr);
  EXPECT_TRUE(op->request.extensions.find("other")->as_bool());
}

TEST_F(SingleOperationTest, GetCarriesTheRequestAndItsOperationId) {
  // extensions={"operationId":"g 1"}
  auto read_result =
      read("GET", "/graphql?token=t&query=%7B+a+%7D&extensions=%7B%22operationId%22%3A%22g+1%22%7D");
  const auto* op = std::get_if<operation>(&read_result);
  ASSERT_NE(op, nullptr) << std::get<http::http_response>(read_result).body;
  EXPECT_EQ(op->id, "g 1");
  EXPECT_EQ(op->request.query, "{ a }");
}

TEST_F(SingleOperationTest, AMissingEmptyOrNonStringOperationIdIs400) {
  for (const char* body :
       {R"({"query":"{ a }"})", R"({"query":"{ a }","extensions":{}})",
        R"({"query":"{ a }","extensions":null})", R"({"query":"{ a }","extensions":{"operationId":""}})",
        R"({"query":"{ a }","extensions":{"operationId":7}})",
        R"({"query":"{ a }","extensions":{"operationId":null}})",
        R"({"query":"{ a }","extensions":{"operationId":["x"]}})",
        R"({"query":"{ a }","extensions":{"operationid":"x"}})"}) {
    auto r = refused(read("POST", "/graphql", body));
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_NE(refusal_message(r).find("operationId"), std::string::npos) << r.body;
  }
  auto get = refused(read("GET", "/graphql?token=t&query=%7B+a+%7D"));
  EXPECT_EQ(get.status, 400);
  EXPECT_NE(refusal_message(get).find("operationId"), std::string::npos) << get.body;
}

TEST_F(SingleOperationTest, TheHttpRefusalsComeFirst) {
  const char* body = R"({"query":"{ a }","extensions":{"operationId":"x"}})";
  auto html = refused(read("POST", "/graphql", body, "application/json", "text/html"));
  EXPECT_EQ(html.status, 406);
  EXPECT_NE(refusal_message(html).find("Accept"), std::string::npos) << html.body;

  auto mutation = refused(
      read("GET", "/graphql?query=mutation+%7B+m+%7D&extensions=%7B%22operationId%22%3A%22x%22%7D", ""));
  EXPECT_EQ(mutation.status, 405);
  EXPECT_EQ(mutation.header("Allow"), "POST");

  auto type = refused(read("POST", "/graphql", body, "text/plain"));
  EXPECT_EQ(type.status, 415);

  auto malformed = refused(read("POST", "/graphql", R"({"query": 7, "extensions":{"operationId":"x"}})"));
  EXPECT_EQ(malformed.status, 400);
}

// ---- DELETE and other methods

TEST(SingleStopTest, TheOperationIdQueryParameter) {
  EXPECT_EQ(operation_id_param("/graphql?operationId=abc"), "abc");
  EXPECT_EQ(operation_id_param("/graphql?token=t&operationId=a%2Fb+c"), "a/b c");
  EXPECT_EQ(operation_id_param("/graphql?token=t"), "");
  EXPECT_EQ(operation_id_param("/graphql"), "");
  EXPECT_EQ(operation_id_param("/graphql?operationid=abc"), "");  // names are case-sensitive
}

TEST(SingleRefusalTest, RefusalsAreJsonErrorsWithTheirStatus) {
  auto r = refusal(404, "Stream not found");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.body, R"({"errors":[{"message":"Stream not found"}]})");
}

TEST(SingleRefusalTest, AnUnknownMethodIs405WithTheMethodsOfSingleConnectionMode) {
  auto r = method_refusal();
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "GET, POST, PUT, DELETE");
  EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_FALSE(refusal_message(r).empty()) << r.body;
}

// ---- events

TEST(SingleEventTest, EventsCarryTheOperationId) {
  EXPECT_EQ(next_event("op1", R"({"data":{"a":1}})"),
            "event: next\ndata: {\"id\":\"op1\",\"payload\":{\"data\":{\"a\":1}}}\n\n");
  EXPECT_EQ(complete_event("op1"), "event: complete\ndata: {\"id\":\"op1\"}\n\n");
}

TEST(SingleEventTest, TheIdIsEscapedSoAnEventStaysOneDataLine) {
  // A quote, a backslash and a newline: a raw newline would end the data line and break the event.
  EXPECT_EQ(next_event("a\"b\\c\nd", "{}"),
            "event: next\ndata: {\"id\":\"a\\\"b\\\\c\\nd\",\"payload\":{}}\n\n");
  EXPECT_EQ(complete_event("a\"b\\c\nd"), "event: complete\ndata: {\"id\":\"a\\\"b\\\\c\\nd\"}\n\n");
  EXPECT_EQ(complete_event("\r"), "event: complete\ndata: {\"id\":\"\\r\"}\n\n");
}

}  // namespace
}  // namespace sluice::transport::sse
