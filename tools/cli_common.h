// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Helpers shared by the CLI's subcommands: reading files and turning request
// JSON into an arbiter::Request.

#ifndef ARBITER_TOOLS_CLI_COMMON_H_
#define ARBITER_TOOLS_CLI_COMMON_H_

#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "arbiter/request.h"

namespace arbiter::cli {

absl::StatusOr<std::string> ReadFile(const std::string& path);

// Reads `{"principal": …, "action": …, "resource": …, "context": {…}}`;
// each entity as `{"type": …, "id": …}` (or `__entity`-wrapped, or a Cedar
// `T::"id"` string). A missing context is an empty record.
absl::StatusOr<Request> RequestFromJson(const nlohmann::json& j);

// Subcommands; each returns the process exit code.
int RunConformance(int argc, char** argv);
int RunBench(int argc, char** argv);

}  // namespace arbiter::cli

#endif  // ARBITER_TOOLS_CLI_COMMON_H_
