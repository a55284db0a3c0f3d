// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Requests built field by field from C (arbiter_request_builder_* in
// include/arbiter/c.h), for bindings that would otherwise write JSON only
// for arbiter to read it back on every call.
//
// Setters record the first error instead of returning one, so that a
// binding can set a whole request and check once, at build time; after an
// error the other setters still run but build refuses.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "src/capi/handles.h"
#include "src/entities/json_value.h"
#include "src/eval/ext/extensions.h"

struct arbiter_request_builder_t {
  arbiter::EntityUid slots[3];
  bool slot_set[3] = {false, false, false};
  std::vector<std::pair<arbiter::Symbol, arbiter::Value>> fields;
  std::string error;  // the first error; empty while all is well
  arbiter::JsonOptions json;  // for add_json (set_limits)

  void Fail(std::string message) {
    if (error.empty()) error = std::move(message);
  }
};

namespace {

using arbiter::capi::SetError;
using arbiter::internal::ToAbsl;

// C text as a view; false (and the builder's error) for NULL with a
// nonzero length.
// `what` names the argument in the message; called only on error, since
// wording it costs an allocation for a field's name.
using What = absl::FunctionRef<std::string()>;

bool Text(arbiter_request_builder_t* b, const char* data, size_t len,
          What what, std::string_view* out) {
  if (data == nullptr && len != 0) {
    b->Fail(absl::StrCat("request builder: ", what(),
                         ": NULL text with a nonzero length"));
    return false;
  }
  *out = data == nullptr ? std::string_view() : std::string_view(data, len);
  return true;
}

bool Uid(arbiter_request_builder_t* b, const char* type, size_t type_len,
         const char* id, size_t id_len, What what, arbiter::EntityUid* out) {
  std::string_view t, i;
  if (!Text(b, type, type_len, what, &t) || !Text(b, id, id_len, what, &i)) {
    return false;
  }
  if (absl::Status s = arbiter::internal::CheckEntityTypeName(t); !s.ok()) {
    b->Fail(absl::StrCat("request builder: ", what(), ": ", s.message()));
    return false;
  }
  *out = arbiter::EntityUid::Of(t, i);
  return true;
}

// What an error names for the field `key`: "context `key`".
std::string FieldName(std::string_view key) {
  return absl::StrCat("context `", ToAbsl(key), "`");
}

// Adds a context field, when the key reads; `make(key, &value)` builds the
// value (and words any error with FieldName(key): only then, since most
// calls succeed).
template <typename F>
void Add(arbiter_request_builder_t* b, const char* key, size_t key_len,
         F&& make) {
  if (b == nullptr) return;
  try {
    std::string_view k;
    if (!Text(b, key, key_len, [] { return std::string("context key"); }, &k)) {
      return;
    }
    arbiter::Value v;
    if (!make(k, &v)) return;
    b->fields.emplace_back(arbiter::Symbol::Intern(k), std::move(v));
  } catch (...) {
    b->Fail("request builder: out of memory");
  }
}

}  // namespace

extern "C" {

arbiter_request_builder_t* arbiter_request_builder_create(void) {
  return new (std::nothrow) arbiter_request_builder_t();
}

void arbiter_request_builder_destroy(arbiter_request_builder_t* builder) {
  delete builder;
}

void arbiter_request_builder_clear(arbiter_request_builder_t* builder) {
  if (builder == nullptr) return;
  for (bool& s : builder->slot_set) s = false;
  builder->fields.clear();
  builder->error.clear();
}

void arbiter_request_builder_set_entity(arbiter_request_builder_t* builder,
                                        int slot, const char* type,
                                        size_t type_len, const char* id,
                                        size_t id_len) {
  if (builder == nullptr) return;
  static constexpr std::string_view kNames[3] = {"principal", "action",
                                                 "resource"};
  if (slot < 0 || slot > 2) {
    builder->Fail(absl::StrCat("request builder: no entity slot ", slot,
                               " (ARBITER_PRINCIPAL, _ACTION or _RESOURCE)"));
    return;
  }
  try {
    if (Uid(builder, type, type_len, id, id_len,
            [&] { return std::string(kNames[slot]); }, &builder->slots[slot])) {
      builder->slot_set[slot] = true;
    }
  } catch (...) {
    builder->Fail("request builder: out of memory");
  }
}

void arbiter_request_builder_add_string(arbiter_request_builder_t* builder,
                                        const char* key, size_t key_len,
                                        const char* value, size_t value_len) {
  Add(builder, key, key_len, [&](std::string_view key, arbiter::Value* v) {
    std::string_view s;
    if (!Text(builder, value, value_len, [&] { return FieldName(key); }, &s)) {
      return false;
    }
    *v = arbiter::Value::String(std::string(s));
    return true;
  });
}

void arbiter_request_builder_add_long(arbiter_request_builder_t* builder,
                                      const char* key, size_t key_len,
                                      int64_t value) {
  Add(builder, key, key_len, [&](std::string_view, arbiter::Value* v) {
    *v = arbiter::Value::Long(value);
    return true;
  });
}

void arbiter_request_builder_add_bool(arbiter_request_builder_t* builder,
                                      const char* key, size_t key_len,
                                      int value) {
  Add(builder, key, key_len, [&](std::string_view, arbiter::Value* v) {
    *v = arbiter::Value::Bool(value != 0);
    return true;
  });
}

void arbiter_request_builder_add_entity(arbiter_request_builder_t* builder,
                                        const char* key, size_t key_len,
                                        const char* type, size_t type_len,
                                        const char* id, size_t id_len) {
  Add(builder, key, key_len, [&](std::string_view key, arbiter::Value* v) {
    arbiter::EntityUid uid;
    if (!Uid(builder, type, type_len, id, id_len,
             [&] { return FieldName(key); }, &uid)) {
      return false;
    }
    *v = arbiter::Value::Entity(uid);
    return true;
  });
}

void arbiter_request_builder_add_string_set(arbiter_request_builder_t* builder,
                                            const char* key, size_t key_len,
                                            const char* const* values,
                                            size_t count) {
  Add(builder, key, key_len, [&](std::string_view key, arbiter::Value* v) {
    if (values == nullptr && count != 0) {
      builder->Fail(
          absl::StrCat("request builder: ", FieldName(key), ": NULL strings"));
      return false;
    }
    std::vector<arbiter::Value> elements;
    elements.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      if (values[i] == nullptr) {
        builder->Fail(absl::StrCat("request builder: ", FieldName(key),
                                   ": string ", i,
                                   " is NULL"));
        return false;
      }
      elements.push_back(arbiter::Value::String(values[i]));
    }
    *v = arbiter::Value::Set(std::move(elements));
    return true;
  });
}

