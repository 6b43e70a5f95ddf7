// graphql_over_http::handle(): methods, negotiation, POST and GET parameters, the GET and subscription rules,
// status codes per media type, content types and error bodies (the table in docs/HTTP.md).
#include <gtest/gtest.h>

#include "http_test_util.hpp"

namespace sluice::transport::http::testing {
namespace {

constexpr const char* kGr = "application/graphql-response+json";
constexpr const char* kJsonAccept = "application/json";

// A refusal before GraphQL runs: the status, application/json, `{"errors":[{"message":...}]}` naming the problem.
void expect_refusal(const http_response& r, int status, std::string_view message_part) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("Content-Type"), kJson);
  EXPECT_TRUE(is_error_body(r));
  EXPECT_NE(first_message(r).find(message_part), std::string::npos)
      << "message \"" << first_message(r) << "\" does not mention " << message_part;
}

// ---- the response type

TEST(HttpResponse, HeaderNamesAreCaseInsensitive) {
  http_response r;
  r.headers = {{"Content-Type", "a"}, {"allow", "b"}, {"Allow", "c"}};
  EXPECT_EQ(r.header("content-type"), "a");
  EXPECT_EQ(r.header("ALLOW"), "b");
  EXPECT_EQ(r.header("Accept"), "");
}

// ---- methods

