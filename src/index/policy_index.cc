// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Building the scope index and probing it. See policy_index.h for the
// scheme; this file holds the choice of constraint per policy, which only
// affects speed, never answers.

#include "src/index/policy_index.h"

#include <algorithm>
#include <bit>

#include "absl/container/flat_hash_map.h"

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
  using Key = uint64_t;
  // The keys a constraint would be filed under.
  auto keys_of = [](Slot slot, const ScopeConstraint& c, std::vector<Key>* keys) {
    keys->clear();
    switch (c.op) {
      case Op::kAny: break;
      case Op::kEq:
      case Op::kIn:
      case Op::kIsIn: keys->push_back(KeyOf(slot, kEntity, c.entity)); break;
      case Op::kInSet:
        for (const EntityUid& e : c.entities) keys->push_back(KeyOf(slot, kEntity, e));
        std::sort(keys->begin(), keys->end());
        keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
        break;
      case Op::kIs:
        keys->push_back(KeyOf(slot, kType, EntityUid{c.type, Symbol()}));
        break;
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
  // Each policy's full scope as an entry; filing below drops the part its
  // bucket proves.
  std::vector<Entry> scopes(policies.size());
  for (uint32_t i = 0; i < policies.size(); ++i) {
    const ScopeConstraint* cs[3] = {&policies[i]->principal, &policies[i]->action,
                                    &policies[i]->resource};
    Entry& e = scopes[i];
    e.id = i;
    e.type_tested = 0;
    for (int s = 0; s < 3; ++s) {
      const ScopeConstraint& c = *cs[s];
      e.type[s] = c.type.id();
      e.entity[s] = c.entity.packed();
      switch (c.op) {
        case Op::kAny: e.test[s] = kAnyEntity; break;
        case Op::kEq: e.test[s] = kEqEntity; break;
        case Op::kIn: e.test[s] = kInEntity; break;
        case Op::kIs:
          e.test[s] = kAnyEntity;
          e.type_tested |= 1 << s;
          break;
        case Op::kIsIn:
          e.test[s] = kInEntity;
          e.type_tested |= 1 << s;
          break;
        case Op::kInSet:
          e.test[s] = kInSetEntity;
          e.type[s] = static_cast<uint32_t>(set_entities_.size());
          for (const EntityUid& u : c.entities) set_entities_.push_back(u.packed());
          e.entity[s] = set_entities_.size();
          break;
      }
    }
  }
  // Pass 2: file each policy under its least populated constraint. Ties go
  // to the more selective operator, then to principal, resource, action.
  struct BuildBucket {
    std::vector<uint32_t> eq, in;
  };
  absl::flat_hash_map<Key, BuildBucket> building;
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
      BuildBucket& b = building[k];
      (c.op == Op::kEq || c.op == Op::kIs ? b.eq : b.in).push_back(i);
    }
    if (c.op == Op::kIs) type_keys_used_[best] = true;
    if (keys.size() > 1) may_duplicate_ = true;
    // Reaching the policy through this bucket already proves the filed
    // constraint (an `in` through the uid or one of its ancestors, an `==`
    // or `is` exactly), except the type half of `is T in E`: the final
    // check need not repeat it.
    Entry& filed = scopes[i];
    filed.test[best] = kAnyEntity;
    if (c.op != Op::kIsIn) filed.type_tested &= ~(1 << best);
    slot_used_[best] = true;
  }
  // Flatten: every list into entries_, one Bucket of ranges per key.
  std::vector<std::pair<uint64_t, Bucket>> buckets;
  buckets.reserve(building.size());
  auto append = [&](const std::vector<uint32_t>& ids) {
    for (uint32_t id : ids) {
      entries_.push_back(scopes[id]);
      need_.push_back(NeedOf(scopes[id]));
    }
  };
  for (const auto& [key, b] : building) {
    Bucket out;
    out.eq_begin = static_cast<uint32_t>(entries_.size());
    append(b.eq);
    out.in_begin = static_cast<uint32_t>(entries_.size());
    append(b.in);
    out.in_end = static_cast<uint32_t>(entries_.size());
    buckets.emplace_back(key, out);
  }
  table_.Build(buckets);
}

uint64_t PolicyIndex::NeedOf(const Entry& e) {
  uint64_t need[3] = {0, 0, 0};
  for (int s = 0; s < 3; ++s) {
    if ((e.type_tested >> s) & 1) {
      need[s] |= EntityHot::SignatureBit(EntityHot::TypeKey(
          std::bit_cast<Symbol>(e.type[s])));
    }
    // An `in [...]` slot needs any one of its bits: nothing in particular.
    if (e.test[s] == kEqEntity || e.test[s] == kInEntity) {
      need[s] |= EntityHot::SignatureBit(e.entity[s]);
    }
  }
  return Signatures(need[0], need[1], need[2]);
}

