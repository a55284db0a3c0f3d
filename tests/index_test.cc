// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The scope index must never change an answer: for every request, the
// indexed decision, reasons and errors (in order) equal the full scan's.
// Checked here on hand-made scopes that stress the index (groups, `is`,
// `in [...]`, templates, entities missing from the store) and on every
// request of the shared agent workloads; the conformance gate checks the
// whole Cedar corpus the same way (`arbiter conformance --check-scan`).

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "arbiter/arbiter.h"
#include "src/authorize/authorize_view.h"
#include "src/eval/evaluator.h"
#include "src/index/policy_index.h"
#include "tests/response_test_util.h"
#include "tools/workload.h"

namespace arbiter {
namespace {

using testing::RequireSameResponse;
using testing::Unowned;

// The index, bound and not, answers as the full scan.
void RequireSame(const PolicySet& set, const Entities& entities,
                 const Request& r) {
  Response indexed = Authorize(set, entities, r);
  AuthorizeOptions scan;
  scan.full_scan = true;
  Response scanned = Authorize(set, entities, r, scan);
  auto bound = BoundPolicySet::Bind(Unowned(set), Unowned(entities));
  REQUIRE(bound.ok());
  Response with_binding;
  Authorize(**bound, r, &with_binding);
  INFO("request " << r.principal.ToString() << " " << r.action.ToString()
                  << " " << r.resource.ToString());
  RequireSameResponse(indexed, scanned);
  RequireSameResponse(with_binding, scanned);
}

// The index's candidates for `r`, sorted (the index gives them in no
// particular order, but the unconstrained ones first: the authorizer skips
// prefetching those); a policy listed twice fails the test.
std::vector<uint32_t> SortedCandidates(
    const PolicySet& set, const Entities& e, const Request& r,
    const internal::IndexBinding* binding = nullptr) {
  std::vector<uint32_t> got;
  const auto view = internal::RequestView::Of(r);
  if (binding != nullptr) {
    const void* slots[3];
    const internal::EntityHot* hot[3] = {e.FindHot(r.principal, &slots[0]),
                                         e.FindHot(r.action, &slots[1]),
                                         e.FindHot(r.resource, &slots[2])};
    set.index().Candidates(view, hot[0], hot[1], hot[2], slots, *binding, &got);
  } else {
    set.index().Candidates(view, e.FindHot(r.principal), e.FindHot(r.action),
                           e.FindHot(r.resource), &got);
  }
  const size_t catch_all = set.index().catch_all_size();
  REQUIRE(got.size() >= catch_all);
  for (size_t k = 0; k < got.size(); ++k) {
    const internal::Policy& p = set.policy(got[k]);
    using Op = internal::ScopeConstraint::Op;
    const bool unconstrained = p.principal.op == Op::kAny &&
                               p.action.op == Op::kAny &&
                               p.resource.op == Op::kAny;
    CHECK(unconstrained == (k < catch_all));
  }
  std::sort(got.begin(), got.end());
  CHECK(std::adjacent_find(got.begin(), got.end()) == got.end());
  return got;
}

// Every combination of these users, actions and documents as a request.
std::vector<Request> Requests(std::initializer_list<const char*> users,
                              std::initializer_list<const char*> actions,
                              std::initializer_list<const char*> docs) {
  std::vector<Request> out;
  for (const char* p : users) {
    for (const char* a : actions) {
      for (const char* d : docs) {
        Request r;
        r.principal = EntityUid::Of("User", p);
        r.action = EntityUid::Of("Action", a);
        r.resource = EntityUid::Of("Doc", d);
        out.push_back(std::move(r));
      }
    }
  }
  return out;
}

// The binding BoundPolicySet::Bind makes with default options.
std::unique_ptr<const internal::IndexBinding> DefaultBinding(
    const PolicySet& set, const Entities& e) {
  const BindOptions defaults;
  return set.index().Bind(e, defaults.max_row_items, defaults.max_items);
}

constexpr char kPolicies[] = R"(
  permit(principal == User::"alice", action, resource);
  permit(principal in Group::"admins", action == Action::"read", resource);
  forbid(principal is User, action in [Action::"delete", Action::"write", Action::"delete"], resource);
  permit(principal is User in Group::"staff", action, resource is Doc);
  permit(principal, action in Action::"all", resource in Folder::"f") when { resource.size > 2 };
  forbid(principal, action, resource) when { context.blocked };
  permit(principal, action in [], resource);
  permit(principal == ?principal, action, resource in ?resource);
  permit(principal, action, resource == Doc::"ghost") when { resource.owner == principal };
  forbid(principal, action in [Action::"read", Action::"all"], resource) when { context.blocked };
)";

constexpr char kEntities[] = R"([
  {"uid": {"type": "User", "id": "alice"}, "attrs": {}, "parents": [{"type": "Group", "id": "staff"}]},
  {"uid": {"type": "User", "id": "bob"}, "attrs": {}, "parents": [{"type": "Group", "id": "admins"}]},
  {"uid": {"type": "Group", "id": "admins"}, "attrs": {}, "parents": [{"type": "Group", "id": "staff"}]},
  {"uid": {"type": "Group", "id": "staff"}, "attrs": {}, "parents": []},
  {"uid": {"type": "Doc", "id": "d1"}, "attrs": {"size": 3}, "parents": [{"type": "Folder", "id": "f"}]},
  {"uid": {"type": "Doc", "id": "d2"}, "attrs": {}, "parents": [{"type": "Folder", "id": "f"}]},
  {"uid": {"type": "Action", "id": "read"}, "attrs": {}, "parents": [{"type": "Action", "id": "all"}]},
  {"uid": {"type": "Action", "id": "write"}, "attrs": {}, "parents": [{"type": "Action", "id": "all"}]},
  {"uid": {"type": "Action", "id": "delete"}, "attrs": {}, "parents": []}
])";

