// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// task.h: the context of one agent task, added to every decision made in it.
//
// Overview
//   A runtime creates one Task when a task starts and passes it to every
//   Guard::Authorize call made for the task, by any agent. The guard adds the
//   task's record to the Cedar context (under `context.task` by default; see
//   GuardOptions::task_key) and, when a call is allowed, appends the call to
//   the task's chain. Policies can then bound a task by its approved data
//   sensitivity and forbid dangerous sequences:
//
//   // no outbound call once a secret has been read in this task
//   forbid (principal, action in Action::"egress_tools", resource)
//   when { context.task.chain.contains(Action::"read_secret") };
//   // nothing above the task's sensitivity ceiling
//   forbid (principal, action, resource)
//   when { resource.sensitivity > context.task.sensitivity };
//
//   The record has these fields:
//     id           String  the task id
//     objective    String  the approved objective, as given
//     sensitivity  Long    the data-sensitivity ceiling
//     approval     String  the approval state, e.g. "none", "approved"
//     chain        Set of entity references: the actions of every allowed
//                  call so far in this task (a Cedar set has no order or
//                  repetition; the ordered list is history())
//   A denied call is not appended, so an attempt cannot poison the chain.
//
// Thread-safety
//   All methods may be called concurrently. The record is rebuilt (under the
//   task's lock) only when the chain gains a new action or the approval
//   changes; every other call reads the prebuilt record. The guard reads it
//   through a per-thread cache revalidated by one atomic load, so a thread
//   may keep the last record it read alive until its next guarded call.

#ifndef ARBITER_TASK_H_
#define ARBITER_TASK_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "arbiter/value.h"

namespace arbiter {

// What a task is created with.
struct TaskSpec {
  std::string id;         // e.g. "task-7"; also checked against credentials
  std::string objective;  // the approved objective, for policies and audit
  int64_t sensitivity = 0;     // data-sensitivity ceiling
  std::string approval = "none";  // approval state
  // Allowed calls kept in history(); older ones are dropped (the chain set
  // and call_count() still count them). Default: 4096.
  size_t max_history = 4096;
};

// One allowed call, as kept in a task's history.
struct TaskCall {
  EntityUid principal;
  EntityUid action;
  EntityUid resource;
};

// Task
//
// A task's identity, limits and call chain.
class Task {
 public:
  explicit Task(TaskSpec spec);
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;

  const std::string& id() const { return spec_.id; }
  const std::string& objective() const { return spec_.objective; }
  int64_t sensitivity() const { return spec_.sensitivity; }
  std::string approval() const;
  void SetApproval(std::string approval);

  // The record the guard puts in the context (fields listed above).
  Value record() const;

  // Appends an allowed call: to the history, and its action to the chain.
  // The guard calls this; a runtime that decides some calls elsewhere may too.
  void RecordCall(const TaskCall& call);

  // The most recent allowed calls, oldest first (at most max_history).
  std::vector<TaskCall> history() const;
  // Every allowed call ever recorded.
  uint64_t call_count() const;
  // The distinct actions called, in order of first call.
  std::vector<EntityUid> chain() const;

 private:
  friend class Guard;
  // The current record from the calling thread's cache, refreshed (under
  // mu_) only when the record was rebuilt since. Valid until this thread
  // reads another task's record.
  const Value& CachedRecord() const;
  void RebuildLocked();

  const TaskSpec spec_;  // approval lives in approval_
  const uint64_t serial_;  // unique per task, keys the thread caches
  // INVARIANT: changes (under mu_) whenever record_ does.
  std::atomic<uint64_t> version_{0};
  const Symbol k_id_, k_objective_, k_sensitivity_, k_approval_, k_chain_;
  mutable std::mutex mu_;
  std::string approval_;                  // guarded by mu_
  std::vector<EntityUid> chain_;          // guarded by mu_
  absl::flat_hash_set<EntityUid> chain_set_;  // guarded by mu_
  std::vector<TaskCall> history_;         // guarded by mu_; a ring when full
  size_t history_next_ = 0;               // guarded by mu_
  uint64_t calls_ = 0;                    // guarded by mu_
  Value record_;                          // guarded by mu_
};

}  // namespace arbiter

#endif  // ARBITER_TASK_H_
