// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The system clock. A function-local static that is never destroyed, so that
// a guard used from a static destructor still has a clock.

#include "arbiter/clock.h"

namespace arbiter {
namespace {

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace

const Clock* Clock::System() {
  static const SystemClock* const clock = new SystemClock();
  return clock;
}

}  // namespace arbiter
