// The typed GraphQL AST (executable documents and SDL). Every node carries its source location.
//
// Names and raw literals are string_views into the document's source text, which the document owns
// (shared, so moving a document never invalidates them). Decoded strings (escapes, block strings) are owned.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sluice/core/error.hpp"

namespace sluice::language {

// Where a node starts: byte offset into the source plus 1-based line and column (columns count code points).
struct location {
  std::uint32_t offset = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  [[nodiscard]] source_location to_source_location() const { return {line, column}; }
};

struct name {
  std::string_view text;
  location loc;
  [[nodiscard]] bool empty() const { return text.empty(); }
};

// ---------------------------------------------------------------------------------------------------------------
// Values (spec 2.9)

enum class value_kind : std::uint8_t { variable, int_, float_, string, boolean, null, enum_, list, object };

struct object_field;

struct value {
  value_kind kind = value_kind::null;
  location loc;
  // variable: the variable's name (no '$'); int_/float_: the literal's text; enum_: the enum value's name.
  std::string_view raw;
  std::string string_value;  // string: the decoded value
  bool block = false;        // string: written as a block string
  bool boolean = false;      // boolean
  std::vector<value> list;   // list
  std::vector<object_field> fields;  // object
};

struct object_field {
  name field_name;
  language::value val;
};

// ---------------------------------------------------------------------------------------------------------------
// Types (spec 2.11)

enum class type_kind : std::uint8_t { named, list, non_null };

struct type {
  type_kind kind = type_kind::named;
  location loc;
  std::string_view name;        // named
  std::unique_ptr<type> of_type;  // list, non_null

  [[nodiscard]] std::string_view named_type() const {
    return kind == type_kind::named ? name : of_type->named_type();
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Selections (spec 2.4 - 2.8)

struct argument {
  name arg_name;
  language::value val;
};

struct directive {
  name directive_name;
  std::vector<argument> arguments;
  location loc;  // of the '@'
};

struct selection;
using selection_set = std::vector<selection>;

struct field {
  name alias;  // empty when there is none
  name field_name;
  std::vector<argument> arguments;
  std::vector<directive> directives;
  selection_set selections;
  location loc;  // of the alias if any, else of the name
  // The key of this field in the response: the alias, or the name.
  [[nodiscard]] std::string_view response_key() const { return alias.empty() ? field_name.text : alias.text; }
};

struct fragment_spread {
  name fragment_name;
  std::vector<directive> directives;
  location loc;  // of the '...'
};

struct inline_fragment {
  name type_condition;  // empty when there is none
  std::vector<directive> directives;
  selection_set selections;
  location loc;  // of the '...'
};

struct selection {
  std::variant<field, fragment_spread, inline_fragment> node;
  [[nodiscard]] const location& loc() const {
    return std::visit([](const auto& n) -> const location& { return n.loc; }, node);
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Executable definitions (spec 2.3, 2.8)

enum class operation_type : std::uint8_t { query, mutation, subscription };

struct variable_definition {
  std::optional<std::string> description;
  name variable;  // without the '$'
  language::type var_type;
  std::optional<language::value> default_value;
  std::vector<directive> directives;
  location loc;  // of the '$'
};

struct operation_definition {
  std::optional<std::string> description;
  operation_type operation = operation_type::query;
  name op_name;  // empty when anonymous
  std::vector<variable_definition> variables;
  std::vector<directive> directives;
  selection_set selections;
  location loc;
  bool shorthand = false;  // written as `{ ... }`
};

struct fragment_definition {
  std::optional<std::string> description;
  name fragment_name;
  name type_condition;
  std::vector<directive> directives;
  selection_set selections;
  location loc;  // of the `fragment` keyword
};

// ---------------------------------------------------------------------------------------------------------------
// Type system definitions and extensions (spec 3)

struct input_value_definition {
  std::optional<std::string> description;
  name value_name;
  language::type value_type;
  std::optional<language::value> default_value;
  std::vector<directive> directives;
  location loc;
};

struct field_definition {
  std::optional<std::string> description;
  name field_name;
  std::vector<input_value_definition> arguments;
  language::type field_type;
  std::vector<directive> directives;
  location loc;
};

struct enum_value_definition {
  std::optional<std::string> description;
  name value_name;
  std::vector<directive> directives;
  location loc;
};

enum class type_definition_kind : std::uint8_t { scalar, object, interface, union_, enum_, input_object };

// A type definition or a type extension (`extension` set), of any kind; the members that do not apply stay empty.
struct type_definition {
  type_definition_kind kind = type_definition_kind::scalar;
  bool extension = false;
  std::optional<std::string> description;
  name type_name;
  std::vector<name> interfaces;                       // object, interface
  std::vector<directive> directives;
  std::vector<field_definition> fields;               // object, interface
  std::vector<name> members;                          // union
  std::vector<enum_value_definition> values;          // enum
  std::vector<input_value_definition> input_fields;   // input_object
  location loc;
};

struct root_operation_type {
  operation_type operation = operation_type::query;
  name type_name;
  location loc;
};

struct schema_definition {
  bool extension = false;
  std::optional<std::string> description;
  std::vector<directive> directives;
  std::vector<root_operation_type> operation_types;
  location loc;
};

struct directive_definition {
  std::optional<std::string> description;
  name directive_name;
  std::vector<input_value_definition> arguments;
  bool repeatable = false;
  std::vector<name> locations;
  location loc;
};

using definition = std::variant<operation_definition, fragment_definition, schema_definition, type_definition,
                                directive_definition>;

// ---------------------------------------------------------------------------------------------------------------

struct document {
  std::shared_ptr<const std::string> source;
  std::vector<definition> definitions;
};

}  // namespace sluice::language
