// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The entity store: reading Cedar's entities JSON and building the store.
//
// Ancestors are computed once, at build time, so that `in` is one hash probe.
// Entities are ordered parents-first with Kahn's algorithm (an explicit
// worklist, no recursion); each entity's ancestors are then its parents plus
// their already complete ancestor sets. Entities left over by Kahn's
// algorithm lie on or below a cycle, which Cedar rejects, and so do we.
// Parents that are not in the store are still ancestors; they just have no
// ancestors of their own.
//
// Entities JSON follows Cedar 4: `uid`, `attrs` and `parents` are required,
// `tags` is optional, and any other key is an error. A uid repeated with
// identical contents is accepted once (as Cedar does); repeated with
// different contents it is an error.

#include "arbiter/entities.h"

#include <algorithm>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <new>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "src/common/hot_array.h"
#include "src/entities/json_value.h"

namespace arbiter {
namespace {

using Json = nlohmann::json;
using internal::Where;

std::string Label(size_t index, const EntityUid& uid) {
  return absl::StrCat("entity ", index, " (`", uid.ToString(), "`)");
}

// Sorts fields by key, keeping the last of equal keys (Value::Record's rule),
// unless they already are in order.
void NormalizeFields(RecordFields* fields) {
  auto less = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (std::adjacent_find(fields->begin(), fields->end(),
                         [](const auto& a, const auto& b) {
                           return !(a.first < b.first);
                         }) == fields->end()) {
    return;
  }
  std::stable_sort(fields->begin(), fields->end(), less);
  RecordFields out;
  out.reserve(fields->size());
  for (auto& f : *fields) {
    if (!out.empty() && out.back().first == f.first) {
      out.back().second = std::move(f.second);
    } else {
      out.push_back(std::move(f));
    }
  }
  *fields = std::move(out);
}

// Drops repeated parents, keeping the first occurrence.
void DedupeParents(std::vector<EntityUid>* parents) {
  absl::flat_hash_set<EntityUid> seen;
  std::vector<EntityUid> out;
  out.reserve(parents->size());
  for (const EntityUid& p : *parents) {
    if (seen.insert(p).second) out.push_back(p);
  }
  *parents = std::move(out);
}

bool SameParents(const std::vector<EntityUid>& a,
                 const std::vector<EntityUid>& b) {
  if (a.size() != b.size()) return false;
  absl::flat_hash_set<EntityUid> set(a.begin(), a.end());
  return std::all_of(b.begin(), b.end(),
                     [&set](const EntityUid& p) { return set.contains(p); });
}

// Reads a map of attribute or tag values.
absl::StatusOr<RecordFields> ReadValueMap(const Json& map, const char* section,
                                          const char* role,
                                          const std::string& label,
                                          const JsonOptions& options) {
  if (!map.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(label, ": `", section, "` must be an object, found `",
                     internal::JsonSnippet(map), "`"));
  }
  RecordFields fields;
  fields.reserve(map.size());
  Where where{label, std::string(role), ""};
  for (auto it = map.begin(); it != map.end(); ++it) {
    where.name = it.key();
    absl::StatusOr<Value> v = internal::JsonToValue(it.value(), options, where);
    if (!v.ok()) return v.status();
    fields.emplace_back(Symbol::Intern(it.key()), std::move(*v));
  }
  // Keys are distinct (the parser rejects duplicates), so sorting suffices.
  std::sort(fields.begin(), fields.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return fields;
}

absl::StatusOr<Entity> ReadEntity(const Json& e, size_t index,
                                  const JsonOptions& options) {
  std::string label = absl::StrCat("entity ", index);
  if (!e.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(
        label,
        ": expected an object with `uid`, `attrs` and `parents`, found `",
        internal::JsonSnippet(e), "`"));
  }
  auto uid_it = e.find("uid");
  if (uid_it == e.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat(label, ": missing key `uid`"));
  }
  Entity entity;
  {
    absl::StatusOr<EntityUid> uid = internal::JsonToEntityUid(
        *uid_it, /*allow_string=*/false, Where{label, "`uid`", ""});
    if (!uid.ok()) return uid.status();
    entity.uid = *uid;
  }
  label = Label(index, entity.uid);

