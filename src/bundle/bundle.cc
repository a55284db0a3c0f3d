// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// A loaded bundle deciding tool calls: a tool name is resolved to its action
// entity (tool_table.cc) and the request is decided against the store that
// holds that entity. An unclassified tool never reaches the policies: a
// platform that adds tools faster than governance classifies them must get
// a deny for the unknown ones, not whatever a catch-all permit says.

#include <cinttypes>
#include <cstdio>

#include "arbiter/bundle.h"
#include "src/bundle/tool_table.h"

namespace arbiter {

std::string_view ToolResolutionName(ToolResolution r) {
  switch (r) {
    case ToolResolution::kDeclared: return "declared";
    case ToolResolution::kClassified: return "classified";
    case ToolResolution::kUnclassified: return "unclassified tool";
  }
  return "unclassified tool";
}

bool DecisionLogSettings::copies_whole_context() const {
  for (const std::string& f : context_fields) {
    if (f == "*") return true;
  }
  return false;
}

Bundle::Bundle() = default;
Bundle::~Bundle() = default;

std::string Bundle::revision_hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, revision_);
  return buf;
}

EntityUid Bundle::ToolAction(std::string_view tool) const {
  return EntityUid{action_type_, Symbol::Intern(tool)};
}

ToolInfo Bundle::ClassifyTool(std::string_view tool) const {
  const internal::ToolEntry* e = tools_->Find(tool);
  // The overflow entry has no uid of its own.
  return ToolInfo{e->resolution, ToolAction(tool), e->rule, e->groups};
}

ToolResolution Bundle::AuthorizeTool(std::string_view tool,
                                     const Request& request, Response* response,
                                     const AuthorizeOptions& options) const {
  const internal::ToolEntry* e = tools_->Find(tool);
  if (e->resolution == ToolResolution::kUnclassified) {
    response->Clear();
    return e->resolution;
  }
  Request r = request;
  r.action = e->action;
  arbiter::Authorize(*policies_, *e->store, r, response, options);
  return e->resolution;
}

ToolResolution Bundle::Authorize(const Request& request, Response* response,
                                 const AuthorizeOptions& options) const {
  if (request.action.type != action_type_ ||
      entities_->Find(request.action) != nullptr) {
    arbiter::Authorize(*policies_, *entities_, request, response, options);
    return ToolResolution::kDeclared;
  }
  const internal::ToolEntry* e = tools_->Find(request.action.id.str());
  if (e->resolution == ToolResolution::kUnclassified) {
    response->Clear();
    return e->resolution;
  }
  arbiter::Authorize(*policies_, *e->store, request, response, options);
  return e->resolution;
}

const Entities* Bundle::EntitiesFor(const EntityUid& action) const {
  if (action.type != action_type_ || entities_->Find(action) != nullptr) {
    return entities_.get();
  }
  return tools_->Find(action.id.str())->store.get();  // null: unclassified
}

std::vector<Bundle::UnreachableRule> Bundle::UnreachableToolRules() const {
  std::vector<UnreachableRule> out;
  for (size_t i = 0; i < rules_.size(); ++i) {
    std::string why = internal::ShadowReason(rules_, i);
    if (!why.empty()) out.push_back({i, std::move(why)});
  }
  return out;
}

}  // namespace arbiter
