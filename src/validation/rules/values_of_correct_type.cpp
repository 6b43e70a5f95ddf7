// ValuesOfCorrectType: every literal value is valid for the input type expected where it is written, input
// objects get their required fields, and @oneOf input objects exactly one non-null field (spec 5.6.1, 5.6.3).
#include "validation/rules/specified_rules.hpp"

#include <stdexcept>
#include <unordered_map>

#include "sluice/language/printer.hpp"
#include "sluice/schema/coercion.hpp"
#include "sluice/schema/suggestions.hpp"
#include "validation/types.hpp"

namespace sluice::validation::detail {
namespace {

using language::value_kind;

bool contains_variable(const language::value& v) {
  if (v.kind == value_kind::variable) return true;
  for (const language::value& item : v.list)
    if (contains_variable(item)) return true;
  for (const language::object_field& f : v.fields)
    if (contains_variable(f.val)) return true;
  return false;
}

class values_of_correct_type final : public rule {
 public:
  using rule::rule;

  next enter_value(const language::value& v) override {
    const type_info& types = ctx_.types();
    switch (v.kind) {
      case value_kind::list: {
        // The walk already went into the item type: the list's own type is the parent input type.
        const schema::type* parent = types.parent_input_type();
        if (parent == nullptr || !parent->nullable()->is_list()) {
          check_leaf(v);
          return next::skip;
        }
        return next::descend;
      }
      case value_kind::object: {
        const schema::type* t = types.input_type();
        const auto* object = t != nullptr ? t->named()->as<schema::input_object_type>() : nullptr;
        if (object == nullptr) {
          check_leaf(v);
          return next::skip;
        }
        check_object(v, *object);
        return next::descend;
      }
      case value_kind::null: {
        const schema::type* t = types.input_type();
        if (t != nullptr && t->is_non_null()) expected(t, v);
        return next::descend;
      }
      case value_kind::variable:
        return next::descend;
      default:
        check_leaf(v);
        return next::descend;
    }
  }

  next enter_object_field(const language::object_field& f) override {
    const schema::type* parent = ctx_.types().parent_input_type();
    const auto* object = parent != nullptr ? parent->named()->as<schema::input_object_type>() : nullptr;
    if (ctx_.types().input_type() != nullptr || object == nullptr) return next::descend;
    std::vector<std::string_view> options;
    for (const schema::input_value& field : object->fields()) options.push_back(field.name);
    ctx_.report("Field \"" + std::string(f.field_name.text) + "\" is not defined by type \"" +
                    object->name() + "\"." +
                    schema::did_you_mean(schema::suggestion_list(f.field_name.text, options)),
                {f.field_name.loc.to_source_location()});
    return next::descend;
  }

 private:
  void expected(const schema::type* t, const language::value& v) {
    ctx_.report("Expected value of type \"" + t->to_string() + "\", found " + language::print(v) + ".",
                {v.loc.to_source_location()});
  }

  void check_object(const language::value& v, const schema::input_object_type& object) {
    // The fields given, by name (the last of the same name wins, as in graphql-js's keyMap).
    std::vector<std::pair<std::string_view, const language::value*>> given;
    std::unordered_map<std::string_view, std::size_t> index;
    for (const language::object_field& f : v.fields) {
      auto [it, inserted] = index.try_emplace(f.field_name.text, given.size());
      if (inserted)
        given.emplace_back(f.field_name.text, &f.val);
      else
        given[it->second].second = &f.val;
    }
    for (const schema::input_value& field : object.fields()) {
      if (index.contains(field.name) || !is_required(field)) continue;
      ctx_.report("Field \"" + object.name() + "." + field.name + "\" of required type \"" +
                      field.value_type->to_string() + "\" was not provided.",
                  {v.loc.to_source_location()});
    }
    if (!object.one_of()) return;
    if (given.size() != 1) {
      ctx_.report("OneOf Input Object \"" + object.name() + "\" must specify exactly one key.",
                  {v.loc.to_source_location()});
    } else if (given.front().second->kind == value_kind::null) {
      ctx_.report(
          "Field \"" + object.name() + "." + std::string(given.front().first) + "\" must be non-null.",
          {v.loc.to_source_location()});
    }
  }

  // graphql-js isValidValueNode: a value where a scalar or an enum is expected.
  void check_leaf(const language::value& v) {
    const schema::type* location_type = ctx_.types().input_type();
    if (location_type == nullptr) return;
    const schema::named_type* t = location_type->named();
    if (!t->is_leaf()) {
      expected(location_type, v);
      return;
    }
    if (const auto* e = t->as<schema::enum_type>()) {
      check_enum(*e, v);
      return;
    }
    const auto& scalar = *t->as<schema::scalar_type>();
    const auto& parse = scalar.coercion().parse_literal;
    // A scalar without literal coercion takes any literal. A custom scalar may get a list or object with
    // variables in it; its coercion sees only constant literals (the built-in ones reject lists and objects).
    if (!parse || (scalar.builtin() == schema::builtin_scalar::none && contains_variable(v))) return;
    std::string message;
    try {
      (void)parse(v);
      return;
    } catch (const schema::coercion_error& e) {
      message = e.what();  // graphql-js: a GraphQLError from parseLiteral, reported as it is
    } catch (const std::exception& e) {
      message = "Expected value of type \"" + location_type->to_string() + "\", found " + language::print(v) +
                "; " + e.what();
    }
    ctx_.report(std::move(message), {v.loc.to_source_location()});
  }

  void check_enum(const schema::enum_type& e, const language::value& v) {
    const std::string printed = language::print(v);
    std::string message;
    if (v.kind != value_kind::enum_)
      message = "Enum \"" + e.name() + "\" cannot represent non-enum value: " + printed + ".";
    else if (e.find_value(v.raw) == nullptr)
      message = "Value \"" + printed + "\" does not exist in \"" + e.name() + "\" enum.";
    else
      return;
    std::vector<std::string_view> options;
    for (const schema::enum_value& value : e.values()) options.push_back(value.name);
    ctx_.report(message + schema::did_you_mean("the enum value", schema::suggestion_list(printed, options)),
                {v.loc.to_source_location()});
  }
};

}  // namespace

std::unique_ptr<rule> make_values_of_correct_type(validation_context& ctx) {
  return std::make_unique<values_of_correct_type>(ctx);
}

}  // namespace sluice::validation::detail
