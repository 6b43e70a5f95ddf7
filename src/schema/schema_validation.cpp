// Type system validation of a built schema (spec 3, graphql-js src/type/validate.ts): root types, names,
// fields and arguments, interface implementations, union members, enum values, input objects and their
// cycles.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "schema/build_context.hpp"

namespace sluice::schema::detail {
namespace {

// Where a set of AST nodes are; a node that does not exist (built-in types) is left out, as graphql-js does.
class locations {
 public:
  locations& add(const language::location& loc) {
    list_.push_back(loc.to_source_location());
    return *this;
  }
  template <typename Node>
  locations& add(const Node* node) {
    if (node != nullptr) add(node->loc);
    return *this;
  }
  locations& add_type_of(const language::input_value_definition* node) {
    if (node != nullptr) add(node->value_type.loc);
    return *this;
  }
  locations& append(locations other) {
    list_.insert(list_.end(), other.list_.begin(), other.list_.end());
    return *this;
  }
  [[nodiscard]] std::vector<source_location> take() { return std::move(list_); }

 private:
  std::vector<source_location> list_;
};

bool is_equal_type(const type* a, const type* b) {
  return a == b;
}  // wrappers are interned

class schema_validator {
 public:
  explicit schema_validator(const build_context& context) : context_(context), schema_(context.target) {}

  std::vector<graphql_error> run() {
    validate_root_types();
    validate_directives();
    validate_types();
    return std::move(errors_);
  }

 private:
  void report(std::string message, locations where) {
    errors_.push_back(graphql_error{std::move(message), where.take(), {}, {}});
  }

  // The definition and extensions of a user-defined type (none for built-in types).
  locations definition_nodes(const named_type* t) {
    locations where;
    for (const auto* node : t->ast()) where.add(node);
    return where;
  }

  // --- root types
  // ----------------------------------------------------------------------------------------------

  // The type named for `op` in the schema definition or an extension, else the type's own definition.
  locations root_type_node(language::operation_type op, const named_type* t) {
    std::vector<const language::schema_definition*> nodes;
    if (context_.schema_definition != nullptr) nodes.push_back(context_.schema_definition);
    nodes.insert(nodes.end(), context_.schema_extensions.begin(), context_.schema_extensions.end());
    locations where;
    for (const auto* node : nodes)
      for (const auto& root : node->operation_types)
        if (root.operation == op) return where.add(root.type_name.loc);
    if (!t->ast().empty()) where.add(t->ast().front());
    return where;
  }

  void validate_root_types() {
    if (context_.query == nullptr) {
      report("Query root type must be provided.", locations().add(context_.schema_definition));
    } else if (context_.query->kind() != type_kind::object) {
      report("Query root type must be Object type, it cannot be " + context_.query->name() + ".",
             root_type_node(language::operation_type::query, context_.query));
    }
    if (context_.mutation != nullptr && context_.mutation->kind() != type_kind::object)
      report("Mutation root type must be Object type if provided, it cannot be " + context_.mutation->name() +
                 ".",
             root_type_node(language::operation_type::mutation, context_.mutation));
    if (context_.subscription != nullptr && context_.subscription->kind() != type_kind::object)
      report("Subscription root type must be Object type if provided, it cannot be " +
                 context_.subscription->name() + ".",
             root_type_node(language::operation_type::subscription, context_.subscription));
  }

  // --- names and arguments
  // -------------------------------------------------------------------------------------

  template <typename Node>
  void validate_name(const std::string& name, const Node* node) {
    if (name.starts_with("__"))
      report("Name \"" + name + "\" must not begin with \"__\", which is reserved by GraphQL introspection.",
             locations().add(node));
  }

  static bool is_required(const input_value& v) { return v.value_type->is_non_null() && !v.default_value; }

  static const language::directive* deprecated_directive(const input_value& v) {
    if (v.ast == nullptr) return nullptr;
    for (const auto& d : v.ast->directives)
      if (d.directive_name.text == "deprecated") return &d;
    return nullptr;
  }