TEST_F(HttpTest, MethodsOtherThanGetAndPostAre405WithAllow) {
  for (const char* method : {"PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "post", "get"}) {
    auto r = send(request_spec{method, "/graphql?query=%7B+hello+%7D", "application/json", kGr,
                               R"({"query":"{ hello }"})"});
    expect_refusal(r, 405, method);
    EXPECT_EQ(r.header("Allow"), "GET, POST") << method;
  }
}

// ---- negotiation

TEST_F(HttpTest, AnswersInTheNegotiatedMediaType) {
  struct row {
    const char* accept;
    std::string_view content_type;
  };
  for (const row& c : {row{kGr, kGraphqlResponseJson}, row{kJsonAccept, kJson}, row{"*/*", kJson}, row{"", kJson},
                       row{"application/graphql-response+json, application/json;q=0.9", kGraphqlResponseJson},
                       row{"application/graphql-response+json;q=0.5, application/json", kJson}}) {
    auto r = post(R"({"query":"{ hello }"})", c.accept);
    EXPECT_EQ(r.status, 200) << c.accept;
    EXPECT_EQ(r.header("Content-Type"), c.content_type) << c.accept;
    EXPECT_EQ(r.body, R"({"data":{"hello":"Hello, world"}})");
  }
}

TEST_F(HttpTest, NothingAcceptableIs406WithTheTypesWeServe) {
  for (const char* accept : {"text/html", "application/json;q=0, application/graphql-response+json;q=0",
                             "text/event-stream", "application/xml, text/*"}) {
    auto post_r = post(R"({"query":"{ hello }"})", accept);
    expect_refusal(post_r, 406, "Accept");
    EXPECT_EQ(post_r.header("Accept"), "application/graphql-response+json, application/json");
    auto get_r = get("query=%7B+hello+%7D", accept);
    expect_refusal(get_r, 406, "Accept");
    EXPECT_EQ(get_r.header("Accept"), "application/graphql-response+json, application/json");
  }
}

// ---- POST: the content type

TEST_F(HttpTest, PostWithoutAContentTypeIs415) {
  auto r = send(request_spec{"POST", "/graphql", "", kGr, R"({"query":"{ hello }"})"});
  expect_refusal(r, 415, "Content-Type");
}

TEST_F(HttpTest, PostWithAnotherContentTypeIs415) {
  for (const char* type : {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                           "multipart/form-data; boundary=x", "application/graphql", "application/jsonx",
                           "application/graphql-response+json", "json", "application/json/"}) {
    auto r = send(request_spec{"POST", "/graphql", type, kGr, R"({"query":"{ hello }"})"});
    expect_refusal(r, 415, "application/json");
  }
}

TEST_F(HttpTest, PostWithACharsetOtherThanUtf8Is415) {
  for (const char* type : {"application/json; charset=latin1", "application/json;charset=utf-16",
                           "application/json; charset=\"iso-8859-1\""}) {
    auto r = send(request_spec{"POST", "/graphql", type, kGr, R"({"query":"{ hello }"})"});
    expect_refusal(r, 415, "charset");
  }
}

TEST_F(HttpTest, PostContentTypeIsCaseInsensitiveAndMayCarryParameters) {
  for (const char* type : {"application/json", "Application/JSON", "application/json; charset=utf-8",
                           "application/json;charset=UTF-8", "application/json; Charset=\"utf-8\"",
                           "application/json; foo=bar", "  application/json ;  charset=utf-8  ",
                           "application/json;"}) {
    auto r = send(request_spec{"POST", "/graphql", type, kGr, R"({"query":"{ hello }"})"});
    EXPECT_EQ(r.status, 200) << type << ": " << r.body;
  }
}

// ---- POST: the body

TEST_F(HttpTest, PostBodyThatIsNotJsonIs400InBothMediaTypes) {
  for (const char* accept : {kGr, kJsonAccept}) {
    expect_refusal(post(R"({ "not a JSON)", accept), 400, "not valid JSON");
    expect_refusal(post("", accept), 400, "empty");
    expect_refusal(post("   ", accept), 400, "empty");
    expect_refusal(post(R"({"query":"{ hello }"} trailing)", accept), 400, "not valid JSON");
    expect_refusal(post("{\"query\":\"\xff\"}", accept), 400, "not valid JSON");  // not UTF-8
  }
}

TEST_F(HttpTest, PostBodyThatIsNotAnObjectIs400) {
  for (const char* body : {"[]", R"(["{ hello }"])", R"("{ hello }")", "null", "1", "true"})
    expect_refusal(post(body), 400, "must be a JSON object");
}

TEST_F(HttpTest, PostQueryMissingOrNullIs400) {
  expect_refusal(post(R"({})"), 400, R"("query" is required)");
  expect_refusal(post(R"({"query":null})"), 400, R"("query" is required)");
  expect_refusal(post(R"({"qeury":"{ hello }"})"), 400, R"("query" is required)");
}

TEST_F(HttpTest, PostQueryOfAnotherTypeIs400) {
  for (const char* q : {"1", "true", "{}", R"(["{ hello }"])", "1.5"})
    expect_refusal(post(std::string(R"({"query":)") + q + "}"), 400, R"("query" must be a string)");
}

TEST_F(HttpTest, PostOperationNameOfAnotherTypeIs400) {
  for (const char* v : {"1", "false", R"({"a":1})", R"(["A"])"})
    expect_refusal(post(std::string(R"({"query":"{ hello }","operationName":)") + v + "}"), 400,
                   R"("operationName" must be a string)");
}

TEST_F(HttpTest, PostVariablesOfAnotherTypeIs400) {
  for (const char* v : {R"("{\"name\":\"x\"}")", "1", "false", R"([{"name":"x"}])"})
    expect_refusal(post(std::string(R"({"query":"{ hello }","variables":)") + v + "}"), 400,
                   R"("variables" must be an object)");
}

TEST_F(HttpTest, PostExtensionsOfAnotherTypeIs400) {
  for (const char* v : {R"("x")", "0", "true", "[]"})
    expect_refusal(post(std::string(R"({"query":"{ hello }","extensions":)") + v + "}"), 400,
                   R"("extensions" must be an object)");
}

TEST_F(HttpTest, ParameterErrorsAreApplicationJsonEvenWhenGraphqlResponseJsonIsAccepted) {
  auto r = post(R"({"query":"{ hello }","variables":[]})", kGr);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.header("Content-Type"), kJson);
  EXPECT_EQ(r.body, R"({"errors":[{"message":"\"variables\" must be an object"}]})");
}

TEST_F(HttpTest, PostNullParametersCountAsAbsentAndUnknownOnesAreIgnored) {
  auto r = post(R"({"query":"{ hello }","operationName":null,"variables":null,"extensions":null,)"
                R"("id":"abc","documentId":7,"extra":{"deep":[1,2]}})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"data":{"hello":"Hello, world"}})");
}

TEST_F(HttpTest, PostVariablesAndExtensionsAreUsed) {
  auto r = post(R"({"query":"query($n: String) { hello(name: $n) }","variables":{"n":"Eve"},"extensions":{"a":1}})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"data":{"hello":"Hello, Eve"}})");
}

// ---- GET

TEST_F(HttpTest, GetDecodesPlusAsASpace) {
  auto r = get("query=%7B+hello+%7D");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"data":{"hello":"Hello, world"}})");
  // A '+' that is part of the text is sent as %2B.
  auto plus = get("query=%7B+hello%28name%3A+%22a%2Bb+c%22%29+%7D");
  EXPECT_EQ(plus.body, R"({"data":{"hello":"Hello, a+b c"}})");
}

