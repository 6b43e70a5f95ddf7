// The schema's lookups: types by name, root types, possible types, sub-typing and interned wrapper types.
#include "sluice/schema/schema.hpp"

namespace sluice::schema {

schema::schema() = default;

const object_type* schema::root_type(language::operation_type op) const {
  switch (op) {
    case language::operation_type::query:
      return query_;
    case language::operation_type::mutation:
      return mutation_;
    case language::operation_type::subscription:
      return subscription_;
  }
  return nullptr;
}

const named_type* schema::find_type(std::string_view type_name) const {
  auto it = type_index_.find(type_name);
  return it == type_index_.end() ? nullptr : it->second;
}

const directive_definition* schema::find_directive(std::string_view directive_name) const {
  for (const auto* d : directives_)
    if (d->name == directive_name) return d;
  return nullptr;
}

const std::vector<const object_type*>& schema::possible_types(const named_type* abstract) const {
  static const std::vector<const object_type*> none;
  auto it = possible_types_.find(abstract);
  return it == possible_types_.end() ? none : it->second;
}

bool schema::is_sub_type(const named_type* abstract, const named_type* maybe_sub) const {
  if (abstract == maybe_sub) return true;
  auto it = sub_types_.find(abstract);
  return it != sub_types_.end() && it->second.contains(maybe_sub);
}

// graphql-js doTypesOverlap.
bool schema::types_overlap(const named_type* a, const named_type* b) const {
  if (a == b) return true;
  if (a->is_abstract()) {
    if (b->is_abstract()) {
      for (const auto* possible : possible_types(a))
        if (is_sub_type(b, possible)) return true;
      return false;
    }
    return is_sub_type(a, b);
  }
  if (b->is_abstract()) return is_sub_type(b, a);
  return false;
}

namespace {

const type* intern(std::mutex& mutex, std::deque<wrapper_type>& store,
                   std::unordered_map<const type*, const type*>& index, type_kind kind, const type* of) {
  std::lock_guard lock(mutex);
  auto [it, inserted] = index.try_emplace(of, nullptr);
  if (inserted) it->second = &store.emplace_back(kind, of);
  return it->second;
}

}  // namespace

const type* schema::list_of(const type* of) const {
  return intern(wrappers_mutex_, wrappers_, list_wrappers_, type_kind::list, of);
}

const type* schema::non_null_of(const type* of) const {
  return intern(wrappers_mutex_, wrappers_, non_null_wrappers_, type_kind::non_null, of);
}

}  // namespace sluice::schema
