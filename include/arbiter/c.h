/* Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
 *
 * c.h: arbiter's C API, for bindings (Python ctypes/cffi, Go cgo, Rust,
 * Java FFM, ...) and C programs. Link `arbiter::arbiter_c`
 * (libarbiter_c.so), which carries the C++ library inside it.
 *
 * Overview
 *   Parse policies, a schema and entities once, then decide requests:
 *
 *     char* err = NULL;
 *     arbiter_policy_set_t* policies = arbiter_policy_set_parse(
 *         text, strlen(text), "policies.cedar", &err);
 *     if (err != NULL) { fprintf(stderr, "%s\n", err); arbiter_free(err); }
 *     arbiter_entities_t* entities =
 *         arbiter_entities_parse_json(json, strlen(json), NULL, &err);
 *     arbiter_request_t* request =
 *         arbiter_request_parse_json(req, strlen(req), NULL, &err);
 *     arbiter_response_t* response = arbiter_response_create();
 *     if (arbiter_authorize(policies, entities, request, response) ==
 *         ARBITER_ALLOW) { ... }
 *     for (size_t i = 0; i < arbiter_response_reason_count(response); ++i)
 *       printf("%s\n", arbiter_response_reason(response, i, NULL));
 *
 *   A runtime that reloads policies while deciding holds an engine instead:
 *   arbiter_engine_authorize on many threads, arbiter_engine_set_policies
 *   or arbiter_engine_set_entities at any time (see arbiter/engine.h).
 *
 * Conventions (those of LevelDB's C API)
 *   - Every object is an opaque handle made by a *_parse / *_create function
 *     and released by its *_destroy function (which accepts NULL).
 *   - Text goes in as a pointer and a length, and need not be
 *     NUL-terminated; `file_name` arguments are NUL-terminated and may be
 *     NULL (a default name is used in error locations).
 *   - A call that can fail takes `char** errptr`. On failure it returns NULL
 *     and stores a malloc'd, NUL-terminated message in *errptr (freeing any
 *     message already there: *errptr must start as NULL), to be released
 *     with arbiter_free; on success *errptr is left unchanged. errptr itself
 *     may be NULL when the message is not wanted. Messages carry locations
 *     ("policies.cedar:3:12: error: ...") and, for parse errors, every
 *     error found.
 *   - Strings returned by accessors are NUL-terminated, owned by the handle
 *     they come from, and valid until it is destroyed (for a response: until
 *     it is reused or destroyed). Where a `size_t* len` is taken, the length
 *     is stored there unless it is NULL.
 *   - Passing NULL for a handle is never a crash: accessors return 0 or
 *     NULL, fallible calls fail with a message, arbiter_authorize returns
 *     ARBITER_ERROR.
 *   - No C++ exception crosses this API; running out of memory is reported
 *     through errptr where there is one.
 *   - Parsing uses the C++ API's default limits (README, "Limits"). Entity
 *     types, ids and attribute names are interned process-wide for good, so
 *     memory grows with the distinct ids ever parsed, requests' included.
 *
 * Thread-safety
 *   Policy sets, schemas, entity stores, requests, delegation chains and
 *   validation results are immutable once made: share them between threads
 *   freely. Engines, guards, credential registries, log sinks and tasks may
 *   be used from any number of threads at once (swaps, revocations and
 *   approval changes included). A response (or guard response) is written by
 *   every call that receives it, and a request builder by its setters: each
 *   is one thread's at a time (a reused response keeps its buffers, so that
 *   a decision allocates nothing once they have grown). Destroying a handle
 *   while another thread uses it is the caller's error, as in C++.
 *
 * Lifetimes
 *   Handles are independent: an engine, a guard or a response keeps what it
 *   needs alive, so a policy set handle may be destroyed while an engine
 *   made from it, or a response naming its policies, is still in use. Only
 *   what a call is given for that call (a request, task or delegation) must
 *   live until it returns.
 */

