// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The C API's cost over the C++ one, on the agents-N workloads:
//   BM_CApiAuthorize/N      arbiter_authorize over every request in turn,
//                           one reused response (compare BM_Authorize/N of
//                           authorize_benchmark: the difference is the C
//                           layer and the call into libarbiter_c.so)
//   BM_CApiParseRequest/N   arbiter_request_parse_json per request: what a
//                           binding pays when it builds each request anew
//                           from JSON instead of keeping request handles
//   BM_CApiBuildRequest/N   the same request through the request builder
//                           (its fields walked from the parsed JSON, as a
//                           binding walks its own values)
// Only include/arbiter/c.h is used; requests.json is split with nlohmann.
//
//   build/bench/c_api_benchmark

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arbiter/c.h"
#include "tests/capi/build_request.h"

namespace {

namespace fs = std::filesystem;

fs::path WorkloadsDir() {
  if (const char* env = std::getenv("ARBITER_WORKLOADS_DIR")) return env;
  return fs::path(ARBITER_SOURCE_DIR) / ".." / "shared" / "workloads";
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// One workload loaded through the C API; never freed (lives as long as
// the benchmark process).
struct CWorkload {
  arbiter_policy_set_t* policies = nullptr;
  arbiter_entities_t* entities = nullptr;
  std::vector<std::string> request_json;
  std::vector<nlohmann::json> request_doc;
  std::vector<arbiter_request_t*> requests;
};

const CWorkload* Get(int n) {
  static std::mutex mu;
  static std::map<int, std::unique_ptr<CWorkload>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(n); it != cache.end()) return it->second.get();
  const fs::path dir = WorkloadsDir() / ("agents-" + std::to_string(n));
  auto w = std::make_unique<CWorkload>();
  char* err = nullptr;
  const std::string policies = Slurp(dir / "policies.cedar");
  const std::string entities = Slurp(dir / "entities.json");
  w->policies = arbiter_policy_set_parse(policies.data(), policies.size(),
                                         nullptr, &err);
  w->entities = arbiter_entities_parse_json(entities.data(), entities.size(),
                                            nullptr, &err);
  if (err != nullptr || policies.empty()) {
    arbiter_free(err);
    cache[n] = nullptr;
    return nullptr;
  }
  for (const nlohmann::json& r : nlohmann::json::parse(Slurp(dir / "requests.json"))) {
    w->request_json.push_back(arbiter_test::RequestJson(r));
    w->request_doc.push_back(r);  // BuildRequest reads only the request's members
    const std::string& text = w->request_json.back();
    w->requests.push_back(
        arbiter_request_parse_json(text.data(), text.size(), nullptr, &err));
    if (err != nullptr) {
      arbiter_free(err);
      cache[n] = nullptr;
      return nullptr;
    }
  }
  return (cache[n] = std::move(w)).get();
}

void BM_CApiAuthorize(benchmark::State& state) {
  const CWorkload* w = Get(static_cast<int>(state.range(0)));
  if (w == nullptr) {
    state.SkipWithError("workload not found");
    return;
  }
  arbiter_response_t* response = arbiter_response_create();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        arbiter_authorize(w->policies, w->entities, w->requests[i], response));
    if (++i == w->requests.size()) i = 0;
  }
  arbiter_response_destroy(response);
}
BENCHMARK(BM_CApiAuthorize)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->UseRealTime();

void BM_CApiParseRequest(benchmark::State& state) {
  const CWorkload* w = Get(static_cast<int>(state.range(0)));
  if (w == nullptr) {
    state.SkipWithError("workload not found");
    return;
  }
  size_t i = 0;
  for (auto _ : state) {
    const std::string& text = w->request_json[i];
    arbiter_request_t* r =
        arbiter_request_parse_json(text.data(), text.size(), nullptr, nullptr);
    benchmark::DoNotOptimize(r);
    arbiter_request_destroy(r);
    if (++i == w->request_json.size()) i = 0;
  }
}
BENCHMARK(BM_CApiParseRequest)->Arg(1000);

void BM_CApiBuildRequest(benchmark::State& state) {
  const CWorkload* w = Get(static_cast<int>(state.range(0)));
  if (w == nullptr) {
    state.SkipWithError("workload not found");
    return;
  }
  arbiter_request_builder_t* builder = arbiter_request_builder_create();
  size_t i = 0;
  for (auto _ : state) {
    arbiter_test::BuildRequest(builder, w->request_doc[i]);
    arbiter_request_t* r = arbiter_request_builder_build(builder, nullptr, nullptr);
    benchmark::DoNotOptimize(r);
    arbiter_request_destroy(r);
    if (++i == w->request_doc.size()) i = 0;
  }
  arbiter_request_builder_destroy(builder);
}
BENCHMARK(BM_CApiBuildRequest)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
