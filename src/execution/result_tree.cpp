// Null propagation and serialisation of the result tree.
#include "result_tree.hpp"

#include "sluice/core/json.hpp"

namespace sluice::execution::detail {

result_node* null_out(result_node* n) {
  for (;;) {
    n->k = result_node::kind::null;
    if (!n->non_null || n->parent == nullptr) return n;
    n = n->parent;
  }
}

void write_json(std::string& out, const result_node* n) {
  switch (n->k) {
    case result_node::kind::null:
    case result_node::kind::pending: out += "null"; return;
    case result_node::kind::leaf: out += n->leaf; return;
    case result_node::kind::object:
      out.push_back('{');
      for (std::uint32_t i = 0; i < n->size; ++i) {
        if (i) out.push_back(',');
        json::write_string(out, n->entries[i].key);
        out.push_back(':');
        write_json(out, n->entries[i].node);
      }
      out.push_back('}');
      return;
    case result_node::kind::list:
      out.push_back('[');
      for (std::uint32_t i = 0; i < n->size; ++i) {
        if (i) out.push_back(',');
        write_json(out, n->items[i]);
      }
      out.push_back(']');
      return;
  }
}

}  // namespace sluice::execution::detail
