// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The expression tree of a policy condition, as the parser builds it and the
// evaluator walks it. Nodes are immutable once the parser returns them.

#ifndef ARBITER_AST_EXPR_H_
#define ARBITER_AST_EXPR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "arbiter/symbol.h"
#include "arbiter/value.h"

namespace arbiter::internal {

// A byte range in the policy source; line and column are recovered from the
// source text only when an error is printed.
struct SourceSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
};

enum class Var : uint8_t { kPrincipal, kAction, kResource, kContext };
enum class SlotId : uint8_t { kPrincipal, kResource };

enum class BinaryOp : uint8_t {
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAdd,
  kSub,
  kMul,
  kIn,
  kContains,
  kContainsAll,
  kContainsAny,
  kGetTag,
  kHasTag,
};

// Extension functions and methods. Constructors take one string; methods
// take the receiver first.
enum class ExtFn : uint8_t {
  // constructors
  kIp,
  kDecimal,
  kDatetime,
  kDuration,
  // ipaddr methods
  kIsIpv4,
  kIsIpv6,
  kIsLoopback,
  kIsMulticast,
  kIsInRange,
  // decimal methods
  kLessThan,
  kLessThanOrEqual,
  kGreaterThan,
  kGreaterThanOrEqual,
  // datetime methods
  kOffset,
  kDurationSince,
  kToDate,
  kToTime,
  // duration methods
  kToMilliseconds,
  kToSeconds,
  kToMinutes,
  kToHours,
  kToDays,
};

enum class ExprKind : uint8_t {
  kLiteral,   // literal
  kVar,       // var
  kSlot,      // slot (only in template scopes; kept for completeness)
  kIf,        // children: cond, then, else
  kAnd,       // children: lhs, rhs
  kOr,        // children: lhs, rhs
  kNot,       // children: operand
  kNeg,       // children: operand
  kBinary,    // op; children: lhs, rhs
  kIsEmpty,   // children: receiver
  kHas,       // attr; children: operand
  kGetAttr,   // attr; children: operand
  kLike,      // pattern; children: operand
  kIs,        // entity_type; children: operand, and optionally the `in` rhs
  kSet,       // children: elements
  kRecord,    // record_keys[i] names children[i]
  kExtCall,   // fn; children: arguments (receiver first for methods)
};

// A `like` pattern: literal runs separated by `*` wildcards. A pattern
// `a*b*` is {"a", "b", ""} with wildcards between consecutive entries.
struct LikePattern {
  std::vector<std::string> parts;  // parts.size() == wildcard count + 1
};

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  SourceSpan span;
  BinaryOp op = BinaryOp::kEq;
  Var var = Var::kPrincipal;
  SlotId slot = SlotId::kPrincipal;
  ExtFn fn = ExtFn::kIp;
  Symbol attr;         // kHas, kGetAttr
  Symbol entity_type;  // kIs
  Value literal;       // kLiteral
  LikePattern pattern; // kLike
  std::vector<Symbol> record_keys;
  std::vector<std::unique_ptr<Expr>> children;
};

// A deep copy of `e` (the parser desugars `has a.b.c` by repeating its
// operand; the validator keeps conditions apart from folding).
std::unique_ptr<Expr> CloneExpr(const Expr& e);

}  // namespace arbiter::internal

#endif  // ARBITER_AST_EXPR_H_
