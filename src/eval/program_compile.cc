// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Compiling condition trees into the stack-machine program (program.h).
// Code is emitted in evaluation order, so the machine evaluates operands in
// the same order as the tree walker and short-circuits at the same points.
// What is not compiled: template slots, `is ... in ...` inside conditions,
// and set or record literals whose elements are computed at run time (they
// would allocate; constant ones were folded into literals by the parser).
//
// Two rewrites keep the instruction count per condition low, since each
// instruction is a dispatch on the decision path:
// - `var.attr` followed by a comparison with a literal becomes one fused
//   instruction (unless a jump lands between the two);
// - short-circuit jumps are threaded: a jump that carries a known boolean
//   to an instruction that only tests it (another `&&`/`||`, a `when` or
//   `unless`) goes straight to where that test would lead. So
//   `when { a && b }` runs as "a, fail if false; b, fail if false".
// And `&&`/`||` only check that their right operand is a boolean when the
// operand is not one by construction (a comparison, `has`, `in`, ...).
//
// Policies share code. Large policy sets are mostly a few condition shapes
// repeated with other scopes (agents-10000: 10,000 policies, about 3,000
// distinct conditions, five of them in 3,800 policies), and a policy's code
// depends only on its conditions. So literals and `like` patterns are
// interned (one copy of each distinct value), and a policy whose finished
// code is instruction for instruction that of an earlier one (jump targets
// taken relative to the start) gets the earlier one's entry instead of a
// copy. Less code to load at decision time, and the shapes every request
// meets stay in the cache however many policies use them.

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "src/eval/ext/extensions.h"
#include "src/eval/program.h"

namespace arbiter::internal {
namespace {

class Compiler {
 public:
  Compiler(std::vector<Instr>* code, std::vector<Value>* literals,
           std::vector<LikePattern>* patterns)
      : code_(*code), literals_(*literals), patterns_(*patterns) {}

  // Compiles one policy; its entry (where its code starts: appended, or an
  // earlier policy's identical code), or Program::kNotCompiled (and nothing
  // appended) when some part of it cannot be compiled.
  uint32_t CompilePolicy(const Policy& p) {
    const uint32_t code_mark = Here();
    const size_t lit_mark = literals_.size();
    const size_t pat_mark = patterns_.size();
    bool ok = !p.is_template;
    for (const Condition& c : p.body->conditions) {
      if (!ok) break;
      depth_ = 0;
      ok = Emit(*c.expr);
      Push(c.is_when ? Op::kWhen : Op::kUnless);
    }
    if (!ok) {
      code_.resize(code_mark);
      // Interned values this policy added go with it.
      for (size_t i = lit_mark; i < literals_.size(); ++i) {
        literal_ids_.erase(literals_[i]);
      }
      literals_.resize(lit_mark);
      for (size_t i = pat_mark; i < patterns_.size(); ++i) {
        pattern_ids_.erase(patterns_[i].parts);
      }
      patterns_.resize(pat_mark);
      return Program::kNotCompiled;
    }
    Push(Op::kSatisfied);
    ThreadJumps(code_mark);
    FuseConditions(code_mark);
    // Literal and pattern operands are interned indices, so equal words
    // mean equal behaviour, once jump targets are made relative.
    std::string key(sizeof(Instr) * (Here() - code_mark), '\0');
    for (uint32_t i = code_mark; i < Here(); ++i) {
      Instr in = code_[i];
      if (IsJump(in.op)) in.arg -= code_mark;
      std::memcpy(key.data() + sizeof(Instr) * (i - code_mark), &in, sizeof in);
    }
    const auto [it, added] =
        shared_code_.try_emplace(std::move(key), code_mark);
    if (!added) code_.resize(code_mark);
    return it->second;
  }

 private:
  void Push(Op op, uint8_t a = 0, uint32_t arg = 0) {
    code_.push_back(Instr{op, a, 0, arg});
  }
  uint32_t Here() const { return static_cast<uint32_t>(code_.size()); }
  void PatchTarget(uint32_t at) {
    code_[at].arg = Here();
    last_target_ = Here();
  }

  // Pushes `op` (a comparison of the top with literal `lit`; `b` as in the
  // fused instruction), fused with the `var.attr` just before it when no
  // jump lands between them.
  void PushLiteralTest(Op op, Op fused, uint16_t b, uint32_t lit) {
    if (!code_.empty() && code_.back().op == Op::kVarAttr &&
        last_target_ != Here()) {
      code_.back().op = fused;
      code_.back().b = b;
      Push(Op::kOperand, 0, lit);
      return;
    }
    code_.push_back(Instr{op, static_cast<uint8_t>(b), 0, lit});
  }

