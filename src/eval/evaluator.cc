// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// A tree-walking evaluator with Cedar's semantics:
//  - `&&`, `||` and `if` short-circuit, so an error in a branch that is not
//    taken is never raised;
//  - `==` never errs (values of different types are unequal), while the
//    other operators demand their operand types and raise a type error;
//  - Long arithmetic is checked, every overflow is an error;
//  - attribute access on a missing entity or attribute is an error, while
//    `has` on a missing entity is simply false.
// Messages follow Cedar's: lower case, no final period, input in backticks.

#include "src/eval/evaluator.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/eval/ext/extensions.h"

namespace arbiter::internal {
namespace {

absl::Status TypeError(std::string_view expected, const Value& got) {
  return absl::InvalidArgumentError(absl::StrCat(
      "type error: expected ", std::string(expected), ", got ",
      std::string(KindName(got.kind()))));
}

absl::Status Overflow(std::string_view verb, int64_t a, int64_t b) {
  return absl::InvalidArgumentError(absl::StrCat(
      "integer overflow while attempting to ", std::string(verb),
      " the values `", a, "` and `", b, "`"));
}

absl::Status MissingEntity(const EntityUid& uid) {
  return absl::InvalidArgumentError(
      absl::StrCat("entity `", uid.ToString(), "` does not exist"));
}

}  // namespace

bool LikeMatches(const LikePattern& pattern, std::string_view text) {
  const auto& parts = pattern.parts;
  if (parts.size() == 1) return text == parts[0];
  // The first part anchors at the start and the last at the end; the middle
  // parts are found greedily left to right, which is optimal for patterns
  // whose only wildcard is `*`.
  const std::string& first = parts.front();
  const std::string& last = parts.back();
  if (text.size() < first.size() + last.size()) return false;
  if (text.substr(0, first.size()) != first) return false;
  if (text.substr(text.size() - last.size()) != last) return false;
  size_t pos = first.size();
  size_t limit = text.size() - last.size();
  for (size_t i = 1; i + 1 < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (p.empty()) continue;
    size_t found = text.substr(0, limit).find(p, pos);
    if (found == std::string_view::npos) return false;
    pos = found + p.size();
  }
  return pos <= limit;
}

bool Evaluator::ConstraintMatches(const ScopeConstraint& c,
                                  const EntityUid& uid) const {
  using Op = ScopeConstraint::Op;
  switch (c.op) {
    case Op::kAny: return true;
    case Op::kEq: return uid == c.entity;
    case Op::kIn: return entities_.IsIn(uid, c.entity);
    case Op::kIs: return uid.type == c.type;
    case Op::kIsIn: return uid.type == c.type && entities_.IsIn(uid, c.entity);
    case Op::kInSet:
      for (const EntityUid& e : c.entities) {
        if (entities_.IsIn(uid, e)) return true;
      }
      return false;
  }
  return false;
}

bool Evaluator::ScopeMatches(const Policy& p) const {
  return ConstraintMatches(p.principal, request_.principal) &&
         ConstraintMatches(p.action, request_.action) &&
         ConstraintMatches(p.resource, request_.resource);
}

absl::StatusOr<bool> Evaluator::Satisfied(const Policy& p) const {
  if (!ScopeMatches(p)) return false;
  for (const Condition& c : p.body->conditions) {
    absl::StatusOr<bool> b = EvalBool(*c.expr);
    if (!b.ok()) return b.status();
    if (*b != c.is_when) return false;
  }
  return true;
}

absl::StatusOr<bool> Evaluator::EvalBool(const Expr& e) const {
  absl::StatusOr<Value> v = Eval(e);
  if (!v.ok()) return v.status();
  if (!v->is(ValueKind::kBool)) return TypeError("bool", *v);
  return v->as_bool();
}

absl::StatusOr<Value> Evaluator::GetAttr(const Value& v, Symbol attr) const {
  if (v.is(ValueKind::kEntity)) {
    const StoredEntity* ent = entities_.Find(v.as_entity());
    if (ent == nullptr) return MissingEntity(v.as_entity());
    const Value* a = ent->FindAttr(attr);
    if (a == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("`", v.as_entity().ToString(),
                       "` does not have the attribute `",
                       std::string(attr.str()), "`"));
    }
    return *a;
  }
  if (v.is(ValueKind::kRecord)) {
    const Value* a = v.FindField(attr);
    if (a == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "record does not have the attribute `", std::string(attr.str()), "`"));
    }
    return *a;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "type error: expected entity or record, got ",
      std::string(KindName(v.kind()))));
}

absl::StatusOr<bool> Evaluator::HasAttr(const Value& v, Symbol attr) const {
  if (v.is(ValueKind::kEntity)) {
    const StoredEntity* ent = entities_.Find(v.as_entity());
    return ent != nullptr && ent->FindAttr(attr) != nullptr;
  }
  if (v.is(ValueKind::kRecord)) return v.FindField(attr) != nullptr;
  return absl::InvalidArgumentError(absl::StrCat(
      "type error: expected entity or record, got ",
      std::string(KindName(v.kind()))));
}

