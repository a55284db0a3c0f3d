// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0

#include "src/common/hot_array.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace arbiter::internal {

void* AllocateHotArray(size_t bytes) {
  const bool huge = bytes >= kHugeFrom;
  const size_t align = huge ? kHugePageBytes : 64;
  // aligned_alloc wants a multiple of the alignment; zero bytes are one
  // line, so that the pointer is never null.
  if (bytes > SIZE_MAX - align) throw std::bad_alloc();
  const size_t rounded =
      bytes == 0 ? align : (bytes + align - 1) / align * align;
  void* p = std::aligned_alloc(align, rounded);
  if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  // Advice only: without THP (or with it off) the pages stay small.
  if (huge) madvise(p, rounded, MADV_HUGEPAGE);
#endif
  std::memset(p, 0, rounded);
  return p;
}

void FreeHotArray(void* p) { std::free(p); }

}  // namespace arbiter::internal