// The slow path of an `in [E1, E2, ...]` slot (action scopes only).
bool PolicyIndex::InSetMatches(const Entry& e, int slot,
                               const RequestSlot& r) const {
  for (uint64_t k = e.type[slot]; k < e.entity[slot]; ++k) {
    if (r.In(set_entities_[k])) return true;
  }
  return false;
}

[[gnu::always_inline]] inline bool PolicyIndex::SlotMatches(
    const Entry& e, int slot, const RequestSlot& r) const {
  if ((e.type_tested >> slot) & 1) {
    if (r.type.id() != e.type[slot]) return false;
  }
  const EntityTest test = e.test[slot];
  if (test == kAnyEntity) return true;
  if (test == kInSetEntity) return InSetMatches(e, slot, r);
  return test == kEqEntity ? r.uid == e.entity[slot] : r.In(e.entity[slot]);
}

// Resource, principal, then action: most entries a request scans fail on
// the resource or the principal (policies name one project or team each,
// actions come in a few groups), so these go first.
[[gnu::always_inline]] inline bool PolicyIndex::Matches(
    const Entry& e, const RequestSlot* req) const {
  return SlotMatches(e, 2, req[2]) && SlotMatches(e, 0, req[0]) &&
         SlotMatches(e, 1, req[1]);
}

[[gnu::always_inline]] inline void PolicyIndex::AppendMatching(
    uint32_t begin, uint32_t end, const RequestSlot* req, uint64_t missing,
    std::vector<uint32_t>* out) const {
  const uint64_t* const need = need_.data();
  const Entry* const entries = entries_.data();
  for (const uint64_t *p = need + begin, *last = need + end; p != last; ++p) {
    if ((*p & missing) != 0) continue;
    const Entry& e = entries[p - need];
    if (Matches(e, req)) out->push_back(e.id);
  }
}

void PolicyIndex::Flush(Ranges* ranges, const RequestSlot* req,
                        uint64_t missing, std::vector<uint32_t>* out) const {
  for (uint32_t k = 0; k < ranges->size; ++k) {
    const uint64_t r = ranges->range[k];
    AppendMatching(static_cast<uint32_t>(r), static_cast<uint32_t>(r >> 32),
                   req, missing, out);
  }
  ranges->size = 0;
}

[[gnu::always_inline]] inline void PolicyIndex::AddRange(
    uint32_t begin, uint32_t end, Ranges* ranges, const RequestSlot* req,
    uint64_t missing, std::vector<uint32_t>* out) const {
  if (ranges->size == Ranges::kMax) [[unlikely]] {
    Flush(ranges, req, missing, out);
  }
  __builtin_prefetch(need_.data() + begin);
  __builtin_prefetch(entries_.data() + begin);
  ranges->range[ranges->size++] = begin | (uint64_t{end} << 32);
}

template <typename Add>
[[gnu::always_inline]] inline void PolicyIndex::ForEachHit(Slot slot,
                                                           const RequestSlot& r,
                                                           Add&& add) const {
  const Bucket* b;
  if (type_keys_used_[slot]) {
    b = table_.Find(KeyOf(slot, kType, EntityUid{r.type, Symbol()}));
    if (b != nullptr) add(b->eq_begin, b->in_begin);
  }
  // The uid's own bucket holds both lists (`== E` and `in E` match E
  // itself); an ancestor's only its `in` list.
  b = table_.Find(r.uid ^ KeyOf(slot, kEntity, EntityUid{}));
  if (b != nullptr) add(b->eq_begin, b->in_end);
  for (uint32_t i = 0; i < r.num_ancestors; ++i) {
    b = table_.Find(KeyOf(slot, kEntity, r.ancestors[i]));
    if (b != nullptr) add(b->in_begin, b->in_end);
  }
}

[[gnu::always_inline]] inline void PolicyIndex::ProbeSlot(
    Slot slot, const RequestSlot* req, uint64_t missing, Ranges* ranges,
    std::vector<uint32_t>* out) const {
  // Probe now, scan later (Flush): the probes do not depend on each other,
  // so at thousands of policies their cache misses overlap, and each hit's
  // entries are prefetched and on their way before the first scan starts,
  // where probing and scanning in turn waited for each miss in a row.
  ForEachHit(slot, req[slot], [&](uint32_t begin, uint32_t end) {
    AddRange(begin, end, ranges, req, missing, out);
  });
}

