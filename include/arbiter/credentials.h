// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// credentials.h: just-in-time credentials for agent tool calls.
//
// Overview
//   An agent gets a short-lived credential per task, scoped to the actions
//   (tools) the task needs, and presents its id on every call. The guard
//   (guard.h) asks a CredentialChecker before any policy is evaluated; a
//   failed check is a deny that names the failed check. CredentialRegistry
//   is the built-in checker:
//
//   arbiter::CredentialRegistry registry;  // system clock
//   absl::StatusOr<std::string> id = registry.Issue({
//       .task_id = "task-7",
//       .agent = arbiter::EntityUid::Of("Agent", "researcher"),
//       .actions = {arbiter::EntityUid::Of("Action", "read_tools")},
//       .ttl = std::chrono::minutes(5)});
//   ... every tool call presents *id (or, parsed once,
//       arbiter::CredentialId::Parse(*id): see CredentialId) ...
//   registry.EndTask("task-7");  // every credential of task-7 stops working
//
//   An action in `actions` is either one action or an action group: a
//   credential for `Action::"read_tools"` covers every action whose
//   ancestors, in the entity store of the decision, include it.
//
//   Ids are 128 random bits from the operating system (getrandom(2)),
//   written as 32 lower-case hex digits. An id is bound to one agent and
//   one task, so it identifies a grant rather than acting as a bearer
//   secret: presented by another principal or in another task it is denied.
//   Ids are therefore safe to write to the decision log.
//
// Thread-safety
//   CredentialRegistry may be used from any number of threads. Check takes no
//   lock and writes nothing shared: it probes an open-addressing id table
//   that each thread caches (revalidated with one atomic load), reading the
//   slot's key with acquire order and then the slot's copy of the grant
//   (one cache line; a grant's second and later actions are read from the
//   grant itself). Issue, Revoke, EndTask and Purge serialize on a mutex,
//   and none of them copies the table on the common path:
//     Issue    fills one empty slot in place (the key is stored last, with
//              release order, so a check sees a whole grant or none); when
//              the table is half full it is replaced by one twice the size
//              (amortized O(1) per credential).
//     Revoke   sets the grant's revoked flag, and its copy in the current
//              table's slot: O(1).
//     EndTask  sets the task's ended flag, which every credential of the
//              task reads: all of them are revoked at the same instant.
//     Purge    builds a table without the revoked and expired grants:
//              O(size()).
//   Each is seen by every check that starts after it returns. A thread's
//   cache may keep a replaced table (and the grants in it) alive until that
//   thread's next check.

#ifndef ARBITER_CREDENTIALS_H_
#define ARBITER_CREDENTIALS_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "arbiter/clock.h"
#include "arbiter/entities.h"
#include "arbiter/value.h"

namespace arbiter {

// The outcome of a credential check. Every value but kValid and
// kNotChecked is a distinct deny reason.
enum class CredentialStatus : uint8_t {
  kNotChecked,  // no checker installed
  kValid,
  kMissing,      // the call presented no credential
  kUnknown,      // no credential has this id (or it is malformed)
  kExpired,      // its time to live has passed
  kRevoked,      // revoked one by one, or its task has ended
  kWrongAgent,   // issued to another principal
  kWrongTask,    // issued for another task
  kOutOfScope,   // the action is not among (or under) its actions
  kRejected,     // a host checker's own reason for refusing
};

// "credential missing", "credential unknown", "credential expired",
// "credential revoked", "credential issued to another agent",
// "credential issued for another task", "action outside credential scope",
// "credential rejected"; "credential valid" and "credential not checked".
std::string_view CredentialStatusName(CredentialStatus status);

// CredentialId
//
// A credential id in binary form: the 128 bits behind the 32 hex digits
// that CredentialRegistry::Issue returns (`hi` is the first sixteen). A call
// may present either form (CallContext). A runtime that presents one id on
// many calls can parse it once and pass this form: the guard then neither
// reads nor parses the text on each call. That matters more than the few
// instructions of a parse: when the id's text has left the cache, reading
// it is a memory miss that the registry's own probe has to wait for (about
// 100 ns a call on the project's machines; see the README).
//
// No issued id has a low word of 0, so the default value means "none".
struct CredentialId {
  uint64_t hi = 0;
  uint64_t lo = 0;

  // InvalidArgument unless `text` is 32 lower-case hex digits that could
  // name an issued credential (the low sixteen not all zero).
  static absl::StatusOr<CredentialId> Parse(std::string_view text);

  bool empty() const { return lo == 0; }
  // The 32 lower-case hex digits: what Issue returned.
  std::string ToString() const;
  // The same digits into out[0, 32), without allocating.
  void WriteHex(char* out) const;