  // Marks each test directly followed by a kWhen or kUnless (kThenWhen,
  // kThenUnless in program.h). Runs after ThreadJumps, which turns failing
  // `&&`/`||` jumps into more of them.
  void FuseConditions(uint32_t begin) {
    for (uint32_t i = begin + 1; i < Here(); ++i) {
      if (code_[i].op != Op::kWhen && code_[i].op != Op::kUnless) continue;
      // A fused instruction's operand word sits between it and the next.
      const uint32_t t = code_[i - 1].op == Op::kOperand ? i - 2 : i - 1;
      if (t < begin || !CanFuseCondition(code_[t])) continue;
      code_[t].b |= code_[i].op == Op::kWhen ? kThenWhen : kThenUnless;
    }
  }

  static bool CanFuseCondition(const Instr& in) {
    if ((in.b & (kThenWhen | kThenUnless)) != 0) return false;
    switch (in.op) {
      case Op::kVarAttrEqLit:
      case Op::kVarAttrCmpLit:
      case Op::kVarAttrCmpVarAttr:
      case Op::kVarAttrInRangeLit:
      case Op::kVarHas:
      case Op::kCmp:
      case Op::kEq:
      case Op::kNe:
      case Op::kEqLit:
      case Op::kNeLit:
      case Op::kCmpLit:
      case Op::kInLit:
      case Op::kContains:
      case Op::kContainsAll:
      case Op::kContainsAny:
      case Op::kLike: return true;
      case Op::kExt: return static_cast<ExtFn>(in.a) == ExtFn::kIsInRange;
      default: return false;
    }
  }

  // Rewrites each `&&`/`||` jump of the policy starting at `begin` (see the
  // top of this file). A kAndJump (kOrJump) that is taken carries false
  // (true) to its target; following what the instructions there would do
  // with that known value, the jump ends either still carrying it (a new
  // target), or having consumed it (kSkipIf to where execution resumes),
  // or failing the policy (kWhen / kUnless, which fail on exactly that
  // value). Targets only move forward, so this terminates.
  void ThreadJumps(uint32_t begin) {
    for (uint32_t i = begin; i < Here(); ++i) {
      Instr& j = code_[i];
      if (j.op != Op::kAndJump && j.op != Op::kOrJump) continue;
      const bool v = j.op == Op::kOrJump;
      uint32_t t = j.arg;
      bool consumed = false, fails = false;
      for (;;) {
        const Instr& at = code_[t];
        if (at.op == Op::kAssertBool) {
          ++t;
        } else if (at.op == Op::kAndJump || at.op == Op::kOrJump) {
          if (v == (at.op == Op::kOrJump)) {
            t = at.arg;  // taken again, with the same value
          } else {
            t = t + 1;  // not taken: the value is popped
            consumed = true;
            break;
          }
        } else if (at.op == Op::kWhen || at.op == Op::kUnless) {
          if (v == (at.op == Op::kUnless)) {
            fails = true;
          } else {
            t = t + 1;
            consumed = true;
          }
          break;
        } else if (at.op == Op::kJumpIfFalse) {
          t = v ? t + 1 : at.arg;
          consumed = true;
          break;
        } else {
          break;
        }
      }
      if (fails) {
        j.op = v ? Op::kUnless : Op::kWhen;
        j.arg = 0;
      } else if (consumed) {
        j.op = Op::kSkipIf;
        j.a = v ? 1 : 0;
        j.arg = t;
      } else {
        j.arg = t;
      }
    }
  }

  // The instructions whose arg is a code position (see ThreadJumps).
  static bool IsJump(Op op) {
    return op == Op::kAndJump || op == Op::kOrJump || op == Op::kSkipIf ||
           op == Op::kJumpIfFalse || op == Op::kJump;
  }

  // The index of a literal equal to `v` (Value::Compare: same kind, same
  // contents), added if new.
  uint32_t AddLiteral(const Value& v) {
    const auto [it, added] =
        literal_ids_.try_emplace(v, static_cast<uint32_t>(literals_.size()));
    if (added) literals_.push_back(v);
    return it->second;
  }
  uint32_t AddPattern(const LikePattern& p) {
    const auto [it, added] = pattern_ids_.try_emplace(
        p.parts, static_cast<uint32_t>(patterns_.size()));
    if (added) patterns_.push_back(p);
    return it->second;
  }

  // Tracks the machine's stack depth so that no program overflows it.
  bool Grow() { return ++depth_ <= Program::kMaxStack; }
  void Shrink(int n = 1) { depth_ -= n; }

