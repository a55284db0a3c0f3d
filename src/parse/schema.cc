// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Schema: parse (either format) to a SchemaSource, resolve it to the model,
// keep both. Errors from every stage become one InvalidArgument status that
// lists each error as `file:line:column: error: message` with the source line
// and a caret; JSON errors also name their place by JSON Pointer.

#include "arbiter/schema.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/ast/schema.h"
#include "src/parse/parser.h"
#include "src/parse/schema_source.h"

namespace arbiter {

using internal::SchemaError;
using internal::SchemaModel;
using internal::SchemaSource;
using internal::SrcLoc;

struct SchemaBuilderAccess {
  static std::shared_ptr<const Schema> Make(
      std::shared_ptr<const SchemaModel> model,
      std::shared_ptr<const SchemaSource> source) {
    std::shared_ptr<Schema> schema(new Schema());
    schema->model_ = std::move(model);
    schema->source_ = std::move(source);
    return schema;
  }
};

namespace {

absl::Status ErrorsToStatus(std::string_view text,
                            const SchemaParseOptions& options,
                            const std::vector<SchemaError>& errors) {
  std::string msg = absl::StrFormat("%d schema error%s", errors.size(),
                                    errors.size() == 1 ? "" : "s");
  for (const SchemaError& e : errors) {
    uint32_t offset = e.loc.offset;
    std::string message = e.message;
    if (offset == SrcLoc::kNoOffset) {
      offset = internal::LocateJsonPointer(text, e.loc.path);
      if (!e.loc.path.empty())
        message = absl::StrCat("at `", e.loc.path, "`: ", message);
    }
    if (offset == SrcLoc::kNoOffset) {
      absl::StrAppend(&msg, "\n", options.file_name, ": error: ", message);
      continue;
    }
    Diagnostic d = internal::MakeDiagnostic(options.file_name, text, offset,
                                            std::move(message));
    absl::StrAppend(&msg, "\n", d.ToString());
  }
  return absl::InvalidArgumentError(msg);
}

using Parser = bool (*)(std::string_view, const SchemaParseOptions&,
                        SchemaSource*, std::vector<SchemaError>*);

absl::StatusOr<std::shared_ptr<const Schema>> Build(
    std::string_view text, const SchemaParseOptions& options, Parser parse) {
  auto source = std::make_shared<SchemaSource>();
  std::vector<SchemaError> errors;
  if (!parse(text, options, source.get(), &errors)) {
    return ErrorsToStatus(text, options, errors);
  }
  auto model = std::make_shared<SchemaModel>();
  if (!internal::ResolveSchema(*source, options, model.get(), &errors)) {
    return ErrorsToStatus(text, options, errors);
  }
  return SchemaBuilderAccess::Make(std::move(model), std::move(source));
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Schema>> Schema::Parse(
    std::string_view text, const SchemaParseOptions& options) {
  return Build(text, options, &internal::ParseCedarSchema);
}

absl::StatusOr<std::shared_ptr<const Schema>> Schema::FromJson(
    std::string_view json, const SchemaParseOptions& options) {
  return Build(json, options, &internal::ParseJsonSchema);
}

Schema::~Schema() = default;

std::string Schema::ToCedarSchema() const {
  return source_ ? internal::PrintCedarSchema(*source_) : std::string();
}

std::string Schema::ToJson() const {
  return source_ ? internal::PrintJsonSchema(*source_) : std::string("{}\n");
}

std::vector<Entity> Schema::ActionEntities() const {
  std::vector<Entity> out;
  out.reserve(model_->action_order.size());
  for (const EntityUid& uid : model_->action_order) {
    const internal::ActionInfo& info = model_->actions.at(uid);
    Entity e;
    e.uid = uid;
    e.parents = info.member_of;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace arbiter
