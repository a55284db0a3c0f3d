// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// SchemaSource to SchemaModel: Cedar 4's name resolution and declaration
// rules, shared by both schema formats.
//
// Resolution. A name written with `::` means exactly itself. An unqualified
// name `T` written inside namespace `NS` means, in priority order:
// `NS::T` as a common type, `NS::T` as an entity type, `T` as a common type,
// `T` as an entity type. The primitive and extension types (`Bool`, `Long`,
// `String`, `ipaddr`, `decimal`, `datetime`, `duration`) are always
// `__cedar::Long` etc., and are also common types of the empty namespace
// under their plain names unless the schema declares that name there itself.
// What a reference may resolve to depends on where it is written: parent
// types, `principal` and `resource` only to entity types; JSON
// `{"type": "T"}` and text `context: T` only to common types; every other
// name to either.
//
// Common types are inlined. They are resolved in dependency order (Kahn's
// algorithm, no recursion over the reference graph), so a cycle is found and
// named before any inlining, and each common type is built once and shared.
//
// Declaration rules (Cedar 4): no name declared twice in a namespace (the
// text format's several runs of the empty namespace form one); no `__cedar`
// in declared names; common types cannot be called `Bool`, `Boolean`,
// `Entity`, `Extension`, `Long`, `Record`, `Set` or `String`; no entity type
// called `Action`; and (RFC 70) nothing in a namespace may shadow an entity
// type, common type or action of the same base name in the empty namespace.
// Entity types may form cycles (an entity type can be its own ancestor);
// actions may not.

#include <algorithm>
#include <array>
#include <deque>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/parse/schema_source.h"

namespace arbiter::internal {

const RecordAttr* SchemaType::FindAttr(Symbol name) const {
  auto it = std::lower_bound(attrs.begin(), attrs.end(), name,
                             [](const std::pair<Symbol, RecordAttr>& a,
                                Symbol n) { return a.first < n; });
  return it != attrs.end() && it->first == name ? &it->second : nullptr;
}

namespace {

using Kind = SchemaType::Kind;

constexpr std::array<std::pair<std::string_view, Kind>, 7> kBuiltinTypes = {{
    {"Bool", Kind::kBool},
    {"Long", Kind::kLong},
    {"String", Kind::kString},
    {"ipaddr", Kind::kIpAddr},
    {"decimal", Kind::kDecimal},
    {"datetime", Kind::kDatetime},
    {"duration", Kind::kDuration},
}};

// Shared, immutable leaves.
SchemaTypePtr Leaf(Kind kind) {
  static const auto* leaves = [] {
    auto* v = new std::array<SchemaTypePtr, 10>();
    for (size_t i = 0; i < v->size(); ++i) {
      auto t = std::make_shared<SchemaType>();
      t->kind = static_cast<Kind>(i);
      (*v)[i] = std::move(t);
    }
    return v;
  }();
  return (*leaves)[static_cast<size_t>(kind)];
}

SchemaTypePtr EmptyRecord() {
  static const auto* empty = new SchemaTypePtr([] {
    auto t = std::make_shared<SchemaType>();
    t->kind = Kind::kRecord;
    return t;
  }());
  return *empty;
}

std::string Qualify(std::string_view ns, std::string_view name) {
  return ns.empty() ? std::string(name) : absl::StrCat(Av(ns), "::", Av(name));
}

bool IsQualified(std::string_view name) {
  return name.find("::") != std::string_view::npos;
}

bool HasCedarComponent(std::string_view name) {
  while (true) {
    size_t sep = name.find("::");
    if (name.substr(0, sep) == "__cedar") return true;
    if (sep == std::string_view::npos) return false;
    name = name.substr(sep + 2);
  }
}

// `T::"id"` with the id as a Cedar string literal.
std::string ActionText(std::string_view type, std::string_view id) {
  std::string out = absl::StrCat(Av(type), "::");
  AppendQuotedString(id, &out);
  return out;
}

// "`A`" / "neither `NS::A` nor `A`"-style lists of what a name could mean.
std::string NotDeclared(const std::vector<std::string>& candidates,
                        std::string_view as_what) {
  if (candidates.size() == 1) {
    return absl::StrCat("`", candidates[0], "` has not been declared ",
                        Av(as_what));
  }
  return absl::StrCat("neither `", candidates[0], "` nor `", candidates[1],
                      "` has been declared ", Av(as_what));
}

enum class RefKind { kCommon, kEntity, kCommonOrEntity };

struct CommonDef {
  const CommonTypeDecl* decl = nullptr;  // nullptr: a builtin
  const std::string* ns = nullptr;
  Kind builtin = Kind::kBool;
};

struct ActionKey {
  std::string type;
  std::string id;
  friend bool operator==(const ActionKey&, const ActionKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const ActionKey& k) {
    return H::combine(std::move(h), k.type, k.id);
  }
};

// A resolved type and its nesting depth; `type` is nullptr after an error
// (reported where it happened).
struct Resolved {
  SchemaTypePtr type;
  size_t depth = 0;
};

class Resolver {
 public:
  Resolver(const SchemaSource& source, const SchemaParseOptions& options,
           std::vector<SchemaError>* errors)
      : source_(source), options_(options), errors_(errors) {}

