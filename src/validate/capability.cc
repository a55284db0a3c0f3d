// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Capability sets are small (a handful of `has` tests per policy), so they
// are plain vectors compared by expression shape.

#include "src/validate/capability.h"

#include "src/validate/condition.h"

namespace arbiter::internal {

bool Capability::Matches(const Capability& other) const {
  if (is_tag != other.is_tag) return false;
  if (is_tag) {
    return ShapeEqual(*on, *other.on) && ShapeEqual(*tag, *other.tag);
  }
  return attr == other.attr && ShapeEqual(*on, *other.on);
}

bool CapabilitySet::Contains(const Capability& c) const {
  for (const Capability& x : caps_) {
    if (x.Matches(c)) return true;
  }
  return false;
}

CapabilitySet CapabilitySet::Union(const CapabilitySet& other) const {
  CapabilitySet out = *this;
  for (const Capability& c : other.caps_) {
    if (!out.Contains(c)) out.caps_.push_back(c);
  }
  return out;
}

CapabilitySet CapabilitySet::Intersect(const CapabilitySet& other) const {
  CapabilitySet out;
  for (const Capability& c : caps_) {
    if (other.Contains(c)) out.caps_.push_back(c);
  }
  return out;
}

}  // namespace arbiter::internal
