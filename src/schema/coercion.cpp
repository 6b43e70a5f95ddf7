// Input coercion (graphql-js coerceInputValue, valueFromAST, getArgumentValues), leaf serialization and the
// literal text of default values (astFromValue).
#include "sluice/schema/coercion.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "schema/js_semantics.hpp"
#include "sluice/core/json.hpp"
#include "sluice/language/printer.hpp"
#include "sluice/schema/suggestions.hpp"

namespace sluice::schema {
namespace {

std::vector<std::string_view> enum_names(const enum_type& e) {
  std::vector<std::string_view> names;
  for (const auto& v : e.values()) names.emplace_back(v.name);
  return names;
}

std::string did_you_mean_enum_value(const enum_type& e, std::string_view unknown) {
  return did_you_mean("the enum value", suggestion_list(unknown, enum_names(e)));
}

// GraphQLEnumType.parseValue.
value enum_parse_value(const enum_type& e, const value& v) {
  if (!v.is_string()) {
    std::string shown = inspect(v);
    throw coercion_error("Enum \"" + e.name() + "\" cannot represent non-string value: " + shown + "." +
                         did_you_mean_enum_value(e, shown));
  }
  if (e.find_value(v.as_string()) == nullptr)
    throw coercion_error("Value \"" + v.as_string() + "\" does not exist in \"" + e.name() + "\" enum." +
                         did_you_mean_enum_value(e, v.as_string()));
  return v;
}

// --- coerce_input_value
// ------------------------------------------------------------------------------------------

class input_coercer {
 public:
  std::vector<input_error> errors;

  // nullopt where graphql-js yields undefined (after reporting an error).
  std::optional<value> coerce(const value& input, const type* t) {
    if (t->is_non_null()) {
      if (!input.is_null()) return coerce(input, t->of_type());
      report(input, "Expected non-nullable type \"" + t->to_string() + "\" not to be null.");
      return std::nullopt;
    }
    if (input.is_null()) return value(nullptr);
    if (t->is_list()) {
      if (!input.is_list()) {
        auto item = coerce(input, t->of_type());
        if (!item) return std::nullopt;
        return value(sluice::list{std::move(*item)});
      }
      sluice::list items;
      items.reserve(input.as_list().size());
      for (std::size_t i = 0; i < input.as_list().size(); ++i) {
        path_.emplace_back(i);
        auto item = coerce(input.as_list()[i], t->of_type());
        path_.pop_back();
        items.push_back(item ? std::move(*item) : value());
      }
      return value(std::move(items));
    }
    if (const auto* input_object = t->as<input_object_type>()) return coerce_object(input, *input_object);
    if (const auto* e = t->as<enum_type>())
      return coerce_leaf(input, *e, [&] { return enum_parse_value(*e, input); });
    const auto* scalar = t->as<scalar_type>();
    return coerce_leaf(input, *scalar, [&] { return scalar->coercion().parse_value(input); });
  }

 private:
  void report(const value& invalid, std::string message) {
    errors.push_back(input_error{std::move(message), path_, invalid});
  }

  template <typename F>
  std::optional<value> coerce_leaf(const value& input, const named_type& t, F&& parse) {
    try {
      return parse();
    } catch (const coercion_error& e) {
      report(input, e.what());
    } catch (const std::exception& e) {
      report(input, "Expected type \"" + t.name() + "\". " + e.what());
    }
    return std::nullopt;
  }

