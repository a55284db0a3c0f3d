// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The compiled conditions (src/eval/program.h) against the tree walker.
// The indexed path runs the program and the full scan the tree walker, so
// each case below authorizes both ways and requires identical responses,
// error messages included (a bailing program hands over to the tree walker,
// which must then word the error). The cases cover every instruction, the
// fused ones, short-circuits hiding errors, and the bail paths.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "arbiter/arbiter.h"
#include "src/eval/program.h"

namespace arbiter {
namespace {

constexpr char kEntities[] = R"([
  {"uid": {"type": "User", "id": "alice"},
   "attrs": {"level": 3, "name": "alice", "tags": ["a", "b"],
             "home": {"__extn": {"fn": "ip", "arg": "10.1.2.3"}},
             "manager": {"__entity": {"type": "User", "id": "bob"}},
             "ghost": {"__entity": {"type": "User", "id": "nobody"}},
             "profile": {"team": "red", "since": 2020},
             "budget": {"__extn": {"fn": "decimal", "arg": "12.5000"}}},
   "parents": [{"type": "Group", "id": "staff"}],
   "tags": {"env": "prod"}},
  {"uid": {"type": "User", "id": "bob"}, "attrs": {"level": 5},
   "parents": [{"type": "Group", "id": "admins"}]},
  {"uid": {"type": "Group", "id": "admins"}, "attrs": {}, "parents": [{"type": "Group", "id": "staff"}]},
  {"uid": {"type": "Group", "id": "staff"}, "attrs": {}, "parents": []},
  {"uid": {"type": "Doc", "id": "d1"}, "attrs": {"owner": {"__entity": {"type": "User", "id": "alice"}}, "class": "public"}, "parents": []}
])";

Request MakeRequest() {
  Request r;
  r.principal = EntityUid::Of("User", "alice");
  r.action = EntityUid::Of("Action", "read");
  r.resource = EntityUid::Of("Doc", "d1");
  r.context = *ValueFromJson(R"({
    "n": 7, "big": 9223372036854775807, "s": "INC-42", "flag": true,
    "list": ["x", "y"], "ids": [{"__entity": {"type": "Group", "id": "staff"}}],
    "ip": {"__extn": {"fn": "ip", "arg": "192.168.1.9"}},
    "when": {"__extn": {"fn": "datetime", "arg": "2026-01-02"}},
    "rec": {"inner": 1}
  })");
  return r;
}

struct Outcome {
  Response indexed, scanned;
};

// `clauses` is everything after the scope: `when { ... } unless { ... }`.
Outcome RunClauses(const std::string& clauses, bool expect_compiled = true) {
  const std::string text = "permit(principal, action, resource) " + clauses + ";";
  auto set = PolicySet::Parse(text);
  REQUIRE(set.ok());
  if (expect_compiled) {
    INFO("clauses: " << clauses);
    REQUIRE((*set)->program().compiled_count() == 1);
  }
  auto entities = Entities::FromJson(kEntities);
  REQUIRE(entities.ok());
  const Request r = MakeRequest();
  Outcome o;
  o.indexed = Authorize(**set, **entities, r);
  AuthorizeOptions scan;
  scan.full_scan = true;
  o.scanned = Authorize(**set, **entities, r, scan);
  INFO("clauses: " << clauses);
  REQUIRE(o.indexed.decision == o.scanned.decision);
  REQUIRE(o.indexed.reasons == o.scanned.reasons);
  REQUIRE(o.indexed.errors.size() == o.scanned.errors.size());
  for (size_t i = 0; i < o.indexed.errors.size(); ++i) {
    REQUIRE(o.indexed.errors[i].message == o.scanned.errors[i].message);
  }
  return o;
}

Outcome Run(const std::string& condition, bool expect_compiled = true) {
  return RunClauses("when { " + condition + " }", expect_compiled);
}

void ExpectAllow(const std::string& c) {
  INFO("condition: " << c);
  CHECK(Run(c).indexed.decision == Decision::kAllow);
}
void ExpectDeny(const std::string& c) {
  INFO("condition: " << c);
  Outcome o = Run(c);
  CHECK(o.indexed.decision == Decision::kDeny);
  CHECK(o.indexed.errors.empty());
}
void ExpectError(const std::string& c, const std::string& message_part,
                 bool expect_compiled = true) {
  INFO("condition: " << c);
  Outcome o = Run(c, expect_compiled);
  CHECK(o.indexed.decision == Decision::kDeny);
  REQUIRE(o.indexed.errors.size() == 1);
  CHECK(o.indexed.errors[0].message.find(message_part) != std::string::npos);
}

