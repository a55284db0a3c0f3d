// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The checks Cedar's validator makes once per policy rather than once per
// request environment (its rbac.rs): every entity type named in the policy
// is declared, every action literal is a declared action, every literal of
// an enumerated entity type uses a declared id, and some action the scope
// allows applies to some principal and resource type the scope allows.

#ifndef ARBITER_VALIDATE_SCOPE_CHECKS_H_
#define ARBITER_VALIDATE_SCOPE_CHECKS_H_

#include <string>
#include <string_view>
#include <vector>

#include "src/ast/policy.h"
#include "src/validate/schema_view.h"
#include "src/validate/typecheck.h"

namespace arbiter::internal {

// Unrecognized entity types, unrecognized actions and invalid enum entities
// in the scope and in `conditions` (the policy's, as SourceConditions gives
// them).
void CheckNames(const SchemaView& schema, const Policy& policy,
                const std::vector<Condition>& conditions,
                std::vector<PendingIssue>* errors);

// Unrecognized entity types among a linked policy's slot values.
void CheckLinkedSlots(const SchemaView& schema, const Policy& linked,
                      const Policy& tmpl, std::vector<PendingIssue>* errors);

// Whether some (action, principal type, resource type) the schema allows
// satisfies the scope ("unable to find an applicable action" otherwise).
bool ScopeHasApplicableAction(const SchemaView& schema, const Policy& policy);

// A close name from `candidates` for an unknown `name`, or "".
std::string SuggestName(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace arbiter::internal

#endif  // ARBITER_VALIDATE_SCOPE_CHECKS_H_
