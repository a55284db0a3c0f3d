// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Loading bundles: every error carries the file, line and column and names
// the key; a bundle that fails to load yields nothing.

#include <catch2/catch.hpp>

#include <string>

#include "arbiter/arbiter.h"
#include "tests/bundle_test_util.h"

namespace arbiter {
namespace {

using testing::TempBundle;

constexpr char kPolicy[] =
    "permit (principal, action in Action::\"read_tools\", resource);\n";
constexpr char kEntities[] = R"([
  {"uid": {"type": "Action", "id": "read_tools"}, "attrs": {}, "parents": []},
  {"uid": {"type": "Action", "id": "all_tools"}, "attrs": {}, "parents": []}
])";

// Loads `yaml` as arbiter.yaml next to a valid policy and entity file and
// returns the error message ("" when it loads).
std::string LoadError(const TempBundle& t, const std::string& yaml) {
  t.Write("p.cedar", kPolicy);
  t.Write("e.json", kEntities);
  auto b = Bundle::Load(t.Write("arbiter.yaml", yaml));
  return b.ok() ? "" : std::string(b.status().message());
}

TEST_CASE("bundle: a minimal bundle loads", "[bundle]") {
  TempBundle t;
  CHECK(LoadError(t, "policies: p.cedar\nentities: e.json\n") == "");
  auto b = Bundle::Load(t.Path("arbiter.yaml"));
  REQUIRE(b.ok());
  CHECK((*b)->policies()->size() == 1);
  CHECK((*b)->entities()->size() == 2);
  CHECK((*b)->tool_action_type().str() == "Action");
  CHECK((*b)->decision_log().sink == DecisionLogSink::kNone);
  CHECK((*b)->credentials().ttl == std::chrono::seconds(300));
  CHECK((*b)->files().size() == 3);
  CHECK((*b)->revision_hex().size() == 16);
}

TEST_CASE("bundle: unknown top-level key, located and named", "[bundle]") {
  TempBundle t;
  const std::string e = LoadError(t, "policies: p.cedar\npolcies: p.cedar\n");
  CHECK_THAT(e, Catch::Contains(t.Path("arbiter.yaml") + ":2:1: error: unknown key `polcies`"));
}

TEST_CASE("bundle: unknown nested key names its path", "[bundle]") {
  TempBundle t;
  const std::string e = LoadError(t,
      "policies: p.cedar\n"
      "entities: e.json\n"
      "tools:\n"
      "  rules:\n"
      "    - match: '^a'\n"
      "      actions: [read_tools]\n"
      "    - mach: '^b'\n"
      "      actions: [read_tools]\n");
  CHECK_THAT(e, Catch::Contains(":7:7: error: unknown key `tools.rules[1].mach`"));
  CHECK_THAT(e, Catch::Contains(":7:7: error: missing key `tools.rules[1].match`"));
}

TEST_CASE("bundle: missing policies", "[bundle]") {
  TempBundle t;
  CHECK_THAT(LoadError(t, "entities: e.json\n"),
             Catch::Contains(":1:1: error: missing key `policies`"));
  CHECK_THAT(LoadError(t, ""), Catch::Contains(":1:1: error: the bundle file is empty"));
}

TEST_CASE("bundle: YAML syntax error is located", "[bundle]") {
  TempBundle t;
  const std::string e = LoadError(t, "policies: [p.cedar\nschema: x\n");
  CHECK_THAT(e, Catch::Contains(t.Path("arbiter.yaml") + ":"));
  CHECK_THAT(e, Catch::Contains("error: invalid YAML"));
}

TEST_CASE("bundle: a glob matching nothing points at the entry", "[bundle]") {
  TempBundle t;
  const std::string e = LoadError(t, "policies:\n  - p.cedar\n  - extra/*.cedar\n");
  CHECK_THAT(e, Catch::Contains(":3:5: error: `policies` pattern `extra/*.cedar` matches no file"));
}

TEST_CASE("bundle: globs expand in sorted order", "[bundle]") {
  TempBundle t;
  t.Write("ps/b.cedar", "forbid (principal, action, resource);\n");
  t.Write("ps/a.cedar", "permit (principal, action, resource);\n");
  auto b = Bundle::Load(t.Write("arbiter.yaml", "policies: ps/*.cedar\n"));
  REQUIRE(b.ok());
  REQUIRE((*b)->policies()->size() == 2);
  CHECK_THAT((*b)->policies()->PolicyText(0), Catch::Contains("permit"));
}

