// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Authorize over a RequestView (src/eval/request_view.h): the public
// Authorize for callers inside the library that decide with a borrowed
// context, such as the agent guard deciding each hop of a delegation chain.
// Same answers, same reuse of the response's buffers.

#ifndef ARBITER_AUTHORIZE_AUTHORIZE_VIEW_H_
#define ARBITER_AUTHORIZE_AUTHORIZE_VIEW_H_

#include "arbiter/authorizer.h"
#include "src/eval/request_view.h"

namespace arbiter::internal {

void AuthorizeView(const PolicySet& policies, const Entities& entities,
                   const RequestView& request, Response* response,
                   const AuthorizeOptions& options);

}  // namespace arbiter::internal

#endif  // ARBITER_AUTHORIZE_AUTHORIZE_VIEW_H_
