// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The single boolean expression Cedar's typechecker checks for a policy:
// its three scope constraints and its conditions, conjoined, written the way
// Cedar's own parser writes them. Cedar's validator types that expression,
// not the policy's surface syntax, and some of its verdicts depend on the
// difference (see condition.cc).

#ifndef ARBITER_VALIDATE_CONDITION_H_
#define ARBITER_VALIDATE_CONDITION_H_

#include <memory>
#include <vector>

#include "src/ast/expr.h"
#include "src/ast/policy.h"

namespace arbiter::internal {

// The policy's `when` / `unless` conditions exactly as written. The policy
// parser folds constant subexpressions for evaluation (`[] == []` becomes
// `true`), which would hide from the validator exactly what it must judge,
// so the conditions are parsed again from the policy's source text, without
// folding. Spans point into PolicyBody::source. Falls back to the parsed
// (folded) conditions if the text cannot be parsed again.
std::vector<Condition> SourceConditions(const Policy& policy);

// Builds `((principal-scope && action-scope) && resource-scope) && body`
// from the scope of `policy` and `conditions` (see SourceConditions). Nodes
// made up for the scope take the policy's span.
std::unique_ptr<Expr> BuildCondition(const Policy& policy,
                                     const std::vector<Condition>& conditions);

// Structural equality, ignoring source spans (Cedar's "expression shape").
bool ShapeEqual(const Expr& a, const Expr& b);

}  // namespace arbiter::internal

#endif  // ARBITER_VALIDATE_CONDITION_H_
