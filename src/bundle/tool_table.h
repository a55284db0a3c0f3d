// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// A bundle's tools: the compiled classification rules and the cache of
// action entities for the tool names seen so far.
//
// Why an overlay per tool rather than one growing entity store: the loaded
// store is immutable and shared by every thread deciding on this bundle, so
// adding a tool to it would mean copying the whole store (tens of thousands
// of entities) for every new name. Instead each tool gets a derived store
// (Entities::WithEntities) that holds just the tool's action entity on top of
// a reference to the bundle's store: built once, in microseconds, the first
// time the name is seen, and a lookup in it costs one extra probe of a table
// of one. The evaluator and the index are untouched: they see an ordinary
// Entities.
//
// Classes: two tools that policies, entities and the request cannot tell
// apart get the same decision. That holds when both actions have the same
// parents and no attributes or tags, and neither uid is *named* anywhere
// (a policy literal or scope, an entity's parents, attributes or tags, the
// request's context or entities). Cedar can only compare entity uids for
// equality and ask `in`, so renaming one such uid into the other maps every
// evaluation onto an identical one. Such tools share a class id, and a
// permitted-tools query decides each class once.

#ifndef ARBITER_BUNDLE_TOOL_TABLE_H_
#define ARBITER_BUNDLE_TOOL_TABLE_H_

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "arbiter/bundle.h"

namespace arbiter::internal {

struct ToolEntry {
  ToolResolution resolution = ToolResolution::kUnclassified;
  EntityUid action;
  int rule = -1;
  std::vector<EntityUid> groups;  // sorted by packed()
  // The store to decide with: the bundle's own for a declared tool, a
  // derived one holding the action entity for a classified tool, null for
  // an unclassified one.
  std::shared_ptr<const Entities> store;
  // Tools with equal class ids decide alike (see above); -1: decide alone.
  int32_t klass = -1;
};

// The uids of type `type` named anywhere in the policies or the entities.
absl::flat_hash_set<EntityUid> NamedUids(const PolicySet& policies,
                                         const Entities& entities, Symbol type);

// Appends to *out every entity of type `type` that `v` holds (any depth).
void CollectUidsOfType(const Value& v, Symbol type, std::vector<EntityUid>* out);

// Why rule `later` can never decide: an earlier rule matches all it
// matches. Empty when no such proof was found (the analysis is sound, not
// complete: it reads literal prefixes, see tool_rules.cc).
std::string ShadowReason(const std::vector<ToolRule>& rules, size_t later);

class ToolTable {
 public:
  // Compiles the rules' patterns (errors located at the rule).
  static absl::StatusOr<std::unique_ptr<ToolTable>> Create(
      std::vector<ToolRule> rules, Symbol action_type,
      std::shared_ptr<const Entities> entities, const PolicySet& policies,
      size_t max_cached);

  // The entry for `tool`, classified on first sight; valid for the table's
  // life. Past max_cached names a new name gets the shared unclassified
  // entry, without being classified or even interned: the table fails
  // closed rather than grow without bound on names a caller makes up.
  const ToolEntry* Find(std::string_view tool) const;

  // Find for many names, taking the reader lock once; out[i] is the entry
  // of tools[i].
  void FindAll(absl::Span<const std::string_view> tools,
               std::vector<const ToolEntry*>* out) const;

  size_t class_count() const;
  Symbol action_type() const { return action_type_; }

 private:
  ToolTable() = default;
  // Classifies without touching the cache.
  std::unique_ptr<ToolEntry> Classify(std::string_view tool) const;
  const ToolEntry* Insert(std::string_view tool) const;

  std::vector<ToolRule> rules_;
  std::vector<std::unique_ptr<const RE2>> patterns_;  // one per rule
  Symbol action_type_;
  std::shared_ptr<const Entities> entities_;
  absl::flat_hash_set<EntityUid> named_;
  size_t max_cached_ = 0;
  ToolEntry overflow_;  // unclassified; returned past max_cached_

  // std::shared_mutex: lookups (every decision) share it; only a name seen
  // for the first time takes it exclusively. ThreadSanitizer understands it.
  mutable std::shared_mutex mu_;
  mutable absl::flat_hash_map<std::string, std::unique_ptr<ToolEntry>>
      cache_;  // guarded by mu_
  // Class id by parent set; guarded by mu_.
  mutable absl::flat_hash_map<std::vector<EntityUid>, int32_t> classes_;
};

}  // namespace arbiter::internal

#endif  // ARBITER_BUNDLE_TOOL_TABLE_H_
