// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// guard.h: the agent guard, a per-call control layer over Authorize.
//
// Overview
//   An agent picks tools at run time and can chain them faster than any
//   review, so each tool call is checked when it is made. A Guard wraps an
//   Engine and, for every call:
//     1. checks the presented credential, if a CredentialChecker is
//        installed (a failure denies, naming the check, before any policy
//        is evaluated);
//     2. adds the task's record and the delegation chain to the Cedar
//        context (`context.task`, `context.delegation` by default);
//     3. decides the request for every principal of the delegation chain and
//        allows only if all are allowed, so delegation adds no privilege;
//     4. appends an allowed call to the task's chain;
//     5. hands a DecisionRecord to the DecisionLogger, if one is installed.
//   With no hooks, no task and no delegation, a guarded call is one core
//   Engine::Authorize.
//
//   arbiter::CredentialRegistry registry;
//   auto sink = arbiter::JsonlFileSink::Open("decisions.jsonl").value();
//   arbiter::Guard guard(&engine, {.credentials = &registry,
//                                  .logger = sink.get()});
//   arbiter::Task task({.id = "task-7", .objective = "triage", .sensitivity = 1});
//   std::string cred = registry.Issue({.task_id = "task-7", .agent = worker,
//                                      .actions = {read_tools},
//                                      .ttl = std::chrono::minutes(5)}).value();
//   auto chain = arbiter::Delegation::Of({alice, orchestrator}).value();
//   arbiter::GuardResponse r;
//   guard.Authorize(request, {.task = &task, .delegation = &chain,
//                             .credential_id = cred}, &r);
//   if (r.decision != arbiter::Decision::kAllow) log(r.DenyReason());
//
//   The guard's context fields replace any request-context field of the same
//   name, so a caller cannot forge `context.task`. When a policy set already
//   uses those names for something else, choose others in GuardOptions. They
//   are passed as Request::context_overlay, so the caller's context record is
//   shared, not copied; a caller's own overlay is kept beneath them.
//
// Thread-safety
//   A Guard is immutable after construction; Authorize may be called from
//   any number of threads (the hooks must be thread-safe, as the built-in
//   ones are). A GuardResponse is filled by one call at a time.

#ifndef ARBITER_GUARD_H_
#define ARBITER_GUARD_H_

#include <string>
#include <string_view>
#include <vector>

#include "arbiter/authorizer.h"
#include "arbiter/clock.h"
#include "arbiter/credentials.h"
#include "arbiter/decision_log.h"
#include "arbiter/delegation.h"
#include "arbiter/engine.h"
#include "arbiter/task.h"

namespace arbiter {

struct GuardOptions {
  // Checked before policies; not owned. Default: none (no check).
  const CredentialChecker* credentials = nullptr;
  // Called once per decision; not owned. Default: none (no record).
  DecisionLogger* logger = nullptr;
  // "Now" for credential expiry and record timestamps; not owned. Default:
  // null, meaning Clock::System(). Read once per call, and only when a
  // credential check or a log record needs it. With the system clock, "now"
  // is the Unix time from the CPU's invariant cycle counter, re-anchored to
  // clock_gettime(CLOCK_REALTIME) every 100 ms (so a step of the wall clock
  // reaches it within 100 ms; plain clock_gettime where the counter is not
  // invariant), and with a logger that one reading is also the start of the
  // record's latency.
  const Clock* clock = nullptr;
  // Context key of the task record. Default: "task".
  std::string task_key = "task";
  // Context key of the delegation record. Default: "delegation".
  std::string delegation_key = "delegation";
  // Request-context fields copied into each decision record. Default: none,
  // so nothing the caller put in the context reaches the log unless chosen.
  // "*" copies the whole context the policies read (the task and delegation
  // fields included): what `arbiter replay` needs to decide again.
  std::vector<std::string> logged_context_fields;
  // Passed to the core decision. Default: use the scope index.
  AuthorizeOptions authorize;
};

// What a call is made within; every member is optional.
struct CallContext {
  Task* task = nullptr;                    // the task the call belongs to
  const Delegation* delegation = nullptr;  // whom the principal acts for
  std::string_view credential_id;          // the credential presented
  // The credential presented in binary form (CredentialId::Parse), used
  // when credential_id is empty: parsed once by a runtime that presents the
  // same id on many calls, it spares each call reading the text (see
  // CredentialId). Checkers and the decision log still see the text.
  CredentialId credential;
};

// GuardResponse
//
// The outcome of one guarded call. Reuse one across calls: its buffers are
// kept, as with Response.
struct GuardResponse {
  Decision decision = Decision::kDeny;
  DenyKind deny_kind = DenyKind::kNone;
  CredentialStatus credential = CredentialStatus::kNotChecked;
  // For kPolicy / kDelegation: the hop denied (0 = the delegation's origin;
  // the acting principal is hop delegation->principals().size(), so 0
  // without delegation) and that hop's principal. The acting principal is
  // decided first, then the chain from its origin; the first denial wins.
  int denied_hop = -1;
  EntityUid denied_principal;
  DecisionId id;
  // The core answer: `core.reasons` are the determining policies (of the
  // denying hop on a deny; of every hop, without repeats, on an allow) and
  // `core.errors` the policies that failed to evaluate. Empty after a
  // credential deny, since no policy was evaluated. `core.keepalive` keeps
  // the snapshot the policy ids point into.
  Response core;

  // "" when allowed; else the reason, e.g. "credential expired".
  std::string DenyReason() const;
};

// Guard
//
// See the overview above.
class Guard {
 public:
  // `engine` is not owned and must outlive the guard.
  explicit Guard(const Engine* engine, GuardOptions options = {});
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;

  void Authorize(const Request& request, const CallContext& call,
                 GuardResponse* response) const;
  GuardResponse Authorize(const Request& request,
                          const CallContext& call = {}) const;

  const GuardOptions& options() const { return options_; }

 private:
  void BuildOverlay(const RecordFields* caller, const CallContext& call,
                    RecordFields* out) const;

  const Engine* const engine_;
  const GuardOptions options_;
  const Clock* const clock_;
  const bool system_clock_;  // clock_ == Clock::System()
  const Symbol task_key_;
  const Symbol delegation_key_;
  std::vector<Symbol> logged_fields_;  // sorted by id
  bool log_whole_context_ = false;     // "*" among logged_context_fields
};

}  // namespace arbiter

#endif  // ARBITER_GUARD_H_
