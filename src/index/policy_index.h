// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The scope index. Scope matching can never raise an error in Cedar, so a
// policy whose scope cannot match a request may be skipped without changing
// the decision, the reasons or the errors. The index finds, for a request,
// a small superset of the policies whose scope matches; the authorizer then
// checks each candidate's full scope and conditions as a full scan would.
//
// Each policy is filed under exactly one of its three scope constraints,
// the most selective one:
//   `== E`          under (slot, E), "eq" list
//   `in E`, `is T in E`  under (slot, E), "in" list
//   `in [E1, E2]`   under (slot, E1) and (slot, E2), "in" lists
//   `is T`          under (slot, type T)
// and a policy with no constraint at all goes to the catch-all list. A
// request probes, per slot, its own uid (eq and in lists), each of its
// ancestors (in lists: the transitive closure precomputed by the entity
// store), and its type.
//
// Thread-safety: immutable after construction; Candidates may be called
// from any number of threads.

#ifndef ARBITER_INDEX_POLICY_INDEX_H_
#define ARBITER_INDEX_POLICY_INDEX_H_

#include <bit>
#include <cstdint>
#include <memory>
#include <vector>

#include "arbiter/entities.h"
#include "arbiter/request.h"
#include "src/ast/policy.h"
#include "src/eval/request_view.h"
#include "src/index/index_binding.h"
#include "src/index/key_table.h"

namespace arbiter::internal {

class PolicyIndex {
 public:
  explicit PolicyIndex(const std::vector<std::shared_ptr<const Policy>>& policies);

  // Replaces *out with the positions (in the indexed list) of exactly the
  // policies whose scope matches `request`, without duplicates: first the
  // catch-all_size() policies with no scope constraint, then the others in
  // no particular order (the authorizer puts what it reports in policy
  // order; sorting every candidate cost more). The request's entities are
  // passed as already looked up (nullptr when not in the store), since the
  // evaluator needs them too.
  void Candidates(const RequestView& request, const EntityHot* principal,
                  const EntityHot* action, const EntityHot* resource,
                  std::vector<uint32_t>* out) const;
  // The same, with a `binding` of this index (Bind): a request entity it
  // covers is not probed, its precomputed ranges are scanned instead. A
  // binding of another index is ignored. `lookup_slots` are where the
  // three entities' lookups found them (Entities::FindHot), by which the
  // binding recognises them. Two functions rather than a null binding, so
  // that neither path carries the other's code.
  void Candidates(const RequestView& request, const EntityHot* principal,
                  const EntityHot* action, const EntityHot* resource,
                  const void* const* lookup_slots, const IndexBinding& binding,
                  std::vector<uint32_t>* out) const;

  // The probe results of every entity of `entities` (its own, not its
  // base's), for Candidates: time in the number of entities times their
  // ancestors, once. See index_binding.h. A row copies every entry of the
  // buckets its entity reaches, so a bucket shared by many entities (a
  // large group's, a type's) is copied as often: a row of more than
  // `max_row_items` items is left out, and so is every row once the
  // binding holds `max_items` (IndexBinding::Item, 16 bytes each). A left
  // out entity is probed, as without a binding.
  //
  // `filter`, when given, may leave items out of a row: an item for which
  // it returns true (policy position, slot, the row's entity) is dropped,
  // which must not change any response (the policy is never satisfied
  // and never raises an error when that entity is the request's in that
  // slot: see src/eval/rule_out.h).
  class ItemFilter {
   public:
    virtual ~ItemFilter() = default;
    virtual bool Drop(uint32_t policy, int slot, const EntityUid& uid) = 0;
  };
  std::unique_ptr<const IndexBinding> Bind(const Entities& entities,
                                           size_t max_row_items,
                                           size_t max_items,
                                           ItemFilter* filter = nullptr) const;

  size_t catch_all_size() const { return catch_all_.size(); }

 private:
  enum Slot : uint8_t { kPrincipal = 0, kAction = 1, kResource = 2 };
  enum KeyKind : uint8_t { kEntity = 0, kType = 1 };

  // A bucket key as one word: the uid's packed form, with the slot and the
  // kind in bits 63-61, which packed uids never use (either half is a
  // Symbol id, and Symbol ids stay below 2^29: see symbol.cc).
  static uint64_t KeyOf(Slot slot, KeyKind kind, const EntityUid& uid) {
    return KeyOf(slot, kind, uid.packed());
  }
  static uint64_t KeyOf(Slot slot, KeyKind kind, uint64_t packed) {
    return packed ^ (static_cast<uint64_t>(slot) << 62) ^
           (static_cast<uint64_t>(kind) << 61);
  }
  // A bucket's policy lists, as ranges of entries_: [eq_begin, in_begin)
  // holds `== E` (and `is T` under type keys), [in_begin, in_end) `in E`,
  // `is T in E` and `in [.., E, ..]`.
  struct Bucket {
    uint32_t eq_begin = 0, in_begin = 0, in_end = 0;
  };

