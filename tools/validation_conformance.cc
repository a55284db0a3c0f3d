// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// `arbiter conformance --validation`: checks the validator against Cedar's
// integration-test files. Each file names a policy file and a schema (paths
// relative to the root) and says whether Cedar's strict validator accepts
// the pair (`shouldValidate`). A file passes when Validate agrees; a schema
// or policy text that does not parse counts as "does not validate".

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arbiter/arbiter.h"
#include "arbiter/schema.h"
#include "arbiter/validator.h"
#include "tools/cli_common.h"

namespace arbiter::cli {
namespace {

struct Outcome {
  bool validates = false;
  std::string detail;  // why not, for the failure line
};

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string FirstLine(std::string_view s) {
  size_t nl = s.find('\n');
  return std::string(nl == std::string_view::npos ? s : s.substr(0, nl));
}

Outcome Run(const std::filesystem::path& root, const nlohmann::json& test) {
  auto path_of = [&](const char* key) -> std::string {
    auto it = test.find(key);
    if (it == test.end() || !it->is_string()) return "";
    return it->get<std::string>();
  };
  std::string schema_rel = path_of("schema"), policies_rel = path_of("policies");
  absl::StatusOr<std::string> schema_text = ReadFile((root / schema_rel).string());
  if (!schema_text.ok()) return {false, std::string(schema_text.status().message())};
  absl::StatusOr<std::string> policy_text = ReadFile((root / policies_rel).string());
  if (!policy_text.ok()) return {false, std::string(policy_text.status().message())};

  SchemaParseOptions sopts;
  sopts.file_name = schema_rel;
  absl::StatusOr<std::shared_ptr<const Schema>> schema =
      EndsWith(schema_rel, ".json") ? Schema::FromJson(*schema_text, sopts)
                                    : Schema::Parse(*schema_text, sopts);
  if (!schema.ok()) {
    return {false, "schema: " + FirstLine(std::string(schema.status().message()))};
  }
  ParseOptions popts;
  popts.file_name = policies_rel;
  absl::StatusOr<std::shared_ptr<const PolicySet>> policies =
      PolicySet::Parse(*policy_text, popts);
  if (!policies.ok()) {
    return {false, "policies: " + FirstLine(std::string(policies.status().message()))};
  }
  ValidationResult r = Validate(**schema, **policies);
  Outcome out{r.ok(), ""};
  for (size_t i = 0; i < r.errors.size() && i < 3; ++i) {
    out.detail += (i ? "; " : "") + r.errors[i].message;
  }
  if (r.ok() && !r.warnings.empty()) out.detail = "warning: " + r.warnings[0].message;
  return out;
}

}  // namespace

int RunValidationConformance(const std::string& root,
                             const std::vector<std::string>& files) {
  size_t passed = 0, failed = 0;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> text = ReadFile(file);
    if (!text.ok()) text = ReadFile((std::filesystem::path(root) / file).string());
    nlohmann::json test;
    if (text.ok()) test = nlohmann::json::parse(*text, nullptr, false);
    if (!text.ok() || test.is_discarded() || !test.is_object() ||
        !test.contains("shouldValidate") || !test["shouldValidate"].is_boolean()) {
      std::printf("FAIL %s: not a Cedar integration test file with `shouldValidate`\n",
                  file.c_str());
      ++failed;
      continue;
    }
    bool expected = test["shouldValidate"].get<bool>();
    Outcome got = Run(root, test);
    if (got.validates == expected) {
      ++passed;
      continue;
    }
    ++failed;
    std::printf("FAIL %s: expected %s, got %s: %s\n", file.c_str(),
                expected ? "valid" : "invalid", got.validates ? "valid" : "invalid",
                got.detail.c_str());
  }
  std::printf("%zu passed, %zu failed\n", passed, failed);
  std::fflush(stdout);
  return failed == 0 ? 0 : 1;
}

}  // namespace arbiter::cli
