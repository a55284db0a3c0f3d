// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// A replaced global operator new (every replaceable form: plain, array,
// over-aligned, nothrow) that counts allocations only while a thread-local
// switch is on, so that a test counts what one call allocates and not what
// its framework or loader does. It replaces the operators for the whole
// program, shared libraries included (libarbiter_c.so's calls land here
// too): include it in exactly one source file of a test executable.

#ifndef ARBITER_TESTS_COUNTING_ALLOCATOR_H_
#define ARBITER_TESTS_COUNTING_ALLOCATOR_H_

#include <cstddef>
#include <cstdlib>
#include <new>

// While `counting` is on, every allocation on this thread adds one to
// `allocations`.
inline thread_local bool counting = false;
inline thread_local size_t allocations = 0;

namespace counting_allocator_detail {
inline void* Counted(std::size_t n) {
  if (counting) ++allocations;
  return std::malloc(n == 0 ? 1 : n);
}
inline void* CountedAligned(std::size_t n, std::align_val_t al) {
  if (counting) ++allocations;
  const std::size_t a = static_cast<std::size_t>(al);
  // aligned_alloc wants a size that is a multiple of the alignment.
  return std::aligned_alloc(a, (n == 0 ? a : (n + a - 1) / a * a));
}
}  // namespace counting_allocator_detail

using counting_allocator_detail::Counted;
using counting_allocator_detail::CountedAligned;

void* operator new(std::size_t n) {
  if (void* p = Counted(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = Counted(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a) {
  if (void* p = CountedAligned(n, a)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
  if (void* p = CountedAligned(n, a)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return Counted(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return Counted(n); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return CountedAligned(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return CountedAligned(n, a);
}
// GCC 12 takes std::free here for a mismatch with operator new, not
// knowing that the replaced operator new above allocates with malloc.
// Every form above allocates with malloc or aligned_alloc, so every delete
// is std::free.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop

#endif  // ARBITER_TESTS_COUNTING_ALLOCATOR_H_
