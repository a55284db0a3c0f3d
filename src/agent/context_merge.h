// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Building a request's context with the guard's fields added, without
// sorting and, in the steady state, without allocating.

#ifndef ARBITER_SRC_AGENT_CONTEXT_MERGE_H_
#define ARBITER_SRC_AGENT_CONTEXT_MERGE_H_

#include <memory>
#include <utility>

#include "arbiter/value.h"

namespace arbiter::internal {

// A record buffer recycled across calls on one thread. Acquire hands out the
// thread's buffer when no Value still shares it (else a fresh one); Release
// clears it and gives it back. A nested guarded call on the same thread
// (from inside a logger, say) finds the slot empty and allocates.
class ContextBuffer {
 public:
  ContextBuffer();
  ~ContextBuffer();
  ContextBuffer(const ContextBuffer&) = delete;
  ContextBuffer& operator=(const ContextBuffer&) = delete;

  // `base` (a record, else treated as empty) with `extra` added; extra
  // fields win over base fields of the same key. `extra` must be sorted by
  // key, without repeats.
  Value Merge(const Value& base,
              std::initializer_list<std::pair<Symbol, const Value*>> extra);

 private:
  std::shared_ptr<RecordFields> fields_;
};

}  // namespace arbiter::internal

#endif  // ARBITER_SRC_AGENT_CONTEXT_MERGE_H_
