// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// schema.h: Cedar schemas, in both of Cedar's formats.
//
// Overview
//   A schema declares the entity types (their attributes, tags, parents and,
//   for enumerated types, their ids) and the actions (their groups and which
//   principal and resource types and context they apply to). The validator
//   checks policies against it; entities and contexts parsed with it are
//   typed (a plain string becomes an `ipaddr` where the schema says so).
//
//   auto schema = arbiter::Schema::Parse(R"(
//     entity User in [Group] = { level: Long };
//     entity Group, Photo;
//     action view appliesTo { principal: [User], resource: [Photo] };
//   )");
//   if (!schema.ok()) { /* every error, with file:line:column */ }
//
// Thread-safety
//   A Schema is immutable and safe to share between threads.

#ifndef ARBITER_SCHEMA_H_
#define ARBITER_SCHEMA_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/status/status.h"
#include "arbiter/entities.h"
#include "arbiter/request.h"
#include "arbiter/value.h"

namespace arbiter {

namespace internal {
struct SchemaModel;
struct SchemaSource;  // the unresolved declarations, for printing
}  // namespace internal

struct SchemaParseOptions {
  // Shown in error locations. Default: "<schema>".
  std::string file_name = "<schema>";
  // Deepest nesting of types (records, sets) accepted. Default: 64.
  size_t max_nesting_depth = 64;
  // Largest accepted text in bytes. Default: 16 MiB.
  size_t max_source_bytes = size_t{16} << 20;
  // Parsing stops collecting errors after this many. Default: 100.
  size_t max_errors = 100;
};

// Schema
//
// A parsed and resolved schema.
class Schema {
 public:
  // Parses the human-readable `.cedarschema` format.
  static absl::StatusOr<std::shared_ptr<const Schema>> Parse(
      std::string_view text, const SchemaParseOptions& options = {});
  // Parses Cedar's JSON schema format.
  static absl::StatusOr<std::shared_ptr<const Schema>> FromJson(
      std::string_view json, const SchemaParseOptions& options = {});

  ~Schema();

  // The schema in the other formats (for `arbiter translate-schema`).
  std::string ToCedarSchema() const;
  std::string ToJson() const;

  // The action entities the schema declares, with their groups as parents.
  // Cedar adds these to the entity store whenever a schema is in use.
  std::vector<Entity> ActionEntities() const;

  const internal::SchemaModel& model() const { return *model_; }

 private:
  Schema() = default;
  friend struct SchemaBuilderAccess;
  std::shared_ptr<const internal::SchemaModel> model_;
  std::shared_ptr<const internal::SchemaSource> source_;
};

// Schema-directed JSON
//
// With a schema, Cedar's JSON is read by the types the schema declares: a
// string where the schema says `ipaddr`, `decimal`, `datetime` or `duration`
// becomes that extension value, and `{"type": …, "id": …}` where it says an
// entity type becomes an entity reference. Data that does not conform (wrong
// type, missing required attribute, undeclared attribute, parent of a type
// the schema does not allow, tag of the wrong type, entity of an undeclared
// type, id outside an enumerated type) is rejected with a located error.

// Parses entities JSON with `schema`; the schema's action entities are added
// (an action entity in the JSON must agree with the schema).
absl::StatusOr<std::shared_ptr<const Entities>> EntitiesFromJson(
    std::string_view json, const Schema& schema,
    const JsonOptions& options = {});

// Parses a request context for `action` with the context type the schema
// declares for it.
absl::StatusOr<Value> ContextFromJson(std::string_view json,
                                      const Schema& schema,
                                      const EntityUid& action,
                                      const JsonOptions& options = {});

// Request validation: the action is declared, the principal and resource
// types are among those it applies to (and their ids valid for enumerated
// types), and the context conforms to the action's context type.
absl::Status ValidateRequest(const Schema& schema, const Request& request);

// Reading a request from JSON
//
// The form Cedar's tools and test files use:
//
//   {"principal": {"type": "User", "id": "alice"},
//    "action": {"type": "Action", "id": "view"},
//    "resource": {"type": "Photo", "id": "p1"},
//    "context": {"ip": {"__extn": {"fn": "ip", "arg": "10.0.0.1"}}}}
//
// Each entity reference may also be `{"__entity": {...}}` or a string in
// Cedar syntax (`User::"alice"`); `context` is optional (default: the empty
// record) and must be an object. Any other member is an error: a misspelt
// `context` silently dropped could turn a forbid's `unless` into an error
// that skips the forbid.
struct RequestJsonOptions {
  // With a schema: the context is read by the type the action declares
  // (see ContextFromJson), and, when `validate` is set, the request must
  // pass ValidateRequest. Null: the context is read as plain Cedar JSON and
  // nothing is validated. Not owned. Default: none.
  const Schema* schema = nullptr;
  // Only with a schema. Default: true.
  bool validate = true;
  // Limits on the text and on the context's nesting. Default: JsonOptions{}.
  JsonOptions json;
};

// Parses one request. Errors name the member at fault, e.g.
// "request: `principal`: expected ..." or "request: `context`: ...".
absl::StatusOr<Request> RequestFromJson(std::string_view json,
                                        const RequestJsonOptions& options = {});

}  // namespace arbiter

#endif  // ARBITER_SCHEMA_H_
