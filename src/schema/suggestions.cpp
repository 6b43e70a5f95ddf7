// suggestion_list and did_you_mean: graphql-js's suggestionList (lexical distance) and didYouMean.
#include "sluice/schema/suggestions.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <utility>

namespace sluice::schema {
namespace {

// Code points of `s` (UTF-8), ASCII letters lower-cased.
std::vector<char32_t> lower_code_points(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    char32_t cp = len == 4 ? (c & 0x07u) : len == 3 ? (c & 0x0Fu) : len == 2 ? (c & 0x1Fu) : c;
    if (i + len > s.size()) {
      len = 1;
      cp = c;
    }
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    out.push_back(cp);
    i += len;
  }
  return out;
}

// graphql-js LexicalDistance.measure: Damerau-Levenshtein distance, nullopt when above the threshold.
std::optional<std::size_t> lexical_distance(std::string_view input, const std::vector<char32_t>& input_lower,
                                            std::string_view option, std::size_t threshold) {
  if (input == option) return 0;
  std::vector<char32_t> option_lower = lower_code_points(option);
  if (option_lower == input_lower) return 1;
  const std::vector<char32_t>* a = &option_lower;
  const std::vector<char32_t>* b = &input_lower;
  if (a->size() < b->size()) std::swap(a, b);
  std::size_t a_len = a->size();
  std::size_t b_len = b->size();
  if (a_len - b_len > threshold) return std::nullopt;
  std::array<std::vector<std::size_t>, 3> rows;
  for (auto& row : rows) row.assign(b_len + 1, 0);
  for (std::size_t j = 0; j <= b_len; ++j) rows[0][j] = j;
  for (std::size_t i = 1; i <= a_len; ++i) {
    auto& up = rows[(i - 1) % 3];
    auto& current = rows[i % 3];
    std::size_t smallest = current[0] = i;
    for (std::size_t j = 1; j <= b_len; ++j) {
      std::size_t cost = (*a)[i - 1] == (*b)[j - 1] ? 0 : 1;
      std::size_t cell = std::min({up[j] + 1, current[j - 1] + 1, up[j - 1] + cost});
      if (i > 1 && j > 1 && (*a)[i - 1] == (*b)[j - 2] && (*a)[i - 2] == (*b)[j - 1])
        cell = std::min(cell, rows[(i - 2) % 3][j - 2] + 1);
      smallest = std::min(smallest, cell);
      current[j] = cell;
    }
    if (smallest > threshold) return std::nullopt;
  }
  std::size_t distance = rows[a_len % 3][b_len];
  if (distance <= threshold) return distance;
  return std::nullopt;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// graphql-js naturalCompare: digit runs compare as numbers.
int natural_compare(std::string_view a, std::string_view b) {
  std::size_t ai = 0;
  std::size_t bi = 0;
  while (ai < a.size() && bi < b.size()) {
    if (is_digit(a[ai]) && is_digit(b[bi])) {
      unsigned long long an = 0;
      do {
        an = an * 10 + static_cast<unsigned>(a[ai] - '0');
        ++ai;
      } while (ai < a.size() && is_digit(a[ai]) && an > 0);
      unsigned long long bn = 0;
      do {
        bn = bn * 10 + static_cast<unsigned>(b[bi] - '0');
        ++bi;
      } while (bi < b.size() && is_digit(b[bi]) && bn > 0);
      if (an != bn) return an < bn ? -1 : 1;
    } else {
      auto ac = static_cast<unsigned char>(a[ai]);
      auto bc = static_cast<unsigned char>(b[bi]);
      if (ac != bc) return ac < bc ? -1 : 1;
      ++ai;
      ++bi;
    }
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

}  // namespace

std::vector<std::string> suggestion_list(std::string_view input,
                                         const std::vector<std::string_view>& options) {
  std::vector<char32_t> input_lower = lower_code_points(input);
  std::size_t threshold = input_lower.size() * 4 / 10 + 1;
  std::vector<std::pair<std::string_view, std::size_t>> found;
  for (std::string_view option : options) {
    auto distance = lexical_distance(input, input_lower, option, threshold);
    if (!distance) continue;
    auto same = std::find_if(found.begin(), found.end(), [&](const auto& f) { return f.first == option; });
    if (same != found.end())
      same->second = *distance;
    else
      found.emplace_back(option, *distance);
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
    if (x.second != y.second) return x.second < y.second;
    return natural_compare(x.first, y.first) < 0;
  });
  std::vector<std::string> out;
  out.reserve(found.size());
  for (const auto& f : found) out.emplace_back(f.first);
  return out;
}

std::string did_you_mean(const std::vector<std::string>& suggestions) {
  return did_you_mean({}, suggestions);
}

std::string did_you_mean(std::string_view sub_message, const std::vector<std::string>& suggestions) {
  if (suggestions.empty()) return {};
  std::string message = " Did you mean ";
  if (!sub_message.empty()) {
    message += sub_message;
    message += ' ';
  }
  auto quoted = [](const std::string& s) { return "\"" + s + "\""; };
  if (suggestions.size() == 1) return message + quoted(suggestions[0]) + "?";
  if (suggestions.size() == 2)
    return message + quoted(suggestions[0]) + " or " + quoted(suggestions[1]) + "?";
  std::size_t count = std::min<std::size_t>(suggestions.size(), 5);
  for (std::size_t i = 0; i + 1 < count; ++i) message += quoted(suggestions[i]) + ", ";
  return message + "or " + quoted(suggestions[count - 1]) + "?";
}

}  // namespace sluice::schema
