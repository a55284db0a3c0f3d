// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Schema-directed JSON: entities and contexts read by the types a schema
// declares (see typed_json.h for the two steps, reading and conformance).
//
// Entities follow Cedar's rules for parsing with a schema:
//   - the entity's type is declared, and its id is valid when the type is
//     enumerated;
//   - attributes: each declared (records are closed), every required one
//     present, each conforming to its declared type;
//   - parents: each of a type the entity's type may be a member of
//     (directly or transitively), with a valid id when enumerated;
//   - tags: only when the type declares tags, each of the tag type.
// Action entities come from the schema. An action may also appear in the
// JSON, but then it must be declared and agree with its declaration: no
// attributes or tags, and the same ancestors (its parents closed over the
// JSON's actions must be the schema's transitive groups). The store then
// holds the schema's copy.

#include "src/entities/typed_json.h"

#include <algorithm>
#include <cstddef>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "arbiter/schema.h"
#include "src/eval/ext/extensions.h"

namespace arbiter::internal {
namespace {

using Json = nlohmann::json;
using Kind = SchemaType::Kind;

absl::string_view Str(Symbol s) { return ToAbsl(s.str()); }

// Converts JSON guided by a type, with an explicit stack of the sets and
// records whose types are known; anything else is handed to JsonToValue.
// Each leaf is checked against its type where it is read, so errors name
// the JSON's own path (set elements by their index in the array), and each
// record is checked for missing attributes when it closes.
class TypedConverter {
 public:
  TypedConverter(const SchemaModel& model, const JsonOptions& options,
                 const Where& where)
      : model_(model), options_(options), where_(where) {}

  absl::StatusOr<Value> Run(const Json& root, const SchemaType& type) {
    absl::StatusOr<std::optional<Value>> first = Visit(root, type);
    if (!first.ok()) return first.status();
    if (first->has_value()) return std::move(**first);
    while (!stack_.empty()) {
      const Json* child = nullptr;
      const SchemaType* child_type = nullptr;
      if (absl::Status s = NextChild(stack_.back(), &child, &child_type);
          !s.ok()) {
        return s;
      }
      if (child != nullptr) {
        absl::StatusOr<std::optional<Value>> v = Visit(*child, *child_type);
        if (!v.ok()) return v.status();
        if (v->has_value()) Add(std::move(**v));
        continue;
      }
      absl::StatusOr<Value> done = Close(stack_.back());
      if (!done.ok()) return done.status();
      stack_.pop_back();
      if (stack_.empty()) return std::move(*done);
      Add(std::move(*done));
    }
    return absl::InternalError("typed conversion ended without a value");
  }

 private:
  struct Frame {
    const Json* node = nullptr;        // the array or object being read
    const SchemaType* type = nullptr;  // its type: a set or a record
    size_t next = 0;                   // sets: the next element
    Json::const_iterator it;           // records: the next member
    Symbol key;                        // records: the member being read
    std::vector<Value> elems;
    RecordFields fields;
  };

  // Sets *child to the next member of `f` to convert (nullptr when `f` is
  // complete) and *type to its declared type. An undeclared record
  // attribute is an error here, before its value is read (as in Cedar).
  absl::Status NextChild(Frame& f, const Json** child,
                         const SchemaType** type) {
    if (f.type->kind == Kind::kSet) {
      if (f.next >= f.node->size()) return absl::OkStatus();
      *type = f.type->element.get();
      *child = &(*f.node)[f.next++];
      return absl::OkStatus();
    }
    if (f.it == f.node->cend()) return absl::OkStatus();
    const std::string& key = f.it.key();
    // Declared names are interned; an unknown name is not declared.
    bool found = false;
    Symbol name = Symbol::Find(key, &found);
    const RecordAttr* attr = found ? f.type->FindAttr(name) : nullptr;
    if (attr == nullptr || attr->type == nullptr) {
      // The record's own path (the top frame is the record), then the key.
      std::vector<PathElem> path = PathTo(stack_.size() - 1);
      path.push_back(PathElem{false, 0, key});
      return Error(DottedPath(path, 0),
                   absl::StrCat("not declared in the record type `",
                                SchemaTypeName(*f.type), "`"));
    }
    f.key = name;
    *type = attr->type.get();
    *child = &(f.it++).value();
    return absl::OkStatus();
  }

