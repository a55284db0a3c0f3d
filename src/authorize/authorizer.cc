// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Cedar's authorization rule: forbid overrides permit, the default is deny,
// and an erroring policy is reported and otherwise ignored.
//
// The index (src/index) narrows the policies to those whose scope may match;
// since scope tests never fail, skipping the others changes no answer, and
// the candidates are visited in policy order so that reasons and errors come
// out exactly as a full scan lists them. The indexed path runs the compiled
// conditions (src/eval/program.h); the full scan keeps to the tree walker,
// the reference, so that comparing the two modes also checks the compiler.
// The response's vectors and the
// thread's candidate buffer are reused across calls, so once they have grown
// a decision without errors allocates nothing.

#include "arbiter/authorizer.h"

#include <vector>

#include "src/ast/policy.h"
#include "src/authorize/authorize_view.h"
#include "src/eval/evaluator.h"
#include "src/eval/program.h"
#include "src/index/policy_index.h"

namespace arbiter {
namespace {

// Evaluates policy `i` of `policies` and records its outcome. `forbidden`
// turns true at the first satisfied forbid, which replaces any permits
// collected as reasons. The scope must already be known to match. `entry`
// is the policy's compiled code (Program::kNotCompiled for none); when the
// program bails, the tree walker decides and words any error. The Policy
// itself is read only after the program: most candidates are not
// satisfied and never need it, and at thousands of policies reading it
// is a cache miss.
inline void Decide(const PolicySet& policies, size_t i,
                   const internal::Program* program, uint32_t entry,
                   internal::Evaluator& eval, Response* response,
                   bool* forbidden) {
  // Once a forbid is satisfied, permits are still evaluated: their errors
  // are part of the response, as in Cedar.
  int sat = -2;
  if (entry != internal::Program::kNotCompiled) {
    const internal::RunResult r = internal::RunProgram(*program, entry, eval);
    if (r != internal::RunResult::kBail) sat = static_cast<int>(r);
  }
  if (sat == 0) return;
  const internal::Policy& p = policies.policy(i);
  if (sat == -2) sat = eval.ConditionsHold(p);
  if (sat < 0) {
    eval.AppendErrorMessage(response->AddError(p.id));
    return;
  }
  if (sat == 0) return;
  if (p.effect == internal::Effect::kForbid) {
    if (!*forbidden) {
      *forbidden = true;
      response->reasons.clear();
    }
    response->reasons.push_back(p.id);
  } else if (!*forbidden) {
    response->reasons.push_back(p.id);
  }
}

}  // namespace

std::string_view DecisionName(Decision d) {
  return d == Decision::kAllow ? "allow" : "deny";
}

void Authorize(const PolicySet& policies, const Entities& entities,
               const Request& request, Response* response,
               const AuthorizeOptions& options) {
  internal::AuthorizeView(policies, entities, internal::RequestView::Of(request),
                          response, options);
}

Response Authorize(const PolicySet& policies, const Entities& entities,
                   const Request& request, const AuthorizeOptions& options) {
  Response r;
  Authorize(policies, entities, request, &r, options);
  return r;
}

namespace internal {

void AuthorizeView(const PolicySet& policies, const Entities& entities,
                   const RequestView& request, Response* response,
                   const AuthorizeOptions& options) {
  response->Clear();
  internal::Evaluator eval(entities, request);
  bool forbidden = false;
  if (options.full_scan) {
    for (size_t i = 0; i < policies.size(); ++i) {
      const internal::Policy& p = policies.policy(i);
      // The reference algorithm: the tree walker on every policy.
      if (eval.ScopeMatches(p)) {
        Decide(policies, i, nullptr, internal::Program::kNotCompiled, eval,
               response, &forbidden);
      }
    }
  } else {
    // The index returns exactly the policies whose scope matches. One
    // buffer per thread: its capacity survives across calls.
    thread_local std::vector<uint32_t> candidates;
    policies.index().Candidates(request, eval.principal_entity(),
                                 eval.action_entity(), eval.resource_entity(),
                                 &candidates);
    const internal::Program& program = policies.program();
#if defined(__GNUC__)
    // Each candidate's code is somewhere else in the program: start loading
    // all of it now, so that the cache misses overlap instead of each
    // policy waiting for its own.
    for (uint32_t i : candidates) {
      const uint32_t entry = program.entry(i);
      if (entry != internal::Program::kNotCompiled) {
        __builtin_prefetch(program.code() + entry);
      }
    }
#endif
    for (uint32_t i : candidates) {
      Decide(policies, i, &program, program.entry(i), eval, response,
             &forbidden);
    }
  }
  response->decision =
      (!forbidden && !response->reasons.empty()) ? Decision::kAllow
                                                 : Decision::kDeny;
}

}  // namespace internal
}  // namespace arbiter
