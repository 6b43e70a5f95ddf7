// Tests for validate()'s limits: the error limit (options::max_errors) and the bound on fragment work.
#include <gtest/gtest.h>

#include "unit/validation/harness.hpp"

namespace sluice::validation::test {
namespace {

constexpr const char* too_many = "Too many validation errors, error limit reached. Validation aborted.";

// `{ dog { f0 f1 ... } }`: one error per unknown field.
std::string unknown_fields(int count) {
  std::string q = "{ dog {";
  for (int i = 0; i < count; ++i) q += " f" + std::to_string(i);
  return q + " } }";
}

TEST(error_limit, stops_after_one_hundred_errors_by_default) {
  const auto errors = run(unknown_fields(150));
  ASSERT_EQ(errors.size(), 101u);
  EXPECT_EQ(errors[0].message, "Cannot query field \"f0\" on type \"Dog\".");
  EXPECT_EQ(errors[99].message, "Cannot query field \"f99\" on type \"Dog\".");
  EXPECT_EQ(errors[99].locations, (std::vector<source_location>{{1, 395}}));
  EXPECT_EQ(errors[100].message, too_many);
  EXPECT_TRUE(errors[100].locations.empty());
}

TEST(error_limit, exactly_the_limit_is_not_cut) {
  const auto errors = run(unknown_fields(100));
  ASSERT_EQ(errors.size(), 100u);
  EXPECT_EQ(errors.back().message, "Cannot query field \"f99\" on type \"Dog\".");
}

TEST(error_limit, is_configurable) {
  const auto errors = run(unknown_fields(3), pets_schema(), options{.max_errors = 1});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].message, "Cannot query field \"f0\" on type \"Dog\".");
  EXPECT_EQ(errors[1].message, too_many);
}

TEST(error_limit, errors_of_later_rules_count_too) {
  // Unknown arguments and missing required ones, across two rules and two kinds of nodes.
  std::string q = "{ arguments {";
  for (int i = 0; i < 60; ++i) q += " a" + std::to_string(i) + ": multipleReqs(x: 1)";
  q += " } }";
  const auto errors = run(q, pets_schema(), options{.max_errors = 5});
  ASSERT_EQ(errors.size(), 6u);
  EXPECT_EQ(errors[0].message, "Unknown argument \"x\" on field \"Arguments.multipleReqs\".");
  EXPECT_EQ(
      errors[1].message,
      "Field \"multipleReqs\" argument \"req1\" of type \"Int!\" is required, but it was not provided.");
  EXPECT_EQ(errors[5].message, too_many);
}

// graphql-js bounds the work of following fragments to 50,000 units per document; each operation costs the
// number of variable usages of the fragments it uses (here 120).
std::string operations_sharing_a_fragment(int operations) {
  std::string q;
  for (int i = 0; i < operations; ++i)
    q += "query Q" + std::to_string(i) + "($v: Int) { arguments { ...F } }\n";
  q += "fragment F on Arguments {";
  for (int i = 0; i < 120; ++i) q += " a" + std::to_string(i) + ": intArgField(intArg: $v)";
  return q + " }";
}

std::vector<graphql_error> run_large(const std::string& query) {
  auto parsed = language::parse(query, language::parse_options{.max_depth = 128, .max_tokens = 0});
  EXPECT_TRUE(parsed.ok());
  return validate(pets_schema(), parsed.doc);
}

TEST(fragment_work, within_the_budget) {
  EXPECT_TRUE(run_large(operations_sharing_a_fragment(410)).empty());
}

TEST(fragment_work, beyond_the_budget_validation_is_aborted) {
  const auto errors = run_large(operations_sharing_a_fragment(420));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "Validation aborted.");
  EXPECT_TRUE(errors[0].locations.empty());
}

}  // namespace
}  // namespace sluice::validation::test
