// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The C API against the agents-N workloads' expected answers (computed by
// the reference Cedar): every request is read with the schema through
// arbiter_request_parse_json, and built again with the request builder
// (tests/capi/build_request.h), and both are decided with
// arbiter_authorize: the decision, reasons and erroring policies of each
// must be the expected ones. Only
// include/arbiter/c.h is used, linked from libarbiter_c.so. Exits 77
// (skipped) when the workloads are absent.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arbiter/c.h"
#include "tests/capi/build_request.h"
#include "tests/counting_allocator.h"

namespace {

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// Decides every request of one workload; returns the number of mismatches
// (or 1 for a workload that does not load).
int CheckWorkload(const std::filesystem::path& dir) {
  char* err = nullptr;
  const std::string policies_text = Slurp(dir / "policies.cedar");
  const std::string schema_text = Slurp(dir / "schema.cedarschema");
  const std::string entities_text = Slurp(dir / "entities.json");
  arbiter_schema_t* schema = arbiter_schema_parse(
      schema_text.data(), schema_text.size(), "schema.cedarschema", &err);
  arbiter_policy_set_t* policies = arbiter_policy_set_parse(
      policies_text.data(), policies_text.size(), "policies.cedar", &err);
  arbiter_entities_t* entities = arbiter_entities_parse_json(
      entities_text.data(), entities_text.size(), schema, &err);
  if (err != nullptr) {
    std::fprintf(stderr, "%s: %s\n", dir.c_str(), err);
    arbiter_free(err);
    return 1;
  }
  const nlohmann::json requests =
      nlohmann::json::parse(Slurp(dir / "requests.json"));
  arbiter_response_t* response = arbiter_response_create();
  arbiter_request_builder_t* builder = arbiter_request_builder_create();
  std::vector<arbiter_request_t*> parsed;
  int mismatches = 0;
  size_t n = 0;
  for (const nlohmann::json& expected : requests) {
    ++n;
    const std::string text = arbiter_test::RequestJson(expected);
    arbiter_request_t* r =
        arbiter_request_parse_json(text.data(), text.size(), schema, &err);
    if (r == nullptr) {
      std::fprintf(stderr, "%s: request %zu: %s\n", dir.c_str(), n, err);
      arbiter_free(err);
      err = nullptr;
      ++mismatches;
      continue;
    }
    arbiter_test::BuildRequest(builder, expected);
    arbiter_request_t* built = arbiter_request_builder_build(builder, schema, &err);
    if (built == nullptr) {
      std::fprintf(stderr, "%s: request %zu: builder: %s\n", dir.c_str(), n, err);
      arbiter_free(err);
      err = nullptr;
      ++mismatches;
    }
    for (arbiter_request_t* form : {r, built}) {
      if (form == nullptr) continue;
      const int decision = arbiter_authorize(policies, entities, form, response);
      std::vector<std::string> reasons, errors;
      for (size_t i = 0; i < arbiter_response_reason_count(response); ++i) {
        reasons.emplace_back(arbiter_response_reason(response, i, nullptr));
      }
      for (size_t i = 0; i < arbiter_response_error_count(response); ++i) {
        errors.emplace_back(arbiter_response_error_policy(response, i, nullptr));
      }
      // Expected ids come as sets (any order); ours are in policy order.
      std::vector<std::string> want_errors;
      for (const nlohmann::json& e : expected.at("errors")) {
        want_errors.push_back(e.get<std::string>());
      }
      const int want = expected.at("decision") == "allow" ? ARBITER_ALLOW : ARBITER_DENY;
      if (decision != want ||
          Sorted(reasons) !=
              Sorted(expected.at("reason").get<std::vector<std::string>>()) ||
          Sorted(errors) != Sorted(want_errors)) {
        if (++mismatches <= 10) {
          std::fprintf(stderr, "%s: request %zu%s: got %s, reasons %zu, errors %zu\n",
                       dir.c_str(), n, form == built ? " (built)" : "",
                       decision == ARBITER_ALLOW ? "allow" : "deny",
                       reasons.size(), errors.size());
        }
      }
    }
    arbiter_request_destroy(built);
    parsed.push_back(r);
  }
  // Second pass: the response's buffers have grown.
  allocations = 0;
  counting = true;
  for (arbiter_request_t* r : parsed) arbiter_authorize(policies, entities, r, response);
  counting = false;
  if (allocations != 0) {
    std::fprintf(stderr, "%s: %zu allocations deciding %zu requests again\n",
                 dir.c_str(), allocations, parsed.size());
    ++mismatches;
  }
  for (arbiter_request_t* r : parsed) arbiter_request_destroy(r);
  arbiter_response_destroy(response);
  arbiter_request_builder_destroy(builder);
  arbiter_entities_destroy(entities);
  arbiter_policy_set_destroy(policies);
  arbiter_schema_destroy(schema);
  std::printf("%s: %zu requests, %d mismatches, %zu allocations on the second pass\n",
              dir.c_str(), n, mismatches, allocations);
  return n == 0 ? 1 : mismatches;
}

}  // namespace

int main() {
  const char* env = std::getenv("ARBITER_WORKLOADS_DIR");
  const std::filesystem::path root =
      env != nullptr ? std::filesystem::path(env)
                     : std::filesystem::path(ARBITER_SOURCE_DIR) / ".." /
                           "shared" / "workloads";
  if (!std::filesystem::exists(root / "agents-10" / "requests.json")) {
    std::printf("SKIPPED: no workloads at %s (set ARBITER_WORKLOADS_DIR)\n",
                root.c_str());
    return 77;
  }
  int failed = 0;
  for (const char* name : {"agents-10", "agents-100", "agents-1000"}) {
    failed += CheckWorkload(root / name);
  }
  return failed == 0 ? 0 : 1;
}
