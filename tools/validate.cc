// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// `arbiter validate --schema S --policies P [--impossible-policy
// error|warning]`: validates a policy file against a schema (Cedar's strict
// mode) and prints every finding as `file:line:column: error|warning:
// policy `id`: message`. The schema format follows the extension: `.json`
// is Cedar's JSON schema format, anything else the `.cedarschema` text
// format. `--impossible-policy` says how a policy whose scope no action
// satisfies counts (ValidateOptions::impossible_policy_is_error): an error
// by default, as in the Cedar version of the conformance corpus; `warning`
// as in later Cedar versions (cedar-wasm 4.13). Exits 1 when there is any
// error (including a schema or policy that does not parse), else 0.

#include <cstdio>
#include <string>

#include "arbiter/arbiter.h"
#include "arbiter/schema.h"
#include "arbiter/validator.h"
#include "tools/cli_common.h"

namespace arbiter::cli {
namespace {

constexpr char kValidateUsage[] =
    "usage: arbiter validate --schema SCHEMA(.cedarschema|.json) --policies "
    "P.cedar\n"
    "                        [--impossible-policy error|warning]\n";

int Fail(const std::string& message) {
  std::fprintf(stderr, "arbiter: error: %s\n", message.c_str());
  return 1;
}

void Print(const char* level, const ValidationIssue& i) {
  // Messages may hold any character a policy's strings hold, NUL included.
  std::string line = i.file_name + ":" + std::to_string(i.line) + ":" +
                     std::to_string(i.column) + ": " + level + ": policy `" +
                     i.policy_id + "`: " + i.message + "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
}

}  // namespace

int RunValidate(int argc, char** argv) {
  std::string schema_path, policies_path, impossible = "error";
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    std::string* target = a == "--schema"              ? &schema_path
                          : a == "--policies"          ? &policies_path
                          : a == "--impossible-policy" ? &impossible
                                                       : nullptr;
    if (target == nullptr) {
      return Fail("validate: unknown argument `" + a + "`\n" + kValidateUsage);
    }
    if (i + 1 >= argc) return Fail("validate: `" + a + "` needs a value");
    *target = argv[++i];
  }
  if (schema_path.empty() || policies_path.empty()) {
    return Fail(std::string("validate: --schema and --policies are required\n") +
                kValidateUsage);
  }
  if (impossible != "error" && impossible != "warning") {
    return Fail("validate: --impossible-policy is `error` or `warning`, not `" +
                impossible + "`");
  }
  ValidateOptions options;
  options.impossible_policy_is_error = impossible == "error";
  absl::StatusOr<std::string> schema_text = ReadFile(schema_path);
  if (!schema_text.ok()) return Fail(std::string(schema_text.status().message()));
  absl::StatusOr<std::string> policy_text = ReadFile(policies_path);
  if (!policy_text.ok()) return Fail(std::string(policy_text.status().message()));

  SchemaParseOptions sopts;
  sopts.file_name = schema_path;
  bool json = schema_path.size() >= 5 &&
              schema_path.compare(schema_path.size() - 5, 5, ".json") == 0;
  absl::StatusOr<std::shared_ptr<const Schema>> schema =
      json ? Schema::FromJson(*schema_text, sopts) : Schema::Parse(*schema_text, sopts);
  if (!schema.ok()) return Fail(std::string(schema.status().message()));
  ParseOptions popts;
  popts.file_name = policies_path;
  absl::StatusOr<std::shared_ptr<const PolicySet>> policies =
      PolicySet::Parse(*policy_text, popts);
  if (!policies.ok()) return Fail(std::string(policies.status().message()));

  ValidationResult r = Validate(**schema, **policies, options);
  for (const ValidationIssue& e : r.errors) Print("error", e);
  for (const ValidationIssue& w : r.warnings) Print("warning", w);
  std::fflush(stdout);
  return r.ok() ? 0 : 1;
}

}  // namespace arbiter::cli
