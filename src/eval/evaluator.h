// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The evaluator: one request's variables and entity store, applied to a
// policy's scope and conditions.
//
// Design: evaluation returns `const Value*`. A result that already exists
// (a literal in the tree, an attribute in the entity store, the context) is
// returned in place, without a copy; a computed result is written into a
// Value the caller provides on its own stack frame. So the common path
// neither allocates nor touches reference counts. An error is reported by
// returning nullptr with the message stored in the evaluator (errors are the
// uncommon path; only they allocate).
//
// Recursion depth is bounded by the parser's nesting limit, which is why the
// tree walk may recurse.

#ifndef ARBITER_EVAL_EVALUATOR_H_
#define ARBITER_EVAL_EVALUATOR_H_

#include <new>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "arbiter/entities.h"
#include "arbiter/request.h"
#include "src/ast/policy.h"
#include "src/eval/request_view.h"

namespace arbiter::internal {

// An entity Value built in place and never destroyed. An entity Value
// owns no heap memory, so its destructor has nothing to do, yet as a
// variant's it would still switch on the kind: for the three request
// variables, built every decision, that is work for nothing.
class EntityValue {
 public:
  explicit EntityValue(const EntityUid& uid) {
    new (storage_) Value(Value::Entity(uid));
  }
  EntityValue(const EntityValue&) = delete;
  EntityValue& operator=(const EntityValue&) = delete;
  const Value& get() const {
    return *std::launder(reinterpret_cast<const Value*>(storage_));
  }

 private:
  alignas(Value) unsigned char storage_[sizeof(Value)];
};

class Evaluator {
 public:
  // The store, and what the request points to (its context and overlay),
  // must outlive the Evaluator. Not thread-safe: one per call.
  Evaluator(const Entities& entities, const RequestView& request);
  Evaluator(const Entities& entities, const Request& request)
      : Evaluator(entities, RequestView::Of(request)) {}
  // Not copyable: context_slots_ may point into the object's own
  // overlay_slots_.
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Whether the scope matches. Never fails: scope tests only compare
  // entities and look up ancestors.
  bool ScopeMatches(const Policy& policy) const;

  // Whether the conditions hold: every `when` true and every `unless`
  // false, tested in order with short-circuit. Does not test the scope.
  // Returns 1 (satisfied), 0 (not), or -1 (error; see error()).
  int ConditionsHold(const Policy& policy);

  // Scope and conditions together.
  absl::StatusOr<bool> Satisfied(const Policy& policy);

  // Evaluates one expression to an owned value.
  absl::StatusOr<Value> Eval(const Expr& e);

  // The request's entities in the store (nullptr when absent).
  const EntityHot* principal_entity() const { return principal_entity_; }
  const EntityHot* action_entity() const { return action_entity_; }
  const EntityHot* resource_entity() const { return resource_entity_; }
  // Where the store's lookups found the principal, action and resource
  // (Entities::FindHot's `slot`): for an index binding.
  const void* const* lookup_slots() const { return lookup_slots_; }

  // The error of the last failed evaluation.
  const absl::Status& error() const;

  // The last error's message, appended to *out. The errors policies meet
  // most (an entity missing from the store, a missing attribute) are kept
  // unformatted until this call, so reporting them into a reused buffer
  // allocates nothing.
  void AppendErrorMessage(std::string* out) const;

  // For the compiled program (program.h), which shares this request state.
  const RequestView& request() const { return request_; }
  // Not for `context` when the request has an overlay (see Context()).
  const Value& var_value(Var v) const {
    switch (v) {
      case Var::kPrincipal: return principal_.get();
      case Var::kAction: return action_.get();
      case Var::kResource: return resource_.get();
      case Var::kContext: break;
    }
    return *request_.context;
  }
  // A field of the context, overlay first; nullptr when absent or when the
  // context is not a record. One load and one compare inline (the slot
  // table, see context_slots_); a slot shared by several keys, or by a key
  // the overlay may hold, out of line.
  const Value* ContextField(Symbol key) const {
    const uint8_t at = context_slots_[key.id() & 63];
    if (at < RecordRep::kSearch) {
      const auto& field = (*context_fields_)[at];
      return field.first == key ? &field.second : nullptr;
    }
    if (at == RecordRep::kAbsent) return nullptr;
    return SearchContextField(key);
  }
  // The store entry of principal, action or resource (not context).
  const EntityHot* var_entity(Var v) const {
    return v == Var::kPrincipal ? principal_entity_
           : v == Var::kAction  ? action_entity_
                                : resource_entity_;
  }
  // An entity in the store, trying the request's own entities first.
  const EntityHot* Lookup(const EntityUid& uid) const;