// A bound request entity the binding does not cover (one the store lacks,
// or a base store's): rare, so kept out of the bound path's code.
[[gnu::noinline]] void PolicyIndex::ProbeSlotOutOfLine(
    Slot slot, const RequestSlot* req, uint64_t missing, Ranges* ranges,
    std::vector<uint32_t>* out) const {
  ProbeSlot(slot, req, missing, ranges, out);
}

// The end of Candidates: no order to restore (see Candidates in the
// header); but a policy filed under two keys of an `in [...]` may have
// come twice. Catch-all policies are filed nowhere else, so they stay
// first, untouched.
[[gnu::always_inline]] inline void PolicyIndex::Deduplicate(
    std::vector<uint32_t>* out) const {
  const size_t base = catch_all_.size();
  if (may_duplicate_ && out->size() != base) {
    std::sort(out->begin() + base, out->end());
    out->erase(std::unique(out->begin() + base, out->end()), out->end());
  }
}

void PolicyIndex::Candidates(const RequestView& request,
                             const EntityHot* principal,
                             const EntityHot* action,
                             const EntityHot* resource,
                             std::vector<uint32_t>* out) const {
  // Catch-all policies have no constraint to check.
  out->assign(catch_all_.begin(), catch_all_.end());
  const RequestSlots slots = SlotsOf(request, principal, action, resource);
  const RequestSlot* const req = slots.slot;
  const uint64_t missing = slots.missing;
  // Find every range first, then scan them (see ProbeSlot).
  Ranges ranges;
  for (Slot slot : {kPrincipal, kAction, kResource}) {
    if (slot_used_[slot]) ProbeSlot(slot, req, missing, &ranges, out);
  }
  Flush(&ranges, req, missing, out);
  Deduplicate(out);
}

void PolicyIndex::Candidates(const RequestView& request,
                             const EntityHot* principal,
                             const EntityHot* action, const EntityHot* resource,
                             const void* const* lookup_slots,
                             const IndexBinding& binding,
                             std::vector<uint32_t>* out) const {
  if (binding.index() != this) {
    Candidates(request, principal, action, resource, out);
    return;
  }
  // As above (the catch-all policies first, the request's slots), but the
  // entries come from the binding's rows.
  out->assign(catch_all_.begin(), catch_all_.end());
  const RequestSlots slots = SlotsOf(request, principal, action, resource);
  const RequestSlot* const req = slots.slot;
  const uint64_t missing = slots.missing;
  // The entities' rows, in place of the probes; their lines start loading
  // together. Entities the binding does not cover are probed into
  // `ranges`, scanned at the end.
  Ranges ranges;
  const IndexBinding::Item* rows[3][2] = {};
  for (Slot slot : {kPrincipal, kAction, kResource}) {
    if (!slot_used_[slot]) continue;
    if (!binding.Find(lookup_slots[slot], slot, &rows[slot][0],
                      &rows[slot][1])) {
      ProbeSlotOutOfLine(slot, req, missing, &ranges, out);
      continue;
    }
    __builtin_prefetch(rows[slot][0]);
  }
  const Entry* const entries = entries_.data();
  // First the items whose need bits are all there (a settled item needs
  // none), from all three rows, gathered without a branch per item
  // (whether an item passes is as good as random, and a mispredicted
  // branch here cost more than the gathering); then their entries start
  // loading together; then their exact tests, which a settled item skips.
  // Rows are read a whole group of kGroup items at a time, the items past
  // the row's end masked off (the array is padded for the last row): most
  // rows are a group or less, so each row's loop runs a predictable once,
  // where a loop per item exited at a different count each request.
  constexpr size_t kGroup = IndexBinding::kGroup;
  constexpr size_t kBatch = 64;
  uint32_t passed[kBatch];
  size_t n = 0;
  constexpr uint32_t kSettled = IndexBinding::kSettled;
  auto test_passed = [&] {
    // A settled item has no entry to load (entry 0 stands in, which
    // keeps the address inside the array without a branch).
    for (size_t k = 0; k < n; ++k) {
      const uint32_t pick = passed[k];
      __builtin_prefetch(entries + ((pick & kSettled) != 0 ? 0 : pick));
    }
    for (size_t k = 0; k < n; ++k) {
      const uint32_t pick = passed[k];
      if ((pick & kSettled) != 0) {  // a candidate as it stands
        out->push_back(pick & ~kSettled);
        continue;
      }
      const Entry& e = entries[pick];
      if (Matches(e, req)) out->push_back(e.id);
    }
    n = 0;
  };
  for (const auto& row : rows) {
    const IndexBinding::Item* const end = row[1];
    for (const IndexBinding::Item* it = row[0]; it < end; it += kGroup) {
      if (n > kBatch - kGroup) [[unlikely]]
        test_passed();
      for (size_t j = 0; j < kGroup; ++j) {
        passed[n] = it[j].pick;
        n += static_cast<size_t>(it + j < end) &
             static_cast<size_t>((it[j].need & missing) == 0);
      }
    }
  }
  test_passed();
  // Ranges come only from entities the binding does not cover: rare.
  if (ranges.size != 0) [[unlikely]] {
    Flush(&ranges, req, missing, out);
  }
  Deduplicate(out);
}

