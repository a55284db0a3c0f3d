// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Tool classification: runtime tool names get action entities with the
// rule's groups, existing policies apply to them at once, and a tool no rule
// matches is denied as unclassified, even under a catch-all permit.

#include <catch2/catch.hpp>

#include <string>

#include "arbiter/arbiter.h"
#include "tests/bundle_test_util.h"

namespace arbiter {
namespace {

using testing::TempBundle;

constexpr char kEntities[] = R"([
  {"uid": {"type": "Action", "id": "all_tools"}, "attrs": {}, "parents": []},
  {"uid": {"type": "Action", "id": "read_tools"}, "attrs": {},
   "parents": [{"type": "Action", "id": "all_tools"}]},
  {"uid": {"type": "Action", "id": "dangerous_tools"}, "attrs": {},
   "parents": [{"type": "Action", "id": "all_tools"}]},
  {"uid": {"type": "Action", "id": "github.declared"}, "attrs": {},
   "parents": [{"type": "Action", "id": "dangerous_tools"}]},
  {"uid": {"type": "Agent", "id": "bot"}, "attrs": {}, "parents": []}
])";

constexpr char kRules[] = R"(
tools:
  rules:
    - match: '^github\.(get|list)_'
      actions: [read_tools]
    - match: '^shell\.'
      actions: [dangerous_tools]
    - match: '^github\.'
      actions: [read_tools, dangerous_tools]
)";

std::shared_ptr<const Bundle> Load(const TempBundle& t, const std::string& policies,
                                   const std::string& extra_yaml = kRules,
                                   BundleLoadOptions options = {}) {
  t.Write("p.cedar", policies);
  t.Write("e.json", kEntities);
  auto b = Bundle::Load(
      t.Write("arbiter.yaml", "policies: p.cedar\nentities: e.json\n" + extra_yaml),
      options);
  if (!b.ok()) FAIL(b.status().message());
  return *b;
}

Request BotOn(const std::string& resource) {
  Request r;
  r.principal = EntityUid::Of("Agent", "bot");
  r.resource = EntityUid::Of("Repo", resource);
  return r;
}

TEST_CASE("tools: the first matching rule classifies", "[tool_rules]") {
  TempBundle t;
  auto b = Load(t, "permit (principal, action, resource);\n");
  ToolInfo read = b->ClassifyTool("github.get_issue");
  CHECK(read.resolution == ToolResolution::kClassified);
  CHECK(read.rule == 0);
  CHECK(read.action == EntityUid::Of("Action", "github.get_issue"));
  REQUIRE(read.groups.size() == 1);
  CHECK(read.groups[0] == EntityUid::Of("Action", "read_tools"));

  ToolInfo shell = b->ClassifyTool("shell.exec");
  CHECK(shell.resolution == ToolResolution::kClassified);
  CHECK(shell.rule == 1);

  ToolInfo push = b->ClassifyTool("github.push");
  CHECK(push.rule == 2);
  CHECK(push.groups.size() == 2);

  // A search, not a full match: a prefix in the middle does not count.
  CHECK(b->ClassifyTool("my.shell.exec").resolution == ToolResolution::kUnclassified);
}

TEST_CASE("tools: a declared action keeps its store parents", "[tool_rules]") {
  TempBundle t;
  auto b = Load(t, "permit (principal, action, resource);\n");
  // `^github\.` would make it a read tool; the store says otherwise.
  ToolInfo d = b->ClassifyTool("github.declared");
  CHECK(d.resolution == ToolResolution::kDeclared);
  REQUIRE(d.groups.size() == 1);
  CHECK(d.groups[0] == EntityUid::Of("Action", "dangerous_tools"));
}

