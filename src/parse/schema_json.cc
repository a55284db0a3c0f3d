// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Cedar's JSON schema format to a SchemaSource.
//
//   {"NS": {"commonTypes": {...}, "entityTypes": {...}, "actions": {...},
//           "annotations": {...}}, "": {...}}
//
// The text is read by nlohmann's SAX parser into an ordered tree (so
// declarations keep their order), rejecting duplicate keys as Cedar does and
// capping nesting as it goes. The tree is then read strictly: unknown fields
// are errors, as in Cedar. Every error names its place by JSON Pointer
// ("/NS/entityTypes/User/shape"); schema.cc turns that into line and column
// with LocateJsonPointer. Nothing here throws.

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "src/common/utf8.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/parse/schema_source.h"

namespace arbiter::internal {
namespace {

using Json = nlohmann::ordered_json;

// nlohmann's message without its "[json.exception…] parse error at line L,
// column C: " prefix (the location is reported separately), with `quotes`.
std::string DescribeSyntaxError(const std::exception& e) {
  std::string msg = e.what();
  if (!msg.empty() && msg[0] == '[') {
    size_t close = msg.find("] ");
    if (close != std::string::npos) msg = msg.substr(close + 2);
  }
  if (msg.rfind("parse error", 0) == 0) {
    size_t colon = msg.find(": ");
    if (colon != std::string::npos) msg = msg.substr(colon + 2);
  }
  std::replace(msg.begin(), msg.end(), '\'', '`');
  while (!msg.empty() && msg.back() == '.') msg.pop_back();
  return absl::StrCat("invalid JSON: ", msg);
}

// Builds an ordered_json tree from SAX events.
class DomBuilder {
 public:
  explicit DomBuilder(size_t max_depth) : max_depth_(max_depth) {}

  Json& root() { return root_; }
  bool failed() const { return failed_; }
  SchemaError& error() { return error_; }

