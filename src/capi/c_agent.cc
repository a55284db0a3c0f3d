// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The agent guard's C API (the "Agent guard" part of include/arbiter/c.h):
// credentials, decision log sink, tasks, delegation chains and guarded
// calls over the core API's engine and requests (handles.h).
//
// The guard holds shared references to its engine, registry and sink, so
// the C caller may destroy those handles in any order. A guarded call only
// tests for NULL and forwards: with a reused response it allocates no more
// than Guard::Authorize does.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arbiter/credentials.h"
#include "arbiter/decision_log.h"
#include "arbiter/delegation.h"
#include "arbiter/guard.h"
#include "arbiter/task.h"
#include "src/capi/handles.h"
#include "src/entities/json_value.h"

struct arbiter_credentials_t {
  std::shared_ptr<arbiter::CredentialRegistry> registry;
};
struct arbiter_log_sink_t {
  std::shared_ptr<arbiter::JsonlFileSink> sink;
};
struct arbiter_task_t {
  arbiter::Task task;
};
struct arbiter_delegation_t {
  arbiter::Delegation chain;
};
struct arbiter_guard_t {
  // Declared before the guard, which points to them: destroyed after it.
  std::shared_ptr<arbiter::Engine> engine;
  std::shared_ptr<arbiter::CredentialRegistry> registry;
  std::shared_ptr<arbiter::JsonlFileSink> sink;
  std::unique_ptr<arbiter::Guard> guard;
};
struct arbiter_guard_response_t {
  arbiter_guard_response_t() : core(&response.core) {}
  arbiter::GuardResponse response;
  arbiter_response_t core;  // a view of response.core
  // Filled by the accessors, reusing their capacity.
  mutable std::string deny_reason;
  mutable std::string id;
};

using arbiter::capi::Guarded;
using arbiter::capi::MakeHandle;
using arbiter::capi::SetError;

namespace {

// An entity reference in Cedar text; on error names `what` in *errptr.
bool ParseUid(const char* text, std::string_view what, char** errptr,
              arbiter::EntityUid* out) {
  if (text == nullptr) {
    SetError(errptr, std::string(what) + ": NULL entity reference");
    return false;
  }
  absl::StatusOr<arbiter::EntityUid> uid = arbiter::internal::ParseEntityUidText(text);
  if (!uid.ok()) {
    SetError(errptr, std::string(what) + ": " + std::string(uid.status().message()));
    return false;
  }
  *out = *uid;
  return true;
}

}  // namespace

