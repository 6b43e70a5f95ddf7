// Executor tests: resolvers (sync and async), null propagation, errors with paths, abstract types, mutations.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "sluice/core/json.hpp"
#include "sluice/execution/executor.hpp"
#include "sluice/schema/builder.hpp"

namespace sluice::execution {
namespace {

namespace asio = boost::asio;

std::shared_ptr<const schema::schema> make_schema(const std::string& sdl) {
  auto built = schema::build_schema(sdl);
  EXPECT_TRUE(built.ok()) << (built.errors.empty() ? "" : built.errors.front().message);
  return built.built;
}

sluice::value json_value(std::string_view text) {
  auto v = json::parse(text);
  EXPECT_TRUE(v.has_value()) << text;
  return v ? *v : sluice::value{};
}

const char* kSchema = R"(
  type Query {
    hello(name: String = "world"): String!
    user(id: ID!): User
    users: [User!]
    maybeUsers: [User]
    search: [SearchResult!]!
    node: Node
    slow(ms: Int!): Int!
    slowObject: User
    boom: String
    strictBoom: String!
    count: Int
  }
  type Mutation { add(n: Int!): Int! }
  type User implements Node { id: ID!, name: String!, friends: [User!]!, nick: String }
  type Bot implements Node { id: ID!, model: String }
  interface Node { id: ID! }
  union SearchResult = User | Bot
)";

class ExecutorTest : public ::testing::Test {
 protected:
  std::shared_ptr<const schema::schema> schema_ = make_schema(kSchema);

  std::string run(const executor& ex, const std::string& query, const sluice::value& root = {},
                  const sluice::value& variables = {}) {
    return ex.execute_sync(request{query, "", variables, {}}, {}, root).to_json();
  }
};

TEST_F(ExecutorTest, ResolvesFromTheRootValueByDefault) {
  executor ex(schema_);
  auto root = json_value(R"({"hello":"hi","users":[{"id":"1","name":"Ada","friends":[]}]})");
  EXPECT_EQ(run(ex, "{ hello users { id name } }", root), R"({"data":{"hello":"hi","users":[{"id":"1","name":"Ada"}]}})");
}

TEST_F(ExecutorTest, TheOptionsRootValueServesOperationsGivenNone) {
  executor_options options;
  options.root_value = std::make_shared<const sluice::value>(json_value(R"({"hello":"from the options"})"));
  executor ex(schema_, {}, options);
  EXPECT_EQ(run(ex, "{ hello }"), R"({"data":{"hello":"from the options"}})");
  EXPECT_EQ(run(ex, "{ hello }", json_value(R"({"hello":"given"})")), R"({"data":{"hello":"given"}})");
  boost::asio::io_context io;
  std::string async;
  boost::asio::co_spawn(io, ex.execute(request{"{ hello }", "", {}, {}}), [&](std::exception_ptr, response r) {
    async = r.to_json();
  });
  io.run();
  EXPECT_EQ(async, R"({"data":{"hello":"from the options"}})");
}

TEST_F(ExecutorTest, CallsBoundResolversWithCoercedArguments) {
  resolver_map r;
  r.bind("Query.hello", [](const resolver_params& p) { return sluice::value("Hello, " + p.arg("name").as_string()); });
  executor ex(schema_, std::move(r));
  EXPECT_EQ(run(ex, "{ a: hello b: hello(name: \"Bob\") }"), R"({"data":{"a":"Hello, world","b":"Hello, Bob"}})");
  EXPECT_EQ(run(ex, "query($n: String) { hello(name: $n) }", {}, json_value(R"({"n":"Eve"})")),
            R"({"data":{"hello":"Hello, Eve"}})");
}

TEST_F(ExecutorTest, AThrowingResolverGivesAFieldErrorWithPathAndLocation) {
  resolver_map r;
  r.bind("Query.boom", [](const resolver_params&) -> sluice::value { throw std::runtime_error("kaboom"); });
  r.bind("Query.count", [](const resolver_params&) { return sluice::value(3); });
  executor ex(schema_, std::move(r));
  EXPECT_EQ(run(ex, "{ count\n  boom }"),
            R"({"errors":[{"message":"kaboom","locations":[{"line":2,"column":3}],"path":["boom"]}],"data":{"count":3,"boom":null}})");
}

TEST_F(ExecutorTest, FieldErrorsCarryExtensions) {
  resolver_map r;
  r.bind("Query.boom", [](const resolver_params&) -> sluice::value {
    throw field_error("nope", sluice::value(sluice::object{{"code", "FORBIDDEN"}}));
  });
  executor ex(schema_, std::move(r));
  EXPECT_EQ(run(ex, "{ boom }"),
            R"({"errors":[{"message":"nope","locations":[{"line":1,"column":3}],"path":["boom"],"extensions":{"code":"FORBIDDEN"}}],"data":{"boom":null}})");
}

TEST_F(ExecutorTest, ANullInANonNullRootFieldNullsTheData) {
  executor ex(schema_);
  EXPECT_EQ(run(ex, "{ count strictBoom }", json_value(R"({"count":1})")),
            R"({"errors":[{"message":"Cannot return null for non-nullable field Query.strictBoom.","locations":[{"line":1,"column":9}],"path":["strictBoom"]}],"data":null})");
}

TEST_F(ExecutorTest, NullsPropagateToTheNearestNullableParent) {
  executor ex(schema_);
  // users: [User!] — a user with a null name nulls that user, which nulls the whole list.
  auto root = json_value(R"({"users":[{"id":"1","name":"Ada"},{"id":"2","name":null}],
                              "maybeUsers":[{"id":"1","name":"Ada"},{"id":"2","name":null}]})");
  EXPECT_EQ(run(ex, "{ users { name } maybeUsers { name } }", root),
            R"({"errors":[)"
            R"({"message":"Cannot return null for non-nullable field User.name.","locations":[{"line":1,"column":11}],"path":["users",1,"name"]},)"
            R"({"message":"Cannot return null for non-nullable field User.name.","locations":[{"line":1,"column":31}],"path":["maybeUsers",1,"name"]}],)"
            R"("data":{"users":null,"maybeUsers":[{"name":"Ada"},null]}})");
}

