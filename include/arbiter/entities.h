// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// entities.h: the entity store a decision reads from.
//
// Overview
//   Entities carry attributes, tags and parents. `principal in Group::"g"` is
//   true when Group::"g" is the principal or one of its ancestors, so the
//   transitive closure of `parents` is computed once, when the store is
//   built, and an `in` test is then one hash probe.
//
//   auto store = arbiter::Entities::FromJson(R"([
//     {"uid": {"type": "User", "id": "alice"}, "attrs": {"level": 3},
//      "parents": [{"type": "Group", "id": "admins"}]}
//   ])");
//   if (!store.ok()) { /* store.status() says what and where */ }
//
// Thread-safety
//   An Entities object is immutable once built and safe to share between
//   threads; it is handed out as std::shared_ptr<const Entities>.

#ifndef ARBITER_ENTITIES_H_
#define ARBITER_ENTITIES_H_

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "arbiter/value.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace arbiter {

// Limits for reading JSON (entities, context, requests).
struct JsonOptions {
  // Deepest nesting of sets and records inside one attribute or context
  // value. Deeper input is rejected with an error, never recursed into.
  // Default: 64.
  size_t max_depth = 64;
  // Largest accepted input, in bytes. Default: 256 MiB.
  size_t max_bytes = size_t{256} << 20;
};

// One entity as given to Entities::Build.
struct Entity {
  EntityUid uid;
  RecordFields attrs;  // sorted by key, as Value::Record produces
  std::vector<EntityUid> parents;
  RecordFields tags;  // sorted by key
};

// An entity inside a built store: its data plus all of its ancestors.
// Decisions read entities through the store's compact copy of what they
// need (internal::EntityHot, below); this is the full record.
struct StoredEntity {
  EntityUid uid;
  // Every entity reachable through `parents`, transitively, excluding the
  // entity itself (a store never has cycles: they are rejected at build),
  // sorted by EntityUid::packed(). Entities usually have a handful of
  // ancestors, and scanning a few words beats hashing; HasAncestor picks
  // whichever is faster for the size.
  std::vector<EntityUid> ancestor_list;
  RecordFields attrs;
  RecordFields tags;
  std::vector<EntityUid> parents;
  // The same ancestors as a set.
  absl::flat_hash_set<EntityUid> ancestors;

  bool HasAncestor(const EntityUid& uid) const {
    return HasAncestor(uid.packed());
  }
  // The same, for a uid given as EntityUid::packed(): a scan for a few
  // ancestors, a binary search for many.
  bool HasAncestor(uint64_t packed) const {
    if (ancestor_list.size() <= 16) {
      for (const EntityUid& a : ancestor_list) {
        if (a.packed() == packed) return true;
      }
      return false;
    }
    size_t lo = 0, hi = ancestor_list.size();
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if (ancestor_list[mid].packed() < packed) lo = mid + 1; else hi = mid;
    }
    return lo < ancestor_list.size() && ancestor_list[lo].packed() == packed;
  }

  const Value* FindAttr(Symbol name) const {
    return FindRecordField(attrs, name);
  }
  const Value* FindTag(Symbol name) const {
    return FindRecordField(tags, name);
  }
};

namespace internal {

// What a decision reads of an entity, in one block: the ancestors for
// `in` and the index, the attribute names and the attribute values. A
// decision reads these for every request entity (and for the entities a
// context names, such as a task), and a StoredEntity spreads them over
// three allocations (the object, its ancestor vector, its attribute vector
// at 40 bytes a field), which at tens of thousands of entities costs a
// cache miss each, one after the other: the block, then the values it
// points to. The store builds one block per entity, 64-byte aligned, from
// the entity's final contents (which never change afterwards), with copies
// of the attribute values inside it, so that a lookup reads adjacent lines
// that can all be requested as soon as the block's address is known.
//
// Layout: this header, then `num_attrs` attribute names (Symbol ids,
// ascending, padded to 8 bytes), then `num_ancestors` ancestors
// (EntityUid::packed(), ascending), then the `num_attrs` values in the
// names' order (copies of the StoredEntity's; values share their payload,
// so a set or a record is not copied).
struct EntityHot {
  const StoredEntity* entity;
  const Value* attrs;  // the values in this block (see Layout above)
  uint32_t num_attrs;
  uint32_t num_ancestors;
  // A one-word summary of the uid, its type and its ancestors: the OR of
  // their SignatureBit (the type's through TypeKey). A bit that is clear
  // proves the entity is not that uid, not of that type and not below it,
  // which is how most `in` tests that fail (a policy on another project,
  // another team) fail, in a few instructions and without reading the
  // ancestor list. A set bit proves nothing.
  uint64_t signature;

