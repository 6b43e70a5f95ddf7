// suggestion_list and did_you_mean: the same suggestions, in the same order, as graphql-js 16.15.
#include <gtest/gtest.h>

#include "sluice/schema/suggestions.hpp"

namespace sluice::schema {
namespace {

using strings = std::vector<std::string>;

TEST(SuggestionList, ClosestFirstThenNaturalOrder) {
  EXPECT_EQ(suggestion_list("Strin", {"String", "Int", "Float", "Boolean", "ID", "Strings"}),
            (strings{"String", "Strings"}));
  EXPECT_EQ(suggestion_list("a", {"ab", "b", "A", "abc", "c"}), (strings{"A", "ab", "b", "c"}));
  EXPECT_EQ(suggestion_list("item10", {"item9", "item10x", "item2", "item1", "iteM10"}),
            (strings{"iteM10", "item1", "item10x", "item2", "item9"}));
  EXPECT_EQ(suggestion_list("GREN", {"RED", "GREEN", "BLUE"}), (strings{"GREEN", "RED"}));
  EXPECT_TRUE(suggestion_list("completely", {"other", "names"}).empty());
}

TEST(DidYouMean, FormatsUpToFiveSuggestions) {
  EXPECT_EQ(did_you_mean({}), "");
  EXPECT_EQ(did_you_mean({"a", "b"}), " Did you mean \"a\" or \"b\"?");
  EXPECT_EQ(did_you_mean({"a", "b", "c", "d", "e", "f"}),
            " Did you mean \"a\", \"b\", \"c\", \"d\", or \"e\"?");
  EXPECT_EQ(did_you_mean("the enum value", {"X"}), " Did you mean the enum value \"X\"?");
}

}  // namespace
}  // namespace sluice::schema
