// build_schema: SDL to a validated schema, as graphql-js 16's buildASTSchema, extendSchema and
// assertValidSchema.
#include "sluice/schema/builder.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "schema/build_context.hpp"
#include "schema/builder_access.hpp"
#include "schema/builtins.hpp"
#include "schema/live_sdl.hpp"
#include "schema/scalars.hpp"
#include "sluice/language/parser.hpp"
#include "sluice/schema/coercion.hpp"

namespace sluice::schema {
namespace {

using access = builder_access;

// A type name the SDL refers to that does not exist (SDL validation reports these first, so this is a safety
// net).
struct unknown_type : std::runtime_error {
  using std::runtime_error::runtime_error;
};

applied_directives pointers_to(language::list<language::directive> directives) {
  applied_directives out;
  out.reserve(directives.size());
  for (const auto& d : directives) out.push_back(&d);
  return out;
}

std::unique_ptr<named_type> create_type(const language::type_definition& def) {
  std::string name(def.type_name.text);
  switch (def.kind) {
    case language::type_definition_kind::scalar:
      return std::make_unique<scalar_type>(std::move(name), builtin_scalar::none);
    case language::type_definition_kind::object:
      return std::make_unique<object_type>(std::move(name));
    case language::type_definition_kind::interface:
      return std::make_unique<interface_type>(std::move(name));
    case language::type_definition_kind::union_:
      return std::make_unique<union_type>(std::move(name));
    case language::type_definition_kind::enum_:
      return std::make_unique<enum_type>(std::move(name));
    case language::type_definition_kind::input_object:
      return std::make_unique<input_object_type>(std::move(name));
  }
  throw std::logic_error("unknown type definition kind");
}

class schema_builder {
 public:
  schema_builder(schema& s, const build_options& options) : schema_(s), options_(options), context_(s) {}

  detail::build_context& context() { return context_; }
  std::vector<graphql_error>& errors() { return errors_; }

  // The specified scalars, the introspection types and the specified directives.
  void build_builtins() {
    for (const auto& info : detail::builtin_scalars()) {
      auto scalar = std::make_unique<scalar_type>(std::string(info.name), info.which);
      access::description(*scalar) = std::string(info.description);
      access::coercion(*scalar) = detail::builtin_scalar_coercion(info.which);
      builtin_types_.emplace(scalar->name(), scalar.get());
      access::owned_types(schema_).push_back(std::move(scalar));
    }
    const language::document& doc = detail::builtin_document();
    std::vector<named_type*> created;
    for (const auto& def : doc.definitions) {
      if (const auto* type_def = std::get_if<language::type_definition>(&def)) {
        named_type* t = own(create_type(*type_def));
        builtin_types_.emplace(t->name(), t);
        context_.introspection_types.insert(t);
        created.push_back(t);
        written_[t].definition = type_def;
      }
    }
    for (named_type* t : created) fill(*t);
    for (const auto& def : doc.definitions) {
      if (const auto* directive_def = std::get_if<language::directive_definition>(&def)) {
        directive_definition* d = build_directive(*directive_def);
        d->ast = nullptr;
        for (auto& arg : d->arguments) arg.ast = nullptr;
        if (d->name == "deprecated") d->locations.push_back(directive_location::directive_definition);
        builtin_directives_.emplace(d->name, d);
      }
    }
    compute_defaults();
    // Built-in types keep no AST (their SDL is an implementation detail).
    for (named_type* t : created) forget_ast(*t);
    written_.clear();
  }

