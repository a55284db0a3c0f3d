// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// clock.h: the wall clock the agent guard reads, injectable for tests.
//
// Overview
//   Credential expiry and decision-log timestamps read a Clock, so a test
//   can move time forward by hand instead of sleeping:
//
//   arbiter::ManualClock clock(std::chrono::system_clock::time_point{});
//   arbiter::CredentialRegistry registry(&clock);
//   ... issue a credential with a 60 s time to live ...
//   clock.Advance(std::chrono::seconds(61));  // now it is expired
//
//   The guard measures latency with clock_gettime (see guard.cc), never with
//   a Clock, so that a manual clock cannot distort it.
//
// Thread-safety
//   Now() may be called from any thread. ManualClock::Set and Advance may
//   race with Now(): each reader sees either the old or the new time.

#ifndef ARBITER_CLOCK_H_
#define ARBITER_CLOCK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

namespace arbiter {

using TimePoint = std::chrono::system_clock::time_point;

// Clock
//
// The source of "now" for expiry checks and timestamps.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;

  // The process-wide system clock (std::chrono::system_clock). Never null,
  // never destroyed.
  static const Clock* System();
};

// ManualClock
//
// A clock that moves only when told to.
class ManualClock : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint{})
      : ns_(start.time_since_epoch() / std::chrono::nanoseconds(1)) {}

  TimePoint Now() const override {
    return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
        std::chrono::nanoseconds(ns_.load(std::memory_order_acquire))));
  }
  void Set(TimePoint t) {
    ns_.store(t.time_since_epoch() / std::chrono::nanoseconds(1),
              std::memory_order_release);
  }
  void Advance(std::chrono::nanoseconds d) {
    ns_.fetch_add(d.count(), std::memory_order_acq_rel);
  }

 private:
  std::atomic<int64_t> ns_;  // since the Unix epoch
};

}  // namespace arbiter

#endif  // ARBITER_CLOCK_H_
