// A log-linear latency histogram (64 sub-buckets per power of two: about 1.6% resolution) with O(1)
// recording. Each histogram has one writer thread; its counters are relaxed atomics so a controller on
// another thread may read them (and merge several) while it runs, without data races and at the cost of a
// plain increment on x86.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace sluice::bench::load {

class histogram {
 public:
  static constexpr int sub_bits = 6;
  static constexpr std::uint64_t sub_count = 1u << sub_bits;  // 64
  static constexpr int max_exponent = 40;                     // values up to 2^46 ns (about 19 hours)
  static constexpr std::size_t bucket_count = 2 * sub_count + max_exponent * sub_count;

  // Records one value (nanoseconds; negative values count as 0). Single writer.
  void record(std::int64_t value) {
    const std::uint64_t v = value < 0 ? 0 : static_cast<std::uint64_t>(value);
    bump(buckets_[index(v)]);
    bump(count_);
    sum_.store(sum_.load(std::memory_order_relaxed) + v, std::memory_order_relaxed);
    if (v > max_.load(std::memory_order_relaxed)) max_.store(v, std::memory_order_relaxed);
  }

  [[nodiscard]] std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t max() const { return max_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t sum() const { return sum_.load(std::memory_order_relaxed); }

  // Adds other's counts to this one (the caller is this histogram's only writer).
  void merge(const histogram& other) {
    for (std::size_t i = 0; i < bucket_count; ++i) {
      const std::uint64_t n = other.buckets_[i].load(std::memory_order_relaxed);
      if (n != 0)
        buckets_[i].store(buckets_[i].load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    count_.store(count() + other.count(), std::memory_order_relaxed);
    sum_.store(sum() + other.sum(), std::memory_order_relaxed);
    if (other.max() > max()) max_.store(other.max(), std::memory_order_relaxed);
  }

  // The value below which a fraction q of the recorded values lie (the middle of its bucket; the exact
  // maximum for q = 1); 0 when empty.
  [[nodiscard]] std::uint64_t percentile(double q) const {
    const std::uint64_t total = count();
    if (total == 0) return 0;
    if (q >= 1.0) return max();
    auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total));
    rank = std::min(rank + 1, total);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < bucket_count; ++i) {
      seen += buckets_[i].load(std::memory_order_relaxed);
      if (seen >= rank) return std::min(middle(i), max());
    }
    return max();
  }

 private:
  static void bump(std::atomic<std::uint64_t>& a) {
    a.store(a.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  static std::size_t index(std::uint64_t v) {
    if (v < 2 * sub_count) return static_cast<std::size_t>(v);
    const int e = std::bit_width(v) - (sub_bits + 1);  // >= 1
    if (e > max_exponent) return bucket_count - 1;
    return static_cast<std::size_t>(2 * sub_count + static_cast<std::uint64_t>(e - 1) * sub_count +
                                    ((v >> e) - sub_count));
  }

  static std::uint64_t middle(std::size_t i) {
    if (i < 2 * sub_count) return i;
    const std::size_t k = i - 2 * sub_count;
    const int e = static_cast<int>(k / sub_count) + 1;
    const std::uint64_t low = (sub_count + k % sub_count) << e;
    return low + ((std::uint64_t{1} << e) >> 1);
  }

  std::array<std::atomic<std::uint64_t>, bucket_count> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_{0};
  std::atomic<std::uint64_t> max_{0};
};

}  // namespace sluice::bench::load
