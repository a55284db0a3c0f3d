// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The evaluator: one request's variables and entity store, applied to a
// policy's scope and conditions. Recursion depth is bounded by the parser's
// nesting limit, which is why the tree walk may recurse.

#ifndef ARBITER_EVAL_EVALUATOR_H_
#define ARBITER_EVAL_EVALUATOR_H_

#include "absl/status/statusor.h"
#include "arbiter/entities.h"
#include "arbiter/request.h"
#include "src/ast/policy.h"

namespace arbiter::internal {

class Evaluator {
 public:
  // Both must outlive the Evaluator.
  Evaluator(const Entities& entities, const Request& request)
      : entities_(entities), request_(request) {}

  // Whether the scope matches. Never fails: scope tests only compare
  // entities and look up ancestors.
  bool ScopeMatches(const Policy& policy) const;

  // Whether the policy is satisfied: its scope matches and every `when` is
  // true and every `unless` false, tested in order with short-circuit. An
  // error means the policy is skipped and reported.
  absl::StatusOr<bool> Satisfied(const Policy& policy) const;

  absl::StatusOr<Value> Eval(const Expr& e) const;

 private:
  absl::StatusOr<bool> EvalBool(const Expr& e) const;
  absl::StatusOr<Value> EvalBinary(const Expr& e) const;
  absl::StatusOr<Value> GetAttr(const Value& v, Symbol attr) const;
  absl::StatusOr<bool> HasAttr(const Value& v, Symbol attr) const;
  absl::StatusOr<bool> In(const Value& lhs, const Value& rhs) const;
  bool ConstraintMatches(const ScopeConstraint& c, const EntityUid& uid) const;

  const Entities& entities_;
  const Request& request_;
};

// Whether `text` matches a `like` pattern (wildcards between the parts).
bool LikeMatches(const LikePattern& pattern, std::string_view text);

}  // namespace arbiter::internal

#endif  // ARBITER_EVAL_EVALUATOR_H_