  void validate_directives() {
    for (const auto* d : schema_.directives()) {
      validate_name(d->name, d->ast);
      if (d->locations.empty())
        report("Directive @" + d->name + " must include 1 or more locations.", locations().add(d->ast));
      for (const auto& arg : d->arguments) {
        validate_name(arg.name, arg.ast);
        if (!arg.value_type->is_input_type())
          report("The type of @" + d->name + "(" + arg.name +
                     ":) must be Input Type but got: " + arg.value_type->to_string() + ".",
                 locations().add(arg.ast));
        if (is_required(arg) && arg.deprecation_reason)
          report("Required argument @" + d->name + "(" + arg.name + ":) cannot be deprecated.",
                 locations().add(deprecated_directive(arg)).add_type_of(arg.ast));
      }
    }
  }

  // --- types
  // ---------------------------------------------------------------------------------------------------

  void validate_types() {
    for (const auto* t : schema_.types()) {
      if (!context_.introspection_types.contains(t))
        validate_name(t->name(), t->ast().empty() ? nullptr : t->ast().front());
      switch (t->kind()) {
        case type_kind::object:
        case type_kind::interface:
          validate_fields(*t->as<fields_type>());
          validate_interfaces(*t->as<fields_type>());
          break;
        case type_kind::union_:
          validate_union_members(*t->as<union_type>());
          break;
        case type_kind::enum_:
          validate_enum_values(*t->as<enum_type>());
          break;
        case type_kind::input_object:
          validate_input_fields(*t->as<input_object_type>());
          detect_input_cycles(*t->as<input_object_type>());
          break;
        default:
          break;
      }
    }
  }

  void validate_fields(const fields_type& t) {
    if (t.fields().empty())
      report("Type " + t.name() + " must define one or more fields.", definition_nodes(&t));
    for (const auto& f : t.fields()) {
      validate_name(f.name, f.ast);
      if (!f.field_type->is_output_type())
        report("The type of " + t.name() + "." + f.name +
                   " must be Output Type but got: " + f.field_type->to_string() + ".",
               f.ast != nullptr ? locations().add(f.ast->field_type.loc) : locations());
      for (const auto& arg : f.arguments) {
        validate_name(arg.name, arg.ast);
        if (!arg.value_type->is_input_type())
          report("The type of " + t.name() + "." + f.name + "(" + arg.name +
                     ":) must be Input Type but got: " + arg.value_type->to_string() + ".",
                 locations().add_type_of(arg.ast));
        if (is_required(arg) && arg.deprecation_reason)
          report("Required argument " + t.name() + "." + f.name + "(" + arg.name + ":) cannot be deprecated.",
                 locations().add(deprecated_directive(arg)).add_type_of(arg.ast));
      }
    }
  }

  const std::vector<const named_type*>& written_interfaces(const named_type& t) {
    static const std::vector<const named_type*> none;
    const auto* w = context_.find_written(&t);
    return w == nullptr ? none : w->interfaces;
  }

  // Every `implements` name of `iface` in the definition and extensions of `t`.
  locations implements_nodes(const named_type& t, const named_type& iface) {
    locations where;
    for (const auto* node : t.ast())
      for (const auto& name : node->interfaces)
        if (name.text == iface.name()) where.add(name.loc);
    return where;
  }

  void validate_interfaces(const fields_type& t) {
    std::unordered_set<const named_type*> seen;
    for (const named_type* iface : written_interfaces(t)) {
      if (iface->kind() != type_kind::interface) {
        report("Type " + t.name() + " must only implement Interface types, it cannot implement " +
                   iface->name() + ".",
               implements_nodes(t, *iface));
        continue;
      }
      if (iface == &t) {
        report("Type " + t.name() + " cannot implement itself because it would create a circular reference.",
               implements_nodes(t, *iface));
        continue;
      }
      if (!seen.insert(iface).second) {
        report("Type " + t.name() + " can only implement " + iface->name() + " once.",
               implements_nodes(t, *iface));
        continue;
      }
      validate_implements_ancestors(t, *iface->as<fields_type>());
      validate_implements_interface(t, *iface->as<fields_type>());
    }
  }

