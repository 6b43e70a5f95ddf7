// The rules of spec section 5, one factory per rule (each defined in its own file), and the list of them all.
#pragma once

#include <memory>
#include <vector>

#include "validation/rule.hpp"

namespace sluice::validation::detail {

std::unique_ptr<rule> make_executable_definitions(validation_context& ctx);
std::unique_ptr<rule> make_unique_operation_names(validation_context& ctx);
std::unique_ptr<rule> make_lone_anonymous_operation(validation_context& ctx);
std::unique_ptr<rule> make_single_field_subscriptions(validation_context& ctx);
std::unique_ptr<rule> make_known_type_names(validation_context& ctx);
std::unique_ptr<rule> make_fragments_on_composite_types(validation_context& ctx);
std::unique_ptr<rule> make_variables_are_input_types(validation_context& ctx);
std::unique_ptr<rule> make_scalar_leafs(validation_context& ctx);
std::unique_ptr<rule> make_fields_on_correct_type(validation_context& ctx);
std::unique_ptr<rule> make_unique_fragment_names(validation_context& ctx);
std::unique_ptr<rule> make_known_fragment_names(validation_context& ctx);
std::unique_ptr<rule> make_no_unused_fragments(validation_context& ctx);
std::unique_ptr<rule> make_possible_fragment_spreads(validation_context& ctx);
std::unique_ptr<rule> make_no_fragment_cycles(validation_context& ctx);
std::unique_ptr<rule> make_unique_variable_names(validation_context& ctx);
std::unique_ptr<rule> make_no_undefined_variables(validation_context& ctx);
std::unique_ptr<rule> make_no_unused_variables(validation_context& ctx);
std::unique_ptr<rule> make_known_directives(validation_context& ctx);
std::unique_ptr<rule> make_unique_directives_per_location(validation_context& ctx);
std::unique_ptr<rule> make_known_argument_names(validation_context& ctx);
std::unique_ptr<rule> make_unique_argument_names(validation_context& ctx);
std::unique_ptr<rule> make_values_of_correct_type(validation_context& ctx);
std::unique_ptr<rule> make_provided_required_arguments(validation_context& ctx);
std::unique_ptr<rule> make_variables_in_allowed_position(validation_context& ctx);
std::unique_ptr<rule> make_overlapping_fields_can_be_merged(validation_context& ctx);
std::unique_ptr<rule> make_unique_input_field_names(validation_context& ctx);
std::unique_ptr<rule> make_max_introspection_depth(validation_context& ctx);

// Every rule, in graphql-js 16's `specifiedRules` order (which is also the order of errors found on one
// node).
[[nodiscard]] std::vector<std::unique_ptr<rule>> make_specified_rules(validation_context& ctx);

}  // namespace sluice::validation::detail
