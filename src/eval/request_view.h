// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// RequestView: what a decision reads of a request, with the context by
// pointer. The public Request owns its context (a Value, whose payload is
// shared by reference count); the guard decides a call for several
// principals of a delegation chain, each time with its own overlay over the
// caller's context, and a view lets it do so without copying the Request
// (which would take and drop a reference on the context every call).
//
// A view borrows: the context and the overlay must outlive it.

#ifndef ARBITER_EVAL_REQUEST_VIEW_H_
#define ARBITER_EVAL_REQUEST_VIEW_H_

#include "arbiter/request.h"
#include "arbiter/value.h"

namespace arbiter::internal {

struct RequestView {
  EntityUid principal;
  EntityUid action;
  EntityUid resource;
  const Value* context = nullptr;  // never null
  const RecordFields* context_overlay = nullptr;

  static RequestView Of(const Request& r) {
    return {r.principal, r.action, r.resource, &r.context, r.context_overlay};
  }
};

// The context a view's policies see: see EffectiveContext(const Request&).
Value EffectiveContext(const RequestView& view);

}  // namespace arbiter::internal

#endif  // ARBITER_EVAL_REQUEST_VIEW_H_
