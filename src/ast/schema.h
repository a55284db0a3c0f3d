// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The resolved schema model: what the validator, schema-directed JSON
// parsing and request validation read. Both schema formats (.cedarschema
// text and JSON) are parsed into this one form, with every type reference
// resolved (common types inlined, names fully qualified), so consumers never
// deal with namespaces or name lookup.

#ifndef ARBITER_AST_SCHEMA_H_
#define ARBITER_AST_SCHEMA_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "arbiter/value.h"

namespace arbiter::internal {

struct SchemaType;
using SchemaTypePtr = std::shared_ptr<const SchemaType>;

struct RecordAttr {
  SchemaTypePtr type;
  bool required = true;
};

// A fully resolved attribute / context / tag type.
struct SchemaType {
  enum class Kind : uint8_t {
    kBool,
    kLong,
    kString,
    kSet,
    kRecord,
    kEntity,
    kIpAddr,
    kDecimal,
    kDatetime,
    kDuration,
  };
  Kind kind = Kind::kBool;
  SchemaTypePtr element;  // kSet
  // kRecord: sorted by Symbol id, unique keys.
  std::vector<std::pair<Symbol, RecordAttr>> attrs;
  Symbol entity_type;  // kEntity: fully qualified, e.g. "NS::User"

  const RecordAttr* FindAttr(Symbol name) const;
};

struct EntityTypeInfo {
  Symbol name;           // fully qualified
  SchemaTypePtr shape;   // always a kRecord (empty when not declared)
  SchemaTypePtr tags;    // nullptr when the type has no tags
  std::vector<Symbol> member_of;  // direct parent types, fully qualified
  // Transitive closure of member_of (the types an entity of this type may
  // be `in`), excluding the type itself unless it is its own ancestor.
  absl::flat_hash_set<Symbol> ancestors;
  // For `entity E enum ["a", "b"]`: the only valid ids.
  std::optional<std::vector<std::string>> enum_ids;
};

struct ActionInfo {
  EntityUid uid;                     // e.g. Action::"view" or NS::Action::"view"
  std::vector<EntityUid> member_of;  // direct action groups
  absl::flat_hash_set<EntityUid> ancestors;  // transitive
  // From appliesTo; both empty when the action has no appliesTo (such an
  // action applies to no request).
  std::vector<Symbol> principal_types;
  std::vector<Symbol> resource_types;
  SchemaTypePtr context;  // always a kRecord (empty when not declared)
};

// SchemaModel
//
// Immutable once built. Declaration order is kept for deterministic output.
struct SchemaModel {
  absl::flat_hash_map<Symbol, EntityTypeInfo> entity_types;
  absl::flat_hash_map<EntityUid, ActionInfo> actions;
  std::vector<Symbol> entity_type_order;
  std::vector<EntityUid> action_order;

  const EntityTypeInfo* FindEntityType(Symbol name) const {
    auto it = entity_types.find(name);
    return it == entity_types.end() ? nullptr : &it->second;
  }
  const ActionInfo* FindAction(const EntityUid& uid) const {
    auto it = actions.find(uid);
    return it == actions.end() ? nullptr : &it->second;
  }
};

}  // namespace arbiter::internal

#endif  // ARBITER_AST_SCHEMA_H_
