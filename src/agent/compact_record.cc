// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0

#include "src/agent/compact_record.h"

#include <cstring>

namespace arbiter::internal {

void CompactRecord::Assign(const DecisionRecord& r) {
  size_t text = r.task_id.size() + r.credential_id.size();
  bool fits = r.context.empty() && r.policies.size() <= kMaxPolicies &&
              r.errors.size() <= kMaxErrors &&
              r.delegation.size() <= kMaxDelegation;
  if (fits) {
    for (std::string_view p : r.policies) text += p.size();
    for (const PolicyError& e : r.errors) text += e.policy_id.size() + e.message.size();
    fits = text <= kTextBytes;
  }
  if (!fits) {
    if (spill_ == nullptr) spill_ = std::make_unique<OwnedRecord>();
    spill_->Assign(r);
    spilled_ = true;
    return;
  }
  spilled_ = false;
  id_ = r.id;
  time_ = r.time;
  policy_revision_ = r.policy_revision;
  principal_ = r.principal;
  action_ = r.action;
  resource_ = r.resource;
  denied_principal_ = r.denied_principal;
  latency_ns_ = r.latency.count();
  denied_hop_ = r.denied_hop;
  decision_ = r.decision;
  deny_kind_ = r.deny_kind;
  credential_ = r.credential;
  delegation_count_ = static_cast<uint8_t>(r.delegation.size());
  for (size_t i = 0; i < r.delegation.size(); ++i) delegation_[i] = r.delegation[i];
  char* out = text_;
  auto put = [&out](std::string_view s) {
    if (!s.empty()) std::memcpy(out, s.data(), s.size());
    out += s.size();
    return static_cast<uint16_t>(s.size());
  };
  task_len_ = put(r.task_id);
  credential_len_ = put(r.credential_id);
  policy_count_ = static_cast<uint8_t>(r.policies.size());
  for (size_t i = 0; i < r.policies.size(); ++i) policy_len_[i] = put(r.policies[i]);
  error_count_ = static_cast<uint8_t>(r.errors.size());
  for (size_t i = 0; i < r.errors.size(); ++i) {
    error_policy_len_[i] = put(r.errors[i].policy_id);
    error_message_len_[i] = put(r.errors[i].message);
  }
}

DecisionRecord CompactRecord::View(std::vector<std::string_view>* policies,
                                   std::vector<PolicyError>* errors) const {
  if (spilled_) return spill_->View(policies, errors);
  DecisionRecord r;
  r.id = id_;
  r.time = time_;
  r.policy_revision = policy_revision_;
  r.principal = principal_;
  r.action = action_;
  r.resource = resource_;
  r.denied_principal = denied_principal_;
  r.latency = std::chrono::nanoseconds(latency_ns_);
  r.denied_hop = denied_hop_;
  r.decision = decision_;
  r.deny_kind = deny_kind_;
  r.credential = credential_;
  r.delegation = absl::MakeConstSpan(delegation_, delegation_count_);
  const char* in = text_;
  auto take = [&in](size_t n) {
    std::string_view s(in, n);
    in += n;
    return s;
  };
  r.task_id = take(task_len_);
  r.credential_id = take(credential_len_);
  policies->clear();
  for (size_t i = 0; i < policy_count_; ++i) policies->push_back(take(policy_len_[i]));
  r.policies = *policies;
  // Reuses the scratch errors' message strings (the writer's buffers).
  errors->resize(error_count_);
  for (size_t i = 0; i < error_count_; ++i) {
    (*errors)[i].policy_id = take(error_policy_len_[i]);
    (*errors)[i].message.assign(take(error_message_len_[i]));
  }
  r.errors = *errors;
  return r;
}

}  // namespace arbiter::internal
