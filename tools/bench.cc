// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// `arbiter bench [--scan | --unbound] DIR`: loads a workload, checks every
// answer, then times Authorize over all requests in turn for at least two
// seconds. The policy set is bound to the store (BoundPolicySet, as Engine
// decides); --unbound decides with Authorize(policies, entities) instead,
// --scan with the full scan. Each call is timed on its own with the steady
// clock, so the figures include the clock read (about 20 ns on this
// hardware); the timer's own overhead is measured and printed so it can be
// judged.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "arbiter/bound_policy_set.h"
#include "src/index/index_binding.h"
#include "tools/cli_common.h"
#include "tools/workload.h"

namespace arbiter::cli {

int RunBench(int argc, char** argv) {
  bool scan = false;
  bool unbound = false;
  double seconds = 2.0;
  std::string dir;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--scan") scan = true;
    else if (a == "--unbound") unbound = true;
    else if (a == "--seconds" && i + 1 < argc) seconds = std::stod(argv[++i]);
    else dir = a;
  }
  if (dir.empty()) {
    std::fprintf(
        stderr,
        "usage: arbiter bench [--scan | --unbound] [--seconds S] DIR\n");
    return 1;
  }
  absl::StatusOr<workload::Workload> w = workload::Load(dir);
  if (!w.ok()) {
    std::fprintf(stderr, "arbiter: error: %s\n", std::string(w.status().message()).c_str());
    return 1;
  }
  std::printf("workload: %s (%zu policies, %zu entities, %zu requests)\n",
              dir.c_str(), w->policies->size(), w->entities->size(),
              w->requests.size());
  std::printf("load: policies %.2f ms, entities %.2f ms\n", w->parse_ms,
              w->entities_ms);
  // Bound only when deciding bound: the other modes run exactly as an
  // embedding that never binds (no binding in memory).
  std::shared_ptr<const BoundPolicySet> bound;
  if (!scan && !unbound) {
    const auto bind_start = std::chrono::steady_clock::now();
    bound = BoundPolicySet::Bind(w->policies, w->entities).value();
    std::printf(
        "bind: %.2f ms, %zu row items, %zu rows left out, %zu items ruled "
        "out\n",
        std::chrono::duration<double, std::milli>(
            std::chrono::steady_clock::now() - bind_start)
            .count(),
        bound->binding().num_items(), bound->binding().num_left_out(),
        bound->binding().num_dropped());
  }
  std::printf("mode: %s\n", scan      ? "scan"
                            : unbound ? "index, unbound"
                                      : "index");

  AuthorizeOptions options;
  options.full_scan = scan;
  // The call timed below, and checked first.
  auto decide = [&](const Request& request, Response* response) {
    if (scan || unbound) {
      Authorize(*w->policies, *w->entities, request, response, options);
    } else {
      Authorize(*bound, request, response, options);
    }
  };
  Response response;
  size_t mismatches = 0;
  for (size_t i = 0; i < w->requests.size(); ++i) {
    decide(w->requests[i], &response);
    std::string m = workload::Mismatch(response, w->expected[i]);
    if (!m.empty()) {
      if (++mismatches <= 20) std::printf("MISMATCH request %zu: %s\n", i, m.c_str());
    }
  }
  std::printf("checked: %zu requests, %zu mismatches\n", w->requests.size(), mismatches);

  // The peak resident memory of the loaded, checked workload, taken before
  // the timing samples (tens of MB of them) are allocated: what an
  // embedding runtime holding this policy set and store would need.
  rusage loaded{};
  getrusage(RUSAGE_SELF, &loaded);

  using Clock = std::chrono::steady_clock;
  // The samples go into a histogram of whole nanoseconds, not a list: a
  // list written at millions of samples a second would stream tens of MB
  // through the caches while the largest workloads' hot data, a few MB,
  // competes for them. (No change in the medians could be measured; the
  // tool should not disturb what it measures all the same.) The
  // histogram's few busy counters stay in the cache; a sample past its
  // end (a preempted call) goes to a list, which such samples leave
  // short.
  constexpr size_t kHistogramNs = 1 << 16;
  std::vector<uint32_t> histogram(kHistogramNs);
  std::vector<int64_t> long_samples;
  size_t num_samples = 0;
  auto start = Clock::now();
  const auto budget = std::chrono::duration<double>(seconds);
  size_t n = w->requests.size();
  // One loop per mode, each calling its Authorize directly, so that the
  // timed call is the same call an embedding runtime makes.
  auto time_all = [&](auto&& call) {
    do {
      for (size_t i = 0; i < n; ++i) {
        auto t0 = Clock::now();
        call(w->requests[i]);
        auto t1 = Clock::now();
        // A steady clock does not go backwards; were it to, the sample
        // counts as 0, so that every long sample is past the histogram.
        const int64_t ns = std::max<int64_t>(
            0, std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0)
                   .count());
        if (static_cast<uint64_t>(ns) < kHistogramNs) {
          ++histogram[static_cast<size_t>(ns)];
        } else {
          long_samples.push_back(ns);
        }
      }
      num_samples += n;
    } while (Clock::now() - start < budget);
  };
  if (scan || unbound) {
    const PolicySet& policies = *w->policies;
    const Entities& entities = *w->entities;
    time_all([&](const Request& r) {
      Authorize(policies, entities, r, &response, options);
    });
  } else {
    time_all(
        [&](const Request& r) { Authorize(*bound, r, &response, options); });
  }
  double total_s = std::chrono::duration<double>(Clock::now() - start).count();
  // The clock's own cost, for reading the figures.
  std::vector<int64_t> overhead;
  for (int i = 0; i < 100000; ++i) {
    auto t0 = Clock::now();
    auto t1 = Clock::now();
    overhead.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
  }
  std::nth_element(overhead.begin(), overhead.begin() + overhead.size() / 2, overhead.end());
  // The sample of rank `rank` (0-based, in ascending order): counted off
  // the histogram, then the long samples, all of which are larger.
  std::sort(long_samples.begin(), long_samples.end());
  auto ranked = [&](size_t rank) -> int64_t {
    size_t seen = 0;
    for (size_t ns = 0; ns < kHistogramNs; ++ns) {
      seen += histogram[ns];
      if (seen > rank) return static_cast<int64_t>(ns);
    }
    return long_samples[rank - seen];
  };
  int64_t median = ranked(num_samples / 2);
  int64_t p99 = ranked(num_samples * 99 / 100);
  double dps = static_cast<double>(num_samples) / total_s;
  std::printf(
      "timed: %zu decisions in %.2f s (clock overhead %lld ns per reading "
      "pair)\n",
      num_samples, total_s,
      static_cast<long long>(overhead[overhead.size() / 2]));
  std::printf("peak_rss_mb=%.1f (loaded and checked, before timing)\n",
              loaded.ru_maxrss / 1024.0);
  std::printf("median_ns=%lld p99_ns=%lld dps=%.0f\n", static_cast<long long>(median),
              static_cast<long long>(p99), dps);
  return mismatches == 0 ? 0 : 1;
}

}  // namespace arbiter::cli