  friend bool operator==(const CredentialId&, const CredentialId&) = default;
};

// What a checker is asked about one call.
struct CredentialQuery {
  std::string_view credential_id;  // empty when the call presented none
  // The same id in binary form when the call presented it so (then
  // credential_id is its text, written by the guard): a checker may use it
  // instead of parsing credential_id. Empty otherwise.
  CredentialId credential;
  EntityUid principal;             // the acting agent
  EntityUid action;
  std::string_view task_id;        // empty outside a task
  const Entities* entities = nullptr;  // the decision's store (action groups)
  TimePoint now;
};

// CredentialChecker
//
// A hook the guard calls before evaluating policies. Implementations must be
// thread-safe and should be fast: this is on every call.
class CredentialChecker {
 public:
  virtual ~CredentialChecker() = default;
  virtual CredentialStatus Check(const CredentialQuery& query) const = 0;
};

// What to issue.
struct CredentialSpec {
  std::string task_id;               // required
  EntityUid agent;                   // the only principal that may present it
  std::vector<EntityUid> actions;    // actions or action groups; not empty
  std::chrono::nanoseconds ttl{0};   // time to live; must be positive
};

// CredentialRegistry
//
// The built-in checker: issues, checks and revokes credentials. Revoked and
// expired credentials are remembered (so their deny reason stays precise)
// until Purge removes them.
class CredentialRegistry : public CredentialChecker {
 public:
  // `clock` is not owned and must outlive the registry; null means
  // Clock::System().
  explicit CredentialRegistry(const Clock* clock = nullptr);
  ~CredentialRegistry() override;
  CredentialRegistry(const CredentialRegistry&) = delete;
  CredentialRegistry& operator=(const CredentialRegistry&) = delete;

  // Issues a credential valid from now until now + ttl and returns its id.
  // InvalidArgument for an empty task id, no actions or a non-positive ttl;
  // Unavailable when the OS has no randomness to give.
  absl::StatusOr<std::string> Issue(const CredentialSpec& spec);

  // Revokes one credential. NotFound for an unknown id.
  absl::Status Revoke(std::string_view credential_id);

  // Ends a task: revokes every credential issued for it, at once (one
  // critical section, so no call can see some revoked and others not).
  // Returns how many were revoked by this call.
  size_t EndTask(std::string_view task_id);

  // Forgets credentials that are revoked or expired at `now`; later checks of
  // their ids answer kUnknown. Returns how many were removed.
  size_t Purge(TimePoint now);

  // CredentialChecker: unknown, then revoked, expired (now >= expiry), wrong
  // agent, wrong task (when the query names a task), out of scope.
  CredentialStatus Check(const CredentialQuery& query) const override;

  // The expiry of a credential, for display; NotFound for an unknown id.
  absl::StatusOr<TimePoint> ExpiresAt(std::string_view credential_id) const;

  size_t size() const;
  const Clock* clock() const { return clock_; }

 private:
  // lo == 0 is never issued: it marks empty slots.
  using Key = CredentialId;
  // What every credential of one task shares. Ending the task is one store
  // to `ended`, so a check sees all of the task's credentials revoked or
  // none of them.
  struct TaskState {
    explicit TaskState(std::string task_id) : id(std::move(task_id)) {}
    const std::string id;
    std::atomic<bool> ended{false};
  };
  // Immutable once in a table, except for the revocation flags. Each table
  // slot copies what Check reads (credential_registry.cc).
  struct Grant {
    std::atomic<bool> revoked{false};  // revoked one by one
    TimePoint expires;
    EntityUid agent;
    std::shared_ptr<TaskState> task;
    // Most credentials name one or two actions or groups: inline, on the
    // line Check reads anyway.
    absl::InlinedVector<EntityUid, 2> actions;
    Key key;

    bool Revoked() const {
      return revoked.load(std::memory_order_acquire) ||
             task->ended.load(std::memory_order_acquire);
    }
  };
  class Table;  // the id table (credential_registry.cc)
  // A task's entry, for EndTask and Purge: its state and its grants.
  struct TaskEntry {
    std::shared_ptr<TaskState> state;
    std::vector<const Grant*> grants;
  };
  friend struct CredentialId;  // Parse shares ParseId
  static bool ParseId(std::string_view text, Key* key);
  // The current table, from the calling thread's cache when still current.
  const Table& Snapshot() const;
  // With mu_ held: makes `next` the current table.
  void PublishLocked(std::shared_ptr<Table> next);

  const Clock* const clock_;
  const uint64_t serial_;  // unique per registry, keys the thread caches
  // Bumped whenever table_ is replaced; a thread cache of an older version
  // is stale. Inserts into the current table do not bump it.
  std::atomic<uint64_t> version_{1};
  mutable std::mutex mu_;                                // writers
  std::shared_ptr<Table> table_;                         // guarded by mu_
  absl::flat_hash_map<std::string, TaskEntry> by_task_;  // guarded by mu_
};

}  // namespace arbiter

#endif  // ARBITER_CREDENTIALS_H_
