// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Per-policy name and scope checks. Names are collected from the scope and
// from every entity literal and `is` test in the conditions, including
// unreachable ones: these checks do not depend on types. Findings in the
// scope carry the policy's location (scope constraints have no span of
// their own); findings in conditions carry the literal's.

#include "src/validate/scope_checks.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/validate/quote.h"

namespace arbiter::internal {
namespace {

struct NamedUid {
  EntityUid uid;
  SourceSpan span;
};
struct NamedType {
  Symbol type;
  SourceSpan span;
};

void CollectScope(const ScopeConstraint& c, SourceSpan span, std::vector<NamedUid>* uids,
                  std::vector<NamedType>* tys) {
  using Op = ScopeConstraint::Op;
  if ((c.op == Op::kEq || c.op == Op::kIn || c.op == Op::kIsIn) && !c.slot) {
    uids->push_back({c.entity, span});
    tys->push_back({c.entity.type, span});
  }
  if (c.op == Op::kInSet) {
    for (const EntityUid& u : c.entities) {
      uids->push_back({u, span});
      tys->push_back({u.type, span});
    }
  }
  if (c.op == Op::kIs || c.op == Op::kIsIn) tys->push_back({c.type, span});
}

void CollectExpr(const Expr& root, std::vector<NamedUid>* uids,
                 std::vector<NamedType>* tys) {
  std::vector<const Expr*> stack = {&root};
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    if (e->kind == ExprKind::kLiteral && e->literal.is(ValueKind::kEntity)) {
      uids->push_back({e->literal.as_entity(), e->span});
      tys->push_back({e->literal.as_entity().type, e->span});
    } else if (e->kind == ExprKind::kIs) {
      tys->push_back({e->entity_type, e->span});
    }
    for (auto it = e->children.rbegin(); it != e->children.rend(); ++it) {
      stack.push_back(it->get());
    }
  }
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

PendingIssue Issue(std::string kind, std::string message, SourceSpan span,
                   PendingIssue::Prefix prefix = PendingIssue::Prefix::kComma) {
  return PendingIssue{std::move(kind), std::move(message), span, true, prefix};
}

std::string UnknownTypeMessage(const SchemaView& schema, Symbol type) {
  std::vector<std::string> names;
  for (Symbol t : schema.model().entity_type_order) names.emplace_back(t.str());
  std::string msg = absl::StrCat("unrecognized entity type `", std::string(type.str()), "`");
  std::string s = SuggestName(type.str(), names);
  if (!s.empty()) absl::StrAppend(&msg, " (did you mean `", s, "`?)");
  return msg;
}

}  // namespace

std::string SuggestName(std::string_view name,
                        const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = 0;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(name, c);
    if (best.empty() || d < best_d) {
      best = c;
      best_d = d;
    }
  }
  // Only suggest names that are plausibly a typo.
  if (best.empty() || best_d > std::max<size_t>(3, name.size() / 3)) return "";
  return best;
}

void CheckNames(const SchemaView& schema, const Policy& policy,
                const std::vector<Condition>& conditions,
                std::vector<PendingIssue>* errors) {
  SourceSpan span = policy.body ? policy.body->span : SourceSpan{};
  std::vector<NamedUid> uids;
  std::vector<NamedType> tys;
  CollectScope(policy.principal, span, &uids, &tys);
  CollectScope(policy.action, span, &uids, &tys);
  CollectScope(policy.resource, span, &uids, &tys);
  for (const Condition& c : conditions) {
    if (c.expr) CollectExpr(*c.expr, &uids, &tys);
  }
  for (const NamedType& t : tys) {
    if (!schema.IsKnownEntityType(t.type)) {
      errors->push_back(
          Issue("unrecognized_entity_type", UnknownTypeMessage(schema, t.type), t.span));
    }
  }
  for (const NamedUid& u : uids) {
    if (IsActionType(u.uid.type)) continue;
    const EntityTypeInfo* info = schema.entity_type(u.uid.type);
    if (info == nullptr || !info->enum_ids) continue;
    const auto& ids = *info->enum_ids;
    if (std::find(ids.begin(), ids.end(), u.uid.id.str()) != ids.end()) continue;
    std::string id = DebugQuote(u.uid.id.str());
    std::vector<std::string> quoted;
    for (const std::string& s : ids) quoted.push_back(DebugQuote(s));
    errors->push_back(Issue(
        "invalid_enum_entity",
        absl::StrCat("entity `", u.uid.ToString(),
                     "` is of an enumerated entity type, but `", id,
                     "` is not declared as a valid eid (valid entity eids: ",
                     absl::StrJoin(quoted, ", "), ")"),
        u.span, PendingIssue::Prefix::kColon));
  }
  for (const NamedUid& u : uids) {
    if (!IsActionType(u.uid.type) || schema.action(u.uid) != nullptr) continue;
    std::vector<std::string> names;
    for (const EntityUid& a : schema.model().action_order) names.push_back(a.ToString());
    std::string msg = absl::StrCat("unrecognized action `", u.uid.ToString(), "`");
    std::string s = SuggestName(u.uid.ToString(), names);
    if (!s.empty()) absl::StrAppend(&msg, " (did you mean `", s, "`?)");
    errors->push_back(Issue("unrecognized_action", std::move(msg), u.span));
  }
}

