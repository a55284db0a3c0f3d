// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// CycleClock, the guard's clock: it must tell the same time as
// clock_gettime(CLOCK_REALTIME) (it is checked against readings taken just
// before and after it, through calibration and several re-anchorings), and
// two readings in a row on one thread must not go backwards by more than
// the re-anchoring can snap.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "src/agent/cycle_clock.h"

namespace arbiter::internal {
namespace {

TEST_CASE("cycle clock: tells the system clock's time", "[agent][clock]") {
  // Long enough for the first rate (10 ms) and three renewals (100 ms).
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(350);
  std::vector<int64_t> errors;
  while (std::chrono::steady_clock::now() < end) {
    const int64_t before = CycleClock::SystemNow();
    const int64_t t = CycleClock::Now();
    const int64_t after = CycleClock::SystemNow();
    // Distance outside [before, after]: 0 when the reading is inside.
    errors.push_back(t < before ? before - t : (t > after ? t - after : 0));
    if (errors.size() % 64 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  REQUIRE(errors.size() > 1000);
  std::sort(errors.begin(), errors.end());
  INFO("counter in use: " << CycleClock::Supported() << ", samples "
                          << errors.size() << ", median error "
                          << errors[errors.size() / 2] << " ns, 99th "
                          << errors[errors.size() * 99 / 100] << " ns");
  // The rate is measured to parts per million, so the derived time is
  // within a microsecond or so; the bounds leave room for a busy machine
  // (a thread preempted between the three readings only widens the bracket).
  CHECK(errors[errors.size() / 2] < 20'000);
  CHECK(errors[errors.size() * 99 / 100] < 1'000'000);
}

// Reads the clock in a loop for `duration`; returns the largest step back
// between two readings in a row (0 when none went back).
int64_t WorstStepBack(std::chrono::milliseconds duration) {
  const auto end = std::chrono::steady_clock::now() + duration;
  int64_t prev = CycleClock::Now();
  int64_t worst = 0;
  while (std::chrono::steady_clock::now() < end) {
    const int64_t now = CycleClock::Now();
    worst = std::min(worst, now - prev);
    prev = now;
  }
  return worst;
}

TEST_CASE("cycle clock: readings in a row do not go back",
          "[agent][clock][stress]") {
  std::vector<std::thread> threads;
  std::atomic<int64_t> worst{0};
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      const int64_t local_worst = WorstStepBack(std::chrono::milliseconds(250));
      int64_t w = worst.load();
      while (local_worst < w && !worst.compare_exchange_weak(w, local_worst)) {
      }
    });
  }
  for (auto& t : threads) t.join();
  // A renewal snaps the derived time onto the system clock: a step of the
  // rate's error over 100 ms (well under a microsecond), never more than
  // a few microseconds.
  CHECK(worst.load() > -50'000);
}

TEST_CASE("cycle clock: a reference reading interrupted before its count does not anchor",
          "[agent][clock]") {
  // Every third reference reading is held up 5 ms before the counter is
  // read again, as a preempted thread would be. Such a pair would put the
  // anchor 5 ms behind the system clock, and the next derived reading that
  // far behind the reference reading before it.
  static std::atomic<int> calls{0};
  CycleClock::SetReferenceHookForTest([] {
    if (calls.fetch_add(1) % 3 == 1) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  const int64_t worst = WorstStepBack(std::chrono::milliseconds(600));
  CycleClock::SetReferenceHookForTest(nullptr);
  INFO("counter in use: " << CycleClock::Supported() << ", held-up references "
                          << calls.load() / 3);
  // Several renewals fell in the run (one each 100 ms), some held up
  // (where the counter is used at all: otherwise every reading is the
  // system clock's, and the hook never runs).
  if (CycleClock::Supported()) CHECK(calls.load() >= 3);
  CHECK(worst > -50'000);
}

}  // namespace
}  // namespace arbiter::internal
