// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// CredentialRegistry: a hash map from the 128-bit id to its grant, under a
// reader/writer lock. Check parses the hex id (no allocation), probes once,
// and tests the grant's fields in a fixed order so that each failure maps to
// exactly one reason. Grants stay in the map after revocation so that a
// revoked id answers "revoked", not "unknown", until Purge.

#include "arbiter/credentials.h"

#include <mutex>

#include "absl/strings/str_cat.h"
#include "src/agent/random.h"

namespace arbiter {

std::string_view CredentialStatusName(CredentialStatus status) {
  switch (status) {
    case CredentialStatus::kNotChecked: return "credential not checked";
    case CredentialStatus::kValid: return "credential valid";
    case CredentialStatus::kMissing: return "credential missing";
    case CredentialStatus::kUnknown: return "credential unknown";
    case CredentialStatus::kExpired: return "credential expired";
    case CredentialStatus::kRevoked: return "credential revoked";
    case CredentialStatus::kWrongAgent: return "credential issued to another agent";
    case CredentialStatus::kWrongTask: return "credential issued for another task";
    case CredentialStatus::kOutOfScope: return "action outside credential scope";
    case CredentialStatus::kRejected: return "credential rejected";
  }
  return "credential rejected";
}

CredentialRegistry::CredentialRegistry(const Clock* clock)
    : clock_(clock != nullptr ? clock : Clock::System()) {}

CredentialRegistry::~CredentialRegistry() = default;

bool CredentialRegistry::ParseId(std::string_view text, Key* key) {
  if (text.size() != 32) return false;
  uint64_t words[2] = {0, 0};
  for (size_t i = 0; i < 32; ++i) {
    const char c = text[i];
    uint64_t d;
    if (c >= '0' && c <= '9') {
      d = static_cast<uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      d = static_cast<uint64_t>(c - 'a' + 10);
    } else {
      return false;  // ids are issued lower-case; anything else is unknown
    }
    words[i / 16] = (words[i / 16] << 4) | d;
  }
  key->hi = words[0];
  key->lo = words[1];
  return true;
}

absl::StatusOr<std::string> CredentialRegistry::Issue(const CredentialSpec& spec) {
  if (spec.task_id.empty()) {
    return absl::InvalidArgumentError("credential: empty task id");
  }
  if (spec.actions.empty()) {
    return absl::InvalidArgumentError("credential: no actions in scope");
  }
  if (spec.ttl <= std::chrono::nanoseconds::zero()) {
    return absl::InvalidArgumentError("credential: time to live must be positive");
  }
  Grant grant;
  grant.task_id = spec.task_id;
  grant.agent = spec.agent;
  grant.actions = spec.actions;
  grant.expires = clock_->Now() +
                  std::chrono::duration_cast<TimePoint::duration>(spec.ttl);
  std::unique_lock<std::shared_mutex> lock(mu_);
  Key key;
  // A collision among 128 random bits will not happen; the loop only makes
  // "ids are unique" an invariant rather than a probability.
  do {
    uint64_t words[2];
    if (absl::Status s = internal::OsRandomBytes(words, sizeof words); !s.ok()) {
      return s;
    }
    key.hi = words[0];
    key.lo = words[1];
  } while (grants_.contains(key));
  grants_.emplace(key, std::move(grant));
  by_task_[spec.task_id].push_back(key);
  std::string id;
  id.reserve(32);
  internal::AppendHex64(key.hi, &id);
  internal::AppendHex64(key.lo, &id);
  return id;
}

absl::Status CredentialRegistry::Revoke(std::string_view credential_id) {
  Key key;
  std::unique_lock<std::shared_mutex> lock(mu_);
  auto it = ParseId(credential_id, &key) ? grants_.find(key) : grants_.end();
  if (it == grants_.end()) {
    return absl::NotFoundError(absl::StrCat(
        "no credential `", std::string(credential_id), "`"));
  }
  it->second.revoked = true;
  return absl::OkStatus();
}

size_t CredentialRegistry::EndTask(std::string_view task_id) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  auto t = by_task_.find(absl::string_view(task_id.data(), task_id.size()));
  if (t == by_task_.end()) return 0;
  size_t n = 0;
  for (const Key& key : t->second) {
    auto it = grants_.find(key);
    if (it != grants_.end() && !it->second.revoked) {
      it->second.revoked = true;
      ++n;
    }
  }
  by_task_.erase(t);
  return n;
}

size_t CredentialRegistry::Purge(TimePoint now) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  size_t n = 0;
  for (auto it = grants_.begin(); it != grants_.end();) {
    if (it->second.revoked || now >= it->second.expires) {
      auto t = by_task_.find(it->second.task_id);
      if (t != by_task_.end()) {
        std::erase(t->second, it->first);
        if (t->second.empty()) by_task_.erase(t);
      }
      grants_.erase(it++);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

CredentialStatus CredentialRegistry::Check(const CredentialQuery& q) const {
  if (q.credential_id.empty()) return CredentialStatus::kMissing;
  Key key;
  if (!ParseId(q.credential_id, &key)) return CredentialStatus::kUnknown;
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto it = grants_.find(key);
  if (it == grants_.end()) return CredentialStatus::kUnknown;
  const Grant& g = it->second;
  if (g.revoked) return CredentialStatus::kRevoked;
  if (q.now >= g.expires) return CredentialStatus::kExpired;
  if (g.agent != q.principal) return CredentialStatus::kWrongAgent;
  if (!q.task_id.empty() && q.task_id != g.task_id) {
    return CredentialStatus::kWrongTask;
  }
  // Scope: the action itself, or one of its groups. The action's ancestors
  // come from the decision's entity store, found once.
  const StoredEntity* action =
      q.entities != nullptr ? q.entities->Find(q.action) : nullptr;
  for (const EntityUid& allowed : g.actions) {
    if (allowed == q.action) return CredentialStatus::kValid;
    if (action != nullptr && action->HasAncestor(allowed)) {
      return CredentialStatus::kValid;
    }
  }
  return CredentialStatus::kOutOfScope;
}

absl::StatusOr<TimePoint> CredentialRegistry::ExpiresAt(
    std::string_view credential_id) const {
  Key key;
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto it = ParseId(credential_id, &key) ? grants_.find(key) : grants_.end();
  if (it == grants_.end()) {
    return absl::NotFoundError(absl::StrCat(
        "no credential `", std::string(credential_id), "`"));
  }
  return it->second.expires;
}

size_t CredentialRegistry::size() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return grants_.size();
}

}  // namespace arbiter
