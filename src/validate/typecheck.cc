// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Typechecking of variables, literals, the boolean connectives, `if`, sets,
// records, attribute access and tests, `is` and `like`.
//
// Design note. An Answer that failed still carries the type Cedar recovers
// for it, and a rule applied to a failed operand runs as usual and then
// fails too (Cedar's `then_typecheck`): that keeps every later error Cedar
// would report. Capabilities only flow out of successful answers. The
// singleton boolean types drive short-circuiting: `&&` stops at a False
// left operand, `||` at a True one, and `if` with a True or False test only
// checks the branch that can run.

#include "src/validate/typecheck.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/validate/quote.h"

namespace arbiter::internal {
namespace {

using K = VType::Kind;

bool Is(const TypeRef& t, K k) { return t && t->kind == k; }

// Cedar's `then_typecheck`: a rule's answer fails when its operand did.
Answer Chain(const Answer& operand, Answer result) {
  if (!operand.ok) {
    result.ok = false;
    result.caps = {};
  }
  return result;
}

std::string_view HasHelp(const VType& t) {
  if (t.kind == K::kSet) {
    return "try using `contains`, `containsAny`, or `containsAll` to examine the "
           "contents of a set";
  }
  if (t.kind == K::kString) return "try using `like` to examine the contents of a string";
  return {};
}

std::string_view LikeHelp(const VType& t) {
  if (t.kind == K::kEntity || t.kind == K::kAnyEntity) {
    return "try using `is` to test for an entity type";
  }
  return {};
}

std::string_view IsEmptyHelp(const VType& t) {
  if (t.kind == K::kString) return "try using `== \"\"` to test if a string is empty";
  return {};
}

std::string_view IsHelp(const VType&) {
  return "Cedar only supports run time type tests for entities";
}

}  // namespace

Answer Typechecker::CheckCondition(const Expr& condition) {
  return Expect(CapabilitySet(), condition, {types::Bool()});
}

void Typechecker::Error(const Expr& e, std::string kind, std::string message,
                        PendingIssue::Prefix prefix) {
  errors_->push_back(PendingIssue{std::move(kind), std::move(message), e.span,
                                  true, prefix});
}

std::string Typechecker::SourceText(const Expr& e) const {
  if (e.kind == ExprKind::kLiteral && e.literal.is(ValueKind::kString)) {
    return DebugQuote(e.literal.as_string());
  }
  if (e.span.end > e.span.begin && e.span.end <= source_.size()) {
    return std::string(source_.substr(e.span.begin, e.span.end - e.span.begin));
  }
  return "…";
}

void Typechecker::UnexpectedType(const Expr& e, const std::vector<TypeRef>& expected,
                                 const VType& actual, std::string_view help) {
  std::vector<std::string> names;
  for (const TypeRef& t : expected) names.push_back(TypeName(*t));
  std::string msg = absl::StrCat("unexpected type: expected ",
                                 absl::StrJoin(names, ", or "), " but saw ",
                                 TypeName(actual));
  if (!help.empty()) absl::StrAppend(&msg, " (", std::string(help), ")");
  Error(e, "unexpected_type", std::move(msg));
}

Answer Typechecker::Expect(const CapabilitySet& prior, const Expr& e,
                           std::initializer_list<TypeRef> expected, HelpFn help) {
  Answer a = Check(prior, e);
  if (!a.type) return Answer::Fail(nullptr);
  for (const TypeRef& t : expected) {
    if (IsSubtype(*a.type, *t, /*strict=*/false)) return a;
  }
  UnexpectedType(e, std::vector<TypeRef>(expected), *a.type,
                 help ? help(*a.type) : std::string_view());
  return Answer::Fail(nullptr);
}

TypeRef Typechecker::LubOrError(const Expr& e, const std::vector<TypeRef>& ts,
                                std::string_view context) {
  for (const TypeRef& t : ts) {
    if (!t) return nullptr;
  }
  TypeRef lub = types::Never();
  LubHelp help = LubHelp::kNone;
  for (const TypeRef& t : ts) {
    lub = LeastUpperBound(lub, t, /*strict=*/true, &help);
    if (!lub) break;
  }
  if (lub) return lub;
  std::vector<TypeRef> sorted = ts;
  std::sort(sorted.begin(), sorted.end(),
            [](const TypeRef& a, const TypeRef& b) { return TypeMessageLess(*a, *b); });
  std::vector<std::string> names;
  for (const TypeRef& t : sorted) {
    std::string n = TypeName(*t);
    if (names.empty() || names.back() != n) names.push_back(std::move(n));
  }
  std::string list;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) list += names.size() == 2 ? " and " : (i + 1 == names.size() ? ", and " : ", ");
    list += names[i];
  }
  Error(e, "incompatible_types",
        absl::StrCat("the types ", list, " are not compatible (", std::string(context),
                     " must have compatible types. ",
                     std::string(LubHelpText(help)), ")"),
        PendingIssue::Prefix::kNone);
  return nullptr;
}

