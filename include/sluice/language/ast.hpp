// The typed GraphQL AST (executable documents and SDL). Every node carries its source location.
//
// Every node lives in the document's arena and is trivially copyable and destructible: lists are views into the
// arena, names and raw literals are string_views into the document's source text, and decoded strings (escapes,
// block strings) point into the source when decoding changes nothing and into the arena otherwise. The document
// shares ownership of both, so moving or copying a document never invalidates a node.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "sluice/core/error.hpp"
#include "sluice/language/arena.hpp"

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
  std::string_view string_value;  // string: the decoded value
  bool block = false;             // string: written as a block string
  bool boolean = false;           // boolean
  language::list<value> list;     // list
  language::list<object_field> fields;  // object
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
  std::string_view name;          // named
  const type* of_type = nullptr;  // list, non_null

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
  list<argument> arguments;
  location loc;  // of the '@'
};

struct selection;
using selection_set = list<selection>;

struct field {
  name alias;  // empty when there is none
  name field_name;
  list<argument> arguments;
  list<directive> directives;
  selection_set selections;
  location loc;  // of the alias if any, else of the name
  // The key of this field in the response: the alias, or the name.
  [[nodiscard]] std::string_view response_key() const { return alias.empty() ? field_name.text : alias.text; }
};

struct fragment_spread {
  name fragment_name;
  list<directive> directives;
  location loc;  // of the '...'
};

struct inline_fragment {
  name type_condition;  // empty when there is none
  list<directive> directives;
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
  std::optional<std::string_view> description;
  name variable;  // without the '$'
  language::type var_type;
  std::optional<language::value> default_value;
  list<directive> directives;
  location loc;  // of the '$'
};

struct operation_definition {
  std::optional<std::string_view> description;
  operation_type operation = operation_type::query;
  name op_name;  // empty when anonymous
  list<variable_definition> variables;
  list<directive> directives;
  selection_set selections;
  location loc;
  bool shorthand = false;  // written as `{ ... }`
};

struct fragment_definition {
  std::optional<std::string_view> description;
  name fragment_name;
  name type_condition;
  list<directive> directives;
  selection_set selections;
  location loc;  // of the `fragment` keyword
};

// ---------------------------------------------------------------------------------------------------------------
// Type system definitions and extensions (spec 3)

struct input_value_definition {
  std::optional<std::string_view> description;
  name value_name;
  language::type value_type;
  std::optional<language::value> default_value;
  list<directive> directives;
  location loc;
};

struct field_definition {
  std::optional<std::string_view> description;
  name field_name;
  list<input_value_definition> arguments;
  language::type field_type;
  list<directive> directives;
  location loc;
};

struct enum_value_definition {
  std::optional<std::string_view> description;
  name value_name;
  list<directive> directives;
  location loc;
};

enum class type_definition_kind : std::uint8_t { scalar, object, interface, union_, enum_, input_object };

// A type definition or a type extension (`extension` set), of any kind; the members that do not apply stay empty.
struct type_definition {
  type_definition_kind kind = type_definition_kind::scalar;
  bool extension = false;
  std::optional<std::string_view> description;
  name type_name;
  list<name> interfaces;                       // object, interface
  list<directive> directives;
  list<field_definition> fields;               // object, interface
  list<name> members;                          // union
  list<enum_value_definition> values;          // enum
  list<input_value_definition> input_fields;   // input_object
  location loc;
};

struct root_operation_type {
  operation_type operation = operation_type::query;
  name type_name;
  location loc;
};

struct schema_definition {
  bool extension = false;
  std::optional<std::string_view> description;
  list<directive> directives;
  list<root_operation_type> operation_types;
  location loc;
};

struct directive_definition {
  std::optional<std::string_view> description;
  name directive_name;
  list<input_value_definition> arguments;
  bool repeatable = false;
  list<name> locations;
  location loc;
};

using definition = std::variant<operation_definition, fragment_definition, schema_definition, type_definition,
                                directive_definition>;

// ---------------------------------------------------------------------------------------------------------------

struct document {
  std::shared_ptr<const std::string> source;
  std::shared_ptr<language::arena> arena;  // holds every node, list and decoded string of the document
  list<definition> definitions;
};

// Nothing in the AST needs destroying, so an arena can hold it.
static_assert(std::is_trivially_destructible_v<value> && std::is_trivially_copyable_v<value>);
static_assert(std::is_trivially_destructible_v<object_field> && std::is_trivially_copyable_v<object_field>);
static_assert(std::is_trivially_destructible_v<type> && std::is_trivially_copyable_v<type>);
static_assert(std::is_trivially_destructible_v<argument> && std::is_trivially_copyable_v<argument>);
static_assert(std::is_trivially_destructible_v<directive> && std::is_trivially_copyable_v<directive>);
static_assert(std::is_trivially_destructible_v<selection> && std::is_trivially_copyable_v<selection>);
static_assert(std::is_trivially_destructible_v<variable_definition> &&
              std::is_trivially_copyable_v<variable_definition>);
static_assert(std::is_trivially_destructible_v<input_value_definition> &&
              std::is_trivially_copyable_v<input_value_definition>);
static_assert(std::is_trivially_destructible_v<field_definition> && std::is_trivially_copyable_v<field_definition>);
static_assert(std::is_trivially_destructible_v<enum_value_definition> &&
              std::is_trivially_copyable_v<enum_value_definition>);
static_assert(std::is_trivially_destructible_v<root_operation_type> &&
              std::is_trivially_copyable_v<root_operation_type>);
static_assert(std::is_trivially_destructible_v<definition> && std::is_trivially_copyable_v<definition>);

}  // namespace sluice::language
