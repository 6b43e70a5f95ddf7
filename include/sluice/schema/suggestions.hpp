// "Did you mean ...?" suggestions for unknown names, as graphql-js's suggestionList and didYouMean make them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::schema {

// The options close to `input` (Damerau-Levenshtein distance within 40% of its length, case changes counting
// as one edit), closest first, ties in natural order.
[[nodiscard]] std::vector<std::string> suggestion_list(std::string_view input,
                                                       const std::vector<std::string_view>& options);

// ` Did you mean "a", "b", or "c"?` (at most five), with an optional sub-message (`the enum value`);
// empty when there is no suggestion.
[[nodiscard]] std::string did_you_mean(const std::vector<std::string>& suggestions);
[[nodiscard]] std::string did_you_mean(std::string_view sub_message,
                                       const std::vector<std::string>& suggestions);

}  // namespace sluice::schema
