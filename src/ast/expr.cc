// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0

#include "src/ast/expr.h"

namespace arbiter::internal {

std::unique_ptr<Expr> CloneExpr(const Expr& src) {
  auto e = std::make_unique<Expr>();
  e->kind = src.kind;
  e->span = src.span;
  e->op = src.op;
  e->var = src.var;
  e->slot = src.slot;
  e->fn = src.fn;
  e->attr = src.attr;
  e->entity_type = src.entity_type;
  e->literal = src.literal;
  e->pattern = src.pattern;
  e->record_keys = src.record_keys;
  for (const auto& c : src.children) e->children.push_back(CloneExpr(*c));
  return e;
}

}  // namespace arbiter::internal