  static uint64_t SignatureBit(uint64_t packed) {
    return uint64_t{1} << ((packed * 0x9E3779B97F4A7C15ull) >> 58);
  }
  // A type's stand-in for SignatureBit: packed uids never set bit 63
  // (either half is a Symbol id, below 2^29), so no uid shares it.
  static uint64_t TypeKey(Symbol type) {
    return (uint64_t{type.id()} << 32) | (uint64_t{1} << 63);
  }
  // The signature of `uid` with these ancestors (the store's, and that of
  // a request entity the store lacks, with none).
  static uint64_t SignatureOf(const EntityUid& uid, const uint64_t* ancestors,
                              uint32_t num_ancestors) {
    uint64_t s = SignatureBit(uid.packed()) | SignatureBit(TypeKey(uid.type));
    for (uint32_t i = 0; i < num_ancestors; ++i) s |= SignatureBit(ancestors[i]);
    return s;
  }

  // The names that fit in the block's first line, after this header.
  static constexpr uint32_t kNamesInFirstLine = (64 - 32) / sizeof(uint32_t);

  const uint32_t* attr_keys() const {
    return reinterpret_cast<const uint32_t*>(this + 1);
  }
  const uint64_t* ancestors() const {
    return reinterpret_cast<const uint64_t*>(this + 1) + (num_attrs + 1) / 2;
  }
  // Where the values start: after the ancestors, 8-byte aligned.
  const Value* values_start() const {
    return reinterpret_cast<const Value*>(ancestors() + num_ancestors);
  }
  // Bytes a block takes, header and values included.
  static size_t SizeFor(size_t num_attrs, size_t num_ancestors) {
    return sizeof(EntityHot) + 8 * ((num_attrs + 1) / 2) + 8 * num_ancestors +
           sizeof(Value) * num_attrs;
  }

  // The same answers as StoredEntity::HasAncestor and FindAttr.
  bool HasAncestor(uint64_t packed) const {
    if ((signature & SignatureBit(packed)) == 0) return false;
    return SortedContains(ancestors(), num_ancestors, packed);
  }
  bool HasAncestor(const EntityUid& uid) const { return HasAncestor(uid.packed()); }
  const Value* FindAttr(Symbol name) const {
    const uint32_t* k = attr_keys();
#if defined(__SSE2__)
    // Up to eight names fill the rest of the block's first line (a block
    // is whole lines, 64-byte aligned, after a 32-byte header), which the
    // caller has just read: all eight are compared at once and those past
    // num_attrs masked off, with no loop whose exit, different for each
    // attribute, the branch predictor keeps missing.
    if (num_attrs <= kNamesInFirstLine) {
      const __m128i key = _mm_set1_epi32(static_cast<int>(name.id()));
      const auto* words = reinterpret_cast<const __m128i*>(k);
      const uint32_t hits =
          (static_cast<uint32_t>(_mm_movemask_ps(_mm_castsi128_ps(
               _mm_cmpeq_epi32(_mm_loadu_si128(words), key)))) |
           static_cast<uint32_t>(_mm_movemask_ps(_mm_castsi128_ps(
               _mm_cmpeq_epi32(_mm_loadu_si128(words + 1), key))))
               << 4) &
          ((1u << num_attrs) - 1);
      return hits != 0 ? &attrs[__builtin_ctz(hits)] : nullptr;
    }
#endif
    const uint32_t i = LowerBound(k, num_attrs, name.id());
    return i < num_attrs && k[i] == name.id() ? &attrs[i] : nullptr;
  }

  // Whether ascending `a[0, n)` holds `key`: the ancestor test, also for
  // callers that keep a block's ancestors() and num_ancestors at hand.
  static bool SortedContains(const uint64_t* a, uint32_t n, uint64_t key) {
    const uint32_t i = LowerBound(a, n, key);
    return i < n && a[i] == key;
  }

