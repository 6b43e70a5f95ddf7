// The response being built: a tree of nodes in an arena, nulled upwards on errors, serialised once at the end.
#pragma once

#include <cstdint>
#include <memory_resource>
#include <string>
#include <string_view>

namespace sluice::execution::detail {

struct result_node;

struct result_entry {
  std::string_view key;
  result_node* node = nullptr;
};

struct result_node {
  enum class kind : std::uint8_t { null, leaf, object, list, pending };
  kind k = kind::null;
  bool non_null = false;         // this position's type is non-null: a null here nulls the parent
  std::string_view leaf;         // leaf: the JSON text
  result_entry* entries = nullptr;  // object
  result_node** items = nullptr;    // list
  std::uint32_t size = 0;           // entries or items filled in
  result_node* parent = nullptr;

  [[nodiscard]] bool is_null() const { return k == kind::null; }
};

class result_arena {
 public:
  result_arena() : pool_(buffer_, sizeof buffer_) {}
  result_arena(const result_arena&) = delete;
  result_arena& operator=(const result_arena&) = delete;

  [[nodiscard]] result_node* node(result_node* parent, bool non_null) {
    auto* n = new (pool_.allocate(sizeof(result_node), alignof(result_node))) result_node{};
    n->parent = parent;
    n->non_null = non_null;
    return n;
  }
  template <typename T>
  [[nodiscard]] T* array(std::size_t count) {
    auto* p = static_cast<T*>(pool_.allocate(sizeof(T) * (count ? count : 1), alignof(T)));
    for (std::size_t i = 0; i < count; ++i) new (p + i) T{};
    return p;
  }
  // Copies text into the arena.
  [[nodiscard]] std::string_view text(std::string_view s) {
    auto* p = static_cast<char*>(pool_.allocate(s.size() ? s.size() : 1, 1));
    std::copy(s.begin(), s.end(), p);
    return {p, s.size()};
  }
  [[nodiscard]] std::pmr::memory_resource* resource() { return &pool_; }

 private:
  alignas(std::max_align_t) char buffer_[8192];
  std::pmr::monotonic_buffer_resource pool_;
};

// Sets `n` to null and carries the null up through non-null positions (spec 6.4.4, "Handling Execution Errors").
// Returns the highest node that was nulled.
result_node* null_out(result_node* n);

// Appends the JSON text of the tree rooted at `n`.
void write_json(std::string& out, const result_node* n);

}  // namespace sluice::execution::detail