  // The user's types, extensions, directives and root types.
  void build_user(const std::vector<const language::definition*>& definitions) {
    std::vector<const language::type_definition*> type_defs;
    std::unordered_map<std::string_view, std::vector<const language::type_definition*>> extensions;
    std::vector<const language::directive_definition*> directive_defs;
    for (const auto* def : definitions) {
      if (const auto* s = std::get_if<language::schema_definition>(def)) {
        if (s->extension)
          context_.schema_extensions.push_back(s);
        else
          context_.schema_definition = s;
      } else if (const auto* t = std::get_if<language::type_definition>(def)) {
        if (t->extension)
          extensions[t->type_name.text].push_back(t);
        else
          type_defs.push_back(t);
      } else if (const auto* d = std::get_if<language::directive_definition>(def)) {
        directive_defs.push_back(d);
      }
    }

    // graphql-js's typeMap: one entry per defined name in definition order; a built-in name keeps the
    // built-in.
    std::vector<named_type*> created;
    for (const auto* def : type_defs) {
      std::string_view name = def->type_name.text;
      if (named_type* builtin = find_builtin(name)) {
        if (std::find(config_types_.begin(), config_types_.end(), builtin) == config_types_.end())
          config_types_.push_back(builtin);
        continue;
      }
      if (user_types_.contains(name)) continue;  // a duplicate (reported by SDL validation)
      named_type* t = own(create_type(*def));
      user_types_.emplace(t->name(), t);
      config_types_.push_back(t);
      created.push_back(t);
      auto& w = written_[t];
      w.definition = def;
      if (auto it = extensions.find(name); it != extensions.end()) w.extensions = it->second;
    }
    for (named_type* t : created) fill(*t);
    for (const auto* def : directive_defs) user_directives_.push_back(build_directive(*def));
    compute_defaults();
    resolve_root_types();

    // Directives: the SDL's, then the specified ones it does not redefine.
    auto& directives = access::directives(schema_);
    for (const auto* d : user_directives_) directives.push_back(d);
    for (std::string_view name : detail::specified_directive_names) {
      bool redefined = std::any_of(user_directives_.begin(), user_directives_.end(),
                                   [&](const directive_definition* d) { return d->name == name; });
      if (!redefined) directives.push_back(builtin_directives_.at(name));
    }
    if (context_.schema_definition != nullptr && context_.schema_definition->description)
      access::description(schema_) = context_.schema_definition->description;

    for (auto& [t, w] : written_) context_.written.emplace(t, std::move(w));
    order_types();
    index_possible_types();
    build_meta_fields();
  }

 private:
  named_type* own(std::unique_ptr<named_type> t) {
    named_type* raw = t.get();
    access::owned_types(schema_).push_back(std::move(t));
    return raw;
  }

  named_type* find_builtin(std::string_view name) const {
    auto it = builtin_types_.find(name);
    return it == builtin_types_.end() ? nullptr : it->second;
  }

  named_type* lookup(std::string_view name) const {
    if (named_type* builtin = find_builtin(name)) return builtin;
    auto it = user_types_.find(name);
    if (it == user_types_.end()) throw unknown_type("Unknown type: \"" + std::string(name) + "\".");
    return it->second;
  }

  const type* resolve(const language::type& t) {
    switch (t.kind) {
      case language::type_kind::named:
        return lookup(t.name);
      case language::type_kind::list:
        return schema_.list_of(resolve(*t.of_type));
      case language::type_kind::non_null:
        return schema_.non_null_of(resolve(*t.of_type));
    }
    return nullptr;
  }

  // --- directive values (graphql-js getDirectiveValues with the specified definitions)
  // --------------------------

  const language::directive* find_directive(language::list<language::directive> directives,
                                            std::string_view name) {
    for (const auto& d : directives)
      if (d.directive_name.text == name) return &d;
    return nullptr;
  }

  std::optional<value> directive_values(language::list<language::directive> directives,
                                        std::string_view name) {
    const language::directive* applied = find_directive(directives, name);
    if (applied == nullptr) return std::nullopt;
    auto coerced =
        coerce_argument_values(builtin_directives_.at(name)->arguments, applied->arguments, applied->loc);
    if (!coerced.ok()) {
      errors_.push_back(std::move(*coerced.error));
      return std::nullopt;
    }
    return std::move(coerced.values);
  }

  std::optional<std::string> string_argument(language::list<language::directive> directives,
                                             std::string_view directive_name, std::string_view argument) {
    auto values = directive_values(directives, directive_name);
    if (!values) return std::nullopt;
    const value* v = values->find(argument);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return v->as_string();
  }

  std::optional<std::string> deprecation_reason(language::list<language::directive> directives) {
    return string_argument(directives, "deprecated", "reason");
  }

  // --- types
  // ---------------------------------------------------------------------------------------------------

  input_value build_input_value(const language::input_value_definition& node) {
    input_value v;
    v.name = std::string(node.value_name.text);
    v.description = node.description;
    v.value_type = resolve(node.value_type);
    if (node.default_value) v.default_literal = &*node.default_value;
    v.deprecation_reason = deprecation_reason(node.directives);
    v.directives = pointers_to(node.directives);
    v.ast = &node;
    return v;
  }

  std::vector<input_value> build_input_values(language::list<language::input_value_definition> nodes) {
    std::vector<input_value> out;
    out.reserve(nodes.size());
    for (const auto& node : nodes) out.push_back(build_input_value(node));
    return out;
  }

  // The definition, then its extensions.
  std::vector<const language::type_definition*> nodes_of(const named_type& t) {
    const auto& w = written_.at(&t);
    std::vector<const language::type_definition*> nodes{w.definition};
    nodes.insert(nodes.end(), w.extensions.begin(), w.extensions.end());
    return nodes;
  }