TEST_F(ExecutorTest, ResolvesAbstractTypesFromTypename) {
  executor ex(schema_);
  auto root = json_value(R"({"search":[{"__typename":"User","id":"1","name":"Ada"},{"__typename":"Bot","id":"b","model":"x"}],
                              "node":{"__typename":"Bot","id":"b"}})");
  EXPECT_EQ(run(ex, "{ search { __typename ... on User { name } ... on Bot { model } } node { id __typename } }", root),
            R"({"data":{"search":[{"__typename":"User","name":"Ada"},{"__typename":"Bot","model":"x"}],"node":{"id":"b","__typename":"Bot"}}})");
}

TEST_F(ExecutorTest, ReportsAnAbstractValueWithoutAType) {
  executor ex(schema_);
  auto out = run(ex, "{ node { id } }", json_value(R"({"node":{"id":"1"}})"));
  EXPECT_NE(out.find(R"(Abstract type \"Node\" must resolve to an Object type at runtime for field \"Query.node\")"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(R"("data":{"node":null})"), std::string::npos) << out;
}

TEST_F(ExecutorTest, UsesBoundTypeResolvers) {
  resolver_map r;
  r.bind_type("Node", [](const sluice::value& v, const schema::named_type&) {
    return std::string(v.find("model") ? "Bot" : "User");
  });
  executor ex(schema_, std::move(r));
  EXPECT_EQ(run(ex, "{ node { __typename id } }", json_value(R"({"node":{"id":"b","model":"m"}})")),
            R"({"data":{"node":{"__typename":"Bot","id":"b"}}})");
}

TEST_F(ExecutorTest, RejectsAResolverForAFieldThatDoesNotExist) {
  resolver_map r;
  r.bind("Query.nope", [](const resolver_params&) { return sluice::value(); });
  EXPECT_THROW(executor(schema_, std::move(r)), std::invalid_argument);
  resolver_map t;
  t.bind_type("User", [](const sluice::value&, const schema::named_type&) { return std::string(); });
  EXPECT_THROW(executor(schema_, std::move(t)), std::invalid_argument);
}

asio::awaitable<void> sleep_ms(std::int64_t ms) {
  asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(ms));
  co_await t.async_wait(asio::use_awaitable);
}

TEST_F(ExecutorTest, RunsAsyncResolversConcurrentlyAndCompletesTheirSubtrees) {
  resolver_map r;
  r.bind_async("Query.slow", [](const resolver_params& p) -> asio::awaitable<sluice::value> {
    std::int64_t ms = p.arg("ms").as_int();
    co_await sleep_ms(ms);
    co_return sluice::value(ms);
  });
  r.bind_async("Query.slowObject", [](const resolver_params&) -> asio::awaitable<sluice::value> {
    co_await sleep_ms(5);
    co_return json_value(R"({"id":"7","name":null,"friends":[],"nick":"n"})");
  });
  executor ex(schema_, std::move(r));
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(run(ex, "{ a: slow(ms: 60) b: slow(ms: 60) c: slowObject { id nick } d: slowObject { name } }"),
            R"({"errors":[{"message":"Cannot return null for non-nullable field User.name.","locations":[{"line":1,"column":77}],"path":["d","name"]}],)"
            R"("data":{"a":60,"b":60,"c":{"id":"7","nick":"n"},"d":null}})");
  // Both 60 ms resolvers ran at the same time.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(115));
}