  std::optional<value> coerce_object(const value& input, const input_object_type& t) {
    if (!input.is_object()) {
      report(input, "Expected type \"" + t.name() + "\" to be an object.");
      return std::nullopt;
    }
    // Every key graphql-js puts in the coerced object, undefined (nullopt) where a field failed.
    std::vector<std::pair<std::string_view, std::optional<value>>> coerced;
    for (const auto& f : t.fields()) {
      const value* given = input.find(f.name);
      if (given == nullptr) {
        if (f.default_value)
          coerced.emplace_back(f.name, *f.default_value);
        else if (f.value_type->is_non_null())
          report(input, "Field \"" + f.name + "\" of required type \"" + f.value_type->to_string() +
                            "\" was not provided.");
        continue;
      }
      path_.emplace_back(f.name);
      coerced.emplace_back(f.name, coerce(*given, f.value_type));
      path_.pop_back();
    }
    const auto& members = input.as_object();
    for (std::size_t i : detail::js_key_order(members)) {
      const std::string& key = members[i].name;
      if (t.find_field(key) != nullptr) continue;
      std::vector<std::string_view> names;
      for (const auto& f : t.fields()) names.emplace_back(f.name);
      report(input, "Field \"" + key + "\" is not defined by type \"" + t.name() + "\"." +
                        did_you_mean(suggestion_list(key, names)));
    }
    if (t.one_of()) {
      if (coerced.size() != 1)
        report(input, "Exactly one key must be specified for OneOf type \"" + t.name() + "\".");
      if (!coerced.empty() && coerced[0].second && coerced[0].second->is_null()) {
        path_.emplace_back(std::string(coerced[0].first));
        report(value(nullptr), "Field \"" + std::string(coerced[0].first) + "\" must be non-null.");
        path_.pop_back();
      }
    }
    sluice::object result;
    for (auto& [name, v] : coerced)
      if (v) result.push_back(member{std::string(name), std::move(*v)});
    return value(std::move(result));
  }

