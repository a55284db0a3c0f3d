// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Rewrites a policy into the expression Cedar's validator typechecks.
//
// arbiter's parser keeps the surface syntax (`!=`, `>`, `is … in`, a scope
// separate from the conditions); Cedar's parser desugars while it builds its
// AST, and the validator only ever sees the result. The rewrites below are
// Cedar's, and each one is observable in validation verdicts:
//   * `a != b` is `!(a == b)`, `a > b` is `!(a <= b)`, `a >= b` is
//     `!(a < b)` (so `!=` between disjoint entity types is typed True);
//   * `e is T in x` is `e is T && e in x`;
//   * `&&` and `||` of two boolean literals fold to a literal, so
//     `(true && true) == 1` compares two literals and is no type error;
//   * a scope constraint is `true`, `var == e`, `var in e`, `var is T` or
//     `var is T && var in e`; the action's `in` always takes a set;
//   * the policy is `((principal && action) && resource) && body`, where the
//     body is the `when` conditions and negated `unless` conditions
//     conjoined left to right (`true` when there are none).
// Recursion depth is bounded by the parser's nesting limit.

#include "src/validate/condition.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace arbiter::internal {
namespace {

std::unique_ptr<Expr> Node(ExprKind kind, SourceSpan span) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->span = span;
  return e;
}

std::unique_ptr<Expr> Lit(Value v, SourceSpan span) {
  auto e = Node(ExprKind::kLiteral, span);
  e->literal = std::move(v);
  return e;
}

bool IsBoolLit(const Expr& e) {
  return e.kind == ExprKind::kLiteral && e.literal.is(ValueKind::kBool);
}

// Cedar's `&&` / `||` constructors fold two boolean literals.
std::unique_ptr<Expr> Junction(ExprKind kind, std::unique_ptr<Expr> a,
                               std::unique_ptr<Expr> b, SourceSpan span) {
  if (IsBoolLit(*a) && IsBoolLit(*b)) {
    bool x = a->literal.as_bool(), y = b->literal.as_bool();
    return Lit(Value::Bool(kind == ExprKind::kAnd ? x && y : x || y), span);
  }
  auto e = Node(kind, span);
  e->children.push_back(std::move(a));
  e->children.push_back(std::move(b));
  return e;
}

std::unique_ptr<Expr> Unary(ExprKind kind, std::unique_ptr<Expr> a, SourceSpan span) {
  auto e = Node(kind, span);
  e->children.push_back(std::move(a));
  return e;
}

std::unique_ptr<Expr> Binary(BinaryOp op, std::unique_ptr<Expr> a,
                             std::unique_ptr<Expr> b, SourceSpan span) {
  auto e = Node(ExprKind::kBinary, span);
  e->op = op;
  e->children.push_back(std::move(a));
  e->children.push_back(std::move(b));
  return e;
}

std::unique_ptr<Expr> Lower(const Expr& src);

std::vector<std::unique_ptr<Expr>> LowerChildren(const Expr& src) {
  std::vector<std::unique_ptr<Expr>> out;
  out.reserve(src.children.size());
  for (const auto& c : src.children) out.push_back(Lower(*c));
  return out;
}

std::unique_ptr<Expr> Lower(const Expr& src) {
  switch (src.kind) {
    case ExprKind::kAnd:
    case ExprKind::kOr:
      return Junction(src.kind, Lower(*src.children[0]), Lower(*src.children[1]),
                      src.span);
    case ExprKind::kBinary:
      switch (src.op) {
        case BinaryOp::kNe:
          return Unary(ExprKind::kNot,
                       Binary(BinaryOp::kEq, Lower(*src.children[0]),
                              Lower(*src.children[1]), src.span),
                       src.span);
        case BinaryOp::kGt:
          return Unary(ExprKind::kNot,
                       Binary(BinaryOp::kLe, Lower(*src.children[0]),
                              Lower(*src.children[1]), src.span),
                       src.span);
        case BinaryOp::kGe:
          return Unary(ExprKind::kNot,
                       Binary(BinaryOp::kLt, Lower(*src.children[0]),
                              Lower(*src.children[1]), src.span),
                       src.span);
        default:
          break;
      }
      break;
    case ExprKind::kIs:
      if (src.children.size() == 2) {
        auto is = Node(ExprKind::kIs, src.span);
        is->entity_type = src.entity_type;
        is->children.push_back(Lower(*src.children[0]));
        auto in = Binary(BinaryOp::kIn, Lower(*src.children[0]),
                         Lower(*src.children[1]), src.span);
        return Junction(ExprKind::kAnd, std::move(is), std::move(in), src.span);
      }
      break;
    default:
      break;
  }
  auto e = Node(src.kind, src.span);
  e->op = src.op;
  e->var = src.var;
  e->slot = src.slot;
  e->fn = src.fn;
  e->attr = src.attr;
  e->entity_type = src.entity_type;
  e->literal = src.literal;
  e->pattern = src.pattern;
  e->record_keys = src.record_keys;
  e->children = LowerChildren(src);
  return e;
}

std::unique_ptr<Expr> VarNode(Var v, SourceSpan span) {
  auto e = Node(ExprKind::kVar, span);
  e->var = v;
  return e;
}