  const Json* attrs = nullptr;
  const Json* parents = nullptr;
  const Json* tags = nullptr;
  for (auto it = e.begin(); it != e.end(); ++it) {
    const std::string& key = it.key();
    if (key == "attrs") {
      attrs = &it.value();
    } else if (key == "parents") {
      parents = &it.value();
    } else if (key == "tags") {
      tags = &it.value();
    }
    // Other members are ignored, as Cedar ignores them; a misspelt `attrs`
    // or `parents` still fails below, as both are required.
  }
  if (attrs == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(label, ": missing key `attrs`"));
  }
  if (parents == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(label, ": missing key `parents`"));
  }

  absl::StatusOr<RecordFields> attr_fields =
      ReadValueMap(*attrs, "attrs", "attribute", label, options);
  if (!attr_fields.ok()) return attr_fields.status();
  entity.attrs = std::move(*attr_fields);

  if (!parents->is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat(label, ": `parents` must be an array, found `",
                     internal::JsonSnippet(*parents), "`"));
  }
  const bool is_action = internal::IsActionType(entity.uid.type.str());
  entity.parents.reserve(parents->size());
  for (size_t i = 0; i < parents->size(); ++i) {
    absl::StatusOr<EntityUid> parent =
        internal::JsonToEntityUid((*parents)[i], /*allow_string=*/false,
                                  Where{label, absl::StrCat("parent ", i), ""});
    if (!parent.ok()) return parent.status();
    // Cedar: an action's parents must be actions.
    if (is_action && !internal::IsActionType(parent->type.str())) {
      return absl::InvalidArgumentError(
          absl::StrCat(label, ": parent ", i,
                       ": an action can only have actions as "
                       "parents, found `",
                       parent->ToString(), "`"));
    }
    entity.parents.push_back(*parent);
  }

  if (tags != nullptr) {
    absl::StatusOr<RecordFields> tag_fields =
        ReadValueMap(*tags, "tags", "tag", label, options);
    if (!tag_fields.ok()) return tag_fields.status();
    entity.tags = std::move(*tag_fields);
  }
  return entity;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Entities>> Entities::FromJson(
    std::string_view json, const JsonOptions& options) {
  std::vector<Entity> entities;
  absl::Status read = internal::ForEachEntityInDocument(
      json, options, [&](size_t i, const Json& element) -> absl::Status {
        absl::StatusOr<Entity> e = ReadEntity(element, i, options);
        if (!e.ok()) return e.status();
        entities.push_back(std::move(*e));
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  return Build(std::move(entities));
}

namespace {

// Equal long string attribute values share one allocation (short ones are
// stored in the Value itself). Entities repeat some strings thousands of
// times; one shared copy of each stays in the cache while a decision
// compares it, where thousands of copies would each be a miss. Values are
// immutable, so sharing is invisible. Only top-level attribute and tag
// values: nested sets and records would have to be rebuilt.
void ShareEqualStrings(std::vector<StoredEntity>* stored) {
  // Keys view the heap buffers the mapped Values share (they never move;
  // an inline string would move with its Value).
  absl::flat_hash_map<std::string_view, Value> canonical;
  auto share = [&canonical](RecordFields& fields) {
    for (auto& [key, v] : fields) {
      if (!v.is(ValueKind::kString) ||
          v.as_string().size() <= internal::StringRep::kInline) {
        continue;
      }
      auto [it, inserted] = canonical.try_emplace(v.as_string(), v);
      if (!inserted) v = it->second;
    }
  };
  for (StoredEntity& s : *stored) {
    share(s.attrs);
    share(s.tags);
  }
}

// Reallocates each entity's ancestors and attributes one entity after the
// other. A decision reads, of each request entity, its ancestors (the index)
// and its attributes (the conditions); allocated this way they sit next to
// each other, where parsing had left the attributes among the JSON's own
// allocations. Every new buffer is made before any old one is freed, so
// that no freed hole is reused between them.
void PackDecisionData(std::vector<StoredEntity>* stored) {
  std::vector<std::vector<EntityUid>> ancestors;
  std::vector<RecordFields> attrs;
  ancestors.reserve(stored->size());
  attrs.reserve(stored->size());
  for (const StoredEntity& s : *stored) {
    ancestors.emplace_back(s.ancestor_list);
    attrs.emplace_back(s.attrs);
  }
  for (size_t k = 0; k < stored->size(); ++k) {
    (*stored)[k].ancestor_list.swap(ancestors[k]);
    (*stored)[k].attrs.swap(attrs[k]);
  }
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Entities>> Entities::Build(
    std::vector<Entity> entities) {
  // Collect, rejecting conflicting duplicates. `given[k]` is the index in
  // `entities` of stored entity k, for messages.
  std::vector<StoredEntity> stored;
  std::vector<size_t> given;
  stored.reserve(entities.size());
  given.reserve(entities.size());
  absl::flat_hash_map<EntityUid, size_t> slot;  // uid → index in `stored`
  slot.reserve(entities.size());
  for (size_t i = 0; i < entities.size(); ++i) {
    Entity& e = entities[i];
    NormalizeFields(&e.attrs);
    NormalizeFields(&e.tags);
    DedupeParents(&e.parents);
    auto [it, inserted] = slot.try_emplace(e.uid, stored.size());
    if (!inserted) {
      const StoredEntity& first = stored[it->second];
      if (first.attrs == e.attrs && first.tags == e.tags &&
          SameParents(first.parents, e.parents)) {
        continue;  // the same entity twice
      }
      return absl::InvalidArgumentError(
          absl::StrCat(Label(i, e.uid),
                       ": duplicate uid with different contents, first "
                       "given as entity ",
                       given[it->second]));
    }
    StoredEntity s;
    s.uid = e.uid;
    s.attrs = std::move(e.attrs);
    s.tags = std::move(e.tags);
    s.parents = std::move(e.parents);
    stored.push_back(std::move(s));
    given.push_back(i);
  }

  // Kahn's algorithm over in-store parent edges: `waiting[k]` counts the
  // parents of k not yet ordered; `children[k]` lists k's in-store children.
  const size_t n = stored.size();
  std::vector<std::vector<size_t>> children(n);
  std::vector<size_t> waiting(n, 0);
  for (size_t k = 0; k < n; ++k) {
    for (const EntityUid& p : stored[k].parents) {
      auto it = slot.find(p);
      if (it == slot.end()) continue;
      children[it->second].push_back(k);
      ++waiting[k];
    }
  }
  std::vector<size_t> order;
  order.reserve(n);
  for (size_t k = 0; k < n; ++k) {
    if (waiting[k] == 0) order.push_back(k);
  }
  for (size_t next = 0; next < order.size(); ++next) {
    for (size_t c : children[order[next]]) {
      if (--waiting[c] == 0) order.push_back(c);
    }
  }
  if (order.size() < n) {
    // Every unordered entity has an unordered parent; walking up from any
    // of them must revisit one, and that one lies on a cycle.
    size_t k = 0;
    while (waiting[k] == 0) ++k;
    std::vector<bool> seen(n, false);
    while (!seen[k]) {
      seen[k] = true;
      for (const EntityUid& p : stored[k].parents) {
        auto it = slot.find(p);
        if (it != slot.end() && waiting[it->second] > 0) {
          k = it->second;
          break;
        }
      }
    }
    return absl::InvalidArgumentError(
        absl::StrCat(Label(given[k], stored[k].uid),
                     ": the parent hierarchy has a cycle through this entity"));
  }

  // Parents come before children in `order`, so each parent's ancestors are
  // complete when its children are reached.
  for (size_t k : order) {
    StoredEntity& s = stored[k];
    for (const EntityUid& p : s.parents) {
      s.ancestors.insert(p);
      auto it = slot.find(p);
      if (it != slot.end()) {
        const auto& theirs = stored[it->second].ancestors;
        s.ancestors.insert(theirs.begin(), theirs.end());
      }
    }
  }

  for (StoredEntity& s : stored) {
    s.ancestor_list.assign(s.ancestors.begin(), s.ancestors.end());
    std::sort(s.ancestor_list.begin(), s.ancestor_list.end(),
              [](const EntityUid& a, const EntityUid& b) {
                return a.packed() < b.packed();
              });
  }

  ShareEqualStrings(&stored);
  PackDecisionData(&stored);

  auto store = std::make_shared<Entities>();
  store->map_.reserve(n);
  for (StoredEntity& s : stored) {
    EntityUid uid = s.uid;
    store->map_.emplace(uid, std::move(s));
  }
  store->BuildLookup();
  return std::shared_ptr<const Entities>(std::move(store));
}

std::shared_ptr<const Entities> Entities::Empty() {
  // Leaked on purpose, like the symbol table: usable during static teardown.
  static const auto* empty =
      new std::shared_ptr<const Entities>(std::make_shared<Entities>());
  return *empty;
}

absl::StatusOr<std::shared_ptr<const Entities>> Entities::WithEntities(
    std::shared_ptr<const Entities> base, std::vector<Entity> extra) {
  if (base == nullptr) base = Empty();
  absl::flat_hash_set<EntityUid> added;
  for (const Entity& e : extra) {
    if (base->Find(e.uid) != nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "entity `", e.uid.ToString(), "` is already in the base store"));
    }
    added.insert(e.uid);
  }
  // A base entity below an added one would need its ancestors recomputed;
  // refusing keeps the base immutable and shared. Walks every level of a
  // chain of derived stores.
  for (const Entities* s = base.get(); s != nullptr; s = s->base_.get()) {
    for (const auto& [uid, stored] : s->map_) {
      for (const EntityUid& a : stored.ancestor_list) {
        if (added.contains(a)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "entity `", uid.ToString(), "` in the base store has `",
              a.ToString(), "` as an ancestor"));
        }
      }
    }
  }
  absl::StatusOr<std::shared_ptr<const Entities>> own = Build(std::move(extra));
  if (!own.ok()) return own.status();
  auto store = std::make_shared<Entities>();
  store->map_ = (*own)->map_;
  // Build closed the ancestors over the extra entities alone; every
  // ancestor found in the base brings its own (already closed) ancestors.
  for (auto& [uid, s] : store->map_) {
    std::vector<EntityUid> more;
    for (const EntityUid& a : s.ancestors) {
      if (const StoredEntity* b = base->Find(a)) {
        more.insert(more.end(), b->ancestor_list.begin(),
                    b->ancestor_list.end());
      }
    }
    if (more.empty()) continue;
    s.ancestors.insert(more.begin(), more.end());
    s.ancestor_list.assign(s.ancestors.begin(), s.ancestors.end());
    std::sort(s.ancestor_list.begin(), s.ancestor_list.end(),
              [](const EntityUid& a, const EntityUid& b) {
                return a.packed() < b.packed();
              });
  }
  store->base_ = std::move(base);
  store->BuildLookup();
  return std::shared_ptr<const Entities>(std::move(store));
}

