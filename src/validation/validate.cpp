// validate(): every rule of spec section 5 in one walk over the document.
#include "sluice/validation/validate.hpp"

#include "validation/parallel_visitor.hpp"
#include "validation/rules/specified_rules.hpp"
#include "validation/type_info.hpp"
#include "validation/validation_context.hpp"
#include "validation/walker.hpp"

namespace sluice::validation {

std::vector<graphql_error> validate(const schema::schema& s, const language::document& doc,
                                    const options& o) {
  detail::type_info types(s);
  detail::validation_context ctx(s, doc, types, o.max_errors);
  std::vector<std::unique_ptr<detail::rule>> rules = detail::make_specified_rules(ctx);
  std::vector<detail::visitor*> visitors;
  visitors.reserve(rules.size());
  for (const auto& r : rules) visitors.push_back(r.get());
  detail::parallel_visitor all(std::move(visitors));
  try {
    detail::walker(types, all).walk(doc);
  } catch (const detail::validation_aborted&) {
    // The errors saying why are recorded.
  }
  return std::move(ctx.errors());
}

}  // namespace sluice::validation
