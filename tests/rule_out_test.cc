// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// RuleOut (src/eval/rule_out.h) and the binding rows it thins: a policy is
// ruled out for an entity only when that entity alone makes its
// conditions false without error, following Cedar's order of evaluation;
// and a binding that leaves such policies out answers exactly as the full
// scan, on its own store and on a store derived from it.

#include "src/eval/rule_out.h"

#include <catch2/catch.hpp>
#include <functional>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "arbiter/arbiter.h"
#include "src/authorize/authorize_view.h"
#include "src/eval/evaluator.h"
#include "src/index/index_binding.h"
#include "tests/response_test_util.h"

namespace arbiter {
namespace {

using testing::RequireSameResponse;
using testing::Unowned;

using internal::Var;

// `base` and one more user, `id` in Group `group` with trust 5: an entity
// a binding of `base` does not cover (a boss the base store lacks).
absl::StatusOr<std::shared_ptr<const Entities>> WithTrustedUser(
    std::shared_ptr<const Entities> base, const char* id, const char* group) {
  std::vector<Entity> extra(1);
  extra[0].uid = EntityUid::Of("User", id);
  extra[0].parents = {EntityUid::Of("Group", group)};
  extra[0].attrs = {{Symbol::Intern("trust"), Value::Long(5)}};
  return Entities::WithEntities(std::move(base), std::move(extra));
}

constexpr const char* kPolicies = R"(
  permit(principal, action, resource) when { principal.trust >= 3 && context.ok };
  permit(principal, action, resource) when { context.ok && principal.trust >= 3 };
  permit(principal, action, resource) when { principal.trust >= 3 || context.ok };
  forbid(principal, action, resource) unless { principal.suspended };
  permit(principal, action, resource) when { true } when { principal.suspended };
  permit(principal, action, resource) when { principal.nope == 1 && false };
  permit(principal, action, resource) when { principal.boss.trust < 3 };
  permit(principal, action, resource) when { principal in Group::"g" && context.ok };
  permit(principal, action, resource) when { if principal.suspended then context.ok else false };
  permit(principal, action, resource) when { principal.trust && true };
  permit(principal, action, resource) when { !(principal.trust < 3) };
  permit(principal, action, resource) when { principal.boss has trust };
  permit(principal, action, resource) when { resource.trust >= 3 };
  permit(principal, action, resource) when { principal == User::"high" };
  permit(principal, action, resource);
  permit(principal, action, resource) when { principal.trust };
  permit(principal, action, resource) when { resource == User::"high" };
  permit(principal, action, resource) when { (principal.trust >= 3 || context.ok) || !principal.suspended };
)";

constexpr const char* kEntities = R"([
  {"uid": {"type": "User", "id": "low"}, "parents": [],
   "attrs": {"trust": 1, "suspended": false,
             "boss": {"__entity": {"type": "User", "id": "high"}}}},
  {"uid": {"type": "User", "id": "high"}, "parents": [{"type": "Group", "id": "g"}],
   "attrs": {"trust": 5, "suspended": true,
             "boss": {"__entity": {"type": "User", "id": "ghost"}}}},
  {"uid": {"type": "Group", "id": "g"}, "parents": [], "attrs": {}}
])";

// RuledOut for policy `i` with `uid` as variable `var`.
bool RuledOutFor(const PolicySet& set, size_t i, const Entities& e,
                 const char* id, Var var = Var::kPrincipal) {
  Request r;
  r.principal = r.action = r.resource = EntityUid::Of("User", id);
  internal::Evaluator eval(e, r);
  return internal::RuledOut(set.policy(i), var, eval);
}