void Entities::FreeHotLines::operator()(HotLine* lines) const {
  internal::FreeHotArray(lines);
}

Entities::~Entities() {
  // Every block of this store has exactly one slot (BuildLookup).
  for (const LookupSlot& s : lookup_) {
    if (s.key == kNoEntity) continue;
    for (uint32_t i = 0; i < s.hot->num_attrs; ++i) s.hot->attrs[i].~Value();
  }
}

void Entities::BuildLookup() {
  int bits = 1;
  while ((size_t{1} << bits) < map_.size() * 2) ++bits;
  lookup_.assign(size_t{1} << bits, LookupSlot{kNoEntity, nullptr});
  lookup_shift_ = 64 - bits;
  const size_t mask = lookup_.size() - 1;
  // Whole lines each: FindAttr reads all of a block's first line.
  auto lines_for = [](const StoredEntity& e) {
    return (internal::EntityHot::SizeFor(e.attrs.size(), e.ancestor_list.size()) + 63) / 64;
  };
  size_t lines = 0;
  for (const auto& [uid, stored] : map_) lines += lines_for(stored);
  hot_.reset(static_cast<HotLine*>(
      internal::AllocateHotArray(lines * sizeof(HotLine))));
  size_t at = 0;
  for (const auto& [uid, stored] : map_) {
    auto* hot = new (&hot_[at]) internal::EntityHot{
        &stored, nullptr, static_cast<uint32_t>(stored.attrs.size()),
        static_cast<uint32_t>(stored.ancestor_list.size()), 0};
    at += lines_for(stored);
    auto* keys = const_cast<uint32_t*>(hot->attr_keys());
    for (size_t i = 0; i < stored.attrs.size(); ++i) keys[i] = stored.attrs[i].first.id();
    if (stored.attrs.size() % 2 == 1) keys[stored.attrs.size()] = 0;
    auto* ancestors = const_cast<uint64_t*>(hot->ancestors());
    for (size_t i = 0; i < stored.ancestor_list.size(); ++i) {
      ancestors[i] = stored.ancestor_list[i].packed();
    }
    hot->signature = internal::EntityHot::SignatureOf(uid, ancestors, hot->num_ancestors);
    auto* values = const_cast<Value*>(hot->values_start());
    for (size_t i = 0; i < stored.attrs.size(); ++i) {
      new (&values[i]) Value(stored.attrs[i].second);
    }
    hot->attrs = values;
    size_t i = LookupHome(uid.packed());
    while (lookup_[i].key != kNoEntity) i = (i + 1) & mask;
    lookup_[i] = LookupSlot{uid.packed(), hot};
  }
}