TEST_CASE("index: hand-made scopes answer as the full scan", "[index]") {
  PolicySetBuilder b;
  REQUIRE(b.AddText(kPolicies).ok());
  SlotValues slots;
  slots.principal = EntityUid::Of("User", "bob");
  slots.resource = EntityUid::Of("Folder", "f");
  REQUIRE(b.Link("policy7", "linked", slots).ok());
  auto set = b.Build();
  REQUIRE(set.ok());
  auto entities = Entities::FromJson(kEntities);
  REQUIRE(entities.ok());

  // carol, `other` and `ghost` are not in the store.
  for (bool blocked : {false, true}) {
    for (Request r : Requests({"alice", "bob", "carol"},
                              {"read", "write", "delete", "other"},
                              {"d1", "d2", "ghost"})) {
      r.context =
          Value::Record({{Symbol::Intern("blocked"), Value::Bool(blocked)}});
      RequireSame(**set, **entities, r);
    }
  }
}

// Candidates come from several buckets (the principal's own, each of its
// groups', its type's) and are put back in policy order: by insertion for
// a few, by a full sort beyond 32. Both must give exactly the scan's order.
TEST_CASE("index: many candidates from several buckets keep policy order",
          "[index]") {
  for (int per_bucket : {3, 30}) {
    std::string text;
    for (int i = 0; i < per_bucket; ++i) {
      // Round-robin over the buckets, so that their concatenation is out
      // of policy order.
      text += "permit(principal in Group::\"g2\", action, resource);\n";
      text += "permit(principal == User::\"u\", action, resource);\n";
      text += "permit(principal is User, action, resource);\n";
      text += "permit(principal in Group::\"g1\", action, resource);\n";
      text += "permit(principal, action, resource) when { context.n > " +
              std::to_string(i) + " };\n";
      text += "permit(principal in Group::\"other\", action, resource);\n";
      // Two that err (no such context field), from two buckets, so that
      // errors too arrive out of policy order.
      text += "permit(principal is User, action, resource) when { context.nope };\n";
      text += "forbid(principal in Group::\"g1\", action, resource) when { context.nope };\n";
    }
    auto set = PolicySet::Parse(text);
    REQUIRE(set.ok());
    auto entities = Entities::FromJson(R"([
      {"uid": {"type": "User", "id": "u"}, "attrs": {},
       "parents": [{"type": "Group", "id": "g1"}, {"type": "Group", "id": "g2"}]},
      {"uid": {"type": "Group", "id": "g1"}, "attrs": {}, "parents": []},
      {"uid": {"type": "Group", "id": "g2"}, "attrs": {}, "parents": []}
    ])");
    REQUIRE(entities.ok());
    Request r;
    r.principal = EntityUid::Of("User", "u");
    r.action = EntityUid::Of("Action", "a");
    r.resource = EntityUid::Of("Doc", "d");
    r.context = Value::Record({{Symbol::Intern("n"), Value::Long(per_bucket / 2)}});
    Response indexed = Authorize(**set, **entities, r);
    // Four of every eight policies hold, and half of the fifth kind; two
    // err.
    CHECK(indexed.reasons.size() ==
          static_cast<size_t>(4 * per_bucket + per_bucket / 2));
    auto by_position = [](std::string_view a, std::string_view b) {
      return std::stoi(std::string(a.substr(6))) <
             std::stoi(std::string(b.substr(6)));
    };
    CHECK(std::is_sorted(indexed.reasons.begin(), indexed.reasons.end(),
                         by_position));
    std::vector<std::string_view> errors;
    for (const PolicyError& e : indexed.errors) errors.push_back(e.policy_id);
    CHECK(errors.size() == static_cast<size_t>(2 * per_bucket));
    CHECK(std::is_sorted(errors.begin(), errors.end(), by_position));
    RequireSame(**set, **entities, r);
  }
}

