// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Bottom-up folding with the evaluator itself as the interpreter, so folded
// values are exactly what evaluation would have produced. Operators that
// read the entity store (`in`, attribute access and `has` on entities,
// tags) are never folded: the store is only known at decision time.

#include "src/eval/fold.h"

#include "arbiter/entities.h"
#include "arbiter/request.h"
#include "src/eval/evaluator.h"

namespace arbiter::internal {
namespace {

bool IsLiteral(const Expr& e) { return e.kind == ExprKind::kLiteral; }

// Whether `e` (whose children are already folded) depends only on its
// children's values.
bool Foldable(const Expr& e) {
  for (const auto& c : e.children) {
    if (!IsLiteral(*c)) return false;
  }
  switch (e.kind) {
    case ExprKind::kLiteral:
    case ExprKind::kVar:
    case ExprKind::kSlot:
      return false;
    case ExprKind::kBinary:
      switch (e.op) {
        case BinaryOp::kIn:
        case BinaryOp::kGetTag:
        case BinaryOp::kHasTag:
          return false;
        default:
          return true;
      }
    case ExprKind::kHas:
    case ExprKind::kGetAttr:
      // On a record literal the store is not involved; on an entity it is.
      return e.children[0]->literal.is(ValueKind::kRecord);
    case ExprKind::kIs:
      return e.children.size() == 1;  // `is T in E` reads ancestors
    default:
      return true;
  }
}

}  // namespace

void FoldConstants(std::unique_ptr<Expr>* expr) {
  Expr& e = **expr;
  for (auto& c : e.children) FoldConstants(&c);
  if (!Foldable(e)) return;
  static const Request* const kNoRequest = new Request();
  Evaluator eval(*Entities::Empty(), *kNoRequest);
  absl::StatusOr<Value> v = eval.Eval(e);
  if (!v.ok()) return;
  auto lit = std::make_unique<Expr>();
  lit->kind = ExprKind::kLiteral;
  lit->span = e.span;
  lit->literal = *std::move(v);
  *expr = std::move(lit);
}

}  // namespace arbiter::internal
