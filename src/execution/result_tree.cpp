// The result arena, null propagation and serialisation of the result tree.
#include "result_tree.hpp"

#include <cstdlib>
#include <new>
#include <vector>

#include "sluice/core/json.hpp"

namespace sluice::execution::detail {
namespace {

constexpr std::size_t block_bytes = 64 * 1024;
constexpr std::size_t pooled_blocks_max = 256;  // 16 MiB per thread at most

// Standard-size blocks a thread keeps between operations.
struct block_pool {
  std::vector<void*> free;
  ~block_pool() {
    for (void* p : free) std::free(p);
  }
};
thread_local block_pool pool;

}  // namespace

void* result_arena::allocate_slow(std::size_t size, std::size_t align) {
  const std::size_t header = (sizeof(block) + alignof(std::max_align_t) - 1) & ~(alignof(std::max_align_t) - 1);
  const std::size_t need = size + align + header;
  void* raw;
  std::size_t bytes = block_bytes;
  if (need <= block_bytes && !pool.free.empty()) {
    raw = pool.free.back();
    pool.free.pop_back();
  } else {
    if (need > block_bytes) bytes = need;
    raw = std::malloc(bytes);
    if (raw == nullptr) throw std::bad_alloc();
  }
  auto* b = static_cast<block*>(raw);
  b->next = blocks_;
  b->size = bytes;
  blocks_ = b;
  cur_ = static_cast<char*>(raw) + header;
  end_ = static_cast<char*>(raw) + bytes;
  return allocate(size, align);
}

result_arena::~result_arena() {
  for (block* b = blocks_; b != nullptr;) {
    block* next = b->next;
    if (b->size == block_bytes && pool.free.size() < pooled_blocks_max)
      pool.free.push_back(b);
    else
      std::free(b);
    b = next;
  }
}

result_node* null_out(result_node* n) {
  for (;;) {
    n->k = result_node::kind::null;
    if (!n->non_null || n->parent == nullptr) return n;
    n = n->parent;
  }
}

std::size_t measure_json(const result_node* n) {
  switch (n->k) {
    case result_node::kind::null:
    case result_node::kind::pending: return 4;
    case result_node::kind::value: return json::measure(*n->val);
    case result_node::kind::name: return json::measure_string(*n->str);
    case result_node::kind::object: {
      std::size_t size = 2 + (n->size ? n->size - 1 : 0);
      for (std::uint32_t i = 0; i < n->size; ++i)
        size += n->entries[i].key.size() + 3 + measure_json(n->entries[i].node);
      return size;
    }
    case result_node::kind::list: {
      std::size_t size = 2 + (n->size ? n->size - 1 : 0);
      for (std::uint32_t i = 0; i < n->size; ++i) size += measure_json(n->items[i]);
      return size;
    }
  }
  return 0;
}

void write_json(std::string& out, const result_node* n) {
  switch (n->k) {
    case result_node::kind::null:
    case result_node::kind::pending: out += "null"; return;
    case result_node::kind::value: json::write(out, *n->val); return;
    case result_node::kind::name: json::write_string(out, *n->str); return;
    case result_node::kind::object:
      out.push_back('{');
      for (std::uint32_t i = 0; i < n->size; ++i) {
        if (i) out.push_back(',');
        out.push_back('"');
        out += n->entries[i].key;
        out += "\":";
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
