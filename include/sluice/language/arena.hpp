// The memory a document's AST lives in: a bump allocator over large blocks, recycled through a per-thread pool.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <new>
#include <stdexcept>
#include <string_view>
#include <type_traits>

namespace sluice::language {

// Hands out memory in order from large blocks and frees it all at once when it is destroyed. Only trivially
// destructible objects go in it: nothing is ever destroyed one by one. Blocks of the standard size go back to a
// pool kept by the thread that destroys the arena, so parsing document after document on one thread allocates
// no memory once the pool is warm. Not thread-safe while allocating; reading what it holds is.
class arena {
 public:
  // The size of a standard block, header included.
  static constexpr std::size_t block_size = 32 * 1024;

  arena() noexcept = default;
  ~arena();
  arena(const arena&) = delete;
  arena& operator=(const arena&) = delete;

  // `size` bytes aligned to `align` (a power of two, at most alignof(std::max_align_t)); `size` may be 0.
  [[nodiscard]] void* allocate(std::size_t size, std::size_t align) {
    const auto cur = reinterpret_cast<std::uintptr_t>(cur_);
    const std::uintptr_t start = (cur + align - 1) & ~(static_cast<std::uintptr_t>(align) - 1);
    if (cur_ == nullptr || start + size > reinterpret_cast<std::uintptr_t>(end_)) return allocate_slow(size, align);
    cur_ += (start - cur) + size;
    return cur_ - size;
  }

  // A copy of `count` objects starting at `items`; nullptr when `count` is 0.
  template <typename T>
  [[nodiscard]] const T* copy(const T* items, std::size_t count) {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
    if (count == 0) return nullptr;
    void* memory = allocate(sizeof(T) * count, alignof(T));
    std::memcpy(memory, items, sizeof(T) * count);
    return static_cast<const T*>(memory);
  }

  // One object, copied in.
  template <typename T>
  [[nodiscard]] const T* make(const T& item) {
    return copy(&item, 1);
  }

  // A copy of the characters of `s`, which then lives as long as the arena.
  [[nodiscard]] std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    return {copy(s.data(), s.size()), s.size()};
  }

 private:
  struct block {
    block* next;
    std::size_t size;  // header included
  };

  void* allocate_slow(std::size_t size, std::size_t align);

  block* blocks_ = nullptr;  // the current block first
  char* cur_ = nullptr;      // the free part of the current block
  char* end_ = nullptr;
};

// A read-only sequence of AST nodes held in an arena: a pointer and a size, cheap to copy, never owning.
template <typename T>
class list {
 public:
  using value_type = T;
  using size_type = std::size_t;
  using const_iterator = const T*;
  using iterator = const T*;
  using const_reference = const T&;
  using reference = const T&;
  using const_reverse_iterator = std::reverse_iterator<const T*>;

  constexpr list() noexcept = default;
  constexpr list(const T* items, std::size_t count) noexcept : items_(items), size_(count) {}

  [[nodiscard]] constexpr const T* begin() const noexcept { return items_; }
  [[nodiscard]] constexpr const T* end() const noexcept { return items_ + size_; }
  [[nodiscard]] constexpr const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
  [[nodiscard]] constexpr const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }
  [[nodiscard]] constexpr const T* data() const noexcept { return items_; }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] constexpr const T& operator[](std::size_t i) const noexcept { return items_[i]; }
  [[nodiscard]] const T& at(std::size_t i) const {
    if (i >= size_) throw std::out_of_range("language::list::at");
    return items_[i];
  }
  [[nodiscard]] constexpr const T& front() const noexcept { return items_[0]; }
  [[nodiscard]] constexpr const T& back() const noexcept { return items_[size_ - 1]; }

 private:
  const T* items_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace sluice::language