extern "C" {

// ---- Credentials ------------------------------------------------------------

arbiter_credentials_t* arbiter_credentials_create(void) {
  try {
    return new arbiter_credentials_t{std::make_shared<arbiter::CredentialRegistry>()};
  } catch (...) {
    return nullptr;
  }
}

void arbiter_credentials_destroy(arbiter_credentials_t* creds) { delete creds; }

char* arbiter_credentials_issue(arbiter_credentials_t* creds,
                                const char* task_id, const char* agent,
                                const char* const* actions, size_t num_actions,
                                int64_t ttl_ms, char** errptr) {
  return Guarded(errptr, [&]() -> char* {
    if (creds == nullptr || task_id == nullptr ||
        (actions == nullptr && num_actions != 0)) {
      SetError(errptr, "issue: NULL registry, task id or actions");
      return nullptr;
    }
    arbiter::CredentialSpec spec;
    spec.task_id = task_id;
    if (!ParseUid(agent, "issue: agent", errptr, &spec.agent)) return nullptr;
    for (size_t i = 0; i < num_actions; ++i) {
      arbiter::EntityUid action;
      const std::string what = "issue: action " + std::to_string(i);
      if (!ParseUid(actions[i], what, errptr, &action)) return nullptr;
      spec.actions.push_back(action);
    }
    // Beyond this the conversion to nanoseconds (and expiry arithmetic)
    // could overflow; no task lives that long.
    constexpr int64_t kMaxTtlMs = int64_t{100} * 365 * 24 * 3600 * 1000;
    if (ttl_ms > kMaxTtlMs) {
      SetError(errptr, "issue: ttl above 100 years");
      return nullptr;
    }
    spec.ttl = std::chrono::milliseconds(ttl_ms);
    absl::StatusOr<std::string> id = creds->registry->Issue(spec);
    if (!id.ok()) {
      SetError(errptr, id.status());
      return nullptr;
    }
    char* out = static_cast<char*>(std::malloc(id->size() + 1));
    if (out == nullptr) throw std::bad_alloc();
    std::memcpy(out, id->c_str(), id->size() + 1);
    return out;
  });
}

int arbiter_credentials_revoke(arbiter_credentials_t* creds,
                               const char* credential_id) {
  if (creds == nullptr || credential_id == nullptr) return ARBITER_ERROR;
  try {
    return creds->registry->Revoke(credential_id).ok() ? 0 : ARBITER_ERROR;
  } catch (...) {
    return ARBITER_ERROR;
  }
}

size_t arbiter_credentials_end_task(arbiter_credentials_t* creds,
                                    const char* task_id) {
  if (creds == nullptr || task_id == nullptr) return 0;
  try {
    return creds->registry->EndTask(task_id);
  } catch (...) {
    return 0;
  }
}

// ---- Decision log -----------------------------------------------------------

arbiter_log_sink_t* arbiter_jsonl_sink_open(const char* path,
                                            size_t queue_capacity,
                                            char** errptr) {
  return Guarded(errptr, [&]() -> arbiter_log_sink_t* {
    if (path == nullptr) {
      SetError(errptr, "jsonl sink: NULL path");
      return nullptr;
    }
    arbiter::JsonlFileSinkOptions options;
    if (queue_capacity != 0) options.queue_capacity = queue_capacity;
    auto sink = arbiter::JsonlFileSink::Open(path, options);
    if (!sink.ok()) {
      SetError(errptr, sink.status());
      return nullptr;
    }
    return new arbiter_log_sink_t{std::shared_ptr<arbiter::JsonlFileSink>(
        std::move(*sink))};
  });
}

void arbiter_log_sink_flush(arbiter_log_sink_t* sink) {
  if (sink != nullptr) sink->sink->Flush();
}

uint64_t arbiter_log_sink_written(const arbiter_log_sink_t* sink) {
  return sink == nullptr ? 0 : sink->sink->written();
}

uint64_t arbiter_log_sink_dropped(const arbiter_log_sink_t* sink) {
  return sink == nullptr ? 0 : sink->sink->dropped();
}

void arbiter_log_sink_destroy(arbiter_log_sink_t* sink) { delete sink; }

// ---- Tasks and delegation -----------------------------------------------------

arbiter_task_t* arbiter_task_create(const char* id, const char* objective,
                                    int64_t sensitivity, const char* approval) {
  try {
    arbiter::TaskSpec spec;
    if (id != nullptr) spec.id = id;
    if (objective != nullptr) spec.objective = objective;
    spec.sensitivity = sensitivity;
    if (approval != nullptr) spec.approval = approval;
    return new arbiter_task_t{arbiter::Task(std::move(spec))};
  } catch (...) {
    return nullptr;
  }
}

void arbiter_task_destroy(arbiter_task_t* task) { delete task; }

void arbiter_task_set_approval(arbiter_task_t* task, const char* approval) {
  if (task == nullptr || approval == nullptr) return;
  try {
    task->task.SetApproval(approval);
  } catch (...) {
    // Out of memory: the approval stays as it was.
  }
}

uint64_t arbiter_task_call_count(const arbiter_task_t* task) {
  return task == nullptr ? 0 : task->task.call_count();
}

arbiter_delegation_t* arbiter_delegation_create(const char* const* principals,
                                                size_t num_principals,
                                                char** errptr) {
  return Guarded(errptr, [&]() -> arbiter_delegation_t* {
    if (principals == nullptr && num_principals != 0) {
      SetError(errptr, "delegation: NULL principals");
      return nullptr;
    }
    std::vector<arbiter::EntityUid> chain;
    for (size_t i = 0; i < num_principals; ++i) {
      arbiter::EntityUid uid;
      const std::string what = "delegation: principal " + std::to_string(i);
      if (!ParseUid(principals[i], what, errptr, &uid)) return nullptr;
      chain.push_back(uid);
    }
    absl::StatusOr<arbiter::Delegation> d = arbiter::Delegation::Of(std::move(chain));
    return MakeHandle<arbiter_delegation_t>(std::move(d), errptr);
  });
}

void arbiter_delegation_destroy(arbiter_delegation_t* chain) { delete chain; }

// ---- Guard ------------------------------------------------------------------

arbiter_guard_t* arbiter_guard_create(const arbiter_engine_t* engine,
                                      const arbiter_credentials_t* creds,
                                      const arbiter_log_sink_t* sink) {
  if (engine == nullptr) return nullptr;
  try {
    auto g = std::make_unique<arbiter_guard_t>();
    g->engine = engine->engine;
    if (creds != nullptr) g->registry = creds->registry;
    if (sink != nullptr) g->sink = sink->sink;
    arbiter::GuardOptions options;
    options.credentials = g->registry.get();
    options.logger = g->sink.get();
    g->guard = std::make_unique<arbiter::Guard>(g->engine.get(), std::move(options));
    return g.release();
  } catch (...) {
    return nullptr;
  }
}

void arbiter_guard_destroy(arbiter_guard_t* guard) { delete guard; }

arbiter_guard_response_t* arbiter_guard_response_create(void) {
  return new (std::nothrow) arbiter_guard_response_t();
}

void arbiter_guard_response_destroy(arbiter_guard_response_t* response) {
  delete response;
}

int arbiter_guard_authorize(const arbiter_guard_t* guard,
                            const arbiter_request_t* request,
                            arbiter_task_t* task,
                            const arbiter_delegation_t* delegation,
                            const char* credential_id,
                            arbiter_guard_response_t* response) {
  if (guard == nullptr || request == nullptr || response == nullptr) {
    return ARBITER_ERROR;
  }
  arbiter::CallContext call;
  if (task != nullptr) call.task = &task->task;
  if (delegation != nullptr) call.delegation = &delegation->chain;
  if (credential_id != nullptr) call.credential_id = credential_id;
  try {
    guard->guard->Authorize(request->request, call, &response->response);
  } catch (...) {
    response->response.decision = arbiter::Decision::kDeny;
    response->response.core.Clear();
    return ARBITER_ERROR;
  }
  return response->response.decision == arbiter::Decision::kAllow ? ARBITER_ALLOW
                                                                  : ARBITER_DENY;
}

int arbiter_guard_response_decision(const arbiter_guard_response_t* response) {
  return response != nullptr &&
                 response->response.decision == arbiter::Decision::kAllow
             ? ARBITER_ALLOW
             : ARBITER_DENY;
}

const char* arbiter_guard_response_deny_reason(
    const arbiter_guard_response_t* response) {
  if (response == nullptr) return nullptr;
  try {
    response->deny_reason = response->response.DenyReason();
  } catch (...) {
    return nullptr;
  }
  return response->deny_reason.c_str();
}

const char* arbiter_guard_response_deny_kind(
    const arbiter_guard_response_t* response) {
  if (response == nullptr) return nullptr;
  // DenyKindName returns views of string literals: NUL-terminated.
  return arbiter::DenyKindName(response->response.deny_kind).data();
}

const char* arbiter_guard_response_id(const arbiter_guard_response_t* response) {
  if (response == nullptr) return nullptr;
  try {
    response->id = response->response.id.ToString();
  } catch (...) {
    return nullptr;
  }
  return response->id.c_str();
}

const arbiter_response_t* arbiter_guard_response_core(
    const arbiter_guard_response_t* response) {
  return response == nullptr ? nullptr : &response->core;
}

}  // extern "C"
