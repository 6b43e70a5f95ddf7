// Orderings as graphql-js computes them in JavaScript: naturalCompare, and Array.prototype.sort as V8 runs
// it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::validation::detail {

// Ordering with runs of digits compared as numbers (graphql-js naturalCompare); <0, 0 or >0.
[[nodiscard]] int natural_compare(std::string_view a, std::string_view b);

// Sorts as V8's Array.prototype.sort does (TimSort: the first run, then binary insertion) for arrays under 64
// elements, so that an inconsistent comparator (graphql-js's order of suggested types is one) gives
// graphql-js's order; larger arrays use a stable sort. `compare(a, b)` returns <0 when a goes first, >0 when
// b does, else 0.
template <typename T, typename Compare>
void js_sort(std::vector<T>& items, Compare compare) {
  const std::size_t n = items.size();
  if (n < 2) return;
  if (n >= 64) {
    std::stable_sort(items.begin(), items.end(), [&](const T& a, const T& b) { return compare(a, b) < 0; });
    return;
  }
  // The run at the start: ascending, or strictly descending (then reversed).
  std::size_t run = 2;
  const bool descending = compare(items[1], items[0]) < 0;
  for (std::size_t i = 2; i < n; ++i, ++run) {
    const int order = compare(items[i], items[i - 1]);
    if (descending ? order >= 0 : order < 0) break;
  }
  if (descending) std::reverse(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(run));
  // Binary insertion of the rest.
  for (std::size_t start = run; start < n; ++start) {
    T pivot = std::move(items[start]);
    std::size_t left = 0;
    std::size_t right = start;
    while (left < right) {
      const std::size_t mid = left + ((right - left) >> 1);
      if (compare(pivot, items[mid]) < 0)
        right = mid;
      else
        left = mid + 1;
    }
    for (std::size_t i = start; i > left; --i) items[i] = std::move(items[i - 1]);
    items[left] = std::move(pivot);
  }
}

}  // namespace sluice::validation::detail