TEST_CASE("rule out: an entity's own false test, first in order",
          "[rule_out]") {
  auto set = PolicySet::Parse(kPolicies);
  REQUIRE(set.ok());
  auto entities = Entities::FromJson(kEntities);
  REQUIRE(entities.ok());
  const PolicySet& s = **set;
  const Entities& e = **entities;
  // What a slot's variable could settle at all (before evaluating).
  const std::vector<bool> may = {true,  false, true,  true, true,  true,
                                 false, true,  true,  true, true,  false,
                                 false, true,  false, true, false, true};
  REQUIRE(s.size() == may.size());
  for (size_t i = 0; i < may.size(); ++i) {
    INFO("policy" << i);
    CHECK(internal::MayRuleOut(s.policy(i), Var::kPrincipal) == may[i]);
  }
  CHECK(internal::MayRuleOut(s.policy(12), Var::kResource));

  // Settled false first: out.
  CHECK(RuledOutFor(s, 0, e, "low"));
  CHECK_FALSE(RuledOutFor(s, 0, e, "high"));  // true, then the context
  // The context comes first: it may raise an error.
  CHECK_FALSE(RuledOutFor(s, 1, e, "low"));
  // false || context.ok: up to the context.
  CHECK_FALSE(RuledOutFor(s, 2, e, "low"));
  CHECK_FALSE(RuledOutFor(s, 2, e, "high"));  // satisfied, not ruled out
  // `unless` negates.
  CHECK(RuledOutFor(s, 3, e, "high"));
  CHECK_FALSE(RuledOutFor(s, 3, e, "low"));
  // Conditions in order: a settled true one, then a false one.
  CHECK(RuledOutFor(s, 4, e, "low"));
  CHECK_FALSE(RuledOutFor(s, 4, e, "high"));
  // An error (a missing attribute) is reported, never ruled out.
  CHECK_FALSE(RuledOutFor(s, 5, e, "low"));
  // Another entity's data is not the entity's own: `low`'s boss has trust
  // 5, so the test is false, but it is left to the decision.
  CHECK_FALSE(RuledOutFor(s, 6, e, "low"));
  // `in` on the variable itself.
  CHECK(RuledOutFor(s, 7, e, "low"));
  CHECK_FALSE(RuledOutFor(s, 7, e, "high"));
  // `if`: the branch the settled condition picks.
  CHECK(RuledOutFor(s, 8, e, "low"));
  CHECK_FALSE(RuledOutFor(s, 8, e, "high"));
  // A long where `&&` needs a boolean: an error.
  CHECK_FALSE(RuledOutFor(s, 9, e, "low"));
  CHECK(RuledOutFor(s, 10, e, "low"));
  CHECK_FALSE(RuledOutFor(s, 10, e, "high"));
  // `has` on another entity.
  CHECK_FALSE(RuledOutFor(s, 11, e, "high"));
  // Another variable's test is not the principal's to settle; the
  // resource's is.
  CHECK_FALSE(RuledOutFor(s, 12, e, "low"));
  CHECK(RuledOutFor(s, 12, e, "low", Var::kResource));
  CHECK(RuledOutFor(s, 13, e, "low"));
  CHECK_FALSE(RuledOutFor(s, 13, e, "high"));
  CHECK_FALSE(RuledOutFor(s, 14, e, "low"));  // no conditions
  // A long as a condition: an error, though no operator raised it.
  CHECK_FALSE(RuledOutFor(s, 15, e, "low"));
  // Another variable, even compared without reading the store.
  CHECK_FALSE(RuledOutFor(s, 16, e, "low"));
  // `||` settled true on the left is true, whatever the right says.
  CHECK_FALSE(RuledOutFor(s, 17, e, "high"));
  CHECK_FALSE(RuledOutFor(s, 17, e, "low"));
}

