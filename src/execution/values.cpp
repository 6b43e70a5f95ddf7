// CoerceVariableValues (spec 6.1.2), with graphql-js's messages.
#include "values.hpp"

#include "sluice/schema/coercion.hpp"

namespace sluice::execution::detail {

const schema::type* type_from_ast(const schema::schema& s, const language::type& t) {
  switch (t.kind) {
    case language::type_kind::named: return s.find_type(t.name);
    case language::type_kind::list: {
      const schema::type* inner = type_from_ast(s, *t.of_type);
      return inner ? s.list_of(inner) : nullptr;
    }
    case language::type_kind::non_null: {
      const schema::type* inner = type_from_ast(s, *t.of_type);
      return inner ? s.non_null_of(inner) : nullptr;
    }
  }
  return nullptr;
}

sluice::value coerce_variable_values(const schema::schema& s, const language::operation_definition& op,
                                     const sluice::value& inputs, std::vector<graphql_error>& errors) {
  constexpr std::size_t max_errors = 50;
  sluice::value coerced{sluice::object{}};
  auto fail = [&](std::string message, const language::location& loc) {
    if (errors.size() >= max_errors) {
      errors.push_back(graphql_error{"Too many errors processing variables, error limit reached. Execution aborted.",
                                     {}, {}, {}});
      return false;
    }
    errors.push_back(graphql_error{std::move(message), {loc.to_source_location()}, {}, {}});
    return true;
  };
  for (const auto& def : op.variables) {
    const std::string name(def.variable.text);
    const schema::type* t = type_from_ast(s, def.var_type);
    if (t == nullptr || !t->is_input_type()) {
      std::string shown = t ? t->to_string() : std::string(def.var_type.named_type());
      if (!fail("Variable \"$" + name + "\" expected value of type \"" + shown +
                    "\" which cannot be used as an input type.",
                def.var_type.loc))
        break;
      continue;
    }
    const sluice::value* given = inputs.find(name);
    if (given == nullptr) {
      if (def.default_value) {
        auto d = schema::coerce_literal(*def.default_value, t, nullptr);
        if (d.ok()) coerced.set(name, std::move(d.value));
      } else if (t->is_non_null()) {
        if (!fail("Variable \"$" + name + "\" of required type \"" + t->to_string() + "\" was not provided.", def.loc))
          break;
      }
      continue;
    }
    if (given->is_null() && t->is_non_null()) {
      if (!fail("Variable \"$" + name + "\" of non-null type \"" + t->to_string() + "\" must not be null.", def.loc))
        break;
      continue;
    }
    auto result = schema::coerce_input_value(*given, t);
    if (!result.ok()) {
      bool go_on = true;
      for (const auto& e : result.errors)
        if (!(go_on = fail(schema::variable_error_message(name, e), def.loc))) break;
      if (!go_on) break;
      continue;
    }
    coerced.set(name, std::move(result.value));
  }
  return coerced;
}

}  // namespace sluice::execution::detail
