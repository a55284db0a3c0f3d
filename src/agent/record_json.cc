// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Decision records as JSON. Written by hand rather than through
// nlohmann::json: the file sink's writer formats every decision, and
// appending into one reused buffer keeps it ahead of the deciding threads.
// Every field is always present (null or empty when it does not apply), so
// that a replay tool can read records without guessing.

#include <ctime>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "arbiter/entities.h"
#include "src/agent/random.h"
#include "src/agent/record_json.h"
#include "src/entities/json_value.h"

namespace arbiter {

std::string DecisionId::ToString() const {
  std::string out;
  internal::AppendHex64(stream, &out);
  absl::StrAppend(&out, "-", sequence);
  return out;
}

std::string_view DenyKindName(DenyKind kind) {
  switch (kind) {
    case DenyKind::kNone: return "none";
    case DenyKind::kCredential: return "credential";
    case DenyKind::kPolicy: return "policy";
    case DenyKind::kDelegation: return "delegation";
    case DenyKind::kUnclassified: return "unclassified";
  }
  return "none";
}

std::string DenyReason(const DecisionRecord& r) {
  switch (r.deny_kind) {
    case DenyKind::kNone:
      return "";
    case DenyKind::kCredential:
      return std::string(CredentialStatusName(r.credential));
    case DenyKind::kPolicy:
      return r.policies.empty() ? "no policy permits" : "forbidden by policy";
    case DenyKind::kUnclassified:
      return "unclassified tool";
    case DenyKind::kDelegation:
      return absl::StrCat("not allowed for delegating principal `",
                          r.denied_principal.ToString(), "` (hop ",
                          r.denied_hop, ")");
  }
  return "";
}

namespace internal {
namespace {

void AppendString(std::string_view s, std::string* out) {
  AppendJsonString(s, out);
}

// A uid as a JSON string, from a per-thread cache: the file sink's writer
// formats the same few principals, actions and resources over and over, and
// a uid's text never changes (Symbols are never freed or renamed).
void AppendUid(const EntityUid& uid, std::string* out) {
  constexpr size_t kMaxCached = 1 << 14;
  thread_local absl::flat_hash_map<uint64_t, std::string> cache;
  auto it = cache.find(uid.packed());
  if (it == cache.end()) {
    if (cache.size() >= kMaxCached) cache.clear();
    std::string json;
    AppendJsonString(uid.ToString(), &json);
    it = cache.emplace(uid.packed(), std::move(json)).first;
  }
  out->append(it->second);
}

void AppendOptionalString(std::string_view s, std::string* out) {
  if (s.empty()) {
    out->append("null");
  } else {
    AppendJsonString(s, out);
  }
}

}  // namespace

void AppendTimestamp(TimePoint t, std::string* out) {
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  const int64_t us = duration_cast<microseconds>(t.time_since_epoch()).count();
  // Floor division, so times before 1970 still print a valid fraction.
  int64_t secs = us / 1000000;
  int64_t frac = us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  // The date and time to the second change once a second, so each thread
  // keeps the last one formatted.
  struct Second {
    bool set = false;
    int64_t secs = 0;
    char text[40];
    size_t size = 0;
  };
  thread_local Second last;
  if (!last.set || last.secs != secs) {
    const std::time_t tt = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    const int n = std::snprintf(last.text, sizeof last.text,
                                "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                                tm.tm_sec);
    last.size = n > 0 ? static_cast<size_t>(n) : 0;
    last.secs = secs;
    last.set = true;
  }
  out->append(last.text, last.size);
  char digits[7];
  for (int i = 5; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  digits[6] = 'Z';
  out->append(digits, sizeof digits);
}

void AppendDecisionJson(const DecisionRecord& r, std::string* out) {
  out->append("{\"id\":\"");
  AppendHex64(r.id.stream, out);
  absl::StrAppend(out, "-", r.id.sequence, "\",\"time\":\"");
  AppendTimestamp(r.time, out);
  out->append("\",\"policy_revision\":\"");
  AppendHex64(r.policy_revision, out);
  out->append("\",\"principal\":");
  AppendUid(r.principal, out);
  out->append(",\"action\":");
  AppendUid(r.action, out);
  out->append(",\"resource\":");
  AppendUid(r.resource, out);
  out->append(",\"task\":");
  AppendOptionalString(r.task_id, out);
  out->append(",\"delegation\":[");
  for (size_t i = 0; i < r.delegation.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendUid(r.delegation[i], out);
  }
  out->append("],\"credential\":");
  AppendOptionalString(r.credential_id, out);
  out->append(",\"credential_status\":");
  AppendString(r.credential == CredentialStatus::kNotChecked
                   ? std::string_view("not checked")
                   : CredentialStatusName(r.credential),
               out);
  out->append(",\"decision\":\"");
  out->append(DecisionName(r.decision));
  out->append("\",\"deny\":");
  if (r.deny_kind == DenyKind::kNone) {
    out->append("null");
  } else {
    out->append("{\"kind\":\"");
    out->append(DenyKindName(r.deny_kind));
    out->append("\",\"reason\":");
    AppendString(DenyReason(r), out);
    if (r.denied_hop >= 0) {
      absl::StrAppend(out, ",\"hop\":", r.denied_hop, ",\"hop_principal\":");
      AppendUid(r.denied_principal, out);
    }
    out->push_back('}');
  }
  out->append(",\"policies\":[");
  for (size_t i = 0; i < r.policies.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendString(r.policies[i], out);
  }
  out->append("],\"errors\":[");
  for (size_t i = 0; i < r.errors.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append("{\"policy\":");
    AppendString(r.errors[i].policy_id, out);
    out->append(",\"message\":");
    AppendString(r.errors[i].message, out);
    out->push_back('}');
  }
  absl::StrAppend(out, "],\"latency_ns\":", r.latency.count(), ",\"context\":{");
  for (size_t i = 0; i < r.context.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendString(r.context[i].first.str(), out);
    out->push_back(':');
    AppendValueJson(r.context[i].second, out);
  }
  out->append("}}");
}

}  // namespace internal

std::string DecisionRecordToJson(const DecisionRecord& record) {
  std::string out;
  internal::AppendDecisionJson(record, &out);
  return out;
}

}  // namespace arbiter