  bool Run(SchemaModel* out) {
    const size_t errors_before = errors_->size();
    CollectDefinitions();
    CheckShadowing();
    AddBuiltins();
    ResolveCommonTypes();
    BuildEntityTypes(out);
    BuildActions(out);
    if (errors_->size() != errors_before) return false;
    CloseEntityTypes(out);
    CloseActions(out);
    return errors_->size() == errors_before;
  }

 private:
  void Error(const SrcLoc& loc, std::string message) {
    if (errors_->size() >= options_.max_errors) return;
    errors_->push_back(SchemaError{loc, std::move(message)});
  }

  // --- declarations ---

  void CollectDefinitions() {
    absl::flat_hash_set<std::string> named_namespaces;
    for (const NamespaceBlock& block : source_.namespaces) {
      const std::string& ns = block.name;
      if (!ns.empty()) {
        if (!named_namespaces.insert(ns).second) {
          Error(block.loc, absl::StrCat("duplicate namespace `", ns, "`"));
          duplicate_blocks_.insert(&block);  // its declarations are ignored
          continue;
        }
        if (HasCedarComponent(ns)) {
          Error(block.loc,
                absl::StrCat("use of the reserved `__cedar` namespace "
                             "in namespace name `",
                             ns, "`"));
        }
      }
      for (const SchemaDecl& decl : block.decls) {
        if (const auto* c = std::get_if<CommonTypeDecl>(&decl)) {
          CollectCommon(*c, ns);
        } else if (const auto* e = std::get_if<EntityDecl>(&decl)) {
          for (const NameRef& name : e->names) CollectEntity(name, ns);
          entity_decls_.push_back({e, &ns});
        } else if (const auto* a = std::get_if<ActionDecl>(&decl)) {
          for (const NameRef& name : a->names) CollectAction(name, ns);
          action_decls_.push_back({a, &ns});
        }
      }
    }
  }

  void CollectCommon(const CommonTypeDecl& c, const std::string& ns) {
    static constexpr std::string_view kKeywords[] = {
        "Bool", "Boolean", "Entity", "Extension",
        "Long", "Record",  "Set",    "String"};
    const std::string& name = c.name.name;
    if (name == "__cedar") {
      Error(c.name.loc,
            "use of the reserved `__cedar` namespace: `__cedar` "
            "cannot be declared as a common type");
      return;
    }
    if (std::find(std::begin(kKeywords), std::end(kKeywords), name) !=
        std::end(kKeywords)) {
      Error(c.name.loc,
            absl::StrCat("`", name,
                         "` is a reserved schema keyword "
                         "and cannot be the name of a common type"));
      return;
    }
    std::string fq = Qualify(ns, name);
    if (!common_defs_.try_emplace(fq, CommonDef{&c, &ns, Kind::kBool}).second) {
      Error(c.name.loc,
            absl::StrCat("common type `", fq, "` is declared twice"));
      return;
    }
    user_commons_.push_back(std::move(fq));
  }

