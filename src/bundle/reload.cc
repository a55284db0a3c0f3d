// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Swapping bundles under running decisions. A bundle is installed as one
// Engine snapshot (its policies, its entities, and itself as the snapshot's
// ActionResolver), so the lock-free snapshot scheme of src/authorize/
// engine.cc is what keeps a decision on one bundle from start to end: a call
// pins the snapshot it started with (the Response holds it), Install only
// publishes a new one. A load happens entirely before Install, so a bundle
// that fails to load is never seen by any decision.
//
// Two guards share the engine and the log: one checks credentials, one does
// not. The bundle's `credentials.required: false` means "check a credential
// when one is presented", which the guard cannot express by itself (its
// checker runs on every call, and a missing credential is a deny).

#include "arbiter/bundle_manager.h"

#include <cstdio>

#include "absl/strings/str_cat.h"

namespace arbiter {
namespace {

bool SameLogSettings(const DecisionLogSettings& a, const DecisionLogSettings& b) {
  return a.sink == b.sink && a.path == b.path &&
         a.context_fields == b.context_fields;
}

}  // namespace

absl::StatusOr<std::unique_ptr<BundleManager>> BundleManager::Open(
    const std::string& path, BundleManagerOptions options) {
  auto bundle = Bundle::Load(path, options.load);
  if (!bundle.ok()) return bundle.status();
  return FromBundle(*std::move(bundle), std::move(options));
}

absl::StatusOr<std::unique_ptr<BundleManager>> BundleManager::FromBundle(
    std::shared_ptr<const Bundle> bundle, BundleManagerOptions options) {
  std::unique_ptr<BundleManager> m(
      new BundleManager(std::move(bundle), std::move(options)));
  const DecisionLogSettings& log = m->log_settings_;
  if (m->options_.logger != nullptr) {
    m->logger_ = m->options_.logger;
  } else if (log.sink != DecisionLogSink::kNone) {
    const std::string path =
        log.sink == DecisionLogSink::kFile ? log.path : "/dev/stderr";
    auto sink = JsonlFileSink::Open(path);
    if (!sink.ok()) {
      return absl::Status(sink.status().code(),
                          absl::StrCat(m->path_, ": decision_log: ",
                                       sink.status().message()));
    }
    m->sink_ = *std::move(sink);
    m->logger_ = m->sink_.get();
  }
  GuardOptions g;
  g.logger = m->logger_;
  g.clock = m->options_.clock;
  g.logged_context_fields = log.context_fields;  // "*": the whole context
  m->unchecked_guard_ = std::make_unique<Guard>(m->engine_.get(), g);
  g.credentials = &m->registry_;
  m->checked_guard_ = std::make_unique<Guard>(m->engine_.get(), g);
  if (m->options_.watch) {
    m->watcher_ = std::thread([p = m.get()] { p->Watch(); });
    // Changes made after Open returns must be seen: wait for the watcher's
    // first look at the files.
    std::unique_lock<std::mutex> lock(m->watch_mu_);
    m->watch_cv_.wait(lock, [&] { return m->watch_ready_; });
  }
  return m;
}

BundleManager::BundleManager(std::shared_ptr<const Bundle> bundle,
                             BundleManagerOptions options)
    : options_(std::move(options)),
      path_(bundle->path()),
      log_settings_(bundle->decision_log()),
      credential_settings_(bundle->credentials()),
      registry_(options_.clock) {
  // The resolver shares ownership of the bundle with the snapshot. One
  // snapshot, bound once (a Swap after construction bound it twice).
  engine_ = std::make_unique<Engine>(bundle->policies(), bundle->entities(),
                                     options_.engine, bundle);
}

BundleManager::~BundleManager() {
  {
    std::lock_guard<std::mutex> lock(watch_mu_);
    stop_ = true;
  }
  watch_cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
  if (sink_) (void)sink_->Close();
}

std::shared_ptr<const Bundle> BundleManager::current() const {
  std::shared_ptr<const Snapshot> s = engine_->snapshot();
  // INVARIANT: every snapshot this manager installs has its bundle as the
  // resolver; the aliasing pointer keeps the snapshot (and so it) alive.
  return std::shared_ptr<const Bundle>(
      s, static_cast<const Bundle*>(s->actions.get()));
}

absl::Status BundleManager::Install(std::shared_ptr<const Bundle> bundle) {
  if (!SameLogSettings(bundle->decision_log(), log_settings_) ||
      bundle->credentials().ttl != credential_settings_.ttl ||
      bundle->credentials().required != credential_settings_.required) {
    return absl::FailedPreconditionError(absl::StrCat(
        bundle->path(),
        ": decision_log and credentials settings cannot change on reload "
        "(they configure the open log and the credential registry); restart "
        "to change them"));
  }
  auto policies = bundle->policies();
  auto entities = bundle->entities();
  engine_->Swap(std::move(policies), std::move(entities), std::move(bundle));
  installs_.fetch_add(1);
  return absl::OkStatus();
}

uint64_t BundleManager::installs() const { return installs_.load(); }

absl::Status BundleManager::Reload() {
  std::lock_guard<std::mutex> one_at_a_time(reload_mu_);
  auto bundle = Bundle::Load(path_, options_.load);
  if (!bundle.ok()) return bundle.status();
  return Install(*std::move(bundle));
}

namespace {

// The bundle of the snapshot a thread would decide on now, pinned in
// `response` (Engine's lock-free path).
const Bundle& Pin(const Engine& engine, Response* response) {
  const std::shared_ptr<const Snapshot>& s = engine.CurrentSnapshot();
  if (response->keepalive.get() != s.get()) response->keepalive = s;
  return *static_cast<const Bundle*>(s->actions.get());
}

}  // namespace

BundleDecision BundleManager::AuthorizeTool(std::string_view tool,
                                            const Request& request,
                                            Response* response) const {
  const Bundle& b = Pin(*engine_, response);
  return {b.AuthorizeTool(tool, request, response), &b};
}

BundleDecision BundleManager::Authorize(const Request& request,
                                        Response* response) const {
  const Bundle& b = Pin(*engine_, response);
  return {b.Authorize(request, response), &b};
}

std::shared_ptr<const Bundle> BundleManager::PermittedTools(
    const Request& request, absl::Span<const std::string_view> tools,
    std::vector<uint32_t>* permitted) const {
  const std::shared_ptr<const Snapshot>& s = engine_->CurrentSnapshot();
  std::shared_ptr<const Bundle> b(s, static_cast<const Bundle*>(s->actions.get()));
  b->PermittedTools(request, tools, permitted);
  return b;
}

void BundleManager::GuardTool(std::string_view tool, const Request& request,
                              const CallContext& call,
                              GuardResponse* response) const {
  const std::shared_ptr<const Snapshot>& s = engine_->CurrentSnapshot();
  const Bundle& b = *static_cast<const Bundle*>(s->actions.get());
  Request r = request;
  r.action = b.ToolAction(tool);
  const bool check =
      credential_settings_.required || !call.credential_id.empty();
  (check ? checked_guard_ : unchecked_guard_)->Authorize(r, call, response);
}

absl::StatusOr<std::string> BundleManager::IssueCredential(
    std::string task_id, EntityUid agent, std::vector<EntityUid> actions,
    std::chrono::nanoseconds ttl) {
  CredentialSpec spec;
  spec.task_id = std::move(task_id);
  spec.agent = agent;
  spec.actions = std::move(actions);
  spec.ttl = ttl.count() > 0 ? ttl : credential_settings_.ttl;
  return registry_.Issue(spec);
}

void BundleManager::FlushLog() {
  if (sink_) sink_->Flush();
}

}  // namespace arbiter
