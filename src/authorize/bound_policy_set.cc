// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Binding a policy set's index to an entity store (see bound_policy_set.h
// and src/index/index_binding.h).

#include "arbiter/bound_policy_set.h"

#include <utility>

#include "absl/status/status.h"
#include "src/authorize/authorize_view.h"
#include "src/index/index_binding.h"
#include "src/index/policy_index.h"

namespace arbiter {

BoundPolicySet::~BoundPolicySet() = default;

absl::StatusOr<std::shared_ptr<const BoundPolicySet>> BoundPolicySet::Bind(
    std::shared_ptr<const PolicySet> policies,
    std::shared_ptr<const Entities> entities, const BindOptions& options) {
  if (policies == nullptr) {
    return absl::InvalidArgumentError("BoundPolicySet::Bind: no policy set");
  }
  if (entities == nullptr) {
    return absl::InvalidArgumentError("BoundPolicySet::Bind: no entity store");
  }
  std::shared_ptr<BoundPolicySet> bound(new BoundPolicySet());
  bound->binding_ = policies->index().Bind(*entities, options.max_row_items,
                                           options.max_items);
  bound->policies_ = std::move(policies);
  bound->entities_ = std::move(entities);
  return std::shared_ptr<const BoundPolicySet>(std::move(bound));
}

void Authorize(const BoundPolicySet& bound, const Request& request,
               Response* response, const AuthorizeOptions& options) {
  internal::AuthorizeView(bound.policies(), bound.entities(),
                          internal::RequestView::Of(request), response, options,
                          &bound.binding());
}

}  // namespace arbiter
