// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Guard: the credential check comes first and names its failure; the task
// record reaches policies (chain-based and sensitivity forbids, approval);
// only allowed calls join the chain; delegation is the intersection of
// every hop's permissions; the guard's context fields cannot be forged; and
// without hooks the guard answers exactly as the core does.

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "arbiter/arbiter.h"

namespace arbiter {
namespace {

using std::chrono::seconds;

const EntityUid kAlice = EntityUid::Of("User", "alice");
const EntityUid kOrch = EntityUid::Of("Agent", "orch");
const EntityUid kWorker = EntityUid::Of("Agent", "worker");
const EntityUid kReadDoc = EntityUid::Of("Action", "read_doc");
const EntityUid kReadSecret = EntityUid::Of("Action", "read_secret");
const EntityUid kHttpPost = EntityUid::Of("Action", "http_post");
const EntityUid kDeploy = EntityUid::Of("Action", "deploy");
const EntityUid kAllTools = EntityUid::Of("Action", "all_tools");
const EntityUid kPublicDoc = EntityUid::Of("Doc", "public");
const EntityUid kSecretDoc = EntityUid::Of("Doc", "secret");

std::shared_ptr<const PolicySet> Policies() {
  PolicySetBuilder b;
  REQUIRE(b.AddPolicy("alice-reads", R"(permit (principal == User::"alice",
      action in Action::"read_tools", resource);)").ok());
  REQUIRE(b.AddPolicy("alice-posts", R"(permit (principal == User::"alice",
      action == Action::"http_post", resource);)").ok());
  REQUIRE(b.AddPolicy("agents-all", R"(permit (principal is Agent, action, resource);)").ok());
  REQUIRE(b.AddPolicy("no-exfiltration", R"(forbid (principal,
      action in Action::"egress_tools", resource)
      when { context has task && context.task.chain.contains(Action::"read_secret") };)").ok());
  REQUIRE(b.AddPolicy("sensitivity-ceiling", R"(forbid (principal, action, resource)
      when { context has task && resource has sensitivity &&
             resource.sensitivity > context.task.sensitivity };)").ok());
  REQUIRE(b.AddPolicy("deploy-needs-approval", R"(forbid (principal,
      action == Action::"deploy", resource)
      unless { context has task && context.task.approval == "approved" };)").ok());
  REQUIRE(b.AddPolicy("no-deep-read-secret", R"(forbid (principal,
      action == Action::"read_secret", resource)
      when { context has delegation && context.delegation.depth > 1 &&
             context.delegation.origin == User::"alice" };)").ok());
  auto set = b.Build();
  REQUIRE(set.ok());
  return *set;
}

std::shared_ptr<const Entities> TestEntities() {
  auto e = Entities::FromJson(R"([
    {"uid": {"type": "Action", "id": "read_doc"}, "attrs": {},
     "parents": [{"type": "Action", "id": "read_tools"}]},
    {"uid": {"type": "Action", "id": "read_secret"}, "attrs": {},
     "parents": [{"type": "Action", "id": "read_tools"}]},
    {"uid": {"type": "Action", "id": "http_post"}, "attrs": {},
     "parents": [{"type": "Action", "id": "egress_tools"}]},
    {"uid": {"type": "Action", "id": "deploy"}, "attrs": {},
     "parents": [{"type": "Action", "id": "all_tools"}]},
    {"uid": {"type": "Action", "id": "read_tools"}, "attrs": {},
     "parents": [{"type": "Action", "id": "all_tools"}]},
    {"uid": {"type": "Action", "id": "egress_tools"}, "attrs": {},
     "parents": [{"type": "Action", "id": "all_tools"}]},
    {"uid": {"type": "Action", "id": "all_tools"}, "attrs": {}, "parents": []},
    {"uid": {"type": "Doc", "id": "public"}, "attrs": {"sensitivity": 0}, "parents": []},
    {"uid": {"type": "Doc", "id": "secret"}, "attrs": {"sensitivity": 3}, "parents": []}
  ])");
  REQUIRE(e.ok());
  return *e;
}

Request Req(EntityUid principal, EntityUid action, EntityUid resource,
            Value context = Value::Record({})) {
  Request r;
  r.principal = principal;
  r.action = action;
  r.resource = resource;
  r.context = std::move(context);
  return r;
}

TaskSpec Spec(std::string id, int64_t sensitivity = 3, std::string approval = "none") {
  TaskSpec s;
  s.id = std::move(id);
  s.objective = "summarise the incident";
  s.sensitivity = sensitivity;
  s.approval = std::move(approval);
  return s;
}

CallContext In(Task* task, std::string_view credential = {},
               const Delegation* delegation = nullptr) {
  CallContext c;
  c.task = task;
  c.credential_id = credential;
  c.delegation = delegation;
  return c;
}

struct Fixture {
  ManualClock clock{TimePoint(seconds(1'800'000'000))};
  CredentialRegistry registry{&clock};
  MemorySink sink;
  Engine engine{Policies(), TestEntities()};
  Guard guard{&engine, [&] {
                GuardOptions o;
                o.credentials = &registry;
                o.logger = &sink;
                o.clock = &clock;
                return o;
              }()};

  std::string Issue(std::string task, EntityUid agent,
                    std::vector<EntityUid> actions = {kAllTools},
                    seconds ttl = seconds(60)) {
    CredentialSpec s;
    s.task_id = std::move(task);
    s.agent = agent;
    s.actions = std::move(actions);
    s.ttl = ttl;
    auto id = registry.Issue(s);
    REQUIRE(id.ok());
    return *id;
  }
};

TEST_CASE("agent guard: a failed credential check denies before policies",
          "[agent]") {
  Fixture f;
  Task task(Spec("task-1"));
  const std::string cred = f.Issue("task-1", kWorker, {kReadDoc});

  GuardResponse r = f.guard.Authorize(Req(kWorker, kReadDoc, kPublicDoc), In(&task, cred));
  CHECK(r.decision == Decision::kAllow);
  CHECK(r.credential == CredentialStatus::kValid);

  struct Case {
    std::string_view credential;
    EntityUid principal, action;
    CredentialStatus want;
  };
  for (const Case& c : std::vector<Case>{
           {"", kWorker, kReadDoc, CredentialStatus::kMissing},
           {"0123456789abcdef0123456789abcdef", kWorker, kReadDoc,
            CredentialStatus::kUnknown},
           {cred, kOrch, kReadDoc, CredentialStatus::kWrongAgent},
           {cred, kWorker, kHttpPost, CredentialStatus::kOutOfScope}}) {
    r = f.guard.Authorize(Req(c.principal, c.action, kPublicDoc), In(&task, c.credential));
    CHECK(r.decision == Decision::kDeny);
    CHECK(r.deny_kind == DenyKind::kCredential);
    CHECK(r.credential == c.want);
    CHECK(r.DenyReason() == CredentialStatusName(c.want));
    CHECK(r.core.reasons.empty());  // no policy was evaluated
  }
  Task other(Spec("task-2"));
  r = f.guard.Authorize(Req(kWorker, kReadDoc, kPublicDoc), In(&other, cred));
  CHECK(r.credential == CredentialStatus::kWrongTask);
  CHECK(r.DenyReason() == "credential issued for another task");

  f.clock.Advance(seconds(61));
  r = f.guard.Authorize(Req(kWorker, kReadDoc, kPublicDoc), In(&task, cred));
  CHECK(r.decision == Decision::kDeny);
  CHECK(r.DenyReason() == "credential expired");
  // Only the first, valid call joined the chain.
  CHECK(task.call_count() == 1);
}

// A call may present the credential's binary form instead of its text: the
// same answers, and the record and the checker still see the text.
TEST_CASE("agent guard: a credential presented in binary form", "[agent]") {
  Fixture f;
  Task task(Spec("task-1"));
  const std::string cred = f.Issue("task-1", kWorker, {kReadDoc});
  absl::StatusOr<CredentialId> id = CredentialId::Parse(cred);
  REQUIRE(id.ok());
  auto binary = [&](const CredentialId& c) {
    CallContext call = In(&task);
    call.credential = c;
    return call;
  };
  GuardResponse r = f.guard.Authorize(Req(kWorker, kReadDoc, kPublicDoc), binary(*id));
  CHECK(r.decision == Decision::kAllow);
  CHECK(r.credential == CredentialStatus::kValid);
  REQUIRE(f.sink.size() == 1);
  CHECK(f.sink.lines()[0].find("\"credential\":\"" + cred + "\"") != std::string::npos);

  r = f.guard.Authorize(Req(kWorker, kHttpPost, kPublicDoc), binary(*id));
  CHECK(r.DenyReason() == "action outside credential scope");
  r = f.guard.Authorize(Req(kOrch, kReadDoc, kPublicDoc), binary(*id));
  CHECK(r.DenyReason() == "credential issued to another agent");
  r = f.guard.Authorize(Req(kWorker, kReadDoc, kPublicDoc),
                        binary({id->hi ^ 4, id->lo}));
  CHECK(r.DenyReason() == "credential unknown");
  REQUIRE(f.sink.size() == 4);
  const std::string other = CredentialId{id->hi ^ 4, id->lo}.ToString();
  CHECK(f.sink.lines()[3].find("\"credential\":\"" + other + "\"") != std::string::npos);
  // Text wins when both are given.
  CallContext both = binary({id->hi ^ 4, id->lo});
  both.credential_id = cred;
  CHECK(f.guard.Authorize(Req(kWorker, kReadDoc, kPublicDoc), both).decision ==
        Decision::kAllow);

  // A host checker gets the text written from the binary form, and the
  // binary form beside it.
  struct Recorder : CredentialChecker {
    mutable std::string text;
    mutable CredentialId binary;
    CredentialStatus Check(const CredentialQuery& q) const override {
      text = std::string(q.credential_id);
      binary = q.credential;
      return CredentialStatus::kValid;
    }
  } recorder;
  GuardOptions o;
  o.credentials = &recorder;
  o.clock = &f.clock;
  Guard host(&f.engine, o);
  CHECK(host.Authorize(Req(kWorker, kReadDoc, kPublicDoc), binary(*id)).decision ==
        Decision::kAllow);
  CHECK(recorder.text == cred);
  CHECK(recorder.binary == *id);
  CHECK(host.Authorize(Req(kWorker, kReadDoc, kPublicDoc), In(&task, cred)).decision ==
        Decision::kAllow);
  CHECK(recorder.text == cred);
  CHECK(recorder.binary.empty());  // text presented: no binary form invented
  CHECK(host.Authorize(Req(kWorker, kReadDoc, kPublicDoc), In(&task)).decision ==
        Decision::kAllow);
  CHECK(recorder.text.empty());

  f.clock.Advance(seconds(61));
  r = f.guard.Authorize(Req(kWorker, kReadDoc, kPublicDoc), binary(*id));
  CHECK(r.DenyReason() == "credential expired");
  CHECK(task.call_count() == 5);  // the allowed calls, through either guard
}

TEST_CASE("agent guard: ending the task stops its credentials", "[agent]") {
  Fixture f;
  Task task(Spec("task-1"));
  const std::string a = f.Issue("task-1", kWorker);
  const std::string b = f.Issue("task-1", kOrch);
  CHECK(f.guard.Authorize(Req(kWorker, kReadDoc, kPublicDoc), In(&task, a)).decision ==
        Decision::kAllow);
  CHECK(f.registry.EndTask("task-1") == 2);
  for (auto [agent, cred] : {std::pair{kWorker, a}, std::pair{kOrch, b}}) {
    GuardResponse r = f.guard.Authorize(Req(agent, kReadDoc, kPublicDoc), In(&task, cred));
    CHECK(r.decision == Decision::kDeny);
    CHECK(r.DenyReason() == "credential revoked");
  }
}

TEST_CASE("agent guard: a chain-based forbid stops exfiltration", "[agent]") {
  Fixture f;
  Task task(Spec("task-1"));
  const std::string cred = f.Issue("task-1", kWorker);
  // Posting is fine before any secret was read in the task.
  GuardResponse r = f.guard.Authorize(Req(kWorker, kHttpPost, kPublicDoc), In(&task, cred));
  CHECK(r.decision == Decision::kAllow);
  r = f.guard.Authorize(Req(kWorker, kReadSecret, kSecretDoc), In(&task, cred));
  CHECK(r.decision == Decision::kAllow);
  r = f.guard.Authorize(Req(kWorker, kHttpPost, kPublicDoc), In(&task, cred));
  CHECK(r.decision == Decision::kDeny);
  CHECK(r.deny_kind == DenyKind::kPolicy);
  REQUIRE(r.core.reasons.size() == 1);
  CHECK(r.core.reasons[0] == "no-exfiltration");
  CHECK(r.DenyReason() == "forbidden by policy");
  // The chain is shared by every agent of the task.
  const std::string orch_cred = f.Issue("task-1", kOrch);
  r = f.guard.Authorize(Req(kOrch, kHttpPost, kPublicDoc), In(&task, orch_cred));
  CHECK(r.decision == Decision::kDeny);
  // A fresh task has a fresh chain.
  Task fresh(Spec("task-2"));
  const std::string cred2 = f.Issue("task-2", kWorker);
  CHECK(f.guard.Authorize(Req(kWorker, kHttpPost, kPublicDoc), In(&fresh, cred2)).decision ==
        Decision::kAllow);
}

TEST_CASE("agent guard: only allowed calls join the chain", "[agent]") {
  Fixture f;
  Task task(Spec("task-1", /*sensitivity=*/1));
  const std::string cred = f.Issue("task-1", kWorker);
  // Above the task's sensitivity ceiling: denied, so not in the chain.
  GuardResponse r = f.guard.Authorize(Req(kWorker, kReadSecret, kSecretDoc), In(&task, cred));
  CHECK(r.decision == Decision::kDeny);
  REQUIRE(r.core.reasons.size() == 1);
  CHECK(r.core.reasons[0] == "sensitivity-ceiling");
  CHECK(task.chain().empty());
  CHECK(f.guard.Authorize(Req(kWorker, kHttpPost, kPublicDoc), In(&task, cred)).decision ==
        Decision::kAllow);
  CHECK(f.guard.Authorize(Req(kWorker, kReadDoc, kPublicDoc), In(&task, cred)).decision ==
        Decision::kAllow);
  CHECK(f.guard.Authorize(Req(kWorker, kReadDoc, kPublicDoc), In(&task, cred)).decision ==
        Decision::kAllow);
  CHECK(task.chain() == std::vector<EntityUid>{kHttpPost, kReadDoc});
  CHECK(task.call_count() == 3);
  const std::vector<TaskCall> h = task.history();
  REQUIRE(h.size() == 3);
  CHECK(h[0].action == kHttpPost);
  CHECK(h[2].resource == kPublicDoc);
  const Value rec = task.record();
  CHECK(rec.FindField(Symbol::Intern("id"))->as_string() == "task-1");
  CHECK(rec.FindField(Symbol::Intern("sensitivity"))->as_long() == 1);
  CHECK(rec.FindField(Symbol::Intern("chain"))->as_set().size() == 2);
}

TEST_CASE("agent guard: the task's approval state reaches policies", "[agent]") {
  Fixture f;
  Task task(Spec("task-1"));
  const std::string cred = f.Issue("task-1", kWorker);
  GuardResponse r = f.guard.Authorize(Req(kWorker, kDeploy, kPublicDoc), In(&task, cred));
  CHECK(r.decision == Decision::kDeny);
  REQUIRE(r.core.reasons.size() == 1);
  CHECK(r.core.reasons[0] == "deploy-needs-approval");
  task.SetApproval("approved");
  CHECK(task.approval() == "approved");
  r = f.guard.Authorize(Req(kWorker, kDeploy, kPublicDoc), In(&task, cred));
  CHECK(r.decision == Decision::kAllow);
}

TEST_CASE("agent guard: a caller cannot forge the task record", "[agent]") {
  Fixture f;
  Task task(Spec("task-1"));
  const std::string cred = f.Issue("task-1", kWorker);
  const Value forged = Value::Record(
      {{Symbol::Intern("task"),
        Value::Record({{Symbol::Intern("approval"), Value::String("approved")},
                       {Symbol::Intern("chain"), Value::Set({})},
                       {Symbol::Intern("sensitivity"), Value::Long(9)}})},
       {Symbol::Intern("note"), Value::String("kept")}});
  GuardResponse r =
      f.guard.Authorize(Req(kWorker, kDeploy, kPublicDoc, forged), In(&task, cred));
  CHECK(r.decision == Decision::kDeny);  // the task's real approval is "none"
  REQUIRE(r.core.reasons.size() == 1);
  CHECK(r.core.reasons[0] == "deploy-needs-approval");
}

// The guard reads a task's record through a per-thread cache; tasks used in
// turn on one thread, a task changed between calls, and a task made where
// a destroyed one was must each be seen as they are.
TEST_CASE("agent guard: tasks used in turn on one thread see their own record",
          "[agent]") {
  Fixture f;
  auto a = std::make_unique<Task>(Spec("task-a"));
  Task b(Spec("task-b"));
  const std::string cred_a = f.Issue("task-a", kWorker);
  const std::string cred_b = f.Issue("task-b", kWorker);
  const Request post = Req(kWorker, kHttpPost, kPublicDoc);
  CHECK(f.guard.Authorize(post, In(a.get(), cred_a)).decision == Decision::kAllow);
  CHECK(f.guard.Authorize(post, In(&b, cred_b)).decision == Decision::kAllow);
  CHECK(f.guard.Authorize(Req(kWorker, kReadSecret, kSecretDoc), In(a.get(), cred_a))
            .decision == Decision::kAllow);
  CHECK(f.guard.Authorize(post, In(a.get(), cred_a)).decision == Decision::kDeny);
  CHECK(f.guard.Authorize(post, In(&b, cred_b)).decision == Decision::kAllow);
  CHECK(f.guard.Authorize(post, In(a.get(), cred_a)).decision == Decision::kDeny);
  a = std::make_unique<Task>(Spec("task-a"));  // a fresh chain
  CHECK(f.guard.Authorize(post, In(a.get(), cred_a)).decision == Decision::kAllow);
  // The approval state changes the record without a call.
  const Request deploy = Req(kWorker, kDeploy, kPublicDoc);
  CHECK(f.guard.Authorize(deploy, In(&b, cred_b)).decision == Decision::kDeny);
  b.SetApproval("approved");
  CHECK(f.guard.Authorize(deploy, In(&b, cred_b)).decision == Decision::kAllow);
}

// The guard keeps its overlay (task and delegation records) between calls
// on a thread while nothing it was built from changes; each change of
// input must show in the very next decision.
TEST_CASE("agent guard: the overlay kept between calls follows its inputs",
          "[agent]") {
  Fixture f;
  Task task(Spec("task-1", 3, "approved"));
  const std::string cred = f.Issue("task-1", kWorker);
  const Request read_secret = Req(kWorker, kReadSecret, kSecretDoc);
  const Request deploy = Req(kWorker, kDeploy, kPublicDoc);
  auto deep = Delegation::Of({kAlice, kOrch});
  REQUIRE(deep.ok());
  // A caller's overlay is the caller's for one call: its `delegation`
  // field (no delegation is given) is seen, then gone.
  RecordFields overlay = {
      {Symbol::Intern("delegation"),
       Value::Record({{Symbol::Intern("depth"), Value::Long(2)},
                      {Symbol::Intern("origin"), Value::Entity(kAlice)}})}};
  Request with_overlay = read_secret;
  with_overlay.context_overlay = &overlay;
  for (int round = 0; round < 2; ++round) {
    CHECK(f.guard.Authorize(with_overlay, In(&task, cred)).decision == Decision::kDeny);
    CHECK(f.guard.Authorize(read_secret, In(&task, cred)).decision == Decision::kAllow);
    // A delegation, then none, then the delegation again.
    CHECK(f.guard.Authorize(read_secret, In(&task, cred, &*deep)).decision ==
          Decision::kDeny);
    CHECK(f.guard.Authorize(read_secret, In(&task, cred)).decision == Decision::kAllow);
    CHECK(f.guard.Authorize(read_secret, In(&task, cred, &*deep)).decision ==
          Decision::kDeny);
  }
  // Two guards filing the task under different keys, in turn: policies
  // read `context.task`, which only the first provides.
  GuardOptions o;
  o.credentials = &f.registry;
  o.clock = &f.clock;
  o.task_key = "agent_task";
  Guard other(&f.engine, o);
  for (int round = 0; round < 2; ++round) {
    CHECK(f.guard.Authorize(deploy, In(&task, cred)).decision == Decision::kAllow);
    CHECK(other.Authorize(deploy, In(&task, cred)).decision == Decision::kDeny);
  }
  // No task at all after a task.
  CHECK(f.guard.Authorize(deploy, In(&task, cred)).decision == Decision::kAllow);
  GuardOptions plain;
  Guard bare(&f.engine, plain);
  CHECK(bare.Authorize(deploy).decision == Decision::kDeny);
}

// A caller may layer its own fields with Request::context_overlay; the
// guard's fields go over them, so the overlay cannot forge the task either.
TEST_CASE("agent guard: a caller's context overlay cannot forge the task",
          "[agent]") {
  Fixture f;
  Task task(Spec("task-1"));  // approval "none"
  const std::string cred = f.Issue("task-1", kWorker);
  const Value forged = Value::Record({{Symbol::Intern("approval"), Value::String("approved")}});
  RecordFields overlay = {{Symbol::Intern("task"), forged}};
  Request deploy = Req(kWorker, kDeploy, kPublicDoc);
  deploy.context_overlay = &overlay;
  CHECK(f.guard.Authorize(deploy, In(&task, cred)).decision == Decision::kDeny);
  // Without a task, the caller's overlay is the request's own business.
  GuardOptions o;
  Guard bare(&f.engine, o);
  CHECK(bare.Authorize(deploy).decision == Decision::kAllow);
}

TEST_CASE("agent guard: delegation never adds privilege", "[agent]") {
  Fixture f;
  Task task(Spec("task-1", 3, "approved"));
  const std::string cred = f.Issue("task-1", kWorker);
  auto chain = Delegation::Of({kAlice, kOrch});
  REQUIRE(chain.ok());
  CHECK(chain->origin() == kAlice);

  // The worker alone may deploy (approved task) ...
  GuardResponse r = f.guard.Authorize(Req(kWorker, kDeploy, kPublicDoc), In(&task, cred));
  CHECK(r.decision == Decision::kAllow);
  // ... but not on behalf of alice, who may not.
  r = f.guard.Authorize(Req(kWorker, kDeploy, kPublicDoc), In(&task, cred, &*chain));
  CHECK(r.decision == Decision::kDeny);
  CHECK(r.deny_kind == DenyKind::kDelegation);
  CHECK(r.denied_hop == 0);
  CHECK(r.denied_principal == kAlice);
  CHECK(r.DenyReason() == "not allowed for delegating principal `User::\"alice\"` (hop 0)");

  // What all three may do is allowed; the reasons cover every hop.
  r = f.guard.Authorize(Req(kWorker, kReadDoc, kPublicDoc), In(&task, cred, &*chain));
  CHECK(r.decision == Decision::kAllow);
  CHECK(r.deny_kind == DenyKind::kNone);
  std::vector<std::string_view> reasons(r.core.reasons.begin(), r.core.reasons.end());
  std::sort(reasons.begin(), reasons.end());
  CHECK(reasons == std::vector<std::string_view>{"agents-all", "alice-reads"});

  auto alice_only = Delegation::Of({kAlice});
  REQUIRE(alice_only.ok());
  r = f.guard.Authorize(Req(kWorker, kReadSecret, kSecretDoc),
                        In(&task, cred, &*alice_only));
  CHECK(r.decision == Decision::kAllow);  // depth 1: the deep-chain forbid is off
  // Through orchestrator too, the chain is visible to policies. The forbid
  // applies to every hop; the acting worker (hop 2) is decided first, so
  // this is its own denial, not a delegation one.
  r = f.guard.Authorize(Req(kWorker, kReadSecret, kSecretDoc), In(&task, cred, &*chain));
  CHECK(r.decision == Decision::kDeny);
  CHECK(r.deny_kind == DenyKind::kPolicy);
  CHECK(r.denied_hop == 2);
  CHECK(r.denied_principal == kWorker);
  REQUIRE(r.core.reasons.size() == 1);
  CHECK(r.core.reasons[0] == "no-deep-read-secret");

  CHECK(!Delegation::Of({}).ok());
}

TEST_CASE("agent guard: a worker can never do what its user cannot", "[agent]") {
  // Over every action and resource, with delegation the guard allows only
  // when the user alone, the orchestrator alone and the worker alone are
  // all allowed.
  Fixture f;
  auto chain = Delegation::Of({kAlice, kOrch});
  REQUIRE(chain.ok());
  Guard plain(&f.engine);
  int allowed = 0;
  for (const EntityUid& action : {kReadDoc, kReadSecret, kHttpPost, kDeploy}) {
    for (const EntityUid& resource : {kPublicDoc, kSecretDoc}) {
      const bool each =
          plain.Authorize(Req(kAlice, action, resource)).decision == Decision::kAllow &&
          plain.Authorize(Req(kOrch, action, resource)).decision == Decision::kAllow &&
          plain.Authorize(Req(kWorker, action, resource)).decision == Decision::kAllow;
      GuardResponse r = plain.Authorize(Req(kWorker, action, resource),
                                        In(nullptr, {}, &*chain));
      // no-deep-read-secret only applies with the chain in the context.
      const bool want = each && action != kReadSecret;
      CHECK((r.decision == Decision::kAllow) == want);
      if (r.decision == Decision::kAllow) ++allowed;
    }
  }
  CHECK(allowed == 4);  // read_doc and http_post, on both resources
}

TEST_CASE("agent guard: without hooks it answers as the core does", "[agent]") {
  auto policies = Policies();
  auto entities = TestEntities();
  Engine engine(policies, entities);
  Guard guard(&engine);
  for (const EntityUid& p : {kAlice, kOrch, kWorker}) {
    for (const EntityUid& a : {kReadDoc, kReadSecret, kHttpPost, kDeploy}) {
      const Request req = Req(p, a, kSecretDoc);
      const Response core = Authorize(*policies, *entities, req);
      const GuardResponse g = guard.Authorize(req);
      CHECK(g.decision == core.decision);
      CHECK(g.core.reasons == core.reasons);
      CHECK(g.credential == CredentialStatus::kNotChecked);
    }
  }
}

TEST_CASE("agent guard: the policy revision is a stable hash of the text",
          "[agent]") {
  const char* kText = "permit (principal, action, resource);";
  auto a = PolicySet::Parse(kText);
  auto b = PolicySet::Parse(kText);
  auto c = PolicySet::Parse("forbid (principal, action, resource);");
  REQUIRE((a.ok() && b.ok() && c.ok()));
  CHECK((*a)->source_hash() == (*b)->source_hash());
  CHECK((*a)->source_hash() != (*c)->source_hash());
  // FNV-1a is fixed, so the revision of this text is the same everywhere.
  CHECK((*a)->source_hash() != 0);
}

}  // namespace
}  // namespace arbiter
