// The list of every rule of spec section 5, in graphql-js 16's `specifiedRules` order.
#include "validation/rules/specified_rules.hpp"

namespace sluice::validation::detail {

std::vector<std::unique_ptr<rule>> make_specified_rules(validation_context& ctx) {
  std::vector<std::unique_ptr<rule>> rules;
  rules.reserve(27);
  rules.push_back(make_executable_definitions(ctx));
  rules.push_back(make_unique_operation_names(ctx));
  rules.push_back(make_lone_anonymous_operation(ctx));
  rules.push_back(make_single_field_subscriptions(ctx));
  rules.push_back(make_known_type_names(ctx));
  rules.push_back(make_fragments_on_composite_types(ctx));
  rules.push_back(make_variables_are_input_types(ctx));
  rules.push_back(make_scalar_leafs(ctx));
  rules.push_back(make_fields_on_correct_type(ctx));
  rules.push_back(make_unique_fragment_names(ctx));
  rules.push_back(make_known_fragment_names(ctx));
  rules.push_back(make_no_unused_fragments(ctx));
  rules.push_back(make_possible_fragment_spreads(ctx));
  rules.push_back(make_no_fragment_cycles(ctx));
  rules.push_back(make_unique_variable_names(ctx));
  rules.push_back(make_no_undefined_variables(ctx));
  rules.push_back(make_no_unused_variables(ctx));
  rules.push_back(make_known_directives(ctx));
  rules.push_back(make_unique_directives_per_location(ctx));
  rules.push_back(make_known_argument_names(ctx));
  rules.push_back(make_unique_argument_names(ctx));
  rules.push_back(make_values_of_correct_type(ctx));
  rules.push_back(make_provided_required_arguments(ctx));
  rules.push_back(make_variables_in_allowed_position(ctx));
  rules.push_back(make_overlapping_fields_can_be_merged(ctx));
  rules.push_back(make_unique_input_field_names(ctx));
  rules.push_back(make_max_introspection_depth(ctx));  // graphql-js 16.15 appends its recommendedRules
  return rules;
}

}  // namespace sluice::validation::detail
