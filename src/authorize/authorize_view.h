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
#include "src/index/index_binding.h"

namespace arbiter::internal {

// `binding`, when given, is used if it is of `policies`' index (see
// PolicyIndex::Candidates): a BoundPolicySet's, for its store or one
// derived from it (entities it does not cover are probed as usual).
void AuthorizeView(const PolicySet& policies, const Entities& entities,
                   const RequestView& request, Response* response,
                   const AuthorizeOptions& options,
                   const IndexBinding* binding = nullptr);

}  // namespace arbiter::internal

#endif  // ARBITER_AUTHORIZE_AUTHORIZE_VIEW_H_
