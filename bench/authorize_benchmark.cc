// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Decision latency over the shared agent workloads (agents-10 … agents-10000),
// with the scope index (bound to the store, and not) and with the full scan,
// on 1 and 2 threads; plus the one-off costs: parsing and indexing a policy
// set, loading the entities, binding the two. BM_DecisionSetup and
// BM_DecisionIndex time the first phases of a bound decision alone (see
// RunPhases), so that where a decision's time goes can be read off: the
// conditions take BM_Authorize minus BM_DecisionIndex.
//
// Workloads are read from $ARBITER_WORKLOADS_DIR, else ../shared/workloads
// beside the source tree. Each benchmark iteration is one decision; requests
// are taken in turn, with every context built before timing starts.
//
//   build/bench/authorize_benchmark --benchmark_filter='BM_Authorize/.*'

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "arbiter/arbiter.h"
#include "src/eval/evaluator.h"
#include "src/eval/request_view.h"
#include "src/index/policy_index.h"
#include "tools/workload.h"

namespace {

namespace fs = std::filesystem;

fs::path WorkloadsDir() {
  if (const char* env = std::getenv("ARBITER_WORKLOADS_DIR")) return env;
  return fs::path(ARBITER_SOURCE_DIR) / ".." / "shared" / "workloads";
}

// Loaded once per size and shared by every benchmark and thread.
const arbiter::workload::Workload* GetWorkload(int n) {
  static std::mutex mu;
  static std::map<int, std::unique_ptr<arbiter::workload::Workload>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(n);
  if (it != cache.end()) return it->second.get();
  auto w = arbiter::workload::Load(WorkloadsDir() / ("agents-" + std::to_string(n)));
  if (!w.ok()) {
    cache[n] = nullptr;
    return nullptr;
  }
  cache[n] = std::make_unique<arbiter::workload::Workload>(*std::move(w));
  return cache[n].get();
}

// The workload's policy set bound to its entities (BoundPolicySet), made
// once per size like the workload itself.
const arbiter::BoundPolicySet* GetBound(const arbiter::workload::Workload* w) {
  static std::mutex mu;
  static std::map<const arbiter::workload::Workload*,
                  std::shared_ptr<const arbiter::BoundPolicySet>>
      cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& bound = cache[w];
  if (bound == nullptr) {
    bound = arbiter::BoundPolicySet::Bind(w->policies, w->entities).value();
  }
  return bound.get();
}

enum class Mode { kBound, kIndex, kScan };

void RunAuthorize(benchmark::State& state, Mode mode) {
  const arbiter::workload::Workload* w = GetWorkload(static_cast<int>(state.range(0)));
  if (w == nullptr) {
    state.SkipWithError("workload not found (set ARBITER_WORKLOADS_DIR)");
    return;
  }
  // Bound only for the bound mode: the others run as an embedding that
  // never binds.
  const arbiter::BoundPolicySet* bound =
      mode == Mode::kBound ? GetBound(w) : nullptr;
  arbiter::AuthorizeOptions options;
  options.full_scan = mode == Mode::kScan;
  arbiter::Response response;
  // Threads start at different requests so they do not march in lockstep.
  size_t i = static_cast<size_t>(state.thread_index()) * 997;
  const size_t n = w->requests.size();
  for (auto _ : state) {
    if (mode == Mode::kBound) {
      arbiter::Authorize(*bound, w->requests[i % n], &response, options);
    } else {
      arbiter::Authorize(*w->policies, *w->entities, w->requests[i % n],
                         &response, options);
    }
    benchmark::DoNotOptimize(response.decision);
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}

// BM_Authorize decides as Engine does, on the policy set bound to the
// store; BM_AuthorizeUnbound with the free Authorize(policies, entities),
// whose index probes every request entity; BM_AuthorizeScan with the full
// scan.
void BM_Authorize(benchmark::State& state) { RunAuthorize(state, Mode::kBound); }
void BM_AuthorizeUnbound(benchmark::State& state) {
  RunAuthorize(state, Mode::kIndex);
}
void BM_AuthorizeScan(benchmark::State& state) { RunAuthorize(state, Mode::kScan); }

// The phases of an indexed decision, cumulatively, over the same requests in
// the same order as BM_Authorize: the per-decision setup (the request's three
// entities looked up, their data, their index rows and the context
// prefetched), then the setup and the index's candidate list. Each stops
// where the next phase would start, so a cache miss the setup only started
// is charged to the phase that waits for it, as in a whole decision.
void RunPhases(benchmark::State& state, bool with_index) {
  const arbiter::workload::Workload* w = GetWorkload(static_cast<int>(state.range(0)));
  if (w == nullptr) {
    state.SkipWithError("workload not found (set ARBITER_WORKLOADS_DIR)");
    return;
  }
  const arbiter::internal::IndexBinding* binding = &GetBound(w)->binding();
  std::vector<uint32_t> candidates;
  size_t i = 0;
  const size_t n = w->requests.size();
  for (auto _ : state) {
    const auto view = arbiter::internal::RequestView::Of(w->requests[i % n]);
    // As AuthorizeView starts a bound decision.
    binding->Prefetch(view.principal);
    binding->Prefetch(view.resource);
    arbiter::internal::Evaluator eval(*w->entities, view);
    if (with_index) {
      w->policies->index().Candidates(
          view, eval.principal_entity(), eval.action_entity(),
          eval.resource_entity(), eval.lookup_slots(), *binding, &candidates);
      benchmark::DoNotOptimize(candidates.data());
    } else {
      benchmark::DoNotOptimize(eval.resource_entity());
    }
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
void BM_DecisionSetup(benchmark::State& state) { RunPhases(state, false); }
void BM_DecisionIndex(benchmark::State& state) { RunPhases(state, true); }

BENCHMARK(BM_DecisionSetup)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->UseRealTime();
BENCHMARK(BM_DecisionIndex)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->UseRealTime();
BENCHMARK(BM_Authorize)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->ThreadRange(1, 2)->UseRealTime();
BENCHMARK(BM_AuthorizeUnbound)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->ThreadRange(1, 2)->UseRealTime();
BENCHMARK(BM_AuthorizeScan)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->ThreadRange(1, 2)->UseRealTime();

void BM_ParsePolicies(benchmark::State& state) {
  auto text = arbiter::workload::Slurp(WorkloadsDir() /
                                       ("agents-" + std::to_string(state.range(0))) /
                                       "policies.cedar");
  if (!text.ok()) {
    state.SkipWithError("workload not found");
    return;
  }
  for (auto _ : state) {
    auto set = arbiter::PolicySet::Parse(*text);  // parse, fold, index
    benchmark::DoNotOptimize(set);
  }
}
BENCHMARK(BM_ParsePolicies)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_LoadEntities(benchmark::State& state) {
  auto json = arbiter::workload::Slurp(WorkloadsDir() /
                                       ("agents-" + std::to_string(state.range(0))) /
                                       "entities.json");
  if (!json.ok()) {
    state.SkipWithError("workload not found");
    return;
  }
  for (auto _ : state) {
    auto entities = arbiter::Entities::FromJson(*json);
    benchmark::DoNotOptimize(entities);
  }
}
// Binding a loaded policy set to a loaded store (BoundPolicySet::Bind):
// what Engine adds to each swap.
void BM_BindEntities(benchmark::State& state) {
  const arbiter::workload::Workload* w = GetWorkload(static_cast<int>(state.range(0)));
  if (w == nullptr) {
    state.SkipWithError("workload not found (set ARBITER_WORKLOADS_DIR)");
    return;
  }
  for (auto _ : state) {
    auto bound = arbiter::BoundPolicySet::Bind(w->policies, w->entities);
    benchmark::DoNotOptimize(bound);
  }
}
BENCHMARK(BM_BindEntities)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// The same without ruling policies out of rows (BindOptions::rule_out):
// what that costs at bind time.
void BM_BindEntitiesNoRuleOut(benchmark::State& state) {
  const arbiter::workload::Workload* w =
      GetWorkload(static_cast<int>(state.range(0)));
  if (w == nullptr) {
    state.SkipWithError("workload not found (set ARBITER_WORKLOADS_DIR)");
    return;
  }
  arbiter::BindOptions options;
  options.rule_out = false;
  for (auto _ : state) {
    auto bound =
        arbiter::BoundPolicySet::Bind(w->policies, w->entities, options);
    benchmark::DoNotOptimize(bound);
  }
}
BENCHMARK(BM_BindEntitiesNoRuleOut)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_LoadEntities)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
