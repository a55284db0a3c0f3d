// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Hot reload: bundles swapped while other threads decide. Every answer must
// come wholly from the bundle the call reports (no torn state), a response
// from an old bundle stays readable after later swaps, a bundle that fails
// to load never replaces the one in use, and the decision log records the
// new revision from the first call after the swap. Run under ThreadSanitizer
// by the `concurrency_tsan` test (tests/CMakeLists.txt).

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "arbiter/arbiter.h"
#include "tests/bundle_test_util.h"

namespace arbiter {
namespace {

using testing::TempBundle;

using testing::kReadWriteToolEntities;
const std::string kYaml =
    std::string("policies: p.cedar\nentities: e.json\n") + testing::kReadWriteToolRules;

// Version A allows read tools (one policy); version B forbids them (two
// policies, the forbid second). A torn answer would mix them.
constexpr char kPoliciesA[] =
    "permit (principal, action in Action::\"read_tools\", resource);\n";
constexpr char kPoliciesB[] =
    "permit (principal, action in Action::\"read_tools\", resource);\n"
    "forbid (principal, action in Action::\"read_tools\", resource);\n";

Request Req() {
  Request r;
  r.principal = EntityUid::Of("Agent", "a");
  r.resource = EntityUid::Of("Doc", "d");
  return r;
}

// The bundle every test starts from: version A's policies with the tool
// rules and entities above.
void WriteVersionA(TempBundle& t) {
  t.Write("e.json", kReadWriteToolEntities);
  t.Write("p.cedar", kPoliciesA);
  t.Write("arbiter.yaml", kYaml);
}

TEST_CASE("reload: concurrent decisions see whole bundles", "[bundle_reload]") {
  TempBundle t;
  WriteVersionA(t);
  auto m = BundleManager::Open(t.Path("arbiter.yaml"));
  REQUIRE(m.ok());
  BundleManager& manager = **m;

  // A response from the first bundle, kept across every later swap.
  Response kept;
  BundleDecision first = manager.AuthorizeTool("read.x", Req(), &kept);
  REQUIRE(kept.decision == Decision::kAllow);
  const uint64_t rev_a = first.bundle->revision();

  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::atomic<long> calls{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] {
      Response r;
      std::vector<uint32_t> permitted;
      const std::vector<std::string_view> tools = {"read.a", "write.b", "nope"};
      while (!stop.load()) {
        const std::string tool = "read.t" + std::to_string(i) + "_" +
                                 std::to_string(calls.load() % 50);
        BundleDecision d = manager.AuthorizeTool(tool, Req(), &r);
        const bool is_a = d.bundle->policies()->size() == 1;
        const bool ok = is_a ? (r.decision == Decision::kAllow && r.reasons.size() == 1 &&
                                r.reasons[0] == "policy0")
                             : (r.decision == Decision::kDeny && r.reasons.size() == 1 &&
                                r.reasons[0] == "policy1");
        if (!ok || d.resolution != ToolResolution::kClassified) bad.fetch_add(1);
        std::shared_ptr<const Bundle> b = manager.PermittedTools(Req(), tools, &permitted);
        const bool p_ok = b->policies()->size() == 1
                              ? permitted == std::vector<uint32_t>{0}
                              : permitted.empty();
        if (!p_ok) bad.fetch_add(1);
        calls.fetch_add(1);
      }
    });
  }
  int installed = 0;
  for (int i = 0; i < 40; ++i) {
    t.Write("p.cedar", i % 2 == 0 ? kPoliciesB : kPoliciesA);
    REQUIRE(manager.Reload().ok());
    ++installed;
    if (i == 20) {
      // A broken bundle is refused; the one in use stays.
      const uint64_t before = manager.current()->revision();
      t.Write("p.cedar", "permit (principal, action, resource) when {");
      CHECK_FALSE(manager.Reload().ok());
      CHECK(manager.current()->revision() == before);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // Let every thread decide at least once on the last bundle.
  const long target = calls.load() + 30;
  while (calls.load() < target) std::this_thread::yield();
  stop = true;
  for (auto& th : threads) th.join();
  CHECK(bad.load() == 0);
  CHECK(calls.load() > 0);
  CHECK(manager.installs() == static_cast<uint64_t>(installed));
  // The old response still reads its policy ids (the old bundle is alive).
  REQUIRE(kept.reasons.size() == 1);
  CHECK(kept.reasons[0] == "policy0");
  CHECK(first.bundle->revision() == rev_a);
}

TEST_CASE("reload: the log records the new revision from the first call", "[bundle_reload]") {
  TempBundle t;
  WriteVersionA(t);
  MemorySink sink;
  BundleManagerOptions o;
  o.logger = &sink;
  auto m = BundleManager::Open(t.Path("arbiter.yaml"), o);
  REQUIRE(m.ok());
  GuardResponse g;
  (*m)->GuardTool("read.x", Req(), {}, &g);
  const std::string rev_a = (*m)->current()->revision_hex();
  t.Write("p.cedar", kPoliciesB);
  REQUIRE((*m)->Reload().ok());
  const std::string rev_b = (*m)->current()->revision_hex();
  REQUIRE(rev_a != rev_b);
  (*m)->GuardTool("read.x", Req(), {}, &g);
  CHECK(g.decision == Decision::kDeny);
  const auto lines = sink.lines();
  REQUIRE(lines.size() == 2);
  CHECK_THAT(lines[0], Catch::Contains("\"policy_revision\":\"" + rev_a + "\""));
  CHECK_THAT(lines[1], Catch::Contains("\"policy_revision\":\"" + rev_b + "\""));
}

TEST_CASE("reload: log and credential settings cannot change", "[bundle_reload]") {
  TempBundle t;
  WriteVersionA(t);
  auto m = BundleManager::Open(t.Path("arbiter.yaml"));
  REQUIRE(m.ok());
  t.Write("arbiter.yaml", kYaml + "credentials:\n  required: true\n");
  absl::Status s = (*m)->Reload();
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK_FALSE((*m)->current()->credentials().required);
}

TEST_CASE("reload: the engine options apply to every bundle installed",
          "[bundle_reload]") {
  TempBundle t;
  for (bool bind : {true, false}) {
    CAPTURE(bind);
    WriteVersionA(t);
    BundleManagerOptions options;
    options.engine.bind = bind;
    // Revisions count snapshots across all engines: opening installs
    // exactly one (binding the bundle once).
    auto empty = PolicySetBuilder().Build();
    REQUIRE(empty.ok());
    const uint64_t before =
        Engine(*empty, Entities::Empty()).snapshot()->revision;
    auto m = BundleManager::Open(t.Path("arbiter.yaml"), options);
    REQUIRE(m.ok());
    CHECK((*m)->engine().snapshot()->revision == before + 1);
    // Bound snapshots carry their BoundPolicySet; unbound ones none.
    CHECK(((*m)->engine().snapshot()->bound != nullptr) == bind);
    Response r;
    (*m)->AuthorizeTool("read.x", Req(), &r);
    CHECK(r.decision == Decision::kAllow);

    t.Write("p.cedar", kPoliciesB);
    REQUIRE((*m)->Reload().ok());
    CHECK(((*m)->engine().snapshot()->bound != nullptr) == bind);
    (*m)->AuthorizeTool("read.x", Req(), &r);
    CHECK(r.decision == Decision::kDeny);
    CHECK(r.reasons.size() == 1);
  }
}

TEST_CASE("reload: the watcher reloads changed files", "[bundle_reload]") {
  TempBundle t;
  WriteVersionA(t);
  BundleManagerOptions o;
  o.watch = true;
  o.poll_interval = std::chrono::milliseconds(10);
  std::atomic<int> failures{0};
  o.on_reload = [&](const absl::Status& s) { if (!s.ok()) failures.fetch_add(1); };
  auto m = BundleManager::Open(t.Path("arbiter.yaml"), o);
  REQUIRE(m.ok());
  // mtimes may be coarse: make sure the new file differs in size too.
  t.Write("p.cedar", kPoliciesB);
  Response r;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((*m)->installs() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE((*m)->installs() >= 1);
  (*m)->AuthorizeTool("read.x", Req(), &r);
  CHECK(r.decision == Decision::kDeny);
  // A broken edit is reported and leaves the bundle in use.
  const uint64_t before = (*m)->installs();
  t.Write("p.cedar", "this is not cedar at all");
  const auto deadline2 = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (failures.load() == 0 && std::chrono::steady_clock::now() < deadline2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(failures.load() >= 1);
  CHECK((*m)->installs() == before);
  (*m)->AuthorizeTool("read.x", Req(), &r);
  CHECK(r.decision == Decision::kDeny);
}

}  // namespace
}  // namespace arbiter
