// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// CycleClock: the Unix time in nanoseconds from the processor's time-stamp
// counter, for the guard's record timestamps, latencies and credential
// expiry checks (with the system clock).
//
// Why: clock_gettime(CLOCK_REALTIME) costs about 26 ns a reading on the
// project's KVM guests (the vDSO reads the paravirtual clock page), a bare
// rdtsc about 11 ns, and a guarded call with a logger reads the clock
// twice. The counter is turned into Unix time from an anchor: one
// (clock_gettime, rdtsc) pair and the nanoseconds per tick measured
// between two anchors. The anchor is renewed by the first reading that
// finds it more than kReanchor old, so the derived time follows the system
// clock (NTP slews, steps) within that interval, and the rate is re-measured
// each time.
//
// Used only where the counter is invariant (constant rate, running in every
// power state: CPUID 0x80000007 EDX bit 8) on x86-64. Elsewhere, until the
// first rate is measured (kFirstRate after the first reading), after the
// system clock steps (a measured rate more than 0.1% off the last one: the
// rate is measured again), and whenever the counter looks wrong (behind its
// anchor), a reading is plain clock_gettime. Between renewals the derived
// time runs at most kReanchor past its anchor, which bounds its error.
//
// Thread-safety: Now() may be called from any thread. The anchor is a
// seqlock: readers retry (or fall back to clock_gettime) while a renewal is
// being written; one renewing thread at a time, chosen by a CAS.

#ifndef ARBITER_SRC_AGENT_CYCLE_CLOCK_H_
#define ARBITER_SRC_AGENT_CYCLE_CLOCK_H_

#include <chrono>
#include <cstdint>

namespace arbiter::internal {

class CycleClock {
 public:
  // The Unix time in nanoseconds.
  static int64_t Now();

  // clock_gettime(CLOCK_REALTIME) in nanoseconds: the reference.
  static int64_t SystemNow();

  // Whether Now() uses the counter at all on this machine.
  static bool Supported();

  // For tests: `hook`, when not null, runs inside Now() between the
  // reference reading and the counter reading after it, where a thread
  // may be preempted (the hook stands in for that). Every thread's Now()
  // runs it, so a test sets it while only its own threads read the clock.
  static void SetReferenceHookForTest(void (*hook)());

  static constexpr std::chrono::milliseconds kReanchor{100};
  static constexpr std::chrono::milliseconds kFirstRate{10};
};

}  // namespace arbiter::internal

#endif  // ARBITER_SRC_AGENT_CYCLE_CLOCK_H_