  void CollectEntity(const NameRef& name, const std::string& ns) {
    if (name.name == "__cedar") {
      Error(name.loc,
            "use of the reserved `__cedar` namespace: `__cedar` "
            "cannot be declared as an entity type");
      return;
    }
    if (name.name == "Action") {
      Error(name.loc,
            "`Action` cannot be declared as an entity type: it is the "
            "type of actions");
      return;
    }
    std::string fq = Qualify(ns, name.name);
    if (!entity_defs_.insert(fq).second) {
      Error(name.loc, absl::StrCat("entity type `", fq, "` is declared twice"));
    }
  }

  void CollectAction(const NameRef& name, const std::string& ns) {
    ActionKey key{Qualify(ns, "Action"), name.name};
    if (!action_defs_.insert(key).second) {
      Error(name.loc, absl::StrCat("action `", ActionText(key.type, key.id),
                                   "` is declared twice"));
    }
  }

  // RFC 70: a namespaced definition may not share its base name with an
  // entity type or common type (or, for actions, an action) of the empty
  // namespace.
  void CheckShadowing() {
    auto empty_ns_type = [&](std::string_view base) {
      std::string b(base);
      return entity_defs_.contains(b) || common_defs_.contains(b);
    };
    auto check = [&](const std::string& ns, const NameRef& name) {
      if (ns.empty() || !empty_ns_type(name.name)) return;
      Error(name.loc,
            absl::StrCat("definition of `", Qualify(ns, name.name),
                         "` illegally shadows the existing definition "
                         "of `",
                         name.name, "`"));
    };
    for (const NamespaceBlock& block : source_.namespaces) {
      if (block.name.empty() || duplicate_blocks_.contains(&block)) continue;
      for (const SchemaDecl& decl : block.decls) {
        if (const auto* c = std::get_if<CommonTypeDecl>(&decl)) {
          check(block.name, c->name);
        } else if (const auto* e = std::get_if<EntityDecl>(&decl)) {
          for (const NameRef& name : e->names) check(block.name, name);
        } else if (const auto* a = std::get_if<ActionDecl>(&decl)) {
          for (const NameRef& name : a->names) {
            if (!action_defs_.contains(ActionKey{"Action", name.name}))
              continue;
            Error(name.loc,
                  absl::StrCat(
                      "definition of `",
                      ActionText(Qualify(block.name, "Action"), name.name),
                      "` illegally shadows the existing definition of `",
                      ActionText("Action", name.name), "`"));
          }
        }
      }
    }
  }

  void AddBuiltins() {
    for (const auto& [name, kind] : kBuiltinTypes) {
      common_defs_[absl::StrCat("__cedar::", Av(name))] =
          CommonDef{nullptr, nullptr, kind};
      std::string plain(name);
      if (!entity_defs_.contains(plain) && !common_defs_.contains(plain)) {
        common_defs_[plain] = CommonDef{nullptr, nullptr, kind};
      }
    }
  }

  // --- names ---

  struct Target {
    const CommonDef* common = nullptr;  // set for a common type
    std::string name;                   // the fully qualified name
    bool ok = false;
  };

  std::vector<std::string> Candidates(std::string_view ns,
                                      const std::string& raw) {
    if (IsQualified(raw) || ns.empty()) return {raw};
    return {Qualify(ns, raw), raw};
  }

  Target Lookup(std::string_view ns, const std::string& raw, RefKind kind) {
    for (std::string& candidate : Candidates(ns, raw)) {
      if (kind != RefKind::kEntity) {
        auto it = common_defs_.find(candidate);
        if (it != common_defs_.end())
          return Target{&it->second, std::move(candidate), true};
      }
      if (kind != RefKind::kCommon && entity_defs_.contains(candidate)) {
        return Target{nullptr, std::move(candidate), true};
      }
    }
    return Target{};
  }