// The same policies filed under the principal (so that they sit in the
// principal's row), decided bound, with and without ruling out, and by
// the full scan.
TEST_CASE("rule out: a binding leaves ruled-out policies out, same answers",
          "[rule_out]") {
  std::string text = kPolicies;
  // `principal,` -> `principal is User,`: filed under the type, in every
  // User's row.
  for (size_t at = 0;
       (at = text.find("(principal,", at)) != std::string::npos;) {
    text.replace(at, 11, "(principal is User,");
  }
  auto set = PolicySet::Parse(text);
  REQUIRE(set.ok());
  auto entities = Entities::FromJson(kEntities);
  REQUIRE(entities.ok());
  auto ruling = BoundPolicySet::Bind(Unowned(**set), Unowned(**entities));
  REQUIRE(ruling.ok());
  BindOptions off;
  off.rule_out = false;
  auto plain = BoundPolicySet::Bind(Unowned(**set), Unowned(**entities), off);
  REQUIRE(plain.ok());
  CHECK(plain->get()->binding().num_dropped() == 0);
  // By the cases above: for `low` policies 0, 4, 7, 8, 10, 13; for `high`
  // policy 3.
  CHECK(ruling->get()->binding().num_dropped() == 7);
  CHECK(ruling->get()->binding().num_items() + 7 ==
        plain->get()->binding().num_items());
  // The evaluation budget: with none, nothing is ruled out; with a few,
  // at most that many items, more with more.
  BindOptions none;
  none.max_rule_out_evaluations = 0;
  auto unevaluated =
      BoundPolicySet::Bind(Unowned(**set), Unowned(**entities), none);
  REQUIRE(unevaluated.ok());
  CHECK(unevaluated->get()->binding().num_dropped() == 0);
  size_t dropped_with_budget[6];
  for (size_t budget = 0; budget < 6; ++budget) {
    BindOptions some;
    some.max_rule_out_evaluations = budget;
    auto b = BoundPolicySet::Bind(Unowned(**set), Unowned(**entities), some);
    REQUIRE(b.ok());
    dropped_with_budget[budget] = b->get()->binding().num_dropped();
    CHECK(dropped_with_budget[budget] <= budget);
    if (budget > 0) {
      CHECK(dropped_with_budget[budget] >= dropped_with_budget[budget - 1]);
    }
  }

  AuthorizeOptions scan;
  scan.full_scan = true;
  int requests = 0;
  for (const char* p : {"low", "high", "ghost"}) {
    for (const char* res : {"low", "high"}) {
      for (int ctx = 0; ctx < 3; ++ctx) {
        Request r;
        r.principal = EntityUid::Of("User", p);
        r.action = EntityUid::Of("Action", "go");
        r.resource = EntityUid::Of("User", res);
        if (ctx < 2) {
          r.context =
              Value::Record({{Symbol::Intern("ok"), Value::Bool(ctx == 1)}});
        }  // else no `ok`: an error where it is read
        INFO(p << " " << res << " " << ctx);
        Response scanned = Authorize(**set, **entities, r, scan);
        Response a, b;
        Authorize(**ruling, r, &a);
        Authorize(**plain, r, &b);
        RequireSameResponse(a, scanned);
        RequireSameResponse(b, scanned);
        ++requests;
      }
    }
  }
  CHECK(requests == 18);
}