TEST_CASE("program: attribute access and comparisons", "[program]") {
  ExpectAllow("principal.level >= 3");
  ExpectDeny("principal.level > 3");
  ExpectAllow("principal.level < 4 && principal.level <= 3");
  ExpectAllow("principal.name == \"alice\"");
  ExpectAllow("principal.name != \"bob\"");
  ExpectAllow("context.n == 7 && context.s != \"x\"");
  ExpectAllow("principal.profile.team == \"red\"");
  ExpectAllow("resource.owner == principal");
  ExpectAllow("resource.owner.level == 3");
  ExpectAllow("principal.manager.level > principal.level");
  ExpectAllow("context.rec == {\"inner\": 1}");
  ExpectAllow("context.n + 1 == 8 && context.n - 10 == -3 && context.n * 2 == 14");
  ExpectAllow("-context.n == -7");
  ExpectAllow("principal.budget.greaterThan(decimal(\"1.0\"))");
  ExpectAllow("context.when < datetime(\"2027-01-01\")");
  // Two attributes compared: one fused instruction when both are longs,
  // the tree walker otherwise (datetimes compare too; strings err).
  ExpectAllow("principal.level < context.n && context.n >= principal.level");
  ExpectDeny("principal.level > context.n");
  ExpectAllow("context.when >= context.when && !(context.when < context.when)");
  ExpectAllow("context.n <= context.n && !(context.n < context.n)");
}

TEST_CASE("program: has, in, is, like, sets", "[program]") {
  ExpectAllow("principal has level && !(principal has missing)");
  ExpectAllow("context has n && !(context has nope)");
  ExpectAllow("principal.profile has team");
  ExpectDeny("principal.ghost has level");  // missing entity: false, no error
  ExpectAllow("principal in Group::\"staff\"");
  ExpectAllow("principal.manager in Group::\"admins\"");
  ExpectAllow("principal in context.ids");
  ExpectAllow("principal in [Group::\"admins\", Group::\"staff\"]");
  ExpectDeny("principal in Group::\"admins\"");
  ExpectAllow("principal is User && !(resource is User)");
  ExpectAllow("context.s like \"INC-*\"");
  ExpectDeny("context.s like \"TASK-*\"");
  ExpectAllow("principal.tags.contains(\"a\")");
  ExpectAllow("context.list.containsAll([\"x\"]) && context.list.containsAny([\"q\", \"y\"])");
  ExpectAllow("[\"x\", \"y\"].contains(if context.list.contains(\"x\") then \"x\" else \"z\")");
  ExpectAllow("!context.list.isEmpty()");
  ExpectAllow("context.ip.isInRange(ip(\"192.168.0.0/16\")) && !context.ip.isLoopback()");
  ExpectAllow("principal.home.isInRange(ip(\"10.0.0.0/8\"))");
  ExpectAllow("principal.hasTag(\"env\") && principal.getTag(\"env\") == \"prod\"");
  ExpectAllow("if context.flag then principal.level == 3 else false");
  ExpectDeny("if context.flag then false else principal.level == 3");
  ExpectAllow("context.flag || principal.nope");  // short-circuit hides the error
  ExpectDeny("!context.flag && principal.nope");
}

TEST_CASE("program: errors are those of the tree walker", "[program]") {
  ExpectError("principal.nope == 1", "does not have the attribute `nope`");
  ExpectError("principal.ghost.level == 1", "does not exist");
  ExpectError("context.nope", "record does not have the attribute");
  ExpectError("context.big + 1 == 0", "integer overflow");
  ExpectError("context.s > 1", "type error");
  ExpectError("context.n && true", "type error");
  ExpectError("true && context.n", "type error");
  ExpectError("context.n", "type error");
  ExpectError("context.n.isInRange(ip(\"1.2.3.4\"))", "type error");
  ExpectError("principal.nope.isInRange(ip(\"1.2.3.4\"))", "does not have the attribute");
  ExpectError("principal.level < context.s", "type error");
  ExpectError("principal.level <= context.nope", "record does not have the attribute");
  ExpectError("principal.nope >= context.n", "does not have the attribute `nope`");
  ExpectError("context.n like \"*\"", "type error");
  ExpectError("context.n in Group::\"staff\"", "type error");
  ExpectError("principal in [1]", "type error");
  ExpectError("principal.getTag(\"nope\") == 1", "does not have the tag");
  ExpectError("context.n.contains(1)", "type error");
  ExpectError("!context.n", "type error");
  ExpectError("if context.n then true else false", "type error");
  // A call with the wrong number of arguments is left to the tree walker
  // at compile time (the machine then need not check arity per call).
  ExpectError("decimal(\"1.0\", \"2.0\") == decimal(\"1.0\")",
              "wrong number of arguments", /*expect_compiled=*/false);
}

