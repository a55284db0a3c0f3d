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

absl::StatusOr<Request> RequestFromJson(const nlohmann::json& j) {
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
    absl::StatusOr<Value> v = ValueFromJson(ctx->dump());
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
  return r;
}

}  // namespace arbiter::cli
