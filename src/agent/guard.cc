// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Guard::Authorize. The order of the steps is the security argument: the
// credential is checked before any policy runs (a revoked agent learns
// nothing from policy errors); the task and delegation fields are written
// over the caller's context (they cannot be forged); every hop must allow
// (delegation only narrows); the chain grows only on an allow (a refused
// attempt cannot unlock or poison later decisions); and the record is made
// after the decision, with what decided it.
//
// Cost: with no hooks, no task and no delegation the call is one
// Engine::Authorize plus a few branches. Otherwise the extra work is at most
// two cycle-clock reads (the latency, whose first also gives "now"; only
// with a logger), one credential probe, the task's prebuilt record and the
// delegation's placed in a two-field overlay over the caller's context
// (kept between a thread's calls; the caller's record is borrowed through
// a RequestView, not copied), and the logger's copy into its queue.

#include "arbiter/guard.h"

#include <algorithm>
#include <chrono>

#include "src/agent/cycle_clock.h"
#include "src/agent/random.h"
#include "src/authorize/authorize_view.h"
#include "src/eval/request_view.h"

namespace arbiter {
namespace {

// Decision ids: a random stream per thread and a counter, so no two threads
// share a cache line on the decision path.
struct IdStream {
  uint64_t stream = 0;
  uint64_t next = 0;
};
thread_local IdStream ids;

DecisionId NextId() {
  if (ids.stream == 0) {
    uint64_t s = 0;
    // Without OS randomness, fall back to something distinct per thread;
    // ids must be unique, not secret.
    if (!internal::OsRandomBytes(&s, sizeof s).ok() || s == 0) {
      s = reinterpret_cast<uintptr_t>(&ids) ^
          static_cast<uint64_t>(
              std::chrono::steady_clock::now().time_since_epoch().count());
    }
    ids.stream = s | 1;  // never 0, which marks "not yet drawn"
  }
  return {ids.stream, ++ids.next};
}

// The clock for latency, and for "now" when the guard's clock is the system
// clock: the Unix time in nanoseconds from the cycle counter, anchored to
// clock_gettime(CLOCK_REALTIME) every 100 ms (src/agent/cycle_clock.h):
// about 11 ns a reading on the project's KVM guests, against about 26 ns
// for clock_gettime itself. One reading serves both as the record's
// timestamp and as the start of its latency; a latency that spans a step
// of the wall clock is clamped at zero.
int64_t UnixNanosNow() { return internal::CycleClock::Now(); }

TimePoint FromUnixNanos(int64_t ns) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::nanoseconds(ns)));
}

// Appends `from` to `to`, skipping ids already there. Reason lists hold a
// handful of ids, so a scan beats a set.
void AppendUnique(const std::vector<std::string_view>& from,
                  std::vector<std::string_view>* to) {
  for (std::string_view id : from) {
    if (std::find(to->begin(), to->end(), id) == to->end()) to->push_back(id);
  }
}

void AppendUniqueErrors(const std::vector<PolicyError>& from,
                        std::vector<PolicyError>* to) {
  for (const PolicyError& e : from) {
    auto same = [&](const PolicyError& x) { return x.policy_id == e.policy_id; };
    if (std::find_if(to->begin(), to->end(), same) == to->end()) to->push_back(e);
  }
}

// Scratch for one hop of a delegation chain, reused by the thread.
thread_local Response hop_response;
thread_local RecordFields hop_overlay;

// What hop_overlay was built from. The overlay stays built between calls
// while this stays the same: the calls of one task repeat the same task
// and delegation records, and rebuilding would copy and later release
// each of them (a pair of atomic reference-count updates apiece, on every
// call). Records are told apart by the address of their fields, which
// cannot be reused while hop_overlay holds them.
struct OverlayInputs {
  bool reusable = false;  // false: built over a caller's overlay, or never
  const void* task = nullptr;
  const void* delegation = nullptr;
  Symbol task_key, delegation_key;
  bool operator==(const OverlayInputs&) const = default;
};
thread_local OverlayInputs hop_overlay_inputs;
thread_local std::vector<std::pair<Symbol, Value>> logged_context;

const Value& EmptyRecord() {
  static const Value* const empty = new Value(Value::Record({}));
  return *empty;
}

}  // namespace

// The fields the guard layers over the request's context: the task record
// and the delegation record (each copied as one Value, which shares its
// payload), over the caller's own overlay if it has one. Sorted by key.
void Guard::BuildOverlay(const RecordFields* caller, const CallContext& call,
                         RecordFields* out) const {
  out->clear();
  std::pair<Symbol, Value> mine[2];
  size_t n = 0;
  if (call.task != nullptr) mine[n++] = {task_key_, call.task->CachedRecord()};
  if (call.delegation != nullptr) {
    mine[n++] = {delegation_key_, call.delegation->record()};
  }
  if (n == 2 && mine[1].first < mine[0].first) std::swap(mine[0], mine[1]);
  size_t m = 0;
  if (caller != nullptr) {
    for (const auto& field : *caller) {
      while (m < n && mine[m].first < field.first) out->push_back(std::move(mine[m++]));
      if (m < n && mine[m].first == field.first) continue;  // the guard's wins
      out->push_back(field);
    }
  }
  while (m < n) out->push_back(std::move(mine[m++]));
}

