// sluice::value: member lookup and equality.
#include "sluice/core/value.hpp"

namespace sluice {

const value* value::find(std::string_view key) const noexcept {
  if (!is_object()) return nullptr;
  for (const auto& m : std::get<sluice::object>(v_))
    if (m.name == key) return &m.val;
  return nullptr;
}

value* value::find(std::string_view key) noexcept {
  return const_cast<value*>(static_cast<const value&>(*this).find(key));
}

value& value::set(std::string_view key, value v) {
  if (is_null()) v_ = sluice::object{};
  auto& members = as_object();
  for (auto& m : members)
    if (m.name == key) return m.val = std::move(v);
  members.push_back(member{std::string(key), std::move(v)});
  return members.back().val;
}

bool operator==(const value& a, const value& b) noexcept {
  // Integers and floats that denote the same number are equal, as in JSON.
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
    return a.as_number() == b.as_number();
  }
  return a.v_ == b.v_;
}

}  // namespace sluice