Answer Typechecker::Check(const CapabilitySet& prior, const Expr& e) {
  Answer a;
  switch (e.kind) {
    case ExprKind::kLiteral:
      a = CheckLiteral(e);
      break;
    case ExprKind::kVar:
      a = CheckVar(e);
      break;
    case ExprKind::kSlot: {
      const std::optional<Symbol>& s =
          e.slot == SlotId::kPrincipal ? env_.principal_slot : env_.resource_slot;
      a = Answer::Success(s ? types::Entity(*s) : types::AnyEntity());
      break;
    }
    case ExprKind::kIf:
      a = CheckIf(prior, e);
      break;
    case ExprKind::kAnd:
      a = CheckAnd(prior, e);
      break;
    case ExprKind::kOr:
      a = CheckOr(prior, e);
      break;
    case ExprKind::kNot:
      a = CheckNot(prior, e);
      break;
    case ExprKind::kNeg: {
      Answer x = Expect(prior, *e.children[0], {types::Long()});
      a = Chain(x, Answer::Success(types::Long()));
      break;
    }
    case ExprKind::kIsEmpty: {
      Answer x = Expect(prior, *e.children[0], {types::AnySet()}, IsEmptyHelp);
      a = Chain(x, Answer::Success(types::Bool()));
      break;
    }
    case ExprKind::kLike: {
      Answer x = Expect(prior, *e.children[0], {types::String()}, LikeHelp);
      a = Chain(x, Answer::Success(types::Bool()));
      break;
    }
    case ExprKind::kHas:
      a = CheckHas(prior, e);
      break;
    case ExprKind::kGetAttr:
      a = CheckGetAttr(prior, e);
      break;
    case ExprKind::kIs:
      a = CheckIs(prior, e);
      break;
    case ExprKind::kSet:
      a = CheckSet(prior, e);
      break;
    case ExprKind::kRecord:
      a = CheckRecord(prior, e);
      break;
    case ExprKind::kBinary:
      a = CheckBinary(prior, e);
      break;
    case ExprKind::kExtCall:
      a = CheckExtCall(prior, e);
      break;
  }
  return a;
}

Answer Typechecker::CheckLiteral(const Expr& e) {
  const Value& v = e.literal;
  switch (v.kind()) {
    case ValueKind::kBool:
      return Answer::Success(types::Singleton(v.as_bool()));
    case ValueKind::kLong:
      return Answer::Success(types::Long());
    case ValueKind::kString:
      return Answer::Success(types::String());
    case ValueKind::kEntity: {
      // Undeclared types and actions are reported by the scope checks; here
      // the literal just has no type.
      const EntityUid& uid = v.as_entity();
      if (IsActionType(uid.type)) {
        if (schema_.action(uid) == nullptr) return Answer::Fail(nullptr);
        return Answer::Success(types::Action(uid.type));
      }
      if (schema_.entity_type(uid.type) == nullptr) return Answer::Fail(nullptr);
      return Answer::Success(types::Entity(uid.type));
    }
    default:
      return Answer::Fail(nullptr);
  }
}

