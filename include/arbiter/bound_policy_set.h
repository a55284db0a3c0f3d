// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// bound_policy_set.h: a policy set bound to the entity store it decides
// against.
//
// Overview
//   The scope index finds a request's candidate policies by looking up the
//   request's principal, action and resource, their types and each of
//   their ancestors (about a dozen probes a request on the agent
//   workloads). Those lookups depend only on the policy set and on the
//   entity, so for a store that serves many decisions they can be done
//   once: Bind does them for every entity of the store, and a decision
//   then reads each request entity's precomputed list instead. The answers
//   are exactly those of Authorize(policies, entities, ...); the decision
//   is 8 to 33% faster on the agent workloads (README, "Performance"),
//   also because each entity's list leaves out the policies that entity
//   alone rules out (BindOptions::rule_out). A request entity the store
//   lacks is looked up as usual.
//
//   auto bound = arbiter::BoundPolicySet::Bind(policies, entities).value();
//   arbiter::Response r;
//   arbiter::Authorize(*bound, request, &r);
//
//   Engine binds each snapshot it installs, so a runtime using Engine gets
//   this without asking.
//
// Cost
//   Bind takes time in the number of entities times their ancestors (about
//   11 to 16 ms for 26,000 entities against 10,000 policies, depending
//   on the machine; 7 to 8 without ruling out) and keeps 12 bytes
//   per slot of the store's lookup table (twice the entities, rounded up
//   to a power of two) plus 16 bytes per bucket entry an entity reaches,
//   within the limits of BindOptions (a few MB at that size). Only the store's own entities are bound; for a store made
//   by Entities::WithEntities, those of its base() are looked up as usual.
//
// Thread-safety
//   Immutable; any number of threads may decide on one BoundPolicySet. It
//   holds references to the policy set and the store, which stay alive as
//   long as it does.

#ifndef ARBITER_BOUND_POLICY_SET_H_
#define ARBITER_BOUND_POLICY_SET_H_

#include <cstddef>
#include <memory>

#include "absl/status/statusor.h"
#include "arbiter/authorizer.h"

namespace arbiter {

namespace internal {
class IndexBinding;
}  // namespace internal

// How much a binding may hold. An entity's row in a scope slot copies
// every entry (16 bytes) of the index buckets the entity reaches there, so
// a bucket that many entities reach (the policies of a group with many
// members, or filed under a type) is copied once per entity. A row that
// would exceed a limit is left out of the binding, and its entity is
// looked up in the index per request as without one: the answers never
// change, only the speed.
struct BindOptions {
  // A row longer than this is left out: reading that many items costs
  // about what probing its few buckets does. Default 256.
  size_t max_row_items = 256;
  // A row that would take the binding past this many items (16 bytes
  // each) is left out. Default 4,194,304 (64 MiB).
  size_t max_items = size_t{1} << 22;
  // Whether a row leaves out the policies its entity alone rules out: a
  // policy whose conditions open with a test of that entity (`principal.
  // trust_level >= 3 && ...`) that is false for it, without error, is
  // never satisfied on a request with that entity, and never raises an
  // error there, so the decision need not run it (same answers; see
  // src/eval/rule_out.h). Costs bind time: an evaluation per row item
  // whose policy opens with such a test. Default true.
  bool rule_out = true;
  // Ruling out evaluates at most this many row items; past it the rest
  // are kept, as with rule_out off (same answers, only the speed). Bounds
  // the bind time of policy sets whose opening tests are costly (a few
  // hundred nanoseconds each on the agent workloads; agents-10000's bind
  // evaluates 15,335). Default 1,048,576.
  size_t max_rule_out_evaluations = size_t{1} << 20;
};

class BoundPolicySet {
 public:
  // Binds `policies` to `entities`. InvalidArgument when either is null.
  static absl::StatusOr<std::shared_ptr<const BoundPolicySet>> Bind(
      std::shared_ptr<const PolicySet> policies,
      std::shared_ptr<const Entities> entities,
      const BindOptions& options = {});

  BoundPolicySet(const BoundPolicySet&) = delete;
  BoundPolicySet& operator=(const BoundPolicySet&) = delete;
  ~BoundPolicySet();

  const PolicySet& policies() const { return *policies_; }
  const Entities& entities() const { return *entities_; }
  const std::shared_ptr<const PolicySet>& shared_policies() const {
    return policies_;
  }
  const std::shared_ptr<const Entities>& shared_entities() const {
    return entities_;
  }

  // For the library's own layers (Engine, the agent guard): the binding of
  // policies()'s index to entities().
  const internal::IndexBinding& binding() const { return *binding_; }

 private:
  BoundPolicySet() = default;

  std::shared_ptr<const PolicySet> policies_;
  std::shared_ptr<const Entities> entities_;
  std::unique_ptr<const internal::IndexBinding> binding_;
};

// Authorize(policies(), entities(), ...) with the binding: same answers,
// same reuse of the response's buffers. options.full_scan ignores the
// binding, as it ignores the index.
void Authorize(const BoundPolicySet& bound, const Request& request,
               Response* response, const AuthorizeOptions& options = {});

}  // namespace arbiter

#endif  // ARBITER_BOUND_POLICY_SET_H_
