// negotiate(): which response media type an Accept header gets (q values, wildcards, parameters, case, spaces).
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "sluice/transport/http/graphql_over_http.hpp"

namespace sluice::transport::http {
namespace {

constexpr auto gr = media_type::graphql_response_json;
constexpr auto json = media_type::json;

struct accept_case {
  const char* accept;
  std::optional<media_type> expected;
};

std::string name_of(const std::optional<media_type>& t) {
  if (!t) return "nothing (406)";
  return *t == gr ? "graphql-response+json" : "json";
}

void expect_all(std::initializer_list<accept_case> cases) {
  for (const auto& c : cases)
    EXPECT_EQ(negotiate(c.accept), c.expected)
        << "Accept: \"" << c.accept << "\" gave " << name_of(negotiate(c.accept)) << ", expected "
        << name_of(c.expected);
}

TEST(Negotiate, AMissingOrBlankHeaderMeansJson) {
  expect_all({{"", json}, {"   ", json}, {"\t", json}});
}

TEST(Negotiate, NamedTypes) {
  expect_all({
      {"application/graphql-response+json", gr},
      {"application/json", json},
      {"application/graphql-response+json, application/json", gr},
      {"application/json, application/graphql-response+json", json},
      {"text/html, application/graphql-response+json", gr},
  });
}

TEST(Negotiate, WildcardsMeanJson) {
  expect_all({
      {"*/*", json},
      {"application/*", json},
      {"text/html, */*;q=0.8", json},
      {"*/*, application/graphql-response+json", json},  // equal q: the earlier entry
      {"application/graphql-response+json, */*", gr},
  });
}

TEST(Negotiate, TheHighestQWins) {
  expect_all({
      {"application/graphql-response+json, application/json;q=0.9", gr},  // what the spec tells clients to send
      {"application/graphql-response+json;q=0.9, application/json", json},
      {"application/json;q=0.5, application/graphql-response+json;q=0.6", gr},
      {"application/graphql-response+json;q=0.5, */*", json},
      {"application/json;q=0.001, application/graphql-response+json;q=0.0009", json},  // 4th decimal ignored: 0
      {"application/graphql-response+json;q=1.0, application/json;q=1", gr},
      {"application/json;q=0.50, application/graphql-response+json;q=0.5", json},  // a tie: the earlier one
  });
}

TEST(Negotiate, QZeroMeansNotAcceptable) {
  expect_all({
      {"application/graphql-response+json;q=0", std::nullopt},
      {"application/json;q=0", std::nullopt},
      {"application/graphql-response+json;q=0, application/json", json},
      {"application/json;q=0.000, */*", std::nullopt},  // the more specific range decides for application/json
      {"application/graphql-response+json;q=0, */*", json},
      {"*/*;q=0", std::nullopt},
  });
}

TEST(Negotiate, OtherParametersAreIgnored) {
  expect_all({
      {"application/graphql-response+json; charset=utf-8", gr},
      {"application/json;charset=latin1", json},
      {"application/graphql-response+json;charset=utf-8;q=0.5, application/json;q=0.4", gr},
      {"application/graphql-response+json; profile=\"a,b\"; q=0.2, application/json; q=0.3", json},
      {"application/json;;q=0.7;", json},
  });
}

TEST(Negotiate, TypesAndParameterNamesAreCaseInsensitive) {
  expect_all({
      {"Application/GraphQL-Response+JSON", gr},
      {"APPLICATION/JSON", json},
      {"application/graphql-response+json;Q=0.1, application/json;q=0.2", json},
  });
}

TEST(Negotiate, WhitespaceIsAllowedAroundElementsAndParameters) {
  expect_all({
      {"  application/graphql-response+json  ", gr},
      {"text/html ,\tapplication/graphql-response+json ; q=0.8 , application/json ;q = 0.7", gr},
      {",, application/json ,,", json},
  });
}

TEST(Negotiate, NothingSupportedGivesNothing) {
  expect_all({
      {"text/html", std::nullopt},
      {"application/xml, text/*", std::nullopt},
      {"application/graphql", std::nullopt},
      {"text/event-stream", std::nullopt},
      {"application/jsonx", std::nullopt},
  });
}

TEST(Negotiate, MalformedElementsAcceptNothing) {
  expect_all({
      {"json", std::nullopt},
      {"application/", std::nullopt},
      {"application/json;q=2", std::nullopt},
      {"application/json;q=abc", std::nullopt},
      {"application/json;q=1.5, application/graphql-response+json;q=0.1", gr},
      {"application/json;q", std::nullopt},
      {"garbage, application/json", json},
  });
}

TEST(Negotiate, ContentTypesCarryTheCharset) {
  EXPECT_EQ(content_type_of(gr), "application/graphql-response+json; charset=utf-8");
  EXPECT_EQ(content_type_of(json), "application/json; charset=utf-8");
}

}  // namespace
}  // namespace sluice::transport::http