  void validate_implements_ancestors(const fields_type& t, const fields_type& iface) {
    const auto& own = written_interfaces(t);
    for (const named_type* transitive : written_interfaces(iface)) {
      if (std::find(own.begin(), own.end(), transitive) != own.end()) continue;
      std::string message = transitive == &t ? "Type " + t.name() + " cannot implement " + iface.name() +
                                                   " because it would create a circular reference."
                                             : "Type " + t.name() + " must implement " + transitive->name() +
                                                   " because it is implemented by " + iface.name() + ".";
      locations where = implements_nodes(iface, *transitive);
      where.append(implements_nodes(t, iface));
      report(std::move(message), std::move(where));
    }
  }

  // graphql-js isTypeSubTypeOf: covariant field types.
  bool is_type_sub_type_of(const type* maybe_sub, const type* super) {
    if (maybe_sub == super) return true;
    if (super->is_non_null())
      return maybe_sub->is_non_null() && is_type_sub_type_of(maybe_sub->of_type(), super->of_type());
    if (maybe_sub->is_non_null()) return is_type_sub_type_of(maybe_sub->of_type(), super);
    if (super->is_list())
      return maybe_sub->is_list() && is_type_sub_type_of(maybe_sub->of_type(), super->of_type());
    if (maybe_sub->is_list()) return false;
    const auto* super_named = static_cast<const named_type*>(super);
    const auto* sub_named = static_cast<const named_type*>(maybe_sub);
    return super_named->is_abstract() &&
           (sub_named->kind() == type_kind::interface || sub_named->kind() == type_kind::object) &&
           schema_.is_sub_type(super_named, sub_named);
  }

  void validate_implements_interface(const fields_type& t, const fields_type& iface) {
    for (const auto& iface_field : iface.fields()) {
      const std::string& field_name = iface_field.name;
      const field* type_field = t.find_field(field_name);
      if (type_field == nullptr) {
        locations where;
        where.add(iface_field.ast);
        where.append(definition_nodes(&t));
        report("Interface field " + iface.name() + "." + field_name + " expected but " + t.name() +
                   " does not provide it.",
               std::move(where));
        continue;
      }
      if (!is_type_sub_type_of(type_field->field_type, iface_field.field_type)) {
        locations where;
        if (iface_field.ast != nullptr) where.add(iface_field.ast->field_type.loc);
        if (type_field->ast != nullptr) where.add(type_field->ast->field_type.loc);
        report("Interface field " + iface.name() + "." + field_name + " expects type " +
                   iface_field.field_type->to_string() + " but " + t.name() + "." + field_name + " is type " +
                   type_field->field_type->to_string() + ".",
               std::move(where));
      }
      for (const auto& iface_arg : iface_field.arguments) {
        const input_value* type_arg = type_field->find_argument(iface_arg.name);
        if (type_arg == nullptr) {
          report("Interface field argument " + iface.name() + "." + field_name + "(" + iface_arg.name +
                     ":) expected but " + t.name() + "." + field_name + " does not provide it.",
                 locations().add(iface_arg.ast).add(type_field->ast));
          continue;
        }
        if (!is_equal_type(iface_arg.value_type, type_arg->value_type))
          report("Interface field argument " + iface.name() + "." + field_name + "(" + iface_arg.name +
                     ":) expects type " + iface_arg.value_type->to_string() + " but " + t.name() + "." +
                     field_name + "(" + iface_arg.name + ":) is type " + type_arg->value_type->to_string() +
                     ".",
                 locations().add_type_of(iface_arg.ast).add_type_of(type_arg->ast));
      }
      for (const auto& type_arg : type_field->arguments) {
        if (iface_field.find_argument(type_arg.name) == nullptr && is_required(type_arg))
          report("Object field " + t.name() + "." + field_name + " includes required argument " +
                     type_arg.name + " that is missing from the Interface field " + iface.name() + "." +
                     field_name + ".",
                 locations().add(type_arg.ast).add(iface_field.ast));
      }
    }
  }

