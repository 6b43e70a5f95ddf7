// The 61 server audits of the graphql-http suite (graphql/graphql-http src/audits/server.ts, v1.23.1), each sent to
// handle() as the audit sends it over the network. Test names carry the audit id. The real suite runs against the
// real server elsewhere; these keep the protocol logic from drifting from it.
#include <gtest/gtest.h>

#include "http_test_util.hpp"

namespace sluice::transport::http::testing {
namespace {

constexpr const char* kTypename = R"({"query":"{ __typename }"})";
constexpr const char* kGr = "application/graphql-response+json";
constexpr const char* kJsonAccept = "application/json";
// What fetch() sends when the audit gives no Accept header (Node's undici).
constexpr const char* kFetchDefaultAccept = "*/*";

class GraphqlHttpAudit : public HttpTest {
 protected:
  // A POST the way an audit sends it: `content-type: application/json` unless told otherwise.
  http_response audit_post(std::string body, std::string accept = kFetchDefaultAccept,
                           std::string content_type = "application/json") const {
    return send(request_spec{"POST", "/graphql", std::move(content_type), std::move(accept), std::move(body)});
  }

  static void expect_no_errors(const http_response& r) {
    auto v = body_json(r);
    EXPECT_EQ(v.find("errors"), nullptr) << r.body;
    EXPECT_NE(v.find("data"), nullptr) << r.body;
  }
  static void expect_no_data(const http_response& r) {
    auto v = body_json(r);
    EXPECT_EQ(v.find("data"), nullptr) << r.body;
  }
};

// ---- Media types

TEST_F(GraphqlHttpAudit, Audit22EB_AcceptsGraphqlResponseJsonAndMatchesTheContentType) {
  auto r = audit_post(kTypename, kGr);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-type").find("application/graphql-response+json"), std::string_view::npos);
}

TEST_F(GraphqlHttpAudit, Audit4655_AcceptsApplicationJsonAndMatchesTheContentType) {
  auto r = audit_post(kTypename, kJsonAccept);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-type").find("application/json"), std::string_view::npos);
}

TEST_F(GraphqlHttpAudit, Audit47DE_AcceptsAnyTypeAndAnswersApplicationJson) {
  auto r = audit_post(kTypename, "*/*");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-type").find("application/json"), std::string_view::npos);
}

TEST_F(GraphqlHttpAudit, Audit80D8_AssumesApplicationJsonWithoutAccept) {
  auto r = audit_post(kTypename, "");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-type").find("application/json"), std::string_view::npos);
}

TEST_F(GraphqlHttpAudit, Audit82A3_RespondsInUtf8) {
  auto r = audit_post(kTypename);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"data":{"__typename":"Query"}})");
  EXPECT_NE(r.header("content-type").find("charset=utf-8"), std::string_view::npos);
}

TEST_F(GraphqlHttpAudit, AuditBF61_AcceptsAUtf8EncodedRequest) {
  auto r = audit_post(R"({"query":"{ __type(name: \"Run🏃Swim🏊\") { name } }"})", kFetchDefaultAccept,
                      "application/json; charset=utf-8");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"data":{"__type":null}})");
}

TEST_F(GraphqlHttpAudit, Audit78D5_AssumesUtf8WithoutACharset) {
  EXPECT_EQ(audit_post(kTypename).status, 200);
}

// ---- Request

TEST_F(GraphqlHttpAudit, Audit2C94_AcceptsPost) { EXPECT_EQ(audit_post(kTypename).status, 200); }

TEST_F(GraphqlHttpAudit, Audit5A70_AcceptsFormUrlencodedGet) {
  // new URL(...).searchParams.set('query', '{ __typename }')
  auto r = send(request_spec{"GET", "/graphql?query=%7B+__typename+%7D", "", kFetchDefaultAccept, ""});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"data":{"__typename":"Query"}})");
}

TEST_F(GraphqlHttpAudit, Audit9C48_DoesNotExecuteMutationsOverGet) {
  auto r = send(request_spec{"GET", "/graphql?query=mutation+%7B+__typename+%7D", "", kGr, ""});
  EXPECT_GE(r.status, 400);
  EXPECT_LE(r.status, 499);
}

TEST_F(GraphqlHttpAudit, Audit9ABE_RespondsWith4xxWithoutAContentType) {
  // fetch() labels a string body text/plain when the caller gives no content-type; a raw client sends none.
  for (const char* content_type : {"", "text/plain;charset=UTF-8"}) {
    auto r = audit_post(kTypename, kFetchDefaultAccept, content_type);
    EXPECT_GE(r.status, 400) << content_type;
    EXPECT_LE(r.status, 499) << content_type;
  }
}

TEST_F(GraphqlHttpAudit, Audit03D4_AcceptsApplicationJsonPost) { EXPECT_EQ(audit_post(kTypename).status, 200); }

TEST_F(GraphqlHttpAudit, AuditA5BF_Uses400WhenThePostBodyIsMissing) { EXPECT_EQ(audit_post("").status, 400); }

// ---- Request parameters