void CheckLinkedSlots(const SchemaView& schema, const Policy& linked,
                      const Policy& tmpl, std::vector<PendingIssue>* errors) {
  SourceSpan span = linked.body ? linked.body->span : SourceSpan{};
  for (const auto& [t, l] : {std::pair{&tmpl.principal, &linked.principal},
                            std::pair{&tmpl.resource, &linked.resource}}) {
    if (!t->slot || l->slot) continue;
    if (!schema.IsKnownEntityType(l->entity.type)) {
      errors->push_back(Issue("unrecognized_entity_type",
                              UnknownTypeMessage(schema, l->entity.type), span));
    }
  }
}

namespace {

// The entity types the principal or resource may have under `c`.
absl::flat_hash_set<Symbol> ScopeTypes(const SchemaView& schema,
                                       const ScopeConstraint& c) {
  using Op = ScopeConstraint::Op;
  const SchemaModel& m = schema.model();
  absl::flat_hash_set<Symbol> out;
  auto all = [&] {
    for (Symbol t : m.entity_type_order) out.insert(t);
  };
  auto in = [&](Symbol ancestor) {
    for (Symbol t : m.entity_type_order) {
      if (schema.MayBeIn(t, ancestor)) out.insert(t);
    }
    out.insert(ancestor);
  };
  switch (c.op) {
    case Op::kAny:
    case Op::kInSet:
      all();
      break;
    case Op::kEq:
      if (c.slot) all();
      else out.insert(c.entity.type);
      break;
    case Op::kIn:
      if (c.slot) all();
      else in(c.entity.type);
      break;
    case Op::kIs:
      if (schema.IsKnownEntityType(c.type)) out.insert(c.type);
      break;
    case Op::kIsIn:
      if (c.slot) {
        if (schema.IsKnownEntityType(c.type)) out.insert(c.type);
      } else if (c.type == c.entity.type || schema.MayBeIn(c.type, c.entity.type)) {
        out.insert(c.type);
      }
      break;
  }
  return out;
}

}  // namespace

bool ScopeHasApplicableAction(const SchemaView& schema, const Policy& policy) {
  using Op = ScopeConstraint::Op;
  const SchemaModel& m = schema.model();
  std::vector<EntityUid> actions;
  switch (policy.action.op) {
    case Op::kEq:
      actions.push_back(policy.action.entity);
      break;
    case Op::kIn:
    case Op::kInSet: {
      std::vector<EntityUid> roots = policy.action.op == Op::kIn
                                         ? std::vector<EntityUid>{policy.action.entity}
                                         : policy.action.entities;
      for (const EntityUid& r : roots) {
        std::optional<std::vector<EntityUid>> below = schema.ActionsIn(r);
        if (!below) {
          actions.clear();
          break;
        }
        actions.insert(actions.end(), below->begin(), below->end());
      }
      break;
    }
    default:
      actions = m.action_order;
      break;
  }
  absl::flat_hash_set<Symbol> principals = ScopeTypes(schema, policy.principal);
  absl::flat_hash_set<Symbol> resources = ScopeTypes(schema, policy.resource);
  for (const EntityUid& uid : actions) {
    const ActionInfo* a = schema.action(uid);
    if (a == nullptr) continue;
    bool p = std::any_of(a->principal_types.begin(), a->principal_types.end(),
                         [&](Symbol t) { return principals.contains(t); });
    bool r = std::any_of(a->resource_types.begin(), a->resource_types.end(),
                         [&](Symbol t) { return resources.contains(t); });
    if (p && r) return true;
  }
  return false;
}

}  // namespace arbiter::internal