Answer Typechecker::CheckVar(const Expr& e) {
  switch (e.var) {
    case Var::kPrincipal:
      return Answer::Success(types::Entity(env_.principal));
    case Var::kResource:
      return Answer::Success(types::Entity(env_.resource));
    case Var::kAction:
      return Answer::Success(types::Action(env_.action->uid.type));
    case Var::kContext:
      return Answer::Success(schema_.Context(env_.action->uid));
  }
  return Answer::Fail(nullptr);
}

Answer Typechecker::CheckIf(const CapabilitySet& prior, const Expr& e) {
  const Expr& test = *e.children[0];
  const Expr& then_e = *e.children[1];
  const Expr& else_e = *e.children[2];
  Answer t = Expect(prior, test, {types::Bool()});
  CapabilitySet test_caps = t.ok ? t.caps : CapabilitySet();
  Answer r;
  if (Is(t.type, K::kTrue)) {
    Answer a = Check(prior.Union(test_caps), then_e);
    r = Chain(a, Answer::Success(a.type, a.caps.Union(test_caps)));
  } else if (Is(t.type, K::kFalse)) {
    Answer b = Check(prior, else_e);
    r = Chain(b, Answer::Success(b.type, b.caps));
  } else {
    Answer a = Check(prior.Union(test_caps), then_e);
    if (a.ok) a.caps = a.caps.Union(test_caps);
    Answer b = Check(prior, else_e);
    TypeRef lub = LubOrError(e, {a.type, b.type}, "both branches of a conditional");
    r = lub ? Answer::Success(lub, b.caps.Intersect(a.caps)) : Answer::Fail(nullptr);
    r = Chain(b, Chain(a, std::move(r)));
  }
  return Chain(t, std::move(r));
}

Answer Typechecker::CheckAnd(const CapabilitySet& prior, const Expr& e) {
  Answer l = Expect(prior, *e.children[0], {types::Bool()});
  CapabilitySet lc = l.ok ? l.caps : CapabilitySet();
  if (Is(l.type, K::kFalse)) return Chain(l, Answer::Success(l.type));
  Answer r = Expect(prior.Union(lc), *e.children[1], {types::Bool()});
  CapabilitySet rc = r.ok ? r.caps : CapabilitySet();
  Answer out;
  if (l.type && Is(r.type, K::kFalse)) {
    out = Answer::Success(types::False());
  } else if (l.type && Is(r.type, K::kTrue)) {
    out = Answer::Success(l.type, lc.Union(rc));
  } else if (Is(l.type, K::kTrue) && r.type) {
    // Cedar keeps only the right operand's capabilities here.
    out = Answer::Success(r.type, rc);
  } else if (l.type && r.type) {
    out = Answer::Success(types::Bool(), lc.Union(rc));
  } else {
    out = Answer::Fail(types::Bool());
  }
  return Chain(l, Chain(r, std::move(out)));
}

Answer Typechecker::CheckOr(const CapabilitySet& prior, const Expr& e) {
  Answer l = Expect(prior, *e.children[0], {types::Bool()});
  CapabilitySet lc = l.ok ? l.caps : CapabilitySet();
  if (Is(l.type, K::kTrue)) return Chain(l, Answer::Success(l.type, lc));
  Answer r = Expect(prior, *e.children[1], {types::Bool()});
  CapabilitySet rc = r.ok ? r.caps : CapabilitySet();
  Answer out;
  if (l.type && Is(r.type, K::kTrue)) {
    out = Answer::Success(types::True(), rc);
  } else if (l.type && Is(r.type, K::kFalse)) {
    out = Answer::Success(l.type, lc);
  } else if (Is(l.type, K::kFalse) && r.type) {
    out = Answer::Success(r.type, rc);
  } else if (l.type && r.type) {
    out = Answer::Success(types::Bool(), rc.Intersect(lc));
  } else {
    out = Answer::Fail(types::Bool());
  }
  return Chain(l, Chain(r, std::move(out)));
}