  Target Resolve(std::string_view ns, const NameRef& ref, RefKind kind) {
    Target t = Lookup(ns, ref.name, kind);
    if (!t.ok) {
      std::string_view as_what = kind == RefKind::kEntity ? "as an entity type"
                                 : kind == RefKind::kCommon
                                     ? "as a common type"
                                     : "as a common or entity type";
      Error(ref.loc,
            absl::StrCat("failed to resolve type `", ref.name, "`: ",
                         NotDeclared(Candidates(ns, ref.name), as_what)));
    }
    return t;
  }

  SchemaTypePtr EntityRef(const std::string& name) {
    auto [it, inserted] = entity_refs_.try_emplace(name);
    if (inserted) {
      auto t = std::make_shared<SchemaType>();
      t->kind = Kind::kEntity;
      t->entity_type = Symbol::Intern(name);
      it->second = std::move(t);
    }
    return it->second;
  }

  // --- types ---

  // The user common types a type expression refers to (for ordering).
  void CommonDeps(const TypeExpr& e, std::string_view ns,
                  std::vector<std::string>* out) {
    switch (e.kind) {
      case TypeExpr::Kind::kSet:
        if (e.element) CommonDeps(*e.element, ns, out);
        return;
      case TypeExpr::Kind::kRecord:
        for (const AttrDecl& a : e.attrs) CommonDeps(a.type, ns, out);
        return;
      case TypeExpr::Kind::kName:
      case TypeExpr::Kind::kCommonRef: {
        Target t =
            Lookup(ns, e.name,
                   e.kind == TypeExpr::Kind::kName ? RefKind::kCommonOrEntity
                                                   : RefKind::kCommon);
        if (t.ok && t.common != nullptr && t.common->decl != nullptr) {
          out->push_back(std::move(t.name));
        }
        return;
      }
      default:
        return;
    }
  }

  Resolved TooDeep(const SrcLoc& loc) {
    Error(loc, absl::StrFormat("type nesting exceeds the limit of %d levels "
                               "(with common types inlined)",
                               options_.max_nesting_depth));
    return Resolved{};
  }

