// graphql-js's naturalCompare (the sort helpers of js_ordering.hpp are templates).
#include "validation/js_ordering.hpp"

namespace sluice::validation::detail {

int natural_compare(std::string_view a, std::string_view b) {
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      // graphql-js stops reading a number after a leading zero ("00" is read as 0 then 0).
      unsigned long long x = 0;
      do {
        x = x * 10 + static_cast<unsigned>(a[i] - '0');
        ++i;
      } while (i < a.size() && is_digit(a[i]) && x > 0);
      unsigned long long y = 0;
      do {
        y = y * 10 + static_cast<unsigned>(b[j] - '0');
        ++j;
      } while (j < b.size() && is_digit(b[j]) && y > 0);
      if (x != y) return x < y ? -1 : 1;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
      ++i;
      ++j;
    }
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

}  // namespace sluice::validation::detail
