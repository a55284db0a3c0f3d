// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Capabilities: what the typechecker knows to exist when an expression is
// true. `e has a` grants "attribute `a` of `e`", `e.hasTag(k)` grants "tag
// `k` of `e`"; `&&`, `||` and `if` combine them (union, intersection) and
// the right operand of `&&` / the `then` branch of `if` are checked with
// the left / test's capabilities. An optional attribute or a tag may only be
// read under a matching capability. Expressions are matched by shape, so
// `principal.a` in two places is the same expression.

#ifndef ARBITER_VALIDATE_CAPABILITY_H_
#define ARBITER_VALIDATE_CAPABILITY_H_

#include <vector>

#include "arbiter/symbol.h"
#include "src/ast/expr.h"

namespace arbiter::internal {

struct Capability {
  const Expr* on = nullptr;
  bool is_tag = false;
  Symbol attr;               // !is_tag
  const Expr* tag = nullptr; // is_tag: the tag-name expression

  bool Matches(const Capability& other) const;
};

class CapabilitySet {
 public:
  CapabilitySet() = default;
  static CapabilitySet Of(Capability c) {
    CapabilitySet s;
    s.caps_.push_back(c);
    return s;
  }

  bool Contains(const Capability& c) const;
  CapabilitySet Union(const CapabilitySet& other) const;
  CapabilitySet Intersect(const CapabilitySet& other) const;
  bool empty() const { return caps_.empty(); }

 private:
  std::vector<Capability> caps_;
};

}  // namespace arbiter::internal

#endif  // ARBITER_VALIDATE_CAPABILITY_H_
