// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// A request read from JSON (schema.h, RequestFromJson): the three entity
// references and the context, each reported by its member name on error.
// The CLI, the conformance runner and the C API all read requests here.

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "arbiter/schema.h"
#include "src/entities/json_value.h"
#include "src/entities/typed_json.h"

namespace arbiter {
namespace {

using internal::ToAbsl;

absl::Status MemberError(std::string_view member, const absl::Status& s) {
  return absl::InvalidArgumentError(absl::StrCat(
      "request: `", ToAbsl(member), "`: ", s.message()));
}

}  // namespace

absl::StatusOr<Request> RequestFromJson(std::string_view json,
                                        const RequestJsonOptions& options) {
  // One level for the request object around the context.
  absl::StatusOr<nlohmann::json> doc = internal::ParseJsonText(
      json, options.json, internal::JsonDepthFor(options.json, 1),
      "request JSON", /*entity_document=*/false);
  if (!doc.ok()) return doc.status();
  if (!doc->is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("request: expected a JSON object, found `",
                     internal::JsonSnippet(*doc), "`"));
  }
  for (const auto& [key, unused] : doc->items()) {
    if (key != "principal" && key != "action" && key != "resource" &&
        key != "context") {
      return absl::InvalidArgumentError(absl::StrCat(
          "request: unknown member `", key,
          "` (expected `principal`, `action`, `resource`, `context`)"));
    }
  }
  Request r;
  EntityUid* const slots[3] = {&r.principal, &r.action, &r.resource};
  const char* const names[3] = {"principal", "action", "resource"};
  for (int i = 0; i < 3; ++i) {
    auto it = doc->find(names[i]);
    if (it == doc->end() || it->is_null()) {
      return absl::InvalidArgumentError(
          absl::StrCat("request: missing `", names[i], "`"));
    }
    absl::StatusOr<EntityUid> uid =
        internal::JsonToEntityUid(*it, /*allow_string=*/true, internal::Where{});
    if (!uid.ok()) return MemberError(names[i], uid.status());
    *slots[i] = *uid;
  }
  auto ctx = doc->find("context");
  if (ctx != doc->end() && !ctx->is_null()) {
    absl::StatusOr<Value> v =
        options.schema != nullptr
            ? internal::ContextFromJsonDoc(*ctx, *options.schema, r.action,
                                           options.json)
            : internal::JsonToValue(*ctx, options.json, internal::Where{});
    if (!v.ok()) return MemberError("context", v.status());
    if (!v->is(ValueKind::kRecord)) {
      return absl::InvalidArgumentError(
          "request: `context`: must be a JSON object (a record)");
    }
    r.context = *std::move(v);
  }
  if (options.schema != nullptr && options.validate) {
    if (absl::Status s = ValidateRequest(*options.schema, r); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("request: ", s.message()));
    }
  }
  return r;
}

}  // namespace arbiter