  locations member_nodes(const union_type& u, const std::string& member_name) {
    locations where;
    for (const auto* node : u.ast())
      for (const auto& name : node->members)
        if (name.text == member_name) where.add(name.loc);
    return where;
  }

  void validate_union_members(const union_type& u) {
    const auto* w = context_.find_written(&u);
    std::vector<const named_type*> members;
    if (w != nullptr) members = w->members;
    if (members.empty())
      report("Union type " + u.name() + " must define one or more member types.", definition_nodes(&u));
    std::unordered_set<const named_type*> included;
    for (const named_type* member : members) {
      if (!included.insert(member).second) {
        report("Union type " + u.name() + " can only include type " + member->name() + " once.",
               member_nodes(u, member->name()));
        continue;
      }
      if (member->kind() != type_kind::object)
        report("Union type " + u.name() + " can only include Object types, it cannot include " +
                   member->name() + ".",
               member_nodes(u, member->name()));
    }
  }

  void validate_enum_values(const enum_type& e) {
    if (e.values().empty())
      report("Enum type " + e.name() + " must define one or more values.", definition_nodes(&e));
    for (const auto& v : e.values()) validate_name(v.name, v.ast);
  }

  void validate_input_fields(const input_object_type& t) {
    if (t.fields().empty())
      report("Input Object type " + t.name() + " must define one or more fields.", definition_nodes(&t));
    for (const auto& f : t.fields()) {
      validate_name(f.name, f.ast);
      if (!f.value_type->is_input_type())
        report("The type of " + t.name() + "." + f.name +
                   " must be Input Type but got: " + f.value_type->to_string() + ".",
               locations().add_type_of(f.ast));
      if (is_required(f) && f.deprecation_reason)
        report("Required input field " + t.name() + "." + f.name + " cannot be deprecated.",
               locations().add(deprecated_directive(f)).add_type_of(f.ast));
      if (t.one_of()) {
        if (f.value_type->is_non_null())
          report("OneOf input field " + t.name() + "." + f.name + " must be nullable.",
                 locations().add_type_of(f.ast));
        if (f.default_value)
          report("OneOf input field " + t.name() + "." + f.name + " cannot have a default value.",
                 locations().add(f.ast));
      }
    }
  }

  // Input objects must not reference themselves through non-null fields (graphql-js
  // createInputObjectCircularRefsValidator: a depth-first search shared by all input objects).
  void detect_input_cycles(const input_object_type& t) {
    if (!visited_inputs_.insert(&t).second) return;
    path_index_[&t] = field_path_.size();
    for (const auto& f : t.fields()) {
      if (!f.value_type->is_non_null()) continue;
      const auto* field_type = f.value_type->of_type()->as<input_object_type>();
      if (field_type == nullptr) continue;
      field_path_.push_back(&f);
      auto cycle = path_index_.find(field_type);
      if (cycle == path_index_.end()) {
        detect_input_cycles(*field_type);
      } else {
        std::string path;
        locations where;
        for (std::size_t i = cycle->second; i < field_path_.size(); ++i) {
          if (!path.empty()) path += ".";
          path += field_path_[i]->name;
          where.add(field_path_[i]->ast);
        }
        report("Cannot reference Input Object \"" + field_type->name() +
                   "\" within itself through a series of non-null fields: \"" + path + "\".",
               std::move(where));
      }
      field_path_.pop_back();
    }
    path_index_.erase(&t);
  }

  const build_context& context_;
  const schema& schema_;
  std::vector<graphql_error> errors_;
  std::unordered_set<const input_object_type*> visited_inputs_;
  std::unordered_map<const input_object_type*, std::size_t> path_index_;
  std::vector<const input_value*> field_path_;
};

}  // namespace

std::vector<graphql_error> validate_schema(const build_context& context) {
  return schema_validator(context).run();
}

}  // namespace sluice::schema::detail