// The index probes every key of a request before scanning any hit, in a
// list of bounded length; an entity below more groups than the list holds
// must still get every policy of every group, in order.
TEST_CASE("index: an entity in more groups than one probe list holds",
          "[index]") {
  constexpr int kGroups = 100;  // several times the probe list
  std::string text;
  std::string parents;
  std::string groups;
  for (int g = 0; g < kGroups; ++g) {
    std::string id(1, 'g');
    id += std::to_string(g);
    // A permit for two groups in three (hits and misses interleave), and
    // a forbid for every seventh, late in the file.
    if (g % 3 != 0) {
      text.append("permit(principal in Group::\"").append(id).append(
          "\", action, resource);\n");
    }
    if (!parents.empty()) parents += ",";
    parents.append(R"({"type": "Group", "id": ")").append(id).append(R"("})");
    groups.append(R"(,{"uid": {"type": "Group", "id": ")")
        .append(id)
        .append(R"("}, "attrs": {}, "parents": []})");
  }
  for (int g = kGroups - 1; g >= 0; g -= 7) {
    text.append("forbid(principal in Group::\"g")
        .append(std::to_string(g))
        .append("\", action, resource) when { context.deny };\n");
  }
  auto set = PolicySet::Parse(text);
  REQUIRE(set.ok());
  std::string json = R"([{"uid": {"type": "User", "id": "u"}, "attrs": {}, "parents": [)";
  json.append(parents).append("]}").append(groups).append("]");
  auto entities = Entities::FromJson(json);
  REQUIRE(entities.ok());
  const Entities& e = **entities;
  for (bool deny : {false, true}) {
    Request r;
    r.principal = EntityUid::Of("User", "u");
    r.action = EntityUid::Of("Action", "a");
    r.resource = EntityUid::Of("Doc", "d");
    r.context = Value::Record({{Symbol::Intern("deny"), Value::Bool(deny)}});
    const std::vector<uint32_t> got = SortedCandidates(**set, e, r);
    std::vector<uint32_t> want((*set)->size());
    for (uint32_t i = 0; i < want.size(); ++i) want[i] = i;  // all match
    CHECK(got == want);
    // Bound, the user's hundred ranges are read from its row, not probed,
    // and overflow the list the same way.
    const auto binding = DefaultBinding(**set, e);
    CHECK(SortedCandidates(**set, e, r, binding.get()) == want);
    Response indexed = Authorize(**set, e, r);
    CHECK(indexed.reasons.size() ==
          (deny ? (kGroups + 6) / 7 : kGroups - (kGroups + 2) / 3));
    RequireSame(**set, e, r);
  }
}

