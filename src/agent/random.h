// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Random bits from the operating system, for ids that must not be guessable
// (credentials) or must not collide across processes (decision ids).

#ifndef ARBITER_SRC_AGENT_RANDOM_H_
#define ARBITER_SRC_AGENT_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace arbiter::internal {

// Fills `out[0..n)` from getrandom(2). Unavailable if the kernel gives less.
absl::Status OsRandomBytes(void* out, size_t n);

// Appends `v` as exactly 16 lower-case hex digits.
void AppendHex64(uint64_t v, std::string* out);

// Writes `v` as exactly 16 lower-case hex digits to out[0, 16).
void WriteHex64(uint64_t v, char* out);

}  // namespace arbiter::internal

#endif  // ARBITER_SRC_AGENT_RANDOM_H_
