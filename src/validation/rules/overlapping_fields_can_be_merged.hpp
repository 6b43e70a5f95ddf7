// OverlappingFieldsCanBeMerged: fields with the same response name must be mergeable (spec 5.3.2).
//
// Fields that produce the same response key must select the same field with the same arguments (unless
// their parents are different object types), return the same shape, and have mergeable sub-selections.
// This is graphql-js 16's algorithm (OverlappingFieldsCanBeMergedRule), with its caches, its memos of
// compared fragments and its work budget: the same conflicts, in the same order, with the same messages
// and locations.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sluice/core/error.hpp"
#include "sluice/language/ast.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::validation::detail {

using fragment_map = std::unordered_map<std::string_view, const language::fragment_definition*>;
using error_sink = std::function<void(std::string message, std::vector<source_location> locations)>;

class overlapping_fields_checker {
 public:
  overlapping_fields_checker(const schema::schema& s, const fragment_map& fragments, error_sink sink);
  ~overlapping_fields_checker();
  overlapping_fields_checker(overlapping_fields_checker&&) noexcept;
  overlapping_fields_checker& operator=(overlapping_fields_checker&&) noexcept;
  overlapping_fields_checker(const overlapping_fields_checker&) = delete;
  overlapping_fields_checker& operator=(const overlapping_fields_checker&) = delete;

  // Called for every selection set of the document (operations, fields, inline fragments, fragment
  // definitions) with the type it selects on (nullptr when unknown).
  //
  // Sets must come in document order, a set before the sets nested in it (a visitor's "enter"): the set of
  // an inline fragment is checked as part of the set that contains it, and is skipped when it comes itself.
  // The checker keeps pointers into the document and its fragments; both must outlive it.
  void check_selection_set(const schema::named_type* parent_type, const language::selection_set& set);

  // True once the rule's work budget ran out (graphql-js: "Validation aborted."). The sink then received
  // that message (no locations) once, and later calls do nothing; graphql-js stops the whole validation
  // at this point, so the caller should stop visiting and report no further errors.
  [[nodiscard]] bool aborted() const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace sluice::validation::detail