TEST_F(HttpTest, GetDecodesPercentEscapes) {
  auto r = get("query=%7B%20hello(name%3A%20%22A%26B%3DC%25%22)%20%7D");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"data":{"hello":"Hello, A&B=C%"}})");
}

TEST_F(HttpTest, GetAcceptsTheUnencodedTextThatCurlSends) {
  auto r = get(R"(query={ hello(name: "Zoë") })");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"data":{"hello":"Hello, Zoë"}})");
}

TEST_F(HttpTest, GetWithAnInvalidEscapeIs400) {
  expect_refusal(get("query=%7B+hello+%7D%zz"), 400, "not a valid URL");
}

TEST_F(HttpTest, GetTextThatIsNotUtf8Is400) {
  expect_refusal(get("query=%7B+hello%28name%3A+%22%FF%22%29+%7D"), 400, R"("query" is not valid UTF-8)");
  expect_refusal(get("query=%7B+hello+%7D&operationName=%C0%AF"), 400, R"("operationName" is not valid UTF-8)");
}

TEST_F(HttpTest, GetVariablesAreJson) {
  auto r = get("query=query%28%24n%3A+String%29+%7B+hello%28name%3A+%24n%29+%7D&variables=%7B%22n%22%3A%22Eve%22%7D");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"data":{"hello":"Hello, Eve"}})");
}

TEST_F(HttpTest, GetEmptyOrNullVariablesAndExtensionsAreAbsent) {
  for (const char* rest : {"&variables=", "&extensions=", "&variables=null&extensions=null", "&variables"}) {
    auto r = get(std::string("query=query%28%24n%3A+String%29+%7B+hello%28name%3A+%24n%29+%7D") + rest);
    EXPECT_EQ(r.status, 200) << rest;
    EXPECT_EQ(r.body, R"({"data":{"hello":"Hello, world"}})") << rest;
  }
}

TEST_F(HttpTest, GetVariablesThatAreNotAJsonObjectAre400) {
  expect_refusal(get("query=%7B+hello+%7D&variables=%7Bnope"), 400, R"("variables" is not valid JSON)");
  expect_refusal(get("query=%7B+hello+%7D&variables=%5B1%5D"), 400, R"("variables" must be a JSON object)");
  expect_refusal(get("query=%7B+hello+%7D&variables=%22x%22"), 400, R"("variables" must be a JSON object)");
  expect_refusal(get("query=%7B+hello+%7D&extensions=%7B"), 400, R"("extensions" is not valid JSON)");
  expect_refusal(get("query=%7B+hello+%7D&extensions=7"), 400, R"("extensions" must be a JSON object)");
}

TEST_F(HttpTest, GetExtensionsAreAccepted) {
  auto r = get("query=%7B+hello+%7D&extensions=%7B%22persistedQuery%22%3A%7B%22version%22%3A1%7D%7D");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"data":{"hello":"Hello, world"}})");
}

TEST_F(HttpTest, GetWithoutAQueryIs400) {
  for (const char* target : {"/graphql", "/graphql?", "/graphql?operationName=A", "/graphql?qeury=%7B+hello+%7D"})
    expect_refusal(send(request_spec{"GET", target, "", kGr, ""}), 400, R"("query" is required)");
}

TEST_F(HttpTest, GetUsesTheFirstOfARepeatedParameterAndIgnoresTheBody) {
  auto r = send(request_spec{"GET", "/graphql?query=%7B+hello+%7D&query=%7B+boom+%7D", "text/plain", kGr,
                             "ignored"});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"data":{"hello":"Hello, world"}})");
}

TEST_F(HttpTest, GetEmptyQueryIsASyntaxError) {
  auto r = get("query=");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.header("Content-Type"), kGraphqlResponseJson);
  EXPECT_TRUE(is_error_body(r));
}

// ---- mutations

TEST_F(HttpTest, MutationOverGetIs405WithAllowPostAndDoesNotRun) {
  for (const char* accept : {kGr, kJsonAccept}) {
    auto r = get("query=mutation+%7B+add%28n%3A+1%29+%7D", accept);
    expect_refusal(r, 405, "POST");
    EXPECT_EQ(r.header("Allow"), "POST");
  }
  EXPECT_EQ(*additions_, 0);
}

