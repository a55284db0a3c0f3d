// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The decision: forbid overrides permit, the default is deny, the reasons
// are exactly the determining policies, an erroring policy is reported and
// never decides, templates are only evaluated once linked, scopes match
// through the entity hierarchy, and a Response is reusable across calls.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "absl/status/statusor.h"
#include "arbiter/arbiter.h"

namespace arbiter {
namespace {

using Catch::Contains;

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

constexpr std::string_view kEntities = R"([
  {"uid": {"type": "User", "id": "alice"}, "attrs": {"level": 3},
   "parents": [{"type": "Group", "id": "staff"}]},
  {"uid": {"type": "User", "id": "bob"}, "attrs": {"level": 1},
   "parents": []},
  {"uid": {"type": "Group", "id": "staff"}, "attrs": {},
   "parents": [{"type": "Group", "id": "everyone"}]},
  {"uid": {"type": "Action", "id": "view"}, "attrs": {},
   "parents": [{"type": "Action", "id": "read"}]},
  {"uid": {"type": "Action", "id": "edit"}, "attrs": {},
   "parents": [{"type": "Action", "id": "write"}]},
  {"uid": {"type": "Photo", "id": "p1"}, "attrs": {"public": true},
   "parents": [{"type": "Album", "id": "trip"}]},
  {"uid": {"type": "Photo", "id": "p2"}, "attrs": {"public": false},
   "parents": []}
])";

std::shared_ptr<const Entities> Store() {
  static const std::shared_ptr<const Entities> store = [] {
    auto s = Entities::FromJson(kEntities);
    INFO((s.ok() ? "" : Msg(s.status())));
    REQUIRE(s.ok());
    return *s;
  }();
  return store;
}

std::shared_ptr<const PolicySet> Policies(std::string_view text) {
  auto set = PolicySet::Parse(text);
  INFO("text: " << text);
  INFO("status: " << (set.ok() ? std::string() : Msg(set.status())));
  REQUIRE(set.ok());
  return *set;
}

Request Req(std::string_view principal, std::string_view action,
            std::string_view resource) {
  Request r;
  r.principal = EntityUid::Of("User", principal);
  r.action = EntityUid::Of("Action", action);
  r.resource = EntityUid::Of("Photo", resource);
  return r;
}

std::vector<std::string> Reasons(const Response& r) {
  return std::vector<std::string>(r.reasons.begin(), r.reasons.end());
}

std::vector<std::string> ErrorIds(const Response& r) {
  std::vector<std::string> ids;
  for (const PolicyError& e : r.errors) ids.emplace_back(e.policy_id);
  return ids;
}

using Ids = std::vector<std::string>;

TEST_CASE("authorizer: no policies is a default deny", "[authorizer]") {
  Response r = Authorize(*Policies(""), *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kDeny);
  CHECK(r.reasons.empty());
  CHECK(r.errors.empty());
  CHECK(DecisionName(r.decision) == "deny");
  CHECK(DecisionName(Decision::kAllow) == "allow");
}

TEST_CASE("authorizer: a satisfied permit allows", "[authorizer]") {
  auto set = Policies("permit(principal, action, resource);");
  Response r = Authorize(*set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kAllow);
  CHECK(Reasons(r) == Ids{"policy0"});
  CHECK(r.errors.empty());
}

TEST_CASE("authorizer: reasons on allow are exactly the satisfied permits",
          "[authorizer]") {
  auto set = Policies(
      "permit(principal, action, resource);\n"                          // 0
      "permit(principal == User::\"bob\", action, resource);\n"         // 1
      "permit(principal, action, resource) when { false };\n"           // 2
      "forbid(principal, action, resource) when { false };\n"           // 3
      "permit(principal in Group::\"everyone\", action, resource);\n"   // 4
      "forbid(principal == User::\"bob\", action, resource);\n"         // 5
      "permit(principal, action, resource) unless { false };\n");       // 6
  Response r = Authorize(*set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kAllow);
  CHECK(Reasons(r) == Ids{"policy0", "policy4", "policy6"});
  CHECK(r.errors.empty());
}

