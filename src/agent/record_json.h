// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The decision-log line format, shared by the sinks (which append into a
// reused buffer) and DecisionRecordToJson.

#ifndef ARBITER_SRC_AGENT_RECORD_JSON_H_
#define ARBITER_SRC_AGENT_RECORD_JSON_H_

#include <string>

#include "arbiter/decision_log.h"

namespace arbiter::internal {

// Appends the record as one JSON object, without a newline.
void AppendDecisionJson(const DecisionRecord& record, std::string* out);

// Appends `t` as RFC 3339 UTC with microseconds: 2026-01-02T03:04:05.678901Z.
void AppendTimestamp(TimePoint t, std::string* out);

}  // namespace arbiter::internal

#endif  // ARBITER_SRC_AGENT_RECORD_JSON_H_
