// CollectFields (spec 6.3.2): groups a selection set's fields by response key for one object type.
#pragma once

#include <string_view>
#include <unordered_map>
#include <vector>

#include "sluice/core/error.hpp"
#include "sluice/core/value.hpp"
#include "sluice/execution/resolver.hpp"
#include "sluice/language/ast.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::execution {

// The resolver a field definition is bound to (neither: the default resolver).
struct bound_resolver {
  const sync_resolver* sync = nullptr;
  const async_resolver* async = nullptr;
  const permission_fn* guard = nullptr;  // checked before the resolver runs
};

}  // namespace sluice::execution

namespace sluice::execution::detail {

using fragment_index = std::unordered_map<std::string_view, const language::fragment_definition*>;

struct collected_field;
using grouped_fields = std::vector<collected_field>;

struct collected_field {
  std::string_view response_key;
  std::vector<const language::field*> nodes;  // every field node with this response key, in document order

  // Memoised by the runner: a grouped field set belongs to one object type, so these never change.
  mutable bool resolved = false;
  mutable const schema::field* definition = nullptr;  // null: __typename, or unknown
  mutable bound_resolver resolver;
  mutable const schema::object_type* last_type = nullptr;  // the last sub-selection collected, and for which type
  mutable const grouped_fields* last_subfields = nullptr;
  // Where the default resolver found this field's key in the last parent object (objects of one shape keep
  // their keys in one order, so this is usually right the first time).
  mutable std::uint32_t member_hint = 0;
};

// Thrown when @skip or @include has an invalid argument (a variable explicitly null): graphql-js reports it as
// an error of the field whose selections were being collected, at the argument's location.
struct directive_error {
  graphql_error error;
};

class field_collector {
 public:
  field_collector(const schema::schema& s, const fragment_index& fragments, const sluice::value& variables)
      : schema_(s), fragments_(fragments), variables_(variables) {}

  // Collects one selection set (an operation's) into `out`.
  void collect(const schema::object_type& type, const language::selection_set& set, grouped_fields& out);
  // Collects the sub-selections of every node of a field, memoised by (type, field) (spec 6.4.3 "merge").
  const grouped_fields& collect_subfields(const schema::object_type& type, const collected_field& field);

  // @skip and @include (spec 3.13.2, 3.13.3). Throws directive_error.
  [[nodiscard]] bool should_include(language::list<language::directive> directives) const;

 private:
  void collect_into(const schema::object_type& type, const language::selection_set& set, grouped_fields& out,
                    std::vector<std::string_view>& visited);
  [[nodiscard]] bool fragment_applies(const schema::object_type& type, std::string_view condition) const;
  [[nodiscard]] bool directive_flag(const language::directive& d) const;

  struct key_hash {
    std::size_t operator()(const std::pair<const void*, const void*>& k) const noexcept {
      return std::hash<const void*>()(k.first) * 31 + std::hash<const void*>()(k.second);
    }
  };

  const schema::schema& schema_;
  const fragment_index& fragments_;
  const sluice::value& variables_;
  std::unordered_map<std::pair<const void*, const void*>, grouped_fields, key_hash> subfields_;
};

}  // namespace sluice::execution::detail