  // Whether the machine's code for `e` leaves a boolean whenever it does
  // not bail: comparisons and tests do, attributes and variables need not.
  static bool ProducesBool(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral: return e.literal.is(ValueKind::kBool);
      case ExprKind::kAnd:
      case ExprKind::kOr:
      case ExprKind::kNot:
      case ExprKind::kHas:
      case ExprKind::kLike:
      case ExprKind::kIs:
      case ExprKind::kIsEmpty: return true;
      case ExprKind::kExtCall:
        switch (e.fn) {
          case ExtFn::kIsIpv4:
          case ExtFn::kIsIpv6:
          case ExtFn::kIsLoopback:
          case ExtFn::kIsMulticast:
          case ExtFn::kIsInRange:
          case ExtFn::kLessThan:
          case ExtFn::kLessThanOrEqual:
          case ExtFn::kGreaterThan:
          case ExtFn::kGreaterThanOrEqual: return true;
          default: return false;
        }
      case ExprKind::kBinary:
        switch (e.op) {
          case BinaryOp::kAdd:
          case BinaryOp::kSub:
          case BinaryOp::kMul:
          case BinaryOp::kGetTag: return false;
          default: return true;
        }
      default: return false;
    }
  }

  static bool IsEntityVar(const Expr& e) {
    return e.kind == ExprKind::kVar;
  }
  // `var.attr`: what kVarAttr and the instructions fused with it read.
  static bool IsVarAttr(const Expr& e) {
    return e.kind == ExprKind::kGetAttr && IsEntityVar(*e.children[0]);
  }

  bool Emit(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral:
        Push(Op::kPushLit, 0, AddLiteral(e.literal));
        return Grow();
      case ExprKind::kVar:
        Push(Op::kPushVar, static_cast<uint8_t>(e.var));
        return Grow();
      case ExprKind::kSlot:
        return false;
      case ExprKind::kIf: {
        if (!Emit(*e.children[0])) return false;
        const uint32_t jf = Here();
        Push(Op::kJumpIfFalse);
        Shrink();
        if (!Emit(*e.children[1])) return false;
        const uint32_t jend = Here();
        Push(Op::kJump);
        PatchTarget(jf);
        Shrink();  // the else branch starts from the same depth
        if (!Emit(*e.children[2])) return false;
        PatchTarget(jend);
        return true;
      }
      case ExprKind::kAnd:
      case ExprKind::kOr: {
        if (!Emit(*e.children[0])) return false;
        const uint32_t j = Here();
        Push(e.kind == ExprKind::kAnd ? Op::kAndJump : Op::kOrJump);
        Shrink();
        if (!Emit(*e.children[1])) return false;
        if (!ProducesBool(*e.children[1])) Push(Op::kAssertBool);
        PatchTarget(j);
        return true;
      }
      case ExprKind::kNot:
        if (!Emit(*e.children[0])) return false;
        Push(Op::kNot);
        return true;
      case ExprKind::kNeg:
        if (!Emit(*e.children[0])) return false;
        Push(Op::kNeg);
        return true;
      case ExprKind::kBinary:
        return EmitBinary(e);
      case ExprKind::kIsEmpty:
        if (!Emit(*e.children[0])) return false;
        Push(Op::kIsEmpty);
        return true;
      case ExprKind::kHas:
        if (IsEntityVar(*e.children[0])) {
          Push(Op::kVarHas, static_cast<uint8_t>(e.children[0]->var), e.attr.id());
          return Grow();
        }
        if (!Emit(*e.children[0])) return false;
        Push(Op::kHas, 0, e.attr.id());
        return true;
      case ExprKind::kGetAttr:
        if (IsEntityVar(*e.children[0])) {
          Push(Op::kVarAttr, static_cast<uint8_t>(e.children[0]->var), e.attr.id());
          return Grow();
        }
        if (!Emit(*e.children[0])) return false;
        Push(Op::kAttr, 0, e.attr.id());
        return true;
      case ExprKind::kLike:
        if (!Emit(*e.children[0])) return false;
        Push(Op::kLike, 0, AddPattern(e.pattern));
        return true;
      case ExprKind::kIs:
        if (e.children.size() != 1) return false;  // `is T in x`: rare here
        if (!Emit(*e.children[0])) return false;
        Push(Op::kIs, 0, e.entity_type.id());
        return true;
      case ExprKind::kSet:
      case ExprKind::kRecord:
        return false;
      case ExprKind::kExtCall: {
        // A call with the wrong number of arguments is an error: left to
        // the tree walker, so that the machine need not check per call.
        if (static_cast<int>(e.children.size()) != ExtArity(e.fn)) return false;
        // `context.ip.isInRange(ip("10.0.0.0/8"))`: one instruction.
        if (e.fn == ExtFn::kIsInRange && IsVarAttr(*e.children[0]) &&
            e.children[1]->kind == ExprKind::kLiteral &&
            e.children[1]->literal.is(ValueKind::kIpAddr)) {
          const Expr& attr = *e.children[0];
          Push(Op::kVarAttrInRangeLit, static_cast<uint8_t>(attr.children[0]->var),
               attr.attr.id());
          Push(Op::kOperand, 0, AddLiteral(e.children[1]->literal));
          return Grow();
        }
        for (const auto& c : e.children) {
          if (!Emit(*c)) return false;
        }
        Push(Op::kExt, static_cast<uint8_t>(e.fn),
             static_cast<uint32_t>(e.children.size()));
        // n operands become one result; a call without arguments pushes.
        if (e.children.empty()) return Grow();
        Shrink(static_cast<int>(e.children.size()) - 1);
        return true;
      }
    }
    return false;
  }

