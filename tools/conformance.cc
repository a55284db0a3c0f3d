// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// `arbiter conformance`: runs Cedar's integration-test files. A request
// passes when the decision, the set of determining policies and the set of
// erroring policies all equal the expectation (error messages are not
// compared: they are not part of Cedar's stable contract).

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "arbiter/arbiter.h"
#include "tools/cli_common.h"

namespace arbiter::cli {
namespace {

struct Totals {
  size_t passed = 0;
  size_t failed = 0;
};

std::string SetString(const std::set<std::string>& s) {
  return absl::StrCat("[", absl::StrJoin(s, ","), "]");
}

std::set<std::string> StringSet(const nlohmann::json& j) {
  std::set<std::string> out;
  if (j.is_array()) {
    for (const auto& e : j) {
      if (e.is_string()) out.insert(e.get<std::string>());
      else if (e.is_object() && e.contains("policyId")) out.insert(e["policyId"].get<std::string>());
    }
  }
  return out;
}

// Whether two responses are identical, order of reasons and errors included.
bool SameResponse(const Response& a, const Response& b) {
  if (a.decision != b.decision || a.reasons != b.reasons ||
      a.errors.size() != b.errors.size()) {
    return false;
  }
  for (size_t i = 0; i < a.errors.size(); ++i) {
    if (a.errors[i].policy_id != b.errors[i].policy_id ||
        a.errors[i].message != b.errors[i].message) {
      return false;
    }
  }
  return true;
}

struct RunOptions {
  bool check_scan = false;  // also require the full scan to agree
  bool use_schema = true;   // parse entities and contexts with the schema
};

void RunFile(const std::filesystem::path& root, const std::string& file,
             const RunOptions& run, Totals* totals) {
  auto fail_all = [&](size_t n, const std::string& why) {
    std::printf("FAIL %s: %s (%zu requests)\n", file.c_str(), why.c_str(), n);
    totals->failed += n;
  };
  absl::StatusOr<std::string> text = ReadFile(file);
  if (!text.ok()) {
    text = ReadFile((root / file).string());
  }
  if (!text.ok()) return fail_all(1, std::string(text.status().message()));
  nlohmann::json test = nlohmann::json::parse(*text, nullptr, false);
  if (test.is_discarded() || !test.is_object() || !test.contains("requests") ||
      !test["requests"].is_array()) {
    return fail_all(1, "not a Cedar integration test file");
  }
  const size_t n = test["requests"].size();
  auto path_of = [&](const char* key) -> std::string {
    auto it = test.find(key);
    if (it == test.end() || !it->is_string()) return "";
    return (root / it->get<std::string>()).string();
  };

  absl::StatusOr<std::string> policy_text = ReadFile(path_of("policies"));
  if (!policy_text.ok()) return fail_all(n, std::string(policy_text.status().message()));
  ParseOptions popts;
  popts.file_name = test["policies"].get<std::string>();
  absl::StatusOr<std::shared_ptr<const PolicySet>> policies =
      PolicySet::Parse(*policy_text, popts);
  if (!policies.ok()) {
    return fail_all(n, "policies: " + std::string(policies.status().message()));
  }
  // As in Cedar's test harness: with a schema, entities and contexts are
  // read by the schema's types (and the schema's action entities added),
  // and a request marked `validateRequest` is validated.
  std::shared_ptr<const Schema> schema;
  if (run.use_schema && !path_of("schema").empty()) {
    absl::StatusOr<std::shared_ptr<const Schema>> loaded = LoadSchema(path_of("schema"));
    if (!loaded.ok()) {
      return fail_all(n, "schema: " + std::string(loaded.status().message()));
    }
    schema = *loaded;
  }
  absl::StatusOr<std::string> entity_text = ReadFile(path_of("entities"));
  if (!entity_text.ok()) return fail_all(n, std::string(entity_text.status().message()));
  absl::StatusOr<std::shared_ptr<const Entities>> entities =
      schema ? EntitiesFromJson(*entity_text, *schema) : Entities::FromJson(*entity_text);
  if (!entities.ok()) {
    return fail_all(n, "entities: " + std::string(entities.status().message()));
  }

  // Decided as Engine decides, on the policy set bound to the store; with
  // --check-scan the unbound index and the full scan must agree with it.
  absl::StatusOr<std::shared_ptr<const BoundPolicySet>> bound =
      BoundPolicySet::Bind(*policies, *entities);
  if (!bound.ok()) return fail_all(n, std::string(bound.status().message()));
  Response response, unbound, scanned;
  AuthorizeOptions scan_options;
  scan_options.full_scan = true;
  for (const auto& req : test["requests"]) {
    std::string desc = req.value("description", std::string("?"));
    std::string expected_decision = req.value("decision", std::string("?"));
    std::set<std::string> expected_reasons = StringSet(req.value("reason", nlohmann::json::array()));
    std::set<std::string> expected_errors = StringSet(req.value("errors", nlohmann::json::array()));
    absl::StatusOr<Request> r =
        RequestFromJson(req, schema.get(), req.value("validateRequest", false),
                        /*test_file=*/true);
    if (!r.ok()) {
      std::printf("FAIL %s: %s: expected %s reasons=%s errors=%s, got request error: %s\n",
                  file.c_str(), desc.c_str(), expected_decision.c_str(),
                  SetString(expected_reasons).c_str(),
                  SetString(expected_errors).c_str(),
                  std::string(r.status().message()).c_str());
      ++totals->failed;
      continue;
    }
    Authorize(**bound, *r, &response);
    if (run.check_scan) {
      // The index may only skip policies whose scope cannot match, so the
      // full scan must give the very same response, and so must the index
      // probing each request entity rather than reading its binding.
      Authorize(**policies, **entities, *r, &scanned, scan_options);
      Authorize(**policies, **entities, *r, &unbound);
      if (!SameResponse(response, scanned) || !SameResponse(unbound, scanned)) {
        ++totals->failed;
        std::printf(
            "FAIL %s: %s: index (bound %s, unbound %s) and full scan differ\n",
            file.c_str(), desc.c_str(),
            SameResponse(response, scanned) ? "same" : "differs",
            SameResponse(unbound, scanned) ? "same" : "differs");
        continue;
      }
    }
    std::set<std::string> reasons, errors;
    for (auto id : response.reasons) reasons.emplace(id);
    for (const auto& e : response.errors) errors.emplace(e.policy_id);
    std::string decision(DecisionName(response.decision));
    if (decision == expected_decision && reasons == expected_reasons &&
        errors == expected_errors) {
      ++totals->passed;
      continue;
    }
    ++totals->failed;
    std::string details;
    for (const auto& e : response.errors) {
      details += " [" + std::string(e.policy_id) + ": " + e.message + "]";
    }
    std::printf("FAIL %s: %s: expected %s reasons=%s errors=%s, got %s reasons=%s errors=%s%s\n",
                file.c_str(), desc.c_str(), expected_decision.c_str(),
                SetString(expected_reasons).c_str(),
                SetString(expected_errors).c_str(), decision.c_str(),
                SetString(reasons).c_str(), SetString(errors).c_str(),
                details.c_str());
  }
}

}  // namespace

int RunConformance(int argc, char** argv) {
  std::filesystem::path root = ".";
  RunOptions run;
  bool validation = false;
  std::vector<std::string> files;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--root" && i + 1 < argc) {
      root = argv[++i];
    } else if (a == "--check-scan") {
      run.check_scan = true;
    } else if (a == "--no-schema") {
      run.use_schema = false;
    } else if (a == "--validation") {
      validation = true;
    } else if (a.rfind("--root=", 0) == 0) {
      root = a.substr(7);
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: arbiter conformance [--root DIR] [--check-scan] [--no-schema] [--validation] TEST.json...\n");
    return 1;
  }
  if (validation) return RunValidationConformance(root.string(), files);
  Totals totals;
  for (const std::string& f : files) RunFile(root, f, run, &totals);
  std::printf("%zu passed, %zu failed\n", totals.passed, totals.failed);
  std::fflush(stdout);
  return totals.failed == 0 ? 0 : 1;
}

}  // namespace arbiter::cli