#ifndef ARBITER_C_H_
#define ARBITER_C_H_

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define ARBITER_C_EXPORT
#else
#define ARBITER_C_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct arbiter_policy_set_t arbiter_policy_set_t;
typedef struct arbiter_schema_t arbiter_schema_t;
typedef struct arbiter_entities_t arbiter_entities_t;
typedef struct arbiter_request_t arbiter_request_t;
typedef struct arbiter_response_t arbiter_response_t;
typedef struct arbiter_engine_t arbiter_engine_t;
typedef struct arbiter_validation_t arbiter_validation_t;
typedef struct arbiter_request_builder_t arbiter_request_builder_t;
typedef struct arbiter_credentials_t arbiter_credentials_t;
typedef struct arbiter_log_sink_t arbiter_log_sink_t;
typedef struct arbiter_task_t arbiter_task_t;
typedef struct arbiter_delegation_t arbiter_delegation_t;
typedef struct arbiter_limits_t arbiter_limits_t;
typedef struct arbiter_guard_t arbiter_guard_t;
typedef struct arbiter_guard_response_t arbiter_guard_response_t;

/* Decisions, as arbiter_authorize and arbiter_response_decision return
 * them. ARBITER_ERROR: an argument was NULL (nothing was decided). */
enum {
  ARBITER_DENY = 0,
  ARBITER_ALLOW = 1,
  ARBITER_ERROR = -1
};

/* The library's version, e.g. "0.1.0". */
ARBITER_C_EXPORT const char* arbiter_version(void);

/* Frees a message stored through an errptr. NULL is ignored. */
ARBITER_C_EXPORT void arbiter_free(void* ptr);

/* ---- Limits ------------------------------------------------------------- */

/* Limits on the size and nesting of parsed input, for the parsers' `_with_
 * limits` forms; NULL there, and the plain forms, use the defaults below.
 * Input beyond a limit is rejected with an error naming the limit, never
 * recursed into: set them low when the text comes from someone else. A
 * limits object is only read by the parsers, so once set up it may serve
 * any number of threads; it may be destroyed as soon as the parse returns. */
ARBITER_C_EXPORT arbiter_limits_t* arbiter_limits_create(void);
ARBITER_C_EXPORT void arbiter_limits_destroy(arbiter_limits_t* limits);
/* Policy text: largest size in bytes (default 64 MiB) and deepest nesting
 * of expressions (default 128). */
ARBITER_C_EXPORT void arbiter_limits_set_policy_max_bytes(
    arbiter_limits_t* limits, size_t bytes);
ARBITER_C_EXPORT void arbiter_limits_set_policy_max_depth(
    arbiter_limits_t* limits, size_t depth);
/* Schemas, both formats: largest size in bytes (default 16 MiB) and deepest
 * nesting of types (default 64). */
ARBITER_C_EXPORT void arbiter_limits_set_schema_max_bytes(
    arbiter_limits_t* limits, size_t bytes);
ARBITER_C_EXPORT void arbiter_limits_set_schema_max_depth(
    arbiter_limits_t* limits, size_t depth);
/* Errors a policy or schema parse collects before it stops (default 100). */
ARBITER_C_EXPORT void arbiter_limits_set_max_errors(arbiter_limits_t* limits,
                                                    size_t errors);
/* Entities and requests JSON: largest size in bytes (default 256 MiB) and
 * deepest nesting of sets, records and extension calls in a value (default
 * 64; a request's context record is its first level). */
ARBITER_C_EXPORT void arbiter_limits_set_json_max_bytes(
    arbiter_limits_t* limits, size_t bytes);
ARBITER_C_EXPORT void arbiter_limits_set_json_max_depth(
    arbiter_limits_t* limits, size_t depth);

/* ---- Policies ----------------------------------------------------------- */

/* Parses Cedar policies (and templates). Policies are named `policy0`,
 * `policy1`, ... in the order of the text, as in Cedar's test files. */
ARBITER_C_EXPORT arbiter_policy_set_t* arbiter_policy_set_parse(
    const char* text, size_t text_len, const char* file_name, char** errptr);
