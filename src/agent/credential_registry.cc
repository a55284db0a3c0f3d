// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// CredentialRegistry: a hash map from the 128-bit id to its grant, published
// RCU style. Writers (under mu_) copy the current table, change the copy and
// publish it; a published table and its grants are never changed again.
// Check parses the hex id (no allocation), finds the current table through
// its thread's cache (one atomic load when nothing changed; no lock, no
// shared counter written, so checking threads never contend), probes once,
// and tests the grant's fields in a fixed order so that each failure maps to
// exactly one reason. Grants stay in the table after revocation so that a
// revoked id answers "revoked", not "unknown", until Purge.
//
// INVARIANT: version_ changes (under mu_) after every publish, and a thread
// cache entry pairs a table with the version it was current at, so a cache
// whose version equals version_ holds the current table.

#include "arbiter/credentials.h"

#include <array>
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

namespace {

std::atomic<uint64_t> next_serial{1};

// Hex digit values, -1 for anything else (ids are issued lower-case, so an
// upper-case digit makes an unknown id).
constexpr std::array<int8_t, 256> kHexDigit = [] {
  std::array<int8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = c >= '0' && c <= '9'   ? static_cast<int8_t>(c - '0')
           : c >= 'a' && c <= 'f' ? static_cast<int8_t>(c - 'a' + 10)
                                  : int8_t{-1};
  }
  return t;
}();

// A thread's view of a few registries' tables. Entries are keyed by the
// registry's serial (never reused, unlike its address).
struct CacheEntry {
  uint64_t serial = 0;
  uint64_t version = 0;
  std::shared_ptr<const void> table;
};
constexpr size_t kCacheEntries = 4;
thread_local std::array<CacheEntry, kCacheEntries> table_cache;
thread_local size_t table_cache_next = 0;  // round-robin victim

}  // namespace

CredentialRegistry::CredentialRegistry(const Clock* clock)
    : clock_(clock != nullptr ? clock : Clock::System()),
      serial_(next_serial.fetch_add(1, std::memory_order_relaxed)),
      table_(std::make_shared<const Table>()) {}

CredentialRegistry::~CredentialRegistry() = default;

bool CredentialRegistry::ParseId(std::string_view text, Key* key) {
  if (text.size() != 32) return false;
  uint64_t words[2] = {0, 0};
  int bad = 0;
  for (size_t w = 0; w < 2; ++w) {
    uint64_t v = 0;
    for (size_t i = 0; i < 16; ++i) {
      const int d = kHexDigit[static_cast<unsigned char>(text[w * 16 + i])];
      bad |= d;  // negative (all bits set) for a non-digit
      v = (v << 4) | static_cast<uint64_t>(d & 0xf);
    }
    words[w] = v;
  }
  if (bad < 0) return false;
  key->hi = words[0];
  key->lo = words[1];
  return true;
}

const CredentialRegistry::Table& CredentialRegistry::Snapshot() const {
  const uint64_t version = version_.load(std::memory_order_acquire);
  for (CacheEntry& e : table_cache) {
    if (e.serial == serial_) {
      if (e.version != version) {
        std::lock_guard<std::mutex> lock(mu_);
        e.table = table_;
        e.version = version_.load(std::memory_order_relaxed);
      }
      return *static_cast<const Table*>(e.table.get());
    }
  }
  CacheEntry& e = table_cache[table_cache_next++ % kCacheEntries];
  std::lock_guard<std::mutex> lock(mu_);
  e.serial = serial_;
  e.table = table_;
  e.version = version_.load(std::memory_order_relaxed);
  return *static_cast<const Table*>(e.table.get());
}

void CredentialRegistry::PublishLocked(Table next) {
  table_ = std::make_shared<const Table>(std::move(next));
  version_.fetch_add(1, std::memory_order_release);
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
  auto grant = std::make_shared<Grant>();
  grant->task_id = spec.task_id;
  grant->agent = spec.agent;
  grant->actions = spec.actions;
  grant->expires = clock_->Now() +
                   std::chrono::duration_cast<TimePoint::duration>(spec.ttl);
  std::lock_guard<std::mutex> lock(mu_);
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
  } while (table_->contains(key));
  Table next = *table_;
  next.emplace(key, std::move(grant));
  PublishLocked(std::move(next));
  by_task_[spec.task_id].push_back(key);
  std::string id;
  id.reserve(32);
  internal::AppendHex64(key.hi, &id);
  internal::AppendHex64(key.lo, &id);
  return id;
}