TEST_F(HttpTest, MutationOverGetSelectedByOperationNameIs405) {
  // query Q { hello } mutation M { add(n: 1) }
  const std::string doc = "query=query+Q+%7B+hello+%7D+mutation+M+%7B+add%28n%3A+1%29+%7D";
  auto r = get(doc + "&operationName=M");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "POST");
  auto q = get(doc + "&operationName=Q");
  EXPECT_EQ(q.status, 200);
  EXPECT_EQ(q.body, R"({"data":{"hello":"Hello, world"}})");
  EXPECT_EQ(*additions_, 0);
}

TEST_F(HttpTest, MutationOverGetThatDoesNotValidateGetsItsErrorsInstead) {
  // mutation { add } misses the required argument: validation reports it, no 405.
  auto r = get("query=mutation+%7B+add+%7D");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.header("Content-Type"), kGraphqlResponseJson);
  EXPECT_TRUE(is_error_body(r));
  auto syntax = get("query=mutation+%7B+add%28n%3A+1%29", kJsonAccept);
  EXPECT_EQ(syntax.status, 200);
  EXPECT_TRUE(is_error_body(syntax));
  EXPECT_EQ(*additions_, 0);
}

TEST_F(HttpTest, MutationOverPostExecutes) {
  auto r = post(R"({"query":"mutation { add(n: 2) }"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), kGraphqlResponseJson);
  EXPECT_EQ(r.body, R"({"data":{"add":2}})");
  EXPECT_EQ(*additions_, 1);
}

// ---- operation selection

TEST_F(HttpTest, OperationNameSelectsTheOperation) {
  const char* doc = R"("query A { hello } query B { hello(name: \"B\") }")";
  auto b = post(std::string(R"({"query":)") + doc + R"(,"operationName":"B"})");
  EXPECT_EQ(b.status, 200);
  EXPECT_EQ(b.body, R"({"data":{"hello":"Hello, B"}})");
  auto a = get("query=query+A+%7B+hello+%7D+query+B+%7B+hello%28name%3A+%22B%22%29+%7D&operationName=A");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, R"({"data":{"hello":"Hello, world"}})");
}

TEST_F(HttpTest, AnOperationThatCannotBeSelectedIs400OrAn200Error) {
  const char* doc = R"("query A { hello } query B { hello }")";
  for (const char* extra : {"", R"(,"operationName":"C")"}) {
    auto gr = post(std::string(R"({"query":)") + doc + extra + "}", kGr);
    EXPECT_EQ(gr.status, 400) << extra;
    EXPECT_EQ(gr.header("Content-Type"), kGraphqlResponseJson);
    EXPECT_TRUE(is_error_body(gr));
    auto js = post(std::string(R"({"query":)") + doc + extra + "}", kJsonAccept);
    EXPECT_EQ(js.status, 200) << extra;
    EXPECT_EQ(js.header("Content-Type"), kJson);
    EXPECT_TRUE(is_error_body(js));
  }
  EXPECT_EQ(first_message(post(std::string(R"({"query":)") + doc + "}")),
            "Must provide operation name if query contains multiple operations.");
  EXPECT_EQ(first_message(post(std::string(R"({"query":)") + doc + R"(,"operationName":"C"})")),
            "Unknown operation named \"C\".");
}

// ---- subscriptions

TEST_F(HttpTest, SubscriptionsAreRefusedOverPlainHttp) {
  const std::string message = "Subscriptions are not served over plain HTTP; use WebSocket or Server-Sent Events.";
  for (const char* accept : {kGr, kJsonAccept}) {
    auto p = post(R"({"query":"subscription { ticks }"})", accept);
    EXPECT_EQ(p.status, 400);
    EXPECT_TRUE(is_error_body(p));
    EXPECT_EQ(first_message(p), message);
    auto g = get("query=subscription+%7B+ticks+%7D", accept);
    EXPECT_EQ(g.status, 400);
    EXPECT_EQ(first_message(g), message);
  }
  auto named = post(R"({"query":"query Q { hello } subscription S { ticks }","operationName":"S"})");
  EXPECT_EQ(named.status, 400);
  EXPECT_EQ(named.header("Content-Type"), kGraphqlResponseJson);
  EXPECT_EQ(named.body, R"({"errors":[{"message":")" + message + R"(","locations":[{"line":1,"column":19}]}]})");
  auto query = post(R"({"query":"query Q { hello } subscription S { ticks }","operationName":"Q"})");
  EXPECT_EQ(query.status, 200);
}

TEST_F(HttpTest, ASubscriptionThatDoesNotValidateGetsItsErrors) {
  auto r = post(R"({"query":"subscription { nope }"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(is_error_body(r));
  EXPECT_NE(first_message(r).find("nope"), std::string::npos) << r.body;
  auto syntax = post(R"({"query":"subscription { ticks "})", kJsonAccept);
  EXPECT_EQ(syntax.status, 200);
  EXPECT_TRUE(is_error_body(syntax));
  EXPECT_NE(first_message(syntax).find("Syntax Error"), std::string::npos) << syntax.body;
}

// ---- status codes of GraphQL responses

TEST_F(HttpTest, SyntaxErrorsAre400WithGraphqlResponseJsonAnd200WithJson) {
  auto gr = post(R"({"query":"{"})", kGr);
  EXPECT_EQ(gr.status, 400);
  EXPECT_EQ(gr.header("Content-Type"), kGraphqlResponseJson);
  EXPECT_TRUE(is_error_body(gr));
  auto js = post(R"({"query":"{"})", kJsonAccept);
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.header("Content-Type"), kJson);
  EXPECT_TRUE(is_error_body(js));
  EXPECT_EQ(gr.body, js.body);
}

TEST_F(HttpTest, ValidationErrorsAre400WithGraphqlResponseJsonAnd200WithJson) {
  auto gr = post(R"({"query":"{ nope }"})", kGr);
  EXPECT_EQ(gr.status, 400);
  EXPECT_EQ(gr.header("Content-Type"), kGraphqlResponseJson);
  EXPECT_EQ(gr.body,
            R"({"errors":[{"message":"Cannot query field \"nope\" on type \"Query\".",)"
            R"("locations":[{"line":1,"column":3}]}]})");
  auto js = post(R"({"query":"{ nope }"})", kJsonAccept);
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.header("Content-Type"), kJson);
  EXPECT_EQ(js.body, gr.body);
}

TEST_F(HttpTest, VariableCoercionErrorsAre400WithGraphqlResponseJsonAnd200WithJson) {
  const char* body = R"({"query":"query($n: String!) { hello(name: $n) }","variables":{"n":3}})";
  auto gr = post(body, kGr);
  EXPECT_EQ(gr.status, 400);
  EXPECT_TRUE(is_error_body(gr));
  EXPECT_NE(first_message(gr).find("$n"), std::string::npos) << gr.body;
  auto js = post(body, kJsonAccept);
  EXPECT_EQ(js.status, 200);
  EXPECT_TRUE(is_error_body(js));
  auto missing = post(R"({"query":"query($n: String!) { hello(name: $n) }"})", kGr);
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(is_error_body(missing));
}

TEST_F(HttpTest, PartialDataWithFieldErrorsIs200InBothMediaTypes) {
  for (const char* accept : {kGr, kJsonAccept}) {
    auto r = post(R"({"query":"{ hello boom }"})", accept);
    EXPECT_EQ(r.status, 200) << accept;
    EXPECT_EQ(r.body,
              R"({"errors":[{"message":"kaboom","locations":[{"line":1,"column":9}],"path":["boom"]}],)"
              R"("data":{"hello":"Hello, world","boom":null}})");
  }
}

TEST_F(HttpTest, AsynchronousResolversRunOnTheCallersLoop) {
  auto r = post(R"({"query":"{ later hello }"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"data":{"later":"later","hello":"Hello, world"}})");
}

// ---- UTF-8

TEST_F(HttpTest, Utf8TextRoundTrips) {
  auto type = post(R"({"query":"{ __type(name:\"Run🏃Swim🏊\"){name} }"})");
  EXPECT_EQ(type.status, 200);
  EXPECT_EQ(type.body, R"({"data":{"__type":null}})");
  auto hello = post(R"({"query":"{ hello(name: \"Run🏃Swim🏊\") }"})");
  EXPECT_EQ(hello.body, R"({"data":{"hello":"Hello, Run🏃Swim🏊"}})");
  auto escaped = post(R"({"query":"{ hello(name: \"\ud83c\udfc3\") }"})");
  EXPECT_EQ(escaped.body, R"({"data":{"hello":"Hello, 🏃"}})");
  // URLSearchParams percent-encodes the UTF-8 bytes.
  auto g = get("query=%7B+hello%28name%3A+%22Run%F0%9F%8F%83Swim%F0%9F%8F%8A%22%29+%7D");
  EXPECT_EQ(g.status, 200);
  EXPECT_EQ(g.body, R"({"data":{"hello":"Hello, Run🏃Swim🏊"}})");
}

}  // namespace
}  // namespace sluice::transport::http::testing
