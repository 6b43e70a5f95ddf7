// The GraphQL type system (spec 3): named types, wrappers, fields, directives, and the schema that owns them.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sluice/core/value.hpp"
#include "sluice/language/ast.hpp"

namespace sluice::schema {

enum class type_kind : std::uint8_t { scalar, object, interface, union_, enum_, input_object, list, non_null };

class named_type;
class object_type;
class interface_type;
class union_type;
class enum_type;
class input_object_type;
class scalar_type;

// Any type: a named type, or a list / non-null wrapper around another type.
class type {
 public:
  virtual ~type() = default;
  [[nodiscard]] type_kind kind() const { return kind_; }
  [[nodiscard]] bool is_wrapper() const { return kind_ == type_kind::list || kind_ == type_kind::non_null; }
  [[nodiscard]] bool is_non_null() const { return kind_ == type_kind::non_null; }
  [[nodiscard]] bool is_list() const { return kind_ == type_kind::list; }
  [[nodiscard]] bool is_leaf() const { return kind_ == type_kind::scalar || kind_ == type_kind::enum_; }
  [[nodiscard]] bool is_composite() const {
    return kind_ == type_kind::object || kind_ == type_kind::interface || kind_ == type_kind::union_;
  }
  [[nodiscard]] bool is_abstract() const { return kind_ == type_kind::interface || kind_ == type_kind::union_; }
  // Input types: scalars, enums, input objects, and wrappers of those (spec 3.4.2).
  [[nodiscard]] bool is_input_type() const;
  // Output types: everything but input objects, and wrappers of those.
  [[nodiscard]] bool is_output_type() const;
  // The wrapped type (list and non-null only; nullptr otherwise).
  [[nodiscard]] const type* of_type() const { return of_type_; }
  // The named type at the bottom of all wrappers.
  [[nodiscard]] const named_type* named() const;
  // Drops one non-null wrapper if there is one.
  [[nodiscard]] const type* nullable() const { return is_non_null() ? of_type_ : this; }
  // The type as written in GraphQL: `[Int!]!`.
  [[nodiscard]] std::string to_string() const;

  // Checked downcasts; nullptr when the kind does not match.
  template <typename T>
  [[nodiscard]] const T* as() const;

 protected:
  type(type_kind kind, const type* of_type) : kind_(kind), of_type_(of_type) {}

 private:
  type_kind kind_;
  const type* of_type_;
};

class wrapper_type final : public type {
 public:
  wrapper_type(type_kind kind, const type* of) : type(kind, of) {}
};

// A directive applied in the SDL (kept as the AST node; the schema keeps the SDL documents alive).
using applied_directives = std::vector<const language::directive*>;

// An argument, an input object field, or a directive argument (spec 3.6.1, 3.10).
struct input_value {
  std::string name;
  std::optional<std::string> description;
  const type* value_type = nullptr;
  std::optional<sluice::value> default_value;        // coerced from the SDL literal; absent when there is none
  const language::value* default_literal = nullptr;  // the SDL literal
  std::optional<std::string> deprecation_reason;
  applied_directives directives;
  const language::input_value_definition* ast = nullptr;
};

// A field of an object or interface type (spec 3.6).
struct field {
  std::string name;
  std::optional<std::string> description;
  std::vector<input_value> arguments;
  const type* field_type = nullptr;
  std::optional<std::string> deprecation_reason;
  applied_directives directives;
  const language::field_definition* ast = nullptr;

  [[nodiscard]] const input_value* find_argument(std::string_view arg) const;
};

struct enum_value {
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> deprecation_reason;
  applied_directives directives;
  const language::enum_value_definition* ast = nullptr;
};

class named_type : public type {
 public:
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::optional<std::string>& description() const { return description_; }
  [[nodiscard]] const applied_directives& directives() const { return directives_; }
  // The definition and then the extensions, as written (empty for built-in types).
  [[nodiscard]] const std::vector<const language::type_definition*>& ast() const { return ast_; }

 protected:
  named_type(type_kind kind, std::string name) : type(kind, nullptr), name_(std::move(name)) {}

