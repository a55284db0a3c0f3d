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
//
// Results are borrowed where they already exist and computed into the
// caller's `tmp` otherwise (see evaluator.h). INVARIANT: a node reads
// everything it needs from its children before it writes `*tmp`, because a
// child's result may live inside `*tmp`.

#include "src/eval/evaluator.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/eval/ext/extensions.h"
#include "src/eval/ops.h"

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

// Boolean results are returned by pointer to these, instead of being
// written into the caller's temporary.
const Value kTrue = Value::Bool(true);
const Value kFalse = Value::Bool(false);
inline const Value* BoolResult(bool b) { return b ? &kTrue : &kFalse; }

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

namespace {

// Starts the three lookups' cache misses together (see Entities::Prefetch);
// returns its argument so that it can run in the member initializers.
const Entities& PrefetchRequestEntities(const Entities& entities,
                                        const RequestView& request) {
  entities.Prefetch(request.principal);
  entities.Prefetch(request.resource);
  entities.Prefetch(request.action);
  return entities;
}

// Starts loading every cache line of `size` bytes at `data`, up to a bound:
// loads started together cost about one miss, where reads that wait for
// each line in turn cost a miss per line.
void PrefetchLines(const void* data, size_t size) {
#if defined(__GNUC__)
  constexpr size_t kMaxLines = 8;
  const char* begin = static_cast<const char*>(data);
  const size_t bytes = std::min(size, kMaxLines * 64);
  // No pointer past the data (an empty vector's data() may be null).
  for (size_t off = 0; off < bytes; off += 64) __builtin_prefetch(begin + off);
#endif
}

// Starts loading what the index and the conditions read next of a request
// entity: the rest of its block (ancestors, attribute names and values).
void PrefetchEntityData(const EntityHot* e) {
#if defined(__GNUC__)
  if (e == nullptr) return;
  // The first line is the one being read; the rest follow it.
  const size_t size = EntityHot::SizeFor(e->num_attrs, e->num_ancestors);
  if (size > 64) {
    PrefetchLines(reinterpret_cast<const char*>(e) + 64, size - 64);
  }
#endif
}

}  // namespace

Evaluator::Evaluator(const Entities& entities, const RequestView& request)
    : entities_(PrefetchRequestEntities(entities, request)),
      request_(request),
      principal_(request.principal),
      action_(request.action),
      resource_(request.resource),
      principal_entity_(entities.FindHot(request.principal, &lookup_slots_[0])),
      action_entity_(entities.FindHot(request.action, &lookup_slots_[1])),
      resource_entity_(entities.FindHot(request.resource, &lookup_slots_[2])) {
  PrefetchEntityData(principal_entity_);
  PrefetchEntityData(resource_entity_);
  // Nearly every decision reads context fields: through the record's own
  // table, unless an overlay needs a copy.
  static constexpr std::array<uint8_t, 64> kNoFields = [] {
    std::array<uint8_t, 64> a{};
    a.fill(RecordRep::kAbsent);
    return a;
  }();
  context_slots_ = kNoFields.data();
  if (!request.context->is(ValueKind::kRecord)) return;
  const RecordRep& rep = request.context->record_rep();
#if defined(__GNUC__)
  // Its slot table and the fields' header: two lines wherever the caller
  // allocated the record, and read by the first condition that names a
  // context field (the catch-all policies' do, every decision). Loaded
  // now, their misses overlap the request entities' lookups instead of
  // following the index. 10 ns off agents-100, -1000 and -10000 alike.
  __builtin_prefetch(&rep);
  __builtin_prefetch(reinterpret_cast<const char*>(&rep) + 64);
#endif
  context_fields_ = &rep.fields;
  context_slots_ = rep.slots;
  // An overlay on a context that is not a record adds nothing (above):
  // `context` is then not a record, and has no fields.
  if (request.context_overlay != nullptr) {
    std::memcpy(overlay_slots_, rep.slots, sizeof overlay_slots_);
    for (const auto& field : *request.context_overlay) {
      overlay_keys_ |= uint64_t{1} << (field.first.id() & 63);
      overlay_slots_[field.first.id() & 63] = RecordRep::kSearch;
    }
    context_slots_ = overlay_slots_;
  }
}