  void fill(named_type& t) {
    auto nodes = nodes_of(t);
    const language::type_definition& def = *nodes.front();
    access::description(t) = def.description;
    access::ast(t) = nodes;
    for (const auto* node : nodes)
      for (const auto& d : node->directives) access::directives(t).push_back(&d);
    auto& w = written_.at(&t);

    if (auto* scalar = dynamic_cast<scalar_type*>(&t)) {
      access::specified_by_url(*scalar) = string_argument(def.directives, "specifiedBy", "url");
      scalar_coercion coercion = detail::default_custom_scalar_coercion();
      if (auto it = options_.custom_scalars.find(scalar->name()); it != options_.custom_scalars.end()) {
        if (it->second.serialize) coercion.serialize = it->second.serialize;
        if (it->second.parse_value) coercion.parse_value = it->second.parse_value;
        if (it->second.parse_literal) coercion.parse_literal = it->second.parse_literal;
      }
      access::coercion(*scalar) = std::move(coercion);
    } else if (auto* fields_owner = dynamic_cast<fields_type*>(&t)) {
      auto& fields = access::fields(*fields_owner);
      for (const auto* node : nodes) {
        for (const auto& name : node->interfaces) {
          const named_type* iface = lookup(name.text);
          w.interfaces.push_back(iface);
          if (const auto* i = iface->as<interface_type>()) access::interfaces(*fields_owner).push_back(i);
        }
        for (const auto& field_node : node->fields) {
          field f;
          f.name = std::string(field_node.field_name.text);
          f.description = field_node.description;
          f.arguments = build_input_values(field_node.arguments);
          f.field_type = resolve(field_node.field_type);
          f.deprecation_reason = deprecation_reason(field_node.directives);
          f.directives = pointers_to(field_node.directives);
          f.ast = &field_node;
          fields.push_back(std::move(f));
        }
      }
      access::index_fields(*fields_owner);
    } else if (auto* u = dynamic_cast<union_type*>(&t)) {
      for (const auto* node : nodes) {
        for (const auto& name : node->members) {
          const named_type* member = lookup(name.text);
          w.members.push_back(member);
          if (const auto* object = member->as<object_type>()) access::members(*u).push_back(object);
        }
      }
    } else if (auto* e = dynamic_cast<enum_type*>(&t)) {
      for (const auto* node : nodes) {
        for (const auto& value_node : node->values) {
          enum_value v;
          v.name = std::string(value_node.value_name.text);
          v.description = value_node.description;
          v.deprecation_reason = deprecation_reason(value_node.directives);
          v.directives = pointers_to(value_node.directives);
          v.ast = &value_node;
          access::values(*e).push_back(std::move(v));
        }
      }
      access::index_values(*e);
    } else if (auto* input = dynamic_cast<input_object_type*>(&t)) {
      for (const auto* node : nodes)
        for (const auto& field_node : node->input_fields)
          access::fields(*input).push_back(build_input_value(field_node));
      access::index_fields(*input);
      access::one_of(*input) = directive_values(def.directives, "oneOf").has_value();
      pending_inputs_.push_back(input);
    }
    if (auto* fields_owner = dynamic_cast<fields_type*>(&t)) pending_fields_.push_back(fields_owner);
  }

  directive_definition* build_directive(const language::directive_definition& node) {
    auto d = std::make_unique<directive_definition>();
    d->name = std::string(node.directive_name.text);
    d->description = node.description;
    d->arguments = build_input_values(node.arguments);
    for (const auto& location : node.locations)
      if (auto parsed = parse_directive_location(location.text)) d->locations.push_back(*parsed);
    d->repeatable = node.repeatable;
    d->ast = &node;
    directive_definition* raw = d.get();
    access::owned_directives(schema_).push_back(std::move(d));
    pending_directives_.push_back(raw);
    return raw;
  }

  // --- default values
  // ------------------------------------------------------------------------------------------

  void coerce_default(input_value& v) {
    if (v.default_literal == nullptr || v.default_value) return;
    ensure_defaults_of(v.value_type);
    auto coerced = coerce_literal(*v.default_literal, v.value_type);
    // An invalid default is dropped without an error, as graphql-js 16 does.
    if (coerced.ok()) v.default_value = std::move(coerced.value);
  }

