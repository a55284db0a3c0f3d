// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// decision_log.h: one record per guarded decision, for audit and replay.
//
// Overview
//   The guard (guard.h) hands a DecisionRecord to its DecisionLogger once per
//   decision, allowed or denied, on the deciding thread. Two loggers are
//   built in:
//
//   - JsonlFileSink appends one JSON object per line to a file. Log() copies
//     the record into a bounded lock-free queue of preallocated fixed-size
//     cells (no lock, no allocation and no formatting on the deciding
//     thread, except for rare records too big for a cell; no system call
//     unless the queue is half full) and returns; a background thread
//     formats and writes. It never waits for the disk: when the queue is
//     full the record is dropped and counted (dropped()). Close() (or the
//     destructor) writes everything still queued.
//   - MemorySink keeps the JSON lines in memory, for tests and demos.
//
//   auto sink = arbiter::JsonlFileSink::Open("decisions.jsonl");
//   if (!sink.ok()) { ... }
//   arbiter::Guard guard(&engine, {.logger = sink->get()});
//   ...
//   absl::Status s = (*sink)->Close();  // flushes; reports a write error
//
//   The line format is documented in README.md ("Decision log record
//   format"); DecisionRecordToJson produces it.
//
// Thread-safety
//   Both sinks accept Log() from any number of threads at once. A custom
//   DecisionLogger must too, and should not block: it runs inside the call.

#ifndef ARBITER_DECISION_LOG_H_
#define ARBITER_DECISION_LOG_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "arbiter/clock.h"
#include "arbiter/credentials.h"
#include "arbiter/request.h"
#include "arbiter/value.h"

namespace arbiter {

// A decision's id: a random 64-bit stream id (one per deciding thread, from
// the OS) and a sequence number within the stream, so ids are unique across
// threads and processes without a shared counter on the decision path.
struct DecisionId {
  uint64_t stream = 0;
  uint64_t sequence = 0;
  // "<stream as 16 hex digits>-<sequence in decimal>"
  std::string ToString() const;
  friend bool operator==(const DecisionId&, const DecisionId&) = default;
};

// Why a guarded call was denied.
enum class DenyKind : uint8_t {
  kNone,        // allowed
  kCredential,  // the credential check failed (see CredentialStatus)
  kPolicy,      // the acting principal's own request was denied by policy
  kDelegation,  // a principal it acts for was denied (see denied_hop)
  kUnclassified,  // the action is a tool no bundle rule classifies
};

// "none", "credential", "policy", "delegation", "unclassified".
std::string_view DenyKindName(DenyKind kind);

// DecisionRecord
//
// Everything known about one decision. Views point into the guard's
// buffers and are valid only during DecisionLogger::Log: a logger that keeps
// the record must copy it.
struct DecisionRecord {
  DecisionId id;
  TimePoint time;                // the guard's Clock, at the start of the call
  uint64_t policy_revision = 0;  // PolicySet::source_hash() of the deciding set
  EntityUid principal;           // the acting principal
  EntityUid action;
  EntityUid resource;
  std::string_view task_id;      // empty outside a task
  absl::Span<const EntityUid> delegation;  // principals acted for, origin first
  std::string_view credential_id;          // empty when none was presented
  Decision decision = Decision::kDeny;
  DenyKind deny_kind = DenyKind::kNone;
  CredentialStatus credential = CredentialStatus::kNotChecked;
  // For kPolicy / kDelegation: the hop that was denied (0 = origin; the
  // acting principal is hop delegation.size()) and who that is.
  int denied_hop = -1;
  EntityUid denied_principal;
  absl::Span<const std::string_view> policies;  // determining policy ids
  absl::Span<const PolicyError> errors;
  // The whole guarded call, by clock_gettime (never the injectable
  // GuardOptions::clock).
  std::chrono::nanoseconds latency{0};
  // The request-context fields chosen by GuardOptions::logged_context_fields
  // (none by default), sorted by key.
  absl::Span<const std::pair<Symbol, Value>> context;
};

// One JSON object, without a trailing newline, in the documented format.
std::string DecisionRecordToJson(const DecisionRecord& record);

// The human-readable deny reason of a record: "" when allowed, else e.g.
// "credential expired", "forbidden by policy", "no policy permits",
// "not allowed for delegating principal `User::\"alice\"` (hop 0)".
std::string DenyReason(const DecisionRecord& record);

// DecisionLogger
//
// A hook the guard calls once per decision, after the decision is made.
class DecisionLogger {
 public:
  virtual ~DecisionLogger() = default;
  virtual void Log(const DecisionRecord& record) = 0;
};

// MemorySink
//
// Formats each record at once and keeps the lines. For tests and demos.
class MemorySink : public DecisionLogger {
 public:
  void Log(const DecisionRecord& record) override;
  std::vector<std::string> lines() const;
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;  // guarded by mu_
};

// Options for JsonlFileSink.
struct JsonlFileSinkOptions {
  // Records the queue holds (rounded up to a power of two); beyond that
  // Log() drops. Each takes a preallocated cell of a few hundred bytes.
  // Default: 8192; at most kMaxQueueCapacity (Open refuses more).
  size_t queue_capacity = 8192;
  static constexpr size_t kMaxQueueCapacity = size_t{1} << 22;
  // The longest the writer sleeps. While records keep coming it wakes every
  // millisecond (or this often, if shorter); when the queue is idle it
  // backs off to this interval, and a producer wakes it at once only when
  // the queue is half full. Log() takes no lock and, below half full,
  // makes no system call. Default: 50 ms.
  std::chrono::milliseconds flush_interval{50};
};

// JsonlFileSink
//
// Appends JSON Lines to a file from a background thread.
class JsonlFileSink : public DecisionLogger {
 public:
  // Opens (creating, mode 0600, or appending to) `path` and starts the
  // writer. InvalidArgument for a zero capacity; the OS error otherwise.
  static absl::StatusOr<std::unique_ptr<JsonlFileSink>> Open(
      const std::string& path, const JsonlFileSinkOptions& options = {});
  ~JsonlFileSink() override;  // Close()s, ignoring its status

  // Copies the record into the queue, or counts it dropped when the queue is
  // full or the sink is closed. Never waits for the writer.
  void Log(const DecisionRecord& record) override;

  // Waits until every record queued before the call is written (or failed).
  void Flush();
  // Writes every queued record, stops the writer and closes the file. The
  // first write error, if any. Later Log() calls are counted as dropped.
  absl::Status Close();

  uint64_t dropped() const;  // records not queued (queue full or closed)
  uint64_t written() const;  // records written to the file
  // Records lost to a write error (Close() reports the first): a chunk that
  // met an error counts whole, though some of its lines may be in the file.
  // After Close(), dropped() + written() + failed() is the number of Log()
  // calls.
  uint64_t failed() const;

  class Impl;

 private:
  explicit JsonlFileSink(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace arbiter

#endif  // ARBITER_DECISION_LOG_H_
