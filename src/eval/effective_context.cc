// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// EffectiveContext: the one definition of what "the context with an overlay"
// means, shared by the evaluator (a condition reading the whole context)
// and the agent guard (a replayable log records what the policies read).

#include <utility>
#include <vector>

#include "arbiter/request.h"

namespace arbiter {

Value EffectiveContext(const Request& request) {
  if (request.context_overlay == nullptr ||
      !request.context.is(ValueKind::kRecord)) {
    return request.context;
  }
  // Value::Record keeps the last of equal keys: the overlay goes second.
  std::vector<std::pair<Symbol, Value>> fields(request.context.as_record());
  fields.insert(fields.end(), request.context_overlay->begin(),
                request.context_overlay->end());
  return Value::Record(std::move(fields));
}

}  // namespace arbiter
