// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The schema as the validator reads it: the resolved SchemaModel plus the
// validator types of entity shapes, tags and contexts (converted once), and
// the action hierarchy inverted into descendants. Built once per Validate
// call; read-only afterwards.

#ifndef ARBITER_VALIDATE_SCHEMA_VIEW_H_
#define ARBITER_VALIDATE_SCHEMA_VIEW_H_

#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "arbiter/value.h"
#include "src/ast/schema.h"
#include "src/validate/types.h"

namespace arbiter::internal {

// True for `Action` and `NS::Action`: Cedar treats every entity type whose
// last name component is `Action` as an action type.
bool IsActionType(Symbol entity_type);

class SchemaView {
 public:
  explicit SchemaView(const SchemaModel& model);

  const SchemaModel& model() const { return model_; }

  const EntityTypeInfo* entity_type(Symbol name) const {
    return model_.FindEntityType(name);
  }
  const ActionInfo* action(const EntityUid& uid) const {
    return model_.FindAction(uid);
  }
  // Cedar's "known" entity types include every action type.
  bool IsKnownEntityType(Symbol name) const {
    return IsActionType(name) || entity_type(name) != nullptr;
  }

  // The shape (a closed record) of a declared entity type, or nullptr.
  TypeRef Shape(Symbol entity_type) const;
  // The tag type of a declared entity type, or nullptr when it has none.
  TypeRef Tags(Symbol entity_type) const;
  // The context record of a declared action.
  TypeRef Context(const EntityUid& action) const;

  // An entity of type `descendant` may be `in` one of type `ancestor`: the
  // types are equal, or the schema lets the first have the second as an
  // ancestor.
  bool MayBeIn(Symbol descendant, Symbol ancestor) const;
  // Actions `a in uid` holds for: uid's descendants and uid itself.
  // nullopt when uid is not a declared action.
  std::optional<std::vector<EntityUid>> ActionsIn(const EntityUid& uid) const;
  // Some action of type `action_type` has a descendant of type `desc_type`.
  bool ActionTypeHasDescendantType(Symbol action_type, Symbol desc_type) const;

 private:
  const SchemaModel& model_;
  absl::flat_hash_map<Symbol, TypeRef> shapes_;
  absl::flat_hash_map<Symbol, TypeRef> tags_;
  absl::flat_hash_map<EntityUid, TypeRef> contexts_;
  absl::flat_hash_map<EntityUid, std::vector<EntityUid>> descendants_;
};

}  // namespace arbiter::internal

#endif  // ARBITER_VALIDATE_SCHEMA_VIEW_H_
