// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The validator's entry point on the resolved schema model, for callers (and
// tests) that hold a SchemaModel rather than a Schema. arbiter::Validate is
// this applied to schema.model().

#ifndef ARBITER_VALIDATE_VALIDATOR_H_
#define ARBITER_VALIDATE_VALIDATOR_H_

#include "arbiter/policy_set.h"
#include "arbiter/validator.h"
#include "src/ast/schema.h"

namespace arbiter::internal {

ValidationResult ValidatePolicies(const SchemaModel& schema, const PolicySet& policies,
                                  const ValidateOptions& options = {});

}  // namespace arbiter::internal

#endif  // ARBITER_VALIDATE_VALIDATOR_H_
