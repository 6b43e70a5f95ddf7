// resolver_map bindings, resolver_params helpers and response paths.
#include "sluice/execution/resolver.hpp"

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

const sluice::value& resolver_params::arg(std::string_view arg_name) const {
  static const sluice::value null;
  const sluice::value* v = args.find(arg_name);
  return v ? *v : null;
}

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

resolver_map& resolver_map::set_default(sync_resolver r) {
  default_ = std::move(r);
  return *this;
}

}  // namespace sluice::execution
