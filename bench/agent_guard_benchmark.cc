// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The agent guard's cost over the core decision, on the shared agent
// workloads (agents-10 … agents-10000). Each iteration is one decision;
// requests are taken in turn.
//
//   BM_CoreAuthorize   arbiter::Authorize on the workload's policy set
//   BM_EngineAuthorize Engine::Authorize (the snapshot lookup added)
//   BM_GuardNoHooks    Guard::Authorize with no hooks, task or delegation
//   BM_GuardedAuthorize  the whole guard: credential check (registry; the
//                      id presented in binary form, arbiter::CredentialId),
//                      task record layered over the request context, and a
//                      record per decision to a JsonlFileSink (a temp file)
//   BM_CorePaced, BM_GuardedPaced, BM_GuardedNullLogPaced
//                      the same two calls at a runtime's pace: one call
//                      every 5 us (200,000 a second), each timed on its
//                      own, so that the sink's writer keeps up (the
//                      guarded run reports dropped, which should be 0) and
//                      the figure is the latency a call sees. The
//                      unpaced runs above drive the sink at millions of
//                      records a second, faster than its writer formats
//                      them: their time depends on how many records the
//                      full queue drops (dropped_pct), not only on the
//                      guard. Each paced time includes one clock reading
//                      (about 25 ns), in both runs alike.
//   BM_GuardAdds, BM_GuardAddsPaced
//                      what the guard adds to the core call, with the four
//                      calls taking turns in short rounds so that the VM's
//                      slow spells cancel out (see GuardAdds): the figures
//                      to quote, as counters
//   BM_CredentialIssueRevoke/N  the registry's write side with N credentials
//                      already live: issue one and revoke it (should not
//                      grow with N: neither copies the table)
//
// The guarded run puts the task under `context.agent_task`: the workloads'
// own contexts already use `task` and `chain`. Before timing, every guarded
// answer is checked against the core answer for the same request (the
// policies never read the added key, so they must agree).
//
//   build/bench/agent_guard_benchmark --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true   (one command line)

#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "arbiter/arbiter.h"
#include "tools/workload.h"