  absl::StatusOr<Value> Close(Frame& f) {
    if (f.type->kind == Kind::kSet) return Value::Set(std::move(f.elems));
    Value record = Value::Record(std::move(f.fields));
    for (const auto& [name, attr] : f.type->attrs) {
      if (attr.required && record.FindField(name) == nullptr) {
        return Error(
            DottedPath(PathTo(stack_.size() - 1), 0),
            absl::StrCat("missing required attribute `", Str(name), "`"));
      }
    }
    return record;
  }

  void Add(Value v) {
    Frame& top = stack_.back();
    if (top.type->kind == Kind::kRecord) {
      top.fields.emplace_back(top.key, std::move(v));
    } else {
      top.elems.push_back(std::move(v));
    }
  }

  // The path to the value being read inside the first `frames` frames.
  std::vector<PathElem> PathTo(size_t frames) const {
    std::vector<PathElem> path;
    if (!where_.name.empty()) path.push_back(PathElem{false, 0, where_.name});
    for (size_t i = 0; i < frames; ++i) {
      const Frame& f = stack_[i];
      if (f.type->kind == Kind::kSet) {
        path.push_back(PathElem{true, f.next - 1, ""});
      } else {
        path.push_back(PathElem{false, 0, std::string(f.key.str())});
      }
    }
    return path;
  }

  std::string Here() const { return DottedPath(PathTo(stack_.size()), 0); }

  // `where_` narrowed to the value at `path`, for the readers that locate
  // their errors by role only (JsonToEntityUid).
  Where At(const std::string& path) const {
    if (path.empty()) return Where{where_.context, "", ""};
    return Where{
        where_.context,
        absl::StrCat(where_.role.empty() ? "at" : where_.role, " `", path, "`"),
        ""};
  }

  absl::Status Error(const std::string& path, absl::string_view detail) const {
    Where w = path.empty() ? Where{where_.context, "", ""} : where_;
    return absl::InvalidArgumentError(ComposeLocated(
        w, path, std::string_view(detail.data(), detail.size())));
  }

  absl::Status Push(const Json& node, const SchemaType& type) {
    if (stack_.size() + 1 > options_.max_depth) {
      return absl::ResourceExhaustedError(ComposeLocated(
          At(Here()), "",
          absl::StrCat("sets, records and extension calls nested deeper than ",
                       options_.max_depth,
                       " levels (JsonOptions::max_depth)")));
    }
    Frame f;
    f.node = &node;
    f.type = &type;
    if (type.kind == Kind::kRecord) {
      f.it = node.cbegin();
      f.fields.reserve(node.size());
    } else {
      f.elems.reserve(node.size());
    }
    stack_.push_back(std::move(f));
    return absl::OkStatus();
  }

  // Plain Cedar JSON, nested inside the open frames.
  absl::StatusOr<std::optional<Value>> Untyped(const Json& j) {
    std::string path = Here();
    Where where{where_.context, path.empty() ? "" : where_.role, path};
    absl::StatusOr<Value> v =
        JsonToValueNested(j, options_, where, stack_.size());
    if (!v.ok()) return v.status();
    return std::optional<Value>(std::move(*v));
  }

  // A string where an extension type is expected: its constructor's
  // argument, e.g. "10.0.0.1" for `ipaddr`.
  absl::StatusOr<std::optional<Value>> Literal(Kind kind,
                                               const std::string& s) {
    absl::Status error;
    std::optional<Value> value;
    const char* fn = "";
    switch (kind) {
      case Kind::kIpAddr: {
        fn = "ip";
        absl::StatusOr<IpAddr> v = ParseIpAddr(s);
        if (v.ok()) value = Value::Ip(*v);
        error = v.status();
        break;
      }
      case Kind::kDecimal: {
        fn = "decimal";
        absl::StatusOr<Decimal> v = ParseDecimal(s);
        if (v.ok()) value = Value::Dec(*v);
        error = v.status();
        break;
      }
      case Kind::kDatetime: {
        fn = "datetime";
        absl::StatusOr<Datetime> v = ParseDatetime(s);
        if (v.ok()) value = Value::Time(*v);
        error = v.status();
        break;
      }
      case Kind::kDuration: {
        fn = "duration";
        absl::StatusOr<Duration> v = ParseDuration(s);
        if (v.ok()) value = Value::Span(*v);
        error = v.status();
        break;
      }
      default:
        return absl::InternalError("not an extension type");
    }
    if (!error.ok()) {
      return Error(Here(),
                   absl::StrCat("calling `", fn, "`: ", error.message()));
    }
    return value;
  }