const Value* Evaluator::SearchContextField(Symbol key) const {
  if (((overlay_keys_ >> (key.id() & 63)) & 1) != 0) {
    if (const Value* v = FindRecordField(*request_.context_overlay, key)) {
      return v;
    }
  }
  return FindRecordField(*context_fields_, key);
}

void Evaluator::AppendErrorMessage(std::string* out) const {
  // The same words as MissingEntity and the attribute errors in the
  // general path; built with appends so that a buffer with capacity left
  // is reused as is.
  switch (quick_) {
    case QuickError::kNone:
      out->append(error_.message().data(), error_.message().size());
      return;
    case QuickError::kMissingEntity:
      out->append("entity `");
      AppendEntityUid(quick_uid_, out);
      out->append("` does not exist");
      return;
    case QuickError::kMissingAttr:
      out->append("`");
      AppendEntityUid(quick_uid_, out);
      out->append("` does not have the attribute `");
      out->append(quick_attr_.str());
      out->append("`");
      return;
    case QuickError::kMissingField:
      out->append("record does not have the attribute `");
      out->append(quick_attr_.str());
      out->append("`");
      return;
  }
}

const absl::Status& Evaluator::error() const {
  if (quick_ != QuickError::kNone) {
    std::string message;
    AppendErrorMessage(&message);
    error_ = absl::InvalidArgumentError(message);
  }
  return error_;
}

const Value* Evaluator::Context() {
  if (request_.context_overlay == nullptr ||
      !request_.context->is(ValueKind::kRecord)) {
    return request_.context;
  }
  if (!merged_context_.has_value()) merged_context_ = EffectiveContext(request_);
  return &*merged_context_;
}

const EntityHot* Evaluator::Lookup(const EntityUid& uid) const {
  if (uid == request_.principal) return principal_entity_;
  if (uid == request_.resource) return resource_entity_;
  if (uid == request_.action) return action_entity_;
  return entities_.FindHot(uid);
}


bool Evaluator::ConstraintMatches(const ScopeConstraint& c,
                                  const EntityUid& uid,
                                  const EntityHot* entity) const {
  using Op = ScopeConstraint::Op;
  switch (c.op) {
    case Op::kAny: return true;
    case Op::kEq: return uid == c.entity;
    case Op::kIn: return InKnown(uid, entity, c.entity);
    case Op::kIs: return uid.type == c.type;
    case Op::kIsIn: return uid.type == c.type && InKnown(uid, entity, c.entity);
    case Op::kInSet:
      for (const EntityUid& e : c.entities) {
        if (InKnown(uid, entity, e)) return true;
      }
      return false;
  }
  return false;
}

bool Evaluator::ScopeMatches(const Policy& p) const {
  return ConstraintMatches(p.principal, request_.principal, principal_entity_) &&
         ConstraintMatches(p.action, request_.action, action_entity_) &&
         ConstraintMatches(p.resource, request_.resource, resource_entity_);
}

int Evaluator::ConditionsHold(const Policy& p) {
  for (const Condition& c : p.body->conditions) {
    int b = EvalBool(*c.expr);
    if (b < 0) return -1;
    if ((b == 1) != c.is_when) return 0;
  }
  return 1;
}

absl::StatusOr<bool> Evaluator::Satisfied(const Policy& p) {
  if (!ScopeMatches(p)) return false;
  int r = ConditionsHold(p);
  if (r < 0) return error();
  return r == 1;
}

absl::StatusOr<Value> Evaluator::Eval(const Expr& e) {
  Value tmp;
  const Value* v = Eval(e, &tmp);
  if (v == nullptr) return error();
  return *v;
}

