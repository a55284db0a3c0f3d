// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Subtyping, least upper bounds and disjointness for the validator's types.
// The rules follow Cedar's validator exactly, including its asymmetries:
// subtyping is attempted both ways before any structural merge, singleton
// booleans merge to Bool, and in strict mode distinct entity types, records
// with different attribute sets, and attributes that differ in optionality
// have no upper bound at all (which is what makes `[User::"a", Photo::"b"]`
// an error rather than a set of a union type).

#include "src/validate/types.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace arbiter::internal {

const AttrType* VType::FindAttr(Symbol name) const {
  auto it = std::lower_bound(
      attrs.begin(), attrs.end(), name,
      [](const std::pair<Symbol, AttrType>& a, Symbol n) { return a.first < n; });
  return it != attrs.end() && it->first == name ? &it->second : nullptr;
}

namespace types {
namespace {

TypeRef Make(VType::Kind kind) {
  auto t = std::make_shared<VType>();
  t->kind = kind;
  return t;
}

}  // namespace

TypeRef Never() { static const TypeRef t = Make(VType::Kind::kNever); return t; }
TypeRef True() { static const TypeRef t = Make(VType::Kind::kTrue); return t; }
TypeRef False() { static const TypeRef t = Make(VType::Kind::kFalse); return t; }
TypeRef Singleton(bool b) { return b ? True() : False(); }
TypeRef Bool() { static const TypeRef t = Make(VType::Kind::kBool); return t; }
TypeRef Long() { static const TypeRef t = Make(VType::Kind::kLong); return t; }
TypeRef String() { static const TypeRef t = Make(VType::Kind::kString); return t; }
TypeRef AnyEntity() {
  static const TypeRef t = Make(VType::Kind::kAnyEntity);
  return t;
}
TypeRef AnySet() { static const TypeRef t = Make(VType::Kind::kSet); return t; }
TypeRef AnyRecord() {
  static const TypeRef t = [] {
    auto r = std::make_shared<VType>();
    r->kind = VType::Kind::kRecord;
    r->open = true;
    return TypeRef(r);
  }();
  return t;
}

TypeRef Ext(ExtType ext) {
  static const TypeRef all[4] = {
      [] { auto t = std::make_shared<VType>(); t->kind = VType::Kind::kExt; t->ext = ExtType::kIpAddr; return TypeRef(t); }(),
      [] { auto t = std::make_shared<VType>(); t->kind = VType::Kind::kExt; t->ext = ExtType::kDecimal; return TypeRef(t); }(),
      [] { auto t = std::make_shared<VType>(); t->kind = VType::Kind::kExt; t->ext = ExtType::kDatetime; return TypeRef(t); }(),
      [] { auto t = std::make_shared<VType>(); t->kind = VType::Kind::kExt; t->ext = ExtType::kDuration; return TypeRef(t); }(),
  };
  return all[static_cast<int>(ext)];
}

TypeRef SetOf(TypeRef element) {
  auto t = std::make_shared<VType>();
  t->kind = VType::Kind::kSet;
  t->element = std::move(element);
  return t;
}

TypeRef Entity(Symbol type) { return EntityLub({type}); }

TypeRef EntityLub(std::vector<Symbol> types) {
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  auto t = std::make_shared<VType>();
  t->kind = VType::Kind::kEntity;
  t->entities = std::move(types);
  return t;
}

TypeRef Action(Symbol action_entity_type) {
  auto t = std::make_shared<VType>();
  t->kind = VType::Kind::kAction;
  t->entities = {action_entity_type};
  return t;
}

TypeRef Record(AttrList attrs, bool open) {
  std::sort(attrs.begin(), attrs.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  auto t = std::make_shared<VType>();
  t->kind = VType::Kind::kRecord;
  t->attrs = std::move(attrs);
  t->open = open;
  return t;
}

TypeRef FromSchema(const SchemaType& s) {
  switch (s.kind) {
    case SchemaType::Kind::kBool: return Bool();
    case SchemaType::Kind::kLong: return Long();
    case SchemaType::Kind::kString: return String();
    case SchemaType::Kind::kSet:
      return SetOf(s.element ? FromSchema(*s.element) : Never());
    case SchemaType::Kind::kRecord: {
      AttrList attrs;
      attrs.reserve(s.attrs.size());
      for (const auto& [name, a] : s.attrs) {
        attrs.push_back({name, AttrType{a.type ? FromSchema(*a.type) : Never(),
                                        a.required}});
      }
      return Record(std::move(attrs), /*open=*/false);
    }
    case SchemaType::Kind::kEntity: return Entity(s.entity_type);
    case SchemaType::Kind::kIpAddr: return Ext(ExtType::kIpAddr);
    case SchemaType::Kind::kDecimal: return Ext(ExtType::kDecimal);
    case SchemaType::Kind::kDatetime: return Ext(ExtType::kDatetime);
    case SchemaType::Kind::kDuration: return Ext(ExtType::kDuration);
  }
  return Never();
}

}  // namespace types

namespace {

using K = VType::Kind;

bool IsEntityLike(K k) {
  return k == K::kEntity || k == K::kAnyEntity || k == K::kAction;
}

bool AttrsEqual(const AttrList& a, const AttrList& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].first != b[i].first || a[i].second.required != b[i].second.required ||
        !TypeEqual(*a[i].second.type, *b[i].second.type)) {
      return false;
    }
  }
  return true;
}