TEST_CASE("index: candidates are exactly the policies whose scope matches",
          "[index]") {
  PolicySetBuilder b;
  REQUIRE(b.AddText(kPolicies).ok());
  SlotValues slots;
  slots.principal = EntityUid::Of("User", "bob");
  slots.resource = EntityUid::Of("Folder", "f");
  REQUIRE(b.Link("policy7", "linked", slots).ok());
  auto set = b.Build();
  REQUIRE(set.ok());
  auto entities = Entities::FromJson(kEntities);
  REQUIRE(entities.ok());
  const Entities& e = **entities;
  const auto binding = DefaultBinding(**set, e);
  CHECK(binding->num_items() > 0);
  CHECK(binding->num_left_out() == 0);
  // A binding of another policy set's index is not used (its ranges point
  // into that index's entries).
  auto other = PolicySet::Parse(
      R"(permit(principal in Group::"staff", action, resource);)");
  REQUIRE(other.ok());
  const auto foreign = DefaultBinding(**other, e);
  // carol, `other` and `ghost` are not in the store.
  for (const Request& r : Requests({"alice", "bob", "carol"},
                                   {"read", "write", "delete", "other"},
                                   {"d1", "d2", "ghost"})) {
    const std::vector<uint32_t> got = SortedCandidates(**set, e, r);
    internal::Evaluator eval(e, r);
    std::vector<uint32_t> want;
    for (uint32_t i = 0; i < (*set)->size(); ++i) {
      if (eval.ScopeMatches((*set)->policy(i))) want.push_back(i);
    }
    INFO(r.principal.ToString() << " " << r.action.ToString() << " "
                                << r.resource.ToString());
    CHECK(got == want);
    CHECK(SortedCandidates(**set, e, r, binding.get()) == want);
    CHECK(SortedCandidates(**set, e, r, foreign.get()) == want);
  }
  // A spot check by hand: bob reading d1.
  Request r;
  r.principal = EntityUid::Of("User", "bob");
  r.action = EntityUid::Of("Action", "read");
  r.resource = EntityUid::Of("Doc", "d1");
  std::vector<std::string_view> ids;
  for (uint32_t i : SortedCandidates(**set, e, r)) ids.push_back((*set)->policy_id(i));
  // policy9 is filed under two keys, `read` and `all`, and bob's `read`
  // reaches both: listed once all the same.
  CHECK(ids == std::vector<std::string_view>{"policy1", "policy3", "policy4",
                                             "policy5", "policy9", "linked"});
}

