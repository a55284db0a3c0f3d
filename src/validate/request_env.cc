// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Enumerates request environments in schema declaration order. For a
// template, a slot in `var == ?slot` can only be linked to var's own type
// for the policy to apply; in `var in ?slot` (or `is T in ?slot`) to var's
// type or any type var may be a member of; anywhere else to any entity type.

#include "src/validate/request_env.h"

namespace arbiter::internal {
namespace {

std::vector<std::optional<Symbol>> SlotLinks(const SchemaModel& schema,
                                             const ScopeConstraint& c, Symbol var) {
  using Op = ScopeConstraint::Op;
  if (!c.slot) return {std::nullopt};
  std::vector<std::optional<Symbol>> out;
  switch (c.op) {
    case Op::kEq:
      out.push_back(var);
      break;
    case Op::kIn:
    case Op::kIsIn: {
      const EntityTypeInfo* info = schema.FindEntityType(var);
      for (Symbol t : schema.entity_type_order) {
        if (info != nullptr && info->ancestors.contains(t)) out.push_back(t);
      }
      out.push_back(var);
      break;
    }
    default:
      for (Symbol t : schema.entity_type_order) out.push_back(t);
      break;
  }
  return out;
}

}  // namespace

std::vector<RequestEnv> RequestEnvsFor(const SchemaModel& schema,
                                       const Policy& policy) {
  std::vector<RequestEnv> envs;
  for (const EntityUid& uid : schema.action_order) {
    const ActionInfo* action = schema.FindAction(uid);
    if (action == nullptr) continue;
    for (Symbol p : action->principal_types) {
      for (Symbol r : action->resource_types) {
        for (const auto& ps : SlotLinks(schema, policy.principal, p)) {
          for (const auto& rs : SlotLinks(schema, policy.resource, r)) {
            envs.push_back(RequestEnv{p, action, r, ps, rs});
          }
        }
      }
    }
  }
  return envs;
}

}  // namespace arbiter::internal