ARBITER_C_EXPORT arbiter_policy_set_t* arbiter_policy_set_parse_with_limits(
    const char* text, size_t text_len, const char* file_name,
    const arbiter_limits_t* limits, char** errptr);
ARBITER_C_EXPORT void arbiter_policy_set_destroy(arbiter_policy_set_t* set);

/* The number of policies decisions evaluate (static and linked). */
ARBITER_C_EXPORT size_t arbiter_policy_set_size(const arbiter_policy_set_t* set);
/* The id of policy `i` (0 <= i < size), or NULL when out of range. */
ARBITER_C_EXPORT const char* arbiter_policy_set_policy_id(
    const arbiter_policy_set_t* set, size_t i, size_t* len);

/* ---- Schemas ------------------------------------------------------------ */

/* Parses a schema in the human-readable `.cedarschema` format. */
ARBITER_C_EXPORT arbiter_schema_t* arbiter_schema_parse(
    const char* text, size_t text_len, const char* file_name, char** errptr);
/* Parses a schema in Cedar's JSON schema format. */
ARBITER_C_EXPORT arbiter_schema_t* arbiter_schema_parse_json(
    const char* json, size_t json_len, const char* file_name, char** errptr);
ARBITER_C_EXPORT arbiter_schema_t* arbiter_schema_parse_with_limits(
    const char* text, size_t text_len, const char* file_name,
    const arbiter_limits_t* limits, char** errptr);
ARBITER_C_EXPORT arbiter_schema_t* arbiter_schema_parse_json_with_limits(
    const char* json, size_t json_len, const char* file_name,
    const arbiter_limits_t* limits, char** errptr);
ARBITER_C_EXPORT void arbiter_schema_destroy(arbiter_schema_t* schema);

/* ---- Validation --------------------------------------------------------- */

/* Validates `policies` against `schema` (Cedar's strict validation). Fails
 * (NULL and *errptr) only for a NULL argument or lack of memory; the
 * policies' problems are the result's errors and warnings. */
ARBITER_C_EXPORT arbiter_validation_t* arbiter_validate(
    const arbiter_schema_t* schema, const arbiter_policy_set_t* policies,
    char** errptr);
/* The same, choosing how a policy whose scope no action of the schema
 * satisfies counts: an error when `impossible_policy_is_error` is nonzero
 * (what arbiter_validate does, as in the Cedar version of the conformance
 * corpus), a warning when it is 0 (as Cedar 4.13 reports it). */
ARBITER_C_EXPORT arbiter_validation_t* arbiter_validate_with_options(
    const arbiter_schema_t* schema, const arbiter_policy_set_t* policies,
    int impossible_policy_is_error, char** errptr);
ARBITER_C_EXPORT void arbiter_validation_destroy(arbiter_validation_t* result);

ARBITER_C_EXPORT size_t arbiter_validation_error_count(
    const arbiter_validation_t* result);
ARBITER_C_EXPORT size_t arbiter_validation_warning_count(
    const arbiter_validation_t* result);
/* Issue `i` as "file:line:column: policy `id`: message", or NULL when out of
 * range. */
ARBITER_C_EXPORT const char* arbiter_validation_error(
    const arbiter_validation_t* result, size_t i);
ARBITER_C_EXPORT const char* arbiter_validation_warning(
    const arbiter_validation_t* result, size_t i);
/* The rule error `i` broke, e.g. "unrecognized_entity_type" (validator.h
 * lists them), or NULL when out of range. */
ARBITER_C_EXPORT const char* arbiter_validation_error_kind(
    const arbiter_validation_t* result, size_t i);
/* The id of the policy error `i` is about, or NULL when out of range. */
ARBITER_C_EXPORT const char* arbiter_validation_error_policy(
    const arbiter_validation_t* result, size_t i);

/* ---- Entities ----------------------------------------------------------- */

/* Parses Cedar's entities JSON (an array of {"uid", "attrs", "parents"[,
 * "tags"]}). With a schema (may be NULL), values are read by the declared
 * types, non-conforming data is an error, and the schema's action entities
 * are added. */
