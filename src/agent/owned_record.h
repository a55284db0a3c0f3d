// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// A DecisionRecord that owns its data, for queues. Assign() copies into the
// existing strings and vectors, so a queue slot that has held a record of
// the same shape before takes a new one without allocating.

#ifndef ARBITER_SRC_AGENT_OWNED_RECORD_H_
#define ARBITER_SRC_AGENT_OWNED_RECORD_H_

#include <string>
#include <utility>
#include <vector>

#include "arbiter/decision_log.h"

namespace arbiter::internal {

class OwnedRecord {
 public:
  void Assign(const DecisionRecord& r);

  // A view of this record; `policies` and `errors` are scratch buffers the
  // view's spans point into, valid while they and *this are unchanged.
  DecisionRecord View(std::vector<std::string_view>* policies,
                      std::vector<PolicyError>* errors) const;

 private:
  DecisionRecord scalars_;  // its views are not used
  std::string task_id_;
  std::vector<EntityUid> delegation_;
  std::string credential_id_;
  std::vector<std::string> policies_;
  size_t policy_count_ = 0;  // policies_ keeps spare strings for reuse
  std::vector<std::pair<std::string, std::string>> errors_;
  RecordFields context_;
};

}  // namespace arbiter::internal

#endif  // ARBITER_SRC_AGENT_OWNED_RECORD_H_
