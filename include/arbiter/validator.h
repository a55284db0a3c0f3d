// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// validator.h: checking policies against a schema before they run.
//
// Overview
//   The validator type-checks every policy and template of a PolicySet
//   against a Schema, in Cedar's strict mode, once for each request type the
//   schema allows (each action with each of its principal and resource
//   types). It reports what Cedar reports: unknown entity types, actions and
//   attributes, actions applied to the wrong principal or resource types,
//   optional attributes used without a `has` guard, operator type
//   mismatches, invalid enum literals, and policies that can never apply.
//
//   arbiter::ValidationResult r = arbiter::Validate(*schema, *policies);
//   for (const auto& e : r.errors) std::cerr << e.ToString() << "\n";
//
// Thread-safety
//   Validate only reads its arguments.

#ifndef ARBITER_VALIDATOR_H_
#define ARBITER_VALIDATOR_H_

#include <string>
#include <vector>

#include "arbiter/policy_set.h"
#include "arbiter/schema.h"

namespace arbiter {

struct ValidationIssue {
  std::string policy_id;
  std::string file_name;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
  // A short, stable name for the rule, e.g. "unrecognized_entity_type",
  // "unrecognized_action", "invalid_action_application",
  // "unsafe_attribute_access", "unsafe_optional_attribute_access",
  // "unexpected_type", "impossible_policy", "invalid_enum_entity",
  // "incompatible_types", "unsafe_tag_access", "wrong_number_arguments",
  // "function_argument_validation", "empty_set_forbidden",
  // "non_lit_ext_constructor", "hierarchy_not_respected", "internal_invariant".
  std::string kind;
  std::string message;  // Cedar style: lower case, input in backticks

  // "file:line:column: policy `id`: message"
  std::string ToString() const;
};

struct ValidationResult {
  std::vector<ValidationIssue> errors;
  std::vector<ValidationIssue> warnings;
  bool ok() const { return errors.empty(); }
};

struct ValidateOptions {
  // Whether "unable to find an applicable action given the policy scope
  // constraints" is an error. Cedar 4.10, which produced the conformance
  // corpus, reports it as an error; later versions demote it to a warning.
  // ("policy is impossible" is a warning in both.) Default: true (error).
  bool impossible_policy_is_error = true;
};

ValidationResult Validate(const Schema& schema, const PolicySet& policies,
                          const ValidateOptions& options = {});

}  // namespace arbiter

#endif  // ARBITER_VALIDATOR_H_