ARBITER_C_EXPORT arbiter_entities_t* arbiter_entities_parse_json(
    const char* json, size_t json_len, const arbiter_schema_t* schema,
    char** errptr);
ARBITER_C_EXPORT arbiter_entities_t* arbiter_entities_parse_json_with_limits(
    const char* json, size_t json_len, const arbiter_schema_t* schema,
    const arbiter_limits_t* limits, char** errptr);
ARBITER_C_EXPORT void arbiter_entities_destroy(arbiter_entities_t* entities);
ARBITER_C_EXPORT size_t arbiter_entities_size(const arbiter_entities_t* entities);

/* ---- Requests ----------------------------------------------------------- */

/* Parses a request:
 *   {"principal": {"type": "User", "id": "alice"},
 *    "action": {"type": "Action", "id": "view"},
 *    "resource": {"type": "Photo", "id": "p1"},
 *    "context": {...}}
 * (`context` optional; entity references may also be Cedar text such as
 * "User::\"alice\""; any other member is an error). With a schema (may be
 * NULL), the context is read by the type the action declares and the
 * request is validated against the schema, as Cedar does. */
ARBITER_C_EXPORT arbiter_request_t* arbiter_request_parse_json(
    const char* json, size_t json_len, const arbiter_schema_t* schema,
    char** errptr);
ARBITER_C_EXPORT arbiter_request_t* arbiter_request_parse_json_with_limits(
    const char* json, size_t json_len, const arbiter_schema_t* schema,
    const arbiter_limits_t* limits, char** errptr);
ARBITER_C_EXPORT void arbiter_request_destroy(arbiter_request_t* request);

/* Builds requests without JSON: the runtime's own strings go straight in.
 * Reading a request from JSON costs many decisions' worth of time; the
 * builder takes well under half of it (bench/c_api_benchmark.cc,
 * BM_CApiBuildRequest against BM_CApiParseRequest). Setters never fail on
 * their own: the first bad argument (an invalid entity type name, NULL text
 * with a length, JSON that does not parse or exceeds the builder's limits)
 * is kept and reported by arbiter_request_builder_build, which also
 * refuses a missing principal, action or resource and a context key given
 * twice. Keys and ids are pointer and length, as everywhere. One builder
 * is one thread's at a time. */
enum {
  ARBITER_PRINCIPAL = 0,
  ARBITER_ACTION = 1,
  ARBITER_RESOURCE = 2
};
ARBITER_C_EXPORT arbiter_request_builder_t* arbiter_request_builder_create(void);
ARBITER_C_EXPORT void arbiter_request_builder_destroy(
    arbiter_request_builder_t* builder);
/* Forgets everything set, keeping the builder's buffers. */
ARBITER_C_EXPORT void arbiter_request_builder_clear(
    arbiter_request_builder_t* builder);
/* `slot` is ARBITER_PRINCIPAL, ARBITER_ACTION or ARBITER_RESOURCE; the
 * entity is `type::"id"`. */
ARBITER_C_EXPORT void arbiter_request_builder_set_entity(
    arbiter_request_builder_t* builder, int slot, const char* type,
    size_t type_len, const char* id, size_t id_len);
/* Context fields, by kind. */
ARBITER_C_EXPORT void arbiter_request_builder_add_string(
    arbiter_request_builder_t* builder, const char* key, size_t key_len,
    const char* value, size_t value_len);
ARBITER_C_EXPORT void arbiter_request_builder_add_long(
    arbiter_request_builder_t* builder, const char* key, size_t key_len,
    int64_t value);
ARBITER_C_EXPORT void arbiter_request_builder_add_bool(
    arbiter_request_builder_t* builder, const char* key, size_t key_len,
    int value);
ARBITER_C_EXPORT void arbiter_request_builder_add_entity(
    arbiter_request_builder_t* builder, const char* key, size_t key_len,
    const char* type, size_t type_len, const char* id, size_t id_len);
