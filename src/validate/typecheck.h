// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The typechecker for one policy condition in one request environment
// (Cedar's SingleEnvTypechecker, strict mode). It returns the condition's
// type and records every type error it finds. The checker follows Cedar's
// evaluation-order reasoning: `false && e`, `true || e` and an `if` whose
// test has a singleton type do not look at the operand that can never run,
// so errors there are not reported.
//
// Split over three files: typecheck.cc (variables, literals, boolean
// connectives, `if`, sets, records, attributes, `is`, `like`),
// typecheck_binary.cc (binary operators, `in`, tags) and typecheck_ext.cc
// (extension functions).

#ifndef ARBITER_VALIDATE_TYPECHECK_H_
#define ARBITER_VALIDATE_TYPECHECK_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "src/ast/expr.h"
#include "src/validate/capability.h"
#include "src/validate/request_env.h"
#include "src/validate/schema_view.h"
#include "src/validate/types.h"

namespace arbiter::internal {

// A finding before it is located in the source.
struct PendingIssue {
  // How Cedar names the policy in the message: "for policy `id`, …" (most
  // findings), "for policy `id`: …" (invalid enum entities) or not at all
  // (incompatible types).
  enum class Prefix : uint8_t { kComma, kColon, kNone };
  std::string kind;
  std::string message;  // without the policy prefix
  SourceSpan span;
  bool has_span = true;
  Prefix prefix = Prefix::kComma;
};

// The result of typechecking an expression. A failed expression may still
// have a type (e.g. `&&` is Bool even when an operand is ill-typed), which
// later rules use; `type` is null when nothing is known.
struct Answer {
  bool ok = true;
  TypeRef type;
  CapabilitySet caps;  // empty unless ok

  static Answer Success(TypeRef t, CapabilitySet caps = {}) {
    return Answer{true, std::move(t), std::move(caps)};
  }
  static Answer Fail(TypeRef t) { return Answer{false, std::move(t), {}}; }
};

class Typechecker {
 public:
  // `source` is the policy text the spans point into (for messages).
  Typechecker(const SchemaView& schema, const RequestEnv& env,
              std::string_view source, std::vector<PendingIssue>* errors)
      : schema_(schema), env_(env), source_(source), errors_(errors) {}

  // The condition must be Bool.
  Answer CheckCondition(const Expr& condition);

 private:
  Answer Check(const CapabilitySet& prior, const Expr& e);
  // Checks `e` and requires its type to be a (permissive) subtype of one of
  // `expected`; otherwise reports an unexpected-type error and returns a
  // failure without a type.
  using HelpFn = std::string_view (*)(const VType& actual);
  Answer Expect(const CapabilitySet& prior, const Expr& e,
                std::initializer_list<TypeRef> expected, HelpFn help = nullptr);

  Answer CheckLiteral(const Expr& e);
  Answer CheckVar(const Expr& e);
  Answer CheckIf(const CapabilitySet& prior, const Expr& e);
  Answer CheckAnd(const CapabilitySet& prior, const Expr& e);
  Answer CheckOr(const CapabilitySet& prior, const Expr& e);
  Answer CheckNot(const CapabilitySet& prior, const Expr& e);
  Answer CheckGetAttr(const CapabilitySet& prior, const Expr& e);
  Answer CheckHas(const CapabilitySet& prior, const Expr& e);
  Answer CheckIs(const CapabilitySet& prior, const Expr& e);
  Answer CheckSet(const CapabilitySet& prior, const Expr& e);
  Answer CheckRecord(const CapabilitySet& prior, const Expr& e);

  // typecheck_binary.cc
  Answer CheckBinary(const CapabilitySet& prior, const Expr& e);
  Answer CheckEq(const CapabilitySet& prior, const Expr& e);
  Answer CheckCompare(const CapabilitySet& prior, const Expr& e);
  Answer CheckContains(const CapabilitySet& prior, const Expr& e);
  Answer CheckIn(const CapabilitySet& prior, const Expr& e);
  Answer CheckHasTag(const CapabilitySet& prior, const Expr& e);
  Answer CheckGetTag(const CapabilitySet& prior, const Expr& e);
  // Strict mode: operands of `==`, `contains`, … need an upper bound.
  Answer StrictCompatible(const Expr& e, Answer result, const TypeRef& a,
                          const TypeRef& b, std::string_view context);

  // typecheck_ext.cc
  Answer CheckExtCall(const CapabilitySet& prior, const Expr& e);

  // Helpers shared by the three files.
  // The least upper bound of `ts` (nullptr entries give nullptr without an
  // error); reports an incompatible-types error when there is none.
  TypeRef LubOrError(const Expr& e, const std::vector<TypeRef>& ts,
                     std::string_view context);
  // The type of an attribute of an entity or record type, if known.
  std::optional<AttrType> LookupAttr(const VType& t, Symbol attr) const;
  bool MayHaveAttr(const VType& t, Symbol attr) const;
  // The entity uid of a literal or of the `action` variable.
  std::optional<EntityUid> EuidOf(const Expr& e) const;
  void Error(const Expr& e, std::string kind, std::string message,
             PendingIssue::Prefix prefix = PendingIssue::Prefix::kComma);
  std::string SourceText(const Expr& e) const;
  void UnexpectedType(const Expr& e, const std::vector<TypeRef>& expected,
                      const VType& actual, std::string_view help);
  std::string AttributeAccessText(const Expr& on, const VType* on_type,
                                  Symbol attr) const;

  const SchemaView& schema_;
  const RequestEnv& env_;
  std::string_view source_;
  std::vector<PendingIssue>* errors_;
  // The type of each checked operand of an attribute access, for messages.
  absl::flat_hash_map<const Expr*, TypeRef> seen_;
};

}  // namespace arbiter::internal

#endif  // ARBITER_VALIDATE_TYPECHECK_H_