 private:
  friend class builder_access;
  std::string name_;
  std::optional<std::string> description_;
  applied_directives directives_;
  std::vector<const language::type_definition*> ast_;
};

// How a scalar coerces values (spec 3.5). Built-in scalars use their spec rules; a custom scalar passes any
// value through unless the application installs its own functions.
struct scalar_coercion {
  // Result coercion: internal value to response value. Throws std::runtime_error (message = field error).
  // Empty: the value is sent as it is.
  std::function<sluice::value(const sluice::value&)> serialize;
  // Input coercion of a variable value (JSON). Throws std::runtime_error with a message.
  std::function<sluice::value(const sluice::value&)> parse_value;
  // Input coercion of a literal (variables already substituted into `literal` are not possible here: the
  // literal has no variables). Throws std::runtime_error with a message.
  std::function<sluice::value(const language::value&)> parse_literal;
};

enum class builtin_scalar : std::uint8_t { none, int_, float_, string, boolean, id };

class scalar_type final : public named_type {
 public:
  scalar_type(std::string name, builtin_scalar builtin) : named_type(type_kind::scalar, std::move(name)), builtin_(builtin) {}
  [[nodiscard]] builtin_scalar builtin() const { return builtin_; }
  [[nodiscard]] const std::optional<std::string>& specified_by_url() const { return specified_by_url_; }
  [[nodiscard]] const scalar_coercion& coercion() const { return coercion_; }

 private:
  friend class builder_access;
  builtin_scalar builtin_;
  std::optional<std::string> specified_by_url_;
  scalar_coercion coercion_;
};

// The shared part of object and interface types: fields and implemented interfaces.
class fields_type : public named_type {
 public:
  [[nodiscard]] const std::vector<field>& fields() const { return fields_; }
  [[nodiscard]] const field* find_field(std::string_view field_name) const;
  [[nodiscard]] const std::vector<const interface_type*>& interfaces() const { return interfaces_; }
  [[nodiscard]] bool implements(const interface_type* iface) const;

 protected:
  using named_type::named_type;

 private:
  friend class builder_access;
  std::vector<field> fields_;
  std::unordered_map<std::string_view, std::size_t> field_index_;
  std::vector<const interface_type*> interfaces_;
};

class object_type final : public fields_type {
 public:
  explicit object_type(std::string name) : fields_type(type_kind::object, std::move(name)) {}
};

class interface_type final : public fields_type {
 public:
  explicit interface_type(std::string name) : fields_type(type_kind::interface, std::move(name)) {}
};

class union_type final : public named_type {
 public:
  explicit union_type(std::string name) : named_type(type_kind::union_, std::move(name)) {}
  [[nodiscard]] const std::vector<const object_type*>& members() const { return members_; }

 private:
  friend class builder_access;
  std::vector<const object_type*> members_;
};

class enum_type final : public named_type {
 public:
  explicit enum_type(std::string name) : named_type(type_kind::enum_, std::move(name)) {}
  [[nodiscard]] const std::vector<enum_value>& values() const { return values_; }
  [[nodiscard]] const enum_value* find_value(std::string_view value_name) const;

 private:
  friend class builder_access;
  std::vector<enum_value> values_;
  std::unordered_map<std::string_view, std::size_t> value_index_;
};

class input_object_type final : public named_type {
 public:
  explicit input_object_type(std::string name) : named_type(type_kind::input_object, std::move(name)) {}
  [[nodiscard]] const std::vector<input_value>& fields() const { return fields_; }
  [[nodiscard]] const input_value* find_field(std::string_view field_name) const;
  // Declared with @oneOf: exactly one field must be given, and it must not be null.
  [[nodiscard]] bool one_of() const { return one_of_; }

 private:
  friend class builder_access;
  std::vector<input_value> fields_;
  std::unordered_map<std::string_view, std::size_t> field_index_;
  bool one_of_ = false;
};

enum class directive_location : std::uint8_t {
  query, mutation, subscription, field, fragment_definition, fragment_spread, inline_fragment,
  variable_definition, schema, scalar, object, field_definition, argument_definition, interface, union_,
  enum_, enum_value, input_object, input_field_definition,
  directive_definition  // as graphql-js 16.15 (the pinned reference) has it: @deprecated may mark a directive
};
[[nodiscard]] std::string_view to_string(directive_location loc);
[[nodiscard]] std::optional<directive_location> parse_directive_location(std::string_view name);

struct directive_definition {
  std::string name;
  std::optional<std::string> description;
  std::vector<input_value> arguments;
  std::vector<directive_location> locations;
  bool repeatable = false;
  std::optional<std::string> deprecation_reason;        // graphql-js 16.15; the SDL cannot set it yet
  const language::directive_definition* ast = nullptr;  // nullptr for built-in directives

