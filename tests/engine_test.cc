// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Engine: snapshots swapped while other threads decide. Every response must
// come wholly from one snapshot (its reasons name that snapshot's policy),
// and ids must stay readable after later swaps. Run under ThreadSanitizer
// by the `concurrency_tsan` test (see tests/CMakeLists.txt).

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "arbiter/arbiter.h"
#include "src/index/index_binding.h"

namespace arbiter {
namespace {

std::shared_ptr<const PolicySet> OnePolicy(const std::string& id,
                                           const std::string& text) {
  PolicySetBuilder b;
  REQUIRE(b.AddPolicy(id, text).ok());
  auto set = b.Build();
  REQUIRE(set.ok());
  return *set;
}

Request SomeRequest() {
  Request r;
  r.principal = EntityUid::Of("User", "alice");
  r.action = EntityUid::Of("Action", "read");
  r.resource = EntityUid::Of("Doc", "d");
  return r;
}

TEST_CASE("engine: decides on the installed snapshot", "[engine]") {
  Engine engine(OnePolicy("allow-all", "permit(principal, action, resource);"),
                Entities::Empty());
  Response r;
  engine.Authorize(SomeRequest(), &r);
  CHECK(r.decision == Decision::kAllow);
  REQUIRE(r.reasons.size() == 1);
  CHECK(r.reasons[0] == "allow-all");

  engine.SetPolicies(OnePolicy("deny-all", "forbid(principal, action, resource);"));
  engine.Authorize(SomeRequest(), &r);
  CHECK(r.decision == Decision::kDeny);
  REQUIRE(r.reasons.size() == 1);
  CHECK(r.reasons[0] == "deny-all");
}

// Denies every action unevaluated: the resolver's answer, not a policy's.
class DenyAllActions final : public ActionResolver {
 public:
  const Entities* EntitiesFor(const EntityUid&) const override {
    return nullptr;
  }
  uint64_t revision() const override { return 7; }
};

TEST_CASE(
    "engine: a resolver given at construction decides from the first call",
    "[engine]") {
  auto policies =
      OnePolicy("allow-all", "permit(principal, action, resource);");
  Engine plain(policies, Entities::Empty());
  const uint64_t before = plain.snapshot()->revision;
  auto resolver = std::make_shared<const DenyAllActions>();
  Engine engine(policies, Entities::Empty(), EngineOptions{}, resolver);
  // Construction installs one snapshot, resolver included.
  CHECK(engine.snapshot()->revision == before + 1);
  CHECK(engine.snapshot()->actions == resolver);
  Response r;
  engine.Authorize(SomeRequest(), &r);
  CHECK(r.decision == Decision::kDeny);
  CHECK(r.reasons.empty());
  plain.Authorize(SomeRequest(), &r);
  CHECK(r.decision == Decision::kAllow);
}

// Each swap binds the new pair (BoundPolicySet): group membership comes
// from the store installed with it, never from an earlier one's binding.
TEST_CASE("engine: every snapshot is bound to its own policies and store",
          "[engine]") {
  auto store = [](const char* group) {
    std::string json = R"([{"uid": {"type": "User", "id": "alice"}, "attrs": {},
        "parents": [{"type": "Group", "id": ")";
    json.append(group).append(R"("}]}])");
    auto e = Entities::FromJson(json);
    REQUIRE(e.ok());
    return *e;
  };
  Engine engine(
      OnePolicy("g", R"(permit(principal in Group::"g", action, resource);)"),
      store("g"));
  auto check_bound = [&] {
    auto snap = engine.snapshot();
    REQUIRE(snap->bound != nullptr);
    CHECK(&snap->bound->policies() == snap->policies.get());
    CHECK(&snap->bound->entities() == snap->entities.get());
  };
  Response r;
  engine.Authorize(SomeRequest(), &r);
  CHECK(r.decision == Decision::kAllow);
  check_bound();
  engine.SetEntities(store("h"));
  engine.Authorize(SomeRequest(), &r);
  CHECK(r.decision == Decision::kDeny);
  check_bound();
  engine.SetPolicies(
      OnePolicy("h", R"(permit(principal in Group::"h", action, resource);)"));
  engine.Authorize(SomeRequest(), &r);
  CHECK(r.decision == Decision::kAllow);
  REQUIRE(r.reasons.size() == 1);
  CHECK(r.reasons[0] == "h");
  check_bound();
}

// `alice` (no attributes) in Group::"g".
absl::StatusOr<std::shared_ptr<const Entities>> AliceInGroup() {
  return Entities::FromJson(R"([
    {"uid": {"type": "User", "id": "alice"}, "attrs": {},
     "parents": [{"type": "Group", "id": "g"}]},
    {"uid": {"type": "Group", "id": "g"}, "attrs": {}, "parents": []}
  ])");
}

