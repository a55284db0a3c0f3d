// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// A parsed policy or template. The scope is kept apart from the conditions
// because scope matching can never fail (it only compares entities), which is
// what lets the authorizer (and later the index) skip a policy whose scope
// does not match without changing any answer.

#ifndef ARBITER_AST_POLICY_H_
#define ARBITER_AST_POLICY_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arbiter/value.h"
#include "src/ast/expr.h"

namespace arbiter::internal {

enum class Effect : uint8_t { kPermit, kForbid };

// One of the three scope constraints.
struct ScopeConstraint {
  enum class Op : uint8_t {
    kAny,    // `principal`
    kEq,     // `principal == E`
    kIn,     // `principal in E`
    kIs,     // `principal is T`
    kIsIn,   // `principal is T in E`
    kInSet,  // `action in [E1, E2]` (action only)
  };
  Op op = Op::kAny;
  // For kEq/kIn/kIsIn: the right-hand side is a template slot when true
  // (until linked), else `entity`.
  bool slot = false;
  EntityUid entity;
  Symbol type;                     // kIs, kIsIn
  std::vector<EntityUid> entities; // kInSet
};

struct Condition {
  bool is_when = true;  // false: `unless`
  std::unique_ptr<Expr> expr;
};

struct Annotation {
  std::string key;
  std::optional<std::string> value;
};

// What a template and all policies linked from it share: the conditions,
// annotations and where the text came from.
struct PolicyBody {
  std::vector<Condition> conditions;
  std::vector<Annotation> annotations;
  std::shared_ptr<const std::string> source;  // the whole file's text
  // INVARIANT: views a string that `source` keeps alive (both are set
  // together by PolicySetBuilder), so one copy serves every policy of a file.
  std::string_view file_name;
  SourceSpan span;  // the policy's extent in `source`
};

struct Policy {
  std::string id;
  Effect effect = Effect::kPermit;
  ScopeConstraint principal;
  ScopeConstraint action;
  ScopeConstraint resource;
  // True for a template (a scope still holds a slot); templates are never
  // evaluated, only linked.
  bool is_template = false;
  // For a linked policy: the id of its template.
  std::string template_id;
  std::shared_ptr<const PolicyBody> body;
};

}  // namespace arbiter::internal

#endif  // ARBITER_AST_POLICY_H_
