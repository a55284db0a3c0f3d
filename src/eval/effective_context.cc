// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// EffectiveContext: the one definition of what "the context with an overlay"
// means, shared by the evaluator (a condition reading the whole context)
// and the agent guard (a replayable log records what the policies read).

#include <utility>
#include <vector>

#include "arbiter/request.h"
#include "src/eval/request_view.h"

namespace arbiter {

Value EffectiveContext(const Request& request) {
  return internal::EffectiveContext(internal::RequestView::Of(request));
}

namespace internal {

Value EffectiveContext(const RequestView& view) {
  const Value& context = *view.context;
  if (view.context_overlay == nullptr || !context.is(ValueKind::kRecord)) {
    return context;
  }
  // Value::Record keeps the last of equal keys: the overlay goes second.
  std::vector<std::pair<Symbol, Value>> fields(context.as_record());
  fields.insert(fields.end(), view.context_overlay->begin(),
                view.context_overlay->end());
  return Value::Record(std::move(fields));
}

}  // namespace internal
}  // namespace arbiter