TEST_CASE("tools: policies on groups apply to a new tool at once", "[tool_rules]") {
  TempBundle t;
  auto b = Load(t,
      "permit (principal, action in Action::\"read_tools\", resource);\n"
      "forbid (principal, action in Action::\"dangerous_tools\", resource);\n"
      "permit (principal, action in Action::\"all_tools\", resource) "
      "when { resource == Repo::\"sandbox\" };\n");
  Response r;
  CHECK(b->AuthorizeTool("github.list_repos", BotOn("x"), &r) ==
        ToolResolution::kClassified);
  CHECK(r.decision == Decision::kAllow);
  CHECK(r.reasons == std::vector<std::string_view>{"policy0"});

  b->AuthorizeTool("shell.rm", BotOn("x"), &r);
  CHECK(r.decision == Decision::kDeny);
  CHECK(r.reasons == std::vector<std::string_view>{"policy1"});

  // Groups are closed transitively: shell tools are under all_tools.
  b->AuthorizeTool("github.get_x", BotOn("sandbox"), &r);
  CHECK(r.reasons == std::vector<std::string_view>{"policy0", "policy2"});

  // The plain Authorize classifies an undeclared action of the tool type.
  Request req = BotOn("x");
  req.action = EntityUid::Of("Action", "github.list_orgs");
  CHECK(b->Authorize(req, &r) == ToolResolution::kClassified);
  CHECK(r.decision == Decision::kAllow);
}

TEST_CASE("tools: an unclassified tool is denied even under a catch-all permit", "[tool_rules]") {
  TempBundle t;
  auto b = Load(t, "permit (principal, action, resource);\n");
  Response r;
  r.reasons.push_back("stale");
  CHECK(b->AuthorizeTool("mystery.tool", BotOn("x"), &r) ==
        ToolResolution::kUnclassified);
  CHECK(r.decision == Decision::kDeny);
  CHECK(r.reasons.empty());
  CHECK(ToolResolutionName(ToolResolution::kUnclassified) == "unclassified tool");
  // Declared actions of other types are decided as they are.
  Request other = BotOn("x");
  other.action = EntityUid::Of("Other", "thing");
  CHECK(b->Authorize(other, &r) == ToolResolution::kDeclared);
  CHECK(r.decision == Decision::kAllow);
}

TEST_CASE("tools: an engine and a guard with the bundle resolve tools", "[tool_rules]") {
  TempBundle t;
  auto b = Load(t, "permit (principal, action, resource);\n");
  Engine engine(b->policies(), b->entities());
  engine.Swap(b->policies(), b->entities(), b);
  Request req = BotOn("x");
  req.action = b->ToolAction("shell.exec");
  Response r;
  engine.Authorize(req, &r);
  CHECK(r.decision == Decision::kAllow);
  req.action = b->ToolAction("mystery.tool");
  engine.Authorize(req, &r);
  CHECK(r.decision == Decision::kDeny);

  MemorySink sink;
  Guard guard(&engine, {.logger = &sink});
  GuardResponse g;
  guard.Authorize(req, {}, &g);
  CHECK(g.decision == Decision::kDeny);
  CHECK(g.deny_kind == DenyKind::kUnclassified);
  CHECK(g.DenyReason() == "unclassified tool");
  REQUIRE(sink.size() == 1);
  CHECK_THAT(sink.lines()[0], Catch::Contains("\"kind\":\"unclassified\""));
  CHECK_THAT(sink.lines()[0], Catch::Contains(b->revision_hex()));
}

TEST_CASE("tools: a credential for a group covers classified tools", "[tool_rules]") {
  TempBundle t;
  auto b = Load(t, "permit (principal, action, resource);\n");
  auto m = BundleManager::FromBundle(b);
  REQUIRE(m.ok());
  auto cred = (*m)->IssueCredential("t1", EntityUid::Of("Agent", "bot"),
                                    {EntityUid::Of("Action", "read_tools")});
  REQUIRE(cred.ok());
  Task task({.id = "t1"});
  GuardResponse g;
  (*m)->GuardTool("github.get_issue", BotOn("x"),
                  {.task = &task, .credential_id = *cred}, &g);
  CHECK(g.decision == Decision::kAllow);
  (*m)->GuardTool("shell.exec", BotOn("x"), {.task = &task, .credential_id = *cred}, &g);
  CHECK(g.decision == Decision::kDeny);
  CHECK(g.credential == CredentialStatus::kOutOfScope);
  // Not required by this bundle: a call without a credential is not checked.
  (*m)->GuardTool("shell.exec", BotOn("x"), {}, &g);
  CHECK(g.decision == Decision::kAllow);
}

