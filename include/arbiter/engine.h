// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// engine.h: a policy set and an entity store, swappable while in use.
//
// Overview
//   A runtime holds one Engine and calls Authorize from any number of
//   threads. A new policy set or entity snapshot is installed with Swap (or
//   SetPolicies / SetEntities) at any time: calls already running finish on
//   the snapshot they started with, later calls see the new one, and no call
//   ever sees a policy set from one snapshot with entities from another.
//
//   arbiter::Engine engine(policies, entities);
//   // on many threads:
//   arbiter::Response r;
//   engine.Authorize(request, &r);
//   // on a reload:
//   engine.SetPolicies(new_policies);
//
// Thread-safety
//   All methods may be called concurrently. The decision path takes no lock:
//   each thread keeps its own reference to the snapshot it last used and
//   checks one atomic revision counter per call; only a thread that finds
//   the counter changed takes the lock, once, to pick up the new snapshot.
//   A retired snapshot is freed when the last thread that used it has moved
//   on (or exited) and no Response still refers to it.

#ifndef ARBITER_ENGINE_H_
#define ARBITER_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "arbiter/authorizer.h"
#include "arbiter/bound_policy_set.h"

namespace arbiter {

// ActionResolver
//
// For a layer that adds actions at run time (a policy bundle's tools,
// bundle.h): which entity store decides a request, by its action. Installed
// with a snapshot (Engine::Swap); implementations are immutable and
// thread-safe.
class ActionResolver {
 public:
  virtual ~ActionResolver() = default;
  // The store holding `action` (and everything else the decision reads), or
  // nullptr when the action must be denied without evaluating any policy
  // (an unclassified tool). The store lives as long as the resolver.
  virtual const Entities* EntitiesFor(const EntityUid& action) const = 0;
  // The revision decision logs record for decisions on this snapshot.
  virtual uint64_t revision() const = 0;
};

// What one decision reads: a policy set and the entities, from one moment.
struct Snapshot {
  std::shared_ptr<const PolicySet> policies;
  std::shared_ptr<const Entities> entities;
  // The two bound together (bound_policy_set.h), which is what decisions
  // use; Swap builds it.
  std::shared_ptr<const BoundPolicySet> bound;
  uint64_t revision = 0;  // increases with every swap, across all engines
  // Optional: decides per action which store to read instead of `entities`.
  std::shared_ptr<const ActionResolver> actions;

  // The store a request for `action` reads (nullptr: deny unevaluated).
  const Entities* EntitiesFor(const EntityUid& action) const {
    return actions ? actions->EntitiesFor(action) : entities.get();
  }
};

// How an Engine prepares each snapshot it installs.
struct EngineOptions {
  // Whether each snapshot's policy set is bound to its store
  // (BoundPolicySet). Bound decisions read each request entity's
  // precomputed rows instead of probing the index, rows that leave out
  // the policies their entity alone rules out: 8 to 33% faster on the
  // agent workloads. The cost is paid on every swap, before the lock:
  // 11 to 16 ms and a few MB for agents-10000's 26,000 entities. A
  // runtime that swaps large entity snapshots many times a second, or is
  // short of memory, may turn it off; answers are the same either way.
  // Default true.
  bool bind = true;
  // The binding's limits and whether it rules policies out
  // (bound_policy_set.h). Default: BindOptions{}.
  BindOptions bind_options;
};

class Engine {
 public:
  // Installs the first snapshot, as Swap would (`actions`: its resolver,
  // if any).
  Engine(std::shared_ptr<const PolicySet> policies,
         std::shared_ptr<const Entities> entities,
         const EngineOptions& options = {},
         std::shared_ptr<const ActionResolver> actions = nullptr);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine();

  // Installs a new snapshot atomically. SetPolicies and SetEntities keep
  // the other half and drop any resolver (it was built for the old store).
  // Each binds the policy set to the store first (BoundPolicySet::Bind:
  // milliseconds for tens of thousands of entities; unless
  // EngineOptions::bind is off), before taking the lock, so calls in
  // flight are not held up.
  void Swap(std::shared_ptr<const PolicySet> policies,
            std::shared_ptr<const Entities> entities,
            std::shared_ptr<const ActionResolver> actions = nullptr);
  void SetPolicies(std::shared_ptr<const PolicySet> policies);
  void SetEntities(std::shared_ptr<const Entities> entities);

  // The current snapshot (takes the lock; not meant for the decision path).
  std::shared_ptr<const Snapshot> snapshot() const;

  // The snapshot a decision on this thread would use now, found the way
  // Authorize finds it (no lock unless a swap happened). The reference is
  // valid until this thread's next call into this engine; copy the pointer
  // to keep the snapshot longer. For layers that decide several requests on
  // one snapshot (the agent guard's delegation chain).
  const std::shared_ptr<const Snapshot>& CurrentSnapshot() const {
    return Current();
  }

  // Decides on the current snapshot. The response keeps that snapshot alive
  // (its policy ids point into it) until it is reused or destroyed.
  void Authorize(const Request& request, Response* response,
                 const AuthorizeOptions& options = {}) const;

 private:
  const std::shared_ptr<const Snapshot>& Current() const;

  const uint64_t id_;  // unique per engine, for the per-thread caches
  const EngineOptions options_;
  std::atomic<uint64_t> revision_;
  // std::mutex rather than absl::Mutex: ThreadSanitizer understands it
  // without an instrumented Abseil, and it is off the decision path.
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> current_;  // guarded by mu_
};

}  // namespace arbiter

#endif  // ARBITER_ENGINE_H_
