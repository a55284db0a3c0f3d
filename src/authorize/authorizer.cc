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

#include <algorithm>
#include <vector>

#include "src/ast/policy.h"
#include "src/authorize/authorize_view.h"
#include "src/eval/evaluator.h"
#include "src/eval/program.h"
#include "src/index/policy_index.h"

namespace arbiter {
namespace {

// Records the outcome of policy `i` of `policies`, given what its compiled
// code found (`run`; kBail for none, or to have the tree walker decide and
// word any error). `forbidden` turns true at the first satisfied forbid,
// which replaces any permits collected as reasons. The scope must already
// be known to match. Only a settled candidate's Head is read (its id and
// effect); the Policy itself only when the program bails: most candidates
// are not satisfied, and at thousands of policies a Policy object is a
// cache miss of its own.
inline void Decide(const PolicySet& policies, size_t i, internal::RunResult run,
                   internal::Evaluator& eval, Response* response,
                   bool* forbidden) {
  // Once a forbid is satisfied, permits are still evaluated: their errors
  // are part of the response, as in Cedar.
  if (run == internal::RunResult::kNotSatisfied) return;
  int sat = run == internal::RunResult::kSatisfied
                ? 1
                : eval.ConditionsHold(policies.policy(i));
  const PolicySet::Head& head = policies.head(i);
  if (sat < 0) {
    eval.AppendErrorMessage(response->AddError(head.id()));
    return;
  }
  if (sat == 0) return;
  if (head.forbid) {
    if (!*forbidden) {
      *forbidden = true;
      response->reasons.clear();
    }
    response->reasons.push_back(head.id());
  } else if (!*forbidden) {
    response->reasons.push_back(head.id());
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
        Decide(policies, i, internal::RunResult::kBail, eval, response,
               &forbidden);
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
    // The heads too: a satisfied or erroring candidate reads its own.
    for (uint32_t i : candidates) {
      const uint32_t entry = program.entry(i);
      if (entry != internal::Program::kNotCompiled) {
        __builtin_prefetch(program.code() + entry);
      }
      __builtin_prefetch(policies.heads() + i);
    }
#endif
    // The compiled code of all candidates in one call (see RunPrograms),
    // a bounded batch at a time, then their outcomes in policy order.
    constexpr size_t kBatch = 64;
    internal::RunResult run[kBatch];
    for (size_t base = 0; base < candidates.size(); base += kBatch) {
      const size_t n = std::min(kBatch, candidates.size() - base);
      internal::RunPrograms(program, candidates.data() + base, n, eval, run);
      for (size_t k = 0; k < n; ++k) {
        Decide(policies, candidates[base + k], run[k], eval, response,
               &forbidden);
      }
    }
  }
  response->decision =
      (!forbidden && !response->reasons.empty()) ? Decision::kAllow
                                                 : Decision::kDeny;
}

}  // namespace internal
}  // namespace arbiter