bool AttrSubtype(const AttrType& a, const AttrType& b, bool strict) {
  bool qualifier = strict ? a.required == b.required : a.required || !b.required;
  return qualifier && IsSubtype(*a.type, *b.type, strict);
}

// Every attribute of `b` is in `a` with a subtype.
bool AttrsSubtype(const AttrList& a, const AttrList& b, bool strict) {
  for (const auto& [name, bt] : b) {
    auto it = std::lower_bound(
        a.begin(), a.end(), name,
        [](const std::pair<Symbol, AttrType>& x, Symbol n) { return x.first < n; });
    if (it == a.end() || it->first != name) return false;
    if (!AttrSubtype(it->second, bt, strict)) return false;
  }
  return true;
}

bool SameKeys(const AttrList& a, const AttrList& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].first != b[i].first) return false;
  }
  return true;
}

bool RecordSubtype(const VType& a, const VType& b, bool strict) {
  if (a.open && !b.open) return false;
  if (b.open && !strict && AttrsSubtype(a.attrs, b.attrs, strict)) return true;
  return SameKeys(a.attrs, b.attrs) && AttrsSubtype(a.attrs, b.attrs, strict);
}

// Lub of attribute lists; nullopt when there is none.
std::optional<AttrList> AttrsLub(const AttrList& a, const AttrList& b, bool strict,
                                 LubHelp* help) {
  if (strict && !SameKeys(a, b)) {
    *help = LubHelp::kRecordWidth;
    return std::nullopt;
  }
  AttrList out;
  for (const auto& [name, at] : a) {
    auto it = std::lower_bound(
        b.begin(), b.end(), name,
        [](const std::pair<Symbol, AttrType>& x, Symbol n) { return x.first < n; });
    if (it == b.end() || it->first != name) continue;  // permissive only
    LubHelp h = LubHelp::kNone;
    TypeRef t = LeastUpperBound(at.type, it->second.type, strict, &h);
    if (t && strict && at.required != it->second.required) {
      h = LubHelp::kAttributeQualifier;
      t = nullptr;
    }
    if (!t) {
      if (strict) {
        *help = h;
        return std::nullopt;
      }
      continue;
    }
    out.push_back({name, AttrType{t, at.required && it->second.required}});
  }
  return out;
}

}  // namespace

bool TypeEqual(const VType& a, const VType& b) {
  if (&a == &b) return true;
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case K::kSet:
      if (!a.element || !b.element) return !a.element && !b.element;
      return TypeEqual(*a.element, *b.element);
    case K::kRecord:
      return a.open == b.open && AttrsEqual(a.attrs, b.attrs);
    case K::kEntity:
      return a.entities == b.entities;
    case K::kAction:
      return a.entities == b.entities && AttrsEqual(a.attrs, b.attrs);
    case K::kExt:
      return a.ext == b.ext;
    default:
      return true;
  }
}

bool IsSubtype(const VType& a, const VType& b, bool strict) {
  if (a.kind == K::kNever) return true;
  switch (a.kind) {
    case K::kTrue:
    case K::kFalse:
      return b.kind == K::kBool || b.kind == a.kind;
    case K::kBool:
    case K::kLong:
    case K::kString:
      return b.kind == a.kind;
    case K::kSet:
      if (b.kind != K::kSet) return false;
      if (!b.element) return true;
      if (!a.element) return false;
      return IsSubtype(*a.element, *b.element, strict);
    case K::kRecord:
      return b.kind == K::kRecord && RecordSubtype(a, b, strict);
    case K::kAction:
      if (b.kind == K::kAction) return TypeEqual(a, b);
      return b.kind == K::kAnyEntity && !strict;
    case K::kEntity:
      if (b.kind == K::kEntity) {
        if (strict) return a.entities == b.entities;
        return std::includes(b.entities.begin(), b.entities.end(),
                             a.entities.begin(), a.entities.end());
      }
      return b.kind == K::kAnyEntity && !strict;
    case K::kAnyEntity:
      return b.kind == K::kAnyEntity;
    case K::kExt:
      return b.kind == K::kExt && a.ext == b.ext;
    case K::kNever:
      return true;
  }
  return false;
}

