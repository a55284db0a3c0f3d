// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The compiled form of policy conditions: a flat stack-machine program per
// policy, all policies' code in one contiguous array. Policies with the
// same conditions share one copy of the code (see program_compile.cc), so
// two entries may be equal.
//
// Why a second form next to the tree: the tree walk pays a call, a switch
// and a scattered heap node per operator, which at thousands of policies
// means cache misses on the decision path. The program is a few 8-byte
// instructions per condition, laid out policy after policy, with fused
// instructions for the shapes policies are made of (`principal.attr`,
// `context.attr`, comparisons against a literal or another `var.attr`,
// `var.attr.isInRange(literal)`, `in` a literal entity).
//
// The program only has to be right when it succeeds. Whenever it meets
// anything unusual (an error of any kind, an operand of an unexpected type,
// a construct it does not compile) it *bails*, and the authorizer evaluates
// that policy again with the tree walker, which is the reference: it raises
// the precise error, with Cedar's message. Evaluation has no side effects,
// so the second evaluation sees exactly what the first did. This keeps
// error formatting (and every rare construct) in one place.
//
// Thread-safety: immutable after construction.

#ifndef ARBITER_EVAL_PROGRAM_H_
#define ARBITER_EVAL_PROGRAM_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "arbiter/value.h"
#include "src/ast/expr.h"
#include "src/ast/policy.h"

namespace arbiter::internal {

enum class Op : uint8_t {
  kPushVar,      // a: Var
  kPushLit,      // arg: literal index
  kVarAttr,      // a: Var, arg: Symbol id. `principal.x`, `context.x`, ...
  // Fused `var.attr == lit` / `var.attr != lit` (b: 0 for ==, 1 for !=)
  // and `var.attr < lit` etc. (b: BinaryOp): a: Var, arg: Symbol id; the
  // literal's index is in the next word (a kOperand), which is skipped.
  kVarAttrEqLit,
  kVarAttrCmpLit,
  // Fused `var.attr < var2.attr2` etc. (b: BinaryOp): a: Var, arg: Symbol
  // id; the next word (a kOperand) holds the second var (a) and attribute
  // (arg). Both must be longs, or the machine bails.
  kVarAttrCmpVarAttr,
  // Fused `var.attr.isInRange(lit)`: a: Var, arg: Symbol id; the literal
  // range's index is in the next word (a kOperand).
  kVarAttrInRangeLit,
  kOperand,      // arg: data for the instruction before; never dispatched
  kAttr,         // arg: Symbol id. pops entity/record, pushes its attribute
  kVarHas,       // a: Var, arg: Symbol id. `context has x`, ...
  kHas,          // arg: Symbol id
  kEq,           // pops b, a; pushes a == b
  kNe,
  kEqLit,        // arg: literal index; pops a, pushes a == lit
  kNeLit,
  kCmp,          // a: BinaryOp (kLt..kGe); pops b, a
  kCmpLit,       // a: BinaryOp, arg: literal index (a Long)
  kArith,        // a: BinaryOp (kAdd, kSub, kMul)
  kNeg,
  kNot,
  kIn,           // pops b, a
  kInLit,        // arg: literal index (an entity); pops a
  kContains,     // pops b, a: a.contains(b)
  kContainsAll,
  kContainsAny,
  kIsEmpty,
  kLike,         // arg: pattern index
  kIs,           // arg: Symbol id of the type
  kGetTag,       // pops b, a
  kHasTag,
  kExt,          // a: ExtFn, arg: argument count
  kAndJump,      // arg: target. pops a bool; if false pushes false and jumps
  kOrJump,       // arg: target. pops a bool; if true pushes true and jumps
  kAssertBool,   // the top must be a bool (the right side of && and ||)
  kJumpIfFalse,  // arg: target. pops a bool; jumps when false
  kSkipIf,       // a: 0 or 1, arg: target. pops a bool; jumps when it is a
  kJump,         // arg: target
  kWhen,         // pops a bool; the policy is not satisfied when false
  kUnless,       // pops a bool; the policy is not satisfied when true
                 // (both also stand for `&&`/`||` jumps that fail the
                 // policy: see program_compile.cc)
  kSatisfied,    // end of a policy's code: all conditions held
};

struct Instr {
  Op op;
  uint8_t a = 0;
  uint16_t b = 0;
  uint32_t arg = 0;
};

// Flags in Instr::b of a test (a comparison, `has`, `like`, `in`,
// `contains`, `isInRange`) directly followed by the kWhen or kUnless that
// consumes its result: the test applies the condition itself, failing the
// policy or going on past it, instead of pushing a boolean for it. The
// kWhen/kUnless stays in place for any jump that lands on it.
inline constexpr uint16_t kThenWhen = 0x100;
inline constexpr uint16_t kThenUnless = 0x200;
static_assert(sizeof(Instr) == 8);

// The result of running a policy's program.
enum class RunResult : int { kNotSatisfied = 0, kSatisfied = 1, kBail = 2 };

class Program {
 public:
  // The stack depth the machine provides; deeper conditions stay on the
  // tree walker.
  static constexpr int kMaxStack = 16;
  static constexpr uint32_t kNotCompiled = UINT32_MAX;

  // Compiles every policy's conditions. Never fails: a policy whose
  // conditions use something the machine does not handle is simply left to
  // the tree walker (its entry is kNotCompiled).
  explicit Program(const std::vector<std::shared_ptr<const Policy>>& policies);

  // Where policy `i`'s code starts (perhaps shared), or kNotCompiled.
  uint32_t entry(size_t i) const { return entries_[i]; }
  const Instr* code() const { return code_.data(); }
  const Value& literal(uint32_t i) const { return literals_[i]; }
  const LikePattern& pattern(uint32_t i) const { return patterns_[i]; }

  size_t compiled_count() const;

 private:
  std::vector<uint32_t> entries_;
  std::vector<Instr> code_;
  std::vector<Value> literals_;  // never resized after construction
  std::vector<LikePattern> patterns_;
};

class Evaluator;

// Runs the code of policies[0, n) (positions in the compiled set) against
// the request state held by `eval`, writing each one's result to out[k]; a
// policy without code gets kBail. Never allocates; kBail means "ask the tree
// walker" (see the top of this file). One call for all of a decision's
// candidates: the machine's setup (its frame, its registers) is paid once,
// and since running code changes nothing in `eval`, running every
// candidate first and acting on the results afterwards answers the same.
void RunPrograms(const Program& program, const uint32_t* policies, size_t n,
                 const Evaluator& eval, RunResult* out);

}  // namespace arbiter::internal

#endif  // ARBITER_EVAL_PROGRAM_H_
