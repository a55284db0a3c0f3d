// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Operations the tree walker (evaluator.cc) and the compiled program
// (program_run.cc) share, so that the two evaluators cannot drift apart on
// what an operator means. Each takes operands already checked for kind
// where its caller must report a kind error in its own way.

#ifndef ARBITER_EVAL_OPS_H_
#define ARBITER_EVAL_OPS_H_

#include <string>
#include <vector>

#include "arbiter/entities.h"
#include "arbiter/value.h"

namespace arbiter::internal {

// `uid in target`, for an entity whose store entry is known (nullptr when
// it is not in the store: then only equality holds).
inline bool InKnown(const EntityUid& uid, const EntityHot* entity,
                    const EntityUid& target) {
  return uid == target || (entity != nullptr && entity->HasAncestor(target));
}

// `uid in [..]`: 1 or 0, or -1 when some element is not an entity (an
// error even after a match is found, as in Cedar).
inline int InEntitySet(const EntityUid& uid, const EntityHot* entity,
                       const std::vector<Value>& set) {
  for (const Value& el : set) {
    if (!el.is(ValueKind::kEntity)) return -1;
  }
  for (const Value& el : set) {
    if (InKnown(uid, entity, el.as_entity())) return 1;
  }
  return 0;
}

// `a.containsAll(b)` (all) or `a.containsAny(b)`, both sets.
inline bool ContainsAllOrAny(const Value& a, const Value& b, bool all) {
  for (const Value& el : b.as_set()) {
    const bool has = a.SetContains(el);
    if (all && !has) return false;
    if (!all && has) return true;
  }
  return all;
}

// Appends `T::"id"`, as EntityUid::ToString writes it.
inline void AppendEntityUid(const EntityUid& uid, std::string* out) {
  out->append(uid.type.str());
  out->append("::");
  AppendQuotedString(uid.id.str(), out);
}

}  // namespace arbiter::internal

#endif  // ARBITER_EVAL_OPS_H_