int Evaluator::EvalBool(const Expr& e) {
  Value tmp;
  const Value* v = Eval(e, &tmp);
  if (v == nullptr) return -1;
  if (!v->is(ValueKind::kBool)) return FailBool(TypeError("bool", *v));
  return v->as_bool() ? 1 : 0;
}

const Value* Evaluator::GetAttr(const Value& v, Symbol attr) {
  if (v.is(ValueKind::kEntity)) {
    const EntityHot* ent = Lookup(v.as_entity());
    if (ent == nullptr) {
      return FailQuick(QuickError::kMissingEntity, v.as_entity(), attr);
    }
    const Value* a = ent->FindAttr(attr);
    if (a == nullptr) {
      return FailQuick(QuickError::kMissingAttr, v.as_entity(), attr);
    }
    return a;
  }
  if (v.is(ValueKind::kRecord)) {
    const Value* a = v.FindField(attr);
    if (a == nullptr) {
      return FailQuick(QuickError::kMissingField, EntityUid{}, attr);
    }
    return a;
  }
  return Fail(absl::InvalidArgumentError(
      absl::StrCat("type error: expected entity or record, got ",
                   std::string(KindName(v.kind())))));
}

int Evaluator::HasAttr(const Value& v, Symbol attr) {
  if (v.is(ValueKind::kEntity)) {
    const EntityHot* ent = Lookup(v.as_entity());
    return ent != nullptr && ent->FindAttr(attr) != nullptr;
  }
  if (v.is(ValueKind::kRecord)) return v.FindField(attr) != nullptr;
  return FailBool(absl::InvalidArgumentError(
      absl::StrCat("type error: expected entity or record, got ",
                   std::string(KindName(v.kind())))));
}

int Evaluator::In(const Value& lhs, const Value& rhs) {
  if (!lhs.is(ValueKind::kEntity)) return FailBool(TypeError("entity", lhs));
  const EntityUid& uid = lhs.as_entity();
  if (rhs.is(ValueKind::kEntity)) {
    return InKnown(uid, Lookup(uid), rhs.as_entity());
  }
  if (!rhs.is(ValueKind::kSet)) {
    return FailBool(absl::InvalidArgumentError(
        absl::StrCat("type error: expected set or entity, got ",
                     std::string(KindName(rhs.kind())))));
  }
  const int in = InEntitySet(uid, Lookup(uid), rhs.as_set());
  if (in < 0) {
    for (const Value& el : rhs.as_set()) {
      if (!el.is(ValueKind::kEntity)) return FailBool(TypeError("entity", el));
    }
  }
  return in;
}