TEST_CASE("index: every workload request answers as the full scan", "[index][workload]") {
  namespace fs = std::filesystem;
  fs::path root = fs::path(ARBITER_SOURCE_DIR) / ".." / "shared" / "workloads";
  if (!fs::exists(root)) {
    WARN("workloads not found at " << root.string() << "; skipped");
    return;
  }
  for (const char* n : {"agents-10", "agents-100", "agents-1000"}) {
    if (!fs::exists(root / n)) continue;
    auto w = workload::Load(root / n);
    REQUIRE(w.ok());
    auto bound = BoundPolicySet::Bind(w->policies, w->entities);
    REQUIRE(bound.ok());
    Response indexed, scanned, with_binding;
    AuthorizeOptions scan;
    scan.full_scan = true;
    size_t differences = 0, wrong = 0;
    auto differ = [](const Response& a, const Response& b) {
      return a.decision != b.decision || a.reasons != b.reasons ||
             a.errors.size() != b.errors.size();
    };
    for (size_t i = 0; i < w->requests.size(); ++i) {
      Authorize(*w->policies, *w->entities, w->requests[i], &indexed);
      Authorize(*w->policies, *w->entities, w->requests[i], &scanned, scan);
      Authorize(**bound, w->requests[i], &with_binding);
      if (differ(indexed, scanned)) ++differences;
      if (differ(with_binding, scanned)) ++differences;
      if (!workload::Mismatch(with_binding, w->expected[i]).empty()) ++wrong;
    }
    INFO(n);
    CHECK(differences == 0);
    CHECK(wrong == 0);
  }
}

// A binding covers the entities of the store it was made for, recognised
// by the lookup-table slot they are found in: a store derived from it
// (WithEntities) finds the base's entities in the base's table, and they
// use their rows; the derived store's extra entities, and entities the
// store lacks, are probed. Either way the answers are the
// full scan's.
TEST_CASE("index: a binding serves a derived store's shared entities",
          "[index]") {
  auto set = PolicySet::Parse(kPolicies);
  REQUIRE(set.ok());
  auto base = Entities::FromJson(kEntities);
  REQUIRE(base.ok());
  std::vector<Entity> extra(2);
  extra[0].uid = EntityUid::Of("User", "dave");
  extra[0].parents = {EntityUid::Of("Group", "admins")};
  extra[1].uid = EntityUid::Of("Doc", "d3");
  extra[1].parents = {EntityUid::Of("Folder", "f")};
  auto derived = Entities::WithEntities(*base, std::move(extra));
  REQUIRE(derived.ok());
  auto bound_base = BoundPolicySet::Bind(*set, *base);
  REQUIRE(bound_base.ok());
  auto bound_derived = BoundPolicySet::Bind(*set, *derived);
  REQUIRE(bound_derived.ok());
  const internal::IndexBinding& b = (*bound_base)->binding();
  const internal::IndexBinding::Item *begin, *end;
  // Where the derived store's lookup finds a uid: in the base's table for
  // a base entity, in its own for an extra one, nowhere for a stranger.
  auto slot_in_derived = [&](const char* type, const char* id) {
    const void* slot = &slot;  // overwritten by FindHot
    (*derived)->FindHot(EntityUid::Of(type, id), &slot);
    return slot;
  };
  // A base entity is covered; an extra one is not, and neither is a slot
  // of another store's table.
  CHECK(b.Find(slot_in_derived("User", "bob"), 0, &begin, &end));
  CHECK(begin != end);  // bob's group is a key
  CHECK(slot_in_derived("User", "dave") != nullptr);
  CHECK_FALSE(b.Find(slot_in_derived("User", "dave"), 0, &begin, &end));
  CHECK(slot_in_derived("User", "nobody") == nullptr);
  CHECK_FALSE(b.Find(nullptr, 0, &begin, &end));
  CHECK_FALSE((*bound_derived)
                  ->binding()
                  .Find(slot_in_derived("User", "bob"), 0, &begin, &end));
  // The derived store's own binding covers its extra entity.
  CHECK((*bound_derived)
            ->binding()
            .Find(slot_in_derived("User", "dave"), 0, &begin, &end));

  const Entities& d = **derived;
  AuthorizeOptions scan;
  scan.full_scan = true;
  for (Request r : Requests({"alice", "bob", "dave", "carol"},
                            {"read", "write", "delete", "other"},
                            {"d1", "d2", "d3", "ghost"})) {
    r.context = Value::Record({{Symbol::Intern("blocked"), Value::Bool(false)}});
    INFO(r.principal.ToString() << " " << r.action.ToString() << " "
                                << r.resource.ToString());
    Response scanned = Authorize(**set, d, r, scan);
    // The base store's binding deciding on the derived store, as an
    // Engine snapshot does with an action resolver's store.
    Response r1, r2;
    internal::AuthorizeView(**set, d, internal::RequestView::Of(r), &r1, {},
                            &b);
    Authorize(**bound_derived, r, &r2);
    RequireSameResponse(r1, scanned);
    RequireSameResponse(r2, scanned);
  }
}

