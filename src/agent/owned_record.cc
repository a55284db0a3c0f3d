// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0

#include "src/agent/owned_record.h"

namespace arbiter::internal {

void OwnedRecord::Assign(const DecisionRecord& r) {
  scalars_ = r;
  task_id_.assign(r.task_id);
  delegation_.assign(r.delegation.begin(), r.delegation.end());
  credential_id_.assign(r.credential_id);
  // Strings beyond the count are kept, not destroyed, so their buffers are
  // reused by the next record with more policies.
  if (policies_.size() < r.policies.size()) policies_.resize(r.policies.size());
  for (size_t i = 0; i < r.policies.size(); ++i) policies_[i].assign(r.policies[i]);
  policy_count_ = r.policies.size();
  errors_.resize(r.errors.size());
  for (size_t i = 0; i < r.errors.size(); ++i) {
    errors_[i].first.assign(r.errors[i].policy_id);
    errors_[i].second.assign(r.errors[i].message);
  }
  context_.assign(r.context.begin(), r.context.end());
}

DecisionRecord OwnedRecord::View(std::vector<std::string_view>* policies,
                                 std::vector<PolicyError>* errors) const {
  DecisionRecord r = scalars_;
  r.task_id = task_id_;
  r.delegation = delegation_;
  r.credential_id = credential_id_;
  policies->assign(policies_.begin(), policies_.begin() + policy_count_);
  r.policies = *policies;
  errors->clear();
  for (const auto& [id, message] : errors_) errors->push_back({id, message});
  r.errors = *errors;
  r.context = context_;
  return r;
}

}  // namespace arbiter::internal