 private:
  const Value* Eval(const Expr& e, Value* tmp);
  // 1 true, 0 false, -1 error.
  int EvalBool(const Expr& e);
  const Value* EvalBinary(const Expr& e, Value* tmp);
  const Value* GetAttr(const Value& v, Symbol attr);
  int HasAttr(const Value& v, Symbol attr);
  int In(const Value& lhs, const Value& rhs);
  bool ConstraintMatches(const ScopeConstraint& c, const EntityUid& uid,
                         const EntityHot* entity) const;
  // The unformatted errors (see AppendErrorMessage).
  enum class QuickError : uint8_t {
    kNone,             // error_ holds the error
    kMissingEntity,    // quick_uid_ is not in the store
    kMissingAttr,      // quick_uid_ has no attribute quick_attr_
    kMissingField,     // a record has no field quick_attr_
  };
  const Value* FailQuick(QuickError kind, const EntityUid& uid, Symbol attr) {
    quick_ = kind;
    quick_uid_ = uid;
    quick_attr_ = attr;
    return nullptr;
  }
  const Value* Fail(absl::Status status) {
    quick_ = QuickError::kNone;
    error_ = std::move(status);
    return nullptr;
  }
  int FailBool(absl::Status status) {
    quick_ = QuickError::kNone;
    error_ = std::move(status);
    return -1;
  }

  // ContextField's slow path: the overlay when it may hold `key`, then a
  // search of the record.
  const Value* SearchContextField(Symbol key) const;
  // `context` as policies see it: the request's record, or with an overlay
  // the union built on first use (the tree walker's path; compiled code
  // reads fields through ContextField without building anything).
  const Value* Context();
  // Whether `e` is the variable `context` and the context a record: then
  // `context.x` and `context has x` read the field through ContextField,
  // overlay first, exactly as they would in the merged record, which with
  // an overlay is then never built (a policy that errors under the agent
  // guard reaches the tree walker, and would otherwise copy the context).
  bool IsContextRecord(const Expr& e) const {
    return e.kind == ExprKind::kVar && e.var == Var::kContext &&
           request_.context->is(ValueKind::kRecord);
  }

  const Entities& entities_;
  const RequestView request_;
  std::optional<Value> merged_context_;
  const EntityValue principal_;
  const EntityValue action_;
  const EntityValue resource_;
  // The request's own entities are looked up once per decision.
  // Filled in by the three lookups below (declared first, so that it is
  // initialized before them).
  const void* lookup_slots_[3];
  const EntityHot* principal_entity_;
  const EntityHot* action_entity_;
  const EntityHot* resource_entity_;
  // The context's fields (nullptr when the context is not a record), and
  // the table of where each is by its key's Symbol id mod 64: the record's
  // own (RecordRep::slots), or with an overlay a copy in overlay_slots_
  // with the overlay keys' slots turned to kSearch (search the overlay,
  // then the fields); all kAbsent when the context is not a record.
  // Policies read the context more than anything else, a dozen fields a
  // decision: each read is one load and one compare, and nothing is
  // computed per decision.
  const RecordFields* context_fields_ = nullptr;
  const uint8_t* context_slots_;
  uint8_t overlay_slots_[64];
  // Bit (id mod 64) of each overlay key's Symbol id: a context field whose
  // bit is clear cannot be in the overlay, so a search of a slot that
  // several record keys share skips the overlay.
  uint64_t overlay_keys_ = 0;
  QuickError quick_ = QuickError::kNone;
  EntityUid quick_uid_;
  Symbol quick_attr_;
  // Built from the quick error when error() is asked for.
  mutable absl::Status error_;
};

// Whether `text` matches a `like` pattern (wildcards between the parts).
bool LikeMatches(const LikePattern& pattern, std::string_view text);

}  // namespace arbiter::internal

#endif  // ARBITER_EVAL_EVALUATOR_H_
