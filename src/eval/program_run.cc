// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The stack machine that runs compiled policy code (program.h).
//
// The stack holds borrowed `const Value*`, like the tree walker's results:
// literals, store attributes and context fields are used in place. The few
// values the machine computes (longs from arithmetic, extension results)
// are all of kinds without heap storage, so they are built in a raw buffer
// beside the stack and never need destroying; a result that would need the
// heap (a string, set or record) makes the machine bail. Booleans point to
// two shared constants. So a run neither allocates nor touches a reference
// count.
//
// Every error, and every operand of a kind the fast paths do not expect,
// returns kBail: the tree walker then evaluates the policy and reports the
// error exactly as Cedar words it.

#include <bit>
#include <cstddef>
#include <cstring>
#include <new>
#include <utility>

#include "src/eval/evaluator.h"
#include "src/eval/ext/extensions.h"
#include "src/eval/ext/ip_range.h"
#include "src/eval/ops.h"
#include "src/eval/program.h"

#if defined(__GNUC__)
#define ARBITER_THREADED_DISPATCH 1
#else
#define ARBITER_THREADED_DISPATCH 0
#endif

namespace arbiter::internal {

namespace {

const Value kTrueValue = Value::Bool(true);
const Value kFalseValue = Value::Bool(false);
inline const Value* BoolValue(bool b) { return b ? &kTrueValue : &kFalseValue; }

inline Symbol SymbolOf(uint32_t id) { return std::bit_cast<Symbol>(id); }

// Cedar `==`, with the common kinds compared directly.
inline bool Equal(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::kBool: return a.as_bool() == b.as_bool();
    case ValueKind::kLong: return a.as_long() == b.as_long();
    case ValueKind::kString: return Value::StringsEqual(a, b);
    case ValueKind::kEntity: return a.as_entity() == b.as_entity();
    default: return a == b;
  }
}

// Whether a value may live in the machine's raw result buffer.
inline bool HeapFree(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kString:
    case ValueKind::kSet:
    case ValueKind::kRecord: return false;
    default: return true;
  }
}

inline bool Compare(BinaryOp op, int c) {
  switch (op) {
    case BinaryOp::kLt: return c < 0;
    case BinaryOp::kLe: return c <= 0;
    case BinaryOp::kGt: return c > 0;
    default: return c >= 0;
  }
}

inline int Cmp3(int64_t a, int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

// `var.attr` (kVarAttr's operand), or nullptr: the machine then bails.
[[gnu::always_inline]] inline const Value* VarAttr(const Evaluator& eval,
                                                   const Instr& in) {
  const Var var = static_cast<Var>(in.a);
  if (var == Var::kContext) return eval.ContextField(SymbolOf(in.arg));
  const EntityHot* e = eval.var_entity(var);
  return e == nullptr ? nullptr : e->FindAttr(SymbolOf(in.arg));
}

}  // namespace

