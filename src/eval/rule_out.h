// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// RuleOut: whether one request entity alone settles that a policy is not
// satisfied, whatever the rest of the request.
//
// Why: many conditions open with a test of the principal or the resource
// alone (`principal.trust_level >= 3 && ...`, `principal.suspended`,
// `["confidential", "secret"].contains(resource.classification) && ...`).
// For a given entity of a fixed store such a test always comes out the
// same, and when it is false the policy is not satisfied and raises no
// error, for every request with that entity. An index binding (which
// holds, per entity of one store, the policies its scope can reach) then
// leaves the policy out of that entity's row, and the decision never runs
// it: its response is exactly the same, since an unsatisfied policy
// without an error contributes nothing to a response.
//
// Soundness rests on three rules:
// - Cedar evaluates a policy's conditions in order, `when` as written and
//   `unless` negated, each `&&`, `||` and `if` from the left with short
//   circuit. A condition counts only when everything evaluated before it
//   is settled too: `principal.x && context.y` is ruled out when
//   `principal.x` is false, but `context.y && principal.x` never is
//   (`context.y` may raise an error first).
// - A subexpression is settled only when the entity's own data decides it:
//   it names no variable but that one, and it reads only that entity from
//   the store (attribute, `has`, tag and `in` operands must be the variable
//   itself). So its value is the same in any store that hands out this
//   entity's data, a store derived by Entities::WithEntities included
//   (which cannot change a base entity).
// - The real evaluator computes settled subexpressions; any error, or a
//   value that is not a boolean where one is needed, leaves the policy
//   in (it would raise that error on every such request, which the
//   response must report).
//
// Thread-safety: stateless functions; the Evaluator passed in is the
// caller's.

#ifndef ARBITER_EVAL_RULE_OUT_H_
#define ARBITER_EVAL_RULE_OUT_H_

#include "src/ast/expr.h"
#include "src/ast/policy.h"
#include "src/eval/evaluator.h"

namespace arbiter::internal {

// Whether `policy`'s first condition could be settled by `var` alone: a
// cheap syntactic test, so that a caller evaluates (RuledOut) only the
// policies where it can succeed.
bool MayRuleOut(const Policy& policy, Var var);

// Whether `policy` is certainly not satisfied, without error, for every
// request whose `var` is the entity `eval` holds as that variable (the
// other variables are never read). False when unsure.
bool RuledOut(const Policy& policy, Var var, Evaluator& eval);

}  // namespace arbiter::internal

#endif  // ARBITER_EVAL_RULE_OUT_H_