TEST_CASE("authorizer: forbid overrides permit and the forbids are the reasons",
          "[authorizer]") {
  auto set = Policies(
      "permit(principal, action, resource);\n"                        // 0
      "forbid(principal, action, resource) when { true };\n"          // 1
      "permit(principal in Group::\"staff\", action, resource);\n"    // 2
      "forbid(principal, action, resource) when { false };\n"         // 3
      "forbid(principal, action == Action::\"view\", resource);\n");  // 4
  Response r = Authorize(*set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kDeny);
  CHECK(Reasons(r) == Ids{"policy1", "policy4"});
  CHECK(r.errors.empty());
  // Order does not matter: a forbid before every permit also wins.
  auto set2 = Policies(
      "forbid(principal, action, resource);\n"
      "permit(principal, action, resource);\n");
  Response r2 = Authorize(*set2, *Store(), Req("alice", "view", "p1"));
  CHECK(r2.decision == Decision::kDeny);
  CHECK(Reasons(r2) == Ids{"policy0"});
}

TEST_CASE("authorizer: a forbid alone denies and is the reason",
          "[authorizer]") {
  auto set = Policies("forbid(principal, action, resource);");
  Response r = Authorize(*set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kDeny);
  CHECK(Reasons(r) == Ids{"policy0"});
}

TEST_CASE("authorizer: unsatisfied permits give a default deny with no reasons",
          "[authorizer]") {
  auto set = Policies(
      "permit(principal == User::\"bob\", action, resource);\n"
      "permit(principal, action, resource) when { principal.level > 5 };\n"
      "permit(principal, action, resource) unless { true };\n");
  Response r = Authorize(*set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kDeny);
  CHECK(r.reasons.empty());
  CHECK(r.errors.empty());
}

TEST_CASE("authorizer: an erroring permit is reported and does not allow",
          "[authorizer]") {
  auto set = Policies(
      "permit(principal, action, resource) when { principal.nope };\n"
      "permit(principal, action, resource) when { 1 + \"a\" == 2 };\n");
  Response r = Authorize(*set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kDeny);
  CHECK(r.reasons.empty());
  REQUIRE(ErrorIds(r) == Ids{"policy0", "policy1"});
  CHECK_THAT(r.errors[0].message, Contains("nope"));
  CHECK_THAT(r.errors[1].message, Contains("type error"));
}

TEST_CASE("authorizer: an erroring forbid does not deny", "[authorizer]") {
  auto set = Policies(
      "forbid(principal, action, resource) when { principal.nope };\n"   // 0
      "permit(principal, action, resource);\n"                           // 1
      "forbid(principal, action, resource) when { context.missing };\n"  // 2
      "forbid(principal, action, resource) when { 9223372036854775807 + 1 > 0 };\n");  // 3
  Response r = Authorize(*set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kAllow);
  CHECK(Reasons(r) == Ids{"policy1"});
  CHECK(ErrorIds(r) == Ids{"policy0", "policy2", "policy3"});
  CHECK_THAT(r.errors[2].message, Contains("overflow"));
}

TEST_CASE("authorizer: errors are reported even when a forbid decides",
          "[authorizer]") {
  auto set = Policies(
      "forbid(principal, action, resource);\n"                        // 0
      "permit(principal, action, resource) when { principal.nope };\n"  // 1
      "permit(principal, action, resource);\n");                       // 2
  Response r = Authorize(*set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kDeny);
  CHECK(Reasons(r) == Ids{"policy0"});
  CHECK(ErrorIds(r) == Ids{"policy1"});
}