std::unique_ptr<Expr> EntityOrSlot(const ScopeConstraint& c, SlotId slot,
                                   SourceSpan span) {
  if (c.slot) {
    auto e = Node(ExprKind::kSlot, span);
    e->slot = slot;
    return e;
  }
  return Lit(Value::Entity(c.entity), span);
}

std::unique_ptr<Expr> ScopeExpr(const ScopeConstraint& c, Var var, SlotId slot,
                                SourceSpan span) {
  using Op = ScopeConstraint::Op;
  switch (c.op) {
    case Op::kAny:
      return Lit(Value::Bool(true), span);
    case Op::kEq:
      return Binary(BinaryOp::kEq, VarNode(var, span), EntityOrSlot(c, slot, span),
                    span);
    case Op::kIn:
      return Binary(BinaryOp::kIn, VarNode(var, span), EntityOrSlot(c, slot, span),
                    span);
    case Op::kIs:
    case Op::kIsIn: {
      auto is = Node(ExprKind::kIs, span);
      is->entity_type = c.type;
      is->children.push_back(VarNode(var, span));
      if (c.op == Op::kIs) return is;
      return Junction(ExprKind::kAnd, std::move(is),
                      Binary(BinaryOp::kIn, VarNode(var, span),
                             EntityOrSlot(c, slot, span), span),
                      span);
    }
    case Op::kInSet:
      break;
  }
  return Lit(Value::Bool(true), span);
}

std::unique_ptr<Expr> ActionScopeExpr(const ScopeConstraint& c, SourceSpan span) {
  using Op = ScopeConstraint::Op;
  switch (c.op) {
    case Op::kEq:
      return Binary(BinaryOp::kEq, VarNode(Var::kAction, span),
                    Lit(Value::Entity(c.entity), span), span);
    case Op::kIn:
    case Op::kInSet: {
      auto set = Node(ExprKind::kSet, span);
      if (c.op == Op::kIn) {
        set->children.push_back(Lit(Value::Entity(c.entity), span));
      } else {
        for (const EntityUid& u : c.entities) {
          set->children.push_back(Lit(Value::Entity(u), span));
        }
      }
      return Binary(BinaryOp::kIn, VarNode(Var::kAction, span), std::move(set), span);
    }
    default:
      return Lit(Value::Bool(true), span);
  }
}

bool PatternEqual(const LikePattern& a, const LikePattern& b) {
  return a.parts == b.parts;
}

}  // namespace

std::unique_ptr<Expr> BuildCondition(const Policy& policy,
                                     const std::vector<Condition>& conditions) {
  SourceSpan span = policy.body ? policy.body->span : SourceSpan{};
  std::unique_ptr<Expr> body;
  for (const Condition& c : conditions) {
    if (!c.expr) continue;
    std::unique_ptr<Expr> e = Lower(*c.expr);
    if (!c.is_when) e = Unary(ExprKind::kNot, std::move(e), c.expr->span);
    body = body ? Junction(ExprKind::kAnd, std::move(body), std::move(e), span)
                : std::move(e);
  }
  if (!body) body = Lit(Value::Bool(true), span);
  auto scope = Junction(
      ExprKind::kAnd,
      Junction(ExprKind::kAnd,
               ScopeExpr(policy.principal, Var::kPrincipal, SlotId::kPrincipal, span),
               ActionScopeExpr(policy.action, span), span),
      ScopeExpr(policy.resource, Var::kResource, SlotId::kResource, span), span);
  return Junction(ExprKind::kAnd, std::move(scope), std::move(body), span);
}

bool ShapeEqual(const Expr& a, const Expr& b) {
  if (&a == &b) return true;
  if (a.kind != b.kind || a.children.size() != b.children.size()) return false;
  switch (a.kind) {
    case ExprKind::kLiteral:
      return a.literal == b.literal;
    case ExprKind::kVar:
      return a.var == b.var;
    case ExprKind::kSlot:
      return a.slot == b.slot;
    case ExprKind::kBinary:
      if (a.op != b.op) return false;
      break;
    case ExprKind::kHas:
    case ExprKind::kGetAttr:
      if (a.attr != b.attr) return false;
      break;
    case ExprKind::kLike:
      if (!PatternEqual(a.pattern, b.pattern)) return false;
      break;
    case ExprKind::kIs:
      if (a.entity_type != b.entity_type) return false;
      break;
    case ExprKind::kExtCall:
      if (a.fn != b.fn) return false;
      break;
    case ExprKind::kRecord: {
      // Records are maps: compare key by key, in any order.
      if (a.record_keys.size() != b.record_keys.size()) return false;
      for (size_t i = 0; i < a.record_keys.size(); ++i) {
        auto it = std::find(b.record_keys.begin(), b.record_keys.end(),
                            a.record_keys[i]);
        if (it == b.record_keys.end()) return false;
        size_t j = static_cast<size_t>(it - b.record_keys.begin());
        if (!ShapeEqual(*a.children[i], *b.children[j])) return false;
      }
      return true;
    }
    default:
      break;
  }
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!ShapeEqual(*a.children[i], *b.children[i])) return false;
  }
  return true;
}

}  // namespace arbiter::internal
