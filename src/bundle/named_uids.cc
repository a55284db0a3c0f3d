// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Which action uids a bundle names. A tool whose uid is named somewhere can
// be told apart from its look-alikes (`action == Action::"shell.exec"`, an
// entity attribute holding it, an entity listing it as a parent), so it must
// be decided on its own; see tool_table.h. Trees are walked with explicit
// stacks: policy expressions and values may be deep.

#include <vector>

#include "src/ast/policy.h"
#include "src/bundle/tool_table.h"

namespace arbiter::internal {
namespace {

// Calls `f` with every uid of type `type` inside `root` (sets and records
// included), walking with `stack`, which the caller may reuse.
template <typename F>
void ForEachUidOfType(const Value& root, Symbol type,
                      std::vector<const Value*>* stack, F f) {
  stack->clear();
  stack->push_back(&root);
  while (!stack->empty()) {
    const Value* v = stack->back();
    stack->pop_back();
    switch (v->kind()) {
      case ValueKind::kEntity:
        if (v->as_entity().type == type) f(v->as_entity());
        break;
      case ValueKind::kSet:
        for (const Value& e : v->as_set()) stack->push_back(&e);
        break;
      case ValueKind::kRecord:
        for (const auto& [k, e] : v->as_record()) stack->push_back(&e);
        break;
      default:
        break;
    }
  }
}

void AddValue(const Value& root, Symbol type, absl::flat_hash_set<EntityUid>* out) {
  std::vector<const Value*> stack;
  ForEachUidOfType(root, type, &stack,
                   [out](const EntityUid& uid) { out->insert(uid); });
}

void AddScope(const ScopeConstraint& c, Symbol type,
              absl::flat_hash_set<EntityUid>* out) {
  if (c.entity.type == type) out->insert(c.entity);
  for (const EntityUid& e : c.entities) {
    if (e.type == type) out->insert(e);
  }
}

void AddExpr(const Expr& root, Symbol type, absl::flat_hash_set<EntityUid>* out) {
  std::vector<const Expr*> stack{&root};
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    if (e->kind == ExprKind::kLiteral) AddValue(e->literal, type, out);
    for (const auto& c : e->children) stack.push_back(c.get());
  }
}

}  // namespace

absl::flat_hash_set<EntityUid> NamedUids(const PolicySet& policies,
                                         const Entities& entities, Symbol type) {
  absl::flat_hash_set<EntityUid> out;
  for (size_t i = 0; i < policies.size(); ++i) {
    const Policy& p = policies.policy(i);
    AddScope(p.principal, type, &out);
    AddScope(p.action, type, &out);
    AddScope(p.resource, type, &out);
    for (const Condition& c : p.body->conditions) AddExpr(*c.expr, type, &out);
  }
  for (const Entities* s = &entities; s != nullptr; s = s->base()) {
    for (const auto& [uid, e] : s->all()) {
      for (const EntityUid& p : e.parents) {
        if (p.type == type) out.insert(p);
      }
      for (const auto& [k, v] : e.attrs) AddValue(v, type, &out);
      for (const auto& [k, v] : e.tags) AddValue(v, type, &out);
    }
  }
  return out;
}

void CollectUidsOfType(const Value& root, Symbol type,
                       std::vector<EntityUid>* out) {
  // On every permitted-tools call: a reused stack, no allocation once warm.
  thread_local std::vector<const Value*> stack;
  ForEachUidOfType(root, type, &stack,
                   [out](const EntityUid& uid) { out->push_back(uid); });
}

}  // namespace arbiter::internal
