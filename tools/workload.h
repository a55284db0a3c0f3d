// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Loading a benchmark workload folder (shared/workloads/agents-N): the
// policies, the entities, and the requests with their expected answers.
// Header-only so the CLI, the benchmarks and the tests share one loader
// without a separate library target. Everything is parsed before any timing
// starts, as an embedding runtime would hold its contexts.

#ifndef ARBITER_TOOLS_WORKLOAD_H_
#define ARBITER_TOOLS_WORKLOAD_H_

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "arbiter/arbiter.h"

namespace arbiter::workload {

struct Expected {
  Decision decision = Decision::kDeny;
  std::set<std::string> reasons;
  std::set<std::string> errors;
};

struct Workload {
  std::shared_ptr<const PolicySet> policies;
  std::shared_ptr<const Entities> entities;
  std::vector<Request> requests;
  std::vector<Expected> expected;
  double parse_ms = 0;     // policy text -> PolicySet
  double entities_ms = 0;  // entities JSON -> Entities
};

inline absl::StatusOr<std::string> Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open `", p.string(), "`"));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The request members of a test file's or requests.json's entry, which
// carries its expected answer beside them.
inline nlohmann::json RequestMembers(const nlohmann::json& j) {
  nlohmann::json request = nlohmann::json::object();
  for (const char* key : {"principal", "action", "resource", "context"}) {
    if (auto it = j.find(key); it != j.end()) request[key] = *it;
  }
  return request;
}

inline absl::StatusOr<Request> ParseWorkloadRequest(const nlohmann::json& j) {
  if (!j.is_object()) return absl::InvalidArgumentError("request: expected an object");
  return RequestFromJson(RequestMembers(j).dump());
}

// Loads `dir` (policies.cedar, entities.json, requests.json).
inline absl::StatusOr<Workload> Load(const std::filesystem::path& dir) {
  using Clock = std::chrono::steady_clock;
  Workload w;
  absl::StatusOr<std::string> text = Slurp(dir / "policies.cedar");
  if (!text.ok()) return text.status();
  ParseOptions popts;
  popts.file_name = (dir / "policies.cedar").string();
  auto t0 = Clock::now();
  auto policies = PolicySet::Parse(*text, popts);
  auto t1 = Clock::now();
  if (!policies.ok()) return policies.status();
  w.policies = *policies;
  w.parse_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();

  absl::StatusOr<std::string> ejson = Slurp(dir / "entities.json");
  if (!ejson.ok()) return ejson.status();
  t0 = Clock::now();
  auto entities = Entities::FromJson(*ejson);
  t1 = Clock::now();
  if (!entities.ok()) return entities.status();
  w.entities = *entities;
  w.entities_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();

  absl::StatusOr<std::string> rjson = Slurp(dir / "requests.json");
  if (!rjson.ok()) return rjson.status();
  nlohmann::json reqs = nlohmann::json::parse(*rjson, nullptr, false);
  if (reqs.is_discarded() || !reqs.is_array()) {
    return absl::InvalidArgumentError("requests.json: expected a JSON array");
  }
  for (size_t i = 0; i < reqs.size(); ++i) {
    absl::StatusOr<Request> r = ParseWorkloadRequest(reqs[i]);
    if (!r.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "requests.json: request ", i, ": ", std::string(r.status().message())));
    }
    w.requests.push_back(*std::move(r));
    Expected e;
    e.decision = reqs[i].value("decision", "deny") == "allow" ? Decision::kAllow
                                                              : Decision::kDeny;
    for (const auto& id : reqs[i].value("reason", nlohmann::json::array())) {
      e.reasons.insert(id.get<std::string>());
    }
    for (const auto& id : reqs[i].value("errors", nlohmann::json::array())) {
      e.errors.insert(id.is_string() ? id.get<std::string>()
                                     : id.value("policyId", std::string()));
    }
    w.expected.push_back(std::move(e));
  }
  return w;
}

// Empty when `r` matches `e`; otherwise a description of the difference.
inline std::string Mismatch(const Response& r, const Expected& e) {
  std::set<std::string> reasons, errors;
  for (auto id : r.reasons) reasons.emplace(id);
  for (const auto& err : r.errors) errors.emplace(err.policy_id);
  if (r.decision == e.decision && reasons == e.reasons && errors == e.errors) {
    return "";
  }
  auto join = [](const std::set<std::string>& s) {
    std::string out = "[";
    for (const auto& x : s) out += (out.size() > 1 ? "," : "") + x;
    return out + "]";
  };
  return absl::StrCat("expected ", std::string(DecisionName(e.decision)),
                      " reasons=", join(e.reasons), " errors=", join(e.errors),
                      ", got ", std::string(DecisionName(r.decision)),
                      " reasons=", join(reasons), " errors=", join(errors));
}

}  // namespace arbiter::workload

#endif  // ARBITER_TOOLS_WORKLOAD_H_