// A test of another entity is never settled, because a derived store may
// hold that entity where the bound store lacks it: `has` and `in` on a
// missing entity answer false there, true here.
TEST_CASE("rule out: a derived store's entities are never presumed absent",
          "[rule_out]") {
  auto set = PolicySet::Parse(R"(
    permit(principal == User::"u", action, resource) when { principal.boss has trust };
    permit(principal == User::"u", action, resource) when { principal.boss in Group::"g" };
    permit(principal == User::"u", action, resource) when { principal.trust > 3 };
  )");
  REQUIRE(set.ok());
  auto base = Entities::FromJson(R"([
    {"uid": {"type": "User", "id": "u"}, "parents": [],
     "attrs": {"trust": 1, "boss": {"__entity": {"type": "User", "id": "b"}}}},
    {"uid": {"type": "Group", "id": "g"}, "parents": [], "attrs": {}}
  ])");
  REQUIRE(base.ok());
  auto derived = WithTrustedUser(*base, "b", "g");
  REQUIRE(derived.ok());
  auto bound = BoundPolicySet::Bind(*set, *base);
  REQUIRE(bound.ok());
  // Only the third, `u`'s own trust, is ruled out.
  CHECK(bound->get()->binding().num_dropped() == 1);

  Request r;
  r.principal = EntityUid::Of("User", "u");
  r.action = EntityUid::Of("Action", "go");
  r.resource = EntityUid::Of("Doc", "d");
  AuthorizeOptions scan;
  scan.full_scan = true;
  Response scanned = Authorize(**set, **derived, r, scan);
  REQUIRE(scanned.decision == Decision::kAllow);
  REQUIRE(scanned.reasons.size() == 2);
  // The base store's binding deciding on the derived store, as an Engine
  // snapshot does with an action resolver's store.
  Response got;
  internal::AuthorizeView(**set, **derived, internal::RequestView::Of(r), &got,
                          {}, &bound->get()->binding());
  RequireSameResponse(got, scanned);
  // And on the base store itself, where `b` is missing: deny.
  Response on_base;
  Authorize(**bound, r, &on_base);
  CHECK(on_base.decision == Decision::kDeny);
  RequireSameResponse(on_base, Authorize(**set, **base, r, scan));
}

