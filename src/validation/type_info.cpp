// type_info: the types at the current point of a walk, updated exactly as graphql-js's TypeInfo does.
#include "validation/type_info.hpp"

#include "validation/types.hpp"

namespace sluice::validation::detail {
namespace {

const schema::type* output_or_null(const schema::type* t) {
  return t != nullptr && t->is_output_type() ? t : nullptr;
}
const schema::type* input_or_null(const schema::type* t) {
  return t != nullptr && t->is_input_type() ? t : nullptr;
}
const schema::named_type* named_or_null(const schema::type* t) {
  return t != nullptr ? t->named() : nullptr;
}

}  // namespace

const schema::field* type_info::find_field_def(const schema::schema& s, const schema::named_type* parent,
                                               std::string_view name) {
  if (parent == nullptr) return nullptr;
  if (name == "__schema" && parent == s.query_type()) return &s.schema_meta_field();
  if (name == "__type" && parent == s.query_type()) return &s.type_meta_field();
  if (name == "__typename" && parent->is_composite()) return &s.typename_meta_field();
  if (const auto* fields = parent->as<schema::fields_type>()) return fields->find_field(name);
  return nullptr;
}

void type_info::enter_selection_set() {
  const schema::named_type* named = named_or_null(type());
  parent_type_stack_.push_back(named != nullptr && named->is_composite() ? named : nullptr);
}

void type_info::enter_field(const language::field& f) {
  const schema::field* def = find_field_def(schema_, parent_type(), f.field_name.text);
  field_def_stack_.push_back(def);
  type_stack_.push_back(output_or_null(def != nullptr ? def->field_type : nullptr));
}

void type_info::leave_field() {
  field_def_stack_.pop_back();
  type_stack_.pop_back();
}

void type_info::enter_operation(const language::operation_definition& op) {
  type_stack_.push_back(schema_.root_type(op.operation));
}

void type_info::enter_fragment(const language::name& type_condition) {
  const schema::type* t =
      type_condition.empty() ? named_or_null(type()) : schema_.find_type(type_condition.text);
  type_stack_.push_back(output_or_null(t));
}

void type_info::enter_variable_definition(const language::variable_definition& v) {
  input_type_stack_.push_back(input_or_null(type_from_ast(schema_, v.var_type)));
}

void type_info::enter_argument(const language::argument& a) {
  const schema::input_value* def = nullptr;
  if (directive_ != nullptr)
    def = directive_->find_argument(a.arg_name.text);
  else if (const schema::field* f = field_def())
    def = f->find_argument(a.arg_name.text);
  argument_ = def;
  default_stack_.push_back(def != nullptr && has_default(*def));
  input_type_stack_.push_back(input_or_null(def != nullptr ? def->value_type : nullptr));
}

void type_info::leave_argument() {
  argument_ = nullptr;
  default_stack_.pop_back();
  input_type_stack_.pop_back();
}

void type_info::enter_list() {
  const schema::type* t = input_type();
  const schema::type* list = t != nullptr ? t->nullable() : nullptr;
  const schema::type* item = list != nullptr && list->is_list() ? list->of_type() : list;
  default_stack_.push_back(false);  // list positions never have a default value
  input_type_stack_.push_back(input_or_null(item));
}

void type_info::enter_object_field(const language::object_field& f) {
  const schema::named_type* named = named_or_null(input_type());
  const schema::input_value* field = nullptr;
  if (const auto* object = named != nullptr ? named->as<schema::input_object_type>() : nullptr)
    field = object->find_field(f.field_name.text);
  default_stack_.push_back(field != nullptr && has_default(*field));
  input_type_stack_.push_back(input_or_null(field != nullptr ? field->value_type : nullptr));
}

void type_info::leave_input_position() {
  default_stack_.pop_back();
  input_type_stack_.pop_back();
}

}  // namespace sluice::validation::detail