  [[nodiscard]] const input_value* find_argument(std::string_view arg) const;
  [[nodiscard]] bool allowed_at(directive_location loc) const;
};

// A complete, valid schema. Built by build_schema() (schema/builder.hpp); immutable afterwards and safe to share
// between threads.
class schema {
 public:
  schema();
  schema(const schema&) = delete;
  schema& operator=(const schema&) = delete;

  [[nodiscard]] const object_type* query_type() const { return query_; }
  [[nodiscard]] const object_type* mutation_type() const { return mutation_; }
  [[nodiscard]] const object_type* subscription_type() const { return subscription_; }
  [[nodiscard]] const object_type* root_type(language::operation_type op) const;
  [[nodiscard]] const std::optional<std::string>& description() const { return description_; }

  [[nodiscard]] const named_type* find_type(std::string_view type_name) const;
  // Every named type, in the order graphql-js lists them in introspection (introspection types included).
  [[nodiscard]] const std::vector<const named_type*>& types() const { return types_; }
  [[nodiscard]] const directive_definition* find_directive(std::string_view directive_name) const;
  [[nodiscard]] const std::vector<const directive_definition*>& directives() const { return directives_; }

  // The object types an abstract type may be at run time: union members in order, or an interface's
  // implementations in the order of types().
  [[nodiscard]] const std::vector<const object_type*>& possible_types(const named_type* abstract) const;
  // Whether `maybe_sub` is `abstract` itself, one of its possible types, or an interface that implements it.
  [[nodiscard]] bool is_sub_type(const named_type* abstract, const named_type* maybe_sub) const;
  // Whether two composite types can share an object type (spec DoTypesOverlap / graphql-js doTypesOverlap).
  [[nodiscard]] bool types_overlap(const named_type* a, const named_type* b) const;

  // Interned wrappers: the same pointer for the same wrapped type (thread-safe).
  [[nodiscard]] const type* list_of(const type* of) const;
  [[nodiscard]] const type* non_null_of(const type* of) const;

  // The introspection meta-fields' definitions (spec 4.2).
  [[nodiscard]] const field& schema_meta_field() const { return *schema_meta_field_; }
  [[nodiscard]] const field& type_meta_field() const { return *type_meta_field_; }
  [[nodiscard]] const field& typename_meta_field() const { return *typename_meta_field_; }

 private:
  friend class builder_access;
  std::vector<std::unique_ptr<named_type>> owned_types_;
  std::vector<std::unique_ptr<directive_definition>> owned_directives_;
  mutable std::mutex wrappers_mutex_;  // list_of / non_null_of may intern new wrappers from any thread
  mutable std::deque<wrapper_type> wrappers_;
  mutable std::unordered_map<const type*, const type*> list_wrappers_;
  mutable std::unordered_map<const type*, const type*> non_null_wrappers_;
  std::unordered_map<std::string_view, const named_type*> type_index_;
  std::vector<const named_type*> types_;
  std::vector<const directive_definition*> directives_;
  std::unordered_map<const named_type*, std::vector<const object_type*>> possible_types_;
  // For each abstract type: its possible types and the interfaces that implement it (is_sub_type).
  std::unordered_map<const named_type*, std::unordered_set<const named_type*>> sub_types_;
  const object_type* query_ = nullptr;
  const object_type* mutation_ = nullptr;
  const object_type* subscription_ = nullptr;
  std::optional<std::string> description_;
  std::vector<language::document> documents_;  // the SDL the AST pointers point into
  std::unique_ptr<field> schema_meta_field_, type_meta_field_, typename_meta_field_;
};

template <typename T>
const T* type::as() const {
  constexpr type_kind wanted = [] {
    if constexpr (std::is_same_v<T, scalar_type>) return type_kind::scalar;
    else if constexpr (std::is_same_v<T, object_type>) return type_kind::object;
    else if constexpr (std::is_same_v<T, interface_type>) return type_kind::interface;
    else if constexpr (std::is_same_v<T, union_type>) return type_kind::union_;
    else if constexpr (std::is_same_v<T, enum_type>) return type_kind::enum_;
    else if constexpr (std::is_same_v<T, input_object_type>) return type_kind::input_object;
    else return type_kind::list;  // unused
  }();
  if constexpr (std::is_same_v<T, named_type>) {
    return is_wrapper() ? nullptr : static_cast<const named_type*>(this);
  } else if constexpr (std::is_same_v<T, fields_type>) {
    return (kind_ == type_kind::object || kind_ == type_kind::interface) ? static_cast<const fields_type*>(this)
                                                                         : nullptr;
  } else {
    return kind_ == wanted ? static_cast<const T*>(this) : nullptr;
  }
}

}  // namespace sluice::schema
