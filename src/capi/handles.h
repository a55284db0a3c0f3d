// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The C API's handles (the structs behind include/arbiter/c.h's opaque
// types) and the helpers every entry point uses: errptr messages, the
// exception barrier and C text arguments. Internal to src/capi.

#ifndef ARBITER_CAPI_HANDLES_H_
#define ARBITER_CAPI_HANDLES_H_

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "arbiter/authorizer.h"
#include "arbiter/c.h"
#include "arbiter/engine.h"
#include "arbiter/entities.h"
#include "arbiter/policy_set.h"
#include "arbiter/schema.h"
#include "arbiter/validator.h"

struct arbiter_policy_set_t {
  std::shared_ptr<const arbiter::PolicySet> set;
};
struct arbiter_schema_t {
  std::shared_ptr<const arbiter::Schema> schema;
};
struct arbiter_entities_t {
  std::shared_ptr<const arbiter::Entities> entities;
};
struct arbiter_request_t {
  arbiter::Request request;
};
// Either a response of its own or a read-only view of a guard response's
// core answer (arbiter_guard_response_core): the accessors read through
// `response` either way.
struct arbiter_response_t {
  arbiter_response_t() = default;
  explicit arbiter_response_t(arbiter::Response* view) : response(view) {}
  arbiter_response_t(const arbiter_response_t&) = delete;
  arbiter_response_t& operator=(const arbiter_response_t&) = delete;
  arbiter::Response own;
  arbiter::Response* const response = &own;
};
// Shared, so that a guard made on the engine keeps it.
struct arbiter_engine_t {
  std::shared_ptr<arbiter::Engine> engine;
};
// What each parser reads of the limits; file names are per call.
struct arbiter_limits_t {
  arbiter::ParseOptions policy;
  arbiter::SchemaParseOptions schema;
  arbiter::JsonOptions json;
};
struct arbiter_validation_t {
  arbiter::ValidationResult result;
  // ValidationIssue::ToString of each error and warning, made once so that
  // the accessors can return pointers that stay valid.
  std::vector<std::string> error_text, warning_text;
};

namespace arbiter::capi {

// Stores `message` in *errptr as C's malloc'd string (see c.h).
inline void SetError(char** errptr, std::string_view message) {
  if (errptr == nullptr) return;
  std::free(*errptr);
  char* copy = static_cast<char*>(std::malloc(message.size() + 1));
  if (copy != nullptr) {
    std::memcpy(copy, message.data(), message.size());
    copy[message.size()] = '\0';
  }
  // Out of memory for the message itself: *errptr stays NULL and the
  // caller still sees the NULL result.
  *errptr = copy;
}
// Status messages are Abseil's own string_view type on Debian 12.
inline void SetError(char** errptr, const absl::Status& status) {
  SetError(errptr, std::string_view(status.message().data(),
                                    status.message().size()));
}

// Runs `make` (which returns a handle or stores an error and returns
// nullptr), turning an escaping exception into an error: the C++ calls do
// not throw on bad input, but allocation can fail anywhere.
template <typename F>
auto Guarded(char** errptr, F&& make) -> decltype(make()) {
  try {
    return make();
  } catch (const std::bad_alloc&) {
    SetError(errptr, "out of memory");
  } catch (const std::exception& e) {
    SetError(errptr, std::string("internal error: ") + e.what());
  } catch (...) {
    SetError(errptr, "internal error");
  }
  return nullptr;
}

// The text a C caller passed: NULL is accepted only with length 0.
inline bool TextArg(const char* data, size_t len, const char* what,
                    char** errptr, std::string_view* out) {
  if (data == nullptr && len != 0) {
    SetError(errptr, std::string(what) + ": NULL text with a nonzero length");
    return false;
  }
  *out = data == nullptr ? std::string_view() : std::string_view(data, len);
  return true;
}

inline const char* Out(std::string_view s, size_t* len) {
  if (len != nullptr) *len = s.size();
  return s.data();
}

// The handle holding a parse's result, or nullptr with the parse's error
// stored in *errptr.
template <typename Handle, typename T>
Handle* MakeHandle(absl::StatusOr<T> result, char** errptr) {
  if (!result.ok()) {
    SetError(errptr, result.status());
    return nullptr;
  }
  return new Handle{*std::move(result)};
}

}  // namespace arbiter::capi

#endif  // ARBITER_CAPI_HANDLES_H_
