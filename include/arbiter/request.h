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
#include <utility>
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

// The context the policies of `request` read: `context` with
// `context_overlay` laid over it, an overlay field replacing a context
// field of the same key. Without an overlay, or when `context` is not a
// record, this is `context` itself (a cheap copy: values share their
// data). With one, a new record is built, so this is for the rare reader
// of the whole context (a replayable log, `context == {...}`), not for
// reading single fields.
Value EffectiveContext(const Request& request);

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
  // Message buffers of earlier errors, which Clear() keeps for the next
  // errors to reuse: a reused response reports errors without allocating
  // once its buffers have grown. Not part of the answer.
  std::vector<std::string> spare_messages;

  // Resets the answer; keeps the buffers and `keepalive`.
  void Clear() {
    decision = Decision::kDeny;
    reasons.clear();
    for (PolicyError& e : errors) spare_messages.push_back(std::move(e.message));
    errors.clear();
  }

  // Appends an error for `policy_id` and returns its message buffer, empty
  // (a spare one when there is one).
  std::string* AddError(std::string_view policy_id) {
    std::string message;
    if (!spare_messages.empty()) {
      message = std::move(spare_messages.back());
      spare_messages.pop_back();
      message.clear();
    }
    errors.push_back(PolicyError{policy_id, std::move(message)});
    return &errors.back().message;
  }
};

}  // namespace arbiter

#endif  // ARBITER_REQUEST_H_
