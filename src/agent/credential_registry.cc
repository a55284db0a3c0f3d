// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// CredentialRegistry: an open-addressing table from the 128-bit id to its
// grant, filled in place. Ids are uniformly random, so the id's low word is
// the hash, and a slot is written once: the high word and its copy of the
// grant first, then its low word with release order, which is what a check
// reads (acquire) to decide whether the slot is taken. A slot is never
// emptied or rewritten in a table (only its revoked flag is set, by
// Revoke); Purge, and growth when the table is half full, build a new
// table and publish it RCU style (the old one lives on in the thread
// caches that still hold it, and keeps its grants alive).
// Check takes the id in binary form when the caller gives it (CredentialId),
// else parses the hex text (no allocation), finds the current table through
// its thread's cache (one atomic load when nothing changed; no lock, no
// shared counter written, so checking threads never contend), probes, and
// tests the slot's copy of the grant's fields in a fixed order so that
// each failure maps to exactly one reason. Grants stay in the table after
// revocation so that a revoked id answers "revoked", not "unknown", until
// Purge.
//
// INVARIANT: version_ changes (under mu_) after every publish, and a thread
// cache entry pairs a table with the version it was current at, so a cache
// whose version equals version_ holds the current table. Every grant in a
// table is also in by_task_ under its task, unless its task has ended.

#include "arbiter/credentials.h"

#include <array>
#include <mutex>

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "absl/container/flat_hash_set.h"
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

#if defined(__SSE2__) && defined(__x86_64__)
// Sixteen lower-case hex digits at `p` into a number, or false. SSE2 (every
// x86-64 has it): range tests on all sixteen bytes at once, then nibble
// pairs into bytes. Bytes of 0x80 and above compare negative, so they fail
// both ranges. About 20 instructions against some 130 for a table loop,
// and a check parses two of these on every guarded call.
bool ParseHex16(const char* p, uint64_t* out) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
  const __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('a' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('f' + 1)));
  if (_mm_movemask_epi8(_mm_or_si128(digit, alpha)) != 0xFFFF) return false;
  // '0'..'9' minus '0', 'a'..'f' minus ('a' - 10): one nibble per byte.
  const __m128i nibbles = _mm_sub_epi8(
      v, _mm_or_si128(_mm_and_si128(digit, _mm_set1_epi8('0')),
                      _mm_and_si128(alpha, _mm_set1_epi8('a' - 10))));
  // Each 16-bit lane holds (first digit) | (second digit) << 8; make its
  // low byte first << 4 | second, then pack the eight lanes into bytes.
  const __m128i pairs = _mm_and_si128(
      _mm_or_si128(_mm_slli_epi16(nibbles, 4), _mm_srli_epi16(nibbles, 8)),
      _mm_set1_epi16(0x00FF));
  const uint64_t bytes =
      static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_packus_epi16(pairs, pairs)));
  *out = __builtin_bswap64(bytes);  // the first two digits are the top byte
  return true;
}
#else
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

bool ParseHex16(const char* p, uint64_t* out) {
  uint64_t v = 0;
  int bad = 0;
  for (size_t i = 0; i < 16; ++i) {
    const int d = kHexDigit[static_cast<unsigned char>(p[i])];
    bad |= d;  // negative (all bits set) for a non-digit
    v = (v << 4) | static_cast<uint64_t>(d & 0xf);
  }
  *out = v;
  return bad >= 0;
}
#endif

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

// The id table. Readers call only Find; everything else runs under the
// registry's mutex.
class CredentialRegistry::Table {
 public:
  // `capacity` is a power of two.
  explicit Table(size_t capacity)
      : slots_(new Slot[capacity]), mask_(capacity - 1) {}

  // A check's view of one grant: its key and everything Check reads, on
  // one cache line, so that a check of a credential not used lately waits
  // for one miss (the slot) rather than two (the slot, then the grant).
  // Only the second and later actions of a grant, and the grant itself for
  // the writers, are behind `grant`.
  struct alignas(64) Slot {
    std::atomic<uint64_t> lo{0};  // 0: empty; stored last, with release
    uint64_t hi = 0;
    TimePoint expires;
    EntityUid agent;
    EntityUid first_action;
    const TaskState* task = nullptr;
    Grant* grant = nullptr;
    // The grant's own flag, mirrored (see Revoke): set in the current
    // table by Revoke, copied by every table built later.
    std::atomic<bool> revoked{false};
    bool more_actions = false;  // grant->actions.size() > 1

    bool Revoked() const {
      return revoked.load(std::memory_order_acquire) ||
             task->ended.load(std::memory_order_acquire);
    }
  };
  static_assert(sizeof(Slot) == 64, "one cache line per slot (see above)");