Answer Typechecker::CheckNot(const CapabilitySet& prior, const Expr& e) {
  Answer a = Expect(prior, *e.children[0], {types::Bool()});
  if (!a.type) return Answer::Fail(types::Bool());
  TypeRef t = Is(a.type, K::kTrue)    ? types::False()
              : Is(a.type, K::kFalse) ? types::True()
                                      : types::Bool();
  return Chain(a, Answer::Success(t));
}

std::optional<AttrType> Typechecker::LookupAttr(const VType& t, Symbol attr) const {
  switch (t.kind) {
    case K::kRecord:
    case K::kAction: {
      const AttrType* a = t.FindAttr(attr);
      if (a == nullptr) return std::nullopt;
      return *a;
    }
    case K::kEntity: {
      // A union's attributes are those every member has, with merged types.
      std::optional<AttrType> out;
      for (size_t i = 0; i < t.entities.size(); ++i) {
        TypeRef shape = schema_.Shape(t.entities[i]);
        const AttrType* a = shape ? shape->FindAttr(attr) : nullptr;
        if (a == nullptr) return std::nullopt;
        if (i == 0) {
          out = *a;
          continue;
        }
        TypeRef lub = LeastUpperBound(out->type, a->type, /*strict=*/false, nullptr);
        if (!lub) return std::nullopt;
        out = AttrType{lub, out->required && a->required};
      }
      return out;
    }
    default:
      return std::nullopt;
  }
}

bool Typechecker::MayHaveAttr(const VType& t, Symbol attr) const {
  switch (t.kind) {
    case K::kNever:
    case K::kAnyEntity:
      return true;
    case K::kRecord:
      return t.open || t.FindAttr(attr) != nullptr;
    case K::kAction:
      return t.FindAttr(attr) != nullptr;
    case K::kEntity:
      for (Symbol s : t.entities) {
        TypeRef shape = schema_.Shape(s);
        if (!shape || shape->open || shape->FindAttr(attr) != nullptr) return true;
      }
      return false;
    default:
      return false;
  }
}

std::string Typechecker::AttributeAccessText(const Expr& on, const VType* on_type,
                                             Symbol attr) const {
  std::vector<std::string> path = {std::string(attr.str())};
  const Expr* cur = &on;
  const VType* cur_type = on_type;
  auto render = [&path]() {
    std::vector<std::string> rev(path.rbegin(), path.rend());
    return absl::StrJoin(rev, ".");
  };
  while (true) {
    if (cur_type != nullptr &&
        (cur_type->kind == K::kEntity || cur_type->kind == K::kAction)) {
      std::string where;
      if (cur_type->entities.size() == 1) {
        where = absl::StrCat(" `", std::string(cur_type->entities.front().str()), "`");
      } else {
        std::vector<std::string> names;
        for (Symbol s : cur_type->entities) names.push_back(absl::StrCat("`", std::string(s.str()), "`"));
        where = absl::StrCat("s ", absl::StrJoin(names, ", "));
      }
      return absl::StrCat("`", render(), "` on entity type", where);
    }
    if (cur->kind == ExprKind::kVar && cur->var == Var::kContext) {
      return absl::StrCat("`", render(), "` in context for ",
                          env_.action->uid.ToString());
    }
    if (cur->kind != ExprKind::kGetAttr) return absl::StrCat("`", render(), "`");
    path.push_back(std::string(cur->attr.str()));
    cur = cur->children[0].get();
    auto it = seen_.find(cur);
    cur_type = it != seen_.end() && it->second ? it->second.get() : nullptr;
  }
}

Answer Typechecker::CheckGetAttr(const CapabilitySet& prior, const Expr& e) {
  const Expr& on = *e.children[0];
  Answer a = Expect(prior, on, {types::AnyEntity(), types::AnyRecord()});
  seen_[&on] = a.type;  // for messages about `e.a.b`
  if (!a.type) return Answer::Fail(nullptr);
  std::optional<AttrType> attr = LookupAttr(*a.type, e.attr);
  Answer out;
  if (attr) {
    if (attr->required || prior.Contains(Capability{&on, false, e.attr, nullptr})) {
      out = Answer::Success(attr->type);
    } else {
      Error(e, "unsafe_optional_attribute_access",
            absl::StrCat("unable to guarantee safety of access to optional attribute ",
                         AttributeAccessText(on, a.type.get(), e.attr)));
      out = Answer::Fail(attr->type);
    }
  } else {
    Error(e, "unsafe_attribute_access",
          absl::StrCat("attribute ", AttributeAccessText(on, a.type.get(), e.attr),
                       " not found"));
    out = Answer::Fail(nullptr);
  }
  return Chain(a, std::move(out));
}

