// Tests for fragments: UniqueFragmentNames, KnownFragmentNames, NoUnusedFragments, NoFragmentCycles.
// Each expectation is what graphql-js 16.15 reports for the same schema and document (all rules together).
#include <gtest/gtest.h>

#include "unit/validation/harness.hpp"

namespace sluice::validation::test {
namespace {

TEST(unique_fragment_names, distinct_names) {
  expect_valid(
      "{ dog { ...A ...B } }\n"
      "fragment A on Dog { name }\n"
      "fragment B on Dog { nickname }");
}

TEST(unique_fragment_names, same_name_twice) {
  expect_errors(
      "{ dog { ...A } }\n"
      "fragment A on Dog { name }\n"
      "fragment A on Dog { nickname }",
      {{"There can be only one fragment named \"A\".", {{2, 10}, {3, 10}}}});
}

TEST(unique_fragment_names, same_name_three_times) {
  expect_errors(
      "{ dog { ...A } }\n"
      "fragment A on Dog { name }\n"
      "fragment A on Dog { nickname }\n"
      "fragment A on Dog { barkVolume }",
      {{"There can be only one fragment named \"A\".", {{2, 10}, {3, 10}}},
       {"There can be only one fragment named \"A\".", {{2, 10}, {4, 10}}}});
}

TEST(known_fragment_names, known) {
  expect_valid(
      "{ dog { ...A ... on Dog { ...B } } }\n"
      "fragment A on Dog { name }\n"
      "fragment B on Dog { ...A }");
}

TEST(known_fragment_names, unknown) {
  expect_errors(
      "{ dog { ...Unknown1 ... on Dog { ...Unknown2 } } }\n"
      "fragment A on Dog { ...Unknown3 }",
      {{"Unknown fragment \"Unknown1\".", {{1, 12}}},
       {"Unknown fragment \"Unknown2\".", {{1, 37}}},
       {"Unknown fragment \"Unknown3\".", {{2, 24}}},
       {"Fragment \"A\" is never used.", {{2, 1}}}});
}

TEST(no_unused_fragments, all_used_through_other_fragments) {
  expect_valid(
      "query A { dog { ...F1 } }\n"
      "query B { dog { ...F3 } }\n"
      "fragment F1 on Dog { ...F2 }\n"
      "fragment F2 on Dog { name }\n"
      "fragment F3 on Dog { name }");
}

TEST(no_unused_fragments, unused) {
  expect_errors(
      "{ dog { ...F1 } }\n"
      "fragment F1 on Dog { name }\n"
      "fragment Unused1 on Dog { name }\n"
      "fragment Unused2 on Dog { ...Unused1 }",
      {{"Fragment \"Unused1\" is never used.", {{3, 1}}}, {"Fragment \"Unused2\" is never used.", {{4, 1}}}});
}

TEST(no_unused_fragments, used_only_by_a_cycle) {
  expect_errors(
      "{ dog { name } }\n"
      "fragment A on Dog { ...B }\n"
      "fragment B on Dog { ...A }",
      {{"Cannot spread fragment \"A\" within itself via \"B\".", {{2, 21}, {3, 21}}},
       {"Fragment \"A\" is never used.", {{2, 1}}},
       {"Fragment \"B\" is never used.", {{3, 1}}}});
}

TEST(no_unused_fragments, unknown_spread_is_not_followed) {
  expect_errors(
      "{ dog { ...Unknown ...F } }\n"
      "fragment F on Dog { name }",
      {{"Unknown fragment \"Unknown\".", {{1, 12}}}});
}

TEST(no_fragment_cycles, no_cycle) {
  expect_valid(
      "{ dog { ...A } }\n"
      "fragment A on Dog { ...B ...B }\n"
      "fragment B on Dog { name }");
}

TEST(no_fragment_cycles, spread_itself) {
  expect_errors(
      "{ dog { ...A } }\n"
      "fragment A on Dog { ...A }",
      {{"Cannot spread fragment \"A\" within itself.", {{2, 21}}}});
}

TEST(no_fragment_cycles, spread_itself_in_inline_fragment) {
  expect_errors(
      "{ dog { ...A } }\n"
      "fragment A on Pet { ... on Dog { ...A } }",
      {{"Cannot spread fragment \"A\" within itself.", {{2, 34}}}});
}

TEST(no_fragment_cycles, two_fragments) {
  expect_errors(
      "{ dog { ...A } }\n"
      "fragment A on Dog { ...B }\n"
      "fragment B on Dog { ...A }",
      {{"Cannot spread fragment \"A\" within itself via \"B\".", {{2, 21}, {3, 21}}}});
}

TEST(no_fragment_cycles, deep_cycle) {
  expect_errors(
      "{ dog { ...A } }\n"
      "fragment A on Dog { ...B }\n"
      "fragment B on Dog { ...C }\n"
      "fragment C on Dog { ...D }\n"
      "fragment D on Dog { ...A }",
      {{"Cannot spread fragment \"A\" within itself via \"B\", \"C\", \"D\".",
        {{2, 21}, {3, 21}, {4, 21}, {5, 21}}}});
}

TEST(no_fragment_cycles, several_cycles_from_one_fragment) {
  expect_errors(
      "{ dog { ...A } }\n"
      "fragment A on Dog { ...B ...C }\n"
      "fragment B on Dog { ...A }\n"
      "fragment C on Dog { ...A }",
      {{"Cannot spread fragment \"A\" within itself via \"B\".", {{2, 21}, {3, 21}}},
       {"Cannot spread fragment \"A\" within itself via \"C\".", {{2, 26}, {4, 21}}}});
}

TEST(no_fragment_cycles, cycle_not_through_the_start) {
  expect_errors(
      "{ dog { ...A } }\n"
      "fragment A on Dog { ...B }\n"
      "fragment B on Dog { ...C }\n"
      "fragment C on Dog { ...B }",
      {{"Cannot spread fragment \"B\" within itself via \"C\".", {{3, 21}, {4, 21}}}});
}

}  // namespace
}  // namespace sluice::validation::test
