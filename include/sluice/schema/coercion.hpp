// Result and input coercion of values against schema types (spec 3.5, 3.10, 6.1.2, 6.4.1), as graphql-js 16.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/core/error.hpp"
#include "sluice/core/value.hpp"
#include "sluice/language/ast.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::schema {

// Thrown by scalar coercion functions when a value cannot be coerced; its message is reported as it is. Any
// other std::exception from a custom scalar's parse_value is reported as `Expected type "T". <what()>`, as
// graphql-js does with a plain Error.
class coercion_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------------------------
// Result coercion

// Serializes the value of a leaf field: the scalar's serialize, or for an enum the value's name (the value
// must be the name as a string). Throws std::runtime_error with graphql-js's message, e.g. `Int cannot
// represent non-integer value: "x"` or `Enum "Color" cannot represent value: 1`.
[[nodiscard]] sluice::value serialize_leaf(const named_type& leaf, const sluice::value& v);

// ---------------------------------------------------------------------------------------------------------------
// Input coercion of JSON values (variables): graphql-js coerceInputValue

struct input_error {
  std::string message;             // e.g. `Int cannot represent non-integer value: "x"`
  std::vector<path_segment> path;  // where in the value: input field names and list indexes
  sluice::value invalid_value;     // the offending value (graphql-js shows it with inspect())
};

struct input_coercion {
  sluice::value value;  // the coerced value; meaningful only when there are no errors
  std::vector<input_error> errors;
  [[nodiscard]] bool ok() const { return errors.empty(); }
};

// Coerces a JSON value to an input type: null checks against non-null, a single value as a list of one, input
// objects (unknown and missing fields, defaults, @oneOf), enum names, scalars' parse_value. Collects every
// error.
[[nodiscard]] input_coercion coerce_input_value(const sluice::value& input, const type* t);

// graphql-js's message for a variable that failed coerce_input_value:
// `Variable "$v" got invalid value "x" at "v.a[0]"; <error.message>`.
[[nodiscard]] std::string variable_error_message(std::string_view variable_name, const input_error& error);

// ---------------------------------------------------------------------------------------------------------------
// Input coercion of literals (arguments, default values): graphql-js valueFromAST

struct literal_coercion {
  enum class outcome : std::uint8_t {
    value,    // `value` holds the coerced value
    absent,   // the literal is a variable that has no value: treat the argument as not given
    invalid,  // the literal cannot be coerced to the type
  };
  outcome result = outcome::invalid;
  sluice::value value;
  [[nodiscard]] bool ok() const { return result == outcome::value; }
  [[nodiscard]] bool absent() const { return result == outcome::absent; }
  [[nodiscard]] bool invalid() const { return result == outcome::invalid; }
};

// Coerces a literal to an input type. `variables` is the object of coerced variable values (nullptr: none); a
// variable missing from it is absent: at the top level the result is `absent`, in a list it becomes null
// (invalid for non-null items), in an input object the field takes its default (invalid when required).
[[nodiscard]] literal_coercion coerce_literal(const language::value& literal, const type* t,
                                              const sluice::value* variables = nullptr);

// A literal as a plain value without a type (graphql-js valueFromASTUntyped): enums become strings, Int
// literals integers (doubles beyond 64 bits), variables their values (null when absent).
[[nodiscard]] sluice::value literal_to_value(const language::value& literal,
                                             const sluice::value* variables = nullptr);

struct argument_coercion {
  sluice::value values;  // an object: one member per given or defaulted argument, in definition order
  std::optional<graphql_error> error;  // the first invalid argument (graphql-js message and location)
  [[nodiscard]] bool ok() const { return !error.has_value(); }
};

// Coerces the arguments of a field or directive (graphql-js getArgumentValues): defaults for absent
// arguments, `Argument "a" of required type "Int!" was not provided.`, `Argument "a" has invalid value "x".`
// and so on.
[[nodiscard]] argument_coercion coerce_argument_values(const std::vector<input_value>& definitions,
                                                       language::list<language::argument> arguments,
                                                       const language::location& node_location,
                                                       const sluice::value* variables = nullptr);

// ---------------------------------------------------------------------------------------------------------------
// Printing

// The GraphQL literal text of an internal value of an input type, as graphql-js prints introspection's
// `defaultValue` (print(astFromValue(v, t))): `"x"`, `RED`, `[1, 2]`, `{a: 1, b: "x"}`, an ID that looks like
// an integer bare. nullopt where graphql-js gives null. Throws std::runtime_error (`Cannot convert value to
// AST: ...`) for a value no literal can express, such as an object given to a custom scalar.
[[nodiscard]] std::optional<std::string> value_to_literal_text(const sluice::value& v, const type* t);

// A value as graphql-js's inspect() shows it in messages: `"str"`, `1.5`, `[1, 2]`, `{ a: 1 }`, `null`.
[[nodiscard]] std::string inspect(const sluice::value& v);

}  // namespace sluice::schema
