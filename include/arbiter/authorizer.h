// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// authorizer.h: the decision.
//
// Overview
//   Authorize applies Cedar's rules: a request is allowed when at least one
//   permit policy is satisfied and no forbid policy is; otherwise it is
//   denied (forbid overrides permit; the default is deny). A policy whose
//   condition raises an error (missing attribute, type error, overflow, …) is
//   skipped and reported in Response::errors; it never decides.
//
//   auto set = arbiter::PolicySet::Parse(text).value();
//   auto entities = arbiter::Entities::FromJson(json).value();
//   arbiter::Response r = arbiter::Authorize(*set, *entities, request);
//   if (r.decision == arbiter::Decision::kAllow) { ... }
//
// Thread-safety
//   Authorize only reads the policy set and entities; any number of threads
//   may call it at once on shared objects.

#ifndef ARBITER_AUTHORIZER_H_
#define ARBITER_AUTHORIZER_H_

#include "arbiter/entities.h"
#include "arbiter/policy_set.h"
#include "arbiter/request.h"

namespace arbiter {

struct AuthorizeOptions {
  // Evaluate every policy instead of only those the scope index selects
  // (Cedar's reference algorithm). The answers are identical; the index is
  // what makes a decision independent of the number of policies. Default:
  // false (use the index).
  bool full_scan = false;
};

// Fills `*response` (cleared first; its buffers are reused, so a decision
// with no errors allocates nothing once the buffers have grown).
void Authorize(const PolicySet& policies, const Entities& entities,
               const Request& request, Response* response,
               const AuthorizeOptions& options = {});

// Convenience form returning a fresh Response.
Response Authorize(const PolicySet& policies, const Entities& entities,
                   const Request& request, const AuthorizeOptions& options = {});

}  // namespace arbiter

#endif  // ARBITER_AUTHORIZER_H_
