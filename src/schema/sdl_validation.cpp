// The SDL validation graphql-js runs before building a schema (specifiedSDLRules): unique names, known types
// and directives, directive locations and arguments, possible type extensions.
#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>

#include "schema/build_context.hpp"
#include "schema/builtins.hpp"
#include "sluice/language/printer.hpp"
#include "sluice/schema/suggestions.hpp"

namespace sluice::schema::detail {
namespace {

using language::location;

graphql_error error_at(std::string message, std::initializer_list<location> locations) {
  graphql_error e;
  e.message = std::move(message);
  for (const auto& loc : locations) e.locations.push_back(loc.to_source_location());
  return e;
}

struct directive_facts {
  std::vector<std::string_view> locations;
  std::vector<std::string_view> arguments;
  std::vector<std::pair<std::string_view, std::string>> required;  // argument name, type as written
  bool unique = true;                                              // not repeatable
};

std::string_view kind_name(language::type_definition_kind kind) {
  switch (kind) {
    case language::type_definition_kind::scalar:
      return "scalar";
    case language::type_definition_kind::object:
      return "object";
    case language::type_definition_kind::interface:
      return "interface";
    case language::type_definition_kind::union_:
      return "union";
    case language::type_definition_kind::enum_:
      return "enum";
    case language::type_definition_kind::input_object:
      return "input object";
  }
  return "";
}

std::string_view location_of(language::type_definition_kind kind) {
  switch (kind) {
    case language::type_definition_kind::scalar:
      return "SCALAR";
    case language::type_definition_kind::object:
      return "OBJECT";
    case language::type_definition_kind::interface:
      return "INTERFACE";
    case language::type_definition_kind::union_:
      return "UNION";
    case language::type_definition_kind::enum_:
      return "ENUM";
    case language::type_definition_kind::input_object:
      return "INPUT_OBJECT";
  }
  return "";
}

using seen_directives = std::unordered_map<std::string_view, location>;

class sdl_validator {
 public:
  explicit sdl_validator(const std::vector<const language::definition*>& definitions)
      : definitions_(definitions) {
    // graphql-js's specifiedDirectives, then the SDL's definitions (the last one of a name wins).
    directives_["include"] = {
        {"FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"}, {"if"}, {{"if", "Boolean!"}}, true};
    directives_["skip"] = {
        {"FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"}, {"if"}, {{"if", "Boolean!"}}, true};
    directives_["deprecated"] = {{"FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INPUT_FIELD_DEFINITION",
                                  "ENUM_VALUE", "DIRECTIVE_DEFINITION"},
                                 {"reason"},
                                 {},
                                 true};
    directives_["specifiedBy"] = {{"SCALAR"}, {"url"}, {{"url", "String!"}}, true};
    directives_["oneOf"] = {{"INPUT_OBJECT"}, {}, {}, true};
    for (const auto* def : definitions_) {
      if (const auto* d = std::get_if<language::directive_definition>(def)) {
        directive_facts facts;
        for (const auto& loc : d->locations) facts.locations.push_back(loc.text);
        for (const auto& arg : d->arguments) {
          facts.arguments.push_back(arg.value_name.text);
          if (arg.value_type.kind == language::type_kind::non_null && !arg.default_value)
            facts.required.emplace_back(arg.value_name.text, language::print(arg.value_type));
        }
        facts.unique = !d->repeatable;
        directives_[d->directive_name.text] = std::move(facts);
      } else if (const auto* t = std::get_if<language::type_definition>(def)) {
        if (t->extension) continue;
        if (!defined_types_.contains(t->type_name.text)) defined_type_names_.push_back(t->type_name.text);
        defined_types_[t->type_name.text] = t;
      }
    }
    for (const auto& info : builtin_scalars()) standard_type_names_.push_back(info.name);
    for (std::string_view name : introspection_type_names) standard_type_names_.push_back(name);
  }

  std::vector<graphql_error> run() {
    for (const auto* def : definitions_) {
      std::visit(
          [&](const auto& node) {
            using node_type = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<node_type, language::schema_definition>)
              visit_schema(node);
            else if constexpr (std::is_same_v<node_type, language::type_definition>)
              visit_type(node);
            else if constexpr (std::is_same_v<node_type, language::directive_definition>)
              visit_directive_definition(node);
            else if constexpr (std::is_same_v<node_type, language::operation_definition>)
              visit_operation(node);
            else
              visit_fragment(node);
          },
          *def);
    }
    return std::move(errors_);
  }

