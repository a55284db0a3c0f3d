// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Counts heap allocations made by Authorize on the agent workloads, with the
// counting operator new of tests/counting_allocator.h. A decision on the
// common path must not allocate once the Response's buffers have grown, and
// neither may a guarded call once the thread's buffers have.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "arbiter/arbiter.h"
#include "tools/workload.h"

#include "tests/counting_allocator.h"

namespace arbiter {
namespace {

std::filesystem::path WorkloadsRoot() {
  return std::filesystem::path(ARBITER_SOURCE_DIR) / ".." / "shared" / "workloads";
}

// Whether the shared workloads are there; says so in the test's output
// when they are not (the test then checks nothing).
bool WorkloadsPresent() {
  const std::filesystem::path root = WorkloadsRoot();
  if (std::filesystem::exists(root)) return true;
  WARN("workloads not found at " << root.string() << "; skipped");
  return false;
}

struct DecisionCounts {
  size_t decisions = 0, with_errors = 0, allocating = 0;
};

// Decides every request twice: once to warm up (the response's buffers and
// the thread's candidate list reach their final capacity), then counting
// the decisions that allocated and those that reported policy errors.
// With `bound`, decides on the policy set bound to the store instead (as
// Engine does).
DecisionCounts CountAllocations(const workload::Workload& w,
                                const std::vector<Request>& requests,
                                const BoundPolicySet* bound = nullptr) {
  Response response;
  auto decide = [&](const Request& r) {
    if (bound != nullptr) {
      Authorize(*bound, r, &response);
    } else {
      Authorize(*w.policies, *w.entities, r, &response);
    }
  };
  for (const Request& r : requests) decide(r);
  DecisionCounts c;
  for (const Request& r : requests) {
    allocations = 0;
    counting = true;
    decide(r);
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

TEST_CASE("allocation: the counter sees over-aligned and nothrow allocations",
          "[allocation]") {
  struct alignas(64) Line {
    unsigned char bytes[64];
  };
  counting = true;
  allocations = 0;
  Line* one = new Line;
  Line* many = new Line[3];
  int* quiet = new (std::nothrow) int(7);
  asm volatile("" : : "g"(one), "g"(many), "g"(quiet) : "memory");
  counting = false;
  CHECK(allocations == 3);
  CHECK(reinterpret_cast<uintptr_t>(one) % 64 == 0);
  CHECK(reinterpret_cast<uintptr_t>(many) % 64 == 0);
  delete one;
  delete[] many;
  delete quiet;
}

TEST_CASE("allocation: workload decisions allocate nothing, errors included",
          "[allocation][workload]") {
  if (!WorkloadsPresent()) return;
  const std::filesystem::path root = WorkloadsRoot();
  for (const char* n : {"agents-10", "agents-100", "agents-1000", "agents-10000"}) {
    auto w = workload::Load(root / n);
    REQUIRE(w.ok());
    auto bound = BoundPolicySet::Bind(w->policies, w->entities);
    REQUIRE(bound.ok());
    for (const BoundPolicySet* b :
         {static_cast<const BoundPolicySet*>(nullptr), bound->get()}) {
      const DecisionCounts c = CountAllocations(*w, w->requests, b);
      const size_t decisions = c.decisions, with_errors = c.with_errors,
                   allocating = c.allocating;
      INFO(n << (b != nullptr ? " (bound)" : "") << ": " << decisions
             << " decisions, " << with_errors << " of them with policy errors, "
             << allocating << " allocated");
      CHECK(decisions == w->requests.size());
      // Policy errors are reported too (the unformatted common errors into
      // the response's reused message buffers), still without allocating.
      CHECK(with_errors > 0);
      CHECK(allocating == 0);
    }
  }
}

// The agent guard passes its task and delegation records as a context
// overlay. A policy that errors is evaluated again by the tree walker,
// which must read `context.x` through the overlay rather than build the
// merged context record (a copy of the whole context per such decision).
TEST_CASE("allocation: with a context overlay, errors allocate nothing",
          "[allocation][workload]") {
  if (!WorkloadsPresent()) return;
  const std::filesystem::path root = WorkloadsRoot();
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

// The whole guarded call on the common path: credential check, task
// record over the context, the decision, the task's chain and history, and
// a record copied into the file sink's queue. Once the thread's buffers
// and the task's history ring have grown, nothing is allocated, whether
// the credential is presented as text or in binary form (whose text the
// guard writes for the record).
TEST_CASE("allocation: a guarded call with every hook allocates nothing",
          "[allocation][workload]") {
  if (!WorkloadsPresent()) return;
  const std::filesystem::path root = WorkloadsRoot();
  auto w = workload::Load(root / "agents-1000");
  REQUIRE(w.ok());
  Engine engine(w->policies, w->entities);
  CredentialRegistry registry;
  const std::filesystem::path log =
      std::filesystem::temp_directory_path() /
      ("arbiter-allocation-" + std::to_string(::getpid()) + ".jsonl");
  auto sink = JsonlFileSink::Open(log.string());
  REQUIRE(sink.ok());
  TaskSpec spec;
  spec.id = "alloc-task";
  spec.objective = "count";
  spec.max_history = 64;
  Task task(spec);
  GuardOptions options;
  options.credentials = &registry;
  options.logger = sink->get();
  options.task_key = "agent_task";
  const Guard guard(&engine, options);
  const EntityUid all_tools = EntityUid::Of("Agents::Action", "all_tools");
  std::vector<std::string> credential;
  std::vector<CredentialId> binary;
  absl::flat_hash_map<EntityUid, std::string> by_principal;
  for (const Request& r : w->requests) {
    auto it = by_principal.find(r.principal);
    if (it == by_principal.end()) {
      auto id = registry.Issue({.task_id = "alloc-task",
                                .agent = r.principal,
                                .actions = {all_tools},
                                .ttl = std::chrono::hours(1)});
      REQUIRE(id.ok());
      it = by_principal.emplace(r.principal, *id).first;
    }
    credential.push_back(it->second);
    binary.push_back(*CredentialId::Parse(it->second));
  }
  GuardResponse response;
  auto call = [&](size_t i) {
    // Even requests present the text, odd ones the binary form.
    if (i % 2 == 0) {
      guard.Authorize(w->requests[i], {.task = &task, .credential_id = credential[i]},
                      &response);
    } else {
      guard.Authorize(w->requests[i], {.task = &task, .credential = binary[i]},
                      &response);
    }
  };
  for (size_t i = 0; i < w->requests.size(); ++i) call(i);  // warm-up
  size_t allocating = 0, allowed = 0, valid = 0;
  for (size_t i = 0; i < w->requests.size(); ++i) {
    allocations = 0;
    counting = true;
    call(i);
    counting = false;
    if (allocations != 0) ++allocating;
    if (response.decision == Decision::kAllow) ++allowed;
    if (response.credential == CredentialStatus::kValid) ++valid;
  }
  INFO(allowed << " allowed, " << valid << " with a valid credential, "
               << allocating << " allocated");
  CHECK(valid == w->requests.size());
  CHECK(allowed > 0);  // the chain and history were written to
  CHECK(allocating == 0);
  REQUIRE((*sink)->Close().ok());
  std::filesystem::remove(log);
}

}  // namespace
}  // namespace arbiter