  std::vector<path_segment> path_;
};

// --- coerce_literal
// ----------------------------------------------------------------------------------------------

const value* find_variable(const value* variables, std::string_view name) {
  return variables == nullptr ? nullptr : variables->find(name);
}

bool is_missing_variable(const language::value& literal, const value* variables) {
  return literal.kind == language::value_kind::variable && find_variable(variables, literal.raw) == nullptr;
}

bool contains_variables(const language::value& literal) {
  switch (literal.kind) {
    case language::value_kind::variable:
      return true;
    case language::value_kind::list:
      for (const auto& item : literal.list)
        if (contains_variables(item)) return true;
      return false;
    case language::value_kind::object:
      for (const auto& f : literal.fields)
        if (contains_variables(f.val)) return true;
      return false;
    default:
      return false;
  }
}

literal_coercion invalid() {
  return {};
}
literal_coercion valid(value v) {
  return {literal_coercion::outcome::value, std::move(v)};
}

literal_coercion coerce_literal_impl(const language::value& literal, const type* t, const value* variables) {
  using language::value_kind;
  if (literal.kind == value_kind::variable) {
    const value* given = find_variable(variables, literal.raw);
    if (given == nullptr) return {literal_coercion::outcome::absent, value()};
    if (given->is_null() && t->is_non_null()) return invalid();
    return valid(*given);  // variables are already coerced to their declared type
  }
  if (t->is_non_null()) {
    if (literal.kind == value_kind::null) return invalid();
    return coerce_literal_impl(literal, t->of_type(), variables);
  }
  if (literal.kind == value_kind::null) return valid(value(nullptr));
  if (t->is_list()) {
    const type* item_type = t->of_type();
    if (literal.kind != value_kind::list) {
      auto item = coerce_literal_impl(literal, item_type, variables);
      if (!item.ok()) return invalid();
      return valid(value(sluice::list{std::move(item.value)}));
    }
    sluice::list items;
    items.reserve(literal.list.size());
    for (const auto& item_literal : literal.list) {
      if (is_missing_variable(item_literal, variables)) {
        if (item_type->is_non_null()) return invalid();
        items.emplace_back(nullptr);
        continue;
      }
      auto item = coerce_literal_impl(item_literal, item_type, variables);
      if (!item.ok()) return invalid();
      items.push_back(std::move(item.value));
    }
    return valid(value(std::move(items)));
  }
  if (const auto* input_object = t->as<input_object_type>()) {
    if (literal.kind != value_kind::object) return invalid();
    sluice::object result;
    for (const auto& f : input_object->fields()) {
      const language::object_field* given = nullptr;
      for (const auto& field_literal : literal.fields)  // the last one wins, as graphql-js keyMap does
        if (field_literal.field_name.text == f.name) given = &field_literal;
      if (given == nullptr || is_missing_variable(given->val, variables)) {
        if (f.default_value)
          result.push_back(member{f.name, *f.default_value});
        else if (f.value_type->is_non_null())
          return invalid();
        continue;
      }
      auto field_value = coerce_literal_impl(given->val, f.value_type, variables);
      if (!field_value.ok()) return invalid();
      result.push_back(member{f.name, std::move(field_value.value)});
    }
    if (input_object->one_of() && (result.size() != 1 || result[0].val.is_null())) return invalid();
    return valid(value(std::move(result)));
  }
  if (const auto* e = t->as<enum_type>()) {
    if (literal.kind != value_kind::enum_ || e->find_value(literal.raw) == nullptr) return invalid();
    return valid(value(literal.raw));
  }
  const auto* scalar = t->as<scalar_type>();
  try {
    // A literal with variables inside (a custom scalar's object or list) is resolved first and then parsed as
    // a value, which is what graphql-js's default parseLiteral does.
    if (contains_variables(literal))
      return valid(scalar->coercion().parse_value(literal_to_value(literal, variables)));
    return valid(scalar->coercion().parse_literal(literal));
  } catch (const std::exception&) {
    return invalid();
  }
}

// --- value_to_literal_text
// ---------------------------------------------------------------------------------------

bool is_integer_text(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty()) return false;
  if (s[0] == '0') return s.size() == 1;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

[[noreturn]] void cannot_convert(const value& v) {
  throw std::runtime_error("Cannot convert value to AST: " + inspect(v) + ".");
}

// graphql-js astFromValue, printed: nullopt where it returns null, "null" for a NullValue node.
std::optional<std::string> literal_text(const value& v, const type* t) {
  if (t->is_non_null()) {
    auto inner = literal_text(v, t->of_type());
    if (inner && *inner == "null") return std::nullopt;
    return inner;
  }
  if (v.is_null()) return "null";
  if (t->is_list()) {
    if (!v.is_list()) return literal_text(v, t->of_type());
    std::string out = "[";
    bool first = true;
    for (const auto& item : v.as_list()) {
      auto text = literal_text(item, t->of_type());
      if (!text) continue;
      if (!first) out += ", ";
      first = false;
      out += *text;
    }
    return out + "]";
  }
  if (const auto* input_object = t->as<input_object_type>()) {
    if (!v.is_object()) return std::nullopt;
    std::string out = "{";
    bool first = true;
    for (const auto& f : input_object->fields()) {
      const value* field_value = v.find(f.name);
      if (field_value == nullptr) continue;
      auto text = literal_text(*field_value, f.value_type);
      if (!text) continue;
      if (!first) out += ", ";
      first = false;
      out += f.name + ": " + *text;
    }
    return out + "}";
  }
  const named_type& leaf = *t->named();
  value serialized = serialize_leaf(leaf, v);
  switch (serialized.type()) {
    case value::kind::null:
      return std::nullopt;
    case value::kind::boolean:
      return serialized.as_bool() ? "true" : "false";
    case value::kind::integer: {
      std::string out;
      json::write_int(out, serialized.as_int());
      return out;
    }
    case value::kind::floating:
      if (!std::isfinite(serialized.as_float())) cannot_convert(serialized);
      return detail::js_number_text(serialized.as_float());
    case value::kind::string: {
      const std::string& s = serialized.as_string();
      if (leaf.kind() == type_kind::enum_) return s;
      const auto* scalar = leaf.as<scalar_type>();
      if (scalar != nullptr && scalar->builtin() == builtin_scalar::id && is_integer_text(s)) return s;
      return language::print_string(s);
    }
    default:
      cannot_convert(serialized);
  }
}

}  // namespace

value serialize_leaf(const named_type& leaf, const value& v) {
  if (const auto* e = leaf.as<enum_type>()) {
    if (!v.is_string() || e->find_value(v.as_string()) == nullptr)
      throw coercion_error("Enum \"" + e->name() + "\" cannot represent value: " + inspect(v));
    return v;
  }
  const auto& serialize = leaf.as<scalar_type>()->coercion().serialize;
  return serialize ? serialize(v) : v;  // no serialize function: the value as it is
}

input_coercion coerce_input_value(const value& input, const type* t) {
  input_coercer coercer;
  auto coerced = coercer.coerce(input, t);
  input_coercion result;
  result.errors = std::move(coercer.errors);
  if (result.errors.empty() && coerced) result.value = std::move(*coerced);
  return result;
}

std::string variable_error_message(std::string_view variable_name, const input_error& error) {
  std::string message =
      "Variable \"$" + std::string(variable_name) + "\" got invalid value " + inspect(error.invalid_value);
  if (!error.path.empty()) {
    message += " at \"" + std::string(variable_name);
    for (const auto& segment : error.path) {
      if (const auto* index = std::get_if<std::size_t>(&segment))
        message += "[" + std::to_string(*index) + "]";
      else
        message += "." + std::get<std::string>(segment);
    }
    message += "\"";
  }
  return message + "; " + error.message;
}

literal_coercion coerce_literal(const language::value& literal, const type* t, const value* variables) {
  return coerce_literal_impl(literal, t, variables);
}

value literal_to_value(const language::value& literal, const value* variables) {
  using language::value_kind;
  switch (literal.kind) {
    case value_kind::null:
      return value(nullptr);
    case value_kind::int_: {
      std::int64_t n = 0;
      auto r = std::from_chars(literal.raw.data(), literal.raw.data() + literal.raw.size(), n);
      if (r.ec == std::errc()) return value(n);
      return value(std::strtod(std::string(literal.raw).c_str(), nullptr));
    }
    case value_kind::float_:
      return value(std::strtod(std::string(literal.raw).c_str(), nullptr));
    case value_kind::string:
      return value(literal.string_value);
    case value_kind::enum_:
      return value(literal.raw);
    case value_kind::boolean:
      return value(literal.boolean);
    case value_kind::list: {
      sluice::list items;
      items.reserve(literal.list.size());
      for (const auto& item : literal.list) items.push_back(literal_to_value(item, variables));
      return value(std::move(items));
    }
    case value_kind::object: {
      value result{sluice::object{}};
      for (const auto& f : literal.fields) {
        if (is_missing_variable(f.val, variables)) continue;  // undefined: no member
        result.set(f.field_name.text, literal_to_value(f.val, variables));
      }
      return result;
    }
    case value_kind::variable: {
      const value* given = find_variable(variables, literal.raw);
      return given != nullptr ? *given : value(nullptr);
    }
  }
  return value(nullptr);
}

argument_coercion coerce_argument_values(const std::vector<input_value>& definitions,
                                         language::list<language::argument> arguments,
                                         const language::location& node_location, const value* variables) {
  argument_coercion result;
  result.values = value(sluice::object{});
  auto fail = [&](std::string message, const language::location& loc) {
    result.error = graphql_error{std::move(message), {loc.to_source_location()}, {}, {}};
    return result;
  };
  for (const auto& definition : definitions) {
    const language::argument* given = nullptr;
    for (const auto& argument : arguments)  // the last one wins, as graphql-js keyMap does
      if (argument.arg_name.text == definition.name) given = &argument;
    const std::string type_text = definition.value_type->to_string();
    if (given == nullptr) {
      if (definition.default_value)
        result.values.set(definition.name, *definition.default_value);
      else if (definition.value_type->is_non_null())
        return fail(
            "Argument \"" + definition.name + "\" of required type \"" + type_text + "\" was not provided.",
            node_location);
      continue;
    }
    const language::value& literal = given->val;
    bool is_null = literal.kind == language::value_kind::null;
    if (literal.kind == language::value_kind::variable) {
      const value* variable = find_variable(variables, literal.raw);
      if (variable == nullptr) {
        if (definition.default_value)
          result.values.set(definition.name, *definition.default_value);
        else if (definition.value_type->is_non_null())
          return fail("Argument \"" + definition.name + "\" of required type \"" + type_text +
                          "\" was provided the variable \"$" + std::string(literal.raw) +
                          "\" which was not provided a runtime value.",
                      literal.loc);
        continue;
      }
      is_null = variable->is_null();
    }
    if (is_null && definition.value_type->is_non_null())
      return fail(
          "Argument \"" + definition.name + "\" of non-null type \"" + type_text + "\" must not be null.",
          literal.loc);
    auto coerced = coerce_literal(literal, definition.value_type, variables);
    if (!coerced.ok())
      return fail("Argument \"" + definition.name + "\" has invalid value " + language::print(literal) + ".",
                  literal.loc);
    result.values.set(definition.name, std::move(coerced.value));
  }
  return result;
}

std::optional<std::string> value_to_literal_text(const value& v, const type* t) {
  return literal_text(v, t);
}

}  // namespace sluice::schema
