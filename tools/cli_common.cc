// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/cli_common.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "arbiter/entities.h"
#include "tools/workload.h"

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
                                        const Schema* schema, bool validate,
                                        bool test_file) {
  RequestJsonOptions options;
  options.schema = schema;
  options.validate = validate;
  if (!test_file || !j.is_object()) {
    return arbiter::RequestFromJson(j.dump(), options);
  }
  return arbiter::RequestFromJson(workload::RequestMembers(j).dump(), options);
}

}  // namespace arbiter::cli