  // Coercing a literal of an input object type reads its fields' defaults: compute those first.
  void ensure_defaults_of(const type* t) {
    auto* input = const_cast<input_object_type*>(t->named()->as<input_object_type>());
    if (input == nullptr || !defaults_started_.insert(input).second) return;
    for (auto& f : access::fields(*input)) coerce_default(f);
  }

  void compute_defaults() {
    for (auto* input : pending_inputs_) ensure_defaults_of(input);
    for (auto* owner : pending_fields_)
      for (auto& f : access::fields(*owner))
        for (auto& arg : f.arguments) coerce_default(arg);
    for (auto* d : pending_directives_)
      for (auto& arg : d->arguments) coerce_default(arg);
    pending_inputs_.clear();
    pending_fields_.clear();
    pending_directives_.clear();
  }

  void forget_ast(named_type& t) {
    access::ast(t).clear();
    if (auto* owner = dynamic_cast<fields_type*>(&t)) {
      for (auto& f : access::fields(*owner)) {
        f.ast = nullptr;
        for (auto& arg : f.arguments) arg.ast = nullptr;
      }
    } else if (auto* e = dynamic_cast<enum_type*>(&t)) {
      for (auto& v : access::values(*e)) v.ast = nullptr;
    } else if (auto* input = dynamic_cast<input_object_type*>(&t)) {
      for (auto& f : access::fields(*input)) f.ast = nullptr;
    }
  }

  // --- schema
  // --------------------------------------------------------------------------------------------------

  void resolve_root_types() {
    auto apply = [&](const language::schema_definition& node) {
      for (const auto& op : node.operation_types) {
        const named_type* t = lookup(op.type_name.text);
        switch (op.operation) {
          case language::operation_type::query:
            context_.query = t;
            break;
          case language::operation_type::mutation:
            context_.mutation = t;
            break;
          case language::operation_type::subscription:
            context_.subscription = t;
            break;
        }
      }
    };
    if (context_.schema_definition != nullptr) apply(*context_.schema_definition);
    for (const auto* extension : context_.schema_extensions) apply(*extension);
    if (context_.schema_definition == nullptr) {
      for (const named_type* t : config_types_) {
        if (t->name() == "Query") context_.query = t;
        if (t->name() == "Mutation") context_.mutation = t;
        if (t->name() == "Subscription") context_.subscription = t;
      }
    }
    auto as_object = [](const named_type* t) { return t == nullptr ? nullptr : t->as<object_type>(); };
    access::query(schema_) = as_object(context_.query);
    access::mutation(schema_) = as_object(context_.mutation);
    access::subscription(schema_) = as_object(context_.subscription);
  }

  // types() in graphql-js GraphQLSchema's order: each defined type followed by the types first reached from
  // it, then those reached from the root types, the directives' arguments and __Schema.
  void order_types() {
    std::vector<const named_type*> sequence;
    std::unordered_map<const named_type*, std::size_t> position;
    auto add = [&](const named_type* t) {
      position[t] = sequence.size();
      sequence.push_back(t);
    };
    auto collect = [&](auto&& self, const type* t) -> void {
      const named_type* n = t->named();
      if (position.contains(n)) return;
      add(n);
      const detail::written_type* w = context_.find_written(n);
      if (n->kind() == type_kind::union_) {
        if (w != nullptr)
          for (const auto* member : w->members) self(self, member);
      } else if (const auto* owner = n->as<fields_type>()) {
        if (w != nullptr)
          for (const auto* iface : w->interfaces) self(self, iface);
        for (const auto& f : owner->fields()) {
          self(self, f.field_type);
          for (const auto& arg : f.arguments) self(self, arg.value_type);
        }
      } else if (const auto* input = n->as<input_object_type>()) {
        for (const auto& f : input->fields()) self(self, f.value_type);
      }
    };
    for (const auto* t : config_types_)
      if (!position.contains(t)) add(t);
    for (const auto* t : config_types_) {
      sequence[position.at(t)] = nullptr;  // JavaScript's Set: delete, then add again at the end
      position.erase(t);
      collect(collect, t);
    }
    for (const auto* root : {context_.query, context_.mutation, context_.subscription})
      if (root != nullptr) collect(collect, root);
    for (const auto* d : access::directives(schema_))
      for (const auto& arg : d->arguments) collect(collect, arg.value_type);
    collect(collect, find_builtin("__Schema"));

    auto& types = access::types(schema_);
    auto& index = access::type_index(schema_);
    for (const auto* t : sequence) {
      if (t == nullptr) continue;
      types.push_back(t);
      index.emplace(t->name(), t);
    }
  }