 private:
  void report(std::string message, std::initializer_list<location> locations) {
    errors_.push_back(error_at(std::move(message), locations));
  }

  // --- KnownTypeNames
  // ------------------------------------------------------------------------------------------

  void check_named_type(std::string_view name, const location& loc, bool in_sdl) {
    if (defined_types_.contains(name)) return;
    bool standard = std::find(standard_type_names_.begin(), standard_type_names_.end(), name) !=
                    standard_type_names_.end();
    if (in_sdl && standard) return;
    std::vector<std::string_view> options;
    if (in_sdl) options = standard_type_names_;
    options.insert(options.end(), defined_type_names_.begin(), defined_type_names_.end());
    report("Unknown type \"" + std::string(name) + "\"." + did_you_mean(suggestion_list(name, options)),
           {loc});
  }

  void check_type(const language::type& t, bool in_sdl) {
    const language::type* named = &t;
    while (named->kind != language::type_kind::named) named = named->of_type;
    check_named_type(named->name, named->loc, in_sdl);
  }

  // --- directives
  // ----------------------------------------------------------------------------------------------

  // UniqueDirectivesPerLocation, on entering the node the directives belong to.
  void check_unique_directives(language::list<language::directive> directives, seen_directives& seen) {
    for (const auto& d : directives) {
      auto facts = directives_.find(d.directive_name.text);
      if (facts == directives_.end() || !facts->second.unique) continue;
      auto [it, inserted] = seen.try_emplace(d.directive_name.text, d.loc);
      if (!inserted)
        report("The directive \"@" + std::string(d.directive_name.text) +
                   "\" can only be used once at this location.",
               {it->second, d.loc});
    }
  }

  void check_unique_directives(language::list<language::directive> directives) {
    seen_directives seen;
    check_unique_directives(directives, seen);
  }

  // UniqueArgumentNames.
  void check_unique_arguments(language::list<language::argument> arguments) {
    std::vector<std::string_view> names;
    for (const auto& a : arguments)
      if (std::find(names.begin(), names.end(), a.arg_name.text) == names.end())
        names.push_back(a.arg_name.text);
    for (std::string_view name : names) {
      std::vector<source_location> locations;
      for (const auto& a : arguments)
        if (a.arg_name.text == name) locations.push_back(a.arg_name.loc.to_source_location());
      if (locations.size() > 1)
        errors_.push_back(graphql_error{"There can be only one argument named \"" + std::string(name) + "\".",
                                        std::move(locations),
                                        {},
                                        {}});
    }
  }

  // KnownDirectives, KnownArgumentNamesOnDirectives, UniqueArgumentNames, UniqueInputFieldNames and
  // ProvidedRequiredArgumentsOnDirectives for one applied directive.
  void visit_directive(const language::directive& d, std::string_view location_name) {
    std::string name(d.directive_name.text);
    auto it = directives_.find(d.directive_name.text);
    if (it == directives_.end()) {
      report("Unknown directive \"@" + name + "\".", {d.loc});
    } else {
      const auto& locations = it->second.locations;
      if (std::find(locations.begin(), locations.end(), location_name) == locations.end())
        report("Directive \"@" + name + "\" may not be used on " + std::string(location_name) + ".", {d.loc});
      for (const auto& arg : d.arguments) {
        const auto& known = it->second.arguments;
        if (std::find(known.begin(), known.end(), arg.arg_name.text) == known.end())
          report("Unknown argument \"" + std::string(arg.arg_name.text) + "\" on directive \"@" + name +
                     "\"." + did_you_mean(suggestion_list(arg.arg_name.text, known)),
                 {arg.arg_name.loc});
      }
    }
    check_unique_arguments(d.arguments);
    for (const auto& arg : d.arguments) visit_value(arg.val);
    if (it != directives_.end()) {
      for (const auto& required : it->second.required) {
        const auto& arg_name = required.first;  // (clang 14 cannot capture structured bindings)
        const auto& type_text = required.second;
        bool given = std::any_of(d.arguments.begin(), d.arguments.end(),
                                 [&](const language::argument& a) { return a.arg_name.text == arg_name; });
        if (!given)
          report("Directive \"@" + name + "\" argument \"" + std::string(arg_name) + "\" of type \"" +
                     type_text + "\" is required, but it was not provided.",
                 {d.loc});
      }
    }
  }

  void visit_directives(language::list<language::directive> directives, std::string_view location_name) {
    for (const auto& d : directives) visit_directive(d, location_name);
  }