TEST_CASE("bundle: a missing file points at the entry", "[bundle]") {
  TempBundle t;
  const std::string e = LoadError(t, "policies: p.cedar\nentities: [e.json, nope.json]\n");
  CHECK_THAT(e, Catch::Contains(":2:20: error: `entities`: cannot read `" + t.Path("nope.json") + "`"));
}

TEST_CASE("bundle: policy parse errors keep their own location", "[bundle]") {
  TempBundle t;
  t.Write("bad.cedar", "permit (principal, action, resource)\nwhen { 1 + };\n");
  const std::string e = LoadError(t, "policies: [p.cedar, bad.cedar]\n");
  CHECK_THAT(e, Catch::Contains(t.Path("bad.cedar") + ":2:"));
}

TEST_CASE("bundle: an invalid RE2 pattern points at the rule", "[bundle]") {
  TempBundle t;
  const std::string e = LoadError(t,
      "policies: p.cedar\nentities: e.json\ntools:\n  rules:\n"
      "    - match: '^github\\.(get'\n      actions: [read_tools]\n");
  CHECK_THAT(e, Catch::Contains(":5:14: error: `tools.rules` pattern `^github\\.(get` is not a valid RE2 pattern"));
}

TEST_CASE("bundle: an undeclared action group points at it", "[bundle]") {
  TempBundle t;
  const std::string e = LoadError(t,
      "policies: p.cedar\nentities: e.json\ntools:\n  rules:\n"
      "    - match: '^a'\n      actions: [read_tools, raed_tools]\n");
  CHECK_THAT(e, Catch::Contains(":6:29: error: `tools.rules[0].actions`: action group `Action::\"raed_tools\"` is not declared"));
}

TEST_CASE("bundle: full action uids are accepted as groups", "[bundle]") {
  TempBundle t;
  CHECK(LoadError(t,
      "policies: p.cedar\nentities: e.json\ntools:\n  rules:\n"
      "    - match: '^a'\n      actions: ['Action::\"read_tools\"']\n") == "");
}

TEST_CASE("bundle: bad settings values are located", "[bundle]") {
  TempBundle t;
  CHECK_THAT(LoadError(t, "policies: p.cedar\ndecision_log:\n  sink: kafka\n"),
             Catch::Contains(":3:9: error: `decision_log.sink` must be none, file or stderr, not `kafka`"));
  CHECK_THAT(LoadError(t, "policies: p.cedar\ndecision_log:\n  sink: file\n"),
             Catch::Contains(":3:9: error: `decision_log.sink` is file but `decision_log.path` is missing"));
  CHECK_THAT(LoadError(t, "policies: p.cedar\ncredentials:\n  ttl: 5 minutes\n"),
             Catch::Contains(":3:8: error: `credentials.ttl` must be a positive duration"));
  CHECK_THAT(LoadError(t, "policies: p.cedar\ncredentials:\n  required: yes\n"),
             Catch::Contains(":3:13: error: `credentials.required` must be true or false"));
  CHECK_THAT(LoadError(t, "policies: p.cedar\nversion: 2\n"),
             Catch::Contains(":2:10: error: `version` must be 1"));
  CHECK_THAT(LoadError(t, "policies: p.cedar\ntools:\n  action_type: 'not a type'\n"),
             Catch::Contains(":3:16: error: `tools.action_type` `not a type` is not an entity type name"));
  CHECK_THAT(LoadError(t, "policies: {a: b}\n"),
             Catch::Contains(":1:11: error: `policies` must be a string or a list of strings"));
}

TEST_CASE("bundle: duplicate keys are errors", "[bundle]") {
  TempBundle t;
  // yaml-cpp keeps both; the reader must not silently pick one.
  const std::string e = LoadError(t, "policies: p.cedar\nschema: a\nschema: b\n");
  CHECK_THAT(e, Catch::Contains(":3:1: error: duplicate key `schema`"));
}

TEST_CASE("bundle: every error is reported, not just the first", "[bundle]") {
  TempBundle t;
  const std::string e = LoadError(t,
      "policies: p.cedar\nfoo: 1\ndecision_log:\n  sink: kafka\n  bar: 2\n");
  CHECK_THAT(e, Catch::Contains(":2:1: error: unknown key `foo`"));
  CHECK_THAT(e, Catch::Contains(":4:9: error: `decision_log.sink`"));
  CHECK_THAT(e, Catch::Contains(":5:3: error: unknown key `decision_log.bar`"));
}

