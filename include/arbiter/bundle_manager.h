// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// bundle_manager.h: the bundle in use, reloaded without stopping decisions,
// with the agent guard configured from it.
//
// Overview
//   A runtime holds one BundleManager and decides through it from any number
//   of threads. Reload() (on request) or the optional file watcher loads the
//   bundle again; only a bundle that loaded completely replaces the one in
//   use, atomically. Calls already running finish on the bundle they
//   started with; every later call uses the new one, and the decision log
//   records the new bundle's revision from the first call that used it.
//
//   The manager installs each bundle in an Engine (policies, entities and
//   the bundle as the snapshot's ActionResolver, so runtime tools resolve)
//   and runs a Guard over it, set up from the bundle's settings:
//   `decision_log` opens the log sink (file or stderr) and picks the context
//   fields copied into records; `credentials` gives the default time to live
//   of IssueCredential and whether a call without a credential is denied.
//
//   auto manager = arbiter::BundleManager::Open("arbiter.yaml",
//                                               {.watch = true});
//   if (!manager.ok()) { /* every error, file:line:column */ }
//   // on many threads, for each tool call:
//   arbiter::GuardResponse r;
//   (*manager)->GuardTool("github.get_issue", request, {.task = &task,
//                          .credential_id = cred}, &r);
//   // filtering the tools offered to the model on each turn:
//   std::vector<uint32_t> ok;
//   (*manager)->PermittedTools(request, candidate_names, &ok);
//   // on an operator's request:
//   absl::Status s = (*manager)->Reload();  // the old bundle stays on error
//
//   The decision log and credential settings configure resources that live
//   as long as the manager (an open file, the credential registry), so a
//   reload that changes them is refused with FailedPrecondition; restart to
//   change them. Everything else (policies, schema, entities, tool rules)
//   reloads.
//
// Thread-safety
//   All methods may be called concurrently. The decision path takes no lock
//   (Engine's per-thread snapshot cache). A replaced bundle is freed when
//   the last thread and the last Response that used it let go of it.

#ifndef ARBITER_BUNDLE_MANAGER_H_
#define ARBITER_BUNDLE_MANAGER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "arbiter/bundle.h"
#include "arbiter/credentials.h"
#include "arbiter/decision_log.h"
#include "arbiter/engine.h"
#include "arbiter/guard.h"

namespace arbiter {

struct BundleManagerOptions {
  // How bundles are loaded. Default: BundleLoadOptions defaults.
  BundleLoadOptions load;
  // Poll the bundle's files (and the folders holding them, so a new file
  // matching a glob counts) and reload when any changed. Default: false.
  bool watch = false;
  // How often the watcher polls. Default: 1 s.
  std::chrono::milliseconds poll_interval{1000};
  // Called by the watcher after each reload it attempts, on its thread,
  // with the load's status (the old bundle stays in use on an error).
  // Default: none.
  std::function<void(const absl::Status&)> on_reload;
  // Receives the decision records instead of the sink the bundle's
  // decision_log names; not owned. Default: null (use the bundle's).
  DecisionLogger* logger = nullptr;
  // "Now" for credentials and records; not owned. Default: system clock.
  const Clock* clock = nullptr;
  // How the manager's engine prepares each bundle it installs: whether
  // the policies are bound to the entities, with which limits (see
  // EngineOptions in arbiter/engine.h). A manager that reloads large
  // entity files very often may turn binding off; answers are the same
  // either way. Default: EngineOptions{}.
  EngineOptions engine;
};

// The bundle a decision used, and how its tool was resolved. `bundle` stays
// valid while the Response it came with is neither reused nor destroyed.
struct BundleDecision {
  ToolResolution resolution = ToolResolution::kDeclared;
  const Bundle* bundle = nullptr;
};

class BundleManager {
 public:
  // Loads `path`, opens the decision log and, with options.watch, starts
  // the watcher.
  static absl::StatusOr<std::unique_ptr<BundleManager>> Open(
      const std::string& path, BundleManagerOptions options = {});
  // The same from a loaded bundle; Reload() reads bundle->path().
  static absl::StatusOr<std::unique_ptr<BundleManager>> FromBundle(
      std::shared_ptr<const Bundle> bundle, BundleManagerOptions options = {});
  BundleManager(const BundleManager&) = delete;
  BundleManager& operator=(const BundleManager&) = delete;
  ~BundleManager();  // stops the watcher, then flushes and closes the log

  // The bundle in use (takes the lock; not meant for the decision path).
  std::shared_ptr<const Bundle> current() const;

  // Loads the bundle from its path and installs it. On an error the bundle
  // in use stays, and the error (every problem, located) is returned.
  absl::Status Reload();
  // Installs an already loaded bundle (FailedPrecondition when its log or
  // credential settings differ from the first bundle's).
  absl::Status Install(std::shared_ptr<const Bundle> bundle);
  // Bundles installed after the first (Reload, Install, the watcher).
  uint64_t installs() const;

  // Policy-only decisions on the current bundle (Bundle::AuthorizeTool and
  // Authorize); `response` keeps that bundle alive.
  BundleDecision AuthorizeTool(std::string_view tool, const Request& request,
                               Response* response) const;
  BundleDecision Authorize(const Request& request, Response* response) const;
  // Bundle::PermittedTools on the current bundle, which is returned so the
  // caller knows which revision answered.
  std::shared_ptr<const Bundle> PermittedTools(
      const Request& request, absl::Span<const std::string_view> tools,
      std::vector<uint32_t>* permitted) const;

  // A guarded tool call: the credential check (always when the bundle
  // requires credentials, else only when the call presents one), task and
  // delegation, the decision (an unclassified tool is denied with
  // DenyKind::kUnclassified) and one decision record.
  void GuardTool(std::string_view tool, const Request& request,
                 const CallContext& call, GuardResponse* response) const;

  // Issues a credential with the bundle's default time to live when `ttl`
  // is zero.
  absl::StatusOr<std::string> IssueCredential(
      std::string task_id, EntityUid agent, std::vector<EntityUid> actions,
      std::chrono::nanoseconds ttl = std::chrono::nanoseconds{0});
  CredentialRegistry& credentials() { return registry_; }

  const Engine& engine() const { return *engine_; }
  // The guard that checks credentials (required or presented).
  const Guard& guard() const { return *checked_guard_; }
  // Where records go (null when the bundle logs nothing).
  DecisionLogger* logger() const { return logger_; }
  // Flushes the log sink the manager opened (no-op otherwise).
  void FlushLog();

 private:
  BundleManager(std::shared_ptr<const Bundle> bundle,
                BundleManagerOptions options);
  void Watch();

  BundleManagerOptions options_;
  std::string path_;
  DecisionLogSettings log_settings_;
  CredentialSettings credential_settings_;
  std::atomic<uint64_t> installs_{0};
  std::unique_ptr<Engine> engine_;
  CredentialRegistry registry_;
  std::unique_ptr<JsonlFileSink> sink_;  // when the bundle names one
  DecisionLogger* logger_ = nullptr;
  std::unique_ptr<Guard> checked_guard_;    // with the credential check
  std::unique_ptr<Guard> unchecked_guard_;  // without, for optional creds
  std::mutex reload_mu_;                    // one load at a time

  std::mutex watch_mu_;
  std::condition_variable watch_cv_;
  bool stop_ = false;         // guarded by watch_mu_
  bool watch_ready_ = false;  // the watcher took its first look; watch_mu_
  std::thread watcher_;
};

}  // namespace arbiter

#endif  // ARBITER_BUNDLE_MANAGER_H_
