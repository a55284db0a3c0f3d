// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// IndexBinding: a scope index's probe results for every entity of one
// store, computed once.
//
// Which index buckets a request entity reaches in a scope slot depends only
// on the index and on the entity's uid, type and ancestors, all fixed once
// the store is built. Probing them per request is a dozen hash probes on
// the agent workloads (the entity, its type, each ancestor, in each slot),
// most of them misses; a binding makes it one read of the entity's row per
// slot: the bucket entries it reaches, each with its need word. See
// PolicyIndex::Bind and PolicyIndex::Candidates.
//
// Rows are kept by the entity's position in the bound store's lookup
// table, not by anything read from the entity's block: a decision computes
// the position from the uid alone (its home, see Entities::LookupHomeOf),
// so the row's offsets can be requested together with the table's slot
// (Prefetch), and the rows are ready once the slot arrives, where keying
// them by the block's address had the offsets wait for the slot.
//
// A request entity is bound only when the bound store's own table held it
// (Entities::FindHot's `slot`): "not bound" for any other (an entity of a
// derived store's extra entities, one of a store's base(), a request
// entity the store lacks), which the index then probes as usual. A
// block's rows are a function of the block's contents, so they hold for
// every store that hands out that block (a WithEntities store hands out
// its base's blocks, found in its base's table).
//
// Lifetime: a decision uses the store through the binding (its lookup
// table's address in Find, its hash in Prefetch), and the rows are only
// meaningful while the index and the store live; BoundPolicySet owns all
// three.
//
// Thread-safety: immutable after construction.

#ifndef ARBITER_INDEX_INDEX_BINDING_H_
#define ARBITER_INDEX_INDEX_BINDING_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "arbiter/entities.h"
#include "src/common/hot_array.h"

namespace arbiter::internal {

class PolicyIndex;

class IndexBinding {
 public:
  // One bucket entry an entity reaches: the entry's need word (a copy of
  // the index's, see PolicyIndex::need_) and its position in the index's
  // entries. A row lists them back to back, so that a decision tests the
  // need words of all it reaches from one or two cache lines, where the
  // buckets' own arrays lie a line or more apart each.
  //
  // An item the entity settles on its own (the entry's other two slots
  // test nothing) holds the policy's position with kSettled set instead,
  // and no need bits: it is a candidate as it stands.
  struct Item {
    uint64_t need;
    uint32_t pick;
    uint32_t unused = 0;
  };
  static constexpr uint32_t kSettled = uint32_t{1} << 31;
  // A decision reads a row's items this many at a time; the items array
  // has kGroup - 1 more after the last row's, never part of a row.
  static constexpr size_t kGroup = 4;

  // The entries a request entity reaches in scope slot `slot` (0
  // principal, 1 action, 2 resource), as [*begin, *end). `lookup_slot` is
  // where its lookup found it (Entities::FindHot). False when that is not
  // the bound store's table, or when the row was left out (see
  // PolicyIndex::Bind's limits).
  bool Find(const void* lookup_slot, int slot, const Item** begin,
            const Item** end) const {
    const size_t at = PositionOf(lookup_slot);
    if (at >= positions_) return false;
    const size_t row = at * 3 + static_cast<size_t>(slot);
    const uint32_t first = offsets_[row];
    if ((first & kLeftOut) != 0) return false;
    *begin = items_.get() + first;
    *end = items_.get() + (offsets_[row + 1] & ~kLeftOut);
    return true;
  }

  // A hint: starts loading the offsets of `uid`'s rows, found from its
  // uid alone (most uids sit at their home position). No effect on
  // results.
  void Prefetch(const EntityUid& uid) const {
#if defined(__GNUC__)
    __builtin_prefetch(offsets_.get() + store_->LookupHomeOf(uid) * 3);
#endif
  }

  // The index this binding was computed for: Candidates ignores a binding
  // of another index.
  const PolicyIndex* index() const { return index_; }

  // Items stored, over all entities and slots, and rows left out (for
  // tests and sizing).
  size_t num_items() const { return num_items_; }
  size_t num_left_out() const { return num_left_out_; }
  // Items Bind's filter left out of their rows (PolicyIndex::ItemFilter).
  size_t num_dropped() const { return num_dropped_; }

 private:
  friend class PolicyIndex;
  IndexBinding() = default;

  // A lookup slot's position in the bound store's table; positions_ or
  // more for a slot of another table. Unsigned: a slot below the table (or
  // none, nullptr) wraps to a huge position, so one comparison rejects
  // both sides.
  size_t PositionOf(const void* lookup_slot) const {
    return static_cast<size_t>(reinterpret_cast<uintptr_t>(lookup_slot) -
                               reinterpret_cast<uintptr_t>(table_)) /
           Entities::kLookupSlotBytes;
  }

  const PolicyIndex* index_ = nullptr;
  const Entities* store_ = nullptr;  // the bound store
  const void* table_ = nullptr;      // its lookup table
  size_t positions_ = 0;             // the table's slots
  // Marks a row left out of the binding (its entity is probed).
  static constexpr uint32_t kLeftOut = uint32_t{1} << 31;

  // Per position of the store's lookup table and per slot (position * 3 +
  // slot), where its items start in items_, with kLeftOut set for a row
  // left out; one more entry ends the last row. Empty positions have empty
  // rows: 12 bytes each, for a lookup that is a multiply and a shift.
  // Both arrays on huge pages when large (src/common/hot_array.h).
  HotArray<uint32_t> offsets_;
  HotArray<Item> items_;
  size_t num_items_ = 0;
  size_t num_left_out_ = 0;
  size_t num_dropped_ = 0;
};

}  // namespace arbiter::internal

#endif  // ARBITER_INDEX_INDEX_BINDING_H_
