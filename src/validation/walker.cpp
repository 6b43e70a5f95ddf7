// walker: the depth-first walk over a document, in graphql-js's visiting order, with TypeInfo updates.
#include "validation/walker.hpp"

#include <variant>

namespace sluice::validation::detail {
namespace {

using loc = schema::directive_location;

loc operation_location(language::operation_type t) {
  switch (t) {
    case language::operation_type::query:
      return loc::query;
    case language::operation_type::mutation:
      return loc::mutation;
    case language::operation_type::subscription:
      return loc::subscription;
  }
  return loc::query;
}

loc type_definition_location(language::type_definition_kind k) {
  switch (k) {
    case language::type_definition_kind::scalar:
      return loc::scalar;
    case language::type_definition_kind::object:
      return loc::object;
    case language::type_definition_kind::interface:
      return loc::interface;
    case language::type_definition_kind::union_:
      return loc::union_;
    case language::type_definition_kind::enum_:
      return loc::enum_;
    case language::type_definition_kind::input_object:
      return loc::input_object;
  }
  return loc::object;
}

}  // namespace

void walker::walk(const language::document& doc) {
  if (visitor_.enter_document(doc) == next::skip) return;
  for (const language::definition& def : doc.definitions) {
    std::visit(
        [this](const auto& d) {
          using T = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<T, language::operation_definition> ||
                        std::is_same_v<T, language::fragment_definition>)
            walk(d);
          else if constexpr (std::is_same_v<T, language::schema_definition>)
            walk_schema_definition(d);
          else if constexpr (std::is_same_v<T, language::type_definition>)
            walk_type_definition(d);
          else
            walk_directive_definition(d);
        },
        def);
  }
  visitor_.leave_document(doc);
}

// OperationDefinition: name, variableDefinitions, directives, selectionSet.
void walker::walk(const language::operation_definition& op) {
  types_.enter_operation(op);
  if (visitor_.enter_operation(op) == next::descend) {
    for (const language::variable_definition& v : op.variables) walk_variable_definition(v);
    walk_directives(op.directives, operation_location(op.operation));
    walk_selection_set(op.selections);
    visitor_.leave_operation(op);
  }
  types_.leave_typed_definition();
}

// VariableDefinition: variable, type, defaultValue, directives.
void walker::walk_variable_definition(const language::variable_definition& v) {
  types_.enter_variable_definition(v);
  if (visitor_.enter_variable_definition(v) == next::descend) {
    walk_type(v.var_type, false);
    if (v.default_value) walk_value(*v.default_value);
    walk_directives(v.directives, loc::variable_definition);
    visitor_.leave_variable_definition(v);
  }
  types_.leave_variable_definition();
}

// FragmentDefinition: name, typeCondition, directives, selectionSet.
void walker::walk(const language::fragment_definition& fragment) {
  types_.enter_fragment(fragment.type_condition);
  if (visitor_.enter_fragment_definition(fragment) == next::descend) {
    visitor_.on_named_type(fragment.type_condition.text, fragment.type_condition.loc, false);
    walk_directives(fragment.directives, loc::fragment_definition);
    walk_selection_set(fragment.selections);
    visitor_.leave_fragment_definition(fragment);
  }
  types_.leave_typed_definition();
}

// SelectionSet: selections.
void walker::walk_selection_set(const language::selection_set& set) {
  types_.enter_selection_set();
  if (visitor_.enter_selection_set(set) == next::descend) {
    for (const language::selection& s : set) {
      if (const auto* f = std::get_if<language::field>(&s.node))
        walk_field(*f);
      else if (const auto* spread = std::get_if<language::fragment_spread>(&s.node))
        walk_fragment_spread(*spread);
      else
        walk_inline_fragment(std::get<language::inline_fragment>(s.node));
    }
    visitor_.leave_selection_set(set);
  }
  types_.leave_selection_set();
}

// Field: alias, name, arguments, directives, selectionSet.
void walker::walk_field(const language::field& f) {
  types_.enter_field(f);
  if (visitor_.enter_field(f) == next::descend) {
    walk_arguments(f.arguments);
    walk_directives(f.directives, loc::field);
    if (!f.selections.empty()) walk_selection_set(f.selections);
    visitor_.leave_field(f);
  }
  types_.leave_field();
}

// FragmentSpread: name, directives.
void walker::walk_fragment_spread(const language::fragment_spread& s) {
  if (visitor_.enter_fragment_spread(s) == next::descend) {
    walk_directives(s.directives, loc::fragment_spread);
    visitor_.leave_fragment_spread(s);
  }
}

// InlineFragment: typeCondition, directives, selectionSet.
void walker::walk_inline_fragment(const language::inline_fragment& f) {
  types_.enter_fragment(f.type_condition);
  if (visitor_.enter_inline_fragment(f) == next::descend) {
    if (!f.type_condition.empty()) visitor_.on_named_type(f.type_condition.text, f.type_condition.loc, false);
    walk_directives(f.directives, loc::inline_fragment);
    walk_selection_set(f.selections);
    visitor_.leave_inline_fragment(f);
  }
  types_.leave_typed_definition();
}