  bool null() { return Add(Json(nullptr)); }
  bool boolean(bool v) { return Add(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return Add(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return Add(Json(v)); }
  bool number_float(Json::number_float_t v, const Json::string_t&) {
    return Add(Json(v));
  }
  bool string(Json::string_t& v) { return Add(Json(std::move(v))); }
  bool binary(Json::binary_t&) { return Fail("binary values are not JSON"); }
  bool start_object(std::size_t) { return Open(Json::object()); }
  bool start_array(std::size_t) { return Open(Json::array()); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool key(Json::string_t& k) {
    if (!keys_.back().insert(k).second) {
      return Fail(absl::StrCat("duplicate key `", k, "`"), &k);
    }
    pending_key_ = std::move(k);
    return true;
  }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) {
    failed_ = true;
    error_ = SchemaError{
        SrcLoc::At(static_cast<uint32_t>(position > 0 ? position - 1 : 0)),
        DescribeSyntaxError(ex)};
    return false;
  }

 private:
  std::string PathHere(const std::string* extra) const {
    std::string path;
    for (const std::string& t : tokens_) AppendPointerToken(t, &path);
    if (extra != nullptr) AppendPointerToken(*extra, &path);
    return path;
  }
  bool Fail(std::string message, const std::string* extra = nullptr) {
    failed_ = true;
    error_ = SchemaError{SrcLoc::Path(PathHere(extra)), std::move(message)};
    return false;
  }
  // Where the next value goes, and its pointer token.
  Json* Place(std::string* token) {
    if (stack_.empty()) return &root_;
    Json& top = *stack_.back();
    if (top.is_array()) {
      *token = std::to_string(top.size());
      top.push_back(nullptr);
      return &top.back();
    }
    *token = pending_key_;
    // key() has rejected duplicates, so append without ordered_map's linear
    // search for an existing key.
    using Members = std::vector<std::pair<const std::string, Json>>;
    auto& members = static_cast<Members&>(top.get_ref<Json::object_t&>());
    members.emplace_back(pending_key_, nullptr);
    return &members.back().second;
  }
  bool Add(Json v) {
    std::string token;
    *Place(&token) = std::move(v);
    return true;
  }
  bool Open(Json v) {
    if (stack_.size() >= max_depth_) {
      return Fail(absl::StrFormat("JSON nesting exceeds the limit of %d levels",
                                  max_depth_));
    }
    std::string token;
    Json* slot = Place(&token);
    *slot = std::move(v);
    if (!stack_.empty()) tokens_.push_back(std::move(token));
    stack_.push_back(slot);
    keys_.emplace_back();
    return true;
  }
  bool Close() {
    stack_.pop_back();
    keys_.pop_back();
    if (!stack_.empty()) tokens_.pop_back();  // INVARIANT: one per inner level
    return true;
  }

  size_t max_depth_;
  Json root_;
  std::vector<Json*> stack_;
  std::vector<std::string> tokens_;  // tokens_[i] leads to stack_[i + 1]
  std::vector<absl::flat_hash_set<std::string>> keys_;
  std::string pending_key_;
  bool failed_ = false;
  SchemaError error_;
};

std::string Child(const std::string& path, std::string_view key) {
  std::string out = path;
  AppendPointerToken(key, &out);
  return out;
}

std::string Child(const std::string& path, size_t index) {
  return absl::StrCat(path, "/", index);
}

// What surrounds a type object, which decides its extra fields.
enum class TypeSite {
  kPlain,      // shape, context, tags, set element
  kAttribute,  // a record attribute: also "required", "annotations"
  kCommon,     // a common type definition: also "annotations"
};

class JsonSchemaReader {
 public:
  JsonSchemaReader(const SchemaParseOptions& options,
                   std::vector<SchemaError>* errors)
      : options_(options), errors_(errors) {}

  void ReadSchema(const Json& root, SchemaSource* out) {
    if (!root.is_object()) {
      Error("",
            "a JSON schema must be an object mapping namespace names to "
            "namespace definitions");
      return;
    }
    for (const auto& [name, value] : root.items()) {
      std::string path = Child("", name);
      NamespaceBlock block;
      block.name = name;
      block.loc = SrcLoc::Path(path);
      if (!name.empty() && !IsSchemaPath(name)) {
        Error(path, absl::StrCat("invalid namespace name `", name, "`"));
        continue;
      }
      ReadNamespace(value, path, &block);
      out->namespaces.push_back(std::move(block));
    }
  }

 private:
  void Error(const std::string& path, std::string message) {
    if (errors_->size() >= options_.max_errors) return;
    errors_->push_back(SchemaError{SrcLoc::Path(path), std::move(message)});
  }

  bool ExpectObject(const Json& j, const std::string& path,
                    std::string_view what) {
    if (j.is_object()) return true;
    Error(path, absl::StrCat("expected ", Av(what), " (a JSON object), found ",
                             Kind(j)));
    return false;
  }
  bool ExpectArray(const Json& j, const std::string& path,
                   std::string_view what) {
    if (j.is_array()) return true;
    Error(path, absl::StrCat("expected ", Av(what), " (a JSON array), found ",
                             Kind(j)));
    return false;
  }
  bool ExpectString(const Json& j, const std::string& path,
                    std::string_view what) {
    if (j.is_string()) return true;
    Error(path, absl::StrCat("expected ", Av(what), " (a JSON string), found ",
                             Kind(j)));
    return false;
  }
  static bool IsEmptyArray(const Json& j) { return j.is_array() && j.empty(); }
  static std::string Kind(const Json& j) {
    switch (j.type()) {
      case Json::value_t::null:
        return "null";
      case Json::value_t::boolean:
        return "a boolean";
      case Json::value_t::string:
        return "a string";
      case Json::value_t::array:
        return "an array";
      case Json::value_t::object:
        return "an object";
      default:
        return "a number";
    }
  }
  void UnknownField(const std::string& path, std::string_view key,
                    std::string_view expected) {
    Error(Child(path, key), absl::StrCat("unknown field `", Av(key),
                                         "`, expected ", Av(expected)));
  }

  void ReadAnnotations(const Json& j, const std::string& path,
                       SchemaAnnotations* out) {
    if (!ExpectObject(j, path, "annotations")) return;
    for (const auto& [key, value] : j.items()) {
      std::string p = Child(path, key);
      if (!IsSchemaIdent(key)) {
        Error(p, absl::StrCat("invalid annotation name `", key, "`"));
        continue;
      }
      if (value.is_null()) {  // as Cedar: an annotation without a value
        out->push_back(SchemaAnnotation{key, std::nullopt});
        continue;
      }
      if (!ExpectString(value, p, "an annotation value")) continue;
      out->push_back(SchemaAnnotation{key, value.get<std::string>()});
    }
  }

  void ReadNamespace(const Json& j, const std::string& path,
                     NamespaceBlock* block) {
    if (!ExpectObject(j, path, "a namespace definition")) return;
    bool has_entities = false, has_actions = false;
    for (const auto& [key, value] : j.items()) {
      std::string p = Child(path, key);
      if (key == "commonTypes") {
        ReadCommonTypes(value, p, block);
      } else if (key == "entityTypes") {
        has_entities = true;
        ReadEntityTypes(value, p, block);
      } else if (key == "actions") {
        has_actions = true;
        ReadActions(value, p, block);
      } else if (key == "annotations") {
        if (block->name.empty() && !(value.is_object() && value.empty())) {
          Error(p, "annotations are not allowed on the empty namespace");
          continue;
        }
        ReadAnnotations(value, p, &block->annotations);
      } else {
        UnknownField(
            path, key,
            "`commonTypes`, `entityTypes`, `actions` or `annotations`");
      }
    }
    if (!has_entities) Error(path, "missing field `entityTypes`");
    if (!has_actions) Error(path, "missing field `actions`");
  }

  void ReadCommonTypes(const Json& j, const std::string& path,
                       NamespaceBlock* block) {
    if (!ExpectObject(j, path, "common type definitions")) return;
    for (const auto& [name, value] : j.items()) {
      std::string p = Child(path, name);
      if (!IsSchemaIdent(name) || IsReservedWord(name)) {
        Error(p, absl::StrCat("invalid common type name `", name, "`"));
        continue;
      }
      CommonTypeDecl d;
      d.name = NameRef{name, SrcLoc::Path(p)};
      bool required = true;
      ReadType(value, p, TypeSite::kCommon, &d.type, &d.annotations, &required);
      block->decls.push_back(std::move(d));
    }
  }

  void ReadNames(const Json& j, const std::string& path, std::string_view what,
                 std::vector<NameRef>* out) {
    if (!ExpectArray(j, path, absl::StrCat("a list of ", Av(what), " names")))
      return;
    for (size_t i = 0; i < j.size(); ++i) {
      std::string p = Child(path, i);
      if (!ExpectString(j[i], p, absl::StrCat("an ", Av(what), " name")))
        continue;
      const std::string& name = j[i].get_ref<const std::string&>();
      if (!IsSchemaPath(name)) {
        Error(p, absl::StrCat("invalid ", Av(what), " name `", name, "`"));
        continue;
      }
      out->push_back(NameRef{name, SrcLoc::Path(p)});
    }
  }

  void ReadEntityTypes(const Json& j, const std::string& path,
                       NamespaceBlock* block) {
    if (!ExpectObject(j, path, "entity type definitions")) return;
    for (const auto& [name, value] : j.items()) {
      std::string p = Child(path, name);
      if (!IsSchemaIdent(name) || IsReservedWord(name)) {
        Error(p, absl::StrCat("invalid entity type name `", name, "`"));
        continue;
      }
      EntityDecl d;
      if (IsEmptyArray(value)) {  // as in Cedar (serde): `[]` is `{}` here
        d.names.push_back(NameRef{name, SrcLoc::Path(p)});
        block->decls.push_back(std::move(d));
        continue;
      }
      if (!ExpectObject(value, p, "an entity type definition")) continue;
      d.names.push_back(NameRef{name, SrcLoc::Path(p)});
      std::vector<std::string> standard_fields;
      for (const auto& [key, field] : value.items()) {
        std::string fp = Child(p, key);
        if (key == "memberOfTypes") {
          standard_fields.push_back(key);
          ReadNames(field, fp, "entity type", &d.member_of);
        } else if (key == "shape") {
          standard_fields.push_back(key);
          d.shape.emplace();
          ReadType(field, fp, TypeSite::kPlain, &*d.shape, nullptr, nullptr);
        } else if (key == "tags") {
          standard_fields.push_back(key);
          d.tags.emplace();
          ReadType(field, fp, TypeSite::kPlain, &*d.tags, nullptr, nullptr);
        } else if (key == "enum") {
          if (!ExpectArray(field, fp, "a list of entity ids")) continue;
          if (field.empty()) {
            Error(fp, "`enum` must list at least one entity id");
            continue;
          }
          d.enum_ids.emplace();
          for (size_t i = 0; i < field.size(); ++i) {
            if (ExpectString(field[i], Child(fp, i), "an entity id")) {
              d.enum_ids->push_back(field[i].get<std::string>());
            }
          }
        } else if (key == "annotations") {
          ReadAnnotations(field, fp, &d.annotations);
        } else {
          UnknownField(
              p, key,
              "`memberOfTypes`, `shape`, `tags`, `enum` or `annotations`");
        }
      }
      if (d.enum_ids) {
        for (const std::string& f : standard_fields) {
          Error(
              Child(p, f),
              absl::StrCat("an enumerated entity type cannot have `", f, "`"));
        }
      }
      block->decls.push_back(std::move(d));
    }
  }

  void ReadActions(const Json& j, const std::string& path,
                   NamespaceBlock* block) {
    if (!ExpectObject(j, path, "action definitions")) return;
    for (const auto& [name, value] : j.items()) {
      std::string p = Child(path, name);
      ActionDecl d;
      d.names.push_back(NameRef{name, SrcLoc::Path(p)});
      if (IsEmptyArray(value)) {  // as in Cedar (serde): `[]` is `{}` here
        block->decls.push_back(std::move(d));
        continue;
      }
      if (!ExpectObject(value, p, "an action definition")) continue;
      for (const auto& [key, field] : value.items()) {
        std::string fp = Child(p, key);
        if (field.is_null() &&
            (key == "memberOf" || key == "appliesTo" || key == "attributes")) {
          continue;  // as in Cedar: null is an absent optional field here
        }
        if (key == "memberOf") {
          d.member_of.emplace();
          ReadActionRefs(field, fp, &*d.member_of);
        } else if (key == "appliesTo") {
          d.applies_to.emplace();
          ReadAppliesTo(field, fp, &*d.applies_to);
        } else if (key == "annotations") {
          ReadAnnotations(field, fp, &d.annotations);
        } else if (key == "attributes") {
          Error(fp, "action attributes are not supported");
        } else {
          UnknownField(p, key, "`memberOf`, `appliesTo` or `annotations`");
        }
      }
      block->decls.push_back(std::move(d));
    }
  }

  void ReadActionRefs(const Json& j, const std::string& path,
                      std::vector<ActionRef>* out) {
    if (!ExpectArray(j, path, "a list of action groups")) return;
    for (size_t i = 0; i < j.size(); ++i) {
      std::string p = Child(path, i);
      if (!ExpectObject(j[i], p, "an action reference `{\"id\": …}`")) continue;
      ActionRef ref;
      ref.loc = SrcLoc::Path(p);
      bool has_id = false, ok = true;
      for (const auto& [key, field] : j[i].items()) {
        std::string fp = Child(p, key);
        if (key == "id") {
          if (!ExpectString(field, fp, "an action id")) {
            ok = false;
            continue;
          }
          has_id = true;
          ref.id = field.get<std::string>();
        } else if (key == "type") {
          if (!ExpectString(field, fp, "an action type")) {
            ok = false;
            continue;
          }
          const std::string& type = field.get_ref<const std::string&>();
          if (!IsSchemaPath(type)) {
            Error(fp, absl::StrCat("invalid action type `", type, "`"));
            ok = false;
            continue;
          }
          ref.type = type;
        } else {
          UnknownField(p, key, "`id` or `type`");
          ok = false;
        }
      }
      if (!has_id && ok) Error(p, "missing field `id`");
      if (has_id && ok) out->push_back(std::move(ref));
    }
  }

  void ReadAppliesTo(const Json& j, const std::string& path, AppliesTo* out) {
    if (!ExpectObject(j, path, "`appliesTo`")) return;
    bool has_principals = false, has_resources = false;
    for (const auto& [key, field] : j.items()) {
      std::string fp = Child(path, key);
      if (key == "principalTypes") {
        has_principals = true;
        ReadNames(field, fp, "entity type", &out->principals);
      } else if (key == "resourceTypes") {
        has_resources = true;
        ReadNames(field, fp, "entity type", &out->resources);
      } else if (key == "context") {
        out->context.emplace();
        ReadType(field, fp, TypeSite::kPlain, &*out->context, nullptr, nullptr);
      } else {
        UnknownField(path, key,
                     "`principalTypes`, `resourceTypes` or `context`");
      }
    }
    if (!has_principals) Error(path, "missing field `principalTypes`");
    if (!has_resources) Error(path, "missing field `resourceTypes`");
  }

  // A type object; `annotations` and `required` are filled for the sites
  // that allow them.
  void ReadType(const Json& j, const std::string& path, TypeSite site,
                TypeExpr* out, SchemaAnnotations* annotations, bool* required) {
    out->loc = SrcLoc::Path(path);
    if (!ExpectObject(j, path, "a type")) return;
    auto type_it = j.find("type");
    if (type_it == j.end()) {
      Error(path, "missing field `type`");
      return;
    }
    if (!ExpectString(*type_it, Child(path, "type"), "a type name")) return;
    const std::string& type = type_it->get_ref<const std::string&>();

    using K = TypeExpr::Kind;
    std::vector<std::string_view> fields;
    if (type == "String") {
      out->kind = K::kString;
    } else if (type == "Long") {
      out->kind = K::kLong;
    } else if (type == "Boolean") {
      out->kind = K::kBool;
    } else if (type == "Set") {
      out->kind = K::kSet;
      fields = {"element"};
    } else if (type == "Record") {
      out->kind = K::kRecord;
      fields = {"attributes", "additionalAttributes"};
    } else if (type == "Entity" || type == "EntityOrCommon" ||
               type == "Extension") {
      out->kind = type == "Entity"           ? K::kEntity
                  : type == "EntityOrCommon" ? K::kName
                                             : K::kExtension;
      fields = {"name"};
    } else if (IsSchemaPath(type)) {
      out->kind = K::kCommonRef;
      out->name = type;
    } else {
      Error(Child(path, "type"),
            absl::StrCat(
                "invalid type `", type,
                "`: expected `String`, `Long`, "
                "`Boolean`, `Set`, `Record`, `Entity`, `EntityOrCommon`, "
                "`Extension` or a common type name"));
      return;
    }
    if ((out->kind == K::kSet || out->kind == K::kRecord) &&
        depth_ >= options_.max_nesting_depth) {
      Error(path, absl::StrFormat("type nesting exceeds the limit of %d levels",
                                  options_.max_nesting_depth));
      return;
    }
    bool has_element = false, has_attributes = false, has_name = false;
    for (const auto& [key, field] : j.items()) {
      std::string fp = Child(path, key);
      if (key == "type") continue;
      bool is_variant_field =
          std::find(fields.begin(), fields.end(), key) != fields.end();
      if (is_variant_field && key == "element") {
        has_element = true;
        out->element = std::make_unique<TypeExpr>();
        ++depth_;
        ReadType(field, fp, TypeSite::kPlain, out->element.get(), nullptr,
                 nullptr);
        --depth_;
      } else if (is_variant_field && key == "attributes") {
        has_attributes = true;
        ++depth_;
        ReadAttributes(field, fp, out);
        --depth_;
      } else if (is_variant_field && key == "additionalAttributes") {
        if (!field.is_boolean()) {
          Error(fp, absl::StrCat("expected a boolean, found ", Kind(field)));
        } else if (field.get<bool>()) {
          Error(fp, "`\"additionalAttributes\": true` is not supported");
        }
      } else if (is_variant_field && key == "name") {
        if (!ExpectString(field, fp, "a type name")) continue;
        has_name = true;
        out->name = field.get<std::string>();
        bool valid = out->kind == K::kExtension ? IsSchemaIdent(out->name)
                                                : IsSchemaPath(out->name);
        if (!valid) {
          Error(fp, absl::StrCat(
                        "invalid ",
                        out->kind == K::kExtension ? "extension" : "entity",
                        " type name `", out->name, "`"));
        }
      } else if (key == "required" && site == TypeSite::kAttribute) {
        if (!field.is_boolean()) {
          Error(fp, absl::StrCat("expected a boolean, found ", Kind(field)));
        } else {
          *required = field.get<bool>();
        }
      } else if (key == "annotations" && site != TypeSite::kPlain) {
        ReadAnnotations(field, fp, annotations);
      } else {
        Error(fp, absl::StrCat("unknown field `", key, "` for a type of kind `",
                               type, "`"));
      }
    }
    if (out->kind == K::kSet && !has_element)
      Error(path, "missing field `element`");
    if (out->kind == K::kRecord && !has_attributes) {
      Error(path, "missing field `attributes`");
    }
    if ((out->kind == K::kEntity || out->kind == K::kName ||
         out->kind == K::kExtension) &&
        !has_name) {
      Error(path, "missing field `name`");
    }
  }

  void ReadAttributes(const Json& j, const std::string& path, TypeExpr* out) {
    if (!ExpectObject(j, path, "record attributes")) return;
    for (const auto& [name, value] : j.items()) {
      std::string p = Child(path, name);
      AttrDecl attr;
      attr.name = name;
      attr.loc = SrcLoc::Path(p);
      ReadType(value, p, TypeSite::kAttribute, &attr.type, &attr.annotations,
               &attr.required);
      out->attrs.push_back(std::move(attr));
    }
  }

  const SchemaParseOptions& options_;
  std::vector<SchemaError>* errors_;
  size_t depth_ = 0;
};

// --- JSON Pointer to byte offset
// ----------------------------------------------

class PointerLocator {
 public:
  explicit PointerLocator(std::string_view text) : s_(text) {}

  uint32_t Locate(std::string_view pointer) {
    SkipWs();
    size_t start = 0;
    if (!pointer.empty() && pointer[0] != '/') return SrcLoc::kNoOffset;
    while (start < pointer.size()) {
      size_t end = pointer.find('/', start + 1);
      if (end == std::string_view::npos) end = pointer.size();
      std::string token;
      for (size_t i = start + 1; i < end; ++i) {
        if (pointer[i] == '~' && i + 1 < end) {
          token.push_back(pointer[i + 1] == '1' ? '/' : '~');
          ++i;
        } else {
          token.push_back(pointer[i]);
        }
      }
      if (!Descend(token)) return SrcLoc::kNoOffset;
      start = end;
    }
    return static_cast<uint32_t>(i_);
  }

 private:
  void SkipWs() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' ||
                              s_[i_] == '\n' || s_[i_] == '\r')) {
      ++i_;
    }
  }
  // Reads a string at s_[i_] == '"', decoding escapes.
  bool ReadString(std::string* out) {
    ++i_;
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] != '\\') {
        out->push_back(s_[i_++]);
        continue;
      }
      if (++i_ >= s_.size()) return false;
      char c = s_[i_++];
      switch (c) {
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && i_ + 1 < s_.size() &&
              s_[i_] == '\\' && s_[i_ + 1] == 'u') {
            i_ += 2;
            uint32_t low = 0;
            if (!Hex4(&low)) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          out->push_back(c);
          break;
      }
    }
    if (i_ >= s_.size()) return false;
    ++i_;
    return true;
  }
  bool Hex4(uint32_t* cp) {
    if (i_ + 4 > s_.size()) return false;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_++];
      int v = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (v < 0) return false;
      *cp = *cp * 16 + static_cast<uint32_t>(v);
    }
    return true;
  }
  // Skips one value (iteratively for nested ones).
  bool SkipValue() {
    SkipWs();
    if (i_ >= s_.size()) return false;
    if (s_[i_] == '"') {
      std::string ignored;
      return ReadString(&ignored);
    }
    if (s_[i_] != '{' && s_[i_] != '[') {
      while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' &&
             s_[i_] != ']' && s_[i_] != ' ' && s_[i_] != '\n' &&
             s_[i_] != '\t' && s_[i_] != '\r') {
        ++i_;
      }
      return true;
    }
    int depth = 0;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '"') {
        std::string ignored;
        if (!ReadString(&ignored)) return false;
        continue;
      }
      ++i_;
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return true;
    }
    return false;
  }
  // Moves i_ from the start of a container to the start of its member
  // `token`.
  bool Descend(const std::string& token) {
    SkipWs();
    if (i_ >= s_.size()) return false;
    if (s_[i_] == '{') {
      // The last member of that name: the one a duplicate-key error means.
      size_t found = std::string_view::npos;
      ++i_;
      while (true) {
        SkipWs();
        if (i_ >= s_.size() || s_[i_] != '"') break;
        std::string key;
        if (!ReadString(&key)) break;
        SkipWs();
        if (i_ >= s_.size() || s_[i_] != ':') break;
        ++i_;
        SkipWs();
        if (key == token) found = i_;
        if (!SkipValue()) break;
        SkipWs();
        if (i_ >= s_.size() || s_[i_] != ',') break;
        ++i_;
      }
      if (found == std::string_view::npos) return false;
      i_ = found;
      return true;
    }
    if (s_[i_] == '[') {
      size_t index = 0;
      for (char c : token) {
        if (c < '0' || c > '9') return false;
        index = index * 10 + static_cast<size_t>(c - '0');
      }
      ++i_;
      for (size_t k = 0;; ++k) {
        SkipWs();
        if (k == index) return i_ < s_.size() && s_[i_] != ']';
        if (!SkipValue()) return false;
        SkipWs();
        if (i_ >= s_.size() || s_[i_] != ',') return false;
        ++i_;
      }
    }
    return false;
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

uint32_t LocateJsonPointer(std::string_view json, std::string_view path) {
  if (json.size() >= SrcLoc::kNoOffset) return SrcLoc::kNoOffset;
  return PointerLocator(json).Locate(path);
}

bool ParseJsonSchema(std::string_view json, const SchemaParseOptions& options,
                     SchemaSource* out, std::vector<SchemaError>* errors) {
  if (json.size() > options.max_source_bytes || json.size() >= UINT32_MAX) {
    errors->push_back(SchemaError{
        SrcLoc::At(0),
        absl::StrFormat("schema JSON is %d bytes, over the limit of %d",
                        json.size(), options.max_source_bytes)});
    return false;
  }
  // A record level is two JSON levels ({"type": "Record", "attributes":
  // {"a": …}}); the namespace structure adds a few more.
  DomBuilder builder(2 * options.max_nesting_depth + 8);
  try {
    Json::sax_parse(json.begin(), json.end(), &builder);
  } catch (const std::exception& e) {
    errors->push_back(SchemaError{SrcLoc::At(0), DescribeSyntaxError(e)});
    return false;
  }
  if (builder.failed()) {
    errors->push_back(std::move(builder.error()));
    return false;
  }
  const size_t errors_before = errors->size();
  JsonSchemaReader reader(options, errors);
  reader.ReadSchema(builder.root(), out);
  return errors->size() == errors_before;
}

}  // namespace arbiter::internal
