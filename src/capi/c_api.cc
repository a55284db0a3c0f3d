// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The C API (include/arbiter/c.h) over the C++ one.
//
// Each handle holds a shared_ptr to the immutable C++ object, so handles
// are independent of each other's lifetimes: a response keeps the policy
// set its reason ids point into (Response::keepalive), an engine keeps its
// snapshot. Every entry point that can fail catches everything: no C++
// exception may unwind into C. Entry points on the decision path
// (arbiter_authorize, the response accessors) only test for NULL and
// forward, so a C caller reusing its response allocates nothing per
// decision, as a C++ caller does.

#include "arbiter/c.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arbiter/authorizer.h"
#include "arbiter/engine.h"
#include "arbiter/entities.h"
#include "arbiter/policy_set.h"
#include "arbiter/schema.h"
#include "arbiter/validator.h"
#include "src/capi/handles.h"

#ifndef ARBITER_VERSION_STRING
#error "the build defines ARBITER_VERSION_STRING (CMakeLists.txt)"
#endif

using arbiter::capi::Guarded;
using arbiter::capi::MakeHandle;
using arbiter::capi::Out;
using arbiter::capi::SetError;
using arbiter::capi::TextArg;

extern "C" {

const char* arbiter_version(void) { return ARBITER_VERSION_STRING; }

void arbiter_free(void* ptr) { std::free(ptr); }

// ---- Limits -----------------------------------------------------------------

namespace {

// The defaults, as a NULL limits argument stands for them. Never destroyed:
// a parse on another thread may still read them while the process exits.
const arbiter_limits_t& LimitsOrDefault(const arbiter_limits_t* limits) {
  static const arbiter_limits_t* const kDefaults = new arbiter_limits_t();
  return limits != nullptr ? *limits : *kDefaults;
}

}  // namespace

arbiter_limits_t* arbiter_limits_create(void) {
  return new (std::nothrow) arbiter_limits_t();
}

void arbiter_limits_destroy(arbiter_limits_t* limits) { delete limits; }

void arbiter_limits_set_policy_max_bytes(arbiter_limits_t* limits,
                                         size_t bytes) {
  if (limits != nullptr) limits->policy.max_source_bytes = bytes;
}

void arbiter_limits_set_policy_max_depth(arbiter_limits_t* limits,
                                         size_t depth) {
  if (limits != nullptr) limits->policy.max_nesting_depth = depth;
}

void arbiter_limits_set_schema_max_bytes(arbiter_limits_t* limits,
                                         size_t bytes) {
  if (limits != nullptr) limits->schema.max_source_bytes = bytes;
}

void arbiter_limits_set_schema_max_depth(arbiter_limits_t* limits,
                                         size_t depth) {
  if (limits != nullptr) limits->schema.max_nesting_depth = depth;
}

void arbiter_limits_set_max_errors(arbiter_limits_t* limits, size_t errors) {
  if (limits == nullptr) return;
  limits->policy.max_errors = errors;
  limits->schema.max_errors = errors;
}

void arbiter_limits_set_json_max_bytes(arbiter_limits_t* limits,
                                       size_t bytes) {
  if (limits != nullptr) limits->json.max_bytes = bytes;
}

void arbiter_limits_set_json_max_depth(arbiter_limits_t* limits,
                                       size_t depth) {
  if (limits != nullptr) limits->json.max_depth = depth;
}

// ---- Policies ---------------------------------------------------------------

arbiter_policy_set_t* arbiter_policy_set_parse(const char* text,
                                               size_t text_len,
                                               const char* file_name,
                                               char** errptr) {
  return arbiter_policy_set_parse_with_limits(text, text_len, file_name,
                                              nullptr, errptr);
}

arbiter_policy_set_t* arbiter_policy_set_parse_with_limits(
    const char* text, size_t text_len, const char* file_name,
    const arbiter_limits_t* limits, char** errptr) {
  return Guarded(errptr, [&]() -> arbiter_policy_set_t* {
    std::string_view source;
    if (!TextArg(text, text_len, "policies", errptr, &source)) return nullptr;
    arbiter::ParseOptions options = LimitsOrDefault(limits).policy;
    if (file_name != nullptr) options.file_name = file_name;
    auto set = arbiter::PolicySet::Parse(source, options);
    return MakeHandle<arbiter_policy_set_t>(std::move(set), errptr);
  });
}

void arbiter_policy_set_destroy(arbiter_policy_set_t* set) { delete set; }

size_t arbiter_policy_set_size(const arbiter_policy_set_t* set) {
  return set == nullptr ? 0 : set->set->size();
}

const char* arbiter_policy_set_policy_id(const arbiter_policy_set_t* set,
                                         size_t i, size_t* len) {
  if (set == nullptr || i >= set->set->size()) return nullptr;
  // Ids are std::strings inside the policy set: NUL-terminated.
  return Out(set->set->policy_id(i), len);
}

// ---- Schemas ----------------------------------------------------------------

namespace {

arbiter_schema_t* ParseSchema(const char* text, size_t len,
                              const char* file_name, bool json,
                              const arbiter_limits_t* limits, char** errptr) {
  return Guarded(errptr, [&]() -> arbiter_schema_t* {
    std::string_view source;
    if (!TextArg(text, len, "schema", errptr, &source)) return nullptr;
    arbiter::SchemaParseOptions options = LimitsOrDefault(limits).schema;
    if (file_name != nullptr) options.file_name = file_name;
    auto schema = json ? arbiter::Schema::FromJson(source, options)
                       : arbiter::Schema::Parse(source, options);
    return MakeHandle<arbiter_schema_t>(std::move(schema), errptr);
  });
}

}  // namespace

arbiter_schema_t* arbiter_schema_parse(const char* text, size_t text_len,
                                       const char* file_name, char** errptr) {
  return ParseSchema(text, text_len, file_name, /*json=*/false, nullptr,
                     errptr);
}

arbiter_schema_t* arbiter_schema_parse_with_limits(
    const char* text, size_t text_len, const char* file_name,
    const arbiter_limits_t* limits, char** errptr) {
  return ParseSchema(text, text_len, file_name, /*json=*/false, limits,
                     errptr);
}

arbiter_schema_t* arbiter_schema_parse_json(const char* json, size_t json_len,
                                            const char* file_name,
                                            char** errptr) {
  return ParseSchema(json, json_len, file_name, /*json=*/true, nullptr,
                     errptr);
}

arbiter_schema_t* arbiter_schema_parse_json_with_limits(
    const char* json, size_t json_len, const char* file_name,
    const arbiter_limits_t* limits, char** errptr) {
  return ParseSchema(json, json_len, file_name, /*json=*/true, limits, errptr);
}

void arbiter_schema_destroy(arbiter_schema_t* schema) { delete schema; }

// ---- Validation -------------------------------------------------------------

arbiter_validation_t* arbiter_validate(const arbiter_schema_t* schema,
                                       const arbiter_policy_set_t* policies,
                                       char** errptr) {
  return arbiter_validate_with_options(schema, policies,
                                       /*impossible_policy_is_error=*/1,
                                       errptr);
}

arbiter_validation_t* arbiter_validate_with_options(
    const arbiter_schema_t* schema, const arbiter_policy_set_t* policies,
    int impossible_policy_is_error, char** errptr) {
  return Guarded(errptr, [&]() -> arbiter_validation_t* {
    if (schema == nullptr || policies == nullptr) {
      SetError(errptr, "validate: NULL schema or policy set");
      return nullptr;
    }
    arbiter::ValidateOptions options;
    options.impossible_policy_is_error = impossible_policy_is_error != 0;
    auto out = std::make_unique<arbiter_validation_t>();
    out->result = arbiter::Validate(*schema->schema, *policies->set, options);
    for (const auto& issue : out->result.errors) {
      out->error_text.push_back(issue.ToString());
    }
    for (const auto& issue : out->result.warnings) {
      out->warning_text.push_back(issue.ToString());
    }
    return out.release();
  });
}

void arbiter_validation_destroy(arbiter_validation_t* result) { delete result; }

size_t arbiter_validation_error_count(const arbiter_validation_t* result) {
  return result == nullptr ? 0 : result->error_text.size();
}

size_t arbiter_validation_warning_count(const arbiter_validation_t* result) {
  return result == nullptr ? 0 : result->warning_text.size();
}

const char* arbiter_validation_error(const arbiter_validation_t* result,
                                     size_t i) {
  if (result == nullptr || i >= result->error_text.size()) return nullptr;
  return result->error_text[i].c_str();
}

const char* arbiter_validation_warning(const arbiter_validation_t* result,
                                       size_t i) {
  if (result == nullptr || i >= result->warning_text.size()) return nullptr;
  return result->warning_text[i].c_str();
}

const char* arbiter_validation_error_kind(const arbiter_validation_t* result,
                                          size_t i) {
  if (result == nullptr || i >= result->result.errors.size()) return nullptr;
  return result->result.errors[i].kind.c_str();
}

const char* arbiter_validation_error_policy(const arbiter_validation_t* result,
                                            size_t i) {
  if (result == nullptr || i >= result->result.errors.size()) return nullptr;
  return result->result.errors[i].policy_id.c_str();
}

// ---- Entities ---------------------------------------------------------------

arbiter_entities_t* arbiter_entities_parse_json(const char* json,
                                                size_t json_len,
                                                const arbiter_schema_t* schema,
                                                char** errptr) {
  return arbiter_entities_parse_json_with_limits(json, json_len, schema,
                                                 nullptr, errptr);
}

arbiter_entities_t* arbiter_entities_parse_json_with_limits(
    const char* json, size_t json_len, const arbiter_schema_t* schema,
    const arbiter_limits_t* limits, char** errptr) {
  return Guarded(errptr, [&]() -> arbiter_entities_t* {
    std::string_view source;
    if (!TextArg(json, json_len, "entities", errptr, &source)) return nullptr;
    const arbiter::JsonOptions& options = LimitsOrDefault(limits).json;
    auto entities =
        schema != nullptr
            ? arbiter::EntitiesFromJson(source, *schema->schema, options)
            : arbiter::Entities::FromJson(source, options);
    return MakeHandle<arbiter_entities_t>(std::move(entities), errptr);
  });
}

void arbiter_entities_destroy(arbiter_entities_t* entities) { delete entities; }

size_t arbiter_entities_size(const arbiter_entities_t* entities) {
  return entities == nullptr ? 0 : entities->entities->size();
}

// ---- Requests ---------------------------------------------------------------

arbiter_request_t* arbiter_request_parse_json(const char* json,
                                              size_t json_len,
                                              const arbiter_schema_t* schema,
                                              char** errptr) {
  return arbiter_request_parse_json_with_limits(json, json_len, schema,
                                                nullptr, errptr);
}

arbiter_request_t* arbiter_request_parse_json_with_limits(
    const char* json, size_t json_len, const arbiter_schema_t* schema,
    const arbiter_limits_t* limits, char** errptr) {
  return Guarded(errptr, [&]() -> arbiter_request_t* {
    std::string_view source;
    if (!TextArg(json, json_len, "request", errptr, &source)) return nullptr;
    arbiter::RequestJsonOptions options;
    if (schema != nullptr) options.schema = schema->schema.get();
    options.json = LimitsOrDefault(limits).json;
    auto request = arbiter::RequestFromJson(source, options);
    return MakeHandle<arbiter_request_t>(std::move(request), errptr);
  });
}

void arbiter_request_destroy(arbiter_request_t* request) { delete request; }

// ---- Deciding ---------------------------------------------------------------

arbiter_response_t* arbiter_response_create(void) {
  return new (std::nothrow) arbiter_response_t();
}

void arbiter_response_destroy(arbiter_response_t* response) { delete response; }

namespace {

int DecisionCode(arbiter::Decision d) {
  return d == arbiter::Decision::kAllow ? ARBITER_ALLOW : ARBITER_DENY;
}

}  // namespace

int arbiter_authorize(const arbiter_policy_set_t* policies,
                      const arbiter_entities_t* entities,
                      const arbiter_request_t* request,
                      arbiter_response_t* response) {
  if (policies == nullptr || entities == nullptr || request == nullptr ||
      response == nullptr) {
    return ARBITER_ERROR;
  }
  arbiter::Response& r = *response->response;
  // The reasons point into the policy set: keep it alive as long as they
  // are readable. Compared first so that deciding on the same set again
  // does not touch the reference count.
  if (r.keepalive.get() != policies->set.get()) r.keepalive = policies->set;
  // Authorize's only allocations are error messages and the response's
  // vectors growing; should one fail, nothing was decided. (A try block
  // costs nothing on the path that does not throw.)
  try {
    arbiter::Authorize(*policies->set, *entities->entities, request->request,
                       &r);
  } catch (...) {
    r.Clear();
    return ARBITER_ERROR;
  }
  return DecisionCode(r.decision);
}

int arbiter_response_decision(const arbiter_response_t* response) {
  return response == nullptr ? ARBITER_DENY
                             : DecisionCode(response->response->decision);
}

size_t arbiter_response_reason_count(const arbiter_response_t* response) {
  return response == nullptr ? 0 : response->response->reasons.size();
}

const char* arbiter_response_reason(const arbiter_response_t* response,
                                    size_t i, size_t* len) {
  if (response == nullptr || i >= response->response->reasons.size()) {
    return nullptr;
  }
  // A view of a policy id (a std::string in the policy set): NUL-terminated.
  return Out(response->response->reasons[i], len);
}

size_t arbiter_response_error_count(const arbiter_response_t* response) {
  return response == nullptr ? 0 : response->response->errors.size();
}

const char* arbiter_response_error_policy(const arbiter_response_t* response,
                                          size_t i, size_t* len) {
  if (response == nullptr || i >= response->response->errors.size()) {
    return nullptr;
  }
  return Out(response->response->errors[i].policy_id, len);
}

const char* arbiter_response_error_message(const arbiter_response_t* response,
                                           size_t i, size_t* len) {
  if (response == nullptr || i >= response->response->errors.size()) {
    return nullptr;
  }
  const std::string& m = response->response->errors[i].message;
  if (len != nullptr) *len = m.size();
  return m.c_str();
}

// ---- Engine -----------------------------------------------------------------

arbiter_engine_t* arbiter_engine_create(const arbiter_policy_set_t* policies,
                                        const arbiter_entities_t* entities) {
  return arbiter_engine_create_with_flags(policies, entities, 0);
}

arbiter_engine_t* arbiter_engine_create_with_flags(
    const arbiter_policy_set_t* policies, const arbiter_entities_t* entities,
    unsigned flags) {
  if (policies == nullptr || entities == nullptr) return nullptr;
  // A flag from a newer header asks for something this library cannot do.
  if ((flags & ~ARBITER_ENGINE_UNBOUND) != 0) return nullptr;
  arbiter::EngineOptions options;
  options.bind = (flags & ARBITER_ENGINE_UNBOUND) == 0;
  try {
    return new arbiter_engine_t{std::make_shared<arbiter::Engine>(
        policies->set, entities->entities, options)};
  } catch (...) {
    return nullptr;
  }
}

void arbiter_engine_destroy(arbiter_engine_t* engine) { delete engine; }

int arbiter_engine_set_policies(arbiter_engine_t* engine,
                                const arbiter_policy_set_t* policies) {
  if (engine == nullptr || policies == nullptr) return ARBITER_ERROR;
  try {
    engine->engine->SetPolicies(policies->set);
  } catch (...) {
    return ARBITER_ERROR;  // the snapshot could not be made: nothing changed
  }
  return 0;
}

int arbiter_engine_set_entities(arbiter_engine_t* engine,
                                const arbiter_entities_t* entities) {
  if (engine == nullptr || entities == nullptr) return ARBITER_ERROR;
  try {
    engine->engine->SetEntities(entities->entities);
  } catch (...) {
    return ARBITER_ERROR;
  }
  return 0;
}

int arbiter_engine_authorize(const arbiter_engine_t* engine,
                             const arbiter_request_t* request,
                             arbiter_response_t* response) {
  if (engine == nullptr || request == nullptr || response == nullptr) {
    return ARBITER_ERROR;
  }
  // Engine::Authorize keeps the snapshot alive in the response itself.
  try {
    engine->engine->Authorize(request->request, response->response);
  } catch (...) {
    response->response->Clear();
    return ARBITER_ERROR;
  }
  return DecisionCode(response->response->decision);
}

}  // extern "C"
