// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Lock-free reads of a swappable snapshot. Each thread caches, per engine,
// the snapshot it last used and that snapshot's revision. A call loads the
// engine's revision counter (one acquire load); when it equals the cached
// one the cached snapshot is used as is — no lock, no reference count
// change. Swap stores the new snapshot under the lock, then bumps the
// counter with release order, so a thread that sees the new revision and
// takes the lock finds the new snapshot.

#include "arbiter/engine.h"

#include <array>

#include "src/authorize/authorize_view.h"

namespace arbiter {
namespace {

std::atomic<uint64_t> next_engine_id{1};
std::atomic<uint64_t> next_revision{1};

struct CacheEntry {
  uint64_t engine_id = 0;
  uint64_t revision = 0;
  std::shared_ptr<const Snapshot> snapshot;
};

// A few engines per thread is the expected case; beyond that the least
// recently filled entry is replaced.
struct ThreadCache {
  std::array<CacheEntry, 4> entries;
  size_t next = 0;
};

thread_local ThreadCache cache;

}  // namespace

Engine::Engine(std::shared_ptr<const PolicySet> policies,
               std::shared_ptr<const Entities> entities,
               const EngineOptions& options,
               std::shared_ptr<const ActionResolver> actions)
    : id_(next_engine_id.fetch_add(1)), options_(options), revision_(0) {
  Swap(std::move(policies), std::move(entities), std::move(actions));
}

Engine::~Engine() = default;

void Engine::Swap(std::shared_ptr<const PolicySet> policies,
                  std::shared_ptr<const Entities> entities,
                  std::shared_ptr<const ActionResolver> actions) {
  auto s = std::make_shared<Snapshot>();
  s->policies = std::move(policies);
  s->entities = entities ? std::move(entities) : Entities::Empty();
  s->actions = std::move(actions);
  // Binding fails only on a null policy set, which Authorize would
  // dereference anyway: such a snapshot has no binding, as none has when
  // EngineOptions::bind is off.
  if (options_.bind) {
    if (auto bound = BoundPolicySet::Bind(s->policies, s->entities,
                                          options_.bind_options);
        bound.ok()) {
      s->bound = *std::move(bound);
    }
  }
  s->revision = next_revision.fetch_add(1);
  std::lock_guard<std::mutex> lock(mu_);
  const uint64_t rev = s->revision;
  current_ = std::move(s);
  revision_.store(rev, std::memory_order_release);
}

void Engine::SetPolicies(std::shared_ptr<const PolicySet> policies) {
  std::shared_ptr<const Entities> entities = snapshot()->entities;
  // Another swap may land between the read and the write; the later one
  // wins, which is the same outcome as the two swaps in either order.
  Swap(std::move(policies), std::move(entities));
}

void Engine::SetEntities(std::shared_ptr<const Entities> entities) {
  std::shared_ptr<const PolicySet> policies = snapshot()->policies;
  Swap(std::move(policies), std::move(entities));
}

std::shared_ptr<const Snapshot> Engine::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

const std::shared_ptr<const Snapshot>& Engine::Current() const {
  const uint64_t rev = revision_.load(std::memory_order_acquire);
  for (CacheEntry& e : cache.entries) {
    if (e.engine_id == id_) {
      if (e.revision != rev) {
        e.snapshot = snapshot();
        e.revision = e.snapshot->revision;
      }
      return e.snapshot;
    }
  }
  CacheEntry& e = cache.entries[cache.next];
  cache.next = (cache.next + 1) % cache.entries.size();
  e.engine_id = id_;
  e.snapshot = snapshot();
  e.revision = e.snapshot->revision;
  return e.snapshot;
}

void Engine::Authorize(const Request& request, Response* response,
                       const AuthorizeOptions& options) const {
  const std::shared_ptr<const Snapshot>& s = Current();
  if (response->keepalive.get() != s.get()) response->keepalive = s;
  const Entities* store = s->actions == nullptr
                              ? s->entities.get()
                              : s->actions->EntitiesFor(request.action);
  if (store == nullptr) {
    response->Clear();  // an unresolvable action is denied, never evaluated
    return;
  }
  // The resolver's store for the action is the snapshot's or one derived
  // from it: entities it shares with the bound store come as the same
  // blocks, which the binding covers; the rest are probed.
  internal::AuthorizeView(*s->policies, *store,
                          internal::RequestView::Of(request), response, options,
                          s->bound ? &s->bound->binding() : nullptr);
}

}  // namespace arbiter