  const Slot* FindSlot(const Key& key) const {
    if (key.lo == 0) return nullptr;  // never issued; marks empty slots
    for (size_t i = key.lo & mask_;; i = (i + 1) & mask_) {
      const uint64_t lo = slots_[i].lo.load(std::memory_order_acquire);
      if (lo == 0) return nullptr;
      if (lo == key.lo && slots_[i].hi == key.hi) return &slots_[i];
    }
  }
  Grant* Find(const Key& key) const {
    const Slot* s = FindSlot(key);
    return s != nullptr ? s->grant : nullptr;
  }
  // With the registry's mutex held: the revocation of a grant in this
  // table (the current one), for checks that read only the slot.
  void MarkRevoked(const Key& key) {
    if (const Slot* s = FindSlot(key)) {
      const_cast<Slot*>(s)->revoked.store(true, std::memory_order_release);
    }
  }

  // Whether one more grant keeps the load factor at most one half.
  bool HasRoomForOne() const { return (grants_.size() + 1) * 2 <= mask_ + 1; }

  // Adds a grant whose key is not in the table (and whose key.lo != 0).
  void Insert(std::shared_ptr<Grant> grant) {
    size_t i = grant->key.lo & mask_;
    while (slots_[i].lo.load(std::memory_order_relaxed) != 0) i = (i + 1) & mask_;
    Slot& slot = slots_[i];
    slot.hi = grant->key.hi;
    slot.expires = grant->expires;
    slot.agent = grant->agent;
    slot.first_action = grant->actions.front();  // Issue refuses none
    slot.more_actions = grant->actions.size() > 1;
    slot.task = grant->task.get();
    slot.grant = grant.get();
    slot.revoked.store(grant->revoked.load(std::memory_order_relaxed),
                       std::memory_order_relaxed);
    slot.lo.store(grant->key.lo, std::memory_order_release);
    grants_.push_back(std::move(grant));
  }

  // Every grant in the table (keeps them alive while the table lives).
  const std::vector<std::shared_ptr<Grant>>& grants() const { return grants_; }

  // The smallest capacity that holds `n` grants and one more.
  static size_t CapacityFor(size_t n) {
    size_t c = 16;
    while ((n + 1) * 2 > c) c *= 2;
    return c;
  }

 private:
  std::unique_ptr<Slot[]> slots_;
  size_t mask_;
  std::vector<std::shared_ptr<Grant>> grants_;
};

CredentialRegistry::CredentialRegistry(const Clock* clock)
    : clock_(clock != nullptr ? clock : Clock::System()),
      serial_(next_serial.fetch_add(1, std::memory_order_relaxed)),
      table_(std::make_shared<Table>(Table::CapacityFor(0))) {}

CredentialRegistry::~CredentialRegistry() = default;

bool CredentialRegistry::ParseId(std::string_view text, Key* key) {
  // Ids are issued lower-case, so an upper-case digit makes an unknown id.
  return text.size() == 32 && ParseHex16(text.data(), &key->hi) &&
         ParseHex16(text.data() + 16, &key->lo);
}

absl::StatusOr<CredentialId> CredentialId::Parse(std::string_view text) {
  CredentialId id;
  if (!CredentialRegistry::ParseId(text, &id) || id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "credential id `", absl::string_view(text.data(), text.size()),
        "`: expected 32 lower-case hex digits, not ending in 16 zeros"));
  }
  return id;
}

void CredentialId::WriteHex(char* out) const {
  internal::WriteHex64(hi, out);
  internal::WriteHex64(lo, out + 16);
}

std::string CredentialId::ToString() const {
  std::string text(32, '0');
  WriteHex(text.data());
  return text;
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

void CredentialRegistry::PublishLocked(std::shared_ptr<Table> next) {
  table_ = std::move(next);
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
  grant->agent = spec.agent;
  grant->actions.assign(spec.actions.begin(), spec.actions.end());
  grant->expires = clock_->Now() +
                   std::chrono::duration_cast<TimePoint::duration>(spec.ttl);
  std::lock_guard<std::mutex> lock(mu_);
  Key key;
  // A collision among 128 random bits will not happen; the loop only makes
  // "ids are unique" an invariant rather than a probability (and keeps the
  // low word off 0, the empty-slot mark).
  do {
    uint64_t words[2];
    if (absl::Status s = internal::OsRandomBytes(words, sizeof words); !s.ok()) {
      return s;
    }
    key.hi = words[0];
    key.lo = words[1];
  } while (key.lo == 0 || table_->Find(key) != nullptr);
  grant->key = key;
  TaskEntry& task = by_task_[spec.task_id];
  if (task.state == nullptr) task.state = std::make_shared<TaskState>(spec.task_id);
  grant->task = task.state;
  task.grants.push_back(grant.get());
  if (!table_->HasRoomForOne()) {
    // Twice the size: the copy is of pointers, and amortized over the
    // inserts that filled the table.
    auto next = std::make_shared<Table>(Table::CapacityFor(table_->grants().size()));
    for (const auto& g : table_->grants()) next->Insert(g);
    PublishLocked(std::move(next));
  }
  table_->Insert(std::move(grant));
  return key.ToString();
}

absl::Status CredentialRegistry::Revoke(std::string_view credential_id) {
  Key key;
  std::lock_guard<std::mutex> lock(mu_);
  Grant* g = ParseId(credential_id, &key) ? table_->Find(key) : nullptr;
  if (g == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "no credential `", std::string(credential_id), "`"));
  }
  g->revoked.store(true, std::memory_order_release);
  // Checks read the slot's copy. Tables built later copy the grant's flag
  // under the same mutex, and a check that starts after this returns finds
  // the current table (Snapshot), so it sees the revocation either way.
  table_->MarkRevoked(key);
  return absl::OkStatus();
}

