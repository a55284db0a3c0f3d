// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Policy bundles over the shared agent workloads (agents-N as a bundle with
// tool rules, tests/bundle_workload.h):
//   BM_PermittedTools/N        100 candidate tools (21 declared, 76
//                              classified at run time, 3 unclassified) per
//                              query, cycling through the workload's requests
//   BM_PermittedToolsOneByOne/N  the same answer from 100 AuthorizeTool calls
//   BM_AuthorizeTool/N         one tool call (a runtime-classified tool)
//   BM_BundleLoad/N            Bundle::Load: YAML, policies, schema,
//                              entities, strict validation, tool rules
//   BM_BundleLoadNoValidate/N  the same without validation
// Workloads are read from $ARBITER_WORKLOADS_DIR, else ../shared/workloads.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "arbiter/arbiter.h"
#include "tests/bundle_workload.h"
#include "tools/workload.h"

namespace {

namespace fs = std::filesystem;

struct Fixture {
  std::string yaml_path;
  std::shared_ptr<const arbiter::Bundle> bundle;
  std::unique_ptr<arbiter::workload::Workload> workload;
  std::vector<std::string> names;
  std::vector<std::string_view> tools;
};

const Fixture* Get(int n) {
  static std::mutex mu;
  static std::map<int, std::unique_ptr<Fixture>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(n); it != cache.end()) return it->second.get();
  auto f = std::make_unique<Fixture>();
  const fs::path dir = arbiter::testing::WorkloadDir(n);
  f->yaml_path = (fs::temp_directory_path() /
                  ("arbiter-bench-bundle-" + std::to_string(n) + ".yaml")).string();
  std::ofstream(f->yaml_path) << arbiter::testing::WorkloadBundleYaml(dir);
  auto b = arbiter::Bundle::Load(f->yaml_path);
  auto w = arbiter::workload::Load(dir);
  if (!b.ok() || !w.ok()) {
    cache[n] = nullptr;
    return nullptr;
  }
  f->bundle = *b;
  f->workload = std::make_unique<arbiter::workload::Workload>(*std::move(w));
  f->names = arbiter::testing::CandidateTools();
  f->tools.assign(f->names.begin(), f->names.end());
  // Warm the tool cache: classification happens once per name per bundle.
  std::vector<uint32_t> out;
  f->bundle->PermittedTools(f->workload->requests[0], f->tools, &out);
  cache[n] = std::move(f);
  return cache[n].get();
}

void BM_PermittedTools(benchmark::State& state) {
  const Fixture* f = Get(static_cast<int>(state.range(0)));
  if (f == nullptr) return state.SkipWithError("workload not found");
  std::vector<uint32_t> permitted;
  size_t i = static_cast<size_t>(state.thread_index()) * 997, total = 0;
  const size_t n = f->workload->requests.size();
  for (auto _ : state) {
    f->bundle->PermittedTools(f->workload->requests[i % n], f->tools, &permitted);
    total += permitted.size();
    ++i;
  }
  state.counters["permitted_per_query"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kAvgIterations);
}

void BM_PermittedToolsOneByOne(benchmark::State& state) {
  const Fixture* f = Get(static_cast<int>(state.range(0)));
  if (f == nullptr) return state.SkipWithError("workload not found");
  arbiter::Response r;
  size_t i = 0;
  const size_t n = f->workload->requests.size();
  for (auto _ : state) {
    size_t allowed = 0;
    for (std::string_view t : f->tools) {
      f->bundle->AuthorizeTool(t, f->workload->requests[i % n], &r);
      allowed += r.decision == arbiter::Decision::kAllow;
    }
    benchmark::DoNotOptimize(allowed);
    ++i;
  }
}

void BM_AuthorizeTool(benchmark::State& state) {
  const Fixture* f = Get(static_cast<int>(state.range(0)));
  if (f == nullptr) return state.SkipWithError("workload not found");
  arbiter::Response r;
  size_t i = 0;
  const size_t n = f->workload->requests.size();
  for (auto _ : state) {
    f->bundle->AuthorizeTool("tool:github.get_issue_0", f->workload->requests[i % n], &r);
    benchmark::DoNotOptimize(r.decision);
    ++i;
  }
}

void RunLoad(benchmark::State& state, bool validate) {
  const Fixture* f = Get(static_cast<int>(state.range(0)));
  if (f == nullptr) return state.SkipWithError("workload not found");
  arbiter::BundleLoadOptions o;
  o.validate = validate;
  for (auto _ : state) {
    auto b = arbiter::Bundle::Load(f->yaml_path, o);
    if (!b.ok()) return state.SkipWithError("bundle failed to load");
    benchmark::DoNotOptimize(b->get());
  }
}
void BM_BundleLoad(benchmark::State& state) { RunLoad(state, true); }
void BM_BundleLoadNoValidate(benchmark::State& state) { RunLoad(state, false); }

}  // namespace

BENCHMARK(BM_PermittedTools)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PermittedTools)->Arg(1000)->Threads(2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PermittedToolsOneByOne)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AuthorizeTool)->Arg(1000);
BENCHMARK(BM_BundleLoad)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BundleLoadNoValidate)->Arg(1000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
