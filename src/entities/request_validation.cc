// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Schema conformance of built values, and request validation.
//
// CheckConforms is Cedar's "typecheck a value against a schema type" (used
// for entity attributes and tags, contexts, and requests): a value conforms
// when its kind is the type's kind, entity references have exactly the
// declared entity type (and a declared id when that type is enumerated),
// set elements conform to the element type, and records have every required
// attribute, no undeclared one (records are closed), and conforming fields.
// An empty set conforms to every set type. The walk keeps an explicit stack
// of open sets and records, so a deep value cannot exhaust the C++ stack.
//
// ValidateRequest follows Cedar's request validation, in Cedar's order:
// principal and resource types declared (ids valid when enumerated), the
// action declared, principal and resource types among those the action
// applies to, the context conforming to the action's context type.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "arbiter/schema.h"
#include "src/ast/schema.h"
#include "src/entities/json_value.h"
#include "src/entities/typed_json.h"

namespace arbiter::internal {
namespace {

using Kind = SchemaType::Kind;

// Messages quote values and types; these caps keep them readable.
constexpr size_t kMaxSnippet = 60;
constexpr size_t kMaxTypeName = 100;

ValueKind KindOf(Kind k) {
  switch (k) {
    case Kind::kBool:
      return ValueKind::kBool;
    case Kind::kLong:
      return ValueKind::kLong;
    case Kind::kString:
      return ValueKind::kString;
    case Kind::kSet:
      return ValueKind::kSet;
    case Kind::kRecord:
      return ValueKind::kRecord;
    case Kind::kEntity:
      return ValueKind::kEntity;
    case Kind::kIpAddr:
      return ValueKind::kIpAddr;
    case Kind::kDecimal:
      return ValueKind::kDecimal;
    case Kind::kDatetime:
      return ValueKind::kDatetime;
    case Kind::kDuration:
      return ValueKind::kDuration;
  }
  return ValueKind::kBool;
}

// Cuts `s` to about `max` bytes on a UTF-8 boundary, marking the cut.
std::string Cut(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  s.resize(end);
  s.append("…");
  return s;
}

// "a string `\"5\"`", "an entity `User::\"a\"`", …
std::string Found(const Value& v) {
  std::string_view kind = KindName(v.kind());
  const bool an = v.is(ValueKind::kEntity) || v.is(ValueKind::kIpAddr);
  return absl::StrCat(an ? "an " : "a ", ToAbsl(kind), " `",
                      Cut(v.ToCedar(), kMaxSnippet), "`");
}

// Appends the type's name until `out` passes kMaxTypeName bytes. The
// recursion is bounded by that budget: each level appends a few bytes
// before it descends.
void AppendTypeName(const SchemaType& t, std::string* out) {
  if (out->size() > kMaxTypeName) return;
  switch (t.kind) {
    case Kind::kBool:
      out->append("Bool");
      return;
    case Kind::kLong:
      out->append("Long");
      return;
    case Kind::kString:
      out->append("String");
      return;
    case Kind::kIpAddr:
      out->append("ipaddr");
      return;
    case Kind::kDecimal:
      out->append("decimal");
      return;
    case Kind::kDatetime:
      out->append("datetime");
      return;
    case Kind::kDuration:
      out->append("duration");
      return;
    case Kind::kEntity:
      out->append(t.entity_type.str());
      return;
    case Kind::kSet:
      out->append("Set<");
      if (t.element != nullptr) AppendTypeName(*t.element, out);
      out->append(">");
      return;
    case Kind::kRecord: {
      if (t.attrs.empty()) {
        out->append("{}");
        return;
      }
      // By name, for a stable, readable order (attrs are in Symbol order).
      std::vector<const std::pair<Symbol, RecordAttr>*> attrs;
      for (const auto& a : t.attrs) attrs.push_back(&a);
      std::sort(attrs.begin(), attrs.end(), [](const auto* a, const auto* b) {
        return a->first.str() < b->first.str();
      });
      out->append("{ ");
      for (size_t i = 0; i < attrs.size(); ++i) {
        if (out->size() > kMaxTypeName) break;
        if (i > 0) out->append(", ");
        out->append(attrs[i]->first.str());
        out->append(attrs[i]->second.required ? ": " : "?: ");
        if (attrs[i]->second.type != nullptr) {
          AppendTypeName(*attrs[i]->second.type, out);
        }
      }
      out->append(" }");
      return;
    }
  }
}

std::string Quoted(Symbol type) {
  return absl::StrCat("`", ToAbsl(type.str()), "`");
}

// Walks a value and a type together; see the file comment.
class Checker {
 public:
  Checker(const SchemaModel& model, const Where& where)
      : model_(model), where_(where) {}

