// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Permitted tools must answer exactly what AuthorizeTool answers for each
// candidate, including where the class shortcut (one decision per group of
// look-alike tools) must not apply: tools named by a policy, by an entity,
// or by the request's context.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "arbiter/arbiter.h"
#include "tests/bundle_test_util.h"
#include "tests/bundle_workload.h"
#include "tools/workload.h"

namespace arbiter {
namespace {

using testing::TempBundle;

// The candidates AuthorizeTool allows, one call each.
std::vector<uint32_t> OneByOne(const Bundle& b, const Request& req,
                               const std::vector<std::string_view>& tools) {
  std::vector<uint32_t> out;
  Response r;
  for (size_t i = 0; i < tools.size(); ++i) {
    b.AuthorizeTool(tools[i], req, &r);
    if (r.decision == Decision::kAllow) out.push_back(static_cast<uint32_t>(i));
  }
  return out;
}

TEST_CASE("permitted: equals AuthorizeTool per candidate on agents-1000", "[permitted]") {
  const auto dir = testing::WorkloadDir(1000);
  if (!std::filesystem::exists(dir / "policies.cedar")) {
    WARN("agents-1000 not found; skipped");
    return;
  }
  TempBundle t;
  auto b = Bundle::Load(t.Write("arbiter.yaml", testing::WorkloadBundleYaml(dir)));
  REQUIRE(b.ok());
  auto w = workload::Load(dir);
  REQUIRE(w.ok());
  const std::vector<std::string> names = testing::CandidateTools();
  REQUIRE(names.size() == 100);
  std::vector<std::string_view> tools(names.begin(), names.end());
  std::vector<uint32_t> got;
  size_t allowed = 0, checked = 0;
  for (size_t i = 0; i < w->requests.size(); i += 3) {
    const Request& req = w->requests[i];
    (*b)->PermittedTools(req, tools, &got);
    const std::vector<uint32_t> want = OneByOne(**b, req, tools);
    if (got != want) FAIL("request " << i << ": permitted tools differ");
    allowed += got.size();
    ++checked;
  }
  CHECK(checked > 600);
  // The comparison means something only if both answers occur.
  CHECK(allowed > 0);
  CHECK(allowed < checked * tools.size());
}

// Two runtime tools in one class, one of them named somewhere.
constexpr char kEntities[] = R"([
  {"uid": {"type": "Action", "id": "read_tools"}, "attrs": {}, "parents": []},
  {"uid": {"type": "Agent", "id": "bot"}, "attrs": {
     "favorite": {"__entity": {"type": "Action", "id": "t.fav"}}}, "parents": []}
])";

std::shared_ptr<const Bundle> Load(const TempBundle& t, const std::string& policies) {
  t.Write("p.cedar", policies);
  t.Write("e.json", kEntities);
  auto b = Bundle::Load(t.Write("arbiter.yaml",
      "policies: p.cedar\nentities: e.json\ntools:\n  rules:\n"
      "    - match: '^t\\.'\n      actions: [read_tools]\n"));
  if (!b.ok()) FAIL(b.status().message());
  return *b;
}

const std::vector<std::string_view> kTools = {"t.a", "t.special", "t.b", "t.fav",
                                              "t.ctx", "x.unclassified", "t.c"};

Request Bot(Value context = Value::Record({})) {
  Request r;
  r.principal = EntityUid::Of("Agent", "bot");
  r.resource = EntityUid::Of("Doc", "d");
  r.context = std::move(context);
  return r;
}

TEST_CASE("permitted: a tool named in a policy is decided on its own", "[permitted]") {
  TempBundle t;
  auto b = Load(t,
      "permit (principal, action in Action::\"read_tools\", resource);\n"
      "forbid (principal, action, resource) when { action == Action::\"t.special\" };\n");
  std::vector<uint32_t> got;
  for (int round = 0; round < 2; ++round) {  // cold, then cached
    b->PermittedTools(Bot(), kTools, &got);
    CHECK(got == OneByOne(*b, Bot(), kTools));
    CHECK(got == std::vector<uint32_t>{0, 2, 3, 4, 6});
  }
}

TEST_CASE("permitted: a tool named by an entity is decided on its own", "[permitted]") {
  TempBundle t;
  auto b = Load(t,
      "permit (principal, action, resource) when { principal.favorite == action };\n");
  std::vector<uint32_t> got;
  b->PermittedTools(Bot(), kTools, &got);
  CHECK(got == OneByOne(*b, Bot(), kTools));
  CHECK(got == std::vector<uint32_t>{3});
}

TEST_CASE("permitted: a tool named by the context is decided on its own", "[permitted]") {
  TempBundle t;
  auto b = Load(t,
      "permit (principal, action, resource) when { context.allowed.contains(action) };\n");
  const Value ctx = Value::Record({{Symbol::Intern("allowed"),
      Value::Set({Value::Entity(EntityUid::Of("Action", "t.ctx"))})}});
  std::vector<uint32_t> got;
  b->PermittedTools(Bot(ctx), kTools, &got);
  CHECK(got == OneByOne(*b, Bot(ctx), kTools));
  CHECK(got == std::vector<uint32_t>{4});
}

TEST_CASE("permitted: declared and classified look-alikes share answers", "[permitted]") {
  TempBundle t;
  auto b = Load(t, "permit (principal, action in Action::\"read_tools\", resource) "
                   "when { context.ok };\n");
  const Value yes = Value::Record({{Symbol::Intern("ok"), Value::Bool(true)}});
  const Value no = Value::Record({{Symbol::Intern("ok"), Value::Bool(false)}});
  std::vector<uint32_t> got;
  b->PermittedTools(Bot(yes), kTools, &got);
  CHECK(got == OneByOne(*b, Bot(yes), kTools));
  CHECK(got.size() == 6);
  // A class answer from one call must not leak into the next.
  b->PermittedTools(Bot(no), kTools, &got);
  CHECK(got.empty());
  CHECK(b->PermittedTools(Bot(yes), std::vector<std::string>{"x.y", "t.z"}) ==
        std::vector<std::string>{"t.z"});
}

}  // namespace
}  // namespace arbiter
