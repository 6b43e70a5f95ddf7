// Test helpers for the GraphQL-over-HTTP handler: a small schema with resolvers, and running handle() to completion.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "sluice/core/json.hpp"
#include "sluice/execution/executor.hpp"
#include "sluice/schema/builder.hpp"
#include "sluice/transport/http/graphql_over_http.hpp"

namespace sluice::transport::http::testing {

inline constexpr const char* kSchema = R"(
  type Query {
    hello(name: String = "world"): String!
    boom: String
    later: String
  }
  type Mutation { add(n: Int!): Int! }
  type Subscription { ticks: Int! }
)";

inline constexpr std::string_view kGraphqlResponseJson = "application/graphql-response+json; charset=utf-8";
inline constexpr std::string_view kJson = "application/json; charset=utf-8";

// The executor the handler tests run against: hello greets, boom throws, later resolves asynchronously (after a
// trip through the event loop), add returns its argument plus the number of additions made so far.
inline std::unique_ptr<execution::executor> make_executor(std::shared_ptr<int> additions) {
  auto built = schema::build_schema(kSchema);
  EXPECT_TRUE(built.ok()) << (built.errors.empty() ? "" : built.errors.front().message);
  execution::resolver_map r;
  r.bind("Query.hello", [](const execution::resolver_params& p) {
    return sluice::value("Hello, " + p.arg("name").as_string());
  });
  r.bind("Query.boom", [](const execution::resolver_params&) -> sluice::value {
    throw std::runtime_error("kaboom");
  });
  r.bind_async("Query.later", [](const execution::resolver_params&) -> boost::asio::awaitable<sluice::value> {
    auto loop = co_await boost::asio::this_coro::executor;
    co_await boost::asio::post(loop, boost::asio::use_awaitable);
    co_return sluice::value("later");
  });
  r.bind("Mutation.add", [additions](const execution::resolver_params& p) {
    ++*additions;
    return sluice::value(p.arg("n").as_int() + *additions - 1);
  });
  execution::executor_options options;
  options.require_sources = false;  // the Subscription type is only there to be refused
  return std::make_unique<execution::executor>(built.built, std::move(r), options);
}

// Runs handle() on an io_context until it completes.
inline http_response run(const graphql_over_http& endpoint, const http_request& req) {
  boost::asio::io_context io;
  std::optional<http_response> out;
  boost::asio::co_spawn(io, endpoint.handle(req), [&](std::exception_ptr e, http_response r) {
    if (e) std::rethrow_exception(e);
    out = std::move(r);
  });
  io.run();
  EXPECT_TRUE(out.has_value());
  return out ? std::move(*out) : http_response{};
}

// A request's parameters, the way a test builds one.
struct request_spec {
  std::string method = "POST";
  std::string target = "/graphql";
  std::string content_type = "application/json";
  std::string accept = "application/graphql-response+json";
  std::string body;
};

class HttpTest : public ::testing::Test {
 protected:
  std::shared_ptr<int> additions_ = std::make_shared<int>(0);
  std::unique_ptr<execution::executor> ex_ = make_executor(additions_);
  graphql_over_http endpoint_{*ex_};

  http_response send(const request_spec& spec) const {
    http_request req{spec.method, spec.target, spec.content_type, spec.accept, spec.body};
    return run(endpoint_, req);
  }

  // A POST with an application/json body and the given Accept.
  http_response post(std::string body, std::string accept = "application/graphql-response+json") const {
    return send(request_spec{"POST", "/graphql", "application/json", std::move(accept), std::move(body)});
  }

  // A GET of /graphql?<query_string> with the given Accept.
  http_response get(std::string query_string, std::string accept = "application/graphql-response+json") const {
    return send(request_spec{"GET", "/graphql?" + query_string, "", std::move(accept), ""});
  }
};

// The body parsed as JSON (a failed test when it is not JSON).
inline sluice::value body_json(const http_response& r) {
  std::string error;
  auto v = json::parse(r.body, &error);
  EXPECT_TRUE(v.has_value()) << "not JSON (" << error << "): " << r.body;
  return v ? *v : sluice::value{};
}

// Whether the body is `{"errors":[{"message":<string>,...},...]}` with at least one error and no data.
inline ::testing::AssertionResult is_error_body(const http_response& r) {
  auto v = body_json(r);
  if (!v.is_object()) return ::testing::AssertionFailure() << "not an object: " << r.body;
  const auto* errors = v.find("errors");
  if (errors == nullptr || !errors->is_list() || errors->as_list().empty())
    return ::testing::AssertionFailure() << "no errors array: " << r.body;
  for (const auto& e : errors->as_list()) {
    const auto* m = e.find("message");
    if (m == nullptr || !m->is_string() || m->as_string().empty())
      return ::testing::AssertionFailure() << "an error without a message: " << r.body;
  }
  if (v.find("data") != nullptr) return ::testing::AssertionFailure() << "has data: " << r.body;
  return ::testing::AssertionSuccess();
}

// The first error's message.
inline std::string first_message(const http_response& r) {
  auto v = body_json(r);
  const auto* errors = v.find("errors");
  if (errors == nullptr || !errors->is_list() || errors->as_list().empty()) return {};
  const auto* m = errors->as_list().front().find("message");
  return m && m->is_string() ? m->as_string() : std::string{};
}

}  // namespace sluice::transport::http::testing
