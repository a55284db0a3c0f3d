// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// replay.h: which logged decisions a candidate bundle would decide
// differently.
//
// Overview
//   Before a policy change goes live, security wants to know which past
//   decisions it would have changed. Replay reads a decision log (JSON Lines,
//   as the agent guard writes it: decision_log.h) and decides every record's
//   request again against a candidate bundle, the way the guard decided it:
//   the acting principal, then every principal of the delegation chain from
//   its origin; allowed only if all are; a tool no rule of the candidate
//   classifies is denied as unclassified.
//
//   auto candidate = arbiter::Bundle::Load("next/arbiter.yaml").value();
//   auto report = arbiter::Replay(*candidate, jsonl_text);
//   for (const auto& c : report->changes) { ... c.before, c.after ... }
//
// What a record must hold
//   `principal`, `action`, `resource` (Cedar `Type::"id"` strings or
//   `{"type", "id"}` objects), `decision`, `policies` (determining policy
//   ids), `delegation` (may be empty or absent) and `context` holding the
//   whole context the policies read. The guard writes all of these; the
//   context is complete only when the log copies it whole:
//   `decision_log.context_fields: ["*"]` in the bundle (GuardOptions::
//   logged_context_fields = {"*"}). With fewer fields, policies that read the
//   missing ones err or differ, and replay reports changes that are not
//   real. Records denied by the credential check (`deny.kind` credential)
//   never reached the policies and are skipped and counted.
//
// Thread-safety
//   Replay only reads the bundle.

#ifndef ARBITER_REPLAY_H_
#define ARBITER_REPLAY_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "arbiter/bundle.h"

namespace arbiter {

// One decision the candidate decides differently.
struct ReplayChange {
  size_t line = 0;  // 1-based line in the log
  std::string id;   // the record's decision id
  std::string principal, action, resource;  // Cedar syntax
  Decision before = Decision::kDeny;
  Decision after = Decision::kDeny;
  std::vector<std::string> before_policies;  // as logged
  std::vector<std::string> after_policies;   // the candidate's determining ones
  // Why the candidate denies ("" on allow): "unclassified tool", "forbidden
  // by policy", "no policy permits", or a delegating hop's refusal.
  std::string after_reason;
};

struct ReplayReport {
  size_t records = 0;   // non-empty lines
  size_t replayed = 0;  // decided again
  size_t skipped_credential = 0;  // denied by the credential check
  size_t unchanged = 0;
  size_t allow_to_deny = 0;
  size_t deny_to_allow = 0;
  std::vector<ReplayChange> changes;  // in log order
  // Lines that could not be read ("line N: message"); not counted above.
  std::vector<std::string> errors;
};

struct ReplayOptions {
  // Stop collecting line errors after this many. Default: 100.
  size_t max_errors = 100;
};

// Replays every record of `jsonl`. Fails only when nothing could be read
// at all (InvalidArgument); otherwise unreadable lines are in `errors`.
absl::StatusOr<ReplayReport> Replay(const Bundle& candidate,
                                    std::string_view jsonl,
                                    const ReplayOptions& options = {});

}  // namespace arbiter

#endif  // ARBITER_REPLAY_H_