const Value* Evaluator::EvalBinary(const Expr& e, Value* tmp) {
  Value ta, tb;
  const Value* pa = Eval(*e.children[0], &ta);
  if (pa == nullptr) return nullptr;
  const Value* pb = Eval(*e.children[1], &tb);
  if (pb == nullptr) return nullptr;
  const Value& a = *pa;
  const Value& b = *pb;
  switch (e.op) {
    case BinaryOp::kEq: return BoolResult(a == b);
    case BinaryOp::kNe: return BoolResult(!(a == b));
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe: {
      int c;
      if (a.is(ValueKind::kLong) && b.is(ValueKind::kLong)) {
        c = a.as_long() < b.as_long() ? -1 : (a.as_long() > b.as_long() ? 1 : 0);
      } else {
        absl::StatusOr<int> ext = CompareExtension(a, b);
        if (!ext.ok()) return Fail(ext.status());
        c = *ext;
      }
      bool r;
      switch (e.op) {
        case BinaryOp::kLt: r = c < 0; break;
        case BinaryOp::kLe: r = c <= 0; break;
        case BinaryOp::kGt: r = c > 0; break;
        default: r = c >= 0; break;
      }
      return BoolResult(r);
    }
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
    case BinaryOp::kMul: {
      if (!a.is(ValueKind::kLong)) return Fail(TypeError("long", a));
      if (!b.is(ValueKind::kLong)) return Fail(TypeError("long", b));
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
      if (overflow) return Fail(Overflow(verb, x, y));
      *tmp = Value::Long(out);
      return tmp;
    }
    case BinaryOp::kIn: {
      int in = In(a, b);
      if (in < 0) return nullptr;
      return BoolResult(in == 1);
    }
    case BinaryOp::kContains:
      if (!a.is(ValueKind::kSet)) return Fail(TypeError("set", a));
      return BoolResult(a.SetContains(b));
    case BinaryOp::kContainsAll:
    case BinaryOp::kContainsAny: {
      if (!a.is(ValueKind::kSet)) return Fail(TypeError("set", a));
      if (!b.is(ValueKind::kSet)) return Fail(TypeError("set", b));
      return BoolResult(ContainsAllOrAny(a, b, e.op == BinaryOp::kContainsAll));
    }
    case BinaryOp::kGetTag:
    case BinaryOp::kHasTag: {
      if (!a.is(ValueKind::kEntity)) return Fail(TypeError("entity", a));
      if (!b.is(ValueKind::kString)) return Fail(TypeError("string", b));
      const EntityHot* ent = Lookup(a.as_entity());
      bool found = false;
      // Find, not Intern: a tag name from request data must not grow the
      // symbol table; a name never interned cannot be a stored tag.
      Symbol tag = Symbol::Find(b.as_string(), &found);
      const Value* v = (ent != nullptr && found) ? ent->entity->FindTag(tag) : nullptr;
      if (e.op == BinaryOp::kHasTag) {
        return BoolResult(v != nullptr);
      }
      if (ent == nullptr) return Fail(MissingEntity(a.as_entity()));
      if (v == nullptr) {
        const std::string_view tag = b.as_string();
        return Fail(absl::InvalidArgumentError(absl::StrCat(
            "`", a.as_entity().ToString(), "` does not have the tag `",
            absl::string_view(tag.data(), tag.size()), "`")));
      }
      return v;
    }
  }
  return Fail(absl::InternalError("unknown binary operator"));
}