TEST_CASE("bundle: settings are read", "[bundle]") {
  TempBundle t;
  CHECK(LoadError(t,
      "policies: p.cedar\n"
      "decision_log:\n  sink: file\n  path: logs/d.jsonl\n  context_fields: [a, b]\n"
      "credentials:\n  ttl: 15m\n  required: true\n") == "");
  auto b = Bundle::Load(t.Path("arbiter.yaml"));
  REQUIRE(b.ok());
  CHECK((*b)->decision_log().sink == DecisionLogSink::kFile);
  CHECK((*b)->decision_log().path == t.Path("logs/d.jsonl"));
  CHECK((*b)->decision_log().context_fields == std::vector<std::string>{"a", "b"});
  CHECK_FALSE((*b)->decision_log().copies_whole_context());
  CHECK((*b)->credentials().ttl == std::chrono::minutes(15));
  CHECK((*b)->credentials().required);
}

TEST_CASE("bundle: policies are validated against the schema", "[bundle]") {
  TempBundle t;
  t.Write("s.cedarschema",
          "entity User;\naction read_tools;\naction view in [read_tools] "
          "appliesTo { principal: [User], resource: [User] };\n");
  t.Write("v.cedar", "permit (principal, action, resource) when { principal.nope };\n");
  const std::string e = LoadError(t, "policies: v.cedar\nschema: s.cedarschema\n");
  CHECK_THAT(e, Catch::Contains(t.Path("v.cedar") + ":1:"));
  CHECK_THAT(e, Catch::Contains("policy `policy0`"));
}

// A policy whose scope no action satisfies: an error by default (as in the
// conformance corpus's Cedar), a warning that lets the bundle load with
// BundleLoadOptions::validation (as in Cedar 4.13).
TEST_CASE("bundle: the validation options apply", "[bundle]") {
  TempBundle t;
  t.Write(
      "s.cedarschema",
      "entity User;\nentity Doc;\naction view appliesTo { principal: [User], "
      "resource: [Doc] };\n");
  t.Write(
      "v.cedar",
      "permit (principal, action == Action::\"view\", resource is User);\n");
  const std::string yaml =
      t.Write("arbiter.yaml", "policies: v.cedar\nschema: s.cedarschema\n");
  auto strict = Bundle::Load(yaml);
  REQUIRE_FALSE(strict.ok());
  CHECK_THAT(std::string(strict.status().message()),
             Catch::Contains("unable to find an applicable action"));
  BundleLoadOptions lenient;
  lenient.validation.impossible_policy_is_error = false;
  auto loaded = Bundle::Load(yaml, lenient);
  REQUIRE(loaded.ok());
  CHECK((*loaded)->policies()->size() == 1);
  // Other validation errors still fail the load.
  t.Write("v.cedar",
          "permit (principal, action, resource) when { principal.nope };\n");
  CHECK_FALSE(Bundle::Load(yaml, lenient).ok());
}

TEST_CASE("bundle: entity errors name the file", "[bundle]") {
  TempBundle t;
  t.Write("bad.json", "[{\"uid\": 3}]");
  const std::string e = LoadError(t, "policies: p.cedar\nentities: bad.json\n");
  CHECK_THAT(e, Catch::Contains(t.Path("bad.json") + ": error:"));
}

TEST_CASE("bundle: the revision follows the contents, not the path", "[bundle]") {
  TempBundle t;
  t.Write("p.cedar", kPolicy);
  auto a = Bundle::Load(t.Write("arbiter.yaml", "policies: p.cedar\n"));
  auto b = Bundle::Load(t.Path("./arbiter.yaml"));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK((*a)->revision() == (*b)->revision());
  t.Write("p.cedar", "forbid (principal, action, resource);\n");
  auto c = Bundle::Load(t.Path("arbiter.yaml"));
  REQUIRE(c.ok());
  CHECK((*c)->revision() != (*a)->revision());
}

TEST_CASE("bundle: the example bundle loads and lints clean", "[bundle]") {
  auto b = Bundle::Load(std::string(ARBITER_SOURCE_DIR) + "/examples/bundle/arbiter.yaml");
  REQUIRE(b.ok());
  CHECK((*b)->schema() != nullptr);
  CHECK((*b)->tool_rules().size() == 4);
  CHECK((*b)->UnreachableToolRules().empty());
  auto next = Bundle::Load(std::string(ARBITER_SOURCE_DIR) + "/examples/bundle/next/arbiter.yaml");
  REQUIRE(next.ok());
  CHECK((*next)->policies()->size() == (*b)->policies()->size() + 1);
}

}  // namespace
}  // namespace arbiter
