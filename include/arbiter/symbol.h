// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// symbol.h: process-wide interned names.
//
// Overview
//   Entity type names, entity ids and attribute names are compared on every
//   decision. Interning them once (at parse or load time) turns each of those
//   comparisons into an integer compare and each hash into an integer hash,
//   which is what keeps the decision path free of string work.
//
//   arbiter::Symbol s = arbiter::Symbol::Intern("department");
//   assert(s == arbiter::Symbol::Intern("department"));
//   assert(s.str() == "department");
//
// Thread-safety
//   Intern() and str() may be called concurrently from any thread. The table is
//   append-only: a Symbol stays valid, and its str() view stays valid, for the
//   life of the process. Memory therefore grows with the number of *distinct*
//   names ever interned; see README "Limits".

#ifndef ARBITER_SYMBOL_H_
#define ARBITER_SYMBOL_H_

#include <compare>
#include <cstdint>
#include <string_view>

namespace arbiter {

// Symbol
//
// A 32-bit handle to an interned string. The default Symbol is the empty
// string. Ordering is by interning order, not lexicographic: use str() when a
// human-visible order is needed.
class Symbol {
 public:
  constexpr Symbol() = default;

  // Returns the unique Symbol for `text`, adding it to the table if needed.
  static Symbol Intern(std::string_view text);

  // Returns the Symbol for `text` if it was interned before, else false via
  // `*found`; never adds to the table (used for lookups of untrusted input).
  static Symbol Find(std::string_view text, bool* found);

  std::string_view str() const;
  constexpr uint32_t id() const { return id_; }

  friend constexpr bool operator==(Symbol a, Symbol b) = default;
  friend constexpr auto operator<=>(Symbol a, Symbol b) = default;

  template <typename H>
  friend H AbslHashValue(H h, Symbol s) {
    return H::combine(std::move(h), s.id_);
  }

 private:
  constexpr explicit Symbol(uint32_t id) : id_(id) {}
  uint32_t id_ = 0;
};

}  // namespace arbiter

#endif  // ARBITER_SYMBOL_H_