TEST_CASE("program: threaded short-circuits and fused conditions", "[program]") {
  // `&&`/`||` jumps that end in a `when`/`unless` fail the policy or skip
  // the clause directly, and tests apply the clause they end: short-circuit
  // taken and not, operands true, false and erroring, in both clauses, and
  // through `if`.
  struct Case {
    const char* clauses;
    Decision expected;
  };
  const Case cases[] = {
      {"when { principal.level >= 3 && principal.name != \"bob\" }", Decision::kAllow},
      {"when { principal.level >= 4 && principal.nope }", Decision::kDeny},
      {"unless { principal.level >= 4 || principal.name == \"bob\" }", Decision::kAllow},
      {"unless { principal.level >= 3 || principal.nope }", Decision::kDeny},
      {"unless { context.flag && principal.level == 2 }", Decision::kAllow},
      {"unless { !context.flag && principal.nope }", Decision::kAllow},
      {"when { (context.flag || principal.nope) && principal.level == 3 }", Decision::kAllow},
      {"when { (context.n == 8 || context.s like \"INC-*\") && context.list.contains(\"y\") }",
       Decision::kAllow},
      {"when { (context.n == 8 || context.s like \"X*\") && principal.nope }", Decision::kDeny},
      {"when { context.n == 7 && (context.s == \"no\" || principal.level > 2) }", Decision::kAllow},
      {"when { context.n == 7 && (context.s == \"no\" || principal.level > 3) }", Decision::kDeny},
      {"when { (context.n == 7 && context.flag) || principal.nope }", Decision::kAllow},
      {"unless { (context.n == 6 && principal.nope) || context.s == \"x\" }", Decision::kAllow},
      {"when { if context.flag then context.n == 7 else principal.nope }", Decision::kAllow},
      {"when { (if context.flag then principal.level else 0) == 3 }", Decision::kAllow},
      {"when { (if context.flag then 0 else principal.level) == 3 }", Decision::kDeny},
      {"when { context has n } when { context.n > 6 } unless { context.n > 7 }", Decision::kAllow},
      {"when { context has n } unless { context.n == 7 } when { principal.nope }", Decision::kDeny},
      {"when { principal in Group::\"staff\" && resource.owner == principal }", Decision::kAllow},
      {"when { context.list.containsAny([\"y\"]) && context.ip.isInRange(ip(\"192.168.0.0/16\")) }",
       Decision::kAllow},
      {"unless { context.ip.isInRange(ip(\"10.0.0.0/8\")) || resource.class == \"public\" }",
       Decision::kDeny},
      {"when { principal.level == 3 || principal.level.isInRange(ip(\"1.2.3.4\")) }",
       Decision::kAllow},
      {"when { principal.level <= context.n } unless { context.n < principal.level }",
       Decision::kAllow},
      {"unless { principal.level <= context.n }", Decision::kDeny},
      {"when { context.n > principal.level && principal.home.isInRange(ip(\"10.0.0.0/8\")) }",
       Decision::kAllow},
      {"unless { principal.home.isInRange(ip(\"10.1.0.0/16\")) }", Decision::kDeny},
      {"when { context.ip.isInRange(ip(\"10.0.0.0/8\")) || context.ip.isInRange(ip(\"192.168.0.0/16\")) }",
       Decision::kAllow},
      {"when { (principal.level - 1) * 2 >= context.n - 3 }", Decision::kAllow},
  };
  for (const Case& c : cases) {
    INFO("clauses: " << c.clauses);
    CHECK(RunClauses(c.clauses).indexed.decision == c.expected);
  }
  // The erroring cases report the tree walker's error.
  Outcome o = RunClauses("when { context.n == 7 && principal.nope == 1 }");
  REQUIRE(o.indexed.errors.size() == 1);
  o = RunClauses("unless { context.n == 8 || context.s > 1 }");
  REQUIRE(o.indexed.errors.size() == 1);
  CHECK(o.indexed.errors[0].message.find("type error") != std::string::npos);
}