TEST_CASE("tools: required credentials deny calls without one", "[tool_rules]") {
  TempBundle t;
  auto b = Load(t, "permit (principal, action, resource);\n",
                std::string(kRules) + "credentials:\n  required: true\n  ttl: 1h\n");
  auto m = BundleManager::FromBundle(b);
  REQUIRE(m.ok());
  GuardResponse g;
  (*m)->GuardTool("shell.exec", BotOn("x"), {}, &g);
  CHECK(g.decision == Decision::kDeny);
  CHECK(g.credential == CredentialStatus::kMissing);
  auto cred = (*m)->IssueCredential("t", EntityUid::Of("Agent", "bot"),
                                    {EntityUid::Of("Action", "all_tools")});
  REQUIRE(cred.ok());
  auto expires = (*m)->credentials().ExpiresAt(*cred);
  REQUIRE(expires.ok());
  const auto ttl = *expires - Clock::System()->Now();
  CHECK(ttl > std::chrono::minutes(59));
  CHECK(ttl <= std::chrono::minutes(60));
}

TEST_CASE("tools: past the cache limit new names fail closed", "[tool_rules]") {
  TempBundle t;
  BundleLoadOptions o;
  o.max_cached_tools = 2;
  auto b = Load(t, "permit (principal, action, resource);\n", kRules, o);
  CHECK(b->ClassifyTool("shell.a").resolution == ToolResolution::kClassified);
  CHECK(b->ClassifyTool("shell.b").resolution == ToolResolution::kClassified);
  CHECK(b->ClassifyTool("shell.c").resolution == ToolResolution::kUnclassified);
  CHECK(b->ClassifyTool("shell.a").resolution == ToolResolution::kClassified);
}

TEST_CASE("tools: unreachable rules are found only with proof", "[tool_rules]") {
  TempBundle t;
  auto b = Load(t, "permit (principal, action, resource);\n", R"(
tools:
  rules:
    - match: '^github\.'
      actions: [read_tools]
    - match: '^github\.get_'
      actions: [read_tools]
    - match: 'mcp'
      actions: [read_tools]
    - match: '^x\.mcp\.(a|b)'
      actions: [read_tools]
    - match: '^githu?b\.x'
      actions: [read_tools]
    - match: '^gh|^github\.y'
      actions: [read_tools]
    - match: '(?i)^GITHUB\.z'
      actions: [read_tools]
    - match: '^github\.'
      actions: [read_tools]
    - match: '.*'
      actions: [read_tools]
    - match: '^anything'
      actions: [read_tools]
)");
  auto dead = b->UnreachableToolRules();
  std::vector<size_t> rules;
  for (const auto& d : dead) rules.push_back(d.rule);
  // 1: prefix of rule 0; 3: contains `mcp`; 7: same text as 0; 9: after `.*`.
  CHECK(rules == std::vector<size_t>{1, 3, 7, 9});
  CHECK_THAT(dead[0].reason, Catch::Contains("matches every name beginning with `github.`"));
  CHECK_THAT(dead[3].reason, Catch::Contains("matches every tool name"));
}

TEST_CASE("entities: WithEntities overlays without copying the base", "[tool_rules]") {
  auto base = Entities::FromJson(kEntities);
  REQUIRE(base.ok());
  auto derived = Entities::WithEntities(
      *base, {Entity{EntityUid::Of("Action", "new"), {}, {EntityUid::Of("Action", "read_tools")}, {}}});
  REQUIRE(derived.ok());
  CHECK((*derived)->size() == (*base)->size() + 1);
  CHECK((*derived)->base() == base->get());
  CHECK((*derived)->IsIn(EntityUid::Of("Action", "new"), EntityUid::Of("Action", "all_tools")));
  CHECK((*derived)->Find(EntityUid::Of("Agent", "bot")) != nullptr);
  CHECK((*base)->Find(EntityUid::Of("Action", "new")) == nullptr);
  // An existing uid, or one a base entity already has as an ancestor.
  CHECK_FALSE(Entities::WithEntities(*base, {Entity{EntityUid::Of("Agent", "bot"), {}, {}, {}}}).ok());
  auto dangling = Entities::FromJson(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {},
      "parents": [{"type": "G", "id": "ghost"}]}])");
  REQUIRE(dangling.ok());
  auto under = Entities::WithEntities(*dangling, {Entity{EntityUid::Of("G", "ghost"), {}, {}, {}}});
  REQUIRE_FALSE(under.ok());
  CHECK_THAT(std::string(under.status().message()), Catch::Contains("as an ancestor"));
}

}  // namespace
}  // namespace arbiter
