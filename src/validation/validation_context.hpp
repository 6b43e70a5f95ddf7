// validation_context: what every rule shares: the schema, the document, the walk's types, error reporting,
// and cached facts about fragments and variable usages (graphql-js ValidationContext).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sluice/core/error.hpp"
#include "sluice/language/ast.hpp"
#include "sluice/schema/schema.hpp"
#include "validation/rules/overlapping_fields_can_be_merged.hpp"
#include "validation/type_info.hpp"

namespace sluice::validation::detail {

// Thrown to stop the walk once validation is over (the error limit or the fragment work budget was reached);
// the errors saying so are already recorded.
struct validation_aborted {};

// A variable used in a value, with what the position it is used in expects (graphql-js VariableUsage).
struct variable_usage {
  const language::value* node = nullptr;      // the variable
  const schema::type* type = nullptr;         // the input type expected there; nullptr when unknown
  bool has_default = false;                   // the position (argument or input field) has a default value
  const schema::type* parent_type = nullptr;  // the input type around the position (a list or input object)
};

class validation_context {
 public:
  validation_context(const schema::schema& s, const language::document& doc, const type_info& types,
                     std::size_t max_errors);
  validation_context(const validation_context&) = delete;
  validation_context& operator=(const validation_context&) = delete;
  ~validation_context();

  [[nodiscard]] const schema::schema& schema() const { return schema_; }
  [[nodiscard]] const language::document& document() const { return doc_; }
  // The types at the current point of the main walk.
  [[nodiscard]] const type_info& types() const { return types_; }

  // The fragment definition with this name (the last one when several share it); nullptr when there is none.
  [[nodiscard]] const language::fragment_definition* fragment(std::string_view name) const;
  [[nodiscard]] const fragment_map& fragments() const { return fragments_; }

  // Records an error. Past the error limit, records graphql-js's "Too many validation errors" error instead
  // and throws validation_aborted.
  void report(std::string message, std::vector<source_location> locations);
  // Records an error that ends validation as it is (graphql-js's "Validation aborted."), past any limit.
  void record_abort(std::string message);
  [[nodiscard]] std::vector<graphql_error>& errors() { return errors_; }

  // The fragment spreads inside a selection set, nested ones included (graphql-js getFragmentSpreads order).
  [[nodiscard]] const std::vector<const language::fragment_spread*>& fragment_spreads(
      const language::selection_set& set);
  // The fragments an operation uses, directly or through other fragments; unknown ones left out.
  [[nodiscard]] const std::vector<const language::fragment_definition*>& recursively_referenced_fragments(
      const language::operation_definition& op);
  [[nodiscard]] std::vector<const language::fragment_definition*> recursively_referenced_fragments(
      const std::vector<const language::operation_definition*>& ops);
  // The variables used in one definition (variable definitions left out), in document order.
  [[nodiscard]] const std::vector<variable_usage>& variable_usages(const language::operation_definition& op);
  [[nodiscard]] const std::vector<variable_usage>& variable_usages(
      const language::fragment_definition& fragment);
  // The variables an operation uses, in the operation and in every fragment it uses (graphql-js order).
  [[nodiscard]] const std::vector<variable_usage>& recursive_variable_usages(
      const language::operation_definition& op);

  // graphql-js bounds the work spent on following fragments (50,000 units per document); past that,
  // validation ends with "Validation aborted.".
  void spend_fragment_work(std::size_t cost);

  // Where a field's selection set starts (its `{`); the AST keeps no location for it.
  [[nodiscard]] source_location selection_set_location(const language::field& f) const;

 private:
  [[nodiscard]] const std::vector<const language::fragment_definition*>& referenced_fragments_for(
      std::vector<std::string_view> names);

  const schema::schema& schema_;
  const language::document& doc_;
  const type_info& types_;
  std::size_t max_errors_;
  std::vector<graphql_error> errors_;
  fragment_map fragments_;
  std::ptrdiff_t remaining_fragment_work_ = 50000;
  std::unordered_map<const void*, std::vector<const language::fragment_spread*>> spreads_;
  std::unordered_map<const void*, const std::vector<const language::fragment_definition*>*> op_fragments_;
  // Fragments used, keyed by the sorted names of the fragments spread at the top (graphql-js's SetMap).
  std::map<std::vector<std::string_view>, std::unique_ptr<std::vector<const language::fragment_definition*>>>
      fragments_by_names_;
  std::unordered_map<const void*, std::vector<variable_usage>> usages_;
  std::unordered_map<const void*, std::vector<variable_usage>> fragment_list_usages_;
  std::unordered_map<const void*, std::vector<variable_usage>> recursive_usages_;
};

}  // namespace sluice::validation::detail
