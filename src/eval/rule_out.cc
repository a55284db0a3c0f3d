// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// RuleOut (rule_out.h): a three-valued walk of a policy's conditions, with
// the real evaluator deciding the subexpressions one entity settles.

#include "src/eval/rule_out.h"

#include "absl/status/statusor.h"

namespace arbiter::internal {
namespace {

enum class Truth { kFalse, kTrue, kUnknown };

// Whether evaluating `e` depends on nothing but `var` and that entity's
// own data in the store: every variable is `var`, and every operand the
// evaluator would look up in the store (for an attribute, `has`, a tag or
// the left of `in`) is `var` itself. An operand that is some other
// expression may evaluate to an entity the store lacks, where `has` and
// `in` answer from the store's absence, which a derived store may not
// share (see rule_out.h).
bool Settled(const Expr& e, Var var) {
  auto is_var = [var](const Expr& x) {
    return x.kind == ExprKind::kVar && x.var == var;
  };
  switch (e.kind) {
    case ExprKind::kVar:
      return e.var == var;
    case ExprKind::kSlot:
      return false;
    case ExprKind::kHas:
    case ExprKind::kGetAttr:
      if (!is_var(*e.children[0])) return false;
      break;
    case ExprKind::kIs:
      // `x is T in y` looks up x's ancestors.
      if (e.children.size() > 1 && !is_var(*e.children[0])) return false;
      break;
    case ExprKind::kBinary:
      if ((e.op == BinaryOp::kIn || e.op == BinaryOp::kGetTag ||
           e.op == BinaryOp::kHasTag) &&
          !is_var(*e.children[0])) {
        return false;
      }
      break;
    default:
      break;
  }
  for (const auto& c : e.children) {
    if (!Settled(*c, var)) return false;
  }
  return true;
}

// Whether some evaluation of `e` could be settled by `var` alone: the
// operand a boolean operator evaluates first could be, or `e` itself is.
// Only the left spine and one subtree off it are walked: linear in the
// tree's size.
bool MayDecide(const Expr& e, Var var) {
  switch (e.kind) {
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot:
    case ExprKind::kIf:
      return MayDecide(*e.children[0], var);
    default:
      return Settled(e, var);
  }
}

// `e` as a condition: true or false when `var` alone settles it without
// error, else unknown. Follows Cedar's order of evaluation: an operand is
// looked at only when everything evaluated before it is settled. The
// boolean operators are taken apart here, the rest evaluated whole by the
// real evaluator, which for an operator whose operands are all settled
// gives the same answer as taking it apart (the same short circuits, the
// same errors), so no subtree is tested for being settled twice.
Truth TruthOf(const Expr& e, Var var, Evaluator& eval) {
  switch (e.kind) {
    case ExprKind::kAnd: {
      const Truth l = TruthOf(*e.children[0], var, eval);
      return l == Truth::kTrue ? TruthOf(*e.children[1], var, eval) : l;
    }
    case ExprKind::kOr: {
      const Truth l = TruthOf(*e.children[0], var, eval);
      return l == Truth::kFalse ? TruthOf(*e.children[1], var, eval) : l;
    }
    case ExprKind::kNot: {
      const Truth t = TruthOf(*e.children[0], var, eval);
      return t == Truth::kUnknown ? t
             : t == Truth::kTrue  ? Truth::kFalse
                                  : Truth::kTrue;
    }
    case ExprKind::kIf: {
      const Truth c = TruthOf(*e.children[0], var, eval);
      if (c == Truth::kUnknown) return c;
      return TruthOf(*e.children[c == Truth::kTrue ? 1 : 2], var, eval);
    }
    default:
      break;
  }
  if (!Settled(e, var)) return Truth::kUnknown;
  absl::StatusOr<Value> v = eval.Eval(e);
  if (!v.ok() || !v->is(ValueKind::kBool)) return Truth::kUnknown;
  return v->as_bool() ? Truth::kTrue : Truth::kFalse;
}

}  // namespace

bool MayRuleOut(const Policy& policy, Var var) {
  if (policy.body == nullptr || policy.body->conditions.empty()) return false;
  return MayDecide(*policy.body->conditions.front().expr, var);
}

bool RuledOut(const Policy& policy, Var var, Evaluator& eval) {
  if (policy.body == nullptr) return false;
  // The conditions in order, as one conjunction: the first that is
  // settled false rules the policy out; one that is not settled leaves it
  // in (it may raise an error, or depend on the rest of the request).
  for (const Condition& c : policy.body->conditions) {
    Truth t = TruthOf(*c.expr, var, eval);
    if (!c.is_when && t != Truth::kUnknown) {
      t = t == Truth::kTrue ? Truth::kFalse : Truth::kTrue;
    }
    if (t == Truth::kFalse) return true;
    if (t == Truth::kUnknown) return false;
  }
  return false;  // satisfied whatever the rest of the request
}

}  // namespace arbiter::internal
