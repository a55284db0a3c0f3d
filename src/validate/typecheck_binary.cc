// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Typechecking of the binary operators: `==`, `<` / `<=` (on Long, datetime
// and duration), arithmetic, `contains` / `containsAll` / `containsAny`,
// `in`, `hasTag` and `getTag`.
//
// Design note. `==` is typed False when its operands are entities of
// disjoint types and True/False when both are literals (the `action`
// variable counts as its literal in each environment); only otherwise does
// strict mode demand compatible operand types. `in` is typed False when no
// type on the left can be a descendant of a type on the right, and exactly
// when an action literal is tested against action literals. These singleton
// types are what lets `&&`, `||` and `if` skip unreachable operands.

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/validate/typecheck.h"

namespace arbiter::internal {
namespace {

using K = VType::Kind;

Answer Chain(const Answer& operand, Answer result) {
  if (!operand.ok) {
    result.ok = false;
    result.caps = {};
  }
  return result;
}

bool IsSingleton(const TypeRef& t) {
  return t && (t->kind == K::kTrue || t->kind == K::kFalse);
}

bool IsComparable(const VType& t) {
  return t.kind == K::kLong ||
         (t.kind == K::kExt &&
          (t.ext == ExtType::kDatetime || t.ext == ExtType::kDuration));
}

std::vector<TypeRef> ComparableTypes() {
  return {types::Ext(ExtType::kDatetime), types::Ext(ExtType::kDuration),
          types::Long()};
}

std::string_view AddHelp(const VType& t) {
  if (t.kind == K::kString) return "Cedar does not support string concatenation";
  if (t.kind == K::kSet) {
    return "Cedar does not support computing the union, intersection, or "
           "difference of sets";
  }
  return {};
}

std::string_view ArithHelp(const VType& t) {
  if (t.kind == K::kSet) {
    return "Cedar does not support computing the union, intersection, or "
           "difference of sets";
  }
  return {};
}

std::string_view ContainsHelp(const VType& t) {
  switch (t.kind) {
    case K::kEntity:
    case K::kAnyEntity:
      return "try using `in` for entity hierarchy membership";
    case K::kRecord:
      return "try using `has` to test for an attribute";
    case K::kString:
      return "try using `like` to examine the contents of a string";
    default:
      return {};
  }
}

std::string_view SingleContainsHelp(const VType&) {
  return "try using `contains` to test if a single element is in a set";
}

std::string_view InLhsHelp(const VType&) {
  return "try using `contains`, `containsAny`, or `containsAll` to examine the "
         "contents of a set";
}

std::string_view InRhsHelp(const VType& t) {
  if (t.kind == K::kSet) return InLhsHelp(t);
  if (t.kind == K::kString) return "try using `like` to examine the contents of a string";
  return {};
}

}  // namespace

Answer Typechecker::CheckBinary(const CapabilitySet& prior, const Expr& e) {
  switch (e.op) {
    case BinaryOp::kEq:
      return CheckEq(prior, e);
    case BinaryOp::kLt:
    case BinaryOp::kLe:
      return CheckCompare(prior, e);
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
    case BinaryOp::kMul: {
      HelpFn help = e.op == BinaryOp::kAdd ? AddHelp : ArithHelp;
      Answer a = Expect(prior, *e.children[0], {types::Long()}, help);
      Answer b = Expect(prior, *e.children[1], {types::Long()}, help);
      return Chain(a, Chain(b, Answer::Success(types::Long())));
    }
    case BinaryOp::kIn:
      return CheckIn(prior, e);
    case BinaryOp::kContains:
    case BinaryOp::kContainsAll:
    case BinaryOp::kContainsAny:
      return CheckContains(prior, e);
    case BinaryOp::kHasTag:
      return CheckHasTag(prior, e);
    case BinaryOp::kGetTag:
      return CheckGetTag(prior, e);
    default:
      // `!=`, `>` and `>=` were rewritten by BuildCondition.
      return Answer::Fail(nullptr);
  }
}

Answer Typechecker::StrictCompatible(const Expr& e, Answer result, const TypeRef& a,
                                     const TypeRef& b, std::string_view context) {
  if (IsSingleton(result.type) || !a || !b) return result;
  if (!LubOrError(e, {a, b}, context)) result.ok = false, result.caps = {};
  return result;
}

Answer Typechecker::CheckEq(const CapabilitySet& prior, const Expr& e) {
  const Expr& x = *e.children[0];
  const Expr& y = *e.children[1];
  Answer a = Check(prior, x);
  Answer b = Check(prior, y);
  TypeRef t;
  if (a.type && b.type && AreDisjoint(*a.type, *b.type)) {
    t = types::False();
  } else {
    std::optional<EntityUid> ax = EuidOf(x), bx = EuidOf(y);
    bool lx = x.kind == ExprKind::kLiteral || ax.has_value();
    bool ly = y.kind == ExprKind::kLiteral || bx.has_value();
    if (lx && ly) {
      Value vx = ax ? Value::Entity(*ax) : x.literal;
      Value vy = bx ? Value::Entity(*bx) : y.literal;
      t = types::Singleton(vx == vy);
    } else {
      t = types::Bool();
    }
  }
  Answer out = StrictCompatible(e, Answer::Success(t), a.type, b.type,
                                "both operands to a `==` expression");
  return Chain(a, Chain(b, std::move(out)));
}

Answer Typechecker::CheckCompare(const CapabilitySet& prior, const Expr& e) {
  const Expr& x = *e.children[0];
  const Expr& y = *e.children[1];
  Answer a = Check(prior, x);
  Answer b = Check(prior, y);
  Answer ok = Answer::Success(types::Bool());
  Answer bad = Answer::Fail(types::Bool());
  Answer out;
  const TypeRef& t1 = a.type;
  const TypeRef& t2 = b.type;
  if (!t1 || !t2) {
    out = bad;
  } else if (t1->kind == K::kNever && t2->kind == K::kNever) {
    out = bad;
  } else if (t1->kind == K::kNever || t2->kind == K::kNever) {
    const TypeRef& other = t1->kind == K::kNever ? t2 : t1;
    const Expr& at = t1->kind == K::kNever ? y : x;
    if (IsComparable(*other)) {
      out = ok;
    } else {
      UnexpectedType(at, ComparableTypes(), *other, {});
      out = bad;
    }
  } else if (TypeEqual(*t1, *t2) && IsComparable(*t1)) {
    out = ok;
  } else if (t1->kind == K::kLong) {
    UnexpectedType(y, {types::Long()}, *t2, {});
    out = bad;
  } else if (t2->kind == K::kLong) {
    UnexpectedType(x, {types::Long()}, *t1, {});
    out = bad;
  } else if (IsComparable(*t1)) {
    UnexpectedType(y, {t1}, *t2, {});
    out = bad;
  } else if (IsComparable(*t2)) {
    UnexpectedType(x, {t2}, *t1, {});
    out = bad;
  } else {
    UnexpectedType(x, ComparableTypes(), *t1, {});
    UnexpectedType(y, ComparableTypes(), *t2, {});
    out = bad;
  }
  return Chain(a, Chain(b, std::move(out)));
}

Answer Typechecker::CheckContains(const CapabilitySet& prior, const Expr& e) {
  Answer a = Expect(prior, *e.children[0], {types::AnySet()}, ContainsHelp);
  if (e.op == BinaryOp::kContains) {
    Answer b = Check(prior, *e.children[1]);
    TypeRef elem = a.type && a.type->kind == K::kSet ? a.type->element : nullptr;
    Answer out = StrictCompatible(
        e, Answer::Success(types::Bool()), elem, b.type,
        "elements of the first operand and the second operand to a `contains` "
        "expression");
    return Chain(a, Chain(b, std::move(out)));
  }
  Answer b = Expect(prior, *e.children[1], {types::AnySet()}, SingleContainsHelp);
  Answer out = StrictCompatible(
      e, Answer::Success(types::Bool()), a.type, b.type,
      "elements of both set operands to a `containsAll` or `containsAny` expression");
  return Chain(a, Chain(b, std::move(out)));
}

Answer Typechecker::CheckIn(const CapabilitySet& prior, const Expr& e) {
  const Expr& x = *e.children[0];
  const Expr& y = *e.children[1];
  Answer a = Expect(prior, x, {types::AnyEntity()}, InLhsHelp);
  Answer b = Expect(prior, y, {types::SetOf(types::AnyEntity()), types::AnyEntity()},
                    InRhsHelp);
  if (!a.ok || !b.ok) return Answer::Fail(types::Bool());

  // An action literal (or the `action` variable) in action literals: the
  // action hierarchy decides it exactly.
  std::optional<EntityUid> lhs = EuidOf(x);
  std::optional<std::vector<EntityUid>> rhs;
  if (std::optional<EntityUid> one = EuidOf(y)) {
    rhs = std::vector<EntityUid>{*one};
  } else if (y.kind == ExprKind::kSet) {
    rhs.emplace();
    for (const auto& c : y.children) {
      std::optional<EntityUid> u = EuidOf(*c);
      if (!u) {
        rhs.reset();
        break;
      }
      rhs->push_back(*u);
    }
  }
  if (lhs && rhs && IsActionType(lhs->type)) {
    bool any_action = false, in = false;
    for (const EntityUid& u : *rhs) {
      if (!IsActionType(u.type)) continue;
      any_action = true;
      std::optional<std::vector<EntityUid>> below = schema_.ActionsIn(u);
      if (!below) return Answer::Fail(types::Bool());
      if (std::find(below->begin(), below->end(), *lhs) != below->end()) in = true;
    }
    if (!any_action) return Answer::Success(types::False());
    return Answer::Success(types::Singleton(in));
  }

  std::vector<Symbol> lhs_types = EntityTypesOf(*a.type);
  std::vector<Symbol> rhs_types;
  if (b.type->kind == K::kSet) {
    if (b.type->element) rhs_types = EntityTypesOf(*b.type->element);
  } else {
    rhs_types = EntityTypesOf(*b.type);
  }
  if (!lhs_types.empty() && !rhs_types.empty()) {
    bool possible = false;
    for (Symbol l : lhs_types) {
      for (Symbol r : rhs_types) {
        if (schema_.MayBeIn(l, r) || schema_.ActionTypeHasDescendantType(r, l)) {
          possible = true;
        }
      }
    }
    if (!possible) return Answer::Success(types::False());
  }
  return Answer::Success(types::Bool());
}

namespace {

// The tag types entities of type `t` may have (entity types without tags
// are ignored; actions have none).
std::vector<TypeRef> TagTypes(const SchemaView& schema, const VType& t) {
  std::vector<TypeRef> out;
  auto add = [&out](TypeRef tt) {
    if (!tt) return;
    for (const TypeRef& x : out) {
      if (TypeEqual(*x, *tt)) return;
    }
    out.push_back(std::move(tt));
  };
  if (t.kind == K::kEntity) {
    for (Symbol s : t.entities) add(schema.Tags(s));
  } else if (t.kind == K::kAnyEntity) {
    for (Symbol s : schema.model().entity_type_order) add(schema.Tags(s));
  }
  return out;
}

}  // namespace

Answer Typechecker::CheckHasTag(const CapabilitySet& prior, const Expr& e) {
  const Expr& x = *e.children[0];
  const Expr& y = *e.children[1];
  Answer a = Expect(prior, x, {types::AnyEntity()});
  Answer b = Expect(prior, y, {types::String()});
  Answer out;
  if (!a.type) {
    out = Answer::Fail(nullptr);
  } else {
    Capability cap{&x, true, Symbol(), &y};
    TypeRef t = TagTypes(schema_, *a.type).empty() ? types::False()
                : prior.Contains(cap)              ? types::True()
                                                   : types::Bool();
    out = Answer::Success(t, CapabilitySet::Of(cap));
  }
  return Chain(a, Chain(b, std::move(out)));
}

Answer Typechecker::CheckGetTag(const CapabilitySet& prior, const Expr& e) {
  const Expr& x = *e.children[0];
  const Expr& y = *e.children[1];
  Answer a = Expect(prior, x, {types::AnyEntity()});
  Answer b = Expect(prior, y, {types::String()});
  Answer out = Answer::Fail(nullptr);
  if (a.type) {
    std::string on;
    if ((a.type->kind == K::kEntity || a.type->kind == K::kAction) &&
        a.type->entities.size() == 1) {
      on = std::string(a.type->entities.front().str());
    }
    if (prior.Contains(Capability{&x, true, Symbol(), &y})) {
      std::vector<TypeRef> tags = TagTypes(schema_, *a.type);
      if (tags.empty()) {
        Error(e, "no_tags_allowed",
              absl::StrCat("`.getTag()` is not allowed on entities of ",
                           on.empty() ? "this type" : absl::StrCat("type `", on, "`"),
                           " because no `tags` were declared on the entity type in "
                           "the schema"));
      } else if (TypeRef t = LubOrError(e, tags, "tag types for a `.getTag()` operation")) {
        out = Answer::Success(t);
      }
    } else {
      Error(e, "unsafe_tag_access",
            absl::StrCat("unable to guarantee safety of access to tag `", SourceText(y),
                         "`", on.empty() ? "" : absl::StrCat(" on entity type `", on, "`")));
    }
  }
  return Chain(a, Chain(b, std::move(out)));
}

}  // namespace arbiter::internal
