// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The validator's type lattice, after Cedar's (cedar-policy-core
// validator/types.rs): Never at the bottom, the singleton booleans True and
// False under Bool, Long, String, sets, records (open or closed, with
// required and optional attributes), entity types (a least upper bound of
// one or more named types, or any entity), action entities, and the four
// extension types. Strict mode is what Cedar's validator uses by default:
// there, entity types and records are compatible only when they are equal
// (no width subtyping, no unions of entity types).
//
// Types are immutable and shared (TypeRef); the constructors for the
// primitive types hand out process-wide singletons.

#ifndef ARBITER_VALIDATE_TYPES_H_
#define ARBITER_VALIDATE_TYPES_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arbiter/symbol.h"
#include "src/ast/schema.h"

namespace arbiter::internal {

struct VType;
using TypeRef = std::shared_ptr<const VType>;

enum class ExtType : uint8_t { kIpAddr, kDecimal, kDatetime, kDuration };

struct AttrType {
  TypeRef type;
  bool required = true;
};

// Attributes of a record (or an action entity), sorted by Symbol id.
using AttrList = std::vector<std::pair<Symbol, AttrType>>;

struct VType {
  enum class Kind : uint8_t {
    kNever,
    kTrue,
    kFalse,
    kBool,
    kLong,
    kString,
    kSet,
    kRecord,
    kAnyEntity,
    kEntity,
    kAction,
    kExt,
  };
  Kind kind = Kind::kNever;
  TypeRef element;  // kSet; nullptr means "any element" (expected types only)
  AttrList attrs;   // kRecord, kAction
  bool open = false;                // kRecord
  std::vector<Symbol> entities;     // kEntity: sorted, non-empty; kAction: 1
  ExtType ext = ExtType::kIpAddr;   // kExt

  bool is(Kind k) const { return kind == k; }
  const AttrType* FindAttr(Symbol name) const;
};

// Why two types have no least upper bound (Cedar's LubHelp).
enum class LubHelp : uint8_t {
  kNone,
  kAttributeQualifier,
  kRecordWidth,
  kEntityType,
  kEntityRecord,
};

namespace types {

TypeRef Never();
TypeRef True();
TypeRef False();
TypeRef Singleton(bool b);
TypeRef Bool();
TypeRef Long();
TypeRef String();
TypeRef AnyEntity();
TypeRef AnySet();     // Set<any>: only as an expected type
TypeRef AnyRecord();  // the open record with no attributes
TypeRef Ext(ExtType ext);
TypeRef SetOf(TypeRef element);
TypeRef Entity(Symbol type);
TypeRef EntityLub(std::vector<Symbol> types);
TypeRef Action(Symbol action_entity_type);
TypeRef Record(AttrList attrs, bool open);

// The validator type of a resolved schema type (records closed).
TypeRef FromSchema(const SchemaType& t);

}  // namespace types

bool TypeEqual(const VType& a, const VType& b);
bool IsSubtype(const VType& a, const VType& b, bool strict);
// The least upper bound, or nullptr (with the reason in `*help`).
TypeRef LeastUpperBound(const TypeRef& a, const TypeRef& b, bool strict,
                        LubHelp* help);
// True when no value has both types (only entity types are ever disjoint).
bool AreDisjoint(const VType& a, const VType& b);
// The entity types of an entity or action type, or empty.
std::vector<Symbol> EntityTypesOf(const VType& t);

// Cedar's spelling of a type in messages, e.g. `Set<Long>`, `{a?: String,}`.
std::string TypeName(const VType& t);
// Cedar orders the types listed in an "incompatible types" message.
bool TypeMessageLess(const VType& a, const VType& b);
std::string_view LubHelpText(LubHelp help);

}  // namespace arbiter::internal

#endif  // ARBITER_VALIDATE_TYPES_H_