TEST_CASE("authorizer: a non-boolean condition is an error", "[authorizer]") {
  auto set = Policies(
      "permit(principal, action, resource) when { 1 };\n"
      "forbid(principal, action, resource) unless { \"no\" };\n");
  Response r = Authorize(*set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kDeny);
  CHECK(r.reasons.empty());
  CHECK(ErrorIds(r) == Ids{"policy0", "policy1"});
}

TEST_CASE("authorizer: a scope mismatch hides errors in the conditions",
          "[authorizer]") {
  // The scope is tested first, so a condition that would fail is never run.
  auto set = Policies(
      "permit(principal == User::\"bob\", action, resource) when { principal.nope };\n"
      "forbid(principal, action == Action::\"edit\", resource) when { 1 + true };\n");
  Response r = Authorize(*set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kDeny);
  CHECK(r.errors.empty());
}

TEST_CASE("authorizer: conditions are tested in order and short-circuit",
          "[authorizer]") {
  auto set = Policies(
      // A false `when` before a failing one: not satisfied, no error.
      "permit(principal, action, resource) when { false } when { principal.nope };\n"
      // A true `unless` before a failing one: not satisfied, no error.
      "permit(principal, action, resource) unless { true } when { principal.nope };\n"
      // A failing condition after satisfied ones: an error.
      "permit(principal, action, resource) when { true } unless { principal.nope };\n"
      // Every clause satisfied.
      "permit(principal, action, resource) when { true } unless { false } when { principal.level == 3 };\n");
  Response r = Authorize(*set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kAllow);
  CHECK(Reasons(r) == Ids{"policy3"});
  CHECK(ErrorIds(r) == Ids{"policy2"});
}

TEST_CASE("authorizer: scope forms match through the hierarchy",
          "[authorizer]") {
  struct Case {
    std::string_view scope;
    bool alice_view_p1;
    bool bob_edit_p2;
  };
  const Case cases[] = {
      {"principal, action, resource", true, true},
      {"principal == User::\"alice\", action, resource", true, false},
      {"principal in Group::\"everyone\", action, resource", true, false},
      {"principal in User::\"bob\", action, resource", false, true},
      {"principal is User, action, resource", true, true},
      {"principal is Group, action, resource", false, false},
      {"principal is User in Group::\"staff\", action, resource", true, false},
      {"principal is Group in Group::\"staff\", action, resource", false, false},
      {"principal, action == Action::\"view\", resource", true, false},
      {"principal, action in Action::\"read\", resource", true, false},
      {"principal, action in Action::\"write\", resource", false, true},
      {"principal, action in [Action::\"read\", Action::\"write\"], resource", true, true},
      {"principal, action in [Action::\"other\"], resource", false, false},
      {"principal, action, resource == Photo::\"p2\"", false, true},
      {"principal, action, resource in Album::\"trip\"", true, false},
      {"principal, action, resource is Photo", true, true},
      {"principal, action, resource is Photo in Album::\"trip\"", true, false},
      {"principal, action, resource is Album", false, false},
  };
  for (const Case& c : cases) {
    std::string text = "permit(" + std::string(c.scope) + ");";
    INFO("policy: " << text);
    auto set = Policies(text);
    CHECK((Authorize(*set, *Store(), Req("alice", "view", "p1")).decision ==
           Decision::kAllow) == c.alice_view_p1);
    CHECK((Authorize(*set, *Store(), Req("bob", "edit", "p2")).decision ==
           Decision::kAllow) == c.bob_edit_p2);
  }
}

TEST_CASE("authorizer: requests for entities missing from the store",
          "[authorizer]") {
  auto set = Policies(
      "permit(principal == User::\"ghost\", action, resource);\n"
      "permit(principal in Group::\"staff\", action, resource);\n"
      "permit(principal, action, resource) when { principal has level };\n"
      "permit(principal, action, resource) when { principal.level > 0 };\n");
  Response r = Authorize(*set, *Store(), Req("ghost", "view", "p1"));
  CHECK(r.decision == Decision::kAllow);
  CHECK(Reasons(r) == Ids{"policy0"});
  REQUIRE(ErrorIds(r) == Ids{"policy3"});
  CHECK_THAT(r.errors[0].message, Contains("does not exist"));
}

