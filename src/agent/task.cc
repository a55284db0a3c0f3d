// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Task: the record is a Value shared with every decision that read it, so a
// rebuild makes a new Value and never touches one a decision may hold.

#include "arbiter/task.h"

#include <utility>

namespace arbiter {
namespace {

std::atomic<uint64_t> next_serial{1};

// The last task record this thread read. Keyed by the task's serial (never
// reused, unlike an address) and the record's version.
struct RecordCache {
  uint64_t serial = 0;
  uint64_t version = 0;
  Value record;
};
thread_local RecordCache record_cache;

}  // namespace

Task::Task(TaskSpec spec)
    : spec_(std::move(spec)),
      serial_(next_serial.fetch_add(1, std::memory_order_relaxed)),
      k_id_(Symbol::Intern("id")),
      k_objective_(Symbol::Intern("objective")),
      k_sensitivity_(Symbol::Intern("sensitivity")),
      k_approval_(Symbol::Intern("approval")),
      k_chain_(Symbol::Intern("chain")),
      approval_(spec_.approval) {
  std::lock_guard<std::mutex> lock(mu_);
  RebuildLocked();
}

void Task::RebuildLocked() {
  std::vector<Value> chain;
  chain.reserve(chain_.size());
  for (const EntityUid& a : chain_) chain.push_back(Value::Entity(a));
  record_ = Value::Record({
      {k_id_, Value::String(spec_.id)},
      {k_objective_, Value::String(spec_.objective)},
      {k_sensitivity_, Value::Long(spec_.sensitivity)},
      {k_approval_, Value::String(approval_)},
      {k_chain_, Value::Set(std::move(chain))},
  });
  version_.fetch_add(1, std::memory_order_release);
}

const Value& Task::CachedRecord() const {
  RecordCache& c = record_cache;
  if (c.serial != serial_ || c.version != version_.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(mu_);
    c.record = record_;
    c.version = version_.load(std::memory_order_relaxed);
    c.serial = serial_;
  }
  return c.record;
}

std::string Task::approval() const {
  std::lock_guard<std::mutex> lock(mu_);
  return approval_;
}

void Task::SetApproval(std::string approval) {
  std::lock_guard<std::mutex> lock(mu_);
  approval_ = std::move(approval);
  RebuildLocked();
}

Value Task::record() const {
  std::lock_guard<std::mutex> lock(mu_);
  return record_;
}

void Task::RecordCall(const TaskCall& call) {
  std::lock_guard<std::mutex> lock(mu_);
  ++calls_;
  if (spec_.max_history > 0) {
    if (history_.size() < spec_.max_history) {
      history_.push_back(call);
    } else {
      history_[history_next_] = call;
      history_next_ = (history_next_ + 1) % history_.size();
    }
  }
  if (chain_set_.insert(call.action).second) {
    chain_.push_back(call.action);
    RebuildLocked();
  }
}

std::vector<TaskCall> Task::history() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<TaskCall> out;
  out.reserve(history_.size());
  // history_next_ is the oldest entry once the ring has wrapped (0 before).
  for (size_t i = 0; i < history_.size(); ++i) {
    out.push_back(history_[(history_next_ + i) % history_.size()]);
  }
  return out;
}

uint64_t Task::call_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

std::vector<EntityUid> Task::chain() const {
  std::lock_guard<std::mutex> lock(mu_);
  return chain_;
}

}  // namespace arbiter