const internal::EntityHot* Entities::FindHotProbing(const EntityUid& uid,
                                                    const void** slot) const {
  const uint64_t key = uid.packed();
  const size_t mask = lookup_.size() - 1;
  for (size_t i = LookupHome(key);; i = (i + 1) & mask) {
    const LookupSlot& s = lookup_[i];
    if (s.key == key) {
      *slot = &s;
      return s.hot;
    }
    if (s.key == kNoEntity) break;
  }
  // Only a derived store (WithEntities) has a base; for the others this is
  // one predictable branch on a miss.
  if (base_ != nullptr) return base_->FindHot(uid, slot);
  *slot = nullptr;
  return nullptr;
}

bool Entities::IsIn(const EntityUid& a, const EntityUid& b) const {
  if (a == b) return true;
  const StoredEntity* e = Find(a);
  return e != nullptr && e->HasAncestor(b);
}

absl::StatusOr<Value> ValueFromJson(std::string_view json,
                                    const JsonOptions& options) {
  return internal::ValueFromJsonNested(json, options, 0);
}

namespace internal {

absl::StatusOr<Value> ValueFromJsonNested(std::string_view json,
                                          const JsonOptions& options,
                                          size_t outer_depth) {
  absl::StatusOr<Json> doc = ParseJsonText(json, options, JsonDepthFor(options, 0),
                                           "JSON value", /*entity_document=*/false);
  if (!doc.ok()) return doc.status();
  return JsonToValueNested(*doc, options, Where{}, outer_depth);
}

}  // namespace internal

absl::StatusOr<EntityUid> EntityUidFromJson(std::string_view json) {
  JsonOptions options;
  absl::StatusOr<Json> doc = internal::ParseJsonText(
      json, options, /*max_json_depth=*/4, "entity reference JSON",
      /*entity_document=*/false);
  if (!doc.ok()) return doc.status();
  return internal::JsonToEntityUid(*doc, /*allow_string=*/true, Where{});
}

std::string ValueToJson(const Value& value) {
  std::string out;
  internal::AppendValueJson(value, &out);
  return out;
}

}  // namespace arbiter
