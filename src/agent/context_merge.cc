// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The merged context must be a Value for the evaluator, and a Value owns its
// record through a shared_ptr. Allocating that record (and Value::Record's
// sort) per call would cost more than the rest of the guard, so the buffer
// is reused: a thread keeps one, and takes it back after the call once the
// Value built on it is gone (use_count() == 1 then, since only the thread
// holds it).

#include "src/agent/context_merge.h"

namespace arbiter::internal {
namespace {

thread_local std::shared_ptr<RecordFields> spare;

}  // namespace

ContextBuffer::ContextBuffer() : fields_(std::move(spare)) {
  if (fields_ == nullptr || fields_.use_count() != 1) {
    fields_ = std::make_shared<RecordFields>();
  }
  fields_->clear();
}

ContextBuffer::~ContextBuffer() {
  // Drop the references the fields hold now rather than at the next call.
  if (fields_.use_count() == 1) {
    fields_->clear();
    spare = std::move(fields_);
  }
}

Value ContextBuffer::Merge(
    const Value& base,
    std::initializer_list<std::pair<Symbol, const Value*>> extra) {
  RecordFields& out = *fields_;
  out.clear();
  static const RecordFields kEmpty;
  const RecordFields& in = base.is(ValueKind::kRecord) ? base.as_record() : kEmpty;
  out.reserve(in.size() + extra.size());
  auto e = extra.begin();
  for (const auto& field : in) {
    while (e != extra.end() && e->first < field.first) {
      out.emplace_back(e->first, *e->second);
      ++e;
    }
    if (e != extra.end() && e->first == field.first) continue;  // replaced
    out.push_back(field);
  }
  for (; e != extra.end(); ++e) out.emplace_back(e->first, *e->second);
  return Value::RecordFromSorted(fields_);
}

}  // namespace arbiter::internal