TEST_F(GraphqlHttpAudit, Audit423L_Uses400WhenQueryIsMissing) {
  EXPECT_EQ(audit_post(R"({"notquery":"{ __typename }"})", kGr).status, 400);
}

TEST_F(GraphqlHttpAudit, AuditLKJ0to3_Uses400WhenQueryIsNotAString) {
  for (const char* invalid : {R"({"obj":"ect"})", "0", "false", R"(["array"])"})
    EXPECT_EQ(audit_post(std::string(R"({"query":)") + invalid + "}").status, 400) << invalid;
}

TEST_F(GraphqlHttpAudit, Audit34A2_AllowsAStringQueryWithGraphqlResponseJson) {
  EXPECT_EQ(audit_post(kTypename, kGr).status, 200);
}

TEST_F(GraphqlHttpAudit, Audit13EE_AllowsAStringQueryWithJson) {
  auto r = audit_post(kTypename, kJsonAccept);
  EXPECT_EQ(r.status, 200);
  expect_no_errors(r);
}

TEST_F(GraphqlHttpAudit, Audit6C00to3_Uses400WhenOperationNameIsNotAString) {
  for (const char* invalid : {R"({"obj":"ect"})", "0", "false", R"(["array"])"})
    EXPECT_EQ(audit_post(std::string(R"({"operationName":)") + invalid + R"(,"query":"{ __typename }"})").status,
              400)
        << invalid;
}

TEST_F(GraphqlHttpAudit, Audit8161_AllowsAStringOperationNameWithGraphqlResponseJson) {
  EXPECT_EQ(audit_post(R"({"operationName":"Query","query":"query Query { __typename }"})", kGr).status, 200);
}

TEST_F(GraphqlHttpAudit, AuditB8B3_AllowsAStringOperationNameWithJson) {
  auto r = audit_post(R"({"operationName":"Query","query":"query Query { __typename }"})", kJsonAccept);
  EXPECT_EQ(r.status, 200);
  expect_no_errors(r);
}

