// value_as<T>: typed access to values, with range checks and clear errors.
#include "sluice/core/value_as.hpp"

#include <gtest/gtest.h>

#include "sluice/core/json.hpp"

namespace sluice {
namespace {

TEST(ValueAsTest, ConvertsScalarsOptionalsAndLists) {
  EXPECT_EQ(value_as<int>(value(42)), 42);
  EXPECT_EQ(value_as<std::int64_t>(value(5'000'000'000LL)), 5'000'000'000LL);
  EXPECT_DOUBLE_EQ(value_as<double>(value(3)), 3.0);
  EXPECT_DOUBLE_EQ(value_as<double>(value(2.5)), 2.5);
  EXPECT_EQ(value_as<std::string>(value("hi")), "hi");
  EXPECT_EQ(value_as<bool>(value(true)), true);
  EXPECT_EQ(value_as<std::optional<int>>(value()), std::nullopt);
  EXPECT_EQ(value_as<std::optional<int>>(value(7)), 7);
  auto list = json::parse("[1,2,3]");
  ASSERT_TRUE(list);
  EXPECT_EQ(value_as<std::vector<int>>(*list), (std::vector<int>{1, 2, 3}));
  value s("view");
  EXPECT_EQ(value_as<std::string_view>(s), "view");
}

TEST(ValueAsTest, MismatchesAndOverflowsThrowWithAClearMessage) {
  EXPECT_THROW((void)value_as<int>(value("1")), std::invalid_argument);
  EXPECT_THROW((void)value_as<int>(value()), std::invalid_argument);  // null needs std::optional
  EXPECT_THROW((void)value_as<std::int8_t>(value(300)), std::invalid_argument);
  EXPECT_THROW((void)value_as<unsigned>(value(-1)), std::invalid_argument);
  try {
    (void)value_as<std::string>(value(1));
    FAIL() << "a number was taken for a string";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "expected a string");
  }
}

}  // namespace
}  // namespace sluice