size_t CredentialRegistry::EndTask(std::string_view task_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto t = by_task_.find(absl::string_view(task_id.data(), task_id.size()));
  if (t == by_task_.end()) return 0;
  size_t n = 0;
  for (const Grant* g : t->second.grants) {
    if (!g->revoked.load(std::memory_order_relaxed)) ++n;
  }
  // One store for the whole task: no check sees part of it revoked.
  t->second.state->ended.store(true, std::memory_order_release);
  by_task_.erase(t);
  return n;
}

size_t CredentialRegistry::Purge(TimePoint now) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::shared_ptr<Grant>> kept;
  kept.reserve(table_->grants().size());
  absl::flat_hash_set<const Grant*> removed;
  for (const auto& g : table_->grants()) {
    if (g->Revoked() || now >= g->expires) {
      removed.insert(g.get());
    } else {
      kept.push_back(g);
    }
  }
  if (removed.empty()) return 0;
  // Ended tasks are no longer in by_task_; the others forget their purged
  // grants, and a task left with none is forgotten too.
  for (auto t = by_task_.begin(); t != by_task_.end();) {
    std::erase_if(t->second.grants,
                  [&](const Grant* g) { return removed.contains(g); });
    if (t->second.grants.empty()) {
      by_task_.erase(t++);
    } else {
      ++t;
    }
  }
  auto next = std::make_shared<Table>(Table::CapacityFor(kept.size()));
  for (auto& g : kept) next->Insert(std::move(g));
  PublishLocked(std::move(next));
  return removed.size();
}

CredentialStatus CredentialRegistry::Check(const CredentialQuery& q) const {
  // The binary form, when given, spares reading the text (see CredentialId).
  Key key = q.credential;
  if (key.empty()) {
    if (q.credential_id.empty()) return CredentialStatus::kMissing;
    if (!ParseId(q.credential_id, &key)) return CredentialStatus::kUnknown;
  }
  const Table::Slot* found = Snapshot().FindSlot(key);
  if (found == nullptr) return CredentialStatus::kUnknown;
  const Table::Slot& g = *found;
  if (g.Revoked()) return CredentialStatus::kRevoked;
  if (q.now >= g.expires) return CredentialStatus::kExpired;
  if (g.agent != q.principal) return CredentialStatus::kWrongAgent;
  if (!q.task_id.empty() && q.task_id != g.task->id) {
    return CredentialStatus::kWrongTask;
  }
  // Scope: the action itself, or one of its groups. The action's ancestors
  // come from the decision's entity store, looked up only if no action
  // matches directly. Most grants name one action or group, in the slot.
  const absl::Span<const EntityUid> rest =
      g.more_actions ? absl::MakeConstSpan(g.grant->actions).subspan(1)
                     : absl::Span<const EntityUid>();
  if (g.first_action == q.action) return CredentialStatus::kValid;
  for (const EntityUid& allowed : rest) {
    if (allowed == q.action) return CredentialStatus::kValid;
  }
  const internal::EntityHot* action =
      q.entities != nullptr ? q.entities->FindHot(q.action) : nullptr;
  if (action != nullptr) {
    if (action->HasAncestor(g.first_action)) return CredentialStatus::kValid;
    for (const EntityUid& allowed : rest) {
      if (action->HasAncestor(allowed)) return CredentialStatus::kValid;
    }
  }
  return CredentialStatus::kOutOfScope;
}

absl::StatusOr<TimePoint> CredentialRegistry::ExpiresAt(
    std::string_view credential_id) const {
  Key key;
  const Grant* g = ParseId(credential_id, &key) ? Snapshot().Find(key) : nullptr;
  if (g == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "no credential `", std::string(credential_id), "`"));
  }
  return g->expires;
}

size_t CredentialRegistry::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return table_->grants().size();
}

}  // namespace arbiter