  bool EmitBinary(const Expr& e) {
    const Expr& lhs = *e.children[0];
    const Expr& rhs = *e.children[1];
    const bool rhs_lit = rhs.kind == ExprKind::kLiteral;
    switch (e.op) {
      case BinaryOp::kEq:
      case BinaryOp::kNe:
        if (rhs_lit) {
          if (!Emit(lhs)) return false;
          const bool eq = e.op == BinaryOp::kEq;
          PushLiteralTest(eq ? Op::kEqLit : Op::kNeLit, Op::kVarAttrEqLit,
                          eq ? 0 : 1, AddLiteral(rhs.literal));
          return true;
        }
        return EmitPair(e, e.op == BinaryOp::kEq ? Op::kEq : Op::kNe);
      case BinaryOp::kLt:
      case BinaryOp::kLe:
      case BinaryOp::kGt:
      case BinaryOp::kGe:
        if (rhs_lit && rhs.literal.is(ValueKind::kLong)) {
          if (!Emit(lhs)) return false;
          PushLiteralTest(Op::kCmpLit, Op::kVarAttrCmpLit,
                          static_cast<uint16_t>(e.op), AddLiteral(rhs.literal));
          return true;
        }
        // `context.expires <= context.now`: one instruction.
        if (IsVarAttr(lhs) && IsVarAttr(rhs)) {
          code_.push_back(Instr{Op::kVarAttrCmpVarAttr,
                                static_cast<uint8_t>(lhs.children[0]->var),
                                static_cast<uint16_t>(e.op), lhs.attr.id()});
          Push(Op::kOperand, static_cast<uint8_t>(rhs.children[0]->var), rhs.attr.id());
          return Grow();
        }
        return EmitPair(e, Op::kCmp);
      case BinaryOp::kAdd:
      case BinaryOp::kSub:
      case BinaryOp::kMul:
        return EmitPair(e, Op::kArith);
      case BinaryOp::kIn:
        if (rhs_lit && rhs.literal.is(ValueKind::kEntity)) {
          if (!Emit(lhs)) return false;
          Push(Op::kInLit, 0, AddLiteral(rhs.literal));
          return true;
        }
        return EmitPair(e, Op::kIn);
      case BinaryOp::kContains: return EmitPair(e, Op::kContains);
      case BinaryOp::kContainsAll: return EmitPair(e, Op::kContainsAll);
      case BinaryOp::kContainsAny: return EmitPair(e, Op::kContainsAny);
      case BinaryOp::kGetTag: return EmitPair(e, Op::kGetTag);
      case BinaryOp::kHasTag: return EmitPair(e, Op::kHasTag);
    }
    return false;
  }

  // Both operands in order, then `op` (which pops two and pushes one).
  bool EmitPair(const Expr& e, Op op) {
    if (!Emit(*e.children[0]) || !Emit(*e.children[1])) return false;
    Push(op, static_cast<uint8_t>(e.op));
    Shrink();
    return true;
  }

  struct ValueLess {
    bool operator()(const Value& a, const Value& b) const {
      return Value::Compare(a, b) < 0;
    }
  };

  std::vector<Instr>& code_;
  std::vector<Value>& literals_;
  std::vector<LikePattern>& patterns_;
  std::map<Value, uint32_t, ValueLess> literal_ids_;
  std::map<std::vector<std::string>, uint32_t> pattern_ids_;
  // Each distinct policy code (relative jumps, see CompilePolicy) and its
  // entry.
  absl::flat_hash_map<std::string, uint32_t> shared_code_;
  int depth_ = 0;
  // The position the last patched jump lands on: no instruction may be
  // fused with the one before it there.
  uint32_t last_target_ = UINT32_MAX;
};

}  // namespace

Program::Program(const std::vector<std::shared_ptr<const Policy>>& policies) {
  entries_.resize(policies.size(), kNotCompiled);
  Compiler compiler(&code_, &literals_, &patterns_);
  for (size_t i = 0; i < policies.size(); ++i) {
    entries_[i] = compiler.CompilePolicy(*policies[i]);
  }
  code_.shrink_to_fit();
  literals_.shrink_to_fit();
}

size_t Program::compiled_count() const {
  return static_cast<size_t>(
      std::count_if(entries_.begin(), entries_.end(),
                    [](uint32_t e) { return e != kNotCompiled; }));
}

}  // namespace arbiter::internal
