// The response being built: a tree of nodes in an arena, nulled upwards on errors, serialised once at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/core/value.hpp"

namespace sluice::execution::detail {

struct result_node;

struct result_entry {
  std::string_view key;  // a response key: a GraphQL name, which never needs escaping
  result_node* node = nullptr;
};

struct result_node {
  enum class kind : std::uint8_t { null, value, name, object, list, pending };
  kind k = kind::null;
  bool non_null = false;  // this position's type is non-null: a null here nulls the parent
  std::uint32_t size = 0;  // entries or items filled in
  union {
    const sluice::value* val;  // value: a leaf's response value, kept alive by the operation
    const std::string* str;    // name: a string owned by the schema (__typename)
    result_entry* entries;     // object
    result_node** items;       // list
  };
  result_node* parent = nullptr;

  [[nodiscard]] bool is_null() const { return k == kind::null; }
};

// A bump allocator for one operation. Its 64 KiB blocks come from, and go back to, a small per-thread pool, so
// that executing the same query again touches memory that is already mapped.
class result_arena {
 public:
  result_arena() = default;
  ~result_arena();
  result_arena(const result_arena&) = delete;
  result_arena& operator=(const result_arena&) = delete;

  [[nodiscard]] void* allocate(std::size_t size, std::size_t align) {
    auto p = (reinterpret_cast<std::uintptr_t>(cur_) + (align - 1)) & ~(static_cast<std::uintptr_t>(align) - 1);
    if (cur_ == nullptr || p + size > reinterpret_cast<std::uintptr_t>(end_)) return allocate_slow(size, align);
    cur_ = reinterpret_cast<char*>(p + size);
    return reinterpret_cast<void*>(p);
  }

  [[nodiscard]] result_node* node(result_node* parent, bool non_null) {
    auto* n = new (allocate(sizeof(result_node), alignof(result_node))) result_node{};
    n->parent = parent;
    n->non_null = non_null;
    return n;
  }
  template <typename T>
  [[nodiscard]] T* array(std::size_t count) {
    auto* p = static_cast<T*>(allocate(sizeof(T) * (count ? count : 1), alignof(T)));
    for (std::size_t i = 0; i < count; ++i) new (p + i) T{};
    return p;
  }

 private:
  struct block {
    block* next;
    std::size_t size;  // usable bytes after the header
  };
  void* allocate_slow(std::size_t size, std::size_t align);

  char* cur_ = nullptr;
  char* end_ = nullptr;
  block* blocks_ = nullptr;
};

// Sets `n` to null and carries the null up through non-null positions (spec 6.4.4, "Handling Execution Errors").
// Returns the highest node that was nulled.
result_node* null_out(result_node* n);

// The exact size of the JSON text of the tree rooted at `n`.
[[nodiscard]] std::size_t measure_json(const result_node* n);

// Appends the JSON text of the tree rooted at `n`.
void write_json(std::string& out, const result_node* n);

}  // namespace sluice::execution::detail