  void index_possible_types() {
    auto& possible = access::possible_types(schema_);
    auto& sub_types = access::sub_types(schema_);
    for (const named_type* t : access::types(schema_)) {
      if (const auto* u = t->as<union_type>()) {
        possible[u] = u->members();
        sub_types[u].insert(u->members().begin(), u->members().end());
      } else if (const auto* owner = t->as<fields_type>()) {
        for (const auto* iface : owner->interfaces()) {
          if (const auto* object = t->as<object_type>()) possible[iface].push_back(object);
          sub_types[iface].insert(t);
        }
      }
    }
  }

  void build_meta_fields() {
    auto make = [](std::string name, std::string description, const type* t) {
      auto f = std::make_unique<field>();
      f->name = std::move(name);
      f->description = std::move(description);
      f->field_type = t;
      return f;
    };
    const type* string_type = find_builtin("String");
    access::schema_meta_field(schema_) = make("__schema", "Access the current type schema of this server.",
                                              schema_.non_null_of(find_builtin("__Schema")));
    auto type_field =
        make("__type", "Request the type information of a single type.", find_builtin("__Type"));
    input_value name_arg;
    name_arg.name = "name";
    name_arg.value_type = schema_.non_null_of(string_type);
    type_field->arguments.push_back(std::move(name_arg));
    access::type_meta_field(schema_) = std::move(type_field);
    access::typename_meta_field(schema_) = make(
        "__typename", "The name of the current Object type at runtime.", schema_.non_null_of(string_type));
  }

  schema& schema_;
  const build_options& options_;
  detail::build_context context_;
  std::vector<graphql_error> errors_;
  std::unordered_map<std::string_view, named_type*> builtin_types_;
  std::unordered_map<std::string_view, named_type*> user_types_;
  std::unordered_map<const named_type*, detail::written_type> written_;
  std::vector<const named_type*> config_types_;  // graphql-js's config.types
  std::unordered_map<std::string_view, directive_definition*> builtin_directives_;
  std::vector<const directive_definition*> user_directives_;
  std::vector<input_object_type*> pending_inputs_;
  std::vector<fields_type*> pending_fields_;
  std::vector<directive_definition*> pending_directives_;
  std::unordered_set<const input_object_type*> defaults_started_;
};

build_result failed(std::vector<graphql_error> errors) {
  return build_result{nullptr, std::move(errors)};
}

}  // namespace

build_result build_schema(const std::vector<std::string>& sdl_sources, const build_options& options) {
  auto built = std::make_shared<schema>();
  auto& documents = access::documents(*built);
  documents.reserve(sdl_sources.size());
  std::vector<graphql_error> errors;
  for (const auto& source : sdl_sources) {
    auto parsed = language::parse(source, language::trusted_parse_options());
    if (!parsed.ok())
      errors.push_back(std::move(*parsed.error));
    else
      documents.push_back(std::move(parsed.doc));
  }
  if (!errors.empty()) return failed(std::move(errors));

  std::vector<const language::definition*> definitions;
  for (const auto& doc : documents)
    for (const auto& def : doc.definitions) definitions.push_back(&def);
  errors = detail::validate_sdl(definitions);
  if (!errors.empty()) return failed(std::move(errors));

  schema_builder builder(*built, options);
  try {
    builder.build_builtins();
    builder.build_user(definitions);
  } catch (const unknown_type& e) {
    return failed({graphql_error{e.what(), {}, {}, {}}});
  }
  if (!builder.errors().empty()) return failed(std::move(builder.errors()));
  errors = detail::validate_schema(builder.context());
  if (!errors.empty()) return failed(std::move(errors));
  if (options.live_queries) {
    // Built once to read the Query type, then again with the live query SDL added.
    const bool has_schema_definition = std::any_of(definitions.begin(), definitions.end(), [](const auto* def) {
      const auto* s = std::get_if<language::schema_definition>(def);
      return s != nullptr && !s->extension;
    });
    std::string extra = detail::live_query_sdl(*built, has_schema_definition);
    if (!extra.empty()) {
      std::vector<std::string> sources = sdl_sources;
      sources.push_back(std::move(extra));
      build_options plain = options;
      plain.live_queries = false;
      return build_schema(sources, plain);
    }
  }
  return build_result{std::move(built), {}};
}

build_result build_schema(const std::vector<std::string>& sdl_sources) {
  return build_schema(sdl_sources, {});
}

build_result build_schema(std::string sdl, const build_options& options) {
  return build_schema(std::vector<std::string>{std::move(sdl)}, options);
}

build_result build_schema(std::string sdl) {
  return build_schema(std::move(sdl), build_options{});
}

}  // namespace sluice::schema