// Directive: name, arguments.
void walker::walk_directives(language::list<language::directive> directives,
                             schema::directive_location where) {
  for (const language::directive& d : directives) {
    types_.enter_directive(d);
    if (visitor_.enter_directive(d, where) == next::descend) {
      walk_arguments(d.arguments);
      visitor_.leave_directive(d);
    }
    types_.leave_directive();
  }
}

// Argument: name, value.
void walker::walk_arguments(language::list<language::argument> arguments) {
  for (const language::argument& a : arguments) {
    types_.enter_argument(a);
    if (visitor_.enter_argument(a) == next::descend) {
      walk_value(a.val);
      visitor_.leave_argument(a);
    }
    types_.leave_argument();
  }
}

// ListValue: values. ObjectValue: fields. ObjectField: name, value.
void walker::walk_value(const language::value& v) {
  const bool is_list = v.kind == language::value_kind::list;
  if (is_list) types_.enter_list();
  if (visitor_.enter_value(v) == next::descend) {
    if (is_list) {
      for (const language::value& item : v.list) walk_value(item);
    } else if (v.kind == language::value_kind::object) {
      for (const language::object_field& f : v.fields) {
        types_.enter_object_field(f);
        if (visitor_.enter_object_field(f) == next::descend) {
          walk_value(f.val);
          visitor_.leave_object_field(f);
        }
        types_.leave_input_position();
      }
    }
    visitor_.leave_value(v);
  }
  if (is_list) types_.leave_input_position();
}

// NamedType: name. ListType, NonNullType: type.
void walker::walk_type(const language::type& t, bool in_type_system) {
  if (t.kind == language::type_kind::named)
    visitor_.on_named_type(t.name, t.loc, in_type_system);
  else
    walk_type(*t.of_type, in_type_system);
}

// SchemaDefinition / SchemaExtension: directives, operationTypes.
void walker::walk_schema_definition(const language::schema_definition& s) {
  if (visitor_.enter_schema_definition(s) == next::skip) return;
  walk_directives(s.directives, loc::schema);
  for (const language::root_operation_type& r : s.operation_types)
    visitor_.on_named_type(r.type_name.text, r.type_name.loc, true);
  visitor_.leave_schema_definition(s);
}

// Type definitions and extensions: name, interfaces, directives, then fields / types / values.
void walker::walk_type_definition(const language::type_definition& t) {
  if (visitor_.enter_type_definition(t) == next::skip) return;
  for (const language::name& i : t.interfaces) visitor_.on_named_type(i.text, i.loc, true);
  walk_directives(t.directives, type_definition_location(t.kind));
  for (const language::field_definition& f : t.fields) walk_field_definition(f);
  for (const language::name& m : t.members) visitor_.on_named_type(m.text, m.loc, true);
  for (const language::enum_value_definition& v : t.values) {
    if (visitor_.enter_enum_value_definition(v) == next::skip) continue;
    walk_directives(v.directives, loc::enum_value);
    visitor_.leave_enum_value_definition(v);
  }
  // graphql-js decides between INPUT_FIELD_DEFINITION and ARGUMENT_DEFINITION by the kind of the definition
  // two levels up, which is an input object *definition* only: on an extension's fields it says
  // ARGUMENT_DEFINITION.
  const loc field_location = t.extension ? loc::argument_definition : loc::input_field_definition;
  for (const language::input_value_definition& f : t.input_fields)
    walk_input_value_definition(f, field_location);
  visitor_.leave_type_definition(t);
}

// FieldDefinition: name, arguments, type, directives.
void walker::walk_field_definition(const language::field_definition& f) {
  if (visitor_.enter_field_definition(f) == next::skip) return;
  for (const language::input_value_definition& a : f.arguments)
    walk_input_value_definition(a, loc::argument_definition);
  walk_type(f.field_type, true);
  walk_directives(f.directives, loc::field_definition);
  visitor_.leave_field_definition(f);
}

// InputValueDefinition: name, type, defaultValue, directives.
void walker::walk_input_value_definition(const language::input_value_definition& v,
                                         schema::directive_location where) {
  if (visitor_.enter_input_value_definition(v) == next::skip) return;
  walk_type(v.value_type, true);
  if (v.default_value) walk_value(*v.default_value);
  walk_directives(v.directives, where);
  visitor_.leave_input_value_definition(v);
}

// DirectiveDefinition: name, arguments, locations.
void walker::walk_directive_definition(const language::directive_definition& d) {
  if (visitor_.enter_directive_definition(d) == next::skip) return;
  for (const language::input_value_definition& a : d.arguments)
    walk_input_value_definition(a, loc::argument_definition);
  visitor_.leave_directive_definition(d);
}

}  // namespace sluice::validation::detail
