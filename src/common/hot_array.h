// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Memory for the large read-only arrays a decision reads at random: the
// entity store's decision blocks, an index binding's rows.
//
// At tens of thousands of entities these arrays span megabytes, and each
// decision reads a few lines of them far apart: with 4 KiB pages nearly
// every such line also misses the TLB and waits for a page walk on top of
// the cache miss. From kHugeFrom bytes up, the memory is 2 MiB aligned and
// advised for transparent huge pages (Linux's madvise(MADV_HUGEPAGE);
// machines whose THP setting is `madvise`, the common default, otherwise
// give them none), so one TLB entry covers 2 MiB of it. Measured on
// agents-10000 (about 8 MiB of blocks and rows): 6 to 10 ns off a median
// decision of about 450 ns. Smaller arrays get ordinary memory:
// rounding them up to a huge page would cost more memory than it saves
// time (their lines fit the TLB's reach anyway).

#ifndef ARBITER_COMMON_HOT_ARRAY_H_
#define ARBITER_COMMON_HOT_ARRAY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>

namespace arbiter::internal {

inline constexpr size_t kHugeFrom = size_t{1} << 20;
inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// At least `bytes` of zeroed memory, 64-byte aligned (2 MiB aligned and
// advised for huge pages from kHugeFrom bytes up). Throws std::bad_alloc
// when memory runs out, as `new` does. Release with FreeHotArray.
void* AllocateHotArray(size_t bytes);
void FreeHotArray(void* p);

// An owned array in such memory, for element types with nothing to
// destroy. MakeHotArray<T>(n) constructs n value-initialized elements.
template <typename T>
struct FreeHotArrayOf {
  void operator()(T* p) const { FreeHotArray(p); }
};
template <typename T>
using HotArray = std::unique_ptr<T[], FreeHotArrayOf<T>>;
template <typename T>
HotArray<T> MakeHotArray(size_t n) {
  static_assert(std::is_trivially_destructible_v<T>);
  // A count whose bytes overflow would allocate too little.
  if (n > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
  T* p = static_cast<T*>(AllocateHotArray(n * sizeof(T)));
  for (size_t i = 0; i < n; ++i) new (p + i) T();
  return HotArray<T>(p);
}

}  // namespace arbiter::internal

#endif  // ARBITER_COMMON_HOT_ARRAY_H_
