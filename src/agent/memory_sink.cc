// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// MemorySink: formats on the calling thread, since it exists for tests and
// demos where seeing the exact line matters more than the caller's latency.

#include "arbiter/decision_log.h"
#include "src/agent/record_json.h"

namespace arbiter {

void MemorySink::Log(const DecisionRecord& record) {
  std::string line;
  internal::AppendDecisionJson(record, &line);
  std::lock_guard<std::mutex> lock(mu_);
  lines_.push_back(std::move(line));
}

std::vector<std::string> MemorySink::lines() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lines_;
}

size_t MemorySink::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lines_.size();
}

}  // namespace arbiter
