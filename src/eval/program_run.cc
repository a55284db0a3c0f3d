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
#include "src/eval/ops.h"
#include "src/eval/program.h"

namespace arbiter::internal {

// Defined in ext/ipaddr.cc: `isInRange` is common enough in policies to be
// called directly rather than through CallExtension's generic signature.
bool IpIsInRange(const IpAddr& ip, const IpAddr& range);

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

// One policy's code from `entry`. Inlined into RunPrograms' loop, so that
// a decision's candidates share one call and one prologue.
[[gnu::always_inline]] inline RunResult RunOne(const Program& program,
                                               uint32_t entry,
                                               const Evaluator& eval) {
  constexpr int kMax = Program::kMaxStack;
  const Value* stack[kMax];
  // Raw storage for computed results: slot i holds the value at stack[i].
  alignas(Value) unsigned char results[kMax][sizeof(Value)];
  // Pointer-sized, like the position below: the stack and the code are
  // indexed with no widening per instruction.
  ptrdiff_t sp = 0;  // number of values on the stack
  // Writes a computed, heap-free result at stack position `at`.
  // The previous occupant of the slot (if any) was heap-free: nothing to
  // destroy.
  auto store = [&](ptrdiff_t at, Value v) {
    stack[at] = new (results[at]) Value(std::move(v));
  };

  const Instr* code = program.code();
  const Instr* ip = code + entry;
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
  for (;; ++ip) {
    const Instr& in = *ip;
    switch (in.op) {
      case Op::kPushVar:
        // A whole context with an overlay would have to be built: the tree
        // walker does that.
        if (static_cast<Var>(in.a) == Var::kContext &&
            eval.request().context_overlay != nullptr) {
          return RunResult::kBail;
        }
        stack[sp++] = &eval.var_value(static_cast<Var>(in.a));
        break;
      case Op::kPushLit:
        stack[sp++] = &program.literal(in.arg);
        break;
      case Op::kVarAttr: {
        const Value* v = VarAttr(eval, in);
        if (v == nullptr) return RunResult::kBail;
        stack[sp++] = v;
        break;
      }
      case Op::kVarAttrEqLit: {
        const Value* v = VarAttr(eval, in);
        if (v == nullptr) return RunResult::kBail;
        const bool eq = Equal(*v, program.literal((++ip)->arg));
        if (!test_result(in, eq != ((in.b & 0xff) != 0), sp)) {
          return RunResult::kNotSatisfied;
        }
        break;
      }
      case Op::kVarAttrCmpLit: {
        const Value* v = VarAttr(eval, in);
        if (v == nullptr || !v->is(ValueKind::kLong)) return RunResult::kBail;
        const int c = Cmp3(v->as_long(), program.literal((++ip)->arg).as_long());
        if (!test_result(in, Compare(static_cast<BinaryOp>(in.b & 0xff), c), sp)) {
          return RunResult::kNotSatisfied;
        }
        break;
      }
      case Op::kVarAttrCmpVarAttr: {
        const Value* v = VarAttr(eval, in);
        const Value* w = VarAttr(eval, *++ip);
        if (v == nullptr || w == nullptr || !v->is(ValueKind::kLong) ||
            !w->is(ValueKind::kLong)) {
          return RunResult::kBail;
        }
        const int c = Cmp3(v->as_long(), w->as_long());
        if (!test_result(in, Compare(static_cast<BinaryOp>(in.b & 0xff), c), sp)) {
          return RunResult::kNotSatisfied;
        }
        break;
      }
      case Op::kVarAttrInRangeLit: {
        const Value* v = VarAttr(eval, in);
        if (v == nullptr || !v->is(ValueKind::kIpAddr)) return RunResult::kBail;
        const bool r = IpIsInRange(v->as_ip(), program.literal((++ip)->arg).as_ip());
        if (!test_result(in, r, sp)) return RunResult::kNotSatisfied;
        break;
      }
      case Op::kOperand:
        // Consumed by the instruction before it; reaching one is a
        // compiler bug, and the tree walker is always right.
        return RunResult::kBail;
      case Op::kAttr: {
        const Value& v = *stack[sp - 1];
        const Value* a;
        if (v.is(ValueKind::kEntity)) {
          const EntityHot* e = eval.Lookup(v.as_entity());
          if (e == nullptr) return RunResult::kBail;
          a = e->FindAttr(SymbolOf(in.arg));
        } else if (v.is(ValueKind::kRecord)) {
          a = v.FindField(SymbolOf(in.arg));
        } else {
          return RunResult::kBail;
        }
        if (a == nullptr) return RunResult::kBail;
        stack[sp - 1] = a;
        break;
      }
      case Op::kVarHas: {
        const Var var = static_cast<Var>(in.a);
        bool has;
        if (var == Var::kContext) {
          if (!eval.request().context->is(ValueKind::kRecord)) {
            return RunResult::kBail;
          }
          has = eval.ContextField(SymbolOf(in.arg)) != nullptr;
        } else {
          const EntityHot* e = eval.var_entity(var);
          has = e != nullptr && e->FindAttr(SymbolOf(in.arg)) != nullptr;
        }
        if (!test_result(in, has, sp)) return RunResult::kNotSatisfied;
        break;
      }
      case Op::kHas: {
        const Value& v = *stack[sp - 1];
        bool has;
        if (v.is(ValueKind::kEntity)) {
          const EntityHot* e = eval.Lookup(v.as_entity());
          has = e != nullptr && e->FindAttr(SymbolOf(in.arg)) != nullptr;
        } else if (v.is(ValueKind::kRecord)) {
          has = v.FindField(SymbolOf(in.arg)) != nullptr;
        } else {
          return RunResult::kBail;
        }
        stack[sp - 1] = BoolValue(has);
        break;
      }
      case Op::kEq:
      case Op::kNe: {
        const bool eq = Equal(*stack[sp - 2], *stack[sp - 1]);
        if (!test_result(in, eq == (in.op == Op::kEq), sp - 2)) {
          return RunResult::kNotSatisfied;
        }
        break;
      }
      case Op::kEqLit:
      case Op::kNeLit: {
        const bool eq = Equal(*stack[sp - 1], program.literal(in.arg));
        if (!test_result(in, eq == (in.op == Op::kEqLit), sp - 1)) {
          return RunResult::kNotSatisfied;
        }
        break;
      }
      case Op::kCmp: {
        const Value& a = *stack[sp - 2];
        const Value& b = *stack[sp - 1];
        int c;
        if (a.is(ValueKind::kLong) && b.is(ValueKind::kLong)) {
          c = Cmp3(a.as_long(), b.as_long());
        } else {
          absl::StatusOr<int> ext = CompareExtension(a, b);
          if (!ext.ok()) return RunResult::kBail;
          c = *ext;
        }
        if (!test_result(in, Compare(static_cast<BinaryOp>(in.a), c), sp - 2)) {
          return RunResult::kNotSatisfied;
        }
        break;
      }
      case Op::kCmpLit: {
        const Value& a = *stack[sp - 1];
        if (!a.is(ValueKind::kLong)) return RunResult::kBail;
        const int c = Cmp3(a.as_long(), program.literal(in.arg).as_long());
        if (!test_result(in, Compare(static_cast<BinaryOp>(in.a), c), sp - 1)) {
          return RunResult::kNotSatisfied;
        }
        break;
      }
      case Op::kArith: {
        const Value& a = *stack[sp - 2];
        const Value& b = *stack[sp - 1];
        if (!a.is(ValueKind::kLong) || !b.is(ValueKind::kLong)) {
          return RunResult::kBail;
        }
        const int64_t x = a.as_long(), y = b.as_long();
        int64_t out;
        bool overflow;
        switch (static_cast<BinaryOp>(in.a)) {
          case BinaryOp::kAdd: overflow = __builtin_add_overflow(x, y, &out); break;
          case BinaryOp::kSub: overflow = __builtin_sub_overflow(x, y, &out); break;
          default: overflow = __builtin_mul_overflow(x, y, &out); break;
        }
        if (overflow) return RunResult::kBail;
        --sp;
        store(sp - 1, Value::Long(out));
        break;
      }
      case Op::kNeg: {
        const Value& a = *stack[sp - 1];
        int64_t out;
        if (!a.is(ValueKind::kLong) ||
            __builtin_sub_overflow(int64_t{0}, a.as_long(), &out)) {
          return RunResult::kBail;
        }
        store(sp - 1, Value::Long(out));
        break;
      }
      case Op::kNot: {
        const Value& a = *stack[sp - 1];
        if (!a.is(ValueKind::kBool)) return RunResult::kBail;
        stack[sp - 1] = BoolValue(!a.as_bool());
        break;
      }
      case Op::kIn: {
        const Value& a = *stack[sp - 2];
        const Value& b = *stack[sp - 1];
        if (!a.is(ValueKind::kEntity)) return RunResult::kBail;
        const EntityUid& uid = a.as_entity();
        bool r = false;
        if (b.is(ValueKind::kEntity)) {
          r = InKnown(uid, eval.Lookup(uid), b.as_entity());
        } else if (b.is(ValueKind::kSet)) {
          const int in_set = InEntitySet(uid, eval.Lookup(uid), b.as_set());
          if (in_set < 0) return RunResult::kBail;
          r = in_set == 1;
        } else {
          return RunResult::kBail;
        }
        --sp;
        stack[sp - 1] = BoolValue(r);
        break;
      }
      case Op::kInLit: {
        const Value& a = *stack[sp - 1];
        if (!a.is(ValueKind::kEntity)) return RunResult::kBail;
        const EntityUid& uid = a.as_entity();
        const bool r =
            InKnown(uid, eval.Lookup(uid), program.literal(in.arg).as_entity());
        if (!test_result(in, r, sp - 1)) return RunResult::kNotSatisfied;
        break;
      }
      case Op::kContains: {
        const Value& a = *stack[sp - 2];
        if (!a.is(ValueKind::kSet)) return RunResult::kBail;
        const bool r = a.SetContains(*stack[sp - 1]);
        if (!test_result(in, r, sp - 2)) return RunResult::kNotSatisfied;
        break;
      }
      case Op::kContainsAll:
      case Op::kContainsAny: {
        const Value& a = *stack[sp - 2];
        const Value& b = *stack[sp - 1];
        if (!a.is(ValueKind::kSet) || !b.is(ValueKind::kSet)) {
          return RunResult::kBail;
        }
        const bool r = ContainsAllOrAny(a, b, in.op == Op::kContainsAll);
        if (!test_result(in, r, sp - 2)) return RunResult::kNotSatisfied;
        break;
      }
      case Op::kIsEmpty: {
        const Value& a = *stack[sp - 1];
        if (!a.is(ValueKind::kSet)) return RunResult::kBail;
        stack[sp - 1] = BoolValue(a.as_set().empty());
        break;
      }
      case Op::kLike: {
        const Value& a = *stack[sp - 1];
        if (!a.is(ValueKind::kString)) return RunResult::kBail;
        const bool r = LikeMatches(program.pattern(in.arg), a.as_string());
        if (!test_result(in, r, sp - 1)) return RunResult::kNotSatisfied;
        break;
      }
      case Op::kIs: {
        const Value& a = *stack[sp - 1];
        if (!a.is(ValueKind::kEntity)) return RunResult::kBail;
        stack[sp - 1] = BoolValue(a.as_entity().type.id() == in.arg);
        break;
      }
      case Op::kGetTag:
      case Op::kHasTag: {
        const Value& a = *stack[sp - 2];
        const Value& b = *stack[sp - 1];
        if (!a.is(ValueKind::kEntity) || !b.is(ValueKind::kString)) {
          return RunResult::kBail;
        }
        const EntityHot* e = eval.Lookup(a.as_entity());
        bool found = false;
        // Find, not Intern: request data must not grow the symbol table.
        const Symbol tag = Symbol::Find(b.as_string(), &found);
        const Value* v = (e != nullptr && found) ? e->entity->FindTag(tag) : nullptr;
        --sp;
        if (in.op == Op::kHasTag) {
          stack[sp - 1] = BoolValue(v != nullptr);
        } else {
          if (v == nullptr) return RunResult::kBail;
          stack[sp - 1] = v;
        }
        break;
      }
      case Op::kExt: {
        const ExtFn fn = static_cast<ExtFn>(in.a);
        const int n = static_cast<int>(in.arg);  // the arity: see the compiler
        const Value* const* args = &stack[sp - n];
        if (fn == ExtFn::kIsInRange) {
          if (!args[0]->is(ValueKind::kIpAddr) || !args[1]->is(ValueKind::kIpAddr)) {
            return RunResult::kBail;
          }
          const bool r = IpIsInRange(args[0]->as_ip(), args[1]->as_ip());
          if (!test_result(in, r, sp - n)) return RunResult::kNotSatisfied;
          break;
        }
        // Extension arguments are at most two values of heap-free kinds
        // in the common case; copying them costs no allocation then.
        if (n > 2) return RunResult::kBail;
        Value copies[2];
        for (int i = 0; i < n; ++i) {
          if (!HeapFree(*args[i])) return RunResult::kBail;
          copies[i] = *args[i];
        }
        absl::StatusOr<Value> r = CallExtension(fn, absl::Span<const Value>(copies, n));
        if (!r.ok() || !HeapFree(*r)) return RunResult::kBail;
        sp -= n;
        ++sp;
        if (r->is(ValueKind::kBool)) {
          stack[sp - 1] = BoolValue(r->as_bool());
        } else {
          store(sp - 1, *std::move(r));
        }
        break;
      }
      case Op::kAndJump:
      case Op::kOrJump: {
        const Value& a = *stack[sp - 1];
        if (!a.is(ValueKind::kBool)) return RunResult::kBail;
        const bool short_value = in.op == Op::kOrJump;
        if (a.as_bool() == short_value) {
          stack[sp - 1] = BoolValue(short_value);
          ip = code + in.arg - 1;
        } else {
          --sp;
        }
        break;
      }
      case Op::kAssertBool:
        if (!stack[sp - 1]->is(ValueKind::kBool)) return RunResult::kBail;
        break;
      case Op::kJumpIfFalse: {
        const Value& a = *stack[--sp];
        if (!a.is(ValueKind::kBool)) return RunResult::kBail;
        if (!a.as_bool()) ip = code + in.arg - 1;
        break;
      }
      case Op::kSkipIf: {
        const Value& a = *stack[--sp];
        if (!a.is(ValueKind::kBool)) return RunResult::kBail;
        if (a.as_bool() == (in.a != 0)) ip = code + in.arg - 1;
        break;
      }
      case Op::kJump:
        ip = code + in.arg - 1;
        break;
      case Op::kWhen:
      case Op::kUnless: {
        const Value& a = *stack[--sp];
        if (!a.is(ValueKind::kBool)) return RunResult::kBail;
        if (a.as_bool() != (in.op == Op::kWhen)) return RunResult::kNotSatisfied;
        break;
      }
      case Op::kSatisfied:
        return RunResult::kSatisfied;
    }
  }
}

}  // namespace

void RunPrograms(const Program& program, const uint32_t* policies, size_t n,
                 const Evaluator& eval, RunResult* out) {
  for (size_t k = 0; k < n; ++k) {
    const uint32_t entry = program.entry(policies[k]);
    out[k] = entry == Program::kNotCompiled ? RunResult::kBail
                                            : RunOne(program, entry, eval);
  }
}

}  // namespace arbiter::internal