std::unique_ptr<const IndexBinding> PolicyIndex::Bind(
    const Entities& entities, size_t max_row_items, size_t max_items,
    ItemFilter* filter) const {
  std::unique_ptr<IndexBinding> b(new IndexBinding());
  b->index_ = this;
  b->store_ = &entities;
  b->table_ = entities.lookup_table();
  const size_t positions = entities.lookup_size();
  b->positions_ = positions;
  // The offsets carry a flag bit: the items must stay below it.
  max_items = std::min<size_t>(max_items, IndexBinding::kLeftOut - 1);
  // Each entity's rows (position * 3 + slot) with their items, then laid
  // out row by row.
  std::vector<std::pair<size_t, IndexBinding::Item>> hits;
  std::vector<size_t> left_out;
  std::vector<IndexBinding::Item> row_items;
  for (const auto& [uid, stored] : entities.all()) {
    const void* lookup_slot;
    const EntityHot* hot = entities.FindHot(uid, &lookup_slot);
    const size_t at = b->PositionOf(lookup_slot);
    // Every entity of the store is in its own table; this only guards the
    // rows below against a store that says otherwise.
    if (at >= positions) continue;
    const RequestSlot r = SlotOf(uid, hot);
    for (Slot slot : {kPrincipal, kAction, kResource}) {
      if (!slot_used_[slot]) continue;
      row_items.clear();
      bool unpickable = false;
      ForEachHit(slot, r, [&](uint32_t begin, uint32_t end) {
        for (uint32_t k = begin; k < end; ++k) {
          // The row is read only when this entity is the request's in
          // `slot`, so the entry's test of that slot (the type half of an
          // `is T in E`, say) is settled here: an entry it fails is left
          // out, and one whose other slots test nothing is a candidate
          // outright.
          const Entry& e = entries_[k];
          if (!SlotMatches(e, slot, r)) continue;
          if (filter != nullptr && filter->Drop(e.id, slot, uid)) {
            ++b->num_dropped_;
            continue;
          }
          bool others_tested = false;
          for (int o = 0; o < 3; ++o) {
            if (o == slot) continue;
            others_tested |=
                e.test[o] != kAnyEntity || ((e.type_tested >> o) & 1) != 0;
          }
          if (!others_tested && e.id < IndexBinding::kSettled) {
            row_items.push_back(
                IndexBinding::Item{0, e.id | IndexBinding::kSettled});
          } else {
            // An entry's position must leave kSettled clear; past it (two
            // billion entries) the row is left out and probed instead.
            unpickable |= k >= IndexBinding::kSettled;
            row_items.push_back(IndexBinding::Item{need_[k], k});
          }
        }
      });
      const size_t row = at * 3 + slot;
      if (unpickable || row_items.size() > max_row_items ||
          hits.size() + row_items.size() > max_items) {
        left_out.push_back(row);
        continue;
      }
      for (const IndexBinding::Item& item : row_items) {
        hits.emplace_back(row, item);
      }
    }
  }
  std::stable_sort(hits.begin(), hits.end(), [](const auto& x, const auto& y) {
    return x.first < y.first;
  });
  b->offsets_ = MakeHotArray<uint32_t>(positions * 3 + 1);
  // Padded: a decision reads a row a group at a time (see Candidates).
  b->items_ =
      MakeHotArray<IndexBinding::Item>(hits.size() + IndexBinding::kGroup - 1);
  b->num_items_ = hits.size();
  size_t h = 0;
  for (size_t row = 0; row < positions * 3; ++row) {
    b->offsets_[row] = static_cast<uint32_t>(h);
    for (; h < hits.size() && hits[h].first == row; ++h) {
      b->items_[h] = hits[h].second;
    }
  }
  b->offsets_[positions * 3] = static_cast<uint32_t>(hits.size());
  for (size_t row : left_out) b->offsets_[row] |= IndexBinding::kLeftOut;
  b->num_left_out_ = left_out.size();
  return b;
}

}  // namespace arbiter::internal