// Random conditions over principal, resource and context tests (each
// shape the rules above distinguish, with missing attributes, wrong types
// and a boss missing from the store), on random stores: a binding that
// rules policies out answers every request exactly as the full scan, on
// its own store and on a derived store that adds the missing boss.
TEST_CASE("rule out: random conditions, bound answers equal the scan's",
          "[rule_out]") {
  std::mt19937_64 rng(20261207);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const std::vector<std::string> atoms = {
      "principal.trust >= 3",
      "principal.trust < 2",
      "principal.suspended",
      "principal has trust",
      "principal in Group::\"g0\"",
      "principal == User::\"u1\"",
      "principal.trust == \"x\"",
      "principal.boss.trust > 2",
      "principal.boss has trust",
      "principal.boss in Group::\"g1\"",
      "resource.classification == \"public\"",
      "resource has classification",
      "[\"public\", \"secret\"].contains(resource.classification)",
      "context.ok",
      "context has ok",
      "context.n > 1",
      "true",
      "false"};
  // Built by appending, in order (the operands of `+` are evaluated in no
  // set order, and GCC 12 warns falsely on `"(" + std::string`).
  std::function<std::string(int)> expr = [&](int depth) -> std::string {
    const size_t k = depth == 0 ? 0 : pick(6);
    std::string out;
    // parts[0], a subexpression, parts[1], ..., a subexpression, the last.
    auto join = [&](std::initializer_list<const char*> parts) {
      const char* const* p = parts.begin();
      out += *p;
      for (++p; p != parts.end(); ++p) {
        out += expr(depth - 1);
        out += *p;
      }
    };
    if (k == 1) join({"(", " && ", ")"});
    if (k == 2) join({"(", " || ", ")"});
    if (k == 3) join({"!(", ")"});
    if (k == 4) join({"(if ", " then ", " else ", ")"});
    if (k == 0 || k > 4) out += atoms[pick(atoms.size())];
    return out;
  };
  const char* principals[] = {"principal", "principal is User",
                              "principal in Group::\"g0\"",
                              "principal in Group::\"g1\""};
  const char* resources[] = {"resource", "resource is Doc"};
  // A letter and a number, as an entity id.
  auto id = [](char letter, size_t n) {
    std::string s(1, letter);
    s += std::to_string(n);
    return s;
  };
  size_t dropped = 0;
  int decided = 0;
  for (int round = 0; round < 30; ++round) {
    std::string text;
    for (int i = 0; i < 10; ++i) {
      text += pick(3) == 0 ? "forbid(" : "permit(";
      text += principals[pick(4)];
      text += ", action, ";
      text += resources[pick(2)];
      text += ")";
      for (size_t c = 0, n = 1 + pick(2); c < n; ++c) {
        text += pick(3) == 0 ? " unless { " : " when { ";
        text += expr(static_cast<int>(pick(3)));
        text += " }";
      }
      text += ";\n";
    }
    INFO(text);
    auto set = PolicySet::Parse(text);
    REQUIRE(set.ok());
    // Users u0..u4 (u5, a boss, only in the derived store), two groups,
    // three docs; attributes missing, of the wrong type, or present.
    std::string json =
        R"([{"uid": {"type": "Group", "id": "g0"}, "parents": [], "attrs": {}},
      {"uid": {"type": "Group", "id": "g1"}, "parents": [], "attrs": {}})";
    for (int u = 0; u < 5; ++u) {
      std::string attrs;
      const size_t t = pick(4);
      if (t == 1) attrs += R"("trust": 1, )";
      if (t == 2) attrs += R"("trust": 4, )";
      if (t == 3) attrs += R"("trust": "x", )";
      const size_t sus = pick(3);
      if (sus == 1) attrs += R"("suspended": true, )";
      if (sus == 2) attrs += R"("suspended": 7, )";
      attrs += R"("boss": {"__entity": {"type": "User", "id": ")";
      attrs += id('u', pick(6));
      attrs += "\"}}";
      std::string parents;
      if (pick(2) == 0) parents += R"({"type": "Group", "id": "g0"})";
      if (pick(2) == 0) {
        if (!parents.empty()) parents += ", ";
        parents += R"({"type": "Group", "id": "g1"})";
      }
      json += R"(, {"uid": {"type": "User", "id": ")";
      json += id('u', u);
      json += R"("}, "parents": [)";
      json += parents;
      json += R"(], "attrs": {)";
      json += attrs;
      json += "}}";
    }
    const char* classes[] = {"", R"("classification": "public")",
                             R"("classification": "secret")",
                             R"("classification": 3)"};
    for (int d = 0; d < 3; ++d) {
      json += R"(, {"uid": {"type": "Doc", "id": ")";
      json += id('d', d);
      json += R"("}, "parents": [], "attrs": {)";
      json += classes[pick(4)];
      json += "}}";
    }
    json += "]";
    INFO(json);
    auto base = Entities::FromJson(json);
    REQUIRE(base.ok());
    auto derived = WithTrustedUser(*base, "u5", "g1");
    REQUIRE(derived.ok());
    auto bound = BoundPolicySet::Bind(*set, *base);
    REQUIRE(bound.ok());
    dropped += bound->get()->binding().num_dropped();
    AuthorizeOptions scan;
    scan.full_scan = true;
    for (int p = 0; p < 6; ++p) {
      for (int d = 0; d < 4; ++d) {
        for (int c = 0; c < 3; ++c) {
          Request r;
          r.principal = EntityUid::Of("User", id('u', p));
          r.action = EntityUid::Of("Action", "go");
          r.resource = EntityUid::Of("Doc", id('d', d));
          if (c < 2) {
            r.context =
                Value::Record({{Symbol::Intern("ok"), Value::Bool(c == 1)},
                               {Symbol::Intern("n"), Value::Long(c + 1)}});
          }
          INFO("u" << p << " d" << d << " context " << c);
          Response got, on_derived;
          Authorize(**bound, r, &got);
          RequireSameResponse(got, Authorize(**set, **base, r, scan));
          internal::AuthorizeView(**set, **derived,
                                  internal::RequestView::Of(r), &on_derived, {},
                                  &bound->get()->binding());
          RequireSameResponse(on_derived, Authorize(**set, **derived, r, scan));
          ++decided;
        }
      }
    }
  }
  CHECK(decided == 30 * 6 * 4 * 3);
  // The rounds do rule policies out (else this test would check nothing
  // of ruling out).
  CHECK(dropped > 30);
}

}  // namespace
}  // namespace arbiter