// The ops of the first policy's compiled code, operand words included.
std::vector<internal::Op> OpsOf(const PolicySet& set) {
  const internal::Program& program = set.program();
  REQUIRE(program.entry(0) != internal::Program::kNotCompiled);
  std::vector<internal::Op> ops;
  for (uint32_t pc = program.entry(0);; ++pc) {
    ops.push_back(program.code()[pc].op);
    if (ops.back() == internal::Op::kSatisfied) break;
  }
  return ops;
}

TEST_CASE("program: `when { a && b }` runs as two tests, no jumps", "[program]") {
  auto set = PolicySet::Parse(
      "permit(principal, action, resource) when {\n"
      "  principal.level >= 3 && principal.name != \"bob\" };");
  REQUIRE(set.ok());
  const internal::Program& program = (*set)->program();
  const std::vector<internal::Op> ops = OpsOf(**set);
  using internal::Op;
  // Each fused `var.attr <op> literal` carries its literal in an operand
  // word and applies the `when` itself (the jump became that `when`).
  const std::vector<Op> expected = {Op::kVarAttrCmpLit, Op::kOperand, Op::kWhen,
                                    Op::kVarAttrEqLit,  Op::kOperand, Op::kWhen,
                                    Op::kSatisfied};
  CHECK(ops == expected);
  CHECK((program.code()[program.entry(0)].b & internal::kThenWhen) != 0);
  CHECK((program.code()[program.entry(0) + 3].b & internal::kThenWhen) != 0);
}

TEST_CASE("program: two attributes compared, and an attribute in a literal range, are one instruction each",
          "[program]") {
  auto set = PolicySet::Parse(
      "permit(principal, action, resource) when {\n"
      "  context.expires <= context.now || context.ip.isInRange(ip(\"10.0.0.0/8\")) }\n"
      "unless { principal.level > context.n };");
  REQUIRE(set.ok());
  using internal::Op;
  const std::vector<Op> expected = {
      Op::kVarAttrCmpVarAttr, Op::kOperand, Op::kSkipIf,
      Op::kVarAttrInRangeLit, Op::kOperand, Op::kWhen,
      Op::kVarAttrCmpVarAttr, Op::kOperand, Op::kUnless, Op::kSatisfied};
  CHECK(OpsOf(**set) == expected);
}

TEST_CASE("program: what stays on the tree walker still decides", "[program]") {
  // Sets and records built from run-time values would allocate, and
  // `is ... in ...` is rare in conditions: these are not compiled, and the
  // tree walker gives the answer.
  Outcome o = Run("[principal.level, 4].contains(3)", /*expect_compiled=*/false);
  CHECK(o.indexed.decision == Decision::kAllow);
  o = Run("{\"a\": principal.level}.a == 3", false);
  CHECK(o.indexed.decision == Decision::kAllow);
  o = Run("principal is User in Group::\"staff\"", false);
  CHECK(o.indexed.decision == Decision::kAllow);
  auto set = PolicySet::Parse(
      "permit(principal, action, resource) when { [principal.level].contains(3) };\n"
      "permit(principal, action, resource) when { principal.level == 3 };");
  REQUIRE(set.ok());
  CHECK((*set)->program().compiled_count() == 1);
  CHECK((*set)->program().entry(0) == internal::Program::kNotCompiled);
  CHECK((*set)->program().entry(1) != internal::Program::kNotCompiled);
}

