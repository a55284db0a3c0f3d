// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Helpers shared by the CLI's subcommands: reading files and turning request
// JSON into an arbiter::Request.

#ifndef ARBITER_TOOLS_CLI_COMMON_H_
#define ARBITER_TOOLS_CLI_COMMON_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "arbiter/request.h"
#include "arbiter/schema.h"

namespace arbiter::cli {

absl::StatusOr<std::string> ReadFile(const std::string& path);

// Reads `{"principal": …, "action": …, "resource": …, "context": {…}}`;
// each entity as `{"type": …, "id": …}` (or `__entity`-wrapped, or a Cedar
// `T::"id"` string). A missing context is an empty record. With a schema the
// context is read by the action's context type, and with `validate` the
// request is checked against the schema. Any other member is an error
// (arbiter::RequestFromJson), unless `test_file`: a test file's request
// carries its expected answer beside it.
absl::StatusOr<Request> RequestFromJson(const nlohmann::json& j,
                                        const Schema* schema = nullptr,
                                        bool validate = false,
                                        bool test_file = false);

// Reads a schema file: JSON format when the name ends in `.json`, else the
// `.cedarschema` format.
absl::StatusOr<std::shared_ptr<const Schema>> LoadSchema(const std::string& path);

// Subcommands; each returns the process exit code.
int RunConformance(int argc, char** argv);
int RunBench(int argc, char** argv);
int RunValidate(int argc, char** argv);
int RunTranslateSchema(int argc, char** argv);
// Bundle subcommands (tools/bundle_cli.cc).
int RunBundleAuthorize(int argc, char** argv);
int RunPermitted(int argc, char** argv);
int RunReplay(int argc, char** argv);
int RunLintBundle(int argc, char** argv);
int RunValidationConformance(const std::string& root,
                             const std::vector<std::string>& files);

}  // namespace arbiter::cli

#endif  // ARBITER_TOOLS_CLI_COMMON_H_
