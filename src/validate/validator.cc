// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Validate: runs Cedar's strict-mode validation over a policy set.
//
// Design note. Static policies and templates get the full treatment: the
// per-policy name and scope checks, then the typechecker over every request
// environment (typecheck errors are collected once, however many
// environments report them). A policy whose condition is typed False in
// every environment is "impossible", which Cedar reports as a warning.
// Linked policies are not typechecked again (their template was); only
// their slot values and the filled-in scope are checked. Findings keep
// Cedar's order: names, scope, then types.

#include "src/validate/validator.h"

#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "src/ast/policy.h"
#include "src/parse/parser.h"
#include "src/validate/condition.h"
#include "src/validate/request_env.h"
#include "src/validate/schema_view.h"
#include "src/validate/scope_checks.h"
#include "src/validate/typecheck.h"

namespace arbiter {

std::string ValidationIssue::ToString() const {
  return absl::StrCat(file_name, ":", line, ":", column, ": policy `", policy_id,
                      "`: ", message);
}

ValidationResult Validate(const Schema& schema, const PolicySet& policies,
                          const ValidateOptions& options) {
  return internal::ValidatePolicies(schema.model(), policies, options);
}

namespace internal {
namespace {

constexpr std::string_view kImpossible =
    "policy is impossible: the policy expression evaluates to false for all valid "
    "requests";
constexpr std::string_view kNoApplicableAction =
    "unable to find an applicable action given the policy scope constraints";

ValidationIssue Locate(const Policy& p, const PendingIssue& pending) {
  ValidationIssue issue;
  issue.policy_id = p.id;
  issue.kind = pending.kind;
  switch (pending.prefix) {
    case PendingIssue::Prefix::kComma:
      issue.message = absl::StrCat("for policy `", p.id, "`, ", pending.message);
      break;
    case PendingIssue::Prefix::kColon:
      issue.message = absl::StrCat("for policy `", p.id, "`: ", pending.message);
      break;
    case PendingIssue::Prefix::kNone:
      issue.message = pending.message;
      break;
  }
  if (p.body) {
    issue.file_name = p.body->file_name;
    if (p.body->source && pending.has_span) {
      Diagnostic d = MakeDiagnostic(p.body->file_name, *p.body->source,
                                    pending.span.begin, "");
      issue.line = d.line;
      issue.column = d.column;
    }
  }
  return issue;
}

class PolicyValidator {
 public:
  PolicyValidator(const SchemaView& schema, const ValidateOptions& options,
                  ValidationResult* out)
      : schema_(schema), options_(options), out_(out) {}

  void ValidateFull(const Policy& p) {
    std::vector<Condition> conditions = SourceConditions(p);
    std::vector<PendingIssue> errors;
    CheckNames(schema_, p, conditions, &errors);
    Emit(p, errors, /*as_error=*/true);
    CheckApplicable(p);

    std::unique_ptr<Expr> condition = BuildCondition(p, conditions);
    std::string_view source =
        p.body && p.body->source ? std::string_view(*p.body->source) : std::string_view();
    std::vector<PendingIssue> type_errors;
    bool all_false = true;
    for (const RequestEnv& env : RequestEnvsFor(schema_.model(), p)) {
      Typechecker tc(schema_, env, source, &type_errors);
      Answer a = tc.CheckCondition(*condition);
      if (!(a.type && a.type->kind == VType::Kind::kFalse)) all_false = false;
    }
    // The same finding from several environments is reported once.
    std::vector<PendingIssue> unique;
    absl::flat_hash_set<std::tuple<std::string, std::string, uint32_t, uint32_t>> seen;
    for (PendingIssue& e : type_errors) {
      if (seen.insert({e.kind, e.message, e.span.begin, e.span.end}).second) {
        unique.push_back(std::move(e));
      }
    }
    Emit(p, unique, /*as_error=*/true);
    if (all_false) {
      Emit(p, {PendingIssue{"impossible_policy", std::string(kImpossible),
                            p.body ? p.body->span : SourceSpan{}}},
           /*as_error=*/false);
    }
  }

  void ValidateLinked(const Policy& linked, const Policy* tmpl) {
    std::vector<PendingIssue> errors;
    if (tmpl != nullptr) CheckLinkedSlots(schema_, linked, *tmpl, &errors);
    Emit(linked, errors, /*as_error=*/true);
    CheckApplicable(linked);
  }

 private:
  void CheckApplicable(const Policy& p) {
    if (ScopeHasApplicableAction(schema_, p)) return;
    // Cedar 4.10 reports this as an error; later versions as a warning.
    Emit(p, {PendingIssue{"invalid_action_application", std::string(kNoApplicableAction),
                          p.body ? p.body->span : SourceSpan{}}},
         options_.impossible_policy_is_error);
  }

  void Emit(const Policy& p, const std::vector<PendingIssue>& issues, bool as_error) {
    for (const PendingIssue& i : issues) {
      (as_error ? out_->errors : out_->warnings).push_back(Locate(p, i));
    }
  }

  const SchemaView& schema_;
  const ValidateOptions& options_;
  ValidationResult* out_;
};

}  // namespace

ValidationResult ValidatePolicies(const SchemaModel& schema, const PolicySet& policies,
                                  const ValidateOptions& options) {
  ValidationResult result;
  SchemaView view(schema);
  PolicyValidator v(view, options, &result);
  for (size_t i = 0; i < policies.template_count(); ++i) {
    v.ValidateFull(policies.template_at(i));
  }
  for (size_t i = 0; i < policies.size(); ++i) {
    const Policy& p = policies.policy(i);
    if (p.template_id.empty()) {
      v.ValidateFull(p);
      continue;
    }
    const Policy* tmpl = nullptr;
    for (size_t j = 0; j < policies.template_count(); ++j) {
      if (policies.template_at(j).id == p.template_id) tmpl = &policies.template_at(j);
    }
    v.ValidateLinked(p, tmpl);
  }
  return result;
}

}  // namespace internal
}  // namespace arbiter