std::string GuardResponse::DenyReason() const {
  DecisionRecord r;
  r.decision = decision;
  r.deny_kind = deny_kind;
  r.credential = credential;
  r.denied_hop = denied_hop;
  r.denied_principal = denied_principal;
  r.policies = core.reasons;
  return arbiter::DenyReason(r);
}

Guard::Guard(const Engine* engine, GuardOptions options)
    : engine_(engine),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : Clock::System()),
      system_clock_(clock_ == Clock::System()),
      task_key_(Symbol::Intern(options_.task_key)),
      delegation_key_(Symbol::Intern(options_.delegation_key)) {
  for (const std::string& f : options_.logged_context_fields) {
    if (f == "*") log_whole_context_ = true;
    else logged_fields_.push_back(Symbol::Intern(f));
  }
  std::sort(logged_fields_.begin(), logged_fields_.end());
  logged_fields_.erase(std::unique(logged_fields_.begin(), logged_fields_.end()),
                       logged_fields_.end());
}

GuardResponse Guard::Authorize(const Request& request,
                               const CallContext& call) const {
  GuardResponse r;
  Authorize(request, call, &r);
  return r;
}

void Guard::Authorize(const Request& request, const CallContext& call,
                      GuardResponse* out) const {
  DecisionLogger* const logger = options_.logger;
  // One clock read pair for the latency, and only with a logger. "Now" is
  // the first of them when the guard's clock is the system clock, else read
  // from the injected clock; either only when a credential check or a
  // record needs it.
  const int64_t start = logger != nullptr ? UnixNanosNow() : 0;
  TimePoint now{};
  if (logger != nullptr || options_.credentials != nullptr) {
    if (!system_clock_) {
      now = clock_->Now();
    } else {
      now = FromUnixNanos(logger != nullptr ? start : UnixNanosNow());
    }
  }

  // The snapshot is pinned by the response for the whole call, so every hop
  // and the credential's action groups read the same policies and entities.
  {
    const std::shared_ptr<const Snapshot>& current = engine_->CurrentSnapshot();
    if (out->core.keepalive.get() != current.get()) out->core.keepalive = current;
  }
  const Snapshot& snap = *static_cast<const Snapshot*>(out->core.keepalive.get());
  // With a policy bundle installed, the action picks the store (a runtime
  // tool's action entity lives in its own overlay); null means the tool is
  // unclassified and is denied after the credential check.
  const Entities* resolved = snap.EntitiesFor(request.action);
  const Entities& store = resolved != nullptr ? *resolved : *snap.entities;
  // The credential check below is a chain of dependent loads (the id's
  // text unless the call presents the binary form, then the registry's
  // slot), each a cache miss when the agent has not called lately; the
  // decision then looks up the request's entities, more misses. Starting
  // those lookups now overlaps the two.
  store.Prefetch(request.principal);
  store.Prefetch(request.action);
  store.Prefetch(request.resource);

  out->decision = Decision::kDeny;
  out->deny_kind = DenyKind::kNone;
  out->credential = CredentialStatus::kNotChecked;
  out->denied_hop = -1;
  out->denied_principal = EntityUid{};
  out->core.Clear();
  out->id = NextId();

  const std::string_view task_id =
      call.task != nullptr ? std::string_view(call.task->id()) : std::string_view();

  // The context the policies read, kept for a whole-context log record.
  Value evaluated_context;
  if (log_whole_context_ && logger != nullptr) evaluated_context = request.context;
  // The credential's text, for the checker and the record: the caller's,
  // or written from the binary form into this thread's buffer (no memory
  // of the caller's to read; see CredentialId).
  std::string_view credential_text = call.credential_id;
  CredentialId credential_binary;
  if (credential_text.empty() && !call.credential.empty() &&
      (options_.credentials != nullptr || logger != nullptr)) {
    thread_local char text[32];
    call.credential.WriteHex(text);
    credential_text = std::string_view(text, sizeof text);
    credential_binary = call.credential;
  }
  bool checked_ok = true;
  if (options_.credentials != nullptr) {
    CredentialQuery q;
    q.credential_id = credential_text;
    q.credential = credential_binary;
    q.principal = request.principal;
    q.action = request.action;
    q.task_id = task_id;
    q.entities = &store;
    q.now = now;
    out->credential = options_.credentials->Check(q);
    if (out->credential != CredentialStatus::kValid) {
      out->deny_kind = DenyKind::kCredential;
      checked_ok = false;
    }
  }

  // One decision for the acting principal alone (no delegation chain): a
  // deny is its own, at hop 0.
  // The snapshot's binding covers the entities `store` shares with it
  // (see Engine::Authorize).
  const internal::IndexBinding* binding =
      snap.bound ? &snap.bound->binding() : nullptr;
  auto decide_alone = [&](const internal::RequestView& r) {
    internal::AuthorizeView(*snap.policies, store, r, &out->core,
                            options_.authorize, binding);
    out->decision = out->core.decision;
    if (out->decision == Decision::kDeny) {
      out->deny_kind = DenyKind::kPolicy;
      out->denied_hop = 0;
      out->denied_principal = request.principal;
    }
  };
  if (checked_ok && resolved == nullptr) {
    out->deny_kind = DenyKind::kUnclassified;
  } else if (checked_ok) {
    if (call.task == nullptr && call.delegation == nullptr) {
      decide_alone(internal::RequestView::Of(request));
    } else {
      // The caller's request seen through the guard's overlay: the context
      // is borrowed, not copied (no reference count touched), and the
      // thread's overlay is kept for the next call when it holds only the
      // guard's own records (see OverlayInputs).
      internal::RequestView hop = internal::RequestView::Of(request);
      if (!request.context.is(ValueKind::kRecord)) hop.context = &EmptyRecord();
      OverlayInputs inputs;
      inputs.reusable = request.context_overlay == nullptr;
      if (call.task != nullptr) inputs.task = &call.task->CachedRecord().as_record();
      if (call.delegation != nullptr) {
        inputs.delegation = &call.delegation->record().as_record();
      }
      inputs.task_key = task_key_;
      inputs.delegation_key = delegation_key_;
      if (!inputs.reusable || !(inputs == hop_overlay_inputs)) {
        BuildOverlay(request.context_overlay, call, &hop_overlay);
        hop_overlay_inputs = inputs;
      }
      hop.context_overlay = &hop_overlay;
      // What the policies read, built only for a whole-context
      // (replayable) log.
      if (log_whole_context_ && logger != nullptr) {
        evaluated_context = internal::EffectiveContext(hop);
      }
      if (call.delegation == nullptr) {
        decide_alone(hop);
      } else {
        // The acting principal first, then the chain from its origin: a
        // forbid that applies to everyone is reported as the acting
        // principal's own denial (kPolicy), and kDelegation means exactly
        // "it could, but someone it acts for could not".
        const std::vector<EntityUid>& upstream = call.delegation->principals();
        const size_t hops = upstream.size() + 1;
        out->decision = Decision::kAllow;
        for (size_t step = 0; step < hops; ++step) {
          const size_t i = step == 0 ? upstream.size() : step - 1;  // hop index
          hop.principal = i < upstream.size() ? upstream[i] : request.principal;
          internal::AuthorizeView(*snap.policies, store, hop, &hop_response,
                                  options_.authorize, binding);
          if (hop_response.decision == Decision::kDeny) {
            out->decision = Decision::kDeny;
            out->deny_kind =
                i < upstream.size() ? DenyKind::kDelegation : DenyKind::kPolicy;
            out->denied_hop = static_cast<int>(i);
            out->denied_principal = hop.principal;
            out->core.reasons = hop_response.reasons;
            AppendUniqueErrors(hop_response.errors, &out->core.errors);
            break;
          }
          AppendUnique(hop_response.reasons, &out->core.reasons);
          AppendUniqueErrors(hop_response.errors, &out->core.errors);
        }
        out->core.decision = out->decision;
        hop_response.Clear();
      }
      // A caller's overlay is its own: not kept past the call.
      if (!hop_overlay_inputs.reusable) hop_overlay.clear();
    }
    if (out->decision == Decision::kAllow && call.task != nullptr) {
      call.task->RecordCall({request.principal, request.action, request.resource});
    }
  }

  if (logger == nullptr) return;
  DecisionRecord rec;
  rec.id = out->id;
  rec.time = now;
  // A bundle's revision covers its entities and tool rules too.
  rec.policy_revision = snap.actions != nullptr ? snap.actions->revision()
                                                : snap.policies->source_hash();
  rec.principal = request.principal;
  rec.action = request.action;
  rec.resource = request.resource;
  rec.task_id = task_id;
  if (call.delegation != nullptr) rec.delegation = call.delegation->principals();
  rec.credential_id = credential_text;
  rec.decision = out->decision;
  rec.deny_kind = out->deny_kind;
  rec.credential = out->credential;
  rec.denied_hop = out->denied_hop;
  rec.denied_principal = out->denied_principal;
  rec.policies = out->core.reasons;
  rec.errors = out->core.errors;
  if (log_whole_context_ && evaluated_context.is(ValueKind::kRecord)) {
    rec.context = evaluated_context.as_record();
  } else if (!logged_fields_.empty() && request.context.is(ValueKind::kRecord)) {
    for (Symbol f : logged_fields_) {
      const Value* v = request.context_overlay != nullptr
                           ? FindRecordField(*request.context_overlay, f)
                           : nullptr;
      if (v == nullptr) v = request.context.FindField(f);
      if (v != nullptr) logged_context.emplace_back(f, *v);
    }
    rec.context = logged_context;
  }
  rec.latency = std::chrono::nanoseconds(std::max<int64_t>(0, UnixNanosNow() - start));
  logger->Log(rec);
  logged_context.clear();
}

}  // namespace arbiter
