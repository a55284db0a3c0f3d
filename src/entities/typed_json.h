// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Schema-directed JSON and schema conformance of values, shared by
// EntitiesFromJson / ContextFromJson (typed_json.cc) and ValidateRequest
// (request_validation.cc).
//
// Reading with a schema (TypedJsonToValue) is guided by the expected type,
// as in Cedar: a string where an extension type is expected is that
// extension's literal, an object where an entity type is expected is an
// entity reference, and records and sets pass the declared types down to
// their members. Where the JSON does not have the expected shape it is read
// as plain Cedar JSON (JsonToValue), to say what was found. The value read
// must conform to the type (CheckConforms, which also serves values built
// without JSON, as in ValidateRequest): kinds, entity types, ids of
// enumerated entity types, required and undeclared record attributes.
// Errors are located like the schema-less reader's, e.g.
//   entity 3 (`User::"alice"`): attribute `address.zip`: type mismatch: ...

#ifndef ARBITER_ENTITIES_TYPED_JSON_H_
#define ARBITER_ENTITIES_TYPED_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "arbiter/entities.h"
#include "arbiter/schema.h"
#include "arbiter/value.h"
#include "src/ast/schema.h"
#include "src/entities/json_value.h"

namespace arbiter::internal {

// Converts `json`, expected to be of `type`, into a value that conforms to
// it; anything else is an InvalidArgument naming the first offending place
// below `where` (with JSON array indices). Nesting counts toward
// options.max_depth as in JsonToValue; the walk uses an explicit stack.
absl::StatusOr<Value> TypedJsonToValue(const nlohmann::json& json,
                                       const SchemaType& type,
                                       const SchemaModel& model,
                                       const JsonOptions& options,
                                       const Where& where);

// OK when `value` conforms to `type` under `model`; otherwise an
// InvalidArgument naming the first offending place below `where` (set
// elements by their index in the set's canonical order). With an empty
// path the message is "context: detail", without the role.
absl::Status CheckConforms(const Value& value, const SchemaType& type,
                           const SchemaModel& model, const Where& where);

// CheckConforms without the message: true when `value` conforms. Allocates
// nothing for scalars.
bool Conforms(const Value& value, const SchemaType& type,
              const SchemaModel& model);

// Empty when `uid` is a valid id of its type (always, unless the type is
// enumerated); otherwise why not, e.g.
//   entity `Color::"pink"` is of an enumerated entity type, but `"pink"` is
//   not declared as a valid eid (valid eids: `"red"`, `"blue"`)
std::string EnumIdError(const EntityUid& uid, const SchemaModel& model);

// The type as written in a .cedarschema: `Long`, `Set<User>`,
// `{ a: Long, b?: String }`, `ipaddr`.
std::string SchemaTypeName(const SchemaType& type);

// ContextFromJson for an already parsed JSON document (the `context` member
// of a request, say): the context `action` declares, read by its type.
absl::StatusOr<Value> ContextFromJsonDoc(const nlohmann::json& doc,
                                         const Schema& schema,
                                         const EntityUid& action,
                                         const JsonOptions& options);

}  // namespace arbiter::internal

#endif  // ARBITER_ENTITIES_TYPED_JSON_H_
