// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Cedar's authorization rule: forbid overrides permit, the default is deny,
// and an erroring policy is reported and otherwise ignored.
//
// The index (src/index) narrows the policies to those whose scope may match;
// since scope tests never fail, skipping the others changes no answer. The
// candidates come in the index's order; the outcome does not depend on it,
// and the reasons and errors are put back in policy order at the end, so
// they come out exactly as a full scan lists them. The indexed path runs
// the compiled conditions (src/eval/program.h); the full scan keeps to the
// tree walker, the reference, so that comparing the two modes also checks
// the compiler. The response's vectors and the thread's buffers are reused
// across calls, so once they have grown a decision without errors
// allocates nothing.

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

// The policy positions of a response's reasons and of its errors, item for
// item: the index hands over candidates in bucket order, and these put the
// few reasons and errors back in policy order at the end, where sorting
// the candidates themselves cost more (a dozen data-dependent branches a
// decision). One per thread; the capacity stays.
struct Positions {
  std::vector<uint32_t> reasons, errors;
};

// Records the outcome of policy `i` of `policies`, given what its compiled
// code found (`run`; kBail for none, or to have the tree walker decide and
// word any error). `forbidden` turns true at the first satisfied forbid,
// which replaces any permits collected as reasons: so the reasons are the
// satisfied forbids if there is one, else the satisfied permits, whatever
// the order the candidates come in. The scope must already be known to
// match. Only a settled candidate's Head is read (its id and effect); the
// Policy itself only when the program bails: most candidates are not
// satisfied, and at thousands of policies a Policy object is a cache miss
// of its own.
[[gnu::always_inline]] inline void Decide(
    const PolicySet& policies, uint32_t i, internal::RunResult run,
    internal::Evaluator& eval, Response* response, Positions* positions,
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
    positions->errors.push_back(i);
    return;
  }
  if (sat == 0) return;
  if (head.forbid) {
    if (!*forbidden) {
      *forbidden = true;
      response->reasons.clear();
      positions->reasons.clear();
    }
  } else if (*forbidden) {
    return;
  }
  response->reasons.push_back(head.id());
  positions->reasons.push_back(i);
}

// Sorts `items` by the positions beside them (`at`, sorted along). A
// decision has a reason or two and rarely an error: insertion, which for
// items already in order is one comparison each.
template <typename T>
void SortByPosition(std::vector<uint32_t>* at, std::vector<T>* items) {
  uint32_t* a = at->data();
  T* v = items->data();
  for (size_t i = 1; i < at->size(); ++i) {
    for (size_t j = i; j > 0 && a[j - 1] > a[j]; --j) {
      std::swap(a[j - 1], a[j]);
      std::swap(v[j - 1], v[j]);
    }
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
                   const AuthorizeOptions& options,
                   const IndexBinding* binding) {
  response->Clear();
  // The rows of the principal and the resource start loading with their
  // lookup slots (the Evaluator's); the action's are in the cache (a
  // workload has a few dozen actions).
  if (binding != nullptr && !options.full_scan) {
    binding->Prefetch(request.principal);
    binding->Prefetch(request.resource);
  }
  internal::Evaluator eval(entities, request);
  thread_local Positions positions;
  positions.reasons.clear();
  positions.errors.clear();
  bool forbidden = false;
  if (options.full_scan) {
    for (size_t i = 0; i < policies.size(); ++i) {
      const internal::Policy& p = policies.policy(i);
      // The reference algorithm: the tree walker on every policy.
      if (eval.ScopeMatches(p)) {
        Decide(policies, static_cast<uint32_t>(i), internal::RunResult::kBail,
               eval, response, &positions, &forbidden);
      }
    }
  } else {
    // The index returns exactly the policies whose scope matches, in no
    // particular order. One buffer per thread: its capacity survives
    // across calls.
    thread_local std::vector<uint32_t> candidates;
    if (binding != nullptr) {
      policies.index().Candidates(request, eval.principal_entity(),
                                  eval.action_entity(), eval.resource_entity(),
                                  eval.lookup_slots(), *binding, &candidates);
    } else {
      policies.index().Candidates(request, eval.principal_entity(),
                                  eval.action_entity(), eval.resource_entity(),
                                  &candidates);
    }
    const internal::Program& program = policies.program();
    // Read once: the loops below would otherwise reload the thread-local
    // vector's bounds on every pass.
    const uint32_t* const cand = candidates.data();
    const size_t num_candidates = candidates.size();
#if defined(__GNUC__)
    // Each candidate's code is somewhere else in the program: start loading
    // all of it now, so that the cache misses overlap instead of each
    // policy waiting for its own.
    // The heads too: a satisfied or erroring candidate reads its own.
    // Not for the catch-all policies, which come first: every decision
    // runs them, so they are in the cache already.
    for (size_t k = policies.index().catch_all_size(); k < num_candidates;
         ++k) {
      const uint32_t i = cand[k];
      const uint32_t entry = program.entry(i);
      if (entry != internal::Program::kNotCompiled) {
        __builtin_prefetch(program.code() + entry);
      }
      __builtin_prefetch(policies.heads() + i);
    }
#endif
    // The compiled code of all candidates in one call (see RunPrograms),
    // a bounded batch at a time, then their outcomes.
    constexpr size_t kBatch = 64;
    internal::RunResult run[kBatch];
    for (size_t base = 0; base < num_candidates; base += kBatch) {
      const size_t n = std::min(kBatch, num_candidates - base);
      internal::RunPrograms(program, cand + base, n, eval, run);
      for (size_t k = 0; k < n; ++k) {
        Decide(policies, cand[base + k], run[k], eval, response, &positions,
               &forbidden);
      }
    }
    // Reasons and errors in policy order, as a full scan lists them.
    SortByPosition(&positions.reasons, &response->reasons);
    SortByPosition(&positions.errors, &response->errors);
  }
  response->decision =
      (!forbidden && !response->reasons.empty()) ? Decision::kAllow
                                                 : Decision::kDeny;
}

}  // namespace internal
}  // namespace arbiter