TypeRef LeastUpperBound(const TypeRef& a, const TypeRef& b, bool strict,
                        LubHelp* help) {
  LubHelp local = LubHelp::kNone;
  if (!help) help = &local;
  if (IsSubtype(*a, *b, strict)) return b;
  if (IsSubtype(*b, *a, strict)) return a;
  K ka = a->kind, kb = b->kind;
  if ((ka == K::kTrue || ka == K::kFalse) && (kb == K::kTrue || kb == K::kFalse)) {
    return types::Bool();
  }
  if (ka == K::kSet && kb == K::kSet) {
    if (!a->element || !b->element) return types::AnySet();
    TypeRef e = LeastUpperBound(a->element, b->element, strict, help);
    return e ? types::SetOf(std::move(e)) : nullptr;
  }
  bool ra = ka == K::kRecord, rb = kb == K::kRecord;
  if ((ra || IsEntityLike(ka)) && (rb || IsEntityLike(kb))) {
    if (ra && rb) {
      std::optional<AttrList> attrs = AttrsLub(a->attrs, b->attrs, strict, help);
      if (!attrs) return nullptr;
      bool open = a->open || b->open;
      if (!open) {
        // Closed only when no attribute was dropped.
        std::vector<Symbol> keys;
        for (const auto& x : a->attrs) keys.push_back(x.first);
        for (const auto& x : b->attrs) keys.push_back(x.first);
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        open = keys.size() != attrs->size();
      }
      return types::Record(std::move(*attrs), open);
    }
    if (ra || rb) {
      *help = LubHelp::kEntityRecord;
      return nullptr;
    }
    if (ka == K::kAction && kb == K::kAction) {
      if (a->entities == b->entities) {
        std::optional<AttrList> attrs = AttrsLub(a->attrs, b->attrs, true, help);
        if (!attrs) return nullptr;
        auto t = std::make_shared<VType>(*a);
        t->attrs = std::move(*attrs);
        return t;
      }
    } else if (ka == K::kEntity && kb == K::kEntity) {
      if (!strict || a->entities == b->entities) {
        std::vector<Symbol> u = a->entities;
        u.insert(u.end(), b->entities.begin(), b->entities.end());
        return types::EntityLub(std::move(u));
      }
    } else if (ka == K::kAnyEntity && kb == K::kAnyEntity) {
      return types::AnyEntity();
    }
    if (strict) {
      *help = LubHelp::kEntityType;
      return nullptr;
    }
    return types::AnyEntity();
  }
  *help = LubHelp::kNone;
  return nullptr;
}

std::vector<Symbol> EntityTypesOf(const VType& t) {
  if (t.kind == K::kEntity || t.kind == K::kAction) return t.entities;
  return {};
}

bool AreDisjoint(const VType& a, const VType& b) {
  if ((a.kind != K::kEntity && a.kind != K::kAction) ||
      (b.kind != K::kEntity && b.kind != K::kAction)) {
    return false;
  }
  for (Symbol x : a.entities) {
    if (std::find(b.entities.begin(), b.entities.end(), x) != b.entities.end()) {
      return false;
    }
  }
  return true;
}

