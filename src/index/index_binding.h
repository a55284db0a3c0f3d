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
// Entities are recognised by their decision-path block (EntityHot): the
// binding covers the blocks of one store, found by address, and answers
// "not bound" for any other block (an entity of a derived store's extra
// entities, one of a store's base(), a request entity the store lacks),
// which the index then probes as usual. A block's rows are a function of
// the block's contents, so they hold for every store that hands out that
// block (a WithEntities store hands out its base's blocks unchanged).
//
// Lifetime: the binding reads neither the index nor the store after it is
// built, but it is only meaningful while both live (a freed store's
// addresses may be reused by another); BoundPolicySet owns all three.
//
// Thread-safety: immutable after construction.

#ifndef ARBITER_INDEX_INDEX_BINDING_H_
#define ARBITER_INDEX_INDEX_BINDING_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "arbiter/entities.h"

namespace arbiter::internal {

class PolicyIndex;

class IndexBinding {
 public:
  // One bucket entry an entity reaches: the entry's need word (a copy of
  // the index's, see PolicyIndex::need_) and its position in the index's
  // entries. A row lists them back to back, so that a decision tests the
  // need words of all it reaches from one or two cache lines, where the
  // buckets' own arrays lie a line or more apart each.
  struct Item {
    uint64_t need;
    uint32_t entry;
    uint32_t unused = 0;
  };

  // The entries `hot` reaches in scope slot `slot` (0 principal, 1 action,
  // 2 resource), as [*begin, *end); false when `hot` is not a block of the
  // bound store, or one whose row was left out (see PolicyIndex::Bind's
  // limits).
  bool Find(const EntityHot* hot, int slot, const Item** begin,
            const Item** end) const {
    // Unsigned: a block below the store's first line wraps to a huge
    // offset, so one comparison rejects both sides.
    const size_t at = static_cast<size_t>(reinterpret_cast<uintptr_t>(hot) -
                                          reinterpret_cast<uintptr_t>(lines_));
    if (at >= bytes_) return false;
    const size_t row = at / 64 * 3 + static_cast<size_t>(slot);
    const uint32_t first = offsets_[row];
    if ((first & kLeftOut) != 0) return false;
    *begin = items_.data() + first;
    *end = items_.data() + (offsets_[row + 1] & ~kLeftOut);
    return true;
  }

  // The index this binding was computed for: Candidates ignores a binding
  // of another index.
  const PolicyIndex* index() const { return index_; }

  // Items stored, over all entities and slots, and rows left out (for
  // tests and sizing).
  size_t num_items() const { return items_.size(); }
  size_t num_left_out() const { return num_left_out_; }

 private:
  friend class PolicyIndex;
  IndexBinding() = default;

  const PolicyIndex* index_ = nullptr;
  const void* lines_ = nullptr;  // the store's first block line
  size_t bytes_ = 0;             // its lines, in bytes
  // Marks a row left out of the binding (its entity is probed).
  static constexpr uint32_t kLeftOut = uint32_t{1} << 31;

  // Per 64-byte line of the store's blocks and per slot (line * 3 + slot),
  // where its items start in items_, with kLeftOut set for a row left out;
  // one more entry ends the last row. Lines inside a block (past its
  // first) have empty rows: indexing by line keeps the lookup a shift and
  // an add, for a few bytes per line.
  std::vector<uint32_t> offsets_;
  std::vector<Item> items_;
  size_t num_left_out_ = 0;
};

}  // namespace arbiter::internal

#endif  // ARBITER_INDEX_INDEX_BINDING_H_