// Rows past the limits are left out, and their entities probed: the
// candidates stay exactly the same.
TEST_CASE("index: a binding's limits leave rows out, never candidates",
          "[index]") {
  auto set = PolicySet::Parse(kPolicies);
  REQUIRE(set.ok());
  auto entities = Entities::FromJson(kEntities);
  REQUIRE(entities.ok());
  const Entities& e = **entities;
  const auto full = DefaultBinding(**set, e);
  REQUIRE(full->num_items() > 2);
  struct Limits {
    size_t row, total;
  };
  for (Limits l : {Limits{0, 1000}, Limits{1, 1000}, Limits{1000, 0},
                   Limits{1000, 2}, Limits{1000, full->num_items() - 1}}) {
    const auto b = (*set)->index().Bind(e, l.row, l.total);
    INFO("max_row_items " << l.row << ", max_items " << l.total);
    CHECK(b->num_items() <= l.total);
    CHECK(b->num_items() < full->num_items());
    CHECK(b->num_left_out() > 0);
    for (const Request& r : Requests({"alice", "bob", "carol"},
                                     {"read", "write", "delete", "other"},
                                     {"d1", "d2", "ghost"})) {
      INFO(r.principal.ToString() << " " << r.action.ToString() << " "
                                  << r.resource.ToString());
      CHECK(SortedCandidates(**set, e, r, b.get()) ==
            SortedCandidates(**set, e, r));
    }
  }
  // Through the public options, a whole decision.
  BindOptions tight;
  tight.max_row_items = 1;
  auto bound = BoundPolicySet::Bind(*set, *entities, tight);
  REQUIRE(bound.ok());
  CHECK((*bound)->binding().num_left_out() > 0);
  Request r;
  r.principal = EntityUid::Of("User", "bob");
  r.action = EntityUid::Of("Action", "read");
  r.resource = EntityUid::Of("Doc", "d1");
  r.context = Value::Record({{Symbol::Intern("blocked"), Value::Bool(false)}});
  Response got, want;
  Authorize(**bound, r, &got);
  Authorize(**set, e, r, &want);
  RequireSameResponse(got, want);
}

