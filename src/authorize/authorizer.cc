// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Cedar's authorization rule over a full scan of the policy set: forbid
// overrides permit, the default is deny, and an erroring policy is reported
// and otherwise ignored. The response's vectors are reused across calls, so
// once they have grown a decision without errors does not allocate.

#include "arbiter/authorizer.h"

#include "src/ast/policy.h"
#include "src/eval/evaluator.h"

namespace arbiter {

std::string_view DecisionName(Decision d) {
  return d == Decision::kAllow ? "allow" : "deny";
}

void Authorize(const PolicySet& policies, const Entities& entities,
               const Request& request, Response* response) {
  response->Clear();
  internal::Evaluator eval(entities, request);
  // Satisfied permits are collected in `reasons` until the first satisfied
  // forbid, which replaces them: from then on only forbids are reasons.
  bool forbidden = false;
  for (size_t i = 0; i < policies.size(); ++i) {
    const internal::Policy& p = policies.policy(i);
    const bool is_forbid = p.effect == internal::Effect::kForbid;
    // Even once a forbid is satisfied, permits are still evaluated: their
    // errors are part of the response, as in Cedar.
    if (!eval.ScopeMatches(p)) continue;
    const int sat = eval.ConditionsHold(p);
    if (sat < 0) {
      response->errors.push_back(
          PolicyError{p.id, std::string(eval.error().message())});
      continue;
    }
    if (sat == 0) continue;
    if (is_forbid) {
      if (!forbidden) {
        forbidden = true;
        response->reasons.clear();
      }
      response->reasons.push_back(p.id);
    } else if (!forbidden) {
      response->reasons.push_back(p.id);
    }
  }
  response->decision =
      (!forbidden && !response->reasons.empty()) ? Decision::kAllow
                                                 : Decision::kDeny;
}

Response Authorize(const PolicySet& policies, const Entities& entities,
                   const Request& request) {
  Response r;
  Authorize(policies, entities, request, &r);
  return r;
}

}  // namespace arbiter