TEST_CASE("authorizer: context is visible to conditions", "[authorizer]") {
  auto set = Policies(
      "permit(principal, action, resource) when { context.ok && context.n > 2 };");
  Request req = Req("alice", "view", "p1");
  auto ctx = ValueFromJson(R"({"ok": true, "n": 3})");
  REQUIRE(ctx.ok());
  req.context = *ctx;
  CHECK(Authorize(*set, *Store(), req).decision == Decision::kAllow);
  ctx = ValueFromJson(R"({"ok": true, "n": 1})");
  REQUIRE(ctx.ok());
  req.context = *ctx;
  CHECK(Authorize(*set, *Store(), req).decision == Decision::kDeny);
  // An empty context: the attribute access errs.
  Response r = Authorize(*set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kDeny);
  CHECK(ErrorIds(r) == Ids{"policy0"});
}

TEST_CASE("authorizer: templates are not evaluated, linked policies are",
          "[authorizer]") {
  PolicySetBuilder b;
  REQUIRE(b.AddPolicy("t", "permit(principal == ?principal, action, resource);").ok());
  REQUIRE(b.AddPolicy("tf", "forbid(principal, action, resource in ?resource) "
                            "when { principal.nope };").ok());
  {
    auto set = b.Build();
    REQUIRE(set.ok());
    // The templates match nothing and raise nothing.
    Response r = Authorize(**set, *Store(), Req("alice", "view", "p1"));
    CHECK(r.decision == Decision::kDeny);
    CHECK(r.reasons.empty());
    CHECK(r.errors.empty());
  }
  SlotValues alice;
  alice.principal = EntityUid::Of("User", "alice");
  REQUIRE(b.Link("t", "alice-may", alice).ok());
  auto set = b.Build();
  REQUIRE(set.ok());
  Response r = Authorize(**set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kAllow);
  CHECK(Reasons(r) == Ids{"alice-may"});
  CHECK(r.errors.empty());
  // The link applies to its principal only.
  CHECK(Authorize(**set, *Store(), Req("bob", "view", "p1")).decision ==
        Decision::kDeny);

  // A linked forbid with a failing condition is reported under its own id.
  SlotValues album;
  album.resource = EntityUid::Of("Album", "trip");
  REQUIRE(b.Link("tf", "no-trip", album).ok());
  set = b.Build();
  REQUIRE(set.ok());
  r = Authorize(**set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kAllow);
  CHECK(Reasons(r) == Ids{"alice-may"});
  CHECK(ErrorIds(r) == Ids{"no-trip"});
  // Out of the linked scope: no error.
  r = Authorize(**set, *Store(), Req("alice", "view", "p2"));
  CHECK(r.errors.empty());
}

TEST_CASE("authorizer: one template linked several times", "[authorizer]") {
  PolicySetBuilder b;
  REQUIRE(b.AddText("permit(principal in ?principal, action, resource == ?resource);").ok());
  SlotValues s1;
  s1.principal = EntityUid::Of("Group", "staff");
  s1.resource = EntityUid::Of("Photo", "p1");
  SlotValues s2;
  s2.principal = EntityUid::Of("User", "bob");
  s2.resource = EntityUid::Of("Photo", "p2");
  REQUIRE(b.Link("policy0", "staff-p1", s1).ok());
  REQUIRE(b.Link("policy0", "bob-p2", s2).ok());
  auto set = b.Build();
  REQUIRE(set.ok());
  CHECK(Reasons(Authorize(**set, *Store(), Req("alice", "view", "p1"))) ==
        Ids{"staff-p1"});
  CHECK(Reasons(Authorize(**set, *Store(), Req("bob", "view", "p2"))) ==
        Ids{"bob-p2"});
  CHECK(Authorize(**set, *Store(), Req("alice", "view", "p2")).decision ==
        Decision::kDeny);
  CHECK(Authorize(**set, *Store(), Req("bob", "view", "p1")).decision ==
        Decision::kDeny);
}

