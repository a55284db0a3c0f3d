// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Binding a policy set's index to an entity store (see bound_policy_set.h
// and src/index/index_binding.h).

#include "arbiter/bound_policy_set.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "src/authorize/authorize_view.h"
#include "src/eval/evaluator.h"
#include "src/eval/rule_out.h"
#include "src/index/index_binding.h"
#include "src/index/policy_index.h"

namespace arbiter {
namespace {

// Bind's ItemFilter: drops a row item when the row's entity rules its
// policy out (src/eval/rule_out.h). The evaluator is made once per entity
// and kept for the entity's following items (Bind visits an entity's rows
// together). A policy that its slot's variable cannot rule out (most) is
// passed over on its head's rule_out_vars, without touching its
// conditions: walking them here, long after parsing, was a cache miss per
// node (11 ms at 10,000 policies).
class RuleOutFilter final : public internal::PolicyIndex::ItemFilter {
 public:
  RuleOutFilter(const PolicySet& policies, const Entities& entities,
                size_t max_evaluations)
      : policies_(policies),
        entities_(entities),
        evaluations_left_(max_evaluations) {}

  bool Drop(uint32_t policy, int slot, const EntityUid& uid) override {
    if (policy >= policies_.size() ||
        ((policies_.head(policy).rule_out_vars >> slot) & 1) == 0 ||
        evaluations_left_ == 0) {
      return false;
    }
    --evaluations_left_;
    if (!eval_.has_value() || request_.principal != uid) {
      // The entity as every variable: only the slot's is ever read.
      eval_.reset();
      request_.principal = request_.action = request_.resource = uid;
      eval_.emplace(entities_, request_);
    }
    return internal::RuledOut(policies_.policy(policy),
                              static_cast<internal::Var>(slot), *eval_);
  }

 private:
  // A scope slot's number is its variable's (and its bit in the heads'
  // rule_out_vars).
  static_assert(static_cast<int>(internal::Var::kPrincipal) == 0 &&
                static_cast<int>(internal::Var::kAction) == 1 &&
                static_cast<int>(internal::Var::kResource) == 2);

  const PolicySet& policies_;
  const Entities& entities_;
  size_t evaluations_left_;  // BindOptions::max_rule_out_evaluations
  Request request_;
  std::optional<internal::Evaluator> eval_;
};

}  // namespace

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
  std::optional<RuleOutFilter> filter;
  if (options.rule_out) {
    filter.emplace(*policies, *entities, options.max_rule_out_evaluations);
  }
  bound->binding_ = policies->index().Bind(
      *entities, options.max_row_items, options.max_items,
      filter.has_value() ? &*filter : nullptr);
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
