// Type helpers shared by the rules (graphql-js typeFromAST and typeComparators).
#include "validation/types.hpp"

namespace sluice::validation::detail {

const schema::type* type_from_ast(const schema::schema& s, const language::type& t) {
  switch (t.kind) {
    case language::type_kind::named:
      return s.find_type(t.name);
    case language::type_kind::list: {
      const schema::type* inner = type_from_ast(s, *t.of_type);
      return inner != nullptr ? s.list_of(inner) : nullptr;
    }
    case language::type_kind::non_null: {
      const schema::type* inner = type_from_ast(s, *t.of_type);
      return inner != nullptr ? s.non_null_of(inner) : nullptr;
    }
  }
  return nullptr;
}

bool is_type_sub_type_of(const schema::schema& s, const schema::type* sub, const schema::type* super) {
  if (sub == super) return true;
  if (super->is_non_null())
    return sub->is_non_null() && is_type_sub_type_of(s, sub->of_type(), super->of_type());
  if (sub->is_non_null()) return is_type_sub_type_of(s, sub->of_type(), super);
  if (super->is_list()) return sub->is_list() && is_type_sub_type_of(s, sub->of_type(), super->of_type());
  if (sub->is_list()) return false;
  const auto* abstract = super->as<schema::named_type>();
  const auto* maybe = sub->as<schema::named_type>();
  return super->is_abstract() &&
         (sub->kind() == schema::type_kind::interface || sub->kind() == schema::type_kind::object) &&
         s.is_sub_type(abstract, maybe);
}

}  // namespace sluice::validation::detail