TEST_F(ExecutorTest, AnAsyncResolverErrorIsAFieldError) {
  resolver_map r;
  r.bind_async("Query.slow", [](const resolver_params&) -> asio::awaitable<sluice::value> {
    co_await sleep_ms(1);
    throw field_error("late failure");
  });
  executor ex(schema_, std::move(r));
  EXPECT_EQ(run(ex, "{ slow(ms: 1) }"),
            R"({"errors":[{"message":"late failure","locations":[{"line":1,"column":3}],"path":["slow"]}],"data":null})");
}

TEST_F(ExecutorTest, ExecutesOnTheCallersEventLoop) {
  resolver_map r;
  r.bind_async("Query.slow", [](const resolver_params& p) -> asio::awaitable<sluice::value> {
    co_await sleep_ms(1);
    co_return sluice::value(p.arg("ms").as_int() * 2);
  });
  executor ex(schema_, std::move(r));
  asio::io_context io;
  std::string out;
  asio::co_spawn(io, ex.execute(request{"{ slow(ms: 21) }", "", {}, {}}),
                 [&](std::exception_ptr e, response resp) {
                   ASSERT_FALSE(e);
                   out = resp.to_json();
                 });
  io.run();
  EXPECT_EQ(out, R"({"data":{"slow":42}})");
}

TEST_F(ExecutorTest, RunsMutationFieldsOneAfterTheOther) {
  auto order = std::make_shared<std::vector<std::int64_t>>();
  resolver_map r;
  r.bind_async("Mutation.add", [order](const resolver_params& p) -> asio::awaitable<sluice::value> {
    std::int64_t n = p.arg("n").as_int();
    co_await sleep_ms(n);  // the longer one first: a parallel run would finish it last
    order->push_back(n);
    co_return sluice::value(n);
  });
  executor ex(schema_, std::move(r));
  EXPECT_EQ(run(ex, "mutation { a: add(n: 30) b: add(n: 1) c: add(n: 10) }"), R"({"data":{"a":30,"b":1,"c":10}})");
  EXPECT_EQ(*order, (std::vector<std::int64_t>{30, 1, 10}));
}

TEST_F(ExecutorTest, SelectsTheOperationByName) {
  executor ex(schema_);
  auto root = json_value(R"({"hello":"hi","count":2})");
  const std::string doc = "query A { hello } query B { count }";
  EXPECT_EQ(ex.execute_sync(request{doc, "B", {}, {}}, {}, root).to_json(), R"({"data":{"count":2}})");
  EXPECT_EQ(ex.execute_sync(request{doc, "", {}, {}}, {}, root).to_json(),
            R"({"errors":[{"message":"Must provide operation name if query contains multiple operations."}]})");
  EXPECT_EQ(ex.execute_sync(request{doc, "C", {}, {}}, {}, root).to_json(),
            R"({"errors":[{"message":"Unknown operation named \"C\"."}]})");
}

TEST_F(ExecutorTest, ReportsVariableProblemsWithoutData) {
  executor ex(schema_);
  EXPECT_EQ(run(ex, "query($id: ID!) { user(id: $id) { id } }"),
            R"({"errors":[{"message":"Variable \"$id\" of required type \"ID!\" was not provided.","locations":[{"line":1,"column":7}]}]})");
}

TEST_F(ExecutorTest, ReportsSyntaxAndValidationErrorsWithoutData) {
  executor ex(schema_);
  EXPECT_EQ(run(ex, "{ hello"),
            R"({"errors":[{"message":"Syntax Error: Expected Name, found <EOF>.","locations":[{"line":1,"column":8}]}]})");
  auto out = run(ex, "{ nope }");
  EXPECT_EQ(out.find("\"data\""), std::string::npos) << out;
  EXPECT_NE(out.find(R"(Cannot query field \"nope\" on type \"Query\".)"), std::string::npos) << out;
}

TEST_F(ExecutorTest, HonoursSkipAndInclude) {
  executor ex(schema_);
  auto root = json_value(R"({"hello":"hi","count":1})");
  EXPECT_EQ(run(ex, "query($s: Boolean!) { hello @skip(if: $s) count @include(if: $s) }", root,
                json_value(R"({"s":true})")),
            R"({"data":{"count":1}})");
}

TEST_F(ExecutorTest, CachesPreparedDocuments) {
  executor ex(schema_);
  auto a = ex.prepare("{ hello }");
  auto b = ex.prepare("{ hello }");
  EXPECT_EQ(a.get(), b.get());
  EXPECT_NE(ex.prepare("{ count }").get(), a.get());
}

}  // namespace
}  // namespace sluice::execution
