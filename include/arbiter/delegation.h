// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// delegation.h: the principals an agent acts for.
//
// Overview
//   When a user asks an orchestrator, which hands work to a worker agent, the
//   worker's calls are made on behalf of [user, orchestrator]. Passed to
//   Guard::Authorize, a Delegation makes the guard decide the call once for
//   every principal in the chain — the acting agent (Request::principal)
//   first, then the user, then the orchestrator — and allow it only if every
//   one of them is allowed. Delegating therefore never adds privilege: a
//   worker can do at most what each principal above it can. The response
//   names the hop that was denied: hops are numbered from the origin (hop 0,
//   the user) to the acting agent (hop principals().size()); a denial of the
//   acting agent itself is DenyKind::kPolicy, of anyone it acts for
//   DenyKind::kDelegation.
//
//   auto d = arbiter::Delegation::Of({arbiter::EntityUid::Of("User", "alice"),
//                                     arbiter::EntityUid::Of("Agent", "orch")});
//
//   Policies also see the chain, as a record under `context.delegation` by
//   default (GuardOptions::delegation_key):
//     origin  entity  the first principal (usually the human user)
//     chain   Set of entity references: every principal the acting one
//             works for (not the acting principal itself)
//     depth   Long    how many principals that is
//   e.g. `forbid (principal, action in Action::"admin_tools", resource)
//         when { context has delegation && context.delegation.depth > 1 };`
//
// Thread-safety
//   Immutable once made; share it between calls and threads freely.

#ifndef ARBITER_DELEGATION_H_
#define ARBITER_DELEGATION_H_

#include <vector>

#include "absl/status/statusor.h"
#include "arbiter/value.h"

namespace arbiter {

// Delegation
//
// An immutable chain of principals, origin first, with its context record
// built once.
class Delegation {
 public:
  // InvalidArgument for an empty chain.
  static absl::StatusOr<Delegation> Of(std::vector<EntityUid> on_behalf_of);

  const std::vector<EntityUid>& principals() const { return principals_; }
  const EntityUid& origin() const { return principals_.front(); }
  // The record described above.
  const Value& record() const { return record_; }

 private:
  Delegation() = default;
  std::vector<EntityUid> principals_;  // INVARIANT: not empty
  Value record_;
};

}  // namespace arbiter

#endif  // ARBITER_DELEGATION_H_
