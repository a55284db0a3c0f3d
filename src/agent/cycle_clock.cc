// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// CycleClock (see cycle_clock.h). The anchor is three words written under a
// sequence counter: odd while a renewal writes them. A reading takes the
// counter first, then the anchor, so a renewal that lands in between only
// makes the reading use the previous anchor, which is still within a few
// parts per million of the system clock.
//
// Conversion: ns = anchor_ns + ((tsc - anchor_tsc) * rate) >> 32, rate being
// nanoseconds per tick in 32.32 fixed point; the product is taken in 128
// bits, so a long pause between readings cannot overflow it.

#include "src/agent/cycle_clock.h"

#include <time.h>

#include <atomic>

#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>
#endif

namespace arbiter::internal {
namespace {

#if defined(__x86_64__)

bool InvariantTsc() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid_max(0x80000000u, nullptr) < 0x80000007u) return false;
  __cpuid(0x80000007u, a, b, c, d);
  return (d & (1u << 8)) != 0;
}

struct Anchor {
  std::atomic<uint64_t> seq{0};       // odd: being written
  std::atomic<int64_t> ns{0};         // Unix ns at tsc
  std::atomic<uint64_t> tsc{0};       // 0: no anchor yet
  std::atomic<uint64_t> rate{0};      // ns per tick, 32.32; 0: not measured
  std::atomic<uint64_t> ticks_valid{0};  // renew after this many ticks
};

// The widest (counter before, counter after) bracket around a reference
// reading that may anchor the clock: clock_gettime takes well under a
// microsecond, so 10,000 ticks (10 us at 1 GHz, less on faster counters)
// only turns away readings that were interrupted. The anchor's time is the
// bracket's midpoint, off by at most half of it.
constexpr uint64_t kMaxPairTicks = 10'000;

// Atomic only so that a test setting it races with no stray reader.
std::atomic<void (*)()> reference_hook_for_test{nullptr};

// Namespace scope and constant-initialized (atomics), so a reading needs no
// initialization check. kInvariant is set at dynamic initialization: a
// reading before that (from another file's static initializer) sees false
// and falls back to clock_gettime.
constinit Anchor the_anchor;
const bool kInvariant = InvariantTsc();

// Renews the anchor from the reference reading (now_ns, now_tsc), measuring
// the rate since the previous anchor when it is at least kFirstRate old.
// Skipped if another thread is renewing.
void Renew(Anchor& a, int64_t now_ns, uint64_t now_tsc) {
  uint64_t s = a.seq.load(std::memory_order_relaxed);
  if ((s & 1) != 0 ||
      !a.seq.compare_exchange_strong(s, s + 1, std::memory_order_acquire)) {
    return;
  }
  std::atomic_thread_fence(std::memory_order_release);
  const int64_t old_ns = a.ns.load(std::memory_order_relaxed);
  const uint64_t old_tsc = a.tsc.load(std::memory_order_relaxed);
  const int64_t first_rate_ns =
      std::chrono::nanoseconds(CycleClock::kFirstRate).count();
  if (old_tsc == 0 || now_tsc <= old_tsc || now_ns <= old_ns) {
    // First reading, or the counter or the system clock went back: start
    // over (readings use clock_gettime until a rate is measured again).
    a.ns.store(now_ns, std::memory_order_relaxed);
    a.tsc.store(now_tsc, std::memory_order_relaxed);
    a.rate.store(0, std::memory_order_relaxed);
  } else if (now_ns - old_ns >= first_rate_ns) {
    const unsigned __int128 num =
        static_cast<unsigned __int128>(now_ns - old_ns) << 32;
    uint64_t rate = static_cast<uint64_t>(num / (now_tsc - old_tsc));
    // A rate more than 0.1% off the last one means the system clock stepped
    // in the interval (NTP slews by at most 0.05%): the anchor takes the
    // step, and the rate is measured again over the next interval (readings
    // use clock_gettime meanwhile), so that neither a step nor a disturbed
    // first measurement can stick.
    const uint64_t old_rate = a.rate.load(std::memory_order_relaxed);
    if (old_rate != 0 &&
        (rate > old_rate + old_rate / 1000 || rate < old_rate - old_rate / 1000)) {
      rate = 0;
    }
    const int64_t reanchor_ns =
        std::chrono::nanoseconds(CycleClock::kReanchor).count();
    a.ns.store(now_ns, std::memory_order_relaxed);
    a.tsc.store(now_tsc, std::memory_order_relaxed);
    a.rate.store(rate, std::memory_order_relaxed);
    a.ticks_valid.store(
        rate == 0 ? 0
                  : static_cast<uint64_t>(
                        (static_cast<unsigned __int128>(reanchor_ns) << 32) / rate),
        std::memory_order_relaxed);
  }
  // else: too soon to measure a rate; keep the first anchor.
  a.seq.store(s + 2, std::memory_order_release);
}

#endif  // __x86_64__

}  // namespace

int64_t CycleClock::SystemNow() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

bool CycleClock::Supported() {
#if defined(__x86_64__)
  return kInvariant;
#else
  return false;
#endif
}

void CycleClock::SetReferenceHookForTest(void (*hook)()) {
#if defined(__x86_64__)
  reference_hook_for_test.store(hook, std::memory_order_relaxed);
#else
  (void)hook;
#endif
}

int64_t CycleClock::Now() {
#if defined(__x86_64__)
  if (!kInvariant) return SystemNow();
  Anchor& a = the_anchor;
  const uint64_t tsc = __rdtsc();
  const uint64_t s = a.seq.load(std::memory_order_acquire);
  const int64_t ns = a.ns.load(std::memory_order_relaxed);
  const uint64_t base = a.tsc.load(std::memory_order_relaxed);
  const uint64_t rate = a.rate.load(std::memory_order_relaxed);
  const uint64_t valid = a.ticks_valid.load(std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_acquire);
  const bool consistent = (s & 1) == 0 && a.seq.load(std::memory_order_relaxed) == s;
  if (consistent && rate != 0 && tsc >= base && tsc - base < valid) {
    return ns + static_cast<int64_t>(
                    (static_cast<unsigned __int128>(tsc - base) * rate) >> 32);
  }
  // No usable anchor: the reference reading, which also renews it. The
  // counter is read on both sides of it, and the pair is used only when
  // the two are close: a thread preempted between the two readings (tens
  // of milliseconds on a loaded machine) would otherwise pair the system
  // time with a much later count, and every reading derived from that
  // anchor would run that far behind the system clock.
  const uint64_t before = __rdtsc();
  const int64_t now = SystemNow();
  if (void (*hook)() = reference_hook_for_test.load(std::memory_order_relaxed)) hook();
  const uint64_t after = __rdtsc();
  if (consistent && after >= before && after - before <= kMaxPairTicks) {
    Renew(a, now, before + (after - before) / 2);
  }
  return now;
#else
  return SystemNow();
#endif
}

}  // namespace arbiter::internal