/* A set of strings: `count` NUL-terminated strings. */
ARBITER_C_EXPORT void arbiter_request_builder_add_string_set(
    arbiter_request_builder_t* builder, const char* key, size_t key_len,
    const char* const* values, size_t count);
/* An extension value by its constructor: fn "ip", "decimal", "datetime" or
 * "duration" (NUL-terminated) applied to `arg`, e.g. ("ip", "10.0.0.1"). */
ARBITER_C_EXPORT void arbiter_request_builder_add_extension(
    arbiter_request_builder_t* builder, const char* key, size_t key_len,
    const char* fn, const char* arg, size_t arg_len);
/* Any value in Cedar's JSON value format (records, nested sets, ...),
 * read under the builder's limits (see arbiter_request_builder_set_limits). */
ARBITER_C_EXPORT void arbiter_request_builder_add_json(
    arbiter_request_builder_t* builder, const char* key, size_t key_len,
    const char* json, size_t json_len);
/* The limits arbiter_request_builder_add_json reads JSON under (NULL: the
 * defaults, as for a new builder): json_max_bytes for the value's text and
 * json_max_depth counted as arbiter_request_parse_json_with_limits counts
 * it, the context record being the first level, so a value the builder
 * accepts is one a request given as JSON could hold at that key. Copied:
 * `limits` may be destroyed afterwards; arbiter_request_builder_clear keeps
 * them. */
ARBITER_C_EXPORT void arbiter_request_builder_set_limits(
    arbiter_request_builder_t* builder, const arbiter_limits_t* limits);
/* The request built from what was set (the builder keeps it, for the next
 * request to change only what differs; arbiter_request_builder_clear starts
 * afresh). With a schema (may be NULL) the request is validated against it,
 * as arbiter_request_parse_json does; the context's values are taken as
 * given (a string stays a string: use add_extension for an ipaddr). */
ARBITER_C_EXPORT arbiter_request_t* arbiter_request_builder_build(
    const arbiter_request_builder_t* builder, const arbiter_schema_t* schema,
    char** errptr);

/* ---- Deciding ----------------------------------------------------------- */

ARBITER_C_EXPORT arbiter_response_t* arbiter_response_create(void);
ARBITER_C_EXPORT void arbiter_response_destroy(arbiter_response_t* response);

/* Decides `request` and fills `response` (cleared first). Returns the
 * decision, ARBITER_ALLOW or ARBITER_DENY, or ARBITER_ERROR (response
 * untouched) when an argument is NULL. A policy that fails to evaluate is
 * skipped and reported among the response's errors, as in Cedar. */
ARBITER_C_EXPORT int arbiter_authorize(const arbiter_policy_set_t* policies,
                                       const arbiter_entities_t* entities,
                                       const arbiter_request_t* request,
                                       arbiter_response_t* response);

/* The last decision (ARBITER_DENY for a response never filled). */
ARBITER_C_EXPORT int arbiter_response_decision(const arbiter_response_t* response);
/* The determining policies: the satisfied forbids on a deny, the satisfied
 * permits on an allow, none on a default deny; in policy-set order. */
ARBITER_C_EXPORT size_t arbiter_response_reason_count(
    const arbiter_response_t* response);
ARBITER_C_EXPORT const char* arbiter_response_reason(
    const arbiter_response_t* response, size_t i, size_t* len);
/* The policies skipped because evaluating them failed, in policy-set order,
 * each with Cedar's message, e.g. "entity `User::\"bob\"` does not exist". */
ARBITER_C_EXPORT size_t arbiter_response_error_count(
    const arbiter_response_t* response);
ARBITER_C_EXPORT const char* arbiter_response_error_policy(
    const arbiter_response_t* response, size_t i, size_t* len);
ARBITER_C_EXPORT const char* arbiter_response_error_message(
    const arbiter_response_t* response, size_t i, size_t* len);

/* ---- Engine: policies and entities swapped while deciding --------------- */