  absl::Status Run(const Value& root, const SchemaType& type) {
    if (absl::Status s = Visit(root, type); !s.ok()) return s;
    while (!stack_.empty()) {
      Frame& top = stack_.back();
      if (top.next == top.size) {
        stack_.pop_back();
        continue;
      }
      const size_t i = top.next++;
      const Value* child;
      const SchemaType* child_type;
      if (top.type->kind == Kind::kSet) {
        child = &top.value->as_set()[i];
        child_type = top.type->element.get();
      } else {
        const auto& field = top.value->as_record()[i];
        child = &field.second;
        child_type = top.type->FindAttr(field.first)->type.get();
      }
      // May push, which invalidates `top`.
      if (absl::Status s = Visit(*child, *child_type); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

 private:
  struct Frame {
    const Value* value;      // a set or record
    const SchemaType* type;  // its (matching) type
    size_t next = 0;         // the next element or field to visit
    size_t size = 0;
  };

  // The path to the value being visited, plus `extra` when not empty.
  std::string Path(std::string_view extra = {}) const {
    std::vector<PathElem> path;
    if (!where_.name.empty()) path.push_back(PathElem{false, 0, where_.name});
    for (const Frame& f : stack_) {
      if (f.type->kind == Kind::kSet) {
        path.push_back(PathElem{true, f.next - 1, ""});
      } else {
        path.push_back(PathElem{
            false, 0,
            std::string(f.value->as_record()[f.next - 1].first.str())});
      }
    }
    if (!extra.empty()) path.push_back(PathElem{false, 0, std::string(extra)});
    return DottedPath(path, 0);
  }

  absl::Status Error(const std::string& path, std::string_view detail) const {
    if (path.empty()) {
      return absl::InvalidArgumentError(
          ComposeLocated(Where{where_.context, "", ""}, "", detail));
    }
    return absl::InvalidArgumentError(ComposeLocated(where_, path, detail));
  }

  absl::Status Visit(const Value& v, const SchemaType& t) {
    if (v.kind() != KindOf(t.kind)) {
      return Error(Path(),
                   absl::StrCat("type mismatch: expected `", SchemaTypeName(t),
                                "`, found ", Found(v)));
    }
    switch (t.kind) {
      case Kind::kEntity: {
        const EntityUid& uid = v.as_entity();
        if (uid.type != t.entity_type) {
          return Error(Path(), absl::StrCat("type mismatch: expected an entity "
                                            "of type ",
                                            Quoted(t.entity_type), ", found `",
                                            uid.ToString(), "`"));
        }
        std::string bad_id = EnumIdError(uid, model_);
        if (!bad_id.empty()) return Error(Path(), bad_id);
        return absl::OkStatus();
      }
      case Kind::kSet:
        if (!v.as_set().empty() && t.element != nullptr) {
          stack_.push_back(Frame{&v, &t, 0, v.as_set().size()});
        }
        return absl::OkStatus();
      case Kind::kRecord:
        return VisitRecord(v, t);
      default:
        return absl::OkStatus();
    }
  }

  absl::Status VisitRecord(const Value& v, const SchemaType& t) {
    for (const auto& [name, attr] : t.attrs) {
      if (attr.required && v.FindField(name) == nullptr) {
        return Error(Path(), absl::StrCat("missing required attribute `",
                                          ToAbsl(name.str()), "`"));
      }
    }
    for (const auto& [name, field] : v.as_record()) {
      const RecordAttr* attr = t.FindAttr(name);
      if (attr == nullptr || attr->type == nullptr) {
        return Error(Path(name.str()),
                     absl::StrCat("not declared in the record type `",
                                  SchemaTypeName(t), "`"));
      }
    }
    if (!v.as_record().empty()) {
      stack_.push_back(Frame{&v, &t, 0, v.as_record().size()});
    }
    return absl::OkStatus();
  }

  const SchemaModel& model_;
  const Where& where_;
  std::vector<Frame> stack_;
};

}  // namespace

std::string SchemaTypeName(const SchemaType& type) {
  std::string out;
  AppendTypeName(type, &out);
  return Cut(std::move(out), kMaxTypeName);
}

std::string EnumIdError(const EntityUid& uid, const SchemaModel& model) {
  const EntityTypeInfo* info = model.FindEntityType(uid.type);
  if (info == nullptr || !info->enum_ids) return "";
  const std::vector<std::string>& ids = *info->enum_ids;
  if (std::find(ids.begin(), ids.end(), uid.id.str()) != ids.end()) return "";
  std::string valid;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) valid.append(", ");
    if (valid.size() > kMaxTypeName) {
      valid.append("…");
      break;
    }
    valid.append("`");
    AppendQuotedString(ids[i], &valid);
    valid.append("`");
  }
  std::string id;
  AppendQuotedString(uid.id.str(), &id);
  return absl::StrCat(
      "entity `", uid.ToString(), "` is of an enumerated entity type, but `",
      id, "` is not declared as a valid eid (valid eids: ", valid, ")");
}

absl::Status CheckConforms(const Value& value, const SchemaType& type,
                           const SchemaModel& model, const Where& where) {
  return Checker(model, where).Run(value, type);
}

bool Conforms(const Value& value, const SchemaType& type,
              const SchemaModel& model) {
  static const Where* const kNowhere = new Where();  // leaked on purpose
  return Checker(model, *kNowhere).Run(value, type).ok();
}

}  // namespace arbiter::internal

namespace arbiter {
namespace {

std::string TypeList(const std::vector<Symbol>& types) {
  return absl::StrJoin(types, ", ", [](std::string* out, Symbol s) {
    absl::StrAppend(out, "`", internal::ToAbsl(s.str()), "`");
  });
}

// The principal's or resource's type is declared and, when enumerated, its
// id is one of the declared ids.
absl::Status CheckDeclared(std::string_view role, const EntityUid& uid,
                           const internal::SchemaModel& model) {
  if (model.FindEntityType(uid.type) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        internal::ToAbsl(role), " type `", internal::ToAbsl(uid.type.str()),
        "` is not declared in the schema"));
  }
  std::string bad_id = internal::EnumIdError(uid, model);
  if (!bad_id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(internal::ToAbsl(role), ": ", bad_id));
  }
  return absl::OkStatus();
}