// A row is read only for its own entity, so Bind settles the entry's test
// of the row's slot there: the type half of `is T in E` drops the entries
// an entity of another type can never match, and an entry testing nothing
// else is a candidate without an exact test. Entities of two types share
// the groups here, so a row that kept (or settled) the wrong type's policy
// would list it.
TEST_CASE("index: a binding settles its entity's own slot", "[index]") {
  auto set = PolicySet::Parse(R"(
    permit(principal is User in Group::"g", action, resource);
    permit(principal is Robot in Group::"g", action, resource);
    permit(principal is Robot in Group::"g", action == Action::"run", resource);
    permit(principal, action, resource is Doc in Folder::"f");
    permit(principal, action, resource is Note in Folder::"f") when { context.ok };
    forbid(principal in Group::"g", action, resource in Folder::"f");
  )");
  REQUIRE(set.ok());
  auto entities = Entities::FromJson(R"([
    {"uid": {"type": "User", "id": "u"}, "attrs": {}, "parents": [{"type": "Group", "id": "g"}]},
    {"uid": {"type": "Robot", "id": "r"}, "attrs": {}, "parents": [{"type": "Group", "id": "g"}]},
    {"uid": {"type": "User", "id": "v"}, "attrs": {}, "parents": []},
    {"uid": {"type": "Group", "id": "g"}, "attrs": {}, "parents": []},
    {"uid": {"type": "Doc", "id": "d"}, "attrs": {}, "parents": [{"type": "Folder", "id": "f"}]},
    {"uid": {"type": "Note", "id": "n"}, "attrs": {}, "parents": [{"type": "Folder", "id": "f"}]},
    {"uid": {"type": "Doc", "id": "x"}, "attrs": {}, "parents": []},
    {"uid": {"type": "Action", "id": "run"}, "attrs": {}, "parents": []},
    {"uid": {"type": "Action", "id": "look"}, "attrs": {}, "parents": []}
  ])");
  REQUIRE(entities.ok());
  const Entities& e = **entities;
  const auto binding = DefaultBinding(**set, e);
  REQUIRE(binding->num_left_out() == 0);
  int requests = 0;
  for (const EntityUid& p :
       {EntityUid::Of("User", "u"), EntityUid::Of("Robot", "r"),
        EntityUid::Of("User", "v"), EntityUid::Of("Robot", "ghost")}) {
    for (const EntityUid& a :
         {EntityUid::Of("Action", "run"), EntityUid::Of("Action", "look")}) {
      for (const EntityUid& res :
           {EntityUid::Of("Doc", "d"), EntityUid::Of("Note", "n"),
            EntityUid::Of("Doc", "x"), EntityUid::Of("Folder", "f")}) {
        Request r;
        r.principal = p;
        r.action = a;
        r.resource = res;
        r.context = Value::Record({{Symbol::Intern("ok"), Value::Bool(true)}});
        internal::Evaluator eval(e, r);
        std::vector<uint32_t> want;
        for (uint32_t i = 0; i < (*set)->size(); ++i) {
          if (eval.ScopeMatches((*set)->policy(i))) want.push_back(i);
        }
        INFO(p.ToString() << " " << a.ToString() << " " << res.ToString());
        CHECK(SortedCandidates(**set, e, r, binding.get()) == want);
        RequireSame(**set, e, r);
        ++requests;
      }
    }
  }
  CHECK(requests == 32);
  // By hand: the robot running on d is a candidate for its own group
  // policies, the Doc one and the forbid; the User ones never.
  Request r;
  r.principal = EntityUid::Of("Robot", "r");
  r.action = EntityUid::Of("Action", "run");
  r.resource = EntityUid::Of("Doc", "d");
  std::vector<std::string_view> ids;
  for (uint32_t i : SortedCandidates(**set, e, r, binding.get())) {
    ids.push_back((*set)->policy_id(i));
  }
  CHECK(ids == std::vector<std::string_view>{"policy1", "policy2", "policy3",
                                             "policy5"});
}

TEST_CASE("index: binding needs a policy set and a store", "[index]") {
  auto set = PolicySet::Parse("permit(principal, action, resource);");
  REQUIRE(set.ok());
  auto no_set = BoundPolicySet::Bind(nullptr, Entities::Empty());
  CHECK(no_set.status().code() == absl::StatusCode::kInvalidArgument);
  auto no_store = BoundPolicySet::Bind(*set, nullptr);
  CHECK(no_store.status().code() == absl::StatusCode::kInvalidArgument);
  auto ok = BoundPolicySet::Bind(*set, Entities::Empty());
  REQUIRE(ok.ok());
  CHECK(&(*ok)->policies() == set->get());
  // No constrained scopes, nothing to bind: the one policy is a catch-all.
  CHECK((*ok)->binding().num_items() == 0);
  Request r;
  r.principal = EntityUid::Of("User", "u");
  r.action = EntityUid::Of("Action", "a");
  r.resource = EntityUid::Of("Doc", "d");
  Response resp;
  Authorize(**ok, r, &resp);
  CHECK(resp.decision == Decision::kAllow);
}

}  // namespace
}  // namespace arbiter
