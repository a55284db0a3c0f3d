// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0

#include "src/common/hot_array.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <new>

namespace arbiter::internal {
namespace {

bool AllZero(const unsigned char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

// Small arrays: ordinary memory, line aligned, zeroed; large ones: 2 MiB
// aligned (what huge pages need), zeroed. Zero bytes still give a pointer.
TEST_CASE("hot array: alignment and zeroing by size", "[hot_array]") {
  for (size_t bytes : {size_t{0}, size_t{1}, size_t{64}, size_t{1000},
                       kHugeFrom - 1, kHugeFrom, kHugeFrom + 1,
                       3 * kHugePageBytes + 5}) {
    INFO(bytes);
    void* p = AllocateHotArray(bytes);
    REQUIRE(p != nullptr);
    const uintptr_t at = reinterpret_cast<uintptr_t>(p);
    CHECK(at % 64 == 0);
    if (bytes >= kHugeFrom) {
      CHECK(at % kHugePageBytes == 0);
    }
    CHECK(AllZero(static_cast<const unsigned char*>(p), bytes));
    FreeHotArray(p);
  }
  CHECK_THROWS_AS(AllocateHotArray(SIZE_MAX - 10), std::bad_alloc);
}

TEST_CASE("hot array: elements are value-initialized", "[hot_array]") {
  struct Item {
    uint64_t word;
    uint32_t index;
    uint32_t tag = 7;  // a member initializer must run
  };
  for (size_t n : {size_t{0}, size_t{3}, kHugeFrom / sizeof(Item) + 1}) {
    HotArray<Item> a = MakeHotArray<Item>(n);
    REQUIRE(a != nullptr);
    size_t wrong = 0;
    for (size_t i = 0; i < n; ++i) wrong += a[i].word != 0 || a[i].tag != 7;
    CHECK(wrong == 0);
    if (n > 0) a[n - 1].word = 42;  // writable to the end
  }
  // A count whose size in bytes wraps around is refused, not allocated
  // short (16 * (2^60 + 1) is 16 modulo 2^64).
  CHECK_THROWS_AS(MakeHotArray<Item>((SIZE_MAX / sizeof(Item)) + 2),
                  std::bad_alloc);
}

}  // namespace
}  // namespace arbiter::internal