absl::Status CheckAppliesTo(std::string_view role, Symbol type,
                            const std::vector<Symbol>& allowed,
                            const EntityUid& action) {
  if (std::find(allowed.begin(), allowed.end(), type) != allowed.end()) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      internal::ToAbsl(role), " type `", internal::ToAbsl(type.str()),
      "` is not valid for `", action.ToString(), "`",
      allowed.empty()
          ? absl::StrCat(" (it applies to no ", internal::ToAbsl(role), ")")
          : absl::StrCat(" (its ", internal::ToAbsl(role), " types are ",
                         TypeList(allowed), ")")));
}

}  // namespace

absl::Status ValidateRequest(const Schema& schema, const Request& request) {
  const internal::SchemaModel& model = schema.model();
  if (absl::Status s = CheckDeclared("principal", request.principal, model);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckDeclared("resource", request.resource, model);
      !s.ok()) {
    return s;
  }
  const internal::ActionInfo* action = model.FindAction(request.action);
  if (action == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("request's action `", request.action.ToString(),
                     "` is not declared in the schema"));
  }
  if (absl::Status s = CheckAppliesTo("principal", request.principal.type,
                                      action->principal_types, request.action);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckAppliesTo("resource", request.resource.type,
                                      action->resource_types, request.action);
      !s.ok()) {
    return s;
  }
  const std::string where = absl::StrCat("context is not valid for `",
                                         request.action.ToString(), "`");
  if (!request.context.is(ValueKind::kRecord)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": the context must be a record, found ",
                     internal::ToAbsl(KindName(request.context.kind()))));
  }
  if (action->context == nullptr) return absl::OkStatus();
  return internal::CheckConforms(request.context, *action->context, model,
                                 internal::Where{where, "attribute", ""});
}

}  // namespace arbiter
