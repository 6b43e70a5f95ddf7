// The AST arena's block management: the slow path of allocation and the per-thread pool of free blocks.
#include "sluice/language/arena.hpp"

#include <cstdlib>

namespace sluice::language {
namespace {

// Free standard blocks kept by each thread for the next documents; beyond `max_blocks` they go back to malloc.
struct block_pool {
  static constexpr std::size_t max_blocks = 16;
  void* free = nullptr;  // a chain through each block's first word
  std::size_t count = 0;
  ~block_pool();
};

// Set once the thread's pool is destroyed (at thread exit), so arenas destroyed later free their blocks directly.
// A trivially destructible thread_local stays usable until the thread ends.
thread_local bool pool_gone = false;
thread_local block_pool pool;

block_pool::~block_pool() {
  pool_gone = true;
  while (free != nullptr) {
    void* next = *static_cast<void**>(free);
    std::free(free);
    free = next;
  }
  count = 0;
}

void* take_standard_block() {
  if (!pool_gone && pool.free != nullptr) {
    void* b = pool.free;
    pool.free = *static_cast<void**>(b);
    --pool.count;
    return b;
  }
  return std::malloc(arena::block_size);
}

void give_back(void* b, std::size_t size) {
  if (size == arena::block_size && !pool_gone && pool.count < block_pool::max_blocks) {
    *static_cast<void**>(b) = pool.free;
    pool.free = b;
    ++pool.count;
    return;
  }
  std::free(b);
}

}  // namespace

arena::~arena() {
  for (block* b = blocks_; b != nullptr;) {
    block* next = b->next;
    give_back(b, b->size);
    b = next;
  }
}

void* arena::allocate_slow(std::size_t size, std::size_t align) {
  constexpr std::size_t header = sizeof(block);
  static_assert(header % alignof(std::max_align_t) == 0, "blocks keep malloc's alignment after their header");
  // Large requests get a block of their own, behind the current one, whose free space stays in use.
  if (size + align > (block_size - header) / 4) {
    const std::size_t total = header + size + align;
    auto* b = static_cast<block*>(std::malloc(total));
    if (b == nullptr) throw std::bad_alloc();
    b->size = total;
    if (blocks_ == nullptr) {
      b->next = nullptr;
      blocks_ = b;
      cur_ = end_ = reinterpret_cast<char*>(b) + total;  // full: the next small request opens a standard block
    } else {
      b->next = blocks_->next;
      blocks_->next = b;
    }
    const auto start = reinterpret_cast<std::uintptr_t>(b + 1);
    return reinterpret_cast<void*>((start + align - 1) & ~(static_cast<std::uintptr_t>(align) - 1));
  }
  void* memory = take_standard_block();
  if (memory == nullptr) throw std::bad_alloc();
  auto* b = static_cast<block*>(memory);
  b->next = blocks_;
  b->size = block_size;
  blocks_ = b;
  cur_ = reinterpret_cast<char*>(b + 1);
  end_ = reinterpret_cast<char*>(b) + block_size;
  return allocate(size, align);
}

}  // namespace sluice::language
