// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The unresolved schema: declarations as written, in either format.
//
// Both schema parsers (schema_parser.cc for `.cedarschema` text,
// schema_json.cc for Cedar's JSON format) produce a SchemaSource; the
// resolver (schema_resolve.cc) turns it into the SchemaModel the rest of
// arbiter reads; the printers (schema_print.cc) write it back out in either
// format. Keeping the declarations as written (namespaces, common types,
// names unqualified as the author wrote them, annotations) is what lets a
// translation keep common types instead of inlining them.
//
// Pipeline:
//   text ──ParseCedarSchema──┐
//                            ├─> SchemaSource ──ResolveSchema──> SchemaModel
//   JSON ──ParseJsonSchema───┘        │
//                                     └──PrintCedarSchema / PrintJsonSchema
//
// Names inside a SchemaSource are exactly as written: `User`, `NS::User`,
// `__cedar::Long`. Only the resolver decides what they refer to.

#ifndef ARBITER_PARSE_SCHEMA_SOURCE_H_
#define ARBITER_PARSE_SCHEMA_SOURCE_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "arbiter/schema.h"
#include "src/ast/schema.h"

namespace arbiter::internal {

// Where a declaration came from: a byte offset into `.cedarschema` text, or
// a JSON Pointer (RFC 6901) into a JSON schema, e.g.
// "/NS/entityTypes/User/shape". Exactly one is set.
struct SrcLoc {
  static constexpr uint32_t kNoOffset = std::numeric_limits<uint32_t>::max();
  uint32_t offset = kNoOffset;
  std::string path;

  static SrcLoc At(uint32_t offset) { return SrcLoc{offset, {}}; }
  static SrcLoc Path(std::string path) {
    return SrcLoc{kNoOffset, std::move(path)};
  }
};

// One error, located; schema.cc renders it with file, line and column.
struct SchemaError {
  SrcLoc loc;
  std::string message;
};

// `@key("value")`, or `@key` (no value). JSON has no value-less form; it
// writes "" there.
struct SchemaAnnotation {
  std::string key;
  std::optional<std::string> value;
};
using SchemaAnnotations = std::vector<SchemaAnnotation>;

// A name as written, with where it was written.
struct NameRef {
  std::string name;
  SrcLoc loc;
};

struct AttrDecl;

// A type expression as written.
struct TypeExpr {
  enum class Kind : uint8_t {
    kName,    // `User`, `Long`, `NS::T`: an entity or common type (JSON
              // "EntityOrCommon"); the resolver picks which
    kSet,     // `Set<T>`
    kRecord,  // `{ a: T, b?: U }`
    // JSON only:
    kBool,       // "Boolean"
    kLong,       // "Long"
    kString,     // "String"
    kEntity,     // "Entity" with "name": an entity type only
    kExtension,  // "Extension" with "name": `ipaddr`, `decimal`, ...
    kCommonRef,  // {"type": "T"} (and `context: T` in text): a common type only
  };
  Kind kind = Kind::kName;
  std::string name;                   // kName, kEntity, kExtension, kCommonRef
  std::unique_ptr<TypeExpr> element;  // kSet
  std::vector<AttrDecl> attrs;        // kRecord, in source order, unique names
  SrcLoc loc;
};

struct AttrDecl {
  std::string name;
  bool required = true;
  TypeExpr type;
  SchemaAnnotations annotations;
  SrcLoc loc;
};

// `type T = …;` / "commonTypes": {"T": …}
struct CommonTypeDecl {
  NameRef name;
  TypeExpr type;
  SchemaAnnotations annotations;
};

// `entity A, B in [P] = { … } tags T;` / `entity E enum ["a"];` /
// "entityTypes": {"A": …} (JSON declares one name per entry).
struct EntityDecl {
  std::vector<NameRef> names;
  std::vector<NameRef> member_of;
  std::optional<TypeExpr> shape;  // absent: no attributes
  std::optional<TypeExpr> tags;   // absent: no tags
  std::optional<std::vector<std::string>> enum_ids;
  SchemaAnnotations annotations;
};

// An action group reference: `"g"` / `g` (type omitted: `Action` in the
// current namespace, else the empty one) or `NS::Action::"g"`.
struct ActionRef {
  std::optional<std::string> type;  // as written, e.g. "Action", "NS::Action"
  std::string id;
  SrcLoc loc;
};

struct AppliesTo {
  std::vector<NameRef> principals;
  std::vector<NameRef> resources;
  std::optional<TypeExpr> context;  // absent: the empty record
};

// `action "a", b in [g] appliesTo { … };` / "actions": {"a": …}
struct ActionDecl {
  std::vector<NameRef> names;
  std::optional<std::vector<ActionRef>> member_of;  // absent: no `in`
  std::optional<AppliesTo> applies_to;  // absent: applies to no request
  SchemaAnnotations annotations;
};

using SchemaDecl = std::variant<CommonTypeDecl, EntityDecl, ActionDecl>;

// A `namespace N { … }` block, or a run of declarations outside any
// namespace (name empty). Text may have several runs of the empty
// namespace; they form one namespace.
struct NamespaceBlock {
  std::string name;  // "" for the empty namespace
  SrcLoc loc;        // of the name
  SchemaAnnotations annotations;
  std::vector<SchemaDecl> decls;
};

struct SchemaSource {
  std::vector<NamespaceBlock> namespaces;  // in source order
};

// --- Stages -----------------------------------------------------------------
//
// Each stage appends to `errors` (at most options.max_errors in all) and
// returns false when it found any.

// `.cedarschema` text. Enforces options.max_source_bytes and
// max_nesting_depth (of Set / record types).
bool ParseCedarSchema(std::string_view text, const SchemaParseOptions& options,
                      SchemaSource* out, std::vector<SchemaError>* errors);

// Cedar's JSON schema format. Errors are located by JSON Pointer; syntax
// errors by byte offset.
bool ParseJsonSchema(std::string_view json, const SchemaParseOptions& options,
                     SchemaSource* out, std::vector<SchemaError>* errors);

// Name resolution, common-type inlining, declaration checks and the
// ancestor closures.
bool ResolveSchema(const SchemaSource& source,
                   const SchemaParseOptions& options, SchemaModel* out,
                   std::vector<SchemaError>* errors);

// The byte offset of the value at JSON Pointer `path` in `json` (text that
// parsed), or SrcLoc::kNoOffset when it cannot be found.
uint32_t LocateJsonPointer(std::string_view json, std::string_view path);

// Printing. Declarations keep their source order.
std::string PrintCedarSchema(const SchemaSource& source);
std::string PrintJsonSchema(const SchemaSource& source);

// A canonical, human-readable dump of a resolved model (names sorted), so
// two models can be compared as strings (tests, round trips).
std::string DumpSchemaModel(const SchemaModel& model);

// Debian's Abseil has its own string_view type, which absl::StrCat wants.
inline absl::string_view Av(std::string_view s) { return {s.data(), s.size()}; }

// --- Names ------------------------------------------------------------------

// `[_a-zA-Z][_a-zA-Z0-9]*`
bool IsSchemaIdent(std::string_view s);
// Cedar's reserved words, never identifiers: `true`, `false`, `if`, `then`,
// `else`, `in`, `is`, `like`, `has`.
bool IsReservedWord(std::string_view s);
// `Ident ('::' Ident)*` with no reserved words.
bool IsSchemaPath(std::string_view s);
// Appends a JSON Pointer token for `key` (escaping `~` and `/`).
void AppendPointerToken(std::string_view key, std::string* path);

}  // namespace arbiter::internal

#endif  // ARBITER_PARSE_SCHEMA_SOURCE_H_