TEST_F(GraphqlHttpAudit, Audit94B0to2_AllowsNullParametersWithGraphqlResponseJson) {
  for (const char* parameter : {"variables", "operationName", "extensions"}) {
    auto r = audit_post(std::string(R"({"query":"{ __typename }",")") + parameter + R"(":null})", kGr);
    EXPECT_EQ(r.status, 200) << parameter;
    expect_no_errors(r);
  }
}

TEST_F(GraphqlHttpAudit, Audit0220to2_AllowsNullParametersWithJson) {
  for (const char* parameter : {"variables", "operationName", "extensions"}) {
    auto r = audit_post(std::string(R"({"query":"{ __typename }",")") + parameter + R"(":null})", kJsonAccept);
    EXPECT_EQ(r.status, 200) << parameter;
    expect_no_errors(r);
  }
}

TEST_F(GraphqlHttpAudit, Audit4760to3_Uses400WhenVariablesIsNotAMap) {
  for (const char* invalid : {R"("string")", "0", "false", R"(["array"])"})
    EXPECT_EQ(audit_post(std::string(R"({"query":"{ __typename }","variables":)") + invalid + "}").status, 400)
        << invalid;
}

constexpr const char* kTypeQueryWithVariables =
    R"({"query":"query Type($name: String!) { __type(name: $name) { name } }","variables":{"name":"sometype"}})";

TEST_F(GraphqlHttpAudit, Audit2EA1_AllowsMapVariablesWithGraphqlResponseJson) {
  EXPECT_EQ(audit_post(kTypeQueryWithVariables, kGr).status, 200);
}

TEST_F(GraphqlHttpAudit, Audit28B9_AllowsMapVariablesWithJson) {
  auto r = audit_post(kTypeQueryWithVariables, kJsonAccept);
  EXPECT_EQ(r.status, 200);
  expect_no_errors(r);
  EXPECT_EQ(r.body, R"({"data":{"__type":null}})");
}

// url.searchParams.set('query', 'query Type($name: String!) { __type(name: $name) { name } }');
// url.searchParams.set('variables', JSON.stringify({ name: 'sometype' }));
constexpr const char* kTypeGetTarget =
    "/graphql?query=query+Type%28%24name%3A+String%21%29+%7B+__type%28name%3A+%24name%29+%7B+name+%7D+%7D"
    "&variables=%7B%22name%22%3A%22sometype%22%7D";

TEST_F(GraphqlHttpAudit, AuditD6D5_AllowsUrlEncodedJsonVariablesInGetWithGraphqlResponseJson) {
  auto r = send(request_spec{"GET", kTypeGetTarget, "", kGr, ""});
  EXPECT_EQ(r.status, 200);
  expect_no_errors(r);
}

TEST_F(GraphqlHttpAudit, Audit6A70_AllowsUrlEncodedJsonVariablesInGetWithJson) {
  auto r = send(request_spec{"GET", kTypeGetTarget, "", kJsonAccept, ""});
  EXPECT_EQ(r.status, 200);
  expect_no_errors(r);
}

TEST_F(GraphqlHttpAudit, Audit58B0to3_Uses400WhenExtensionsIsNotAMap) {
  for (const char* invalid : {R"("string")", "0", "false", R"(["array"])"})
    EXPECT_EQ(audit_post(std::string(R"({"query":"{ __typename }","extensions":)") + invalid + "}").status, 400)
        << invalid;
}

TEST_F(GraphqlHttpAudit, Audit428F_AllowsMapExtensionsWithGraphqlResponseJson) {
  EXPECT_EQ(audit_post(R"({"query":"{ __typename }","extensions":{"some":"value"}})", kGr).status, 200);
}

TEST_F(GraphqlHttpAudit, Audit1B7A_AllowsMapExtensionsWithJson) {
  auto r = audit_post(R"({"query":"{ __typename }","extensions":{"some":"value"}})", kJsonAccept);
  EXPECT_EQ(r.status, 200);
  expect_no_errors(r);
}

TEST_F(GraphqlHttpAudit, AuditB6DC_AnswersAJsonParsingFailureWithJson) {
  auto r = audit_post(R"({ "not a JSON)", kJsonAccept);
  EXPECT_TRUE((r.status >= 200 && r.status <= 299) || (r.status >= 400 && r.status <= 599)) << r.status;
}

TEST_F(GraphqlHttpAudit, AuditBCF8_Uses400OnAJsonParsingFailureWithJson) {
  EXPECT_EQ(audit_post(R"({ "not a JSON)", kJsonAccept).status, 400);
}

TEST_F(GraphqlHttpAudit, AuditB7N8_Uses400OnAJsonParsingFailureWithGraphqlResponseJson) {
  EXPECT_EQ(audit_post(R"({ "not a JSON)", kGr).status, 400);
}

TEST_F(GraphqlHttpAudit, Audit8764_Uses4xxOr5xxWhenParametersAreInvalid) {
  auto r = audit_post(R"({"qeury":"{ __typename }"})");
  EXPECT_GE(r.status, 400);
  EXPECT_LE(r.status, 599);
}

TEST_F(GraphqlHttpAudit, Audit3E3A_Uses400WhenParametersAreInvalid) {
  EXPECT_EQ(audit_post(R"({"qeury":"{ __typename }"})").status, 400);
}

// ---- Responses in application/json

TEST_F(GraphqlHttpAudit, Audit572B_Uses200OnADocumentParsingFailureWithJson) {
  EXPECT_EQ(audit_post(R"({"query":"{"})", kJsonAccept).status, 200);
}

TEST_F(GraphqlHttpAudit, AuditFDE2_Uses200OnADocumentValidationFailureWithJson) {
  EXPECT_EQ(audit_post(R"({"query":"{ 8f31403dfe404bccbb0e835f2629c6a7 }"})", kJsonAccept).status, 200);
}

TEST_F(GraphqlHttpAudit, Audit7B9B_Uses200OnAVariableCoercionFailureWithJson) {
  EXPECT_EQ(
      audit_post(R"({"query":"query CoerceFailure($id: ID!){ __typename }","variables":{"id":null}})", kJsonAccept)
          .status,
      200);
}

// ---- Responses in application/graphql-response+json

TEST_F(GraphqlHttpAudit, Audit865D_Uses4xxOr5xxOnADocumentParsingFailureWithGraphqlResponseJson) {
  auto r = audit_post(R"({"query":"{"})", kGr);
  EXPECT_GE(r.status, 400);
  EXPECT_LE(r.status, 599);
}

TEST_F(GraphqlHttpAudit, Audit556A_Uses400OnADocumentParsingFailureWithGraphqlResponseJson) {
  EXPECT_EQ(audit_post(R"({"query":"{"})", kGr).status, 400);
}

TEST_F(GraphqlHttpAudit, AuditD586_HasNoDataOnADocumentParsingFailureWithGraphqlResponseJson) {
  expect_no_data(audit_post(R"({"query":"{"})", kGr));
}

TEST_F(GraphqlHttpAudit, Audit51FE_Uses4xxOr5xxOnADocumentValidationFailureWithGraphqlResponseJson) {
  auto r = audit_post(R"({"query":"{ 8f31403dfe404bccbb0e835f2629c6a7 }"})", kGr);
  EXPECT_GE(r.status, 400);
  EXPECT_LE(r.status, 599);
}

TEST_F(GraphqlHttpAudit, Audit74FF_Uses400OnADocumentValidationFailureWithGraphqlResponseJson) {
  EXPECT_EQ(audit_post(R"({"query":"{ 8f31403dfe404bccbb0e835f2629c6a7 }"})", kGr).status, 400);
}

TEST_F(GraphqlHttpAudit, Audit5E5B_HasNoDataOnADocumentValidationFailureWithGraphqlResponseJson) {
  expect_no_data(audit_post(R"({"query":"{ 8f31403dfe404bccbb0e835f2629c6a7 }"})", kGr));
}

TEST_F(GraphqlHttpAudit, Audit86EE_Uses400OnAVariableCoercionFailureWithGraphqlResponseJson) {
  EXPECT_EQ(
      audit_post(R"({"query":"query CoerceFailure($id: ID!){ __typename }","variables":{"id":null}})", kGr).status,
      400);
}

}  // namespace
}  // namespace sluice::transport::http::testing