absl::StatusOr<bool> Evaluator::In(const Value& lhs, const Value& rhs) const {
  if (!lhs.is(ValueKind::kEntity)) return TypeError("entity", lhs);
  if (rhs.is(ValueKind::kEntity)) {
    return entities_.IsIn(lhs.as_entity(), rhs.as_entity());
  }
  if (!rhs.is(ValueKind::kSet)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "type error: expected set or entity, got ",
        std::string(KindName(rhs.kind()))));
  }
  // Every element must be an entity, even after a match is found.
  for (const Value& el : rhs.as_set()) {
    if (!el.is(ValueKind::kEntity)) return TypeError("entity", el);
  }
  for (const Value& el : rhs.as_set()) {
    if (entities_.IsIn(lhs.as_entity(), el.as_entity())) return true;
  }
  return false;
}

absl::StatusOr<Value> Evaluator::EvalBinary(const Expr& e) const {
  absl::StatusOr<Value> l = Eval(*e.children[0]);
  if (!l.ok()) return l;
  absl::StatusOr<Value> r = Eval(*e.children[1]);
  if (!r.ok()) return r;
  const Value& a = *l;
  const Value& b = *r;
  switch (e.op) {
    case BinaryOp::kEq: return Value::Bool(a == b);
    case BinaryOp::kNe: return Value::Bool(!(a == b));
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe: {
      int c;
      if (a.is(ValueKind::kLong) && b.is(ValueKind::kLong)) {
        c = a.as_long() < b.as_long() ? -1 : (a.as_long() > b.as_long() ? 1 : 0);
      } else {
        absl::StatusOr<int> ext = CompareExtension(a, b);
        if (!ext.ok()) return ext.status();
        c = *ext;
      }
      switch (e.op) {
        case BinaryOp::kLt: return Value::Bool(c < 0);
        case BinaryOp::kLe: return Value::Bool(c <= 0);
        case BinaryOp::kGt: return Value::Bool(c > 0);
        default: return Value::Bool(c >= 0);
      }
    }
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
    case BinaryOp::kMul: {
      if (!a.is(ValueKind::kLong)) return TypeError("long", a);
      if (!b.is(ValueKind::kLong)) return TypeError("long", b);
      int64_t x = a.as_long(), y = b.as_long(), out;
      bool overflow;
      std::string_view verb;
      if (e.op == BinaryOp::kAdd) {
        overflow = __builtin_add_overflow(x, y, &out);
        verb = "add";
      } else if (e.op == BinaryOp::kSub) {
        overflow = __builtin_sub_overflow(x, y, &out);
        verb = "subtract";
      } else {
        overflow = __builtin_mul_overflow(x, y, &out);
        verb = "multiply";
      }
      if (overflow) return Overflow(verb, x, y);
      return Value::Long(out);
    }
    case BinaryOp::kIn: {
      absl::StatusOr<bool> in = In(a, b);
      if (!in.ok()) return in.status();
      return Value::Bool(*in);
    }
    case BinaryOp::kContains:
      if (!a.is(ValueKind::kSet)) return TypeError("set", a);
      return Value::Bool(a.SetContains(b));
    case BinaryOp::kContainsAll:
    case BinaryOp::kContainsAny: {
      if (!a.is(ValueKind::kSet)) return TypeError("set", a);
      if (!b.is(ValueKind::kSet)) return TypeError("set", b);
      bool all = e.op == BinaryOp::kContainsAll;
      for (const Value& el : b.as_set()) {
        bool has = a.SetContains(el);
        if (all && !has) return Value::Bool(false);
        if (!all && has) return Value::Bool(true);
      }
      return Value::Bool(all);
    }
    case BinaryOp::kGetTag:
    case BinaryOp::kHasTag: {
      if (!a.is(ValueKind::kEntity)) return TypeError("entity", a);
      if (!b.is(ValueKind::kString)) return TypeError("string", b);
      const StoredEntity* ent = entities_.Find(a.as_entity());
      bool found;
      Symbol tag = Symbol::Find(b.as_string(), &found);
      const Value* v =
          (ent != nullptr && found) ? ent->FindTag(tag) : nullptr;
      if (e.op == BinaryOp::kHasTag) return Value::Bool(v != nullptr);
      if (ent == nullptr) return MissingEntity(a.as_entity());
      if (v == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("`", a.as_entity().ToString(),
                         "` does not have the tag `", b.as_string(), "`"));
      }
      return *v;
    }
  }
  return absl::InternalError("unknown binary operator");
}