TEST_CASE("authorizer: a reused Response is cleared between calls",
          "[authorizer]") {
  auto set = Policies(
      "permit(principal == User::\"alice\", action, resource);\n"          // 0
      "forbid(principal == User::\"bob\", action, resource);\n"            // 1
      "permit(principal == User::\"bob\", action, resource) when { principal.nope };\n");  // 2
  Response r;
  Authorize(*set, *Store(), Req("alice", "view", "p1"), &r);
  CHECK(r.decision == Decision::kAllow);
  CHECK(Reasons(r) == Ids{"policy0"});
  CHECK(r.errors.empty());

  Authorize(*set, *Store(), Req("bob", "view", "p1"), &r);
  CHECK(r.decision == Decision::kDeny);
  CHECK(Reasons(r) == Ids{"policy1"});
  CHECK(ErrorIds(r) == Ids{"policy2"});

  Authorize(*set, *Store(), Req("alice", "view", "p1"), &r);
  CHECK(r.decision == Decision::kAllow);
  CHECK(Reasons(r) == Ids{"policy0"});
  CHECK(r.errors.empty());

  // A stale allow never survives into a default deny.
  Authorize(*Policies(""), *Store(), Req("alice", "view", "p1"), &r);
  CHECK(r.decision == Decision::kDeny);
  CHECK(r.reasons.empty());
  CHECK(r.errors.empty());

  // The Response starts out as a deny.
  Response fresh;
  CHECK(fresh.decision == Decision::kDeny);
  fresh.decision = Decision::kAllow;
  fresh.reasons.push_back("x");
  fresh.Clear();
  CHECK(fresh.decision == Decision::kDeny);
  CHECK(fresh.reasons.empty());
}

TEST_CASE("authorizer: both Authorize forms agree", "[authorizer]") {
  auto set = Policies(
      "permit(principal, action, resource) when { resource.public };\n"
      "forbid(principal, action, resource) when { principal.level < 2 };\n"
      "permit(principal, action, resource) when { resource.nope };\n");
  for (const Request& req :
       {Req("alice", "view", "p1"), Req("alice", "view", "p2"),
        Req("bob", "view", "p1"), Req("bob", "edit", "p2")}) {
    Response a = Authorize(*set, *Store(), req);
    Response b;
    b.reasons.push_back("stale");
    b.errors.push_back(PolicyError{"stale", "stale"});
    Authorize(*set, *Store(), req, &b);
    CHECK(a.decision == b.decision);
    CHECK(Reasons(a) == Reasons(b));
    CHECK(ErrorIds(a) == ErrorIds(b));
  }
  CHECK(Authorize(*set, *Store(), Req("alice", "view", "p1")).decision ==
        Decision::kAllow);
  CHECK(Authorize(*set, *Store(), Req("alice", "view", "p2")).decision ==
        Decision::kDeny);
  CHECK(Reasons(Authorize(*set, *Store(), Req("bob", "view", "p1"))) ==
        Ids{"policy1"});
}

TEST_CASE("authorizer: policy ids point into the policy set", "[authorizer]") {
  PolicySetBuilder b;
  REQUIRE(b.AddPolicy("named-permit", "permit(principal, action, resource);").ok());
  REQUIRE(b.AddPolicy("named-forbid",
                      "forbid(principal == User::\"bob\", action, resource);")
              .ok());
  auto set = b.Build();
  REQUIRE(set.ok());
  Response r = Authorize(**set, *Store(), Req("alice", "view", "p1"));
  REQUIRE(r.reasons.size() == 1);
  CHECK(r.reasons[0] == "named-permit");
  CHECK(r.reasons[0].data() == (*set)->policy_id(0).data());
  r = Authorize(**set, *Store(), Req("bob", "view", "p1"));
  CHECK(Reasons(r) == Ids{"named-forbid"});
}