  // UniqueInputFieldNames.
  void visit_value(const language::value& v) {
    if (v.kind == language::value_kind::list) {
      for (const auto& item : v.list) visit_value(item);
    } else if (v.kind == language::value_kind::object) {
      std::unordered_map<std::string_view, location> known;
      for (const auto& f : v.fields) {
        auto [it, inserted] = known.try_emplace(f.field_name.text, f.field_name.loc);
        if (!inserted)
          report("There can be only one input field named \"" + std::string(f.field_name.text) + "\".",
                 {it->second, f.field_name.loc});
        visit_value(f.val);
      }
    }
  }

  // --- type system definitions
  // ---------------------------------------------------------------------------------

  void visit_schema(const language::schema_definition& s) {
    if (!s.extension) {
      if (schema_definitions_ > 0) report("Must provide only one schema definition.", {s.loc});
      ++schema_definitions_;
    }
    for (const auto& op : s.operation_types) {
      auto [it, inserted] = operation_types_.try_emplace(op.operation, op.loc);
      if (!inserted) {
        static constexpr std::array<std::string_view, 3> names = {"query", "mutation", "subscription"};
        report("There can be only one " + std::string(names[static_cast<std::size_t>(op.operation)]) +
                   " type in schema.",
               {it->second, op.loc});
      }
    }
    check_unique_directives(s.directives, schema_directives_);
    visit_directives(s.directives, "SCHEMA");
    for (const auto& op : s.operation_types) check_named_type(op.type_name.text, op.type_name.loc, true);
  }

  void visit_input_value(const language::input_value_definition& v, std::string_view location_name,
                         bool in_sdl) {
    check_unique_directives(v.directives);
    check_type(v.value_type, in_sdl);
    if (v.default_value) visit_value(*v.default_value);
    visit_directives(v.directives, location_name);
  }

  void check_unique_argument_definitions(const std::string& parent,
                                         language::list<language::input_value_definition> arguments) {
    std::vector<std::string_view> names;
    for (const auto& a : arguments)
      if (std::find(names.begin(), names.end(), a.value_name.text) == names.end())
        names.push_back(a.value_name.text);
    for (std::string_view name : names) {
      std::vector<source_location> locations;
      for (const auto& a : arguments)
        if (a.value_name.text == name) locations.push_back(a.value_name.loc.to_source_location());
      if (locations.size() > 1)
        errors_.push_back(
            graphql_error{"Argument \"" + parent + "(" + std::string(name) + ":)\" can only be defined once.",
                          std::move(locations),
                          {},
                          {}});
    }
  }

  void check_definition_names(const language::type_definition& t) {
    std::string type_name(t.type_name.text);
    if (!t.extension) {
      auto [it, inserted] = type_names_.try_emplace(t.type_name.text, t.type_name.loc);
      if (!inserted)
        report("There can be only one type named \"" + type_name + "\".", {it->second, t.type_name.loc});
    }
    if (t.kind == language::type_definition_kind::enum_) {
      auto& known = enum_values_[t.type_name.text];
      for (const auto& v : t.values) {
        auto [it, inserted] = known.try_emplace(v.value_name.text, v.value_name.loc);
        if (!inserted)
          report("Enum value \"" + type_name + "." + std::string(v.value_name.text) +
                     "\" can only be defined once.",
                 {it->second, v.value_name.loc});
      }
    }
    auto check_field = [&](const language::name& field_name) {
      auto [it, inserted] = field_names_[t.type_name.text].try_emplace(field_name.text, field_name.loc);
      if (!inserted)
        report("Field \"" + type_name + "." + std::string(field_name.text) + "\" can only be defined once.",
               {it->second, field_name.loc});
    };
    for (const auto& f : t.fields) check_field(f.field_name);
    for (const auto& f : t.input_fields) check_field(f.value_name);
    for (const auto& f : t.fields)
      check_unique_argument_definitions(type_name + "." + std::string(f.field_name.text), f.arguments);
  }

  // PossibleTypeExtensions.
  void check_extension(const language::type_definition& t) {
    auto it = defined_types_.find(t.type_name.text);
    if (it == defined_types_.end()) {
      report("Cannot extend type \"" + std::string(t.type_name.text) + "\" because it is not defined." +
                 did_you_mean(suggestion_list(t.type_name.text, defined_type_names_)),
             {t.type_name.loc});
    } else if (it->second->kind != t.kind) {
      report("Cannot extend non-" + std::string(kind_name(t.kind)) + " type \"" +
                 std::string(t.type_name.text) + "\".",
             {it->second->loc, t.loc});
    }
  }