absl::StatusOr<Value> Evaluator::Eval(const Expr& e) const {
  switch (e.kind) {
    case ExprKind::kLiteral:
      return e.literal;
    case ExprKind::kVar:
      switch (e.var) {
        case Var::kPrincipal: return Value::Entity(request_.principal);
        case Var::kAction: return Value::Entity(request_.action);
        case Var::kResource: return Value::Entity(request_.resource);
        case Var::kContext: return request_.context;
      }
      return absl::InternalError("unknown variable");
    case ExprKind::kSlot:
      return absl::InvalidArgumentError("template slot was not linked");
    case ExprKind::kIf: {
      absl::StatusOr<bool> c = EvalBool(*e.children[0]);
      if (!c.ok()) return c.status();
      return Eval(*e.children[*c ? 1 : 2]);
    }
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      absl::StatusOr<bool> l = EvalBool(*e.children[0]);
      if (!l.ok()) return l.status();
      const bool is_and = e.kind == ExprKind::kAnd;
      if (*l != is_and) return Value::Bool(*l);  // short-circuit
      absl::StatusOr<bool> r = EvalBool(*e.children[1]);
      if (!r.ok()) return r.status();
      return Value::Bool(*r);
    }
    case ExprKind::kNot: {
      absl::StatusOr<bool> b = EvalBool(*e.children[0]);
      if (!b.ok()) return b.status();
      return Value::Bool(!*b);
    }
    case ExprKind::kNeg: {
      absl::StatusOr<Value> v = Eval(*e.children[0]);
      if (!v.ok()) return v;
      if (!v->is(ValueKind::kLong)) return TypeError("long", *v);
      int64_t out;
      if (__builtin_sub_overflow(int64_t{0}, v->as_long(), &out)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "integer overflow while attempting to negate the value `",
            v->as_long(), "`"));
      }
      return Value::Long(out);
    }
    case ExprKind::kBinary:
      return EvalBinary(e);
    case ExprKind::kIsEmpty: {
      absl::StatusOr<Value> v = Eval(*e.children[0]);
      if (!v.ok()) return v;
      if (!v->is(ValueKind::kSet)) return TypeError("set", *v);
      return Value::Bool(v->as_set().empty());
    }
    case ExprKind::kHas: {
      absl::StatusOr<Value> v = Eval(*e.children[0]);
      if (!v.ok()) return v;
      absl::StatusOr<bool> h = HasAttr(*v, e.attr);
      if (!h.ok()) return h.status();
      return Value::Bool(*h);
    }
    case ExprKind::kGetAttr: {
      absl::StatusOr<Value> v = Eval(*e.children[0]);
      if (!v.ok()) return v;
      return GetAttr(*v, e.attr);
    }
    case ExprKind::kLike: {
      absl::StatusOr<Value> v = Eval(*e.children[0]);
      if (!v.ok()) return v;
      if (!v->is(ValueKind::kString)) return TypeError("string", *v);
      return Value::Bool(LikeMatches(e.pattern, v->as_string()));
    }
    case ExprKind::kIs: {
      absl::StatusOr<Value> v = Eval(*e.children[0]);
      if (!v.ok()) return v;
      if (!v->is(ValueKind::kEntity)) return TypeError("entity", *v);
      if (v->as_entity().type != e.entity_type) return Value::Bool(false);
      if (e.children.size() == 1) return Value::Bool(true);
      // `e is T in x` is `e is T && e in x`: x is evaluated only when the
      // type matches.
      absl::StatusOr<Value> rhs = Eval(*e.children[1]);
      if (!rhs.ok()) return rhs;
      absl::StatusOr<bool> in = In(*v, *rhs);
      if (!in.ok()) return in.status();
      return Value::Bool(*in);
    }
    case ExprKind::kSet: {
      std::vector<Value> elements;
      elements.reserve(e.children.size());
      for (const auto& c : e.children) {
        absl::StatusOr<Value> v = Eval(*c);
        if (!v.ok()) return v;
        elements.push_back(*std::move(v));
      }
      return Value::Set(std::move(elements));
    }
    case ExprKind::kRecord: {
      std::vector<std::pair<Symbol, Value>> fields;
      fields.reserve(e.children.size());
      for (size_t i = 0; i < e.children.size(); ++i) {
        absl::StatusOr<Value> v = Eval(*e.children[i]);
        if (!v.ok()) return v;
        fields.emplace_back(e.record_keys[i], *std::move(v));
      }
      return Value::Record(std::move(fields));
    }
    case ExprKind::kExtCall: {
      // Every argument is evaluated (an error in one wins), then the arity
      // is checked: in Cedar a call with the wrong number of arguments is an
      // evaluation error, not a parse error.
      const size_t n = e.children.size();
      Value small[2];
      std::vector<Value> many;
      if (n > 2) many.resize(n);
      Value* args = n > 2 ? many.data() : small;
      for (size_t i = 0; i < n; ++i) {
        absl::StatusOr<Value> v = Eval(*e.children[i]);
        if (!v.ok()) return v;
        args[i] = *std::move(v);
      }
      if (static_cast<int>(n) != ExtArity(e.fn)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "wrong number of arguments in extension function application: `",
            std::string(ExtFnName(e.fn)), "` expects ", ExtArity(e.fn),
            " argument", ExtArity(e.fn) == 1 ? "" : "s", ", got ", n));
      }
      return CallExtension(e.fn, absl::Span<const Value>(args, n));
    }
  }
  return absl::InternalError("unknown expression kind");
}

}  // namespace arbiter::internal