  // A set or record of the expected kind is pushed (nullopt); anything else
  // becomes a value, checked against `type`.
  absl::StatusOr<std::optional<Value>> Visit(const Json& j,
                                             const SchemaType& type) {
    absl::StatusOr<std::optional<Value>> v = Read(j, type);
    if (!v.ok() || !v->has_value()) return v;
    if (Conforms(**v, type, model_)) return v;
    // Locating the error costs allocations; only failures pay for it.
    std::string path = Here();
    Where where = path.empty() ? Where{where_.context, "", ""}
                               : Where{where_.context, where_.role, path};
    if (absl::Status s = CheckConforms(**v, type, model_, where); !s.ok()) {
      return s;
    }
    return v;
  }

  absl::StatusOr<std::optional<Value>> Read(const Json& j,
                                            const SchemaType& type) {
    switch (type.kind) {
      case Kind::kSet:
        if (!j.is_array() || type.element == nullptr) break;
        if (absl::Status s = Push(j, type); !s.ok()) return s;
        return std::nullopt;
      case Kind::kRecord:
        if (!j.is_object()) break;
        if (absl::Status s = Push(j, type); !s.ok()) return s;
        return std::nullopt;
      case Kind::kEntity: {
        // `{"type", "id"}`, with or without the `__entity` escape.
        absl::StatusOr<EntityUid> uid =
            JsonToEntityUid(j, /*allow_string=*/false, At(Here()));
        if (!uid.ok()) return uid.status();
        return std::optional<Value>(Value::Entity(*uid));
      }
      case Kind::kIpAddr:
      case Kind::kDecimal:
      case Kind::kDatetime:
      case Kind::kDuration:
        if (j.is_string()) {
          return Literal(type.kind, j.get_ref<const std::string&>());
        }
        // `{"fn": …, "arg": …}` is an `__extn` escape without the escape.
        if (j.is_object() && j.contains("fn") && !j.contains("__extn") &&
            !j.contains("__entity") && !j.contains("__expr")) {
          Json escaped = Json::object();
          escaped["__extn"] = j;
          return Untyped(escaped);
        }
        break;
      case Kind::kBool:
      case Kind::kLong:
      case Kind::kString:
        break;
    }
    return Untyped(j);
  }