  // A policy's scope, flattened for the final check of each candidate: the
  // bucket only vouches for one constraint, and reading these few words is
  // far cheaper (and more cache-friendly) than walking the Policy. Each
  // slot's constraint is split into an optional type test and an entity
  // test, so that the check is a few predictable comparisons rather than a
  // jump through a table per slot.
  enum EntityTest : uint8_t {
    kAnyEntity = 0,  // no entity constraint (kAny, kIs)
    kEqEntity = 1,   // the uid itself (kEq)
    kInEntity = 2,   // the uid or one of its ancestors (kIn, kIsIn)
    kInSetEntity = 3,  // any of a list (kInSet): a range in set_entities_
  };
  // A bucket's entry: a policy's position and its scope. 48 bytes.
  struct Entry {
    uint64_t entity[3];  // per slot: the uid (packed); kInSetEntity: end
    uint32_t type[3];    // per slot: the type's Symbol id, when type-tested;
                         // kInSetEntity: begin
    uint32_t id;
    EntityTest test[3];
    uint8_t type_tested;  // bit s: slot s requires type[s]
  };
  static_assert(sizeof(Entry) == 48, "a bucket entry's layout (see above)");
  // Three slots' signature words as one: slot s rotated by 21*s bits, so
  // that a slot's bits mostly land where the others' do not. OR-ing loses
  // which slot a bit came from, which only lets a few more entries through
  // to the exact tests; it never turns one away wrongly, since the same
  // rotation applies to the request and to need_.
  static uint64_t Signatures(uint64_t s0, uint64_t s1, uint64_t s2) {
    return s0 | std::rotl(s1, 21) | std::rotl(s2, 42);
  }
  struct RequestSlot {
    uint64_t uid = 0;  // EntityUid::packed()
    Symbol type;
    uint64_t signature = 0;  // EntityHot::signature, or as SignatureOf
    uint32_t num_ancestors = 0;
    const uint64_t* ancestors = nullptr;  // sorted; from its EntityHot

    // `this in target`: the entity itself or one of its ancestors.
    bool In(uint64_t target) const {
      return uid == target || EntityHot::SortedContains(ancestors, num_ancestors, target);
    }
  };
  // A request entity as the index reads it: `e` is its block, or nullptr
  // when the store lacks it (then it is only its uid and type).
  static RequestSlot SlotOf(const EntityUid& uid, const EntityHot* e) {
    return RequestSlot{
        uid.packed(), uid.type,
        e != nullptr ? e->signature : EntityHot::SignatureOf(uid, nullptr, 0),
        e != nullptr ? e->num_ancestors : 0u,
        e != nullptr ? e->ancestors() : nullptr};
  }
  // A request's three slots, and what their signatures lack (the
  // complement of their Signatures: an entry needing any of these bits
  // cannot match).
  struct RequestSlots {
    RequestSlot slot[3];
    uint64_t missing;
  };
  static RequestSlots SlotsOf(const RequestView& request,
                              const EntityHot* principal,
                              const EntityHot* action,
                              const EntityHot* resource) {
    RequestSlots s{{SlotOf(request.principal, principal),
                    SlotOf(request.action, action),
                    SlotOf(request.resource, resource)},
                   0};
    s.missing = ~Signatures(s.slot[0].signature, s.slot[1].signature,
                            s.slot[2].signature);
    return s;
  }
  bool SlotMatches(const Entry& e, int slot, const RequestSlot& r) const;
  // All three slots: the exact test of an entry a scan reaches.
  bool Matches(const Entry& e, const RequestSlot* req) const;

  // Appends the policies at entries_[begin, end) whose scope matches.
  // `missing` is the complement of the request's Signatures, computed once
  // per request.
  void AppendMatching(uint32_t begin, uint32_t end, const RequestSlot* req,
                      uint64_t missing, std::vector<uint32_t>* out) const;
  // The entry ranges a request's probes hit, in probe order, waiting to
  // be scanned. A request hits a few buckets; one whose entities have very
  // many ancestors may hit more, and a full list is scanned (Flush) and
  // emptied: the output's order does not matter (see Candidates).
  struct Ranges {
    static constexpr uint32_t kMax = 32;
    uint32_t size = 0;
    uint64_t range[kMax];  // begin | end << 32
  };
  void Flush(Ranges* ranges, const RequestSlot* req, uint64_t missing,
             std::vector<uint32_t>* out) const;
  // Queues entries_[begin, end) for Flush, and starts loading them.
  void AddRange(uint32_t begin, uint32_t end, Ranges* ranges,
                const RequestSlot* req, uint64_t missing,
                std::vector<uint32_t>* out) const;
  // Calls add(begin, end) for each entry range `r` reaches in `slot`: its
  // type's bucket, its own, each ancestor's. Per request (ProbeSlot), or
  // once per entity (Bind).
  template <typename Add>
  void ForEachHit(Slot slot, const RequestSlot& r, Add&& add) const;
  void ProbeSlot(Slot slot, const RequestSlot* req, uint64_t missing,
                 Ranges* ranges, std::vector<uint32_t>* out) const;
  void Deduplicate(std::vector<uint32_t>* out) const;
  void ProbeSlotOutOfLine(Slot slot, const RequestSlot* req, uint64_t missing,
                          Ranges* ranges, std::vector<uint32_t>* out) const;
  bool InSetMatches(const Entry& e, int slot, const RequestSlot& r) const;
  static uint64_t NeedOf(const Entry& e);

  std::vector<uint64_t> set_entities_;   // `in [...]` lists, packed

  // Each key's bucket, in the table's slots: a hit costs no further miss.
  KeyTable<Bucket> table_;
  std::vector<Entry> entries_;    // every bucket's policies, back to back
  // Beside entries_, position for position: the signature bits
  // (EntityHot::signature) the request's entities must have for the
  // entry's remaining tests to pass, all three slots in one word (see
  // Signatures): the `==` or `in` target's bit, the tested type's. Most
  // entries a request scans fail on one of them (six in ten on the agent
  // workloads), so the scan reads this array, eight entries to a cache
  // line, and an entry only when every bit is there.
  std::vector<uint64_t> need_;
  std::vector<uint32_t> catch_all_;
  // Which slots have any keys at all, to skip their probes.
  bool slot_used_[3] = {false, false, false};
  bool type_keys_used_[3] = {false, false, false};
  bool may_duplicate_ = false;  // an `in [...]` policy is filed twice
};

}  // namespace arbiter::internal

#endif  // ARBITER_INDEX_POLICY_INDEX_H_