  Resolved ResolveType(const TypeExpr& e, std::string_view ns) {
    switch (e.kind) {
      case TypeExpr::Kind::kBool:
        return {Leaf(Kind::kBool), 0};
      case TypeExpr::Kind::kLong:
        return {Leaf(Kind::kLong), 0};
      case TypeExpr::Kind::kString:
        return {Leaf(Kind::kString), 0};
      case TypeExpr::Kind::kExtension: {
        for (const auto& [name, kind] : kBuiltinTypes) {
          if (name == e.name && kind >= Kind::kIpAddr) return {Leaf(kind), 0};
        }
        Error(e.loc, absl::StrCat("unknown extension type `", e.name,
                                  "`: expected `ipaddr`, `decimal`, `datetime` "
                                  "or `duration`"));
        return {};
      }
      case TypeExpr::Kind::kEntity: {
        Target t = Resolve(ns, NameRef{e.name, e.loc}, RefKind::kEntity);
        return t.ok ? Resolved{EntityRef(t.name), 0} : Resolved{};
      }
      case TypeExpr::Kind::kName:
      case TypeExpr::Kind::kCommonRef: {
        Target t =
            Resolve(ns, NameRef{e.name, e.loc},
                    e.kind == TypeExpr::Kind::kName ? RefKind::kCommonOrEntity
                                                    : RefKind::kCommon);
        if (!t.ok) return {};
        if (t.common == nullptr) return {EntityRef(t.name), 0};
        if (t.common->decl == nullptr) return {Leaf(t.common->builtin), 0};
        auto it = resolved_commons_.find(t.name);
        return it == resolved_commons_.end() ? Resolved{} : it->second;
      }
      case TypeExpr::Kind::kSet: {
        if (e.element == nullptr) return {};
        Resolved element = ResolveType(*e.element, ns);
        if (element.type == nullptr) return {};
        if (element.depth + 1 > options_.max_nesting_depth)
          return TooDeep(e.loc);
        auto t = std::make_shared<SchemaType>();
        t->kind = Kind::kSet;
        t->element = std::move(element.type);
        return {std::move(t), element.depth + 1};
      }
      case TypeExpr::Kind::kRecord: {
        auto t = std::make_shared<SchemaType>();
        t->kind = Kind::kRecord;
        size_t depth = 0;
        bool ok = true;
        for (const AttrDecl& a : e.attrs) {
          Resolved attr = ResolveType(a.type, ns);
          if (attr.type == nullptr) {
            ok = false;
            continue;
          }
          depth = std::max(depth, attr.depth);
          t->attrs.emplace_back(Symbol::Intern(a.name),
                                RecordAttr{std::move(attr.type), a.required});
        }
        if (!ok) return {};
        if (depth + 1 > options_.max_nesting_depth) return TooDeep(e.loc);
        std::sort(
            t->attrs.begin(), t->attrs.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
        return {std::move(t), depth + 1};
      }
    }
    return {};
  }

  void ResolveCommonTypes() {
    // Dependencies between user common types, then Kahn's algorithm.
    const size_t n = user_commons_.size();
    absl::flat_hash_map<std::string, size_t> index;
    for (size_t i = 0; i < n; ++i) index[user_commons_[i]] = i;
    std::vector<std::vector<size_t>> deps(n), dependents(n);
    std::vector<size_t> unresolved(n, 0);
    for (size_t i = 0; i < n; ++i) {
      const CommonDef& def = common_defs_.at(user_commons_[i]);
      std::vector<std::string> names;
      CommonDeps(def.decl->type, *def.ns, &names);
      for (const std::string& name : names) {
        size_t j = index.at(name);
        deps[i].push_back(j);
        dependents[j].push_back(i);
        ++unresolved[i];
      }
    }
    std::deque<size_t> ready;
    for (size_t i = 0; i < n; ++i) {
      if (unresolved[i] == 0) ready.push_back(i);
    }
    std::vector<size_t> order;
    while (!ready.empty()) {
      size_t i = ready.front();
      ready.pop_front();
      order.push_back(i);
      for (size_t d : dependents[i]) {
        if (--unresolved[d] == 0) ready.push_back(d);
      }
    }
    if (order.size() < n) ReportCycles(deps, unresolved);
    for (size_t i : order) {
      const CommonDef& def = common_defs_.at(user_commons_[i]);
      resolved_commons_[user_commons_[i]] =
          ResolveType(def.decl->type, *def.ns);
    }
  }

  // Names each cycle among the common types Kahn's algorithm left behind.
  void ReportCycles(const std::vector<std::vector<size_t>>& deps,
                    const std::vector<size_t>& unresolved) {
    const size_t n = deps.size();
    std::vector<int> walk_of(n, -1);
    for (size_t start = 0; start < n; ++start) {
      if (unresolved[start] == 0 || walk_of[start] >= 0) continue;
      std::vector<size_t> path;
      size_t cur = start;
      while (true) {
        walk_of[cur] = static_cast<int>(start);
        path.push_back(cur);
        // A type left unresolved depends on at least one other such type.
        size_t next = n;
        for (size_t d : deps[cur]) {
          if (unresolved[d] != 0) {
            next = d;
            break;
          }
        }
        if (next == n) break;
        if (walk_of[next] == static_cast<int>(start)) {
          auto first = std::find(path.begin(), path.end(), next);
          std::vector<std::string> names;
          for (auto it = first; it != path.end(); ++it) {
            names.push_back(absl::StrCat("`", user_commons_[*it], "`"));
          }
          names.push_back(absl::StrCat("`", user_commons_[next], "`"));
          const CommonDef& def = common_defs_.at(user_commons_[next]);
          Error(def.decl->name.loc,
                absl::StrCat("cycle in common type references: ",
                             absl::StrJoin(names, " -> ")));
          break;
        }
        if (walk_of[next] >= 0) break;  // leads into a cycle already named
        cur = next;
      }
    }
  }

  // --- entity types and actions ---

  void BuildEntityTypes(SchemaModel* out) {
    for (const auto& [decl, ns] : entity_decls_) {
      EntityTypeInfo info;
      absl::flat_hash_set<Symbol> seen;
      for (const NameRef& parent : decl->member_of) {
        Target t = Resolve(*ns, parent, RefKind::kEntity);
        if (!t.ok) continue;
        Symbol s = Symbol::Intern(t.name);
        if (seen.insert(s).second) info.member_of.push_back(s);
      }
      info.shape = EmptyRecord();
      if (decl->shape) {
        Resolved shape = ResolveType(*decl->shape, *ns);
        if (shape.type != nullptr && shape.type->kind != Kind::kRecord) {
          Error(decl->shape->loc,
                absl::StrCat("the shape of entity type `",
                             Qualify(*ns, decl->names.front().name),
                             "` must be a record type"));
        }
        info.shape = std::move(shape.type);
      }
      if (decl->tags) info.tags = ResolveType(*decl->tags, *ns).type;
      info.enum_ids = decl->enum_ids;
      for (const NameRef& name : decl->names) {
        std::string fq = Qualify(*ns, name.name);
        Symbol s = Symbol::Intern(fq);
        if (out->entity_types.contains(s)) continue;  // reported as a duplicate
        EntityTypeInfo copy = info;
        copy.name = s;
        out->entity_types.emplace(s, std::move(copy));
        out->entity_type_order.push_back(s);
      }
    }
  }

  bool ResolveActionRef(std::string_view ns, const ActionRef& ref,
                        EntityUid* out) {
    std::string type = ref.type.value_or("Action");
    std::vector<std::string> candidates = Candidates(ns, type);
    for (const std::string& candidate : candidates) {
      if (action_defs_.contains(ActionKey{candidate, ref.id})) {
        *out = EntityUid{Symbol::Intern(candidate), Symbol::Intern(ref.id)};
        return true;
      }
    }
    std::vector<std::string> uids;
    for (const std::string& c : candidates)
      uids.push_back(ActionText(c, ref.id));
    Error(ref.loc, absl::StrCat("undeclared action `", ActionText(type, ref.id),
                                "`: ", NotDeclared(uids, "as an action")));
    return false;
  }

  void BuildActions(SchemaModel* out) {
    for (const auto& [decl, ns] : action_decls_) {
      ActionInfo info;
      if (decl->member_of) {
        absl::flat_hash_set<EntityUid> seen;
        for (const ActionRef& ref : *decl->member_of) {
          EntityUid parent;
          if (!ResolveActionRef(*ns, ref, &parent)) continue;
          if (seen.insert(parent).second) info.member_of.push_back(parent);
        }
      }
      info.context = EmptyRecord();
      if (decl->applies_to) {
        auto add_types = [&](const std::vector<NameRef>& refs,
                             std::vector<Symbol>* to) {
          absl::flat_hash_set<Symbol> seen;
          for (const NameRef& ref : refs) {
            Target t = Resolve(*ns, ref, RefKind::kEntity);
            if (!t.ok) continue;
            Symbol s = Symbol::Intern(t.name);
            if (seen.insert(s).second) to->push_back(s);
          }
        };
        add_types(decl->applies_to->principals, &info.principal_types);
        add_types(decl->applies_to->resources, &info.resource_types);
        if (decl->applies_to->context) {
          const TypeExpr& ctx = *decl->applies_to->context;
          Resolved context = ResolveType(ctx, *ns);
          if (context.type != nullptr && context.type->kind != Kind::kRecord) {
            Error(ctx.loc, absl::StrCat("the context of action `",
                                        ActionText(Qualify(*ns, "Action"),
                                                   decl->names.front().name),
                                        "` must be a record type"));
          }
          info.context = std::move(context.type);
        }
      }
      Symbol type = Symbol::Intern(Qualify(*ns, "Action"));
      for (const NameRef& name : decl->names) {
        EntityUid uid{type, Symbol::Intern(name.name)};
        if (out->actions.contains(uid)) continue;  // reported as a duplicate
        ActionInfo copy = info;
        copy.uid = uid;
        out->actions.emplace(uid, std::move(copy));
        out->action_order.push_back(uid);
        action_locs_.emplace(uid, name.loc);
      }
    }
  }

  // The nodes reachable from `from` through `parents` (a depth-first walk
  // with an explicit stack). `stamp` is scratch shared across calls, so each
  // walk costs only what it reaches.
  static std::vector<size_t> Reach(
      size_t from, const std::vector<std::vector<size_t>>& parents,
      std::vector<uint32_t>* stamp, uint32_t* generation) {
    const uint32_t gen = ++*generation;
    std::vector<size_t> reached, stack = parents[from];
    while (!stack.empty()) {
      size_t i = stack.back();
      stack.pop_back();
      if ((*stamp)[i] == gen) continue;
      (*stamp)[i] = gen;
      reached.push_back(i);
      for (size_t p : parents[i]) {
        if ((*stamp)[p] != gen) stack.push_back(p);
      }
    }
    return reached;
  }

  void CloseEntityTypes(SchemaModel* out) {
    const std::vector<Symbol>& order = out->entity_type_order;
    absl::flat_hash_map<Symbol, size_t> index;
    for (size_t i = 0; i < order.size(); ++i) index[order[i]] = i;
    std::vector<std::vector<size_t>> parents(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
      for (Symbol p : out->entity_types.at(order[i]).member_of) {
        auto it = index.find(p);
        if (it != index.end()) parents[i].push_back(it->second);
      }
    }
    std::vector<uint32_t> stamp(order.size(), 0);
    uint32_t generation = 0;
    for (size_t i = 0; i < order.size(); ++i) {
      EntityTypeInfo& info = out->entity_types.at(order[i]);
      for (size_t j : Reach(i, parents, &stamp, &generation)) {
        info.ancestors.insert(order[j]);
      }
    }
  }

  void CloseActions(SchemaModel* out) {
    const std::vector<EntityUid>& order = out->action_order;
    absl::flat_hash_map<EntityUid, size_t> index;
    for (size_t i = 0; i < order.size(); ++i) index[order[i]] = i;
    std::vector<std::vector<size_t>> parents(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
      for (const EntityUid& p : out->actions.at(order[i]).member_of) {
        parents[i].push_back(index.at(p));
      }
    }
    std::vector<uint32_t> stamp(order.size(), 0);
    uint32_t generation = 0;
    std::vector<std::vector<size_t>> reached(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
      reached[i] = Reach(i, parents, &stamp, &generation);
      ActionInfo& info = out->actions.at(order[i]);
      for (size_t j : reached[i]) info.ancestors.insert(order[j]);
    }
    // One error per cycle: the actions that reach each other form it.
    std::vector<char> reported(order.size(), 0);
    for (size_t i = 0; i < order.size(); ++i) {
      const ActionInfo& info = out->actions.at(order[i]);
      if (reported[i] || !info.ancestors.contains(info.uid)) continue;
      for (size_t j : reached[i]) {
        if (out->actions.at(order[j]).ancestors.contains(info.uid))
          reported[j] = 1;
      }
      Error(action_locs_.at(info.uid),
            absl::StrCat("cycle in action hierarchy containing `",
                         info.uid.ToString(), "`"));
    }
  }

  const SchemaSource& source_;
  const SchemaParseOptions& options_;
  std::vector<SchemaError>* errors_;

  absl::flat_hash_set<const NamespaceBlock*> duplicate_blocks_;
  absl::flat_hash_map<std::string, CommonDef> common_defs_;  // with builtins
  std::vector<std::string> user_commons_;  // declaration order
  absl::flat_hash_set<std::string> entity_defs_;
  absl::flat_hash_set<ActionKey> action_defs_;
  std::vector<std::pair<const EntityDecl*, const std::string*>> entity_decls_;
  std::vector<std::pair<const ActionDecl*, const std::string*>> action_decls_;
  absl::flat_hash_map<std::string, Resolved> resolved_commons_;
  absl::flat_hash_map<std::string, SchemaTypePtr> entity_refs_;
  absl::flat_hash_map<EntityUid, SrcLoc> action_locs_;
};

}  // namespace

bool ResolveSchema(const SchemaSource& source,
                   const SchemaParseOptions& options, SchemaModel* out,
                   std::vector<SchemaError>* errors) {
  Resolver resolver(source, options, errors);
  return resolver.Run(out);
}

}  // namespace arbiter::internal
