// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Constant folding, part of compiling a policy once: a subtree that reads
// no request variable and no entity data (`ip("10.0.0.0/8")`, a set of
// string literals, `decimal("1.5")`) is evaluated at parse time and replaced
// by its value, so a decision never re-parses an extension literal or
// rebuilds a literal set. A subtree whose evaluation fails is left alone: its
// error must still be raised, and only when a request reaches it.

#ifndef ARBITER_EVAL_FOLD_H_
#define ARBITER_EVAL_FOLD_H_

#include <memory>

#include "src/ast/expr.h"

namespace arbiter::internal {

void FoldConstants(std::unique_ptr<Expr>* expr);

}  // namespace arbiter::internal

#endif  // ARBITER_EVAL_FOLD_H_