/* An engine deciding on `policies` and `entities` (which it shares; their
 * handles may be destroyed afterwards). NULL when either is NULL. */
ARBITER_C_EXPORT arbiter_engine_t* arbiter_engine_create(
    const arbiter_policy_set_t* policies, const arbiter_entities_t* entities);
/* As arbiter_engine_create, with `flags` (0 for the defaults):
 * ARBITER_ENGINE_UNBOUND does not bind each installed snapshot's policies
 * to its entities (EngineOptions::bind in arbiter/engine.h): the same
 * answers, somewhat slower decisions, cheaper swaps. NULL also for a flag
 * this library does not know. */
#define ARBITER_ENGINE_UNBOUND 1u
ARBITER_C_EXPORT arbiter_engine_t* arbiter_engine_create_with_flags(
    const arbiter_policy_set_t* policies, const arbiter_entities_t* entities,
    unsigned flags);
ARBITER_C_EXPORT void arbiter_engine_destroy(arbiter_engine_t* engine);
/* Installs a new policy set or entity store atomically: decisions already
 * running finish on what they started with. Returns 0, or ARBITER_ERROR
 * (nothing changed) for a NULL argument or lack of memory. */
ARBITER_C_EXPORT int arbiter_engine_set_policies(
    arbiter_engine_t* engine, const arbiter_policy_set_t* policies);
ARBITER_C_EXPORT int arbiter_engine_set_entities(
    arbiter_engine_t* engine, const arbiter_entities_t* entities);
/* As arbiter_authorize, on the engine's current policies and entities. */
ARBITER_C_EXPORT int arbiter_engine_authorize(const arbiter_engine_t* engine,
                                              const arbiter_request_t* request,
                                              arbiter_response_t* response);

/* ---- Agent guard (arbiter/guard.h) --------------------------------------
 * Every tool call an agent makes, checked at that moment: the credential the
 * call presents (issued per task, revoked when the task ends), the task's
 * record and the delegation chain in the context, every principal of the
 * chain decided, and one JSON line per call in the decision log. Entity
 * references here are Cedar text, e.g. `Agent::"worker-1"`. */

/* A credential registry on the system clock. */
ARBITER_C_EXPORT arbiter_credentials_t* arbiter_credentials_create(void);
ARBITER_C_EXPORT void arbiter_credentials_destroy(arbiter_credentials_t* creds);
/* Issues a credential for `task_id`, usable only by `agent`, for the
 * `num_actions` actions or action groups given, for `ttl_ms` milliseconds.
 * Returns its id (32 hex digits, malloc'd: free with arbiter_free), or NULL
 * and *errptr (an empty task id, no actions, a ttl not positive or above
 * 100 years, an entity reference that does not parse). */
ARBITER_C_EXPORT char* arbiter_credentials_issue(
    arbiter_credentials_t* creds, const char* task_id, const char* agent,
    const char* const* actions, size_t num_actions, int64_t ttl_ms,
    char** errptr);
/* Revokes one credential: 0, or ARBITER_ERROR for an unknown id. */
ARBITER_C_EXPORT int arbiter_credentials_revoke(arbiter_credentials_t* creds,
                                                const char* credential_id);
/* Ends a task: revokes every credential issued for it, at once. Returns how
 * many were revoked. */
ARBITER_C_EXPORT size_t arbiter_credentials_end_task(arbiter_credentials_t* creds,
                                                     const char* task_id);

/* A decision log appending JSON Lines to `path` (created with mode 0600, or
 * appended to) from a background thread. queue_capacity 0: the default
 * (8192 records); when the queue is full a record is dropped and counted,
 * never waited for. */
ARBITER_C_EXPORT arbiter_log_sink_t* arbiter_jsonl_sink_open(
    const char* path, size_t queue_capacity, char** errptr);
