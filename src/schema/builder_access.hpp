// builder_access: the schema builder's write access to the private members of types and schemas.
#pragma once

#include "sluice/schema/schema.hpp"

namespace sluice::schema {

class builder_access {
 public:
  // named_type
  static std::optional<std::string>& description(named_type& t) { return t.description_; }
  static applied_directives& directives(named_type& t) { return t.directives_; }
  static std::vector<const language::type_definition*>& ast(named_type& t) { return t.ast_; }

  // scalar_type
  static std::optional<std::string>& specified_by_url(scalar_type& t) { return t.specified_by_url_; }
  static scalar_coercion& coercion(scalar_type& t) { return t.coercion_; }

  // object and interface types
  static std::vector<field>& fields(fields_type& t) { return t.fields_; }
  static std::vector<const interface_type*>& interfaces(fields_type& t) { return t.interfaces_; }
  static void index_fields(fields_type& t) {
    t.field_index_.clear();
    for (std::size_t i = 0; i < t.fields_.size(); ++i) t.field_index_.try_emplace(t.fields_[i].name, i);
  }

  static std::vector<const object_type*>& members(union_type& t) { return t.members_; }

  static std::vector<enum_value>& values(enum_type& t) { return t.values_; }
  static void index_values(enum_type& t) {
    t.value_index_.clear();
    for (std::size_t i = 0; i < t.values_.size(); ++i) t.value_index_.try_emplace(t.values_[i].name, i);
  }

  static std::vector<input_value>& fields(input_object_type& t) { return t.fields_; }
  static bool& one_of(input_object_type& t) { return t.one_of_; }
  static void index_fields(input_object_type& t) {
    t.field_index_.clear();
    for (std::size_t i = 0; i < t.fields_.size(); ++i) t.field_index_.try_emplace(t.fields_[i].name, i);
  }

  // schema
  static std::vector<std::unique_ptr<named_type>>& owned_types(schema& s) { return s.owned_types_; }
  static std::vector<std::unique_ptr<directive_definition>>& owned_directives(schema& s) {
    return s.owned_directives_;
  }
  static std::unordered_map<std::string_view, const named_type*>& type_index(schema& s) {
    return s.type_index_;
  }
  static std::vector<const named_type*>& types(schema& s) { return s.types_; }
  static std::vector<const directive_definition*>& directives(schema& s) { return s.directives_; }
  static std::unordered_map<const named_type*, std::vector<const object_type*>>& possible_types(schema& s) {
    return s.possible_types_;
  }
  static std::unordered_map<const named_type*, std::unordered_set<const named_type*>>& sub_types(schema& s) {
    return s.sub_types_;
  }
  static const object_type*& query(schema& s) { return s.query_; }
  static const object_type*& mutation(schema& s) { return s.mutation_; }
  static const object_type*& subscription(schema& s) { return s.subscription_; }
  static std::optional<std::string>& description(schema& s) { return s.description_; }
  static std::vector<language::document>& documents(schema& s) { return s.documents_; }
  static std::unique_ptr<field>& schema_meta_field(schema& s) { return s.schema_meta_field_; }
  static std::unique_ptr<field>& type_meta_field(schema& s) { return s.type_meta_field_; }
  static std::unique_ptr<field>& typename_meta_field(schema& s) { return s.typename_meta_field_; }
};

}  // namespace sluice::schema