TEST_CASE("program: policies with the same conditions share one code",
          "[program]") {
  // One policy per line; the scopes differ, which code never sees.
  const std::vector<std::string> policies = {
      // 0, 1: the same conditions, with a jump (`if`) and a pattern.
      "permit(principal == User::\"alice\", action, resource) when {\n"
      "  (if context.flag then principal.level else 0) >= 3 &&\n"
      "  context.s like \"INC-*\" };",
      "forbid(principal == User::\"bob\", action, resource) when {\n"
      "  (if context.flag then principal.level else 0) >= 3 &&\n"
      "  context.s like \"INC-*\" };",
      // 2: another literal; 3: another pattern; 4: `||` for `&&`.
      "permit(principal, action, resource) when {\n"
      "  (if context.flag then principal.level else 0) >= 4 &&\n"
      "  context.s like \"INC-*\" };",
      "permit(principal, action, resource) when {\n"
      "  (if context.flag then principal.level else 0) >= 3 &&\n"
      "  context.s like \"INC-9*\" };",
      "permit(principal, action, resource) when {\n"
      "  (if context.flag then principal.level else 0) >= 3 ||\n"
      "  context.s like \"INC-*\" };",
      // 5: a literal of another kind, equal as text.
      "permit(principal, action, resource) when { principal.level == 3 };",
      "permit(principal, action, resource) when { principal.level == \"3\" };",
      // 7: not compiled, after adding a pattern and a literal of its own,
      // which must leave with it: 8 and 9 add new ones in their places,
      // and 10, asking for "Q*" and "zzz" again, must not get those.
      "permit(principal, action, resource) when {\n"
      "  context.s like \"Q*\" && principal.name == \"zzz\" &&\n"
      "  [principal.level].contains(3) };",
      "permit(principal, action, resource) when { context.s like \"INC-4*\" };",
      "permit(principal, action, resource) when {\n"
      "  principal.name != \"alice\" };",
      "permit(principal, action, resource) when {\n"
      "  context.s like \"Q*\" || principal.name == \"zzz\" };",
      // 11: 4 again, placed after other code: its jumps are relative.
      "permit(principal, action, resource) when {\n"
      "  (if context.flag then principal.level else 0) >= 3 ||\n"
      "  context.s like \"INC-*\" };",
  };
  std::string text;
  for (const std::string& p : policies) text.append(p).append("\n");
  auto set = PolicySet::Parse(text);
  REQUIRE(set.ok());
  const internal::Program& program = (*set)->program();
  const auto entry = [&](size_t i) { return program.entry(i); };
  CHECK(entry(7) == internal::Program::kNotCompiled);
  CHECK(program.compiled_count() == policies.size() - 1);
  CHECK(entry(0) == entry(1));
  CHECK(entry(4) == entry(11));
  const std::vector<size_t> distinct = {0, 2, 3, 4, 5, 6, 8, 9, 10};
  for (size_t a : distinct) {
    for (size_t b : distinct) {
      INFO("policies " << a << " and " << b);
      if (a != b) CHECK(entry(a) != entry(b));
    }
  }
  // And each still decides as the tree walker does: alice (level 3, with
  // context.s "INC-42" and context.flag true) satisfies 0, 4, 5, 8, 11 and
  // no other. 10 would be satisfied if it read 8's pattern or 9's literal.
  // (Also under the sanitizers: a stale index would read past the end.)
  auto entities = Entities::FromJson(kEntities);
  REQUIRE(entities.ok());
  const Request r = MakeRequest();
  const Response indexed = Authorize(**set, **entities, r);
  AuthorizeOptions scan;
  scan.full_scan = true;
  const Response scanned = Authorize(**set, **entities, r, scan);
  const std::vector<std::string_view> expected = {
      "policy0", "policy4", "policy5", "policy8", "policy11"};
  CHECK(indexed.reasons == expected);
  CHECK(scanned.reasons == expected);
  CHECK(indexed.errors.empty());
}

TEST_CASE("program: deep conditions stay within the machine's stack", "[program]") {
  // Right-nested sums need one stack slot per level; beyond the machine's
  // depth the policy is left to the tree walker, with the same answer.
  std::string deep = "context.n";
  for (int i = 0; i < 40; ++i) deep = "(1 + " + deep + ")";
  Outcome o = Run(deep + " == 47", /*expect_compiled=*/false);
  CHECK(o.indexed.decision == Decision::kAllow);
  std::string shallow = "context.n";
  for (int i = 0; i < 10; ++i) shallow = "(1 + " + shallow + ")";
  o = Run(shallow + " == 17");
  CHECK(o.indexed.decision == Decision::kAllow);
}