// All candidates' code runs in this one function, a loop around the
// machine: a decision pays the call and the frame (the registers saved,
// the stack set up) once, not once per candidate.
void RunPrograms(const Program& program, const uint32_t* policies, size_t n,
                 const Evaluator& eval, RunResult* outcomes) {
  constexpr int kMax = Program::kMaxStack;
  const Value* stack[kMax];
  // Raw storage for computed results: slot i holds the value at stack[i].
  alignas(Value) unsigned char results[kMax][sizeof(Value)];
  // Pointer-sized, like the position below: the stack and the code are
  // indexed with no widening per instruction.
  ptrdiff_t sp;  // number of values on the stack
  // Writes a computed, heap-free result at stack position `at`.
  // The previous occupant of the slot (if any) was heap-free: nothing to
  // destroy.
  auto store = [&](ptrdiff_t at, Value v) {
    stack[at] = new (results[at]) Value(std::move(v));
  };

  const Instr* const code = program.code();
  const Instr* ip;
  // The boolean result `r` of the test at `in`, whose value goes to stack
  // position `at`: pushed there, or, when the test carries a fused
  // condition (kThenWhen / kThenUnless), applied; false means the policy is
  // not satisfied.
  auto test_result = [&](const Instr& in, bool r, ptrdiff_t at) {
    if ((in.b & (kThenWhen | kThenUnless)) == 0) {
      stack[at] = BoolValue(r);
      sp = at + 1;
      return true;
    }
    if (r != ((in.b & kThenWhen) != 0)) return false;
    sp = at;
    ++ip;  // past the kWhen / kUnless
    return true;
  };
  // Dispatch. With GCC or Clang each instruction's handler ends in its own
  // indirect jump to the next one (through kTargets, in Op's order), so
  // the branch predictor learns which instruction tends to follow which,
  // where one shared `switch` jump mispredicts at most boundaries between
  // policies; elsewhere, the plain switch.
  const Instr* in;
#if ARBITER_THREADED_DISPATCH
  static const void* const kTargets[] = {
      &&L_kPushVar, &&L_kPushLit, &&L_kVarAttr,
      &&L_kVarAttrEqLit, &&L_kVarAttrCmpLit, &&L_kVarAttrCmpVarAttr,
      &&L_kVarAttrInRangeLit, &&L_kOperand, &&L_kAttr,
      &&L_kVarHas, &&L_kHas, &&L_kEq,
      &&L_kNe, &&L_kEqLit, &&L_kNeLit,
      &&L_kCmp, &&L_kCmpLit, &&L_kArith,
      &&L_kNeg, &&L_kNot, &&L_kIn,
      &&L_kInLit, &&L_kContains, &&L_kContainsAll,
      &&L_kContainsAny, &&L_kIsEmpty, &&L_kLike,
      &&L_kIs, &&L_kGetTag, &&L_kHasTag,
      &&L_kExt, &&L_kAndJump, &&L_kOrJump,
      &&L_kAssertBool, &&L_kJumpIfFalse, &&L_kSkipIf,
      &&L_kJump, &&L_kWhen, &&L_kUnless,
      &&L_kSatisfied,
  };
  static_assert(sizeof(kTargets) / sizeof(kTargets[0]) ==
                static_cast<size_t>(Op::kSatisfied) + 1,
                "one target per Op, in the enum's order");
#define OP(x) case Op::x: L_##x
#define NEXT                                           \
  do {                                                 \
    in = ++ip;                                         \
    goto* kTargets[static_cast<uint8_t>(in->op)];      \
  } while (0)
#else
#define OP(x) case Op::x
#define NEXT goto next
#endif
  // Ends the current policy's run with result `r`.
#define RETURN(r)   \
  do {              \
    result = (r);   \
    goto done;      \
  } while (0)
  for (size_t k = 0; k < n; ++k) {
    const uint32_t entry = program.entry(policies[k]);
    RunResult result;
    if (entry == Program::kNotCompiled) {
      result = RunResult::kBail;
      goto done;
    }
    sp = 0;
    ip = code + entry;
    in = ip;
    for (;;) {
#if ARBITER_THREADED_DISPATCH
      goto *kTargets[static_cast<uint8_t>(in->op)];
#endif
      switch (in->op) {
        OP(kPushVar):
          // A whole context with an overlay would have to be built: the tree
          // walker does that.
          if (static_cast<Var>(in->a) == Var::kContext &&
              eval.request().context_overlay != nullptr) {
            RETURN(RunResult::kBail);
          }
          stack[sp++] = &eval.var_value(static_cast<Var>(in->a));
          NEXT;
        OP(kPushLit):
          stack[sp++] = &program.literal(in->arg);
          NEXT;
        OP(kVarAttr): {
          const Value* v = VarAttr(eval, *in);
          if (v == nullptr) RETURN(RunResult::kBail);
          stack[sp++] = v;
          NEXT;
        }
        OP(kVarAttrEqLit): {
          const Value* v = VarAttr(eval, *in);
          if (v == nullptr) RETURN(RunResult::kBail);
          const bool eq = Equal(*v, program.literal((++ip)->arg));
          if (!test_result(*in, eq != ((in->b & 0xff) != 0), sp)) {
            RETURN(RunResult::kNotSatisfied);
          }
          NEXT;
        }
        OP(kVarAttrCmpLit): {
          const Value* v = VarAttr(eval, *in);
          if (v == nullptr || !v->is(ValueKind::kLong)) {
            RETURN(RunResult::kBail);
          }
          const int c =
              Cmp3(v->as_long(), program.literal((++ip)->arg).as_long());
          const auto op = static_cast<BinaryOp>(in->b & 0xff);
          if (!test_result(*in, Compare(op, c), sp)) {
            RETURN(RunResult::kNotSatisfied);
          }
          NEXT;
        }
        OP(kVarAttrCmpVarAttr): {
          const Value* v = VarAttr(eval, *in);
          const Value* w = VarAttr(eval, *++ip);
          if (v == nullptr || w == nullptr || !v->is(ValueKind::kLong) ||
              !w->is(ValueKind::kLong)) {
            RETURN(RunResult::kBail);
          }
          const int c = Cmp3(v->as_long(), w->as_long());
          const auto op = static_cast<BinaryOp>(in->b & 0xff);
          if (!test_result(*in, Compare(op, c), sp)) {
            RETURN(RunResult::kNotSatisfied);
          }
          NEXT;
        }
        OP(kVarAttrInRangeLit): {
          const Value* v = VarAttr(eval, *in);
          if (v == nullptr || !v->is(ValueKind::kIpAddr)) {
            RETURN(RunResult::kBail);
          }
          const bool r =
              IpIsInRange(v->as_ip(), program.literal((++ip)->arg).as_ip());
          if (!test_result(*in, r, sp)) RETURN(RunResult::kNotSatisfied);
          NEXT;
        }
        OP(kOperand):
          // Consumed by the instruction before it; reaching one is a
          // compiler bug, and the tree walker is always right.
          RETURN(RunResult::kBail);
        OP(kAttr): {
          const Value& v = *stack[sp - 1];
          const Value* a;
          if (v.is(ValueKind::kEntity)) {
            const EntityHot* e = eval.Lookup(v.as_entity());
            if (e == nullptr) RETURN(RunResult::kBail);
            a = e->FindAttr(SymbolOf(in->arg));
          } else if (v.is(ValueKind::kRecord)) {
            a = v.FindField(SymbolOf(in->arg));
          } else {
            RETURN(RunResult::kBail);
          }
          if (a == nullptr) RETURN(RunResult::kBail);
          stack[sp - 1] = a;
          NEXT;
        }
        OP(kVarHas): {
          const Var var = static_cast<Var>(in->a);
          bool has;
          if (var == Var::kContext) {
            if (!eval.request().context->is(ValueKind::kRecord)) {
              RETURN(RunResult::kBail);
            }
            has = eval.ContextField(SymbolOf(in->arg)) != nullptr;
          } else {
            const EntityHot* e = eval.var_entity(var);
            has = e != nullptr && e->FindAttr(SymbolOf(in->arg)) != nullptr;
          }
          if (!test_result(*in, has, sp)) RETURN(RunResult::kNotSatisfied);
          NEXT;
        }
        OP(kHas): {
          const Value& v = *stack[sp - 1];
          bool has;
          if (v.is(ValueKind::kEntity)) {
            const EntityHot* e = eval.Lookup(v.as_entity());
            has = e != nullptr && e->FindAttr(SymbolOf(in->arg)) != nullptr;
          } else if (v.is(ValueKind::kRecord)) {
            has = v.FindField(SymbolOf(in->arg)) != nullptr;
          } else {
            RETURN(RunResult::kBail);
          }
          stack[sp - 1] = BoolValue(has);
          NEXT;
        }
        OP(kEq):
        OP(kNe): {
          const bool eq = Equal(*stack[sp - 2], *stack[sp - 1]);
          if (!test_result(*in, eq == (in->op == Op::kEq), sp - 2)) {
            RETURN(RunResult::kNotSatisfied);
          }
          NEXT;
        }
        OP(kEqLit):
        OP(kNeLit): {
          const bool eq = Equal(*stack[sp - 1], program.literal(in->arg));
          if (!test_result(*in, eq == (in->op == Op::kEqLit), sp - 1)) {
            RETURN(RunResult::kNotSatisfied);
          }
          NEXT;
        }
        OP(kCmp): {
          const Value& a = *stack[sp - 2];
          const Value& b = *stack[sp - 1];
          int c;
          if (a.is(ValueKind::kLong) && b.is(ValueKind::kLong)) {
            c = Cmp3(a.as_long(), b.as_long());
          } else {
            absl::StatusOr<int> ext = CompareExtension(a, b);
            if (!ext.ok()) RETURN(RunResult::kBail);
            c = *ext;
          }
          const auto op = static_cast<BinaryOp>(in->a);
          if (!test_result(*in, Compare(op, c), sp - 2)) {
            RETURN(RunResult::kNotSatisfied);
          }
          NEXT;
        }
        OP(kCmpLit): {
          const Value& a = *stack[sp - 1];
          if (!a.is(ValueKind::kLong)) RETURN(RunResult::kBail);
          const int c = Cmp3(a.as_long(), program.literal(in->arg).as_long());
          const auto op = static_cast<BinaryOp>(in->a);
          if (!test_result(*in, Compare(op, c), sp - 1)) {
            RETURN(RunResult::kNotSatisfied);
          }
          NEXT;
        }
        OP(kArith): {
          const Value& a = *stack[sp - 2];
          const Value& b = *stack[sp - 1];
          if (!a.is(ValueKind::kLong) || !b.is(ValueKind::kLong)) {
            RETURN(RunResult::kBail);
          }
          const int64_t x = a.as_long(), y = b.as_long();
          int64_t out;
          bool overflow;
          switch (static_cast<BinaryOp>(in->a)) {
            case BinaryOp::kAdd: overflow = __builtin_add_overflow(x, y, &out); break;
            case BinaryOp::kSub: overflow = __builtin_sub_overflow(x, y, &out); break;
            default: overflow = __builtin_mul_overflow(x, y, &out); break;
          }
          if (overflow) RETURN(RunResult::kBail);
          --sp;
          store(sp - 1, Value::Long(out));
          NEXT;
        }
        OP(kNeg): {
          const Value& a = *stack[sp - 1];
          int64_t out;
          if (!a.is(ValueKind::kLong) ||
              __builtin_sub_overflow(int64_t{0}, a.as_long(), &out)) {
            RETURN(RunResult::kBail);
          }
          store(sp - 1, Value::Long(out));
          NEXT;
        }
        OP(kNot): {
          const Value& a = *stack[sp - 1];
          if (!a.is(ValueKind::kBool)) RETURN(RunResult::kBail);
          stack[sp - 1] = BoolValue(!a.as_bool());
          NEXT;
        }
        OP(kIn): {
          const Value& a = *stack[sp - 2];
          const Value& b = *stack[sp - 1];
          if (!a.is(ValueKind::kEntity)) RETURN(RunResult::kBail);
          const EntityUid& uid = a.as_entity();
          bool r = false;
          if (b.is(ValueKind::kEntity)) {
            r = InKnown(uid, eval.Lookup(uid), b.as_entity());
          } else if (b.is(ValueKind::kSet)) {
            const int in_set = InEntitySet(uid, eval.Lookup(uid), b.as_set());
            if (in_set < 0) RETURN(RunResult::kBail);
            r = in_set == 1;
          } else {
            RETURN(RunResult::kBail);
          }
          --sp;
          stack[sp - 1] = BoolValue(r);
          NEXT;
        }
        OP(kInLit): {
          const Value& a = *stack[sp - 1];
          if (!a.is(ValueKind::kEntity)) RETURN(RunResult::kBail);
          const EntityUid& uid = a.as_entity();
          const bool r =
              InKnown(uid, eval.Lookup(uid), program.literal(in->arg).as_entity());
          if (!test_result(*in, r, sp - 1)) RETURN(RunResult::kNotSatisfied);
          NEXT;
        }
        OP(kContains): {
          const Value& a = *stack[sp - 2];
          if (!a.is(ValueKind::kSet)) RETURN(RunResult::kBail);
          const bool r = a.SetContains(*stack[sp - 1]);
          if (!test_result(*in, r, sp - 2)) RETURN(RunResult::kNotSatisfied);
          NEXT;
        }
        OP(kContainsAll):
        OP(kContainsAny): {
          const Value& a = *stack[sp - 2];
          const Value& b = *stack[sp - 1];
          if (!a.is(ValueKind::kSet) || !b.is(ValueKind::kSet)) {
            RETURN(RunResult::kBail);
          }
          const bool r = ContainsAllOrAny(a, b, in->op == Op::kContainsAll);
          if (!test_result(*in, r, sp - 2)) RETURN(RunResult::kNotSatisfied);
          NEXT;
        }
        OP(kIsEmpty): {
          const Value& a = *stack[sp - 1];
          if (!a.is(ValueKind::kSet)) RETURN(RunResult::kBail);
          stack[sp - 1] = BoolValue(a.as_set().empty());
          NEXT;
        }
        OP(kLike): {
          const Value& a = *stack[sp - 1];
          if (!a.is(ValueKind::kString)) RETURN(RunResult::kBail);
          const bool r = LikeMatches(program.pattern(in->arg), a.as_string());
          if (!test_result(*in, r, sp - 1)) RETURN(RunResult::kNotSatisfied);
          NEXT;
        }
        OP(kIs): {
          const Value& a = *stack[sp - 1];
          if (!a.is(ValueKind::kEntity)) RETURN(RunResult::kBail);
          stack[sp - 1] = BoolValue(a.as_entity().type.id() == in->arg);
          NEXT;
        }
        OP(kGetTag):
        OP(kHasTag): {
          const Value& a = *stack[sp - 2];
          const Value& b = *stack[sp - 1];
          if (!a.is(ValueKind::kEntity) || !b.is(ValueKind::kString)) {
            RETURN(RunResult::kBail);
          }
          const EntityHot* e = eval.Lookup(a.as_entity());
          bool found = false;
          // Find, not Intern: request data must not grow the symbol table.
          const Symbol tag = Symbol::Find(b.as_string(), &found);
          const Value* v = (e != nullptr && found) ? e->entity->FindTag(tag) : nullptr;
          --sp;
          if (in->op == Op::kHasTag) {
            stack[sp - 1] = BoolValue(v != nullptr);
          } else {
            if (v == nullptr) RETURN(RunResult::kBail);
            stack[sp - 1] = v;
          }
          NEXT;
        }
        OP(kExt): {
          const ExtFn fn = static_cast<ExtFn>(in->a);
          const int n = static_cast<int>(in->arg);  // the arity: see the compiler
          const Value* const* args = &stack[sp - n];
          if (fn == ExtFn::kIsInRange) {
            if (!args[0]->is(ValueKind::kIpAddr) || !args[1]->is(ValueKind::kIpAddr)) {
              RETURN(RunResult::kBail);
            }
            const bool r = IpIsInRange(args[0]->as_ip(), args[1]->as_ip());
            if (!test_result(*in, r, sp - n)) RETURN(RunResult::kNotSatisfied);
            NEXT;
          }
          // Extension arguments are at most two values of heap-free kinds
          // in the common case; copying them costs no allocation then.
          if (n > 2) RETURN(RunResult::kBail);
          Value copies[2];
          for (int i = 0; i < n; ++i) {
            if (!HeapFree(*args[i])) RETURN(RunResult::kBail);
            copies[i] = *args[i];
          }
          absl::StatusOr<Value> r = CallExtension(fn, absl::Span<const Value>(copies, n));
          if (!r.ok() || !HeapFree(*r)) RETURN(RunResult::kBail);
          sp -= n;
          ++sp;
          if (r->is(ValueKind::kBool)) {
            stack[sp - 1] = BoolValue(r->as_bool());
          } else {
            store(sp - 1, *std::move(r));
          }
          NEXT;
        }
        OP(kAndJump):
        OP(kOrJump): {
          const Value& a = *stack[sp - 1];
          if (!a.is(ValueKind::kBool)) RETURN(RunResult::kBail);
          const bool short_value = in->op == Op::kOrJump;
          if (a.as_bool() == short_value) {
            stack[sp - 1] = BoolValue(short_value);
            ip = code + in->arg - 1;
          } else {
            --sp;
          }
          NEXT;
        }
        OP(kAssertBool):
          if (!stack[sp - 1]->is(ValueKind::kBool)) RETURN(RunResult::kBail);
          NEXT;
        OP(kJumpIfFalse): {
          const Value& a = *stack[--sp];
          if (!a.is(ValueKind::kBool)) RETURN(RunResult::kBail);
          if (!a.as_bool()) ip = code + in->arg - 1;
          NEXT;
        }
        OP(kSkipIf): {
          const Value& a = *stack[--sp];
          if (!a.is(ValueKind::kBool)) RETURN(RunResult::kBail);
          if (a.as_bool() == (in->a != 0)) ip = code + in->arg - 1;
          NEXT;
        }
        OP(kJump):
          ip = code + in->arg - 1;
          NEXT;
        OP(kWhen):
        OP(kUnless): {
          const Value& a = *stack[--sp];
          if (!a.is(ValueKind::kBool)) RETURN(RunResult::kBail);
          if (a.as_bool() != (in->op == Op::kWhen)) {
            RETURN(RunResult::kNotSatisfied);
          }
          NEXT;
        }
        OP(kSatisfied):
          RETURN(RunResult::kSatisfied);
      }
#if !ARBITER_THREADED_DISPATCH
    next:
      in = ++ip;
#endif
    }
  done:
    outcomes[k] = result;
  }
#undef RETURN
#undef NEXT
#undef OP
}

}  // namespace arbiter::internal
