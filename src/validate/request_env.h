// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Request environments: the (principal type, action, resource type)
// combinations a schema allows, each action with each principal and each
// resource type of its `appliesTo`. Cedar typechecks every policy in every
// environment; the policy's own scope is part of the checked expression and
// narrows nothing up front. A template is checked once more for each entity
// type its slots could be linked to.

#ifndef ARBITER_VALIDATE_REQUEST_ENV_H_
#define ARBITER_VALIDATE_REQUEST_ENV_H_

#include <optional>
#include <vector>

#include "arbiter/symbol.h"
#include "src/ast/policy.h"
#include "src/ast/schema.h"

namespace arbiter::internal {

struct RequestEnv {
  Symbol principal;
  const ActionInfo* action = nullptr;
  Symbol resource;
  // The entity type a template slot is linked to in this environment
  // (unset when the policy has no such slot).
  std::optional<Symbol> principal_slot;
  std::optional<Symbol> resource_slot;
};

// Every environment `policy` is typechecked in (none when no action applies
// to anything).
std::vector<RequestEnv> RequestEnvsFor(const SchemaModel& schema,
                                       const Policy& policy);

}  // namespace arbiter::internal

#endif  // ARBITER_VALIDATE_REQUEST_ENV_H_
