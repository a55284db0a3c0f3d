// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Replay: a log written by the guard through a bundle, replayed against a
// candidate bundle, must report exactly the decisions the candidate decides
// differently; the expected set is computed independently by running the
// same calls through a manager on the candidate.

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "arbiter/arbiter.h"
#include "tests/bundle_test_util.h"

namespace arbiter {
namespace {

using testing::TempBundle;

using testing::kReadWriteToolEntities;
const std::string kRulesV1 = std::string(testing::kReadWriteToolRules) +
                             "    - match: '^exp\\.'\n      actions: [read_tools]\n";
// The candidate no longer classifies experimental tools.
const std::string kRulesV2 = testing::kReadWriteToolRules;
constexpr char kLog[] = "decision_log:\n  sink: none\n  context_fields: ['*']\n";
constexpr char kPoliciesV1[] =
    "permit (principal, action in Action::\"read_tools\", resource);\n"
    "permit (principal, action in Action::\"write_tools\", resource) when { context.level >= 2 };\n"
    "forbid (principal == Agent::\"mallory\", action, resource);\n";
// Writes need level 3, and carol may no longer delegate anything.
constexpr char kPoliciesV2[] =
    "permit (principal, action in Action::\"read_tools\", resource);\n"
    "permit (principal, action in Action::\"write_tools\", resource) when { context.level >= 2 };\n"
    "forbid (principal == Agent::\"mallory\", action, resource);\n"
    "forbid (principal, action in Action::\"write_tools\", resource) when { context.level < 3 };\n"
    "forbid (principal == User::\"carol\", action, resource);\n";

struct Call {
  std::string tool;
  Request request;
  int delegation;  // -1 none, else index into the chains
  bool bogus_credential;
};

std::vector<Call> Calls() {
  std::vector<Call> calls;
  int k = 0;
  for (const char* agent : {"a", "mallory"}) {
    for (const char* tool : {"read.x", "write.y", "exp.z", "nope.w"}) {
      for (int level = 1; level <= 3; ++level) {
        for (int d = -1; d <= 1; ++d) {
          Request r;
          r.principal = EntityUid::Of("Agent", agent);
          r.resource = EntityUid::Of("Doc", "d");
          r.context = Value::Record({{Symbol::Intern("level"), Value::Long(level)}});
          calls.push_back({tool, r, d, (k++ % 17) == 5});
        }
      }
    }
  }
  return calls;
}

// Runs every call through a manager on `dir/name`; returns the decisions
// (and, with `sink`, logs them).
std::vector<GuardResponse> Run(const std::string& path, MemorySink* sink,
                               const std::vector<Call>& calls) {
  BundleManagerOptions o;
  o.logger = sink;
  auto m = BundleManager::Open(path, o);
  if (!m.ok()) FAIL(m.status().message());
  auto carol = Delegation::Of({EntityUid::Of("User", "carol")});
  auto dave = Delegation::Of({EntityUid::Of("User", "dave")});
  REQUIRE(carol.ok());
  REQUIRE(dave.ok());
  std::vector<GuardResponse> out;
  for (const Call& c : calls) {
    CallContext ctx;
    if (c.delegation == 0) ctx.delegation = &*carol;
    if (c.delegation == 1) ctx.delegation = &*dave;
    if (c.bogus_credential) ctx.credential_id = "00000000000000000000000000000000";
    GuardResponse g;
    (*m)->GuardTool(c.tool, c.request, ctx, &g);
    out.push_back(g);
  }
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

TEST_CASE("replay: finds exactly the decisions a change alters", "[replay]") {
  TempBundle t;
  t.Write("e.json", kReadWriteToolEntities);
  t.Write("p1.cedar", kPoliciesV1);
  t.Write("p2.cedar", kPoliciesV2);
  const std::string v1 = t.Write("v1.yaml", std::string("policies: p1.cedar\nentities: e.json\n") + kRulesV1 + kLog);
  const std::string v2 = t.Write("v2.yaml", std::string("policies: p2.cedar\nentities: e.json\n") + kRulesV2 + kLog);
  const std::vector<Call> calls = Calls();
  MemorySink sink;
  const std::vector<GuardResponse> before = Run(v1, &sink, calls);
  const std::vector<GuardResponse> after = Run(v2, nullptr, calls);
  const std::string log = Join(sink.lines());
  REQUIRE(sink.size() == calls.size());

  std::set<size_t> want;
  size_t credential = 0;
  for (size_t i = 0; i < calls.size(); ++i) {
    if (before[i].deny_kind == DenyKind::kCredential) {
      ++credential;
      continue;
    }
    if (before[i].decision != after[i].decision) want.insert(i + 1);
  }
  REQUIRE(credential > 0);
  REQUIRE(want.size() > 5);

  auto v2_bundle = Bundle::Load(v2);
  REQUIRE(v2_bundle.ok());
  auto report = Replay(**v2_bundle, log);
  REQUIRE(report.ok());
  CHECK(report->errors.empty());
  CHECK(report->records == calls.size());
  CHECK(report->skipped_credential == credential);
  CHECK(report->replayed == calls.size() - credential);
  std::set<size_t> got;
  for (const ReplayChange& c : report->changes) {
    got.insert(c.line);
    const size_t i = c.line - 1;
    CHECK(c.before == before[i].decision);
    CHECK(c.after == after[i].decision);
    std::vector<std::string> policies;
    for (auto id : after[i].core.reasons) policies.emplace_back(id);
    CHECK(c.after_policies == policies);
    CHECK(c.after_reason == after[i].DenyReason());
  }
  CHECK(got == want);
  CHECK(report->allow_to_deny + report->deny_to_allow == want.size());
  CHECK(report->unchanged == report->replayed - want.size());

  // Against the bundle that wrote the log, nothing changes.
  auto v1_bundle = Bundle::Load(v1);
  REQUIRE(v1_bundle.ok());
  auto same = Replay(**v1_bundle, log);
  REQUIRE(same.ok());
  CHECK(same->changes.empty());
  CHECK(same->unchanged == same->replayed);
}

TEST_CASE("replay: the logged context includes the task the guard added", "[replay]") {
  TempBundle t;
  t.Write("e.json", kReadWriteToolEntities);
  t.Write("p1.cedar", kPoliciesV1);
  // The candidate forbids a read once the task has called a write tool.
  t.Write("p3.cedar", std::string(kPoliciesV1) +
      "forbid (principal, action in Action::\"read_tools\", resource) "
      "when { context.task.chain.contains(Action::\"write.y\") };\n");
  const std::string v1 = t.Write("v1.yaml", std::string("policies: p1.cedar\nentities: e.json\n") + kRulesV1 + kLog);
  const std::string v3 = t.Write("v3.yaml", std::string("policies: p3.cedar\nentities: e.json\n") + kRulesV1 + kLog);
  MemorySink sink;
  BundleManagerOptions o;
  o.logger = &sink;
  auto m = BundleManager::Open(v1, o);
  REQUIRE(m.ok());
  Task task({.id = "t-1", .sensitivity = 1});
  Request r;
  r.principal = EntityUid::Of("Agent", "a");
  r.resource = EntityUid::Of("Doc", "d");
  r.context = Value::Record({{Symbol::Intern("level"), Value::Long(2)}});
  GuardResponse g;
  (*m)->GuardTool("read.x", r, {.task = &task}, &g);   // line 1: before any write
  (*m)->GuardTool("write.y", r, {.task = &task}, &g);  // line 2
  CHECK(g.decision == Decision::kAllow);
  (*m)->GuardTool("read.x", r, {.task = &task}, &g);   // line 3: after the write
  CHECK_THAT(sink.lines()[2], Catch::Contains("\"task\":{"));
  auto v3_bundle = Bundle::Load(v3);
  REQUIRE(v3_bundle.ok());
  auto report = Replay(**v3_bundle, Join(sink.lines()));
  REQUIRE(report.ok());
  REQUIRE(report->changes.size() == 1);
  CHECK(report->changes[0].line == 3);
  CHECK(report->changes[0].after_policies == std::vector<std::string>{"policy3"});
}

TEST_CASE("replay: bad lines are reported by number and skipped", "[replay]") {
  TempBundle t;
  t.Write("e.json", kReadWriteToolEntities);
  t.Write("p1.cedar", kPoliciesV1);
  const std::string v1 = t.Write("v1.yaml", std::string("policies: p1.cedar\nentities: e.json\n") + kRulesV1 + kLog);
  std::vector<Call> calls = Calls();
  calls.resize(3);
  MemorySink sink;
  Run(v1, &sink, calls);
  auto lines = sink.lines();
  std::string log = lines[0] + "\n{not json\n\n" + lines[1] + "\n" +
                    R"({"principal":"Agent::\"a\"","action":"Action::\"read.x\"","resource":"Doc::\"d\"","decision":"allow"})" +
                    "\n" + lines[2] + "\n";
  auto b = Bundle::Load(v1);
  REQUIRE(b.ok());
  auto report = Replay(**b, log);
  REQUIRE(report.ok());
  CHECK(report->replayed == 3);
  REQUIRE(report->errors.size() == 2);
  CHECK_THAT(report->errors[0], Catch::StartsWith("line 2: not a JSON object"));
  CHECK_THAT(report->errors[1], Catch::StartsWith("line 5: missing `context`"));
  CHECK_FALSE(Replay(**b, "garbage\n").ok());
}

}  // namespace
}  // namespace arbiter
