// Resolvers for __schema, __type and the fields of the introspection types (spec 4.2), as graphql-js 16 has them.
#include "introspection.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

#include "sluice/schema/coercion.hpp"

namespace sluice::execution::detail {
namespace {

using schema::type_kind;

// ---------------------------------------------------------------------------------------------------------------
// Wrapping schema objects as opaque parent values

sluice::value wrap_type(const schema::type* t) {
  if (t == nullptr) return {};
  return sluice::value::from_pointer<schema::type>(t);
}

template <typename T>
sluice::value wrap(const T* p) {
  return p == nullptr ? sluice::value{} : sluice::value::from_pointer<T>(p);
}

template <typename T>
sluice::value wrap_types(const std::vector<const T*>& types) {
  sluice::list out;
  out.reserve(types.size());
  for (const T* t : types) out.push_back(wrap_type(t));
  return sluice::value(std::move(out));
}

sluice::value optional_text(const std::optional<std::string>& s) { return s ? sluice::value(*s) : sluice::value{}; }

// graphql-js tests `includeDeprecated` for truthiness: an explicit null filters like false.
bool include_deprecated(const resolver_params& p) {
  const sluice::value& v = p.arg("includeDeprecated");
  return v.is_bool() && v.as_bool();
}

// Items of `items` (a vector of T) as opaque values, leaving out the deprecated ones unless asked for them.
template <typename T>
sluice::value wrap_filtered(const std::vector<T>& items, bool include_deprecated_items) {
  sluice::list out;
  out.reserve(items.size());
  for (const T& item : items)
    if (include_deprecated_items || !item.deprecation_reason) out.push_back(sluice::value::from_pointer<T>(&item));
  return sluice::value(std::move(out));
}

// The parent value of an introspection field; a parent of any other kind is a misuse (say a field of type __Type
// in the application's schema whose resolver returned something else), reported as a field error.
template <typename T>
const T& parent_of(const resolver_params& p, std::string_view what) {
  if (const T* ptr = p.parent.object_ptr<T>()) return *ptr;
  throw std::runtime_error("Introspection field \"" + p.info.parent_type.name() + "." + p.info.field.name +
                           "\" expected its parent value to be a " + std::string(what) + ".");
}

// __Type parents are stored as `const schema::type*`; a `const schema::named_type*` is accepted too.
const schema::type& type_parent(const resolver_params& p) {
  if (const auto* t = p.parent.object_ptr<schema::type>()) return *t;
  if (const auto* n = p.parent.object_ptr<schema::named_type>()) return *n;
  return parent_of<schema::type>(p, "schema type");
}

std::string_view kind_name(type_kind k) {
  switch (k) {
    case type_kind::scalar: return "SCALAR";
    case type_kind::object: return "OBJECT";
    case type_kind::interface: return "INTERFACE";
    case type_kind::union_: return "UNION";
    case type_kind::enum_: return "ENUM";
    case type_kind::input_object: return "INPUT_OBJECT";
    case type_kind::list: return "LIST";
    case type_kind::non_null: return "NON_NULL";
  }
  return "SCALAR";
}

// __InputValue.defaultValue: graphql-js's print(astFromValue(defaultValue, type)), null without a default.
sluice::value default_value_text(const schema::input_value& iv) {
  if (!iv.default_value) return {};
  auto text = schema::value_to_literal_text(*iv.default_value, iv.value_type);
  return text ? sluice::value(std::move(*text)) : sluice::value{};
}

// ---------------------------------------------------------------------------------------------------------------
// The resolvers, by introspection type

struct field_resolver {
  std::string_view field_name;
  sync_resolver resolve;
};

std::vector<field_resolver> schema_fields() {
  auto self = [](const resolver_params& p) -> const schema::schema& {
    return parent_of<schema::schema>(p, "schema");
  };
  return {
      {"description", [self](const resolver_params& p) { return optional_text(self(p).description()); }},
      {"types", [self](const resolver_params& p) { return wrap_types(self(p).types()); }},
      {"queryType", [self](const resolver_params& p) { return wrap_type(self(p).query_type()); }},
      {"mutationType", [self](const resolver_params& p) { return wrap_type(self(p).mutation_type()); }},
      {"subscriptionType", [self](const resolver_params& p) { return wrap_type(self(p).subscription_type()); }},
      {"directives",
       [self](const resolver_params& p) {
         const bool all = include_deprecated(p);
         sluice::list out;
         for (const auto* d : self(p).directives())
           if (all || !d->deprecation_reason) out.push_back(wrap(d));
         return sluice::value(std::move(out));
       }},
  };
}

std::vector<field_resolver> type_fields() {
  return {
      {"kind", [](const resolver_params& p) { return sluice::value(kind_name(type_parent(p).kind())); }},
      {"name",
       [](const resolver_params& p) {
         const auto* n = type_parent(p).as<schema::named_type>();
         return n ? sluice::value(n->name()) : sluice::value{};
       }},
      {"description",
       [](const resolver_params& p) {
         const auto* n = type_parent(p).as<schema::named_type>();
         return n ? optional_text(n->description()) : sluice::value{};
       }},
      {"specifiedByURL",
       [](const resolver_params& p) {
         const auto* s = type_parent(p).as<schema::scalar_type>();
         return s ? optional_text(s->specified_by_url()) : sluice::value{};
       }},
      {"fields",
       [](const resolver_params& p) {
         const auto* f = type_parent(p).as<schema::fields_type>();
         return f ? wrap_filtered(f->fields(), include_deprecated(p)) : sluice::value{};
       }},
      {"interfaces",
       [](const resolver_params& p) {
         const auto* f = type_parent(p).as<schema::fields_type>();
         return f ? wrap_types(f->interfaces()) : sluice::value{};
       }},
      {"possibleTypes",
       [](const resolver_params& p) {
         const schema::type& t = type_parent(p);
         if (!t.is_abstract()) return sluice::value{};
         return wrap_types(p.info.schema.possible_types(static_cast<const schema::named_type*>(&t)));
       }},
      {"enumValues",
       [](const resolver_params& p) {
         const auto* e = type_parent(p).as<schema::enum_type>();
         return e ? wrap_filtered(e->values(), include_deprecated(p)) : sluice::value{};
       }},
      {"inputFields",
       [](const resolver_params& p) {
         const auto* io = type_parent(p).as<schema::input_object_type>();
         return io ? wrap_filtered(io->fields(), include_deprecated(p)) : sluice::value{};
       }},
      {"ofType", [](const resolver_params& p) { return wrap_type(type_parent(p).of_type()); }},
      {"isOneOf",
       [](const resolver_params& p) {
         const auto* io = type_parent(p).as<schema::input_object_type>();
         return io ? sluice::value(io->one_of()) : sluice::value{};
       }},
  };
}

std::vector<field_resolver> field_fields() {
  auto self = [](const resolver_params& p) -> const schema::field& { return parent_of<schema::field>(p, "field"); };
  return {
      {"name", [self](const resolver_params& p) { return sluice::value(self(p).name); }},
      {"description", [self](const resolver_params& p) { return optional_text(self(p).description); }},
      {"args",
       [self](const resolver_params& p) { return wrap_filtered(self(p).arguments, include_deprecated(p)); }},
      {"type", [self](const resolver_params& p) { return wrap_type(self(p).field_type); }},
      {"isDeprecated",
       [self](const resolver_params& p) { return sluice::value(self(p).deprecation_reason.has_value()); }},
      {"deprecationReason", [self](const resolver_params& p) { return optional_text(self(p).deprecation_reason); }},
  };
}

std::vector<field_resolver> input_value_fields() {
  auto self = [](const resolver_params& p) -> const schema::input_value& {
    return parent_of<schema::input_value>(p, "input value");
  };
  return {
      {"name", [self](const resolver_params& p) { return sluice::value(self(p).name); }},
      {"description", [self](const resolver_params& p) { return optional_text(self(p).description); }},
      {"type", [self](const resolver_params& p) { return wrap_type(self(p).value_type); }},
      {"defaultValue", [self](const resolver_params& p) { return default_value_text(self(p)); }},
      {"isDeprecated",
       [self](const resolver_params& p) { return sluice::value(self(p).deprecation_reason.has_value()); }},
      {"deprecationReason", [self](const resolver_params& p) { return optional_text(self(p).deprecation_reason); }},
  };
}

std::vector<field_resolver> enum_value_fields() {
  auto self = [](const resolver_params& p) -> const schema::enum_value& {
    return parent_of<schema::enum_value>(p, "enum value");
  };
  return {
      {"name", [self](const resolver_params& p) { return sluice::value(self(p).name); }},
      {"description", [self](const resolver_params& p) { return optional_text(self(p).description); }},
      {"isDeprecated",
       [self](const resolver_params& p) { return sluice::value(self(p).deprecation_reason.has_value()); }},
      {"deprecationReason", [self](const resolver_params& p) { return optional_text(self(p).deprecation_reason); }},
  };
}

std::vector<field_resolver> directive_fields() {
  auto self = [](const resolver_params& p) -> const schema::directive_definition& {
    return parent_of<schema::directive_definition>(p, "directive");
  };
  return {
      {"name", [self](const resolver_params& p) { return sluice::value(self(p).name); }},
      {"description", [self](const resolver_params& p) { return optional_text(self(p).description); }},
      {"isRepeatable", [self](const resolver_params& p) { return sluice::value(self(p).repeatable); }},
      {"locations",
       [self](const resolver_params& p) {
         const auto& locations = self(p).locations;
         sluice::list out;
         out.reserve(locations.size());
         for (auto loc : locations) out.emplace_back(schema::to_string(loc));
         return sluice::value(std::move(out));
       }},
      {"args",
       [self](const resolver_params& p) { return wrap_filtered(self(p).arguments, include_deprecated(p)); }},
      {"isDeprecated",
       [self](const resolver_params& p) { return sluice::value(self(p).deprecation_reason.has_value()); }},
      {"deprecationReason", [self](const resolver_params& p) { return optional_text(self(p).deprecation_reason); }},
  };
}

// Binds each resolver to the field of that name on the introspection type `type_name`; fields the schema's
// version of the type does not have are skipped (so are types it does not have).
void bind_type(const schema::schema& s, std::string_view type_name, std::vector<field_resolver> resolvers,
               std::vector<std::pair<const schema::field*, sync_resolver>>& out) {
  const schema::named_type* t = s.find_type(type_name);
  const auto* object = t ? t->as<schema::object_type>() : nullptr;
  if (object == nullptr) return;
  for (auto& r : resolvers)
    if (const schema::field* f = object->find_field(r.field_name)) out.emplace_back(f, std::move(r.resolve));
}

}  // namespace

std::vector<std::pair<const schema::field*, sync_resolver>> introspection_resolvers(const schema::schema& s) {
  std::vector<std::pair<const schema::field*, sync_resolver>> out;
  // __schema: Schema! (spec 4.2)
  out.emplace_back(&s.schema_meta_field(), [](const resolver_params& p) { return wrap(&p.info.schema); });
  // __type(name: String!): __Type
  out.emplace_back(&s.type_meta_field(), [](const resolver_params& p) {
    const sluice::value& name = p.arg("name");
    return name.is_string() ? wrap_type(p.info.schema.find_type(name.as_string())) : sluice::value{};
  });
  bind_type(s, "__Schema", schema_fields(), out);
  bind_type(s, "__Type", type_fields(), out);
  bind_type(s, "__Field", field_fields(), out);
  bind_type(s, "__InputValue", input_value_fields(), out);
  bind_type(s, "__EnumValue", enum_value_fields(), out);
  bind_type(s, "__Directive", directive_fields(), out);
  return out;
}

}  // namespace sluice::execution::detail