/* Waits until every record logged before the call is written. */
ARBITER_C_EXPORT void arbiter_log_sink_flush(arbiter_log_sink_t* sink);
/* Records written to the file, and records dropped (queue full). */
ARBITER_C_EXPORT uint64_t arbiter_log_sink_written(const arbiter_log_sink_t* sink);
ARBITER_C_EXPORT uint64_t arbiter_log_sink_dropped(const arbiter_log_sink_t* sink);
/* Releases the handle; the file is closed (after writing every queued
 * record) once no guard uses the sink either. */
ARBITER_C_EXPORT void arbiter_log_sink_destroy(arbiter_log_sink_t* sink);

/* A task: its record (id, objective, sensitivity ceiling, approval state,
 * chain of allowed actions) is `context.task` in every guarded call made
 * with it. `approval` may be NULL ("none"). */
ARBITER_C_EXPORT arbiter_task_t* arbiter_task_create(const char* id,
                                                     const char* objective,
                                                     int64_t sensitivity,
                                                     const char* approval);
ARBITER_C_EXPORT void arbiter_task_destroy(arbiter_task_t* task);
ARBITER_C_EXPORT void arbiter_task_set_approval(arbiter_task_t* task,
                                                const char* approval);
/* Calls allowed in the task so far. */
ARBITER_C_EXPORT uint64_t arbiter_task_call_count(const arbiter_task_t* task);

/* The chain of principals a call's principal acts for, origin first (e.g.
 * the user, then the orchestrating agent). */
ARBITER_C_EXPORT arbiter_delegation_t* arbiter_delegation_create(
    const char* const* principals, size_t num_principals, char** errptr);
ARBITER_C_EXPORT void arbiter_delegation_destroy(arbiter_delegation_t* chain);

/* A guard over `engine`, with an optional credential registry and an
 * optional log sink (each may be NULL: no check, no log). The guard shares
 * all three. */
ARBITER_C_EXPORT arbiter_guard_t* arbiter_guard_create(
    const arbiter_engine_t* engine, const arbiter_credentials_t* creds,
    const arbiter_log_sink_t* sink);
ARBITER_C_EXPORT void arbiter_guard_destroy(arbiter_guard_t* guard);

ARBITER_C_EXPORT arbiter_guard_response_t* arbiter_guard_response_create(void);
ARBITER_C_EXPORT void arbiter_guard_response_destroy(
    arbiter_guard_response_t* response);

/* Checks one tool call. `task`, `delegation` and `credential_id` may each be
 * NULL (none). An allowed call is appended to the task's chain. Returns
 * ARBITER_ALLOW, ARBITER_DENY, or ARBITER_ERROR (nothing decided) for a
 * NULL guard, request or response. Thread-safe on one guard; a response is
 * one thread's at a time. */
ARBITER_C_EXPORT int arbiter_guard_authorize(
    const arbiter_guard_t* guard, const arbiter_request_t* request,
    arbiter_task_t* task, const arbiter_delegation_t* delegation,
    const char* credential_id, arbiter_guard_response_t* response);

ARBITER_C_EXPORT int arbiter_guard_response_decision(
    const arbiter_guard_response_t* response);
/* "" when allowed; else why: "credential expired" (or another credential
 * check's name), "no policy permits", "forbidden by policy", "not allowed
 * for delegating principal `User::\"bob\"` (hop 0)", "unclassified tool".
 * Valid until the next call with `response`. */
ARBITER_C_EXPORT const char* arbiter_guard_response_deny_reason(
    const arbiter_guard_response_t* response);
/* "none", "credential", "policy", "delegation" or "unclassified". */
ARBITER_C_EXPORT const char* arbiter_guard_response_deny_kind(
    const arbiter_guard_response_t* response);
/* The decision's id, as the log record's `id` field. Valid until the next
 * call with `response`. */
ARBITER_C_EXPORT const char* arbiter_guard_response_id(
    const arbiter_guard_response_t* response);
/* The core answer (reasons and errors), read with the arbiter_response_*
 * accessors; owned by `response` and valid as long as it. */
ARBITER_C_EXPORT const arbiter_response_t* arbiter_guard_response_core(
    const arbiter_guard_response_t* response);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ARBITER_C_H_ */
