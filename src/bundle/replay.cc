// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Replaying a decision log against a candidate bundle. Each record is
// decided the way the guard decided it (src/agent/guard.cc): the acting
// principal, then the principals of the delegation chain from its origin, all on
// the logged context (which, logged whole, already holds the task and
// delegation fields the guard added). A decision "changes" when allow/deny
// differs; the report carries both answers and the policies behind them.
// A malformed line is reported with its number and skipped: one bad line in
// a million-line log should not hide what the rest says.

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "arbiter/decision_log.h"
#include "arbiter/replay.h"

namespace arbiter {
namespace {

using Json = nlohmann::json;

absl::StatusOr<EntityUid> Uid(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return absl::InvalidArgumentError(absl::StrCat("missing `", key, "`"));
  auto uid = EntityUidFromJson(it->dump());
  if (!uid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("`", key, "`: ", uid.status().message()));
  }
  return *uid;
}

// One hop as the guard decides it.
struct Outcome {
  Decision decision = Decision::kDeny;
  DenyKind kind = DenyKind::kNone;
  int hop = -1;
  EntityUid hop_principal;
  std::vector<std::string> policies;
};

Outcome Decide(const Bundle& b, const Request& request,
               const std::vector<EntityUid>& upstream) {
  Outcome o;
  const Entities* store = b.EntitiesFor(request.action);
  if (store == nullptr) {
    o.kind = DenyKind::kUnclassified;
    return o;
  }
  Request hop = request;
  Response r;
  o.decision = Decision::kAllow;
  // The guard's order: the acting principal first, then the chain from its
  // origin, so a deny is attributed to the same hop.
  for (size_t step = 0; step <= upstream.size(); ++step) {
    const size_t i = step == 0 ? upstream.size() : step - 1;
    hop.principal = i < upstream.size() ? upstream[i] : request.principal;
    Authorize(*b.policies(), *store, hop, &r);
    if (r.decision == Decision::kDeny) {
      o.decision = Decision::kDeny;
      o.kind = i < upstream.size() ? DenyKind::kDelegation : DenyKind::kPolicy;
      o.hop = static_cast<int>(i);
      o.hop_principal = hop.principal;
      o.policies.assign(r.reasons.begin(), r.reasons.end());
      return o;
    }
    for (std::string_view id : r.reasons) {
      if (std::find(o.policies.begin(), o.policies.end(), id) == o.policies.end()) {
        o.policies.emplace_back(id);
      }
    }
  }
  return o;
}

std::string Reason(const Outcome& o) {
  DecisionRecord rec;
  rec.decision = o.decision;
  rec.deny_kind = o.kind;
  rec.denied_hop = o.hop;
  rec.denied_principal = o.hop_principal;
  std::vector<std::string_view> ids(o.policies.begin(), o.policies.end());
  rec.policies = ids;
  return DenyReason(rec);
}

// Reads and replays one record; an error names what is wrong with it.
absl::Status ReplayLine(const Bundle& b, std::string_view line, size_t number,
                        ReplayReport* report) {
  Json j = Json::parse(line.begin(), line.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError("not a JSON object");
  }
  if (auto d = j.find("deny"); d != j.end() && d->is_object()) {
    if (d->value("kind", "") == "credential") {
      ++report->skipped_credential;
      return absl::OkStatus();
    }
  }
  Request req;
  auto principal = Uid(j, "principal");
  if (!principal.ok()) return principal.status();
  auto action = Uid(j, "action");
  if (!action.ok()) return action.status();
  auto resource = Uid(j, "resource");
  if (!resource.ok()) return resource.status();
  req.principal = *principal;
  req.action = *action;
  req.resource = *resource;
  auto ctx = j.find("context");
  if (ctx == j.end() || !ctx->is_object()) {
    return absl::InvalidArgumentError(
        "missing `context` (log with decision_log.context_fields: [\"*\"])");
  }
  auto context = ValueFromJson(ctx->dump());
  if (!context.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("`context`: ", context.status().message()));
  }
  req.context = *std::move(context);
  std::vector<EntityUid> upstream;
  if (auto d = j.find("delegation"); d != j.end() && d->is_array()) {
    for (const Json& p : *d) {
      auto uid = EntityUidFromJson(p.dump());
      if (!uid.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("`delegation`: ", uid.status().message()));
      }
      upstream.push_back(*uid);
    }
  }
  const std::string decision = j.value("decision", "");
  if (decision != "allow" && decision != "deny") {
    return absl::InvalidArgumentError("`decision` must be \"allow\" or \"deny\"");
  }
  const Decision before = decision == "allow" ? Decision::kAllow : Decision::kDeny;

  const Outcome after = Decide(b, req, upstream);
  ++report->replayed;
  if (after.decision == before) {
    ++report->unchanged;
    return absl::OkStatus();
  }
  ReplayChange c;
  c.line = number;
  if (auto id = j.find("id"); id != j.end() && id->is_string()) c.id = *id;
  c.principal = req.principal.ToString();
  c.action = req.action.ToString();
  c.resource = req.resource.ToString();
  c.before = before;
  c.after = after.decision;
  if (auto p = j.find("policies"); p != j.end() && p->is_array()) {
    for (const Json& id : *p) {
      if (id.is_string()) c.before_policies.push_back(id);
    }
  }
  c.after_policies = after.policies;
  c.after_reason = Reason(after);
  (before == Decision::kAllow ? report->allow_to_deny : report->deny_to_allow)++;
  report->changes.push_back(std::move(c));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ReplayReport> Replay(const Bundle& candidate,
                                    std::string_view jsonl,
                                    const ReplayOptions& options) {
  ReplayReport report;
  size_t number = 0;
  size_t start = 0;
  while (start < jsonl.size()) {
    size_t end = jsonl.find('\n', start);
    if (end == std::string_view::npos) end = jsonl.size();
    std::string_view line = jsonl.substr(start, end - start);
    start = end + 1;
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    ++report.records;
    absl::Status s = ReplayLine(candidate, line, number, &report);
    if (!s.ok() && report.errors.size() < options.max_errors) {
      report.errors.push_back(absl::StrCat("line ", number, ": ", s.message()));
    }
  }
  if (report.records > 0 && report.replayed == 0 &&
      report.skipped_credential == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no record could be replayed; first error: ",
        report.errors.empty() ? "" : report.errors.front()));
  }
  return report;
}

}  // namespace arbiter