TEST_CASE("program: a context overlay adds fields and wins on equal keys",
          "[program]") {
  auto set = PolicySet::Parse(R"(
    permit(principal, action, resource) when { context.task.id == "T-1" };
    permit(principal, action, resource) when { context has task && context.n == 7 };
    forbid(principal, action, resource) when { context.s == "INC-42" };
    permit(principal, action, resource) when { context == {"n": 7} };
  )");
  REQUIRE(set.ok());
  auto entities = Entities::FromJson(kEntities);
  REQUIRE(entities.ok());
  Request r = MakeRequest();
  RecordFields overlay{
      {Symbol::Intern("s"), Value::String("overridden")},
      {Symbol::Intern("task"),
       Value::Record({{Symbol::Intern("id"), Value::String("T-1")}})}};
  std::sort(overlay.begin(), overlay.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  auto both = [&](const Request& req) {
    Response indexed = Authorize(**set, **entities, req);
    AuthorizeOptions scan;
    scan.full_scan = true;
    Response scanned = Authorize(**set, **entities, req, scan);
    REQUIRE(indexed.decision == scanned.decision);
    REQUIRE(indexed.reasons == scanned.reasons);
    REQUIRE(indexed.errors.size() == scanned.errors.size());
    return indexed;
  };
  // Without the overlay: no `task` (policy0 errs), the forbid holds.
  Response plain = both(r);
  CHECK(plain.decision == Decision::kDeny);
  REQUIRE(plain.errors.size() == 1);
  CHECK(plain.errors[0].policy_id == "policy0");
  // With it: `task` is visible, `s` is the overlay's, and the whole
  // context (policy3) is the union, which is not `{"n": 7}`.
  r.context_overlay = &overlay;
  Response layered = both(r);
  CHECK(layered.decision == Decision::kAllow);
  CHECK(layered.errors.empty());
  CHECK(layered.reasons == std::vector<std::string_view>{"policy0", "policy1"});
  // The whole-context comparison sees the overlay too.
  RecordFields only_n{{Symbol::Intern("n"), Value::Long(7)}};
  Request bare;
  bare.principal = r.principal;
  bare.action = r.action;
  bare.resource = r.resource;
  bare.context_overlay = &only_n;
  Response whole = both(bare);
  CHECK(whole.reasons == std::vector<std::string_view>{"policy3"});
}

// Two policies on context field `key`: policy 2i holds when it equals
// `value`, policy 2i+1 when it is there (i counting calls).
void AppendKeyPolicies(const std::string& key, int value, std::string* out) {
  *out += "permit(principal, action, resource) when { context.";
  *out += key;
  *out += " == ";
  *out += std::to_string(value);
  *out += " };\n";
  *out += "permit(principal, action, resource) when { context has ";
  *out += key;
  *out += " };\n";
}

TEST_CASE("program: every field of a wide context is found, and no other",
          "[program]") {
  // 300 keys: more than the evaluator's 64 context slots (keys share
  // slots) and more than its positions reach (fields past 253 are found
  // by search). Policy 2i reads key i and checks its value, policy 2i+1
  // asks whether it is there; a field read from the wrong position, or
  // missed, or a key found that is not there, changes the answer. A wide
  // context has all of them; a narrow one only the first three, so that
  // most keys asked for fall in a slot that holds another key or none.
  constexpr int kKeys = 300;
  constexpr int kNarrow = 3;
  std::string policies;
  RecordFields wide, narrow;
  for (int i = 0; i < kKeys; ++i) {
    std::string key = "wide_";
    key += std::to_string(i);
    wide.emplace_back(Symbol::Intern(key), Value::Long(i));
    if (i < kNarrow) narrow.emplace_back(Symbol::Intern(key), Value::Long(i));
    AppendKeyPolicies(key, i, &policies);
  }
  auto set = PolicySet::Parse(policies);
  REQUIRE(set.ok());
  auto entities = Entities::FromJson(kEntities);
  REQUIRE(entities.ok());
  auto id = [](int i) { return std::string("policy") + std::to_string(i); };
  Request r = MakeRequest();
  for (bool full_scan : {false, true}) {
    AuthorizeOptions options;
    options.full_scan = full_scan;
    INFO("full scan: " << full_scan);
    r.context = Value::Record(wide);
    Response got = Authorize(**set, **entities, r, options);
    CHECK(got.reasons.size() == 2 * kKeys);
    CHECK(got.errors.empty());
    r.context = Value::Record(narrow);
    got = Authorize(**set, **entities, r, options);
    std::vector<std::string> want_reasons, got_reasons, got_errors;
    for (int i = 0; i < 2 * kNarrow; ++i) want_reasons.push_back(id(i));
    for (std::string_view s : got.reasons) got_reasons.emplace_back(s);
    CHECK(got_reasons == want_reasons);
    // Reading each absent key errs; asking for it does not.
    REQUIRE(got.errors.size() == kKeys - kNarrow);
    for (int i = kNarrow; i < kKeys; ++i) {
      CHECK(got.errors[i - kNarrow].policy_id == id(2 * i));
    }
  }
}

// The overlay marks its keys' slots for the search path; a field it
// replaces, one it adds and one it leaves must each read right, in a
// context wide enough that every slot is shared and in a narrow one.
TEST_CASE("program: an overlay over a wide or a narrow context is read first",
          "[program]") {
  constexpr int kKeys = 300;   // in the context
  constexpr int kExtra = 20;   // only in the overlay
  std::string policies;
  RecordFields context, overlay;
  for (int i = 0; i < kKeys + kExtra; ++i) {
    std::string key = "layer_";
    key += std::to_string(i);
    const Symbol sym = Symbol::Intern(key);
    if (i < kKeys) context.emplace_back(sym, Value::Long(i));
    // Every fifth context key replaced (by -1), and the extra keys added.
    if (i >= kKeys) overlay.emplace_back(sym, Value::Long(i));
    else if (i % 5 == 0) overlay.emplace_back(sym, Value::Long(-1));
    AppendKeyPolicies(key, i, &policies);
  }
  std::sort(overlay.begin(), overlay.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  auto set = PolicySet::Parse(policies);
  REQUIRE(set.ok());
  auto entities = Entities::FromJson(kEntities);
  REQUIRE(entities.ok());
  auto id = [](int i) { return std::string("policy") + std::to_string(i); };
  Request r = MakeRequest();
  r.context_overlay = &overlay;
  std::vector<std::string> want;
  for (int i = 0; i < kKeys + kExtra; ++i) {
    if (i >= kKeys || i % 5 != 0) want.push_back(id(2 * i));
    want.push_back(id(2 * i + 1));
  }
  // A narrow context (three keys, most slots free) under the same overlay:
  // the overlay's keys must be found in slots the context leaves empty,
  // and layer_0 read from the overlay although its slot holds a position.
  constexpr int kNarrow = 3;
  const RecordFields narrow(context.begin(), context.begin() + kNarrow);
  std::vector<std::string> want_narrow, want_errors;
  for (int i = 0; i < kKeys + kExtra; ++i) {
    const bool replaced = i < kKeys && i % 5 == 0;
    const bool present = i < kNarrow || replaced || i >= kKeys;
    if (present && !replaced) want_narrow.push_back(id(2 * i));
    if (present) want_narrow.push_back(id(2 * i + 1));
    if (!present) want_errors.push_back(id(2 * i));
  }
  for (bool full_scan : {false, true}) {
    AuthorizeOptions options;
    options.full_scan = full_scan;
    INFO("full scan: " << full_scan);
    r.context = Value::Record(context);
    Response got = Authorize(**set, **entities, r, options);
    std::vector<std::string> got_reasons, got_errors;
    for (std::string_view s : got.reasons) got_reasons.emplace_back(s);
    CHECK(got_reasons == want);
    CHECK(got.errors.empty());
    r.context = Value::Record(narrow);
    got = Authorize(**set, **entities, r, options);
    got_reasons.clear();
    for (std::string_view s : got.reasons) got_reasons.emplace_back(s);
    for (const PolicyError& e : got.errors) got_errors.emplace_back(e.policy_id);
    CHECK(got_reasons == want_narrow);
    CHECK(got_errors == want_errors);
  }
}

TEST_CASE("EffectiveContext lays the overlay over the context", "[program]") {
  Request r;
  r.context = *ValueFromJson(R"({"a": 1, "b": 2})");
  // No overlay: the context itself.
  CHECK(EffectiveContext(r) == r.context);
  RecordFields overlay{{Symbol::Intern("b"), Value::Long(20)},
                       {Symbol::Intern("c"), Value::Long(30)}};
  r.context_overlay = &overlay;
  CHECK(EffectiveContext(r) == *ValueFromJson(R"({"a": 1, "b": 20, "c": 30})"));
  // A context that is not a record is returned as is (policies reading it
  // raise the type error the evaluator words).
  r.context = Value::Long(5);
  CHECK(EffectiveContext(r) == Value::Long(5));
}

}  // namespace
}  // namespace arbiter