void arbiter_request_builder_add_extension(arbiter_request_builder_t* builder,
                                           const char* key, size_t key_len,
                                           const char* fn, const char* arg,
                                           size_t arg_len) {
  Add(builder, key, key_len, [&](std::string_view key, arbiter::Value* v) {
    std::string_view a;
    if (!Text(builder, arg, arg_len, [&] { return FieldName(key); }, &a)) {
      return false;
    }
    const std::optional<arbiter::internal::ExtFn> f =
        fn == nullptr ? std::nullopt : arbiter::internal::LookupExtConstructor(fn);
    if (!f.has_value()) {
      builder->Fail(absl::StrCat("request builder: ", FieldName(key),
                                 ": no extension constructor `",
                                 fn == nullptr ? "(NULL)" : fn,
                                 "` (ip, decimal, datetime, duration)"));
      return false;
    }
    const arbiter::Value text = arbiter::Value::String(std::string(a));
    absl::StatusOr<arbiter::Value> made =
        arbiter::internal::CallExtension(*f, absl::MakeConstSpan(&text, 1));
    if (!made.ok()) {
      builder->Fail(absl::StrCat("request builder: ", FieldName(key), ": ",
                                 made.status().message()));
      return false;
    }
    *v = *std::move(made);
    return true;
  });
}

void arbiter_request_builder_add_json(arbiter_request_builder_t* builder,
                                      const char* key, size_t key_len,
                                      const char* json, size_t json_len) {
  Add(builder, key, key_len, [&](std::string_view key, arbiter::Value* v) {
    std::string_view text;
    if (!Text(builder, json, json_len, [&] { return FieldName(key); }, &text)) {
      return false;
    }
    // Read as the same field of a request given as JSON: the context
    // record around it is the first level of max_depth.
    absl::StatusOr<arbiter::Value> parsed = arbiter::internal::ValueFromJsonNested(
        text, builder->json, /*outer_depth=*/1);
    if (!parsed.ok()) {
      builder->Fail(absl::StrCat("request builder: ", FieldName(key), ": ",
                                 parsed.status().message()));
      return false;
    }
    *v = *std::move(parsed);
    return true;
  });
}

void arbiter_request_builder_set_limits(arbiter_request_builder_t* builder,
                                        const arbiter_limits_t* limits) {
  if (builder == nullptr) return;
  builder->json = limits != nullptr ? limits->json : arbiter::JsonOptions{};
}

arbiter_request_t* arbiter_request_builder_build(
    const arbiter_request_builder_t* builder, const arbiter_schema_t* schema,
    char** errptr) {
  return arbiter::capi::Guarded(errptr, [&]() -> arbiter_request_t* {
    if (builder == nullptr) {
      SetError(errptr, "request builder: NULL builder");
      return nullptr;
    }
    if (!builder->error.empty()) {
      SetError(errptr, builder->error);
      return nullptr;
    }
    static constexpr const char* kNames[3] = {"principal", "action", "resource"};
    for (int s = 0; s < 3; ++s) {
      if (!builder->slot_set[s]) {
        SetError(errptr, absl::StrCat("request: missing `", kNames[s], "`"));
        return nullptr;
      }
    }
    std::vector<arbiter::Symbol> keys;
    keys.reserve(builder->fields.size());
    for (const auto& f : builder->fields) keys.push_back(f.first);
    std::sort(keys.begin(), keys.end());
    if (auto dup = std::adjacent_find(keys.begin(), keys.end());
        dup != keys.end()) {
      SetError(errptr, absl::StrCat("request: `context`: the key `",
                                    ToAbsl(dup->str()), "` is given twice"));
      return nullptr;
    }
    auto out = std::make_unique<arbiter_request_t>();
    arbiter::Request& r = out->request;
    r.principal = builder->slots[0];
    r.action = builder->slots[1];
    r.resource = builder->slots[2];
    r.context = arbiter::Value::Record(builder->fields);
    if (schema != nullptr) {
      if (absl::Status s = arbiter::ValidateRequest(*schema->schema, r); !s.ok()) {
        SetError(errptr, absl::StrCat("request: ", s.message()));
        return nullptr;
      }
    }
    return out.release();
  });
}

}  // extern "C"
