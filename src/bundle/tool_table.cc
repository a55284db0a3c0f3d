// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Classifying tool names and caching their action entities. The design note
// (why an overlay store per tool, and tool classes) is in tool_table.h.

#include "src/bundle/tool_table.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/bundle/bundle_spec.h"

namespace arbiter::internal {
namespace {

void SortUids(std::vector<EntityUid>* v) {
  std::sort(v->begin(), v->end(), [](const EntityUid& a, const EntityUid& b) {
    return a.packed() < b.packed();
  });
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace

absl::StatusOr<std::unique_ptr<ToolTable>> ToolTable::Create(
    std::vector<ToolRule> rules, Symbol action_type,
    std::shared_ptr<const Entities> entities, const PolicySet& policies,
    size_t max_cached) {
  std::unique_ptr<ToolTable> t(new ToolTable());
  std::vector<std::string> errors;
  // Compiled once per bundle: RE2 objects are immutable and thread-safe, so
  // every decision shares them.
  RE2::Options opts;
  opts.set_log_errors(false);
  for (const ToolRule& r : rules) {
    auto re = std::make_unique<const RE2>(r.pattern, opts);
    if (!re->ok()) {
      errors.push_back(LocatedMessage(
          r.location, absl::StrCat("`tools.rules` pattern `", r.pattern,
                                   "` is not a valid RE2 pattern: ",
                                   re->error())));
    }
    t->patterns_.push_back(std::move(re));
  }
  if (!errors.empty()) {
    std::string all;
    for (const std::string& e : errors) absl::StrAppend(&all, all.empty() ? "" : "\n", e);
    return absl::InvalidArgumentError(all);
  }
  t->rules_ = std::move(rules);
  t->action_type_ = action_type;
  t->named_ = NamedUids(policies, *entities, action_type);
  t->entities_ = std::move(entities);
  t->max_cached_ = max_cached;
  return t;
}

std::unique_ptr<ToolEntry> ToolTable::Classify(std::string_view tool) const {
  auto e = std::make_unique<ToolEntry>();
  e->action = EntityUid{action_type_, Symbol::Intern(tool)};
  if (const StoredEntity* s = entities_->Find(e->action)) {
    e->resolution = ToolResolution::kDeclared;
    e->groups = s->parents;
    SortUids(&e->groups);
    e->store = entities_;
    if (!s->attrs.empty() || !s->tags.empty()) e->klass = -2;  // alone
    return e;
  }
  const re2::StringPiece text(tool.data(), tool.size());
  for (size_t i = 0; i < patterns_.size(); ++i) {
    if (!RE2::PartialMatch(text, *patterns_[i])) continue;
    e->resolution = ToolResolution::kClassified;
    e->rule = static_cast<int>(i);
    e->groups = rules_[i].groups;
    SortUids(&e->groups);
    Entity action{e->action, {}, e->groups, {}};
    auto store = Entities::WithEntities(entities_, {std::move(action)});
    // Fails only when a stored entity names this undeclared action as its
    // parent: the store's ancestors could not include the rule's groups, so
    // the tool is left unclassified (denied) rather than decided with
    // incomplete ancestors.
    if (!store.ok()) {
      e->resolution = ToolResolution::kUnclassified;
      e->rule = -1;
      return e;
    }
    e->store = *std::move(store);
    return e;
  }
  return e;  // unclassified
}

const ToolEntry* ToolTable::Insert(std::string_view tool) const {
  const absl::string_view key(tool.data(), tool.size());
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    if (cache_.size() >= max_cached_ && !cache_.contains(key)) return &overflow_;
  }
  // Built outside the lock: WithEntities scans the store.
  std::unique_ptr<ToolEntry> e = Classify(tool);
  std::unique_lock<std::shared_mutex> lock(mu_);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second.get();
  if (cache_.size() >= max_cached_) return &overflow_;
  if (e->klass == -2 || e->resolution == ToolResolution::kUnclassified ||
      named_.contains(e->action)) {
    e->klass = -1;
  } else {
    auto [it, inserted] =
        classes_.try_emplace(e->groups, static_cast<int32_t>(classes_.size()));
    e->klass = it->second;
  }
  const ToolEntry* out = e.get();
  cache_.emplace(std::string(tool), std::move(e));
  return out;
}

const ToolEntry* ToolTable::Find(std::string_view tool) const {
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = cache_.find(absl::string_view(tool.data(), tool.size()));
    if (it != cache_.end()) return it->second.get();
  }
  return Insert(tool);
}

void ToolTable::FindAll(absl::Span<const std::string_view> tools,
                        std::vector<const ToolEntry*>* out) const {
  out->assign(tools.size(), nullptr);
  bool missing = false;
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    for (size_t i = 0; i < tools.size(); ++i) {
      auto it = cache_.find(absl::string_view(tools[i].data(), tools[i].size()));
      if (it != cache_.end()) (*out)[i] = it->second.get();
      else missing = true;
    }
  }
  if (!missing) return;
  for (size_t i = 0; i < tools.size(); ++i) {
    if ((*out)[i] == nullptr) (*out)[i] = Insert(tools[i]);
  }
}

size_t ToolTable::class_count() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return classes_.size();
}

}  // namespace arbiter::internal