TEST_CASE("authorizer: a duplicated action in a scope list is one reason",
          "[authorizer]") {
  auto set = Policies(
      "permit(principal, action in [Action::\"view\", Action::\"view\", "
      "Action::\"read\"], resource);");
  Response r = Authorize(*set, *Store(), Req("alice", "view", "p1"));
  CHECK(r.decision == Decision::kAllow);
  CHECK(Reasons(r) == Ids{"policy0"});
}

TEST_CASE("authorizer: the scope index gives the same answers as a full scan",
          "[authorizer]") {
  // Every scope form, on every slot, with conditions that are true, false
  // or erroring, so reasons and errors are compared too.
  const char* const kScopes[] = {
      "principal, action, resource",
      "principal == User::\"alice\", action, resource",
      "principal == User::\"ghost\", action, resource",
      "principal in Group::\"staff\", action, resource",
      "principal in Group::\"everyone\", action, resource",
      "principal in User::\"bob\", action, resource",
      "principal is User, action, resource",
      "principal is User in Group::\"everyone\", action, resource",
      "principal is Group in Group::\"everyone\", action, resource",
      "principal, action == Action::\"view\", resource",
      "principal, action in Action::\"read\", resource",
      "principal, action in [Action::\"read\", Action::\"edit\"], resource",
      "principal, action in [Action::\"edit\", Action::\"edit\"], resource",
      "principal, action in [], resource",
      "principal, action, resource == Photo::\"p2\"",
      "principal, action, resource in Album::\"trip\"",
      "principal, action, resource is Photo in Album::\"trip\"",
      "principal, action, resource is Album",
      "principal in Group::\"staff\", action in Action::\"read\", resource is Photo",
  };
  const char* const kConditions[] = {"", " when { true }",
                                     " when { principal.level > 1 }",
                                     " when { resource.nope }"};
  // The forbids deny alice (level 3) wherever their scope matches; bob and
  // the missing ghost can be allowed.
  std::string text;
  for (const char* scope : kScopes) {
    for (const char* cond : kConditions) {
      bool forbid = std::string_view(cond).find("level") != std::string_view::npos;
      text += (forbid ? "forbid(" : "permit(") + std::string(scope) + ")" +
              cond + ";\n";
    }
  }
  PolicySetBuilder b;
  REQUIRE(b.AddText(text).ok());
  REQUIRE(b.AddPolicy("t", "permit(principal in ?principal, action, "
                           "resource == ?resource) when { true };").ok());
  SlotValues s;
  s.principal = EntityUid::Of("Group", "everyone");
  s.resource = EntityUid::Of("Photo", "p1");
  REQUIRE(b.Link("t", "linked", s).ok());
  auto set = b.Build();
  REQUIRE(set.ok());

  AuthorizeOptions scan;
  scan.full_scan = true;
  size_t allows = 0;
  for (const char* p : {"alice", "bob", "ghost"}) {
    for (const char* a : {"view", "edit", "read", "none"}) {
      for (const char* res : {"p1", "p2", "p3"}) {
        Request req = Req(p, a, res);
        INFO("request: " << p << " " << a << " " << res);
        Response indexed = Authorize(**set, *Store(), req);
        Response full = Authorize(**set, *Store(), req, scan);
        CHECK(indexed.decision == full.decision);
        CHECK(Reasons(indexed) == Reasons(full));
        CHECK(ErrorIds(indexed) == ErrorIds(full));
        if (full.decision == Decision::kAllow) ++allows;
      }
    }
  }
  CHECK(allows > 0);
  Response any = Authorize(**set, *Store(), Req("alice", "view", "p1"), scan);
  CHECK_FALSE(any.reasons.empty());
  CHECK_FALSE(any.errors.empty());
}

}  // namespace
}  // namespace arbiter
