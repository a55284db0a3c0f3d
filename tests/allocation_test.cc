// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Counts heap allocations made by Authorize on the agent workloads, with a
// replaced global operator new that counts only while a thread-local switch
// is on (so Catch2 and the loader are not counted). A decision on the common
// path must not allocate once the Response's buffers have grown.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <new>

#include "arbiter/arbiter.h"
#include "tools/workload.h"

namespace {
thread_local bool counting = false;
thread_local size_t allocations = 0;
}  // namespace

void* operator new(std::size_t n) {
  if (counting) ++allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (counting) ++allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
// GCC 12 takes std::free here for a mismatch with operator new, not
// knowing that the replaced operator new above allocates with malloc.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace arbiter {
namespace {

std::filesystem::path WorkloadsRoot() {
  return std::filesystem::path(ARBITER_SOURCE_DIR) / ".." / "shared" / "workloads";
}

struct DecisionCounts {
  size_t decisions = 0, with_errors = 0, allocating = 0;
};

// Decides every request twice: once to warm up (the response's buffers and
// the thread's candidate list reach their final capacity), then counting
// the decisions that allocated and those that reported policy errors.
DecisionCounts CountAllocations(const workload::Workload& w,
                                const std::vector<Request>& requests) {
  Response response;
  for (const Request& r : requests) Authorize(*w.policies, *w.entities, r, &response);
  DecisionCounts c;
  for (const Request& r : requests) {
    allocations = 0;
    counting = true;
    Authorize(*w.policies, *w.entities, r, &response);
    counting = false;
    ++c.decisions;
    if (!response.errors.empty()) ++c.with_errors;
    if (allocations != 0) ++c.allocating;
  }
  return c;
}

TEST_CASE("allocation: the counter sees allocations", "[allocation]") {
  counting = true;
  allocations = 0;
  auto* v = new std::vector<int>(100);
  // Keep the compiler from eliding the allocation.
  asm volatile("" : : "g"(v) : "memory");
  counting = false;
  delete v;
  CHECK(allocations >= 1);
}

TEST_CASE("allocation: workload decisions allocate nothing, errors included",
          "[allocation][workload]") {
  const std::filesystem::path root = WorkloadsRoot();
  if (!std::filesystem::exists(root)) {
    WARN("workloads not found at " << root.string() << "; skipped");
    return;
  }
  for (const char* n : {"agents-10", "agents-100", "agents-1000", "agents-10000"}) {
    auto w = workload::Load(root / n);
    REQUIRE(w.ok());
    const DecisionCounts c = CountAllocations(*w, w->requests);
    const size_t decisions = c.decisions, with_errors = c.with_errors,
                 allocating = c.allocating;
    INFO(n << ": " << decisions << " decisions, " << with_errors
           << " of them with policy errors, " << allocating << " allocated");
    CHECK(decisions == w->requests.size());
    // Policy errors are reported too (the unformatted common errors into
    // the response's reused message buffers), still without allocating.
    CHECK(with_errors > 0);
    CHECK(allocating == 0);
  }
}

// The agent guard passes its task and delegation records as a context
// overlay. A policy that errors is evaluated again by the tree walker,
// which must read `context.x` through the overlay rather than build the
// merged context record (a copy of the whole context per such decision).
TEST_CASE("allocation: with a context overlay, errors allocate nothing",
          "[allocation][workload]") {
  const std::filesystem::path root = WorkloadsRoot();
  if (!std::filesystem::exists(root)) {
    WARN("workloads not found at " << root.string() << "; skipped");
    return;
  }
  auto w = workload::Load(root / "agents-1000");
  REQUIRE(w.ok());
  const RecordFields overlay{
      {Symbol::Intern("agent_task"),
       Value::Record({{Symbol::Intern("id"), Value::String("T-1")}})}};
  std::vector<Request> requests = w->requests;
  for (Request& r : requests) r.context_overlay = &overlay;
  const DecisionCounts c = CountAllocations(*w, requests);
  const size_t with_errors = c.with_errors, allocating = c.allocating;
  INFO(with_errors << " decisions with policy errors, " << allocating << " allocated");
  CHECK(with_errors > 0);
  CHECK(allocating == 0);
}

}  // namespace
}  // namespace arbiter
