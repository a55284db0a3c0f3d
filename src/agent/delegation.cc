// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Delegation: the context record is built here, once, because a runtime
// reuses one chain for every call of a delegated sub-task.

#include "arbiter/delegation.h"

#include <utility>

namespace arbiter {

absl::StatusOr<Delegation> Delegation::Of(std::vector<EntityUid> on_behalf_of) {
  if (on_behalf_of.empty()) {
    return absl::InvalidArgumentError("delegation: empty chain of principals");
  }
  Delegation d;
  d.principals_ = std::move(on_behalf_of);
  std::vector<Value> chain;
  chain.reserve(d.principals_.size());
  for (const EntityUid& p : d.principals_) chain.push_back(Value::Entity(p));
  d.record_ = Value::Record({
      {Symbol::Intern("origin"), Value::Entity(d.principals_.front())},
      {Symbol::Intern("chain"), Value::Set(std::move(chain))},
      {Symbol::Intern("depth"),
       Value::Long(static_cast<int64_t>(d.principals_.size()))},
  });
  return d;
}

}  // namespace arbiter