namespace {

namespace fs = std::filesystem;

fs::path WorkloadsDir() {
  if (const char* env = std::getenv("ARBITER_WORKLOADS_DIR")) return env;
  return fs::path(ARBITER_SOURCE_DIR) / ".." / "shared" / "workloads";
}

// A logger that only looks at the record (as any logger must), then drops it.
class NullLogger : public arbiter::DecisionLogger {
 public:
  void Log(const arbiter::DecisionRecord& record) override {
    benchmark::DoNotOptimize(record.decision);
  }
};
NullLogger null_logger;

// Everything one workload size needs, built once and shared by threads.
struct Fixture {
  std::unique_ptr<arbiter::workload::Workload> w;
  std::unique_ptr<arbiter::Engine> engine;
  std::unique_ptr<arbiter::CredentialRegistry> registry;
  std::unique_ptr<arbiter::JsonlFileSink> sink;
  // The log file, for emptying it between GuardAdds turns (-1: none).
  int log_fd = -1;
  std::unique_ptr<arbiter::Task> task;
  std::unique_ptr<arbiter::Guard> bare;     // no hooks
  std::unique_ptr<arbiter::Guard> guarded;  // registry + sink
  std::unique_ptr<arbiter::Guard> task_only, cred_only, log_only;
  // Every hook, but a logger that discards the record: the caller's own
  // cost, without the file sink's writer thread competing for the caches.
  std::unique_ptr<arbiter::Guard> guarded_null_log;
  std::vector<std::string> credential;      // per request: the text
  std::vector<arbiter::CredentialId> credential_bin;  // parsed once
  std::string error;                        // non-empty: skip
  fs::path log_path;
};

Fixture* Build(int n) {
  auto f = std::make_unique<Fixture>();
  auto w = arbiter::workload::Load(WorkloadsDir() / ("agents-" + std::to_string(n)));
  if (!w.ok()) {
    f->error = "workload not found (set ARBITER_WORKLOADS_DIR)";
    return f.release();
  }
  f->w = std::make_unique<arbiter::workload::Workload>(*std::move(w));
  f->engine = std::make_unique<arbiter::Engine>(f->w->policies, f->w->entities);
  f->registry = std::make_unique<arbiter::CredentialRegistry>();
  f->log_path = fs::temp_directory_path() /
                ("arbiter-guard-bench-" + std::to_string(::getpid()) + "-" +
                 std::to_string(n) + ".jsonl");
  auto sink = arbiter::JsonlFileSink::Open(f->log_path.string());
  if (!sink.ok()) {
    f->error = std::string(sink.status().message());
    return f.release();
  }
  f->sink = *std::move(sink);
  // A descriptor of our own on the same file, to truncate it (see
  // TruncateLog); the sink appends, so it carries on from the new end.
  f->log_fd = ::open(f->log_path.c_str(), O_WRONLY | O_CLOEXEC);
  // The sink writes through the descriptor it opened: unlinking the file
  // now leaves nothing behind in the temporary directory, whatever the
  // benchmark logs and however it ends.
  std::error_code ignored;
  fs::remove(f->log_path, ignored);
  arbiter::TaskSpec spec;
  spec.id = "bench-task";
  spec.objective = "benchmark";
  spec.sensitivity = 3;
  spec.approval = "approved";
  f->task = std::make_unique<arbiter::Task>(spec);
  f->bare = std::make_unique<arbiter::Guard>(f->engine.get());
  arbiter::GuardOptions options;
  options.credentials = f->registry.get();
  options.task_key = "agent_task";
  options.delegation_key = "agent_delegation";
  arbiter::Guard check(f->engine.get(), options);  // no logger
  options.logger = &null_logger;
  f->guarded_null_log = std::make_unique<arbiter::Guard>(f->engine.get(), options);
  options.logger = f->sink.get();
  f->guarded = std::make_unique<arbiter::Guard>(f->engine.get(), options);
  {
    arbiter::GuardOptions o;
    o.task_key = "agent_task";
    f->task_only = std::make_unique<arbiter::Guard>(f->engine.get(), o);
    o.credentials = f->registry.get();
    f->cred_only = std::make_unique<arbiter::Guard>(f->engine.get(), o);
    o.credentials = nullptr;
    o.logger = f->sink.get();
    f->log_only = std::make_unique<arbiter::Guard>(f->engine.get(), o);
  }
  // One credential per principal, scoped to the group of every tool.
  absl::flat_hash_map<arbiter::EntityUid, std::string> by_principal;
  const auto all_tools = arbiter::EntityUid::Of("Agents::Action", "all_tools");
  for (const arbiter::Request& r : f->w->requests) {
    auto it = by_principal.find(r.principal);
    if (it == by_principal.end()) {
      auto id = f->registry->Issue({.task_id = "bench-task",
                                    .agent = r.principal,
                                    .actions = {all_tools},
                                    .ttl = std::chrono::hours(24)});
      if (!id.ok()) {
        f->error = std::string(id.status().message());
        return f.release();
      }
      it = by_principal.emplace(r.principal, *id).first;
    }
    f->credential.push_back(it->second);
    f->credential_bin.push_back(*arbiter::CredentialId::Parse(it->second));
  }
  // The guard must not change a single answer. Checked on a separate task
  // (so the benchmark's task starts empty) and without logging.
  arbiter::Task check_task(spec);
  arbiter::GuardResponse g;
  for (size_t i = 0; i < f->w->requests.size(); ++i) {
    const arbiter::Response core =
        arbiter::Authorize(*f->w->policies, *f->w->entities, f->w->requests[i]);
    check.Authorize(f->w->requests[i],
                    {.task = &check_task, .credential_id = f->credential[i]}, &g);
    arbiter::GuardResponse b;
    check.Authorize(f->w->requests[i],
                    {.task = &check_task, .credential = f->credential_bin[i]}, &b);
    if (g.credential != arbiter::CredentialStatus::kValid ||
        b.credential != arbiter::CredentialStatus::kValid || b.decision != g.decision ||
        g.decision != core.decision || g.core.reasons != core.reasons ||
        g.core.errors.size() != core.errors.size()) {
      f->error = "guarded answer differs from the core answer for request " +
                 std::to_string(i);
      return f.release();
    }
  }
  return f.release();
}

Fixture* GetFixture(int n) {
  static std::mutex mu;
  static std::map<int, Fixture*> cache;  // leaked: benchmarks end the process
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  return cache[n] = Build(n);
}

// The calls the benchmarks time, back to back (Run) or paced (RunPaced).
void CoreCall(Fixture& f, size_t i, arbiter::Response* r) {
  arbiter::Authorize(*f.w->policies, *f.w->entities, f.w->requests[i], r);
  benchmark::DoNotOptimize(r->decision);
}
// Every hook: the fixture's credential for the request, and its task. The
// credential is presented in binary form, parsed once, as a runtime that
// keeps its agents' ids would (arbiter::CredentialId); GuardedTextCall
// presents the text instead.
void GuardedCall(const arbiter::Guard& guard, Fixture& f, size_t i,
                 arbiter::GuardResponse* r) {
  guard.Authorize(f.w->requests[i],
                  {.task = f.task.get(), .credential = f.credential_bin[i]}, r);
  benchmark::DoNotOptimize(r->decision);
}
void GuardedTextCall(const arbiter::Guard& guard, Fixture& f, size_t i,
                     arbiter::GuardResponse* r) {
  guard.Authorize(f.w->requests[i],
                  {.task = f.task.get(), .credential_id = f.credential[i]}, r);
  benchmark::DoNotOptimize(r->decision);
}

// Empties the log file once the sink has written what it holds. Back to
// back the sink writes some 400 MB a second; kept, that many dirty pages
// pass the kernel's background writeback threshold within seconds, and
// the writeback would compete with the benchmark for its two vCPUs, so
// that later rounds (the larger workloads) measure the disk. A deployment
// rotates its logs; between turns, so does this. Untimed.
void TruncateLog(Fixture& f) {
  if (f.log_fd < 0) return;
  f.sink->Flush();
  if (::ftruncate(f.log_fd, 0) != 0) {
    ::close(f.log_fd);
    f.log_fd = -1;  // keep going without
  }
}

// What the file sink wrote and dropped during one benchmark run.
struct SinkCounts {
  explicit SinkCounts(Fixture* f)
      : f(f),
        dropped0(f->error.empty() ? f->sink->dropped() : 0),
        written0(f->error.empty() ? f->sink->written() : 0) {}
  // Flushes, then the records dropped and written since construction.
  std::pair<uint64_t, uint64_t> DroppedWritten() const {
    f->sink->Flush();
    return {f->sink->dropped() - dropped0, f->sink->written() - written0};
  }
  Fixture* f;
  uint64_t dropped0, written0;
};

template <typename Fn>
void Run(benchmark::State& state, Fn decide) {
  Fixture* f = GetFixture(static_cast<int>(state.range(0)));
  if (!f->error.empty()) {
    state.SkipWithError(f->error.c_str());
    return;
  }
  size_t i = static_cast<size_t>(state.thread_index()) * 997;
  const size_t n = f->w->requests.size();
  for (auto _ : state) {
    decide(*f, i % n);
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_CoreAuthorize(benchmark::State& state) {
  arbiter::Response r;
  Run(state, [&](Fixture& f, size_t i) { CoreCall(f, i, &r); });
}

void BM_EngineAuthorize(benchmark::State& state) {
  arbiter::Response r;
  Run(state, [&](Fixture& f, size_t i) {
    f.engine->Authorize(f.w->requests[i], &r);
    benchmark::DoNotOptimize(r.decision);
  });
}

void BM_GuardNoHooks(benchmark::State& state) {
  arbiter::GuardResponse r;
  Run(state, [&](Fixture& f, size_t i) {
    f.bare->Authorize(f.w->requests[i], {}, &r);
    benchmark::DoNotOptimize(r.decision);
  });
}

void BM_GuardedAuthorize(benchmark::State& state) {
  arbiter::GuardResponse r;
  Fixture* f = GetFixture(static_cast<int>(state.range(0)));
  const SinkCounts counts(f);
  Run(state, [&](Fixture& f, size_t i) { GuardedCall(*f.guarded, f, i, &r); });
  if (f->error.empty() && state.thread_index() == 0) {
    // Records the queue refused while the writer was behind: the caller
    // never waits for the disk, so a benchmark at full speed outruns it.
    const auto [dropped, written] = counts.DroppedWritten();
    state.counters["dropped_pct"] =
        100.0 * static_cast<double>(dropped) /
        static_cast<double>(std::max<uint64_t>(1, dropped + written));
  }
}

// The whole guarded call with a logger that drops every record: what the
// guard itself adds, apart from the sink.
void BM_GuardedNullLog(benchmark::State& state) {
  arbiter::GuardResponse r;
  Run(state, [&](Fixture& f, size_t i) {
    GuardedCall(*f.guarded_null_log, f, i, &r);
  });
}

// One call every kPacePeriod, each timed alone (manual time). The spin
// between calls touches no memory, so the caches hold what they would in a
// runtime that calls the guard often; the sink's writer, on the other
// core, has time to drain the queue.
constexpr std::chrono::nanoseconds kPacePeriod{5000};

template <typename Fn>
void RunPaced(benchmark::State& state, Fn decide) {
  using Clock = std::chrono::steady_clock;
  Fixture* f = GetFixture(static_cast<int>(state.range(0)));
  if (!f->error.empty()) {
    state.SkipWithError(f->error.c_str());
    return;
  }
  size_t i = 0;
  const size_t n = f->w->requests.size();
  for (auto _ : state) {
    const auto t0 = Clock::now();
    decide(*f, i);
    const auto t1 = Clock::now();
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
    while (Clock::now() - t0 < kPacePeriod) {
    }
    if (++i == n) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_CorePaced(benchmark::State& state) {
  arbiter::Response r;
  RunPaced(state, [&](Fixture& f, size_t i) { CoreCall(f, i, &r); });
}

void BM_GuardedPaced(benchmark::State& state) {
  arbiter::GuardResponse r;
  Fixture* f = GetFixture(static_cast<int>(state.range(0)));
  const SinkCounts counts(f);
  RunPaced(state, [&](Fixture& f, size_t i) { GuardedCall(*f.guarded, f, i, &r); });
  if (f->error.empty()) {
    state.counters["dropped"] =
        static_cast<double>(counts.DroppedWritten().first);
  }
}

// Paced, every hook but a logger that drops the record: the sink's share
// of BM_GuardedPaced is the difference.
void BM_GuardedNullLogPaced(benchmark::State& state) {
  arbiter::GuardResponse r;
  RunPaced(state, [&](Fixture& f, size_t i) {
    GuardedCall(*f.guarded_null_log, f, i, &r);
  });
}

// What the guard adds to the core call, measured so that this VM's slow
// spells (other tenants: a call's time can double for seconds at a time,
// and which of the two vCPUs is slow changes) cancel out. The core call,
// the guard with a null logger, the whole guard (file sink) and the whole
// guard given the credential's text take turns in rounds of kAddsRound
// each, in rotating order, kAddsRounds times; a slow spell then falls on
// all four alike, and each round's difference is taken between neighbours.
// Counters, medians over the rounds: core_ns, null_log_ns, guarded_ns
// (each call's time), null_adds_ns and adds_ns (the guarded call minus the
// core call of the same round: the issue's "adds no more than 150 ns"),
// text_adds_ns (the same with the credential as text, parsed on each
// call), dropped_pct for the file sink (both whole-guard calls). After
// each whole-guard turn the sink is flushed and the log file emptied
// (TruncateLog), untimed. Back to back a round's time is its mean per
// call; paced (one call every kPacePeriod, as in RunPaced) it is the
// median of its calls, each timed alone (the clock reading in each is in
// all four alike).
constexpr int kAddsRounds = 40;
constexpr std::chrono::milliseconds kAddsRound{25};

template <bool kPaced>
void GuardAdds(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  Fixture* f = GetFixture(static_cast<int>(state.range(0)));
  if (!f->error.empty()) {
    state.SkipWithError(f->error.c_str());
    return;
  }
  const SinkCounts counts(f);
  arbiter::Response core_response;
  arbiter::GuardResponse guard_response;
  const size_t n = f->w->requests.size();
  size_t i = 0;
  constexpr int kCalls = 4;
  std::vector<double> times[kCalls];  // core, null logger, file sink, text id
  std::vector<uint32_t> lat;
  auto call = [&](int which) {
    switch (which) {
      case 0: CoreCall(*f, i, &core_response); break;
      case 1: GuardedCall(*f->guarded_null_log, *f, i, &guard_response); break;
      case 2: GuardedCall(*f->guarded, *f, i, &guard_response); break;
      default: GuardedTextCall(*f->guarded, *f, i, &guard_response); break;
    }
    if (++i == n) i = 0;
  };
  for (auto _ : state) {
    for (int round = 0; round < kAddsRounds; ++round) {
      for (int k = 0; k < kCalls; ++k) {
        const int which = (k + round) % kCalls;
        const auto end = Clock::now() + kAddsRound;
        if (kPaced) {
          lat.clear();
          for (auto t0 = Clock::now(); t0 < end; t0 = Clock::now()) {
            call(which);
            const auto t1 = Clock::now();
            lat.push_back(static_cast<uint32_t>(
                std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
            while (Clock::now() - t0 < kPacePeriod) {
            }
          }
          std::nth_element(lat.begin(), lat.begin() + lat.size() / 2, lat.end());
          times[which].push_back(lat[lat.size() / 2]);
        } else {
          uint64_t calls = 0;
          const auto t0 = Clock::now();
          auto t1 = t0;
          do {
            for (int j = 0; j < 64; ++j) call(which);
            calls += 64;
            t1 = Clock::now();
          } while (t1 < end);
          times[which].push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() /
                                 static_cast<double>(calls));
        }
        // The next turn starts with the writer idle and the file empty:
        // its records' formatting and writing are not charged to whichever
        // call comes next.
        if (which >= 2) TruncateLog(*f);
      }
    }
  }
  auto median = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
  };
  auto minus_core = [&](int which) {
    std::vector<double> d;
    for (size_t r = 0; r < times[0].size(); ++r) d.push_back(times[which][r] - times[0][r]);
    return median(d);
  };
  state.counters["core_ns"] = median(times[0]);
  state.counters["null_log_ns"] = median(times[1]);
  state.counters["guarded_ns"] = median(times[2]);
  state.counters["null_adds_ns"] = minus_core(1);
  state.counters["adds_ns"] = minus_core(2);
  state.counters["text_adds_ns"] = minus_core(3);
  const auto [dropped, written] = counts.DroppedWritten();
  state.counters["dropped_pct"] =
      100.0 * static_cast<double>(dropped) /
      static_cast<double>(std::max<uint64_t>(1, dropped + written));
}
void BM_GuardAdds(benchmark::State& state) { GuardAdds<false>(state); }
void BM_GuardAddsPaced(benchmark::State& state) { GuardAdds<true>(state); }

// The parts of the guarded call, one at a time (agents-10 and -1000).
void BM_GuardTaskOnly(benchmark::State& state) {
  arbiter::GuardResponse r;
  Run(state, [&](Fixture& f, size_t i) {
    f.task_only->Authorize(f.w->requests[i], {.task = f.task.get()}, &r);
    benchmark::DoNotOptimize(r.decision);
  });
}
void BM_GuardCredentialOnly(benchmark::State& state) {
  arbiter::GuardResponse r;
  Run(state, [&](Fixture& f, size_t i) {
    f.cred_only->Authorize(f.w->requests[i], {.credential = f.credential_bin[i]}, &r);
    benchmark::DoNotOptimize(r.decision);
  });
}
void BM_GuardLogOnly(benchmark::State& state) {
  arbiter::GuardResponse r;
  Run(state, [&](Fixture& f, size_t i) {
    f.log_only->Authorize(f.w->requests[i], {}, &r);
    benchmark::DoNotOptimize(r.decision);
  });
}
void BM_CredentialIssueRevoke(benchmark::State& state) {
  arbiter::CredentialRegistry registry;
  const arbiter::EntityUid agent = arbiter::EntityUid::Of("Agent", "a");
  const arbiter::EntityUid action = arbiter::EntityUid::Of("Action", "read");
  auto spec = [&](std::string task) {
    arbiter::CredentialSpec s;
    s.task_id = std::move(task);
    s.agent = agent;
    s.actions = {action};
    s.ttl = std::chrono::minutes(5);
    return s;
  };
  for (int64_t i = 0; i < state.range(0); ++i) {
    if (!registry.Issue(spec("task-" + std::to_string(i % 1000))).ok()) {
      state.SkipWithError("issue failed");
      return;
    }
  }
  const arbiter::CredentialSpec one = spec("bench");
  for (auto _ : state) {
    absl::StatusOr<std::string> id = registry.Issue(one);
    if (!id.ok() || !registry.Revoke(*id).ok()) {
      state.SkipWithError("issue or revoke failed");
      return;
    }
    // Keep the registry at its size: forget the bench task's credentials
    // once in a while (outside the timing: Purge is the O(size) call).
    if (registry.size() > static_cast<size_t>(state.range(0)) + 4096) {
      state.PauseTiming();
      registry.Purge(registry.clock()->Now());
      state.ResumeTiming();
    }
  }
}
BENCHMARK(BM_CredentialIssueRevoke)->Arg(1000)->Arg(100000);

BENCHMARK(BM_GuardTaskOnly)->Arg(10)->Arg(1000)->UseRealTime();
BENCHMARK(BM_GuardCredentialOnly)->Arg(10)->Arg(1000)->UseRealTime();
BENCHMARK(BM_GuardLogOnly)->Arg(10)->Arg(1000)->UseRealTime();

#define ARBITER_SIZES ->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->UseRealTime()
BENCHMARK(BM_CoreAuthorize) ARBITER_SIZES;
BENCHMARK(BM_EngineAuthorize) ARBITER_SIZES;
BENCHMARK(BM_GuardNoHooks) ARBITER_SIZES;
BENCHMARK(BM_GuardedAuthorize) ARBITER_SIZES;
BENCHMARK(BM_GuardedNullLog) ARBITER_SIZES;
BENCHMARK(BM_GuardedAuthorize)->Arg(1000)->Threads(2)->UseRealTime();
// 100,000 calls (half a second at the pace) per run.
#define ARBITER_PACED \
  ->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->UseManualTime()->Iterations(100000)
BENCHMARK(BM_CorePaced) ARBITER_PACED;
BENCHMARK(BM_GuardedPaced) ARBITER_PACED;
BENCHMARK(BM_GuardedNullLogPaced) ARBITER_PACED;
// Four seconds each (see GuardAdds); the time column means nothing there.
BENCHMARK(BM_GuardAdds)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Iterations(1);
BENCHMARK(BM_GuardAddsPaced)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