absl::Status CredentialRegistry::Revoke(std::string_view credential_id) {
  Key key;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = ParseId(credential_id, &key) ? table_->find(key) : table_->end();
  if (it == table_->end()) {
    return absl::NotFoundError(absl::StrCat(
        "no credential `", std::string(credential_id), "`"));
  }
  if (it->second->revoked) return absl::OkStatus();
  Table next = *table_;
  auto revoked = std::make_shared<Grant>(*it->second);
  revoked->revoked = true;
  next[key] = std::move(revoked);
  PublishLocked(std::move(next));
  return absl::OkStatus();
}

size_t CredentialRegistry::EndTask(std::string_view task_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto t = by_task_.find(absl::string_view(task_id.data(), task_id.size()));
  if (t == by_task_.end()) return 0;
  Table next = *table_;
  size_t n = 0;
  for (const Key& key : t->second) {
    auto it = next.find(key);
    if (it != next.end() && !it->second->revoked) {
      auto revoked = std::make_shared<Grant>(*it->second);
      revoked->revoked = true;
      it->second = std::move(revoked);
      ++n;
    }
  }
  by_task_.erase(t);
  // One publish for the whole task: no check sees part of it revoked.
  if (n > 0) PublishLocked(std::move(next));
  return n;
}

size_t CredentialRegistry::Purge(TimePoint now) {
  std::lock_guard<std::mutex> lock(mu_);
  Table next = *table_;
  size_t n = 0;
  for (auto it = next.begin(); it != next.end();) {
    const Grant& g = *it->second;
    if (g.revoked || now >= g.expires) {
      auto t = by_task_.find(g.task_id);
      if (t != by_task_.end()) {
        std::erase(t->second, it->first);
        if (t->second.empty()) by_task_.erase(t);
      }
      next.erase(it++);
      ++n;
    } else {
      ++it;
    }
  }
  if (n > 0) PublishLocked(std::move(next));
  return n;
}

CredentialStatus CredentialRegistry::Check(const CredentialQuery& q) const {
  if (q.credential_id.empty()) return CredentialStatus::kMissing;
  Key key;
  if (!ParseId(q.credential_id, &key)) return CredentialStatus::kUnknown;
  const Table& table = Snapshot();
  auto it = table.find(key);
  if (it == table.end()) return CredentialStatus::kUnknown;
  const Grant& g = *it->second;
  if (g.revoked) return CredentialStatus::kRevoked;
  if (q.now >= g.expires) return CredentialStatus::kExpired;
  if (g.agent != q.principal) return CredentialStatus::kWrongAgent;
  if (!q.task_id.empty() && q.task_id != g.task_id) {
    return CredentialStatus::kWrongTask;
  }
  // Scope: the action itself, or one of its groups. The action's ancestors
  // come from the decision's entity store, looked up only if no action
  // matches directly.
  for (const EntityUid& allowed : g.actions) {
    if (allowed == q.action) return CredentialStatus::kValid;
  }
  const StoredEntity* action =
      q.entities != nullptr ? q.entities->Find(q.action) : nullptr;
  if (action != nullptr) {
    for (const EntityUid& allowed : g.actions) {
      if (action->HasAncestor(allowed)) return CredentialStatus::kValid;
    }
  }
  return CredentialStatus::kOutOfScope;
}

absl::StatusOr<TimePoint> CredentialRegistry::ExpiresAt(
    std::string_view credential_id) const {
  Key key;
  const Table& table = Snapshot();
  auto it = ParseId(credential_id, &key) ? table.find(key) : table.end();
  if (it == table.end()) {
    return absl::NotFoundError(absl::StrCat(
        "no credential `", std::string(credential_id), "`"));
  }
  return it->second->expires;
}

size_t CredentialRegistry::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return table_->size();
}

}  // namespace arbiter