// EngineOptions: binding off, or with limits that leave rows out, changes
// no answer; it only decides whether (and how much) each snapshot binds.
TEST_CASE("engine: options turn binding off or limit it", "[engine]") {
  auto entities = AliceInGroup();
  REQUIRE(entities.ok());
  auto policies =
      OnePolicy("g", R"(permit(principal in Group::"g", action, resource);)");
  EngineOptions off;
  off.bind = false;
  EngineOptions tight;
  tight.bind_options.max_row_items = 0;  // every non-empty row left out
  Engine bound(policies, *entities);
  Engine unbound(policies, *entities, off);
  Engine limited(policies, *entities, tight);
  REQUIRE(bound.snapshot()->bound != nullptr);
  CHECK(bound.snapshot()->bound->binding().num_left_out() == 0);
  CHECK(unbound.snapshot()->bound == nullptr);
  REQUIRE(limited.snapshot()->bound != nullptr);
  CHECK(limited.snapshot()->bound->binding().num_left_out() > 0);
  for (Engine* e : {&bound, &unbound, &limited}) {
    Response r;
    e->Authorize(SomeRequest(), &r);
    CHECK(r.decision == Decision::kAllow);
    REQUIRE(r.reasons.size() == 1);
    CHECK(r.reasons[0] == "g");
  }
  // The options hold for later swaps too.
  unbound.SetEntities(*entities);
  CHECK(unbound.snapshot()->bound == nullptr);
  limited.SetPolicies(policies);
  CHECK(limited.snapshot()->bound->binding().num_left_out() > 0);
}

// Ruling out (on by default) reaches Engine's bindings through
// EngineOptions::bind_options.
TEST_CASE("engine: options turn ruling out off", "[engine]") {
  auto entities = AliceInGroup();
  REQUIRE(entities.ok());
  // Neither `alice` nor the group itself (`g in g`) has `suspended`, so
  // both their rows leave out the second policy unless rule_out is off.
  auto two = PolicySet::Parse(R"(
    permit(principal in Group::"g", action, resource);
    forbid(principal in Group::"g", action, resource) when { principal has suspended };
  )");
  REQUIRE(two.ok());
  EngineOptions no_rule_out;
  no_rule_out.bind_options.rule_out = false;
  Engine ruling(*two, *entities);
  Engine not_ruling(*two, *entities, no_rule_out);
  CHECK(ruling.snapshot()->bound->binding().num_dropped() == 2);
  CHECK(not_ruling.snapshot()->bound->binding().num_dropped() == 0);
  for (Engine* e : {&ruling, &not_ruling}) {
    Response r;
    e->Authorize(SomeRequest(), &r);
    CHECK(r.decision == Decision::kAllow);
  }
}

TEST_CASE("engine: a response outlives the snapshot it came from", "[engine]") {
  Engine engine(OnePolicy("first", "permit(principal, action, resource);"),
                Entities::Empty());
  Response kept;
  engine.Authorize(SomeRequest(), &kept);
  for (int i = 0; i < 10; ++i) {
    engine.SetPolicies(OnePolicy("later" + std::to_string(i),
                                 "permit(principal, action, resource);"));
    Response r;
    engine.Authorize(SomeRequest(), &r);
  }
  REQUIRE(kept.reasons.size() == 1);
  CHECK(kept.reasons[0] == "first");  // still readable: kept alive
}

TEST_CASE("engine: concurrent decisions during swaps", "[engine][stress]") {
  auto allow = OnePolicy("allow-all", "permit(principal, action, resource);");
  auto deny = OnePolicy("deny-all", "forbid(principal, action, resource);");
  Engine engine(allow, Entities::Empty());
  std::atomic<bool> stop{false};
  std::atomic<size_t> torn{0}, decisions{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 3; ++t) {
    workers.emplace_back([&] {
      Response r;
      const Request req = SomeRequest();
      while (!stop.load(std::memory_order_relaxed)) {
        engine.Authorize(req, &r);
        const bool ok =
            r.reasons.size() == 1 &&
            ((r.decision == Decision::kAllow && r.reasons[0] == "allow-all") ||
             (r.decision == Decision::kDeny && r.reasons[0] == "deny-all"));
        if (!ok) torn.fetch_add(1);
        decisions.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  // Keep swapping until the workers have decided a good number of times
  // too: on a loaded machine they may not even start during 2000 swaps.
  for (int i = 0; i < 2000 || decisions.load() < 3000; ++i) {
    engine.SetPolicies(i % 2 ? allow : deny);
    if (i % 100 == 0) std::this_thread::yield();
  }
  stop = true;
  for (auto& w : workers) w.join();
  CHECK(torn.load() == 0);
  CHECK(decisions.load() > 0);
}

}  // namespace
}  // namespace arbiter
