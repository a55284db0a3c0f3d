// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Cedar's JSON value format, between nlohmann::json and arbiter::Value:
// reading JSON text under limits (json_text.cc), converting values with the
// `__entity` and `__extn` escapes (json_value.cc), entity type names and
// Cedar-syntax entity references (entity_name.cc), and writing values back
// (json_writer.cc). Used by entities.cc and by request/context loading.
//
// Errors carry their location: callers pass a Where naming what is being read
// (e.g. "entity 3 (`User::\"alice\"`)" and "attribute `address`"); the path
// inside the value is appended, giving messages such as
//   entity 3 (`User::"alice"`): attribute `address.zip`: expected a long, ...
// Nothing here throws: nlohmann exceptions are caught where they can arise.

#ifndef ARBITER_ENTITIES_JSON_VALUE_H_
#define ARBITER_ENTITIES_JSON_VALUE_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "arbiter/entities.h"
#include "arbiter/value.h"

namespace arbiter::internal {

// Debian's Abseil has its own string_view type; this bridges the two.
inline absl::string_view ToAbsl(std::string_view s) {
  return {s.data(), s.size()};
}

// One step into a JSON document: an object key or an array index.
struct PathElem {
  bool is_index = false;
  size_t index = 0;
  std::string key;
};

// Renders path[from..] as `a.b[2].c`; keys are printed as they are.
std::string DottedPath(const std::vector<PathElem>& path, size_t from);

// Where a value being converted sits, for error messages.
struct Where {
  // What holds the value, e.g. "entity 3 (`User::\"alice\"`)"; may be empty.
  std::string context;
  // What the value is to its holder, e.g. "attribute", "tag", "parent 2";
  // empty for a top-level value (then paths read "at `a.b`").
  std::string role;
  // The name of the value in its holder, e.g. the attribute name; may be
  // empty. The path inside the value is appended to it.
  std::string name;
};

// Parses JSON text. Enforces options.max_bytes and a nesting limit of
// `max_json_depth` arrays/objects, rejects duplicate object keys, and turns
// every nlohmann exception into InvalidArgument (with line and column for
// syntax errors). `what` names the input in messages ("entities JSON").
// When `entity_document` is true, locations inside the document are reported
// as "entity 3: attribute `a.b`" rather than as a path.
absl::StatusOr<nlohmann::json> ParseJsonText(std::string_view text,
                                             const JsonOptions& options,
                                             size_t max_json_depth,
                                             std::string_view what,
                                             bool entity_document);

// Reads an entities document: JSON text that must be an array (of
// entities). Calls `each` with every element and its position, in order;
// each element is freed once `each` returns, so the whole document's tree
// never exists at once. Once `each` returns an error it is not called
// again, but the rest of the text is still parsed: a syntax, nesting or
// duplicate-key error anywhere in it is returned in preference, as when
// the document was parsed whole before any entity was read. A
// nlohmann::json exception or std::bad_alloc thrown by `each` becomes its
// error (Internal, ResourceExhausted). Shared by the schema-less and the
// schema-directed loaders.
absl::Status ForEachEntityInDocument(
    std::string_view text, const JsonOptions& options,
    absl::FunctionRef<absl::Status(size_t index, const nlohmann::json& element)>
        each);

// The JSON nesting that values of options.max_depth need, plus `overhead`
// levels of surrounding structure (an `__extn` call takes three levels).
size_t JsonDepthFor(const JsonOptions& options, size_t overhead);

// Converts one Cedar JSON value (bool, long, string, array → set, object →
// record, `__entity`, `__extn`). Sets, records and extension calls with
// non-string arguments nest; nesting deeper than options.max_depth is an
// error. Walks the value with an explicit stack.
absl::StatusOr<Value> JsonToValue(const nlohmann::json& json,
                                  const JsonOptions& options,
                                  const Where& where);

// JsonToValue for a value that sits inside `outer_depth` levels of nesting
// already open (a schema-directed reader delegating a sub-value); those
// levels count toward options.max_depth.
absl::StatusOr<Value> JsonToValueNested(const nlohmann::json& json,
                                        const JsonOptions& options,
                                        const Where& where, size_t outer_depth);

// ValueFromJson (entities.h) for a value that sits inside `outer_depth`
// levels of nesting already open, which count toward options.max_depth: the
// request builder reads a context field's value with the context record as
// the first level, as a request parsed whole from JSON counts it.
absl::StatusOr<Value> ValueFromJsonNested(std::string_view json,
                                          const JsonOptions& options,
                                          size_t outer_depth);

// The message for `detail` about the value at `path` inside `where`, in the
// form every conversion error takes: "context: role `path`: detail" (empty
// parts left out; with no role the path reads "at `path`"). `path` is the
// whole path, as DottedPath renders it: where.name is not prepended.
std::string ComposeLocated(const Where& where, std::string_view path,
                           std::string_view detail);

// Converts an entity reference: `{"type": "T", "id": "i"}` or
// `{"__entity": {"type": "T", "id": "i"}}`; with `allow_string`, also a JSON
// string in Cedar syntax, `T::"i"`.
absl::StatusOr<EntityUid> JsonToEntityUid(const nlohmann::json& json,
                                          bool allow_string,
                                          const Where& where);

// Parses Cedar syntax for an entity reference, `A::B::"id"` (Cedar string
// escapes in the id; whitespace allowed around tokens).
absl::StatusOr<EntityUid> ParseEntityUidText(std::string_view text);

// OK when `name` is a valid entity type name: `Ident ('::' Ident)*`, where an
// identifier is `[_a-zA-Z][_a-zA-Z0-9]*` and is not a reserved word (`true`,
// `false`, `if`, `then`, `else`, `in`, `is`, `like`, `has`) nor `__cedar`.
// The message says what is wrong, without naming where.
absl::Status CheckEntityTypeName(std::string_view name);

// True for an action entity type: `Action` or `…::Action`.
bool IsActionType(std::string_view type_name);

// Appends `value` in Cedar's JSON value format (records with keys in name
// order). Walks the value with an explicit stack.
void AppendValueJson(const Value& value, std::string* out);

// Appends `s` as a JSON string literal; invalid UTF-8 becomes U+FFFD.
void AppendJsonString(std::string_view s, std::string* out);

// A short rendering of `json` for messages: its text, cut to about 60 bytes.
std::string JsonSnippet(const nlohmann::json& json);

}  // namespace arbiter::internal

#endif  // ARBITER_ENTITIES_JSON_VALUE_H_
