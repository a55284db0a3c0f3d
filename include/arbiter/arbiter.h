// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// arbiter.h: the whole public API in one include.

#ifndef ARBITER_ARBITER_H_
#define ARBITER_ARBITER_H_

#include "arbiter/authorizer.h"
#include "arbiter/bound_policy_set.h"
#include "arbiter/bundle.h"
#include "arbiter/bundle_manager.h"
#include "arbiter/clock.h"
#include "arbiter/credentials.h"
#include "arbiter/decision_log.h"
#include "arbiter/delegation.h"
#include "arbiter/engine.h"
#include "arbiter/entities.h"
#include "arbiter/guard.h"
#include "arbiter/policy_set.h"
#include "arbiter/replay.h"
#include "arbiter/request.h"
#include "arbiter/schema.h"
#include "arbiter/symbol.h"
#include "arbiter/task.h"
#include "arbiter/validator.h"
#include "arbiter/value.h"

#endif  // ARBITER_ARBITER_H_