namespace {

std::vector<const std::pair<Symbol, AttrType>*> ByName(const AttrList& attrs) {
  std::vector<const std::pair<Symbol, AttrType>*> v;
  for (const auto& a : attrs) v.push_back(&a);
  std::sort(v.begin(), v.end(),
            [](const auto* x, const auto* y) { return x->first.str() < y->first.str(); });
  return v;
}

std::string_view ExtName(ExtType e) {
  switch (e) {
    case ExtType::kIpAddr: return "ipaddr";
    case ExtType::kDecimal: return "decimal";
    case ExtType::kDatetime: return "datetime";
    case ExtType::kDuration: return "duration";
  }
  return "";
}

// Cedar lists the types of an incompatible-types message in the order of
// its type enum: booleans, Long, String, entities, sets, records, then
// extension types; within a kind, structurally (entity types by their last
// name component first).
int KindRank(const VType& t) {
  switch (t.kind) {
    case K::kNever: return 0;
    case K::kTrue: return 1;
    case K::kFalse: return 2;
    case K::kBool: return 3;
    case K::kLong: return 4;
    case K::kString: return 5;
    case K::kAnyEntity: return 6;
    case K::kEntity:
    case K::kAction: return 7;
    case K::kSet: return 8;
    case K::kRecord: return 9;
    case K::kExt: return 10;
  }
  return 11;
}

int CompareNames(std::string_view a, std::string_view b) {
  auto split = [](std::string_view s) {
    size_t pos = s.rfind("::");
    return pos == std::string_view::npos
               ? std::pair{s, std::string_view()}
               : std::pair{s.substr(pos + 2), s.substr(0, pos)};
  };
  auto [ba, na] = split(a);
  auto [bb, nb] = split(b);
  if (int c = ba.compare(bb)) return c < 0 ? -1 : 1;
  if (int c = na.compare(nb)) return c < 0 ? -1 : 1;
  return 0;
}

int Compare(const VType& a, const VType& b);

int CompareAttrs(const AttrList& a, const AttrList& b) {
  auto x = ByName(a), y = ByName(b);
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (int c = x[i]->first.str().compare(y[i]->first.str())) return c < 0 ? -1 : 1;
    if (int c = Compare(*x[i]->second.type, *y[i]->second.type)) return c;
    if (x[i]->second.required != y[i]->second.required) {
      return x[i]->second.required ? 1 : -1;
    }
  }
  return x.size() == y.size() ? 0 : (x.size() < y.size() ? -1 : 1);
}

int Compare(const VType& a, const VType& b) {
  int ra = KindRank(a), rb = KindRank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (a.kind) {
    case K::kSet:
      if (!a.element || !b.element) return (!a.element) - (!b.element);
      return Compare(*a.element, *b.element);
    case K::kRecord:
      if (int c = CompareAttrs(a.attrs, b.attrs)) return c;
      return a.open == b.open ? 0 : (a.open ? 1 : -1);
    case K::kEntity:
    case K::kAction:
      for (size_t i = 0; i < a.entities.size() && i < b.entities.size(); ++i) {
        if (int c = CompareNames(a.entities[i].str(), b.entities[i].str())) return c;
      }
      return a.entities.size() == b.entities.size()
                 ? 0
                 : (a.entities.size() < b.entities.size() ? -1 : 1);
    default: {
      std::string x = TypeName(a), y = TypeName(b);
      return x == y ? 0 : (x < y ? -1 : 1);
    }
  }
}

}  // namespace

std::string TypeName(const VType& t) {
  switch (t.kind) {
    case K::kNever: return "__cedar::internal::Never";
    case K::kTrue: return "__cedar::internal::True";
    case K::kFalse: return "__cedar::internal::False";
    case K::kBool: return "Bool";
    case K::kLong: return "Long";
    case K::kString: return "String";
    case K::kSet:
      return t.element ? absl::StrCat("Set<", TypeName(*t.element), ">")
                       : "Set<__cedar::internal::Any>";
    case K::kAnyEntity: return "__cedar::internal::AnyEntity";
    case K::kAction: return std::string(t.entities.front().str());
    case K::kEntity: {
      if (t.entities.size() == 1) return std::string(t.entities.front().str());
      std::vector<std::string> names;
      for (Symbol s : t.entities) names.emplace_back(s.str());
      std::sort(names.begin(), names.end());
      return absl::StrCat("__cedar::internal::Union<", absl::StrJoin(names, ", "), ">");
    }
    case K::kRecord: {
      std::string out = t.open ? "__cedar::internal::OpenRecord{" : "{";
      for (const auto* a : ByName(t.attrs)) {
        absl::StrAppend(&out, std::string(a->first.str()), a->second.required ? "" : "?", ": ",
                        TypeName(*a->second.type), ",");
      }
      out += "}";
      return out;
    }
    case K::kExt: return std::string(ExtName(t.ext));
  }
  return "";
}

bool TypeMessageLess(const VType& a, const VType& b) { return Compare(a, b) < 0; }

std::string_view LubHelpText(LubHelp help) {
  switch (help) {
    case LubHelp::kAttributeQualifier:
      return "Corresponding attributes of compatible record types must have the "
             "same optionality, either both being required or both being optional";
    case LubHelp::kRecordWidth:
      return "Compatible record types must have exactly the same attributes";
    case LubHelp::kEntityType:
      return "Different entity types are never compatible even when their "
             "attributes would be compatible";
    case LubHelp::kEntityRecord:
      return "Entity and record types are never compatible even when their "
             "attributes would be compatible";
    case LubHelp::kNone:
      return "Types must be exactly equal to be compatible";
  }
  return "";
}

}  // namespace arbiter::internal
