// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/cli_common.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "arbiter/entities.h"

namespace arbiter::cli {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open `", path, "`"));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("cannot read `", path, "`"));
  return ss.str();
}

absl::StatusOr<std::shared_ptr<const Schema>> LoadSchema(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  SchemaParseOptions options;
  options.file_name = path;
  const bool json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  return json ? Schema::FromJson(*text, options) : Schema::Parse(*text, options);
}

absl::StatusOr<Request> RequestFromJson(const nlohmann::json& j,
                                        const Schema* schema, bool validate) {
  if (!j.is_object()) {
    return absl::InvalidArgumentError("request: expected a JSON object");
  }
  Request r;
  for (const char* key : {"principal", "action", "resource"}) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      return absl::InvalidArgumentError(
          absl::StrCat("request: missing `", key, "`"));
    }
    absl::StatusOr<EntityUid> uid = EntityUidFromJson(it->dump());
    if (!uid.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "request: `", key, "`: ", std::string(uid.status().message())));
    }
    if (std::string_view(key) == "principal") r.principal = *uid;
    if (std::string_view(key) == "action") r.action = *uid;
    if (std::string_view(key) == "resource") r.resource = *uid;
  }
  auto ctx = j.find("context");
  if (ctx != j.end() && !ctx->is_null()) {
    absl::StatusOr<Value> v = schema != nullptr
                                  ? ContextFromJson(ctx->dump(), *schema, r.action)
                                  : ValueFromJson(ctx->dump());
    if (!v.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "request: `context`: ", std::string(v.status().message())));
    }
    if (!v->is(ValueKind::kRecord)) {
      return absl::InvalidArgumentError(
          "request: `context` must be a JSON object (a record)");
    }
    r.context = *std::move(v);
  }
  if (schema != nullptr && validate) {
    absl::Status s = ValidateRequest(*schema, r);
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("request: ", std::string(s.message())));
    }
  }
  return r;
}

}  // namespace arbiter::cli
