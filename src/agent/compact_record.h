// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// A DecisionRecord packed into one fixed-size block, for the file sink's
// ring. The deciding thread only copies: scalars, entity uids (two interned
// Symbols each), and the few short strings a record carries (task id,
// credential id, policy ids, and the policy id and message of up to
// kMaxErrors policy errors) into an inline byte array. Formatting happens
// later, on the writer thread, from View().
//
// A record that does not fit (more policies, errors or delegation hops than
// the inline arrays hold, longer strings, or any logged context field)
// spills into an OwnedRecord kept by the slot, which allocates until the
// slot has seen a record of that shape. Errors are inline because a policy
// that errors on some requests (a dangling entity reference, say) errors on
// a steady share of calls, and a spill into each of the queue's thousands
// of slots would then allocate on that share of calls for a long time.

#ifndef ARBITER_SRC_AGENT_COMPACT_RECORD_H_
#define ARBITER_SRC_AGENT_COMPACT_RECORD_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "arbiter/decision_log.h"
#include "src/agent/owned_record.h"

namespace arbiter::internal {

class CompactRecord {
 public:
  static constexpr size_t kTextBytes = 192;
  static constexpr size_t kMaxPolicies = 8;
  static constexpr size_t kMaxDelegation = 4;
  static constexpr size_t kMaxErrors = 2;

  // Copies `r`. Allocates only when the record spills (see above) into a
  // slot that has not spilled before.
  void Assign(const DecisionRecord& r);

  // A view of this record; `policies` and `errors` are scratch buffers the
  // view's spans may point into, valid while they and *this are unchanged.
  DecisionRecord View(std::vector<std::string_view>* policies,
                      std::vector<PolicyError>* errors) const;

 private:
  // INVARIANT: when spilled_, spill_ holds the whole record and the fields
  // below are unused.
  DecisionId id_;
  TimePoint time_;
  uint64_t policy_revision_ = 0;
  EntityUid principal_, action_, resource_, denied_principal_;
  int64_t latency_ns_ = 0;
  int32_t denied_hop_ = -1;
  Decision decision_ = Decision::kDeny;
  DenyKind deny_kind_ = DenyKind::kNone;
  CredentialStatus credential_ = CredentialStatus::kNotChecked;
  bool spilled_ = false;
  uint8_t policy_count_ = 0;
  uint8_t delegation_count_ = 0;
  uint16_t task_len_ = 0;
  uint16_t credential_len_ = 0;
  uint16_t policy_len_[kMaxPolicies] = {};
  uint8_t error_count_ = 0;
  uint16_t error_policy_len_[kMaxErrors] = {};
  uint16_t error_message_len_[kMaxErrors] = {};
  EntityUid delegation_[kMaxDelegation];
  // task id, credential id, each policy id, then each error's policy id
  // and message, back to back
  char text_[kTextBytes];
  std::unique_ptr<OwnedRecord> spill_;  // kept once made, for reuse
};

}  // namespace arbiter::internal

#endif  // ARBITER_SRC_AGENT_COMPACT_RECORD_H_