Answer Typechecker::CheckHas(const CapabilitySet& prior, const Expr& e) {
  const Expr& on = *e.children[0];
  Answer a = Expect(prior, on, {types::AnyEntity(), types::AnyRecord()}, HasHelp);
  if (!a.type) return Answer::Fail(types::Bool());
  std::optional<AttrType> attr = LookupAttr(*a.type, e.attr);
  Answer out;
  if (attr) {
    Capability cap{&on, false, e.attr, nullptr};
    bool known = prior.Contains(cap);
    bool always = known || (attr->required && a.type->kind == K::kRecord);
    out = Answer::Success(always ? types::True() : types::Bool(),
                          CapabilitySet::Of(cap));
  } else {
    out = Answer::Success(MayHaveAttr(*a.type, e.attr) ? types::Bool() : types::False());
  }
  return Chain(a, std::move(out));
}

Answer Typechecker::CheckIs(const CapabilitySet& prior, const Expr& e) {
  Answer a = Expect(prior, *e.children[0], {types::AnyEntity()}, IsHelp);
  if (!a.type) return Answer::Fail(types::Bool());
  Answer out;
  if (a.type->kind == K::kEntity || a.type->kind == K::kAction) {
    const std::vector<Symbol>& ets = a.type->entities;
    bool contains = std::find(ets.begin(), ets.end(), e.entity_type) != ets.end();
    TypeRef t = !contains           ? types::False()
                : ets.size() == 1   ? types::True()
                                    : types::Bool();
    out = Answer::Success(t);
  } else if (a.type->kind == K::kAnyEntity) {
    out = Answer::Success(types::Bool());
  } else {
    out = Answer::Fail(types::Bool());
  }
  return Chain(a, std::move(out));
}

Answer Typechecker::CheckSet(const CapabilitySet& prior, const Expr& e) {
  bool ok = true;
  std::vector<TypeRef> elems;
  elems.reserve(e.children.size());
  for (const auto& c : e.children) {
    Answer a = Check(prior, *c);
    ok = ok && a.ok;
    elems.push_back(a.type);
  }
  TypeRef lub = LubOrError(e, elems, "elements of a set");
  Answer out;
  if (e.children.empty()) {
    Error(e, "empty_set_forbidden", "empty set literals are forbidden in policies");
    out = Answer::Fail(nullptr);
  } else if (lub) {
    out = Answer::Success(types::SetOf(lub));
  } else {
    out = Answer::Fail(nullptr);
  }
  if (!ok) out.ok = false, out.caps = {};
  return out;
}

Answer Typechecker::CheckRecord(const CapabilitySet& prior, const Expr& e) {
  bool ok = true, typed = true;
  AttrList attrs;
  for (size_t i = 0; i < e.children.size(); ++i) {
    Answer a = Check(prior, *e.children[i]);
    ok = ok && a.ok;
    if (!a.type) typed = false;
    if (typed) attrs.push_back({e.record_keys[i], AttrType{a.type, true}});
  }
  if (!typed) return Answer::Fail(nullptr);
  Answer out = Answer::Success(types::Record(std::move(attrs), /*open=*/false));
  if (!ok) out.ok = false;
  return out;
}

std::optional<EntityUid> Typechecker::EuidOf(const Expr& e) const {
  if (e.kind == ExprKind::kVar && e.var == Var::kAction) return env_.action->uid;
  if (e.kind == ExprKind::kLiteral && e.literal.is(ValueKind::kEntity)) {
    return e.literal.as_entity();
  }
  return std::nullopt;
}

}  // namespace arbiter::internal
