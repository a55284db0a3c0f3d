// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Building the scope index and probing it. See policy_index.h for the
// scheme; this file holds the choice of constraint per policy, which only
// affects speed, never answers.

#include "src/index/policy_index.h"

#include <algorithm>

namespace arbiter::internal {
namespace {

// How selective a constraint is: an entity equality names one entity, an
// `in` a subtree, an `is` a whole type, nothing at all matches everything.
int Selectivity(const ScopeConstraint& c) {
  using Op = ScopeConstraint::Op;
  switch (c.op) {
    case Op::kEq: return 4;
    case Op::kIsIn: return 3;
    case Op::kIn: return 3;
    case Op::kInSet: return 2;
    case Op::kIs: return 1;
    case Op::kAny: return 0;
  }
  return 0;
}

}  // namespace

PolicyIndex::PolicyIndex(
    const std::vector<std::shared_ptr<const Policy>>& policies) {
  using Op = ScopeConstraint::Op;
  // The keys a constraint would be filed under.
  auto keys_of = [](Slot slot, const ScopeConstraint& c, std::vector<Key>* keys) {
    keys->clear();
    switch (c.op) {
      case Op::kAny: break;
      case Op::kEq:
      case Op::kIn:
      case Op::kIsIn: keys->push_back(Key{slot, kEntity, c.entity}); break;
      case Op::kInSet:
        for (const EntityUid& e : c.entities) keys->push_back(Key{slot, kEntity, e});
        std::sort(keys->begin(), keys->end(), [](const Key& a, const Key& b) {
          return a.uid.type.id() != b.uid.type.id() ? a.uid.type.id() < b.uid.type.id()
                                                    : a.uid.id.id() < b.uid.id.id();
        });
        keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
        break;
      case Op::kIs: keys->push_back(Key{slot, kType, EntityUid{c.type, Symbol()}}); break;
    }
  };
  // Pass 1: how many policies could be filed under each key. A key shared
  // by many policies (a popular action, say) makes a poor bucket, whatever
  // its operator, so the choice below is by population.
  absl::flat_hash_map<Key, uint32_t> population;
  population.reserve(policies.size());  // about one distinct key per policy
  std::vector<Key> keys;
  for (const auto& p : policies) {
    const ScopeConstraint* cs[3] = {&p->principal, &p->action, &p->resource};
    for (int s = 0; s < 3; ++s) {
      keys_of(static_cast<Slot>(s), *cs[s], &keys);
      for (const Key& k : keys) ++population[k];
    }
  }
  scopes_.resize(policies.size());
  for (uint32_t i = 0; i < policies.size(); ++i) {
    const ScopeConstraint* cs[3] = {&policies[i]->principal, &policies[i]->action,
                                    &policies[i]->resource};
    for (int s = 0; s < 3; ++s) {
      SlotTest& t = scopes_[i].slot[s];
      t.op = static_cast<uint8_t>(cs[s]->op);
      t.type = cs[s]->type.id();
      t.entity = cs[s]->entity.packed();
      t.set_begin = static_cast<uint32_t>(set_entities_.size());
      for (const EntityUid& e : cs[s]->entities) set_entities_.push_back(e.packed());
      t.set_end = static_cast<uint32_t>(set_entities_.size());
    }
  }
  // Pass 2: file each policy under its least populated constraint. Ties go
  // to the more selective operator, then to principal, resource, action.
  for (uint32_t i = 0; i < policies.size(); ++i) {
    const Policy& p = *policies[i];
    const ScopeConstraint* cs[3] = {&p.principal, &p.action, &p.resource};
    const Slot order[3] = {kPrincipal, kResource, kAction};
    int best = -1;
    uint64_t best_cost = 0;
    int best_sel = 0;
    for (Slot s : order) {
      if (cs[s]->op == Op::kAny) continue;
      keys_of(s, *cs[s], &keys);
      uint64_t cost = 0;
      for (const Key& k : keys) cost += population[k];
      const int sel = Selectivity(*cs[s]);
      if (best < 0 || cost < best_cost || (cost == best_cost && sel > best_sel)) {
        best = s;
        best_cost = cost;
        best_sel = sel;
      }
    }
    if (best < 0) {
      catch_all_.push_back(i);
      continue;
    }
    const ScopeConstraint& c = *cs[best];
    keys_of(static_cast<Slot>(best), c, &keys);
    // `action in []` matches nothing: it has no keys and is never a
    // candidate, which is exactly its scope.
    for (const Key& k : keys) {
      Bucket& b = buckets_[k];
      (c.op == Op::kEq || c.op == Op::kIs ? b.eq : b.in).push_back(i);
      if (k.kind == kType) type_keys_used_[best] = true;
    }
    if (keys.size() > 1) may_duplicate_ = true;
    slot_used_[best] = true;
  }
}

namespace {

// `uid in target` for a request entity: itself or one of its ancestors.
inline bool InRequestEntity(uint64_t uid, const StoredEntity* entity,
                            uint64_t target) {
  return uid == target || (entity != nullptr && entity->HasAncestor(target));
}

}  // namespace

[[gnu::always_inline]] inline bool PolicyIndex::SlotMatches(
    const SlotTest& t, const RequestSlot& r) const {
  using Op = ScopeConstraint::Op;
  switch (static_cast<Op>(t.op)) {
    case Op::kAny: return true;
    case Op::kEq: return r.uid == t.entity;
    case Op::kIn: return InRequestEntity(r.uid, r.entity, t.entity);
    case Op::kIs: return r.type == t.type;
    case Op::kIsIn:
      return r.type == t.type && InRequestEntity(r.uid, r.entity, t.entity);
    case Op::kInSet:
      for (uint32_t k = t.set_begin; k < t.set_end; ++k) {
        if (InRequestEntity(r.uid, r.entity, set_entities_[k])) return true;
      }
      return false;
  }
  return false;
}

void PolicyIndex::ProbeSlot(Slot slot, const EntityUid& uid,
                            const StoredEntity* entity,
                            std::vector<uint32_t>* out) const {
  auto it = buckets_.find(Key{slot, kEntity, uid});
  if (it != buckets_.end()) {
    out->insert(out->end(), it->second.eq.begin(), it->second.eq.end());
    out->insert(out->end(), it->second.in.begin(), it->second.in.end());
  }
  if (entity != nullptr) {
    for (const EntityUid& a : entity->ancestor_list) {
      auto at = buckets_.find(Key{slot, kEntity, a});
      if (at != buckets_.end()) {
        out->insert(out->end(), at->second.in.begin(), at->second.in.end());
      }
    }
  }
  if (type_keys_used_[slot]) {
    auto tt = buckets_.find(Key{slot, kType, EntityUid{uid.type, Symbol()}});
    if (tt != buckets_.end()) {
      out->insert(out->end(), tt->second.eq.begin(), tt->second.eq.end());
    }
  }
}

void PolicyIndex::Candidates(const Request& request,
                             const StoredEntity* principal,
                             const StoredEntity* action,
                             const StoredEntity* resource,
                             std::vector<uint32_t>* out) const {
  out->assign(catch_all_.begin(), catch_all_.end());
  const size_t base = out->size();
  if (slot_used_[kPrincipal]) {
    ProbeSlot(kPrincipal, request.principal, principal, out);
  }
  if (slot_used_[kAction]) {
    ProbeSlot(kAction, request.action, action, out);
  }
  if (slot_used_[kResource]) {
    ProbeSlot(kResource, request.resource, resource, out);
  }
  const bool merged = out->size() != base;  // else: catch-all only, sorted
  // Keep only the candidates whose whole scope matches, then restore policy
  // order (buckets are each sorted, their concatenation is not) on what is
  // left, which is usually a handful.
  const RequestSlot req[3] = {
      {request.principal.packed(), request.principal.type.id(), principal},
      {request.action.packed(), request.action.type.id(), action},
      {request.resource.packed(), request.resource.type.id(), resource},
  };
  size_t kept = 0;
  for (uint32_t i : *out) {
    const CompactScope& sc = scopes_[i];
    if (SlotMatches(sc.slot[0], req[0]) && SlotMatches(sc.slot[1], req[1]) &&
        SlotMatches(sc.slot[2], req[2])) {
      (*out)[kept++] = i;
    }
  }
  out->resize(kept);
  if (merged) {
    std::sort(out->begin(), out->end());
    if (may_duplicate_) out->erase(std::unique(out->begin(), out->end()), out->end());
  }
}

}  // namespace arbiter::internal