  const SchemaModel& model_;
  const JsonOptions& options_;
  const Where& where_;
  std::vector<Frame> stack_;
};

std::string Label(size_t index, const EntityUid& uid) {
  return absl::StrCat("entity ", index, " (`", uid.ToString(), "`)");
}

// "; did you mean `NS::User`?" when declared types share the basename.
std::string Suggestion(Symbol type, const SchemaModel& model) {
  auto basename = [](std::string_view name) {
    size_t colons = name.rfind("::");
    return colons == std::string_view::npos ? name : name.substr(colons + 2);
  };
  std::vector<std::string_view> similar;
  for (Symbol declared : model.entity_type_order) {
    if (basename(declared.str()) == basename(type.str())) {
      similar.push_back(declared.str());
    }
  }
  if (similar.empty()) return "";
  std::string out = "; did you mean ";
  for (size_t i = 0; i < similar.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : " or ", "`", ToAbsl(similar[i]), "`");
  }
  out.append("?");
  return out;
}

absl::Status Invalid(const std::string& label, absl::string_view detail) {
  return absl::InvalidArgumentError(absl::StrCat(label, ": ", detail));
}

// The entity object's members; `attrs` and `parents` are required.
struct EntityJsonParts {
  const Json* attrs = nullptr;
  const Json* parents = nullptr;
  const Json* tags = nullptr;
};

absl::StatusOr<EntityJsonParts> SplitEntity(const Json& e,
                                            const std::string& label) {
  EntityJsonParts parts;
  for (auto it = e.begin(); it != e.end(); ++it) {
    const std::string& key = it.key();
    if (key == "attrs") {
      parts.attrs = &it.value();
    } else if (key == "parents") {
      parts.parents = &it.value();
    } else if (key == "tags") {
      parts.tags = &it.value();
    }
    // Other members are ignored, as Cedar ignores them (entities.cc).
  }
  if (parts.attrs == nullptr) return Invalid(label, "missing key `attrs`");
  if (parts.parents == nullptr) return Invalid(label, "missing key `parents`");
  if (!parts.attrs->is_object()) {
    return Invalid(label, absl::StrCat("`attrs` must be an object, found `",
                                       JsonSnippet(*parts.attrs), "`"));
  }
  if (!parts.parents->is_array()) {
    return Invalid(label, absl::StrCat("`parents` must be an array, found `",
                                       JsonSnippet(*parts.parents), "`"));
  }
  if (parts.tags != nullptr && !parts.tags->is_object()) {
    return Invalid(label, absl::StrCat("`tags` must be an object, found `",
                                       JsonSnippet(*parts.tags), "`"));
  }
  return parts;
}

std::string Mismatch(const EntityUid& action, absl::string_view why) {
  return absl::StrCat("definition of action `", action.ToString(),
                      "` does not match its schema declaration (", why,
                      "; leave it out of the entities to use the schema's "
                      "definition)");
}

// An action entity given in the JSON: declared, with action parents and no
// attributes or tags. Its ancestors are compared with the schema's once all
// entities are read (CheckJsonActions).
absl::Status ReadAction(const EntityJsonParts& parts, const SchemaModel& model,
                        const std::string& label, Entity* entity) {
  if (model.FindAction(entity->uid) == nullptr) {
    return Invalid(label,
                   absl::StrCat("found action entity `", entity->uid.ToString(),
                                "`, but it was not declared as an "
                                "action in the schema"));
  }
  if (!parts.attrs->empty()) {
    return Invalid(label, Mismatch(entity->uid, "actions have no attributes"));
  }
  if (parts.tags != nullptr && !parts.tags->empty()) {
    return Invalid(label, Mismatch(entity->uid, "actions have no tags"));
  }
  for (size_t i = 0; i < parts.parents->size(); ++i) {
    absl::StatusOr<EntityUid> parent =
        JsonToEntityUid((*parts.parents)[i], /*allow_string=*/false,
                        Where{label, absl::StrCat("parent ", i), ""});
    if (!parent.ok()) return parent.status();
    if (!IsActionType(parent->type.str())) {
      return Invalid(label, absl::StrCat("parent ", i,
                                         ": an action can only have actions "
                                         "as parents, found `",
                                         parent->ToString(), "`"));
    }
    entity->parents.push_back(*parent);
  }
  return absl::OkStatus();
}

absl::Status ReadAttrs(const Json& attrs, const EntityTypeInfo& info,
                       const SchemaModel& model, const JsonOptions& options,
                       const std::string& label, Entity* entity) {
  const std::string owner =
      absl::StrCat("for entity type `", Str(info.name), "`");
  for (auto it = attrs.begin(); it != attrs.end(); ++it) {
    bool found = false;
    Symbol name = Symbol::Find(it.key(), &found);
    const RecordAttr* attr = found ? info.shape->FindAttr(name) : nullptr;
    if (attr == nullptr || attr->type == nullptr) {
      return Invalid(label,
                     absl::StrCat("attribute `", it.key(),
                                  "`: not declared in the schema ", owner));
    }
    absl::StatusOr<Value> v =
        TypedJsonToValue(it.value(), *attr->type, model, options,
                         Where{label, "attribute", it.key()});
    if (!v.ok()) return v.status();
    entity->attrs.emplace_back(name, std::move(*v));
  }
  std::sort(entity->attrs.begin(), entity->attrs.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [name, attr] : info.shape->attrs) {
    if (!attr.required) continue;
    auto it = std::lower_bound(
        entity->attrs.begin(), entity->attrs.end(), name,
        [](const auto& field, Symbol key) { return field.first < key; });
    if (it == entity->attrs.end() || it->first != name) {
      return Invalid(
          label, absl::StrCat("missing required attribute `", Str(name), "`"));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadParents(const Json& parents, const EntityTypeInfo& info,
                         const SchemaModel& model, const std::string& label,
                         Entity* entity) {
  entity->parents.reserve(parents.size());
  for (size_t i = 0; i < parents.size(); ++i) {
    const std::string role = absl::StrCat("parent ", i);
    absl::StatusOr<EntityUid> parent = JsonToEntityUid(
        parents[i], /*allow_string=*/false, Where{label, role, ""});
    if (!parent.ok()) return parent.status();
    // `ancestors` is closed, as Cedar's allowed parent types are.
    if (!info.ancestors.contains(parent->type)) {
      return Invalid(
          label, absl::StrCat(role, ": `", Str(info.name),
                              "` entities cannot have parents of "
                              "type `",
                              Str(parent->type), "` according to the schema"));
    }
    std::string bad_id = EnumIdError(*parent, model);
    if (!bad_id.empty())
      return Invalid(label, absl::StrCat(role, ": ", bad_id));
    entity->parents.push_back(*parent);
  }
  return absl::OkStatus();
}

absl::Status ReadTags(const Json& tags, const EntityTypeInfo& info,
                      const SchemaModel& model, const JsonOptions& options,
                      const std::string& label, Entity* entity) {
  for (auto it = tags.begin(); it != tags.end(); ++it) {
    Where where{label, "tag", it.key()};
    if (info.tags == nullptr) {
      return Invalid(label, absl::StrCat("tag `", it.key(),
                                         "`: the schema declares no tags for "
                                         "entity type `",
                                         Str(info.name), "`"));
    }
    absl::StatusOr<Value> v =
        TypedJsonToValue(it.value(), *info.tags, model, options, where);
    if (!v.ok()) return v.status();
    entity->tags.emplace_back(Symbol::Intern(it.key()), std::move(*v));
  }
  std::sort(entity->tags.begin(), entity->tags.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return absl::OkStatus();
}

absl::StatusOr<Entity> ReadEntity(const Json& e, size_t index,
                                  const SchemaModel& model,
                                  const JsonOptions& options) {
  std::string label = absl::StrCat("entity ", index);
  if (!e.is_object()) {
    return Invalid(label, absl::StrCat("expected an object with `uid`, "
                                       "`attrs` and `parents`, found `",
                                       JsonSnippet(e), "`"));
  }
  auto uid_it = e.find("uid");
  if (uid_it == e.end()) return Invalid(label, "missing key `uid`");
  Entity entity;
  {
    absl::StatusOr<EntityUid> uid = JsonToEntityUid(
        *uid_it, /*allow_string=*/false, Where{label, "`uid`", ""});
    if (!uid.ok()) return uid.status();
    entity.uid = *uid;
  }
  label = Label(index, entity.uid);
  absl::StatusOr<EntityJsonParts> parts = SplitEntity(e, label);
  if (!parts.ok()) return parts.status();

  if (IsActionType(entity.uid.type.str())) {
    if (absl::Status s = ReadAction(*parts, model, label, &entity); !s.ok()) {
      return s;
    }
    return entity;
  }
  const EntityTypeInfo* info = model.FindEntityType(entity.uid.type);
  if (info == nullptr) {
    return Invalid(label, absl::StrCat("entity type `", Str(entity.uid.type),
                                       "` is not declared in the schema",
                                       Suggestion(entity.uid.type, model)));
  }
  std::string bad_id = EnumIdError(entity.uid, model);
  if (!bad_id.empty()) return Invalid(label, bad_id);
  if (absl::Status s =
          ReadAttrs(*parts->attrs, *info, model, options, label, &entity);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ReadParents(*parts->parents, *info, model, label, &entity);
      !s.ok()) {
    return s;
  }
  if (parts->tags != nullptr) {
    if (absl::Status s =
            ReadTags(*parts->tags, *info, model, options, label, &entity);
        !s.ok()) {
      return s;
    }
  }
  return entity;
}

// Action entities given in the JSON must have the schema's ancestors: their
// parents, closed over the JSON's own actions, are compared with the
// schema's transitive action groups. Then each takes the schema's direct
// parents, so the store is the same as without them.
absl::Status CheckJsonActions(std::vector<Entity>* entities,
                              const std::vector<size_t>& actions,
                              const SchemaModel& model) {
  absl::flat_hash_map<EntityUid, size_t> first;  // uid → index in entities
  for (size_t i : actions) {
    const Entity& e = (*entities)[i];
    auto [it, inserted] = first.try_emplace(e.uid, i);
    if (inserted) continue;
    absl::flat_hash_set<EntityUid> a(e.parents.begin(), e.parents.end());
    const std::vector<EntityUid>& theirs = (*entities)[it->second].parents;
    if (a != absl::flat_hash_set<EntityUid>(theirs.begin(), theirs.end())) {
      return Invalid(Label(i, e.uid),
                     absl::StrCat("duplicate uid with different contents, "
                                  "first given as entity ",
                                  it->second));
    }
  }
  for (size_t i : actions) {
    Entity& e = (*entities)[i];
    const ActionInfo* info = model.FindAction(e.uid);
    absl::flat_hash_set<EntityUid> reached;
    std::vector<EntityUid> queue = e.parents;
    while (!queue.empty()) {
      EntityUid p = queue.back();
      queue.pop_back();
      if (!reached.insert(p).second) continue;
      auto it = first.find(p);
      if (it == first.end()) continue;
      const std::vector<EntityUid>& next = (*entities)[it->second].parents;
      queue.insert(queue.end(), next.begin(), next.end());
    }
    if (reached != info->ancestors) {
      // Name one difference, the first by text for a stable message.
      std::optional<std::string> extra, missing;
      for (const EntityUid& a : reached) {
        if (info->ancestors.contains(a)) continue;
        std::string s = a.ToString();
        if (!extra || s < *extra) extra = std::move(s);
      }
      for (const EntityUid& a : info->ancestors) {
        if (reached.contains(a)) continue;
        std::string s = a.ToString();
        if (!missing || s < *missing) missing = std::move(s);
      }
      std::string why =
          extra ? absl::StrCat("the entities put it in `", *extra,
                               "`, the schema does not")
                : absl::StrCat("the schema puts it in `", missing.value_or(""),
                               "`, the entities do not");
      return Invalid(Label(i, e.uid), Mismatch(e.uid, why));
    }
    e.parents = info->member_of;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Value> TypedJsonToValue(const Json& json, const SchemaType& type,
                                       const SchemaModel& model,
                                       const JsonOptions& options,
                                       const Where& where) {
  try {
    return TypedConverter(model, options, where).Run(json, type);
  } catch (const Json::exception& e) {
    return absl::InternalError(ComposeLocated(
        where, "", absl::StrCat("unexpected JSON error: ", e.what())));
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(
        ComposeLocated(where, "", "out of memory while converting a value"));
  }
}

}  // namespace arbiter::internal

namespace arbiter {

absl::StatusOr<std::shared_ptr<const Entities>> EntitiesFromJson(
    std::string_view json, const Schema& schema, const JsonOptions& options) {
  const internal::SchemaModel& model = schema.model();
  std::vector<Entity> entities;
  std::vector<size_t> actions;  // indices of the JSON's action entities
  absl::Status read = internal::ForEachEntityInDocument(
      json, options,
      [&](size_t i, const nlohmann::json& element) -> absl::Status {
        absl::StatusOr<Entity> e =
            internal::ReadEntity(element, i, model, options);
        if (!e.ok()) return e.status();
        if (internal::IsActionType(e->uid.type.str())) actions.push_back(i);
        entities.push_back(std::move(*e));
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  try {
    if (absl::Status s = internal::CheckJsonActions(&entities, actions, model);
        !s.ok()) {
      return s;
    }
    absl::flat_hash_set<EntityUid> given;
    for (size_t i : actions) given.insert(entities[i].uid);
    for (Entity& action : schema.ActionEntities()) {
      if (!given.contains(action.uid)) entities.push_back(std::move(action));
    }
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(
        "entities JSON: out of memory while reading entities");
  }
  return Entities::Build(std::move(entities));
}

namespace internal {
namespace {

absl::Status UndeclaredAction(const EntityUid& action) {
  return absl::InvalidArgumentError(absl::StrCat(
      "action `", action.ToString(), "` is not declared in the schema"));
}

}  // namespace

absl::StatusOr<Value> ContextFromJsonDoc(const nlohmann::json& doc,
                                         const Schema& schema,
                                         const EntityUid& action,
                                         const JsonOptions& options) {
  const SchemaModel& model = schema.model();
  const ActionInfo* info = model.FindAction(action);
  if (info == nullptr) return UndeclaredAction(action);
  const std::string where =
      absl::StrCat("context for `", action.ToString(), "`");
  if (!doc.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where,
                     ": the context must be a record (a JSON object), "
                     "found `",
                     JsonSnippet(doc), "`"));
  }
  static const SchemaType* const kEmpty = [] {
    auto* empty = new SchemaType();  // leaked, like Entities::Empty
    empty->kind = SchemaType::Kind::kRecord;
    return empty;
  }();
  const SchemaType& type = info->context != nullptr ? *info->context : *kEmpty;
  Where located{where, "attribute", ""};
  return TypedJsonToValue(doc, type, model, options, located);
}

}  // namespace internal

absl::StatusOr<Value> ContextFromJson(std::string_view json,
                                      const Schema& schema,
                                      const EntityUid& action,
                                      const JsonOptions& options) {
  // The action is checked before the text is read, so that an undeclared
  // action is reported as such whatever the text holds.
  if (schema.model().FindAction(action) == nullptr) {
    return internal::UndeclaredAction(action);
  }
  absl::StatusOr<nlohmann::json> doc = internal::ParseJsonText(
      json, options, internal::JsonDepthFor(options, 0), "context JSON",
      /*entity_document=*/false);
  if (!doc.ok()) return doc.status();
  return internal::ContextFromJsonDoc(*doc, schema, action, options);
}

}  // namespace arbiter
