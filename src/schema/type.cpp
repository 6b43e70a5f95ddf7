// The type system's lookups: type predicates and names, field/argument/value lookups, directive locations.
#include <algorithm>
#include <array>

#include "sluice/schema/schema.hpp"

namespace sluice::schema {

bool type::is_input_type() const {
  switch (named()->kind()) {
    case type_kind::scalar:
    case type_kind::enum_:
    case type_kind::input_object:
      return true;
    default:
      return false;
  }
}

bool type::is_output_type() const {
  switch (named()->kind()) {
    case type_kind::scalar:
    case type_kind::object:
    case type_kind::interface:
    case type_kind::union_:
    case type_kind::enum_:
      return true;
    default:
      return false;
  }
}

const named_type* type::named() const {
  const type* t = this;
  while (t->is_wrapper()) t = t->of_type();
  return static_cast<const named_type*>(t);
}

std::string type::to_string() const {
  if (kind_ == type_kind::list) return "[" + of_type_->to_string() + "]";
  if (kind_ == type_kind::non_null) return of_type_->to_string() + "!";
  return static_cast<const named_type*>(this)->name();
}

namespace {

template <typename T>
const T* find_by_name(const std::vector<T>& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.name == name; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const input_value* field::find_argument(std::string_view arg) const {
  return find_by_name(arguments, arg);
}

const field* fields_type::find_field(std::string_view field_name) const {
  auto it = field_index_.find(field_name);
  return it == field_index_.end() ? nullptr : &fields_[it->second];
}

bool fields_type::implements(const interface_type* iface) const {
  return std::find(interfaces_.begin(), interfaces_.end(), iface) != interfaces_.end();
}

const enum_value* enum_type::find_value(std::string_view value_name) const {
  auto it = value_index_.find(value_name);
  return it == value_index_.end() ? nullptr : &values_[it->second];
}

const input_value* input_object_type::find_field(std::string_view field_name) const {
  auto it = field_index_.find(field_name);
  return it == field_index_.end() ? nullptr : &fields_[it->second];
}

const input_value* directive_definition::find_argument(std::string_view arg) const {
  return find_by_name(arguments, arg);
}

bool directive_definition::allowed_at(directive_location loc) const {
  return std::find(locations.begin(), locations.end(), loc) != locations.end();
}

namespace {

// clang-format off
constexpr std::array<std::string_view, 20> location_names = {
    "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE",
    "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION", "DIRECTIVE_DEFINITION"};
// clang-format on

}  // namespace

std::string_view to_string(directive_location loc) {
  return location_names.at(static_cast<std::size_t>(loc));
}

std::optional<directive_location> parse_directive_location(std::string_view name) {
  for (std::size_t i = 0; i < location_names.size(); ++i)
    if (location_names[i] == name) return static_cast<directive_location>(i);
  return std::nullopt;
}

}  // namespace sluice::schema
