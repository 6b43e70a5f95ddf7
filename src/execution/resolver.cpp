// resolver_map bindings, resolver_params helpers and response paths.
#include "sluice/execution/resolver.hpp"

#include <cstdint>

#include "sluice/core/json.hpp"

namespace sluice::execution {

std::vector<path_segment> path_node::to_vector(const path_node* leaf) {
  std::size_t depth = 0;
  for (const path_node* p = leaf; p; p = p->prev) ++depth;
  std::vector<path_segment> out(depth);
  for (const path_node* p = leaf; p; p = p->prev) {
    --depth;
    if (p->is_index())
      out[depth] = p->index;
    else
      out[depth] = std::string(p->key);
  }
  return out;
}

namespace {

// An argument's value from the coerced arguments, or null.
const sluice::value& argument(const sluice::value& args, std::string_view arg_name) {
  static const sluice::value null;
  const sluice::value* v = args.find(arg_name);
  return v ? *v : null;
}

}  // namespace

const sluice::value& resolver_params::arg(std::string_view arg_name) const { return argument(args, arg_name); }

resolver_map& resolver_map::bind(std::string coordinate, sync_resolver r) {
  fields_.push_back(entry{std::move(coordinate), std::move(r), {}});
  return *this;
}

resolver_map& resolver_map::bind_async(std::string coordinate, async_resolver r) {
  fields_.push_back(entry{std::move(coordinate), {}, std::move(r)});
  return *this;
}

resolver_map& resolver_map::bind_type(std::string abstract_type, type_resolver r) {
  types_.emplace_back(std::move(abstract_type), std::move(r));
  return *this;
}

const sluice::value& source_params::arg(std::string_view arg_name) const { return argument(args, arg_name); }

namespace {

// JSON, except that a C++ object shows as its address (JSON would make every one of them `null`).
void append_key(std::string& out, const sluice::value& v) {
  switch (v.type()) {
    case sluice::value::kind::opaque:
      out += "#" + std::to_string(reinterpret_cast<std::uintptr_t>(v.as_opaque().ptr.get()));
      break;
    case sluice::value::kind::list:
      out.push_back('[');
      for (const auto& item : v.as_list()) {
        append_key(out, item);
        out.push_back(',');
      }
      out.push_back(']');
      break;
    case sluice::value::kind::object:
      out.push_back('{');
      for (const auto& m : v.as_object()) {
        json::write_string(out, m.name);
        out.push_back(':');
        append_key(out, m.val);
        out.push_back(',');
      }
      out.push_back('}');
      break;
    default: json::write(out, v);
  }
}

}  // namespace

std::string context::scope_key() const {
  if (scope) return "s:" + *scope;
  std::string key = "u:";
  append_key(key, user);
  key += "|c:";
  append_key(key, connection_params);
  key += "|a:" + std::to_string(reinterpret_cast<std::uintptr_t>(app_data.get()));
  return key;
}

resolver_map& resolver_map::source(std::string coordinate, source_fn s) {
  sources_.emplace_back(std::move(coordinate), std::move(s));
  return *this;
}

resolver_map& resolver_map::guard(std::string coordinate, permission_fn check) {
  guards_.emplace_back(std::move(coordinate), std::move(check));
  return *this;
}

resolver_map& resolver_map::filter(std::string coordinate, filter_fn f) {
  filters_.emplace_back(std::move(coordinate), std::move(f));
  return *this;
}

resolver_map& resolver_map::set_default(sync_resolver r) {
  default_ = std::move(r);
  return *this;
}

}  // namespace sluice::execution