  void visit_type(const language::type_definition& t) {
    check_definition_names(t);
    check_unique_directives(t.directives, type_directives_[t.type_name.text]);
    if (t.extension) check_extension(t);
    for (const auto& iface : t.interfaces) check_named_type(iface.text, iface.loc, true);
    visit_directives(t.directives, location_of(t.kind));
    for (const auto& f : t.fields) {
      check_unique_directives(f.directives);
      for (const auto& arg : f.arguments) visit_input_value(arg, "ARGUMENT_DEFINITION", true);
      check_type(f.field_type, true);
      visit_directives(f.directives, "FIELD_DEFINITION");
    }
    for (const auto& member : t.members) check_named_type(member.text, member.loc, true);
    for (const auto& v : t.values) {
      check_unique_directives(v.directives);
      visit_directives(v.directives, "ENUM_VALUE");
    }
    for (const auto& f : t.input_fields) visit_input_value(f, "INPUT_FIELD_DEFINITION", true);
  }

  void visit_directive_definition(const language::directive_definition& d) {
    std::string name(d.directive_name.text);
    check_unique_argument_definitions("@" + name, d.arguments);
    auto [it, inserted] = directive_names_.try_emplace(d.directive_name.text, d.directive_name.loc);
    if (!inserted)
      report("There can be only one directive named \"@" + name + "\".", {it->second, d.directive_name.loc});
    for (const auto& arg : d.arguments) visit_input_value(arg, "ARGUMENT_DEFINITION", true);
  }

  // --- executable definitions (graphql-js validates their directives and types too)
  // ---------------------------

  void visit_selections(const language::selection_set& selections) {
    for (const auto& s : selections) {
      if (const auto* f = std::get_if<language::field>(&s.node)) {
        check_unique_directives(f->directives);
        check_unique_arguments(f->arguments);
        for (const auto& arg : f->arguments) visit_value(arg.val);
        visit_directives(f->directives, "FIELD");
        visit_selections(f->selections);
      } else if (const auto* spread = std::get_if<language::fragment_spread>(&s.node)) {
        check_unique_directives(spread->directives);
        visit_directives(spread->directives, "FRAGMENT_SPREAD");
      } else if (const auto* inline_fragment = std::get_if<language::inline_fragment>(&s.node)) {
        check_unique_directives(inline_fragment->directives);
        if (!inline_fragment->type_condition.empty())
          check_named_type(inline_fragment->type_condition.text, inline_fragment->type_condition.loc, false);
        visit_directives(inline_fragment->directives, "INLINE_FRAGMENT");
        visit_selections(inline_fragment->selections);
      }
    }
  }

  void visit_operation(const language::operation_definition& op) {
    check_unique_directives(op.directives);
    for (const auto& v : op.variables) {
      check_unique_directives(v.directives);
      check_type(v.var_type, false);
      if (v.default_value) visit_value(*v.default_value);
      visit_directives(v.directives, "VARIABLE_DEFINITION");
    }
    static constexpr std::array<std::string_view, 3> locations = {"QUERY", "MUTATION", "SUBSCRIPTION"};
    visit_directives(op.directives, locations[static_cast<std::size_t>(op.operation)]);
    visit_selections(op.selections);
  }

  void visit_fragment(const language::fragment_definition& f) {
    check_unique_directives(f.directives);
    check_named_type(f.type_condition.text, f.type_condition.loc, false);
    visit_directives(f.directives, "FRAGMENT_DEFINITION");
    visit_selections(f.selections);
  }

  const std::vector<const language::definition*>& definitions_;
  std::vector<graphql_error> errors_;
  std::unordered_map<std::string_view, directive_facts> directives_;
  std::unordered_map<std::string_view, const language::type_definition*>
      defined_types_;  // the last definition
  std::vector<std::string_view> defined_type_names_;
  std::vector<std::string_view> standard_type_names_;
  int schema_definitions_ = 0;
  std::unordered_map<language::operation_type, location> operation_types_;
  std::unordered_map<std::string_view, location> type_names_;
  std::unordered_map<std::string_view, location> directive_names_;
  std::unordered_map<std::string_view, std::unordered_map<std::string_view, location>> enum_values_;
  std::unordered_map<std::string_view, std::unordered_map<std::string_view, location>> field_names_;
  seen_directives schema_directives_;
  std::unordered_map<std::string_view, seen_directives> type_directives_;
};

}  // namespace

std::vector<graphql_error> validate_sdl(const std::vector<const language::definition*>& definitions) {
  return sdl_validator(definitions).run();
}

}  // namespace sluice::schema::detail