const Value* Evaluator::Eval(const Expr& e, Value* tmp) {
  switch (e.kind) {
    case ExprKind::kLiteral:
      return &e.literal;
    case ExprKind::kVar:
      switch (e.var) {
        case Var::kPrincipal: return &principal_.get();
        case Var::kAction: return &action_.get();
        case Var::kResource: return &resource_.get();
        case Var::kContext: return Context();
      }
      return Fail(absl::InternalError("unknown variable"));
    case ExprKind::kSlot:
      return Fail(absl::InvalidArgumentError("template slot was not linked"));
    case ExprKind::kIf: {
      int c = EvalBool(*e.children[0]);
      if (c < 0) return nullptr;
      return Eval(*e.children[c == 1 ? 1 : 2], tmp);
    }
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      int l = EvalBool(*e.children[0]);
      if (l < 0) return nullptr;
      const bool is_and = e.kind == ExprKind::kAnd;
      if ((l == 1) != is_and) {  // short-circuit
        return BoolResult(l == 1);
      }
      int r = EvalBool(*e.children[1]);
      if (r < 0) return nullptr;
      return BoolResult(r == 1);
    }
    case ExprKind::kNot: {
      int b = EvalBool(*e.children[0]);
      if (b < 0) return nullptr;
      return BoolResult(b == 0);
    }
    case ExprKind::kNeg: {
      const Value* v = Eval(*e.children[0], tmp);
      if (v == nullptr) return nullptr;
      if (!v->is(ValueKind::kLong)) return Fail(TypeError("long", *v));
      int64_t out;
      if (__builtin_sub_overflow(int64_t{0}, v->as_long(), &out)) {
        return Fail(absl::InvalidArgumentError(absl::StrCat(
            "integer overflow while attempting to negate the value `",
            v->as_long(), "`")));
      }
      *tmp = Value::Long(out);
      return tmp;
    }
    case ExprKind::kBinary:
      return EvalBinary(e, tmp);
    case ExprKind::kIsEmpty: {
      const Value* v = Eval(*e.children[0], tmp);
      if (v == nullptr) return nullptr;
      if (!v->is(ValueKind::kSet)) return Fail(TypeError("set", *v));
      const bool empty = v->as_set().empty();
      return BoolResult(empty);
    }
    case ExprKind::kHas: {
      if (IsContextRecord(*e.children[0])) {
        return BoolResult(ContextField(e.attr) != nullptr);
      }
      const Value* v = Eval(*e.children[0], tmp);
      if (v == nullptr) return nullptr;
      int h = HasAttr(*v, e.attr);
      if (h < 0) return nullptr;
      return BoolResult(h == 1);
    }
    case ExprKind::kGetAttr: {
      // The attribute is borrowed from its container, which is either
      // long-lived (store, context, literal) or lives in *tmp.
      if (IsContextRecord(*e.children[0])) {
        const Value* a = ContextField(e.attr);
        if (a == nullptr) return FailQuick(QuickError::kMissingField, EntityUid{}, e.attr);
        return a;
      }
      const Value* v = Eval(*e.children[0], tmp);
      if (v == nullptr) return nullptr;
      return GetAttr(*v, e.attr);
    }
    case ExprKind::kLike: {
      const Value* v = Eval(*e.children[0], tmp);
      if (v == nullptr) return nullptr;
      if (!v->is(ValueKind::kString)) return Fail(TypeError("string", *v));
      const bool m = LikeMatches(e.pattern, v->as_string());
      return BoolResult(m);
    }
    case ExprKind::kIs: {
      const Value* v = Eval(*e.children[0], tmp);
      if (v == nullptr) return nullptr;
      if (!v->is(ValueKind::kEntity)) return Fail(TypeError("entity", *v));
      const EntityUid uid = v->as_entity();
      if (uid.type != e.entity_type || e.children.size() == 1) {
        return BoolResult(uid.type == e.entity_type);
      }
      // `e is T in x` is `e is T && e in x`: x is evaluated only when the
      // type matches.
      Value trhs;
      const Value* rhs = Eval(*e.children[1], &trhs);
      if (rhs == nullptr) return nullptr;
      int in = In(Value::Entity(uid), *rhs);
      if (in < 0) return nullptr;
      return BoolResult(in == 1);
    }
    case ExprKind::kSet: {
      std::vector<Value> elements;
      elements.reserve(e.children.size());
      for (const auto& c : e.children) {
        Value t;
        const Value* v = Eval(*c, &t);
        if (v == nullptr) return nullptr;
        elements.push_back(*v);
      }
      *tmp = Value::Set(std::move(elements));
      return tmp;
    }
    case ExprKind::kRecord: {
      std::vector<std::pair<Symbol, Value>> fields;
      fields.reserve(e.children.size());
      for (size_t i = 0; i < e.children.size(); ++i) {
        Value t;
        const Value* v = Eval(*e.children[i], &t);
        if (v == nullptr) return nullptr;
        fields.emplace_back(e.record_keys[i], *v);
      }
      *tmp = Value::Record(std::move(fields));
      return tmp;
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
        Value t;
        const Value* v = Eval(*e.children[i], &t);
        if (v == nullptr) return nullptr;
        args[i] = *v;
      }
      if (static_cast<int>(n) != ExtArity(e.fn)) {
        return Fail(absl::InvalidArgumentError(absl::StrCat(
            "wrong number of arguments in extension function application: `",
            std::string(ExtFnName(e.fn)), "` expects ", ExtArity(e.fn),
            " argument", ExtArity(e.fn) == 1 ? "" : "s", ", got ", n)));
      }
      absl::StatusOr<Value> r =
          CallExtension(e.fn, absl::Span<const Value>(args, n));
      if (!r.ok()) return Fail(r.status());
      *tmp = *std::move(r);
      return tmp;
    }
  }
  return Fail(absl::InternalError("unknown expression kind"));
}

}  // namespace arbiter::internal