 private:
  // The first position in ascending `a[0, n)` not below `key` (n when
  // none): a scan for the few entries entities usually have, a binary
  // search for many.
  template <typename K>
  static uint32_t LowerBound(const K* a, uint32_t n, K key) {
    if (n <= 16) {
      uint32_t i = 0;
      while (i < n && a[i] < key) ++i;
      return i;
    }
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
      const uint32_t mid = lo + (hi - lo) / 2;
      if (a[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
};
static_assert(sizeof(EntityHot) == 32);
static_assert(sizeof(EntityHot) +
                  EntityHot::kNamesInFirstLine * sizeof(uint32_t) ==
              64);
// The values follow 8-byte units (names in pairs, ancestors).
static_assert(alignof(Value) <= 8 && sizeof(Value) % 8 == 0);

}  // namespace internal

// Entities
//
// An immutable entity store. Lookups are hash probes on interned uids.
class Entities {
 public:
  Entities() = default;
  // Destroys the values copied into the blocks (see internal::EntityHot).
  ~Entities();
  // Not copyable: the lookup table points into the store's own map.
  Entities(const Entities&) = delete;
  Entities& operator=(const Entities&) = delete;

  // Parses Cedar's entities JSON: an array of objects with `uid`, `attrs`,
  // `parents` and optional `tags`. Attribute values use Cedar's JSON value
  // format (`__entity` and `__extn` escapes included). Errors name the entity
  // index, the attribute path and what was wrong. As in Cedar, a uid given
  // twice with identical contents is kept once; given twice with different
  // contents it is an error, and so is a cycle in the parent hierarchy.
  // Also as in Cedar (cedar-wasm 4.13 is the reference), members it does not
  // know are ignored (of an entity, a reference, an `__extn` call), and an
  // object is an escape only when the escape is its one member and has the
  // escape's shape: `{"__entity": {"type": "User"}}` is a record.
  static absl::StatusOr<std::shared_ptr<const Entities>> FromJson(
      std::string_view json, const JsonOptions& options = {});

  // Builds a store from already-constructed entities (computes ancestors).
  static absl::StatusOr<std::shared_ptr<const Entities>> Build(
      std::vector<Entity> entities);

  // An empty store.
  static std::shared_ptr<const Entities> Empty();

  // A store that reads as `base` plus `extra`, without copying `base`: the
  // new store holds a reference to it and answers Find from its own few
  // entities first, then from `base`. This is how a policy bundle gives a
  // tool first seen at run time its action entity (see bundle.h) while the
  // loaded store stays immutable and shared.
  //
  // The extra entities' ancestors are closed over `base`. InvalidArgument
  // when an extra uid is already in `base`, when a `base` entity has an
  // extra uid among its ancestors (its precomputed ancestors could not
  // include what the extra entity adds), or as Build fails. Costs time in
  // the size of `base`, once; lookups afterwards cost one more probe of a
  // tiny table.
  static absl::StatusOr<std::shared_ptr<const Entities>> WithEntities(
      std::shared_ptr<const Entities> base, std::vector<Entity> extra);

  // The entity with this uid, or nullptr when it is not in the store.
  const StoredEntity* Find(const EntityUid& uid) const {
    const internal::EntityHot* h = FindHot(uid);
    return h == nullptr ? nullptr : h->entity;
  }

  // The same entity's decision-path block (see internal::EntityHot), or
  // nullptr. For the evaluator and the index; valid as long as the store.
  // Inline for the usual case, the uid in its home slot (a decision looks
  // up three or four entities); the rest out of line.
  const internal::EntityHot* FindHot(const EntityUid& uid) const {
    const void* slot;
    return FindHot(uid, &slot);
  }
  // The same, also setting `*slot` to the lookup table slot that held the
  // uid (this store's, or its base()'s), or to nullptr. For the index
  // binding, which recognises its store's entities by their slot.
  const internal::EntityHot* FindHot(const EntityUid& uid,
                                     const void** slot) const {
    const LookupSlot& s = lookup_[LookupHome(uid.packed())];
    if (s.key == uid.packed()) {
      *slot = &s;
      return s.hot;
    }
    return FindHotProbing(uid, slot);
  }

  // A hint: starts loading the memory Find(uid) reads first, so that a
  // caller about to look up several uids waits for their cache misses
  // together rather than one after the other. No effect on results.
  void Prefetch(const EntityUid& uid) const {
#if defined(__GNUC__)
    __builtin_prefetch(&lookup_[LookupHome(uid.packed())]);
#endif
  }

  // Cedar's `in` on two entities: true when `a == b` or `b` is an ancestor
  // of `a`. An entity missing from the store is only `in` itself.
  bool IsIn(const EntityUid& a, const EntityUid& b) const;

  // Entities in the store, including those of base().
  size_t size() const { return map_.size() + (base_ ? base_->size() : 0); }

  // The entities this store holds itself, in no particular order (for a
  // store made by WithEntities, only the extra ones; see base()).
  const absl::flat_hash_map<EntityUid, StoredEntity>& all() const {
    return map_;
  }

  // The store this one extends (WithEntities), or nullptr.
  const Entities* base() const { return base_.get(); }

  // For binding a policy index to this store (src/index/index_binding.h),
  // which keeps its rows by position in this store's lookup table: the
  // table's first slot, its size and a slot's size, and the position a
  // lookup of `uid` reads first (its home; it holds the uid unless a
  // collision moved the uid on).
  const void* lookup_table() const { return lookup_.data(); }
  size_t lookup_size() const { return lookup_.size(); }
  static constexpr size_t kLookupSlotBytes = 16;
  size_t LookupHomeOf(const EntityUid& uid) const {
    return LookupHome(uid.packed());
  }

 private:
  // Fills lookup_ from map_; called once the map is final (the map never
  // changes afterwards, so the pointers into it stay valid).
  void BuildLookup();
  // FindHot past the home slot, then in base().
  const internal::EntityHot* FindHotProbing(const EntityUid& uid,
                                            const void** slot) const;

  absl::flat_hash_map<EntityUid, StoredEntity> map_;
  std::shared_ptr<const Entities> base_;  // null except from WithEntities
  // Find's probe table: open addressing on EntityUid::packed() with a
  // Fibonacci hash, at most half full. Every decision looks up its three
  // request entities and often a few more; a probe here is a multiply, a
  // shift and usually one 16-byte read, where the hash map's own probe
  // hashes, scans control bytes and then reads a wide slot.
  struct LookupSlot {
    uint64_t key;  // EntityUid::packed(); kNoEntity when empty
    const internal::EntityHot* hot;
  };
  static_assert(sizeof(LookupSlot) == kLookupSlotBytes);
  static constexpr uint64_t kNoEntity = ~uint64_t{0};
  // The shift is at most 63 (a table has at least two slots), so the
  // lookup needs no test for the undefined shift by 64.
  size_t LookupHome(uint64_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> lookup_shift_);
  }
  // A store that was never built (the default-constructed one): two empty
  // slots, like BuildLookup's smallest table.
  std::vector<LookupSlot> lookup_ = {LookupSlot{kNoEntity, nullptr},
                                     LookupSlot{kNoEntity, nullptr}};
  // Every entity's EntityHot block, back to back, each starting on a
  // 64-byte boundary; on huge pages when large (src/common/hot_array.h).
  struct alignas(64) HotLine {
    unsigned char bytes[64];
  };
  struct FreeHotLines {
    void operator()(HotLine* lines) const;
  };
  std::unique_ptr<HotLine[], FreeHotLines> hot_;
  int lookup_shift_ = 63;  // 64 - log2(lookup_.size())
};

// Parses one Cedar JSON value (the attribute-value format: `__entity`,
// `__extn`, sets as arrays, records as objects). Used for contexts.
absl::StatusOr<Value> ValueFromJson(std::string_view json,
                                    const JsonOptions& options = {});

// Parses an entity reference: `{"type": "T", "id": "i"}`, the same wrapped
// in `{"__entity": …}`, or a string in Cedar syntax `T::"i"`.
absl::StatusOr<EntityUid> EntityUidFromJson(std::string_view json);

// Writes a value in Cedar's JSON value format (the inverse of ValueFromJson).
std::string ValueToJson(const Value& value);

}  // namespace arbiter

#endif  // ARBITER_ENTITIES_H_
