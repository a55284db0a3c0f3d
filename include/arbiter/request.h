// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// request.h: an authorization request and its response.
//
// Overview
//   A Request names who (principal) wants to do what (action) to which
//   resource, in a context record. A Response says allow or deny, which
//   policies determined that, and which policies failed to evaluate.
//
//   arbiter::Request req{
//       .principal = arbiter::EntityUid::Of("User", "alice"),
//       .action = arbiter::EntityUid::Of("Action", "view"),
//       .resource = arbiter::EntityUid::Of("Photo", "p1"),
//   };
//
// Thread-safety
//   Plain data; a Response is filled by one Authorize call at a time.

#ifndef ARBITER_REQUEST_H_
#define ARBITER_REQUEST_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "arbiter/value.h"

namespace arbiter {

struct Request {
  EntityUid principal;
  EntityUid action;
  EntityUid resource;
  // Must be a record; an empty record by default.
  Value context = Value::Record({});
  // Optional fields layered over `context`: policies see the union, and on
  // a key present in both the overlay wins. For layers that add a few
  // fields per call (the agent guard's `task` and `delegation`) without
  // copying the caller's record. Sorted by key with no repeats, like any
  // RecordFields; not owned, and must outlive the call. Default: none.
  const RecordFields* context_overlay = nullptr;
};

enum class Decision { kDeny, kAllow };

// "allow" or "deny".
std::string_view DecisionName(Decision d);

// A policy that could not be evaluated for this request, and why.
struct PolicyError {
  std::string_view policy_id;  // points into the PolicySet
  std::string message;         // e.g. "entity `User::\"bob\"` does not exist"
};

// Response
//
// The outcome of one decision. Policy ids are views into the PolicySet that
// produced them, so the PolicySet must outlive the Response. Reusing one
// Response across calls keeps its buffers, so a decision on the common path
// allocates nothing.
struct Response {
  Decision decision = Decision::kDeny;
  // Ids of the determining policies: the satisfied forbids on a deny, the
  // satisfied permits on an allow (empty on a default deny). In policy-set
  // order.
  std::vector<std::string_view> reasons;
  // Policies skipped because their condition raised an error, in policy-set
  // order.
  std::vector<PolicyError> errors;
  // Set by Engine::Authorize: keeps alive the snapshot the ids point into.
  // Assigned only when the snapshot changes, so reuse costs nothing.
  std::shared_ptr<const void> keepalive;

  // Resets the answer; keeps the buffers and `keepalive`.
  void Clear() {
    decision = Decision::kDeny;
    reasons.clear();
    errors.clear();
  }
};

}  // namespace arbiter

#endif  // ARBITER_REQUEST_H_
