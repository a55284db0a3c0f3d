// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// SchemaView: converts the schema's attribute, tag and context types to
// validator types up front, so that typechecking a policy in many request
// environments never converts the same record twice.

#include "src/validate/schema_view.h"

#include <string_view>

namespace arbiter::internal {

bool IsActionType(Symbol entity_type) {
  std::string_view s = entity_type.str();
  size_t pos = s.rfind("::");
  std::string_view base = pos == std::string_view::npos ? s : s.substr(pos + 2);
  return base == "Action";
}

SchemaView::SchemaView(const SchemaModel& model) : model_(model) {
  for (const auto& [name, info] : model_.entity_types) {
    shapes_[name] = info.shape ? types::FromSchema(*info.shape)
                               : types::Record({}, /*open=*/false);
    if (info.tags) tags_[name] = types::FromSchema(*info.tags);
  }
  for (const auto& [uid, info] : model_.actions) {
    contexts_[uid] = info.context ? types::FromSchema(*info.context)
                                  : types::Record({}, /*open=*/false);
    descendants_[uid];  // every declared action has an entry
    for (const EntityUid& anc : info.ancestors) descendants_[anc].push_back(uid);
  }
}

TypeRef SchemaView::Shape(Symbol entity_type) const {
  auto it = shapes_.find(entity_type);
  return it == shapes_.end() ? nullptr : it->second;
}

TypeRef SchemaView::Tags(Symbol entity_type) const {
  auto it = tags_.find(entity_type);
  return it == tags_.end() ? nullptr : it->second;
}

TypeRef SchemaView::Context(const EntityUid& action) const {
  auto it = contexts_.find(action);
  return it == contexts_.end() ? types::Record({}, false) : it->second;
}

bool SchemaView::MayBeIn(Symbol descendant, Symbol ancestor) const {
  if (descendant == ancestor) return true;
  const EntityTypeInfo* info = entity_type(descendant);
  return info != nullptr && info->ancestors.contains(ancestor);
}

std::optional<std::vector<EntityUid>> SchemaView::ActionsIn(
    const EntityUid& uid) const {
  if (action(uid) == nullptr) return std::nullopt;
  std::vector<EntityUid> out;
  auto it = descendants_.find(uid);
  if (it != descendants_.end()) out = it->second;
  out.push_back(uid);
  return out;
}

bool SchemaView::ActionTypeHasDescendantType(Symbol action_type,
                                             Symbol desc_type) const {
  for (const auto& [uid, desc] : descendants_) {
    if (uid.type != action_type) continue;
    for (const EntityUid& d : desc) {
      if (d.type == desc_type) return true;
    }
  }
  return false;
}

}  // namespace arbiter::internal
