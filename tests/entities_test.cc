// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The entity store: Entities::FromJson, Build, Find, IsIn, ancestors.

#include "arbiter/entities.h"

#include <catch2/catch.hpp>

#include <bit>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "arbiter/value.h"

namespace arbiter {
namespace {

using Catch::Contains;
using Catch::StartsWith;

std::string Msg(const absl::Status& s) { return std::string(s.message()); }
Symbol S(const char* s) { return Symbol::Intern(s); }
EntityUid U(const char* type, const char* id) {
  return EntityUid::Of(type, id);
}

std::shared_ptr<const Entities> Load(const std::string& json) {
  auto store = Entities::FromJson(json);
  INFO(json);
  if (!store.ok()) INFO(Msg(store.status()));
  REQUIRE(store.ok());
  return *store;
}

std::string LoadError(const std::string& json,
                      const JsonOptions& options = {}) {
  auto store = Entities::FromJson(json, options);
  INFO(json);
  REQUIRE_FALSE(store.ok());
  return Msg(store.status());
}

// `{"uid": T::"id", "attrs": {}, "parents": [...]}`.
std::string E(
    const std::string& type, const std::string& id,
    const std::vector<std::pair<std::string, std::string>>& parents = {}) {
  std::string s = R"({"uid": {"type": ")" + type + R"(", "id": ")" + id +
                  R"("}, "attrs": {}, "parents": [)";
  for (size_t i = 0; i < parents.size(); ++i) {
    if (i > 0) s += ", ";
    s += R"({"type": ")" + parents[i].first + R"(", "id": ")" +
         parents[i].second + R"("})";
  }
  return s + "]}";
}

std::string Array(const std::vector<std::string>& items) {
  std::string s = "[";
  for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + items[i];
  return s + "]";
}

TEST_CASE("entities: the header example", "[entities]") {
  auto store = Load(R"([
    {"uid": {"type": "User", "id": "alice"}, "attrs": {"level": 3},
     "parents": [{"type": "Group", "id": "admins"}]}
  ])");
  CHECK(store->size() == 1);
  const StoredEntity* alice = store->Find(U("User", "alice"));
  REQUIRE(alice != nullptr);
  CHECK(alice->uid == U("User", "alice"));
  REQUIRE(alice->FindAttr(S("level")) != nullptr);
  CHECK(*alice->FindAttr(S("level")) == Value::Long(3));
  CHECK(alice->FindAttr(S("nope")) == nullptr);
  CHECK(alice->parents == std::vector<EntityUid>{U("Group", "admins")});
  CHECK(alice->ancestors.contains(U("Group", "admins")));
  CHECK(alice->tags.empty());
  CHECK(store->Find(U("Group", "admins")) == nullptr);
  CHECK(store->IsIn(U("User", "alice"), U("Group", "admins")));
  CHECK(store->all().size() == 1);
}

TEST_CASE("entities: attributes, tags and uid forms", "[entities]") {
  auto store = Load(R"([
    {"uid": {"__entity": {"type": "Photos::Album", "id": "trip"}},
     "attrs": {
       "owner": {"__entity": {"type": "User", "id": "alice"}},
       "net": {"__extn": {"fn": "ip", "arg": "10.0.0.0/8"}},
       "address": {"zip": 12345, "city": "x"},
       "shared": [{"type": "User", "id": "bob"}],
       "count": -1
     },
     "parents": [{"__entity": {"type": "Photos::Account", "id": "a1"}},
                 {"type": "Photos::Account", "id": "a2"}],
     "tags": {"color": "red", "level": 2}}
  ])");
  const StoredEntity* album = store->Find(U("Photos::Album", "trip"));
  REQUIRE(album != nullptr);
  CHECK(album->attrs.size() == 5);
  CHECK(*album->FindAttr(S("owner")) == Value::Entity(U("User", "alice")));
  CHECK(album->FindAttr(S("net"))->is(ValueKind::kIpAddr));
  const Value* address = album->FindAttr(S("address"));
  REQUIRE(address != nullptr);
  CHECK(*address->FindField(S("zip")) == Value::Long(12345));
  // Without a schema, {"type", "id"} inside attributes is a record.
  const Value* shared = album->FindAttr(S("shared"));
  REQUIRE(shared->as_set().size() == 1);
  CHECK(shared->as_set()[0].is(ValueKind::kRecord));
  REQUIRE(album->FindTag(S("color")) != nullptr);
  CHECK(*album->FindTag(S("color")) == Value::String("red"));
  CHECK(*album->FindTag(S("level")) == Value::Long(2));
  CHECK(album->FindTag(S("owner")) == nullptr);
  CHECK(album->FindAttr(S("color")) == nullptr);
  CHECK(album->ancestors.size() == 2);
  // Attributes and tags are sorted by Symbol, so every lookup works.
  for (const auto& [name, value] : album->attrs) {
    CHECK(album->FindAttr(name) == &value);
  }
}

TEST_CASE("entities: required and unknown keys", "[entities]") {
  CHECK(LoadError(R"([{"attrs": {}, "parents": []}])") ==
        "entity 0: missing key `uid`");
  CHECK(LoadError(R"([{"uid": {"type": "A", "id": "a"}, "parents": []}])") ==
        "entity 0 (`A::\"a\"`): missing key `attrs`");
  CHECK(LoadError(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {}}])") ==
        "entity 0 (`A::\"a\"`): missing key `parents`");
  // Other members are ignored, as Cedar ignores them (cedar-wasm 4.13 reads
  // these); a misspelt required key still fails, as the key is missing.
  auto extra = Load(Array({E("A", "ok"),
                           R"({"uid": {"type": "A", "id": "a", "note": 1},
                               "attrs": {"n": 1}, "parents": [{"type": "A",
                               "id": "ok", "z": 2}], "parent": [], "x": {}})"}));
  const StoredEntity* a = extra->Find(U("A", "a"));
  REQUIRE(a != nullptr);
  CHECK(a->parents.size() == 1);
  CHECK(a->FindAttr(S("n")) != nullptr);
  CHECK(LoadError(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {},
                       "parent": []}])") ==
        "entity 0 (`A::\"a\"`): missing key `parents`");
  // tags is optional; null is not "absent".
  CHECK(Load(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {},
                  "parents": []}])")
            ->size() == 1);
  CHECK_THAT(LoadError(R"([{"uid": {"type": "A", "id": "a"}, "attrs": null,
                            "parents": []}])"),
             Contains("`attrs` must be an object, found `null`"));
  CHECK_THAT(LoadError(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {},
                            "parents": [], "tags": null}])"),
             Contains("`tags` must be an object, found `null`"));
  CHECK_THAT(LoadError(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {},
                            "parents": {}}])"),
             Contains("`parents` must be an array"));
}

TEST_CASE("entities: uid and parent errors", "[entities]") {
  CHECK_THAT(LoadError(R"([{"uid": "A::\"a\"", "attrs": {}, "parents": []}])"),
             StartsWith("entity 0: `uid`: expected an entity reference"));
  CHECK_THAT(LoadError(R"([{"uid": {"type": "in", "id": "a"}, "attrs": {},
                            "parents": []}])"),
             StartsWith("entity 0: `uid`: invalid entity type name `in`"));
  CHECK_THAT(LoadError(R"([{"uid": {"type": "A"}, "attrs": {},
                            "parents": []}])"),
             StartsWith("entity 0: `uid`: entity reference is missing `id`"));
  CHECK_THAT(LoadError(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {},
                            "parents": [{"type": "G", "id": "g"}, 7]}])"),
             StartsWith("entity 0 (`A::\"a\"`): parent 1: expected an entity "
                        "reference"));
  CHECK_THAT(LoadError(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {},
                            "parents": [{"type": "G::", "id": "g"}]}])"),
             StartsWith("entity 0 (`A::\"a\"`): parent 0: invalid entity "
                        "type name `G::`"));
}

TEST_CASE("entities: attribute errors name entity and path", "[entities]") {
  CHECK_THAT(
      LoadError(Array({E("User", "bob"), E("User", "carol"), E("User", "dan"),
                       R"({"uid": {"type": "User", "id": "alice"},
                                  "attrs": {"address": {"zip": 1.5}},
                                  "parents": []})"})),
      StartsWith("entity 3 (`User::\"alice\"`): attribute "
                 "`address.zip`: expected a long, found `1.5`"));
  CHECK_THAT(
      LoadError(R"([{"uid": {"type": "A", "id": "a"},
                            "attrs": {"s": [1, null]}, "parents": []}])"),
      StartsWith("entity 0 (`A::\"a\"`): attribute `s[1]`: found `null`"));
  CHECK_THAT(LoadError(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {},
                            "parents": [], "tags": {"t": {"x": 1e3}}}])"),
             StartsWith("entity 0 (`A::\"a\"`): tag `t.x`: expected a long"));
  CHECK_THAT(LoadError(R"([{"uid": {"type": "A", "id": "a"},
                            "attrs": {"ip": {"__extn": {"fn": "ip",
                                                        "arg": "bad"}}},
                            "parents": []}])"),
             StartsWith("entity 0 (`A::\"a\"`): attribute `ip`: "));
  CHECK_THAT(LoadError(R"([{"uid": {"type": "A", "id": "a"},
                            "attrs": {"n": 99999999999999999999},
                            "parents": []}])"),
             StartsWith("entity 0 (`A::\"a\"`): attribute `n`: "));
  CHECK_THAT(LoadError(R"([{"uid": {"type": "A", "id": "a"},
                            "attrs": {"e": {"__expr": "1"}}, "parents": []}])"),
             Contains("`__expr` escape is no longer supported"));
}

TEST_CASE("entities: duplicate keys name the entity", "[entities]") {
  CHECK(LoadError(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {},
                       "attrs": {}, "parents": []}])") ==
        "entity 0: duplicate key `attrs`");
  CHECK(LoadError(Array({E("A", "a"),
                         R"({"uid": {"type": "A", "id": "b"},
                             "attrs": {"x": 1, "x": 2}, "parents": []})"})) ==
        "entity 1: `attrs`: duplicate key `x`");
  CHECK(LoadError(R"([{"uid": {"type": "A", "id": "a", "id": "b"}, "attrs": {},
                       "parents": []}])") ==
        "entity 0: `uid`: duplicate key `id`");
  CHECK(LoadError(R"([{"uid": {"type": "A", "id": "a"},
                       "attrs": {"r": {"k": 1, "k": 1}}, "parents": []}])") ==
        "entity 0: attribute `r`: duplicate key `k`");
}

// Entities are read one at a time as the text is parsed (the whole
// document's tree never exists at once), but what is reported is what a
// parse of the whole document followed by a read of each entity reports:
// the JSON's own errors anywhere in the text first, then the first entity
// that cannot be read, each at the right position.
TEST_CASE("entities: read one at a time, the JSON's errors first",
          "[entities]") {
  const std::string ok0 = E("A", "a"), ok1 = E("A", "b");
  const std::string bad = R"({"uid": {"type": "A", "id": "c"}, "parents": []})";
  // The first unreadable entity, by its position among all of them.
  CHECK(LoadError(Array({ok0, ok1, bad, E("A", "d")})) ==
        "entity 2 (`A::\"c\"`): missing key `attrs`");
  CHECK_THAT(LoadError(Array({ok0, bad, "1"})), StartsWith("entity 1 "));
  CHECK_THAT(LoadError("[1, 2]"),
             StartsWith("entity 0: expected an object with `uid`"));
  // A syntax error after an unreadable entity wins, wherever it is.
  CHECK_THAT(LoadError("[" + ok0 + ", " + bad + ", " + ok1 + ", {\"uid\": x}]"),
             StartsWith("entities JSON: invalid JSON at line 1"));
  CHECK_THAT(LoadError("[" + bad + ", " + ok1 + ", "),
             StartsWith("entities JSON: invalid JSON"));
  // So do a duplicate key and too deep a nesting, named by their own
  // entity's position, with entities before them already read.
  CHECK(LoadError(Array({ok0, bad, ok1,
                         R"({"uid": {"type": "A", "id": "e"}, "attrs": {},
                             "attrs": {}, "parents": []})"})) ==
        "entity 3: duplicate key `attrs`");
  JsonOptions shallow;
  shallow.max_depth = 2;
  std::string deep(20, '[');
  CHECK_THAT(LoadError(Array({ok0, bad, ok1,
                              R"({"uid": {"type": "A", "id": "e"},
                                  "attrs": {"x": )" +
                                  deep}),
                       shallow),
             StartsWith("entity 3: attribute `x[0]"));
  // Elements of nested arrays are not entities: only the top level's are.
  auto store = Load(Array({R"({"uid": {"type": "A", "id": "s"},
                               "attrs": {"v": [[1, 2], [3]]}, "parents": []})",
                           ok1}));
  CHECK(store->size() == 2);
  const Value* v = store->Find(U("A", "s"))->FindAttr(S("v"));
  REQUIRE(v != nullptr);
  CHECK(v->as_set().size() == 2);
  // Many entities, each read after its predecessor was freed.
  std::vector<std::string> many;
  for (int i = 0; i < 5000; ++i) {
    std::string id = std::to_string(i);
    id.insert(id.begin(), 'm');
    many.push_back(i == 0 ? E("A", id) : E("A", id, {{"A", "m0"}}));
  }
  auto big = Load(Array(many));
  CHECK(big->size() == 5000);
  const StoredEntity* last = big->Find(U("A", "m4999"));
  REQUIRE(last != nullptr);
  CHECK(last->parents.size() == 1);
}

TEST_CASE("entities: document shape and garbage", "[entities]") {
  CHECK(Load("[]")->size() == 0);
  CHECK_THAT(LoadError("{}"),
             StartsWith("entities JSON must be an array of entities"));
  CHECK_THAT(LoadError("[1]"),
             StartsWith("entity 0: expected an object with `uid`"));
  CHECK_THAT(LoadError("[{}, "), StartsWith("entities JSON: invalid JSON at"));
  CHECK_THAT(LoadError(""), StartsWith("entities JSON: invalid JSON"));
  CHECK_THAT(LoadError("[\n{\"uid\": x}]"),
             StartsWith("entities JSON: invalid JSON at line 2"));

  const std::string doc = Array(
      {E("User", "alice", {{"Group", "g"}}), E("Group", "g", {{"Org", "o"}}),
       R"({"uid": {"__entity": {"type": "T", "id": "t"}}, "attrs": {"a":
          [1, {"b": {"__extn": {"fn": "decimal", "arg": "1.25"}}}]},
          "parents": [], "tags": {"k": "v"}})"});
  REQUIRE(Entities::FromJson(doc).ok());
  for (size_t n = 0; n < doc.size(); ++n) {
    (void)Entities::FromJson(doc.substr(0, n));
  }
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string s = doc;
    for (int e = 0; e < 3; ++e) {
      size_t pos = rng() % s.size();
      if (rng() % 2) {
        s[pos] = "{}[]\",:ax0_"[rng() % 11];
      } else {
        s.erase(pos, 1 + rng() % 8);
      }
      if (s.empty()) s.push_back('[');
    }
    (void)Entities::FromJson(s);
  }
  SUCCEED();
}

TEST_CASE("entities: limits", "[entities]") {
  JsonOptions small;
  small.max_bytes = 16;
  auto too_big = Entities::FromJson(Array({E("A", "a")}), small);
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.status().code() == absl::StatusCode::kResourceExhausted);
  CHECK_THAT(Msg(too_big.status()), Contains("JsonOptions::max_bytes"));

  JsonOptions shallow;
  shallow.max_depth = 2;
  CHECK(Entities::FromJson(R"([{"uid": {"type": "A", "id": "a"},
                                "attrs": {"x": [[1]]}, "parents": []}])",
                           shallow)
            .ok());
  CHECK_THAT(LoadError(R"([{"uid": {"type": "A", "id": "a"},
                            "attrs": {"x": {"y": [[1]]}}, "parents": []}])",
                       shallow),
             StartsWith("entity 0 (`A::\"a\"`): attribute `x.y[0]`: sets, "
                        "records and extension calls nested deeper than 2"));
  // Absurd nesting stops in the parser, with the entity named.
  std::string deep(100000, '[');
  CHECK_THAT(
      LoadError(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {"x": )" + deep),
      StartsWith("entity 0: attribute `x[0][0]"));
}

TEST_CASE("entities: duplicate uids", "[entities]") {
  // The same entity twice is accepted once, as in Cedar.
  auto store = Load(Array(
      {R"({"uid": {"type": "A", "id": "a"}, "attrs": {"s": [1, 2]},
           "parents": [{"type": "B", "id": "b"}, {"type": "C", "id": "c"}]})",
       R"({"uid": {"__entity": {"type": "A", "id": "a"}}, "attrs": {"s": [2, 1]},
           "parents": [{"type": "C", "id": "c"}, {"type": "B", "id": "b"}]})"}));
  CHECK(store->size() == 1);

  CHECK(
      LoadError(Array({E("A", "a"), E("B", "b"), E("A", "a", {{"B", "b"}})})) ==
      "entity 2 (`A::\"a\"`): duplicate uid with different contents, "
      "first given as entity 0");
  CHECK_THAT(
      LoadError(Array({R"({"uid": {"type": "A", "id": "a"}, "attrs": {"x": 1},
                           "parents": []})",
                       R"({"uid": {"type": "A", "id": "a"}, "attrs": {"x": 2},
                           "parents": []})"})),
      StartsWith("entity 1 (`A::\"a\"`): duplicate uid"));
  CHECK_THAT(LoadError(Array({R"({"uid": {"type": "A", "id": "a"}, "attrs": {},
                           "parents": [], "tags": {"t": 1}})",
                              E("A", "a")})),
             StartsWith("entity 1 (`A::\"a\"`): duplicate uid"));
  // Same id, different type: different entities.
  CHECK(Load(Array({E("A", "x"), E("B", "x")}))->size() == 2);
}

TEST_CASE("entities: ancestors are the transitive closure", "[entities]") {
  // a → b → c → d (chain), listed children-first and parents-first.
  for (bool reversed : {false, true}) {
    std::vector<std::string> items = {E("T", "a", {{"T", "b"}}),
                                      E("T", "b", {{"T", "c"}}),
                                      E("T", "c", {{"T", "d"}}), E("T", "d")};
    if (reversed) std::reverse(items.begin(), items.end());
    auto store = Load(Array(items));
    const StoredEntity* a = store->Find(U("T", "a"));
    REQUIRE(a != nullptr);
    CHECK(a->ancestors.size() == 3);
    CHECK(a->parents.size() == 1);
    CHECK(store->IsIn(U("T", "a"), U("T", "d")));
    CHECK(store->IsIn(U("T", "b"), U("T", "d")));
    CHECK_FALSE(store->IsIn(U("T", "d"), U("T", "a")));
    CHECK(store->Find(U("T", "d"))->ancestors.empty());
    CHECK_FALSE(a->ancestors.contains(U("T", "a")));
  }
}

TEST_CASE("entities: diamonds", "[entities]") {
  //      top
  //     /   \      .
  //   left  right
  //     \   /
  //     bottom → other (not in the store) → (its parents are unknown)
  auto store = Load(
      Array({E("N", "bottom", {{"N", "left"}, {"N", "right"}, {"X", "other"}}),
             E("N", "left", {{"N", "top"}}), E("N", "right", {{"N", "top"}}),
             E("N", "top")}));
  const StoredEntity* bottom = store->Find(U("N", "bottom"));
  REQUIRE(bottom != nullptr);
  CHECK(bottom->ancestors.size() == 4);
  CHECK(bottom->ancestors.contains(U("N", "top")));
  CHECK(bottom->ancestors.contains(U("X", "other")));
  CHECK(store->IsIn(U("N", "bottom"), U("N", "top")));
  CHECK(store->IsIn(U("N", "bottom"), U("X", "other")));
  CHECK_FALSE(store->IsIn(U("N", "left"), U("N", "right")));
  CHECK(store->Find(U("N", "left"))->ancestors.size() == 1);
}

TEST_CASE("entities: parents outside the store are ancestors", "[entities]") {
  auto store = Load(
      Array({E("User", "u", {{"Group", "g"}}), E("Doc", "d", {{"Folder", "f"}}),
             E("Folder", "f", {{"Group", "missing"}})}));
  CHECK(store->IsIn(U("User", "u"), U("Group", "g")));
  CHECK(store->IsIn(U("Doc", "d"), U("Group", "missing")));
  // The missing group is not in the store, so it is only in itself.
  CHECK(store->Find(U("Group", "g")) == nullptr);
  CHECK(store->IsIn(U("Group", "g"), U("Group", "g")));
  CHECK_FALSE(store->IsIn(U("Group", "g"), U("User", "u")));
}

TEST_CASE("entities: IsIn semantics", "[entities]") {
  auto store = Load(Array({E("A", "a", {{"B", "b"}}), E("B", "b")}));
  CHECK(store->IsIn(U("A", "a"), U("A", "a")));
  CHECK(store->IsIn(U("A", "a"), U("B", "b")));
  CHECK_FALSE(store->IsIn(U("B", "b"), U("A", "a")));
  // Absent entities are in themselves only.
  CHECK(store->IsIn(U("Z", "z"), U("Z", "z")));
  CHECK_FALSE(store->IsIn(U("Z", "z"), U("B", "b")));
  CHECK_FALSE(store->IsIn(U("A", "a"), U("Z", "z")));
  // Same id, different type is a different entity.
  CHECK_FALSE(store->IsIn(U("A", "a"), U("C", "b")));
}

TEST_CASE("entities: cycles are errors and never hang", "[entities]") {
  CHECK(LoadError(Array({E("A", "a", {{"A", "a"}})})) ==
        "entity 0 (`A::\"a\"`): the parent hierarchy has a cycle through "
        "this entity");
  CHECK_THAT(
      LoadError(Array({E("A", "a", {{"B", "b"}}), E("B", "b", {{"A", "a"}})})),
      Contains("the parent hierarchy has a cycle through this entity"));
  // A long cycle with a tail hanging below it: the entity named is on the
  // cycle, not on the tail.
  std::vector<std::string> items;
  items.push_back(E("Tail", "t0", {{"Tail", "t1"}}));
  items.push_back(E("Tail", "t1", {{"Ring", "r0"}}));
  const int ring = 50;
  for (int i = 0; i < ring; ++i) {
    items.push_back(E("Ring", absl::StrCat("r", i),
                      {{"Ring", absl::StrCat("r", (i + 1) % ring)}}));
  }
  std::string msg = LoadError(Array(items));
  CHECK_THAT(msg, Contains("(`Ring::"));
  CHECK_THAT(msg, Contains("cycle"));
}

TEST_CASE("entities: deep hierarchies need no recursion", "[entities]") {
  std::vector<Entity> chain;
  const int n = 3000;
  for (int i = 0; i < n; ++i) {
    Entity e;
    e.uid = EntityUid::Of("Level", std::to_string(i));
    if (i + 1 < n)
      e.parents.push_back(EntityUid::Of("Level", std::to_string(i + 1)));
    chain.push_back(std::move(e));
  }
  auto store = Entities::Build(std::move(chain));
  REQUIRE(store.ok());
  const StoredEntity* bottom = (*store)->Find(EntityUid::Of("Level", "0"));
  REQUIRE(bottom != nullptr);
  CHECK(bottom->ancestors.size() == n - 1);
  CHECK((*store)->IsIn(EntityUid::Of("Level", "0"),
                       EntityUid::Of("Level", std::to_string(n - 1))));
}

// The decision path reads entities through their EntityHot blocks; they
// must answer exactly as the StoredEntity does, for every count of
// attributes (odd and even: the names are padded) and ancestors (scan up
// to 16, binary search beyond), and in a store made by WithEntities.
TEST_CASE("entities: decision-path blocks agree with the stored entities", "[entities]") {
  std::mt19937 rng(7);
  std::vector<Symbol> names;
  for (int i = 0; i < 40; ++i) names.push_back(S(absl::StrCat("hot_attr_", i).c_str()));
  std::vector<Entity> all;
  // A chain of 40 groups, so a member of group k has 40 - k ancestors.
  for (int k = 0; k < 40; ++k) {
    Entity g;
    g.uid = EntityUid::Of("HotGroup", std::to_string(k));
    if (k + 1 < 40) g.parents.push_back(EntityUid::Of("HotGroup", std::to_string(k + 1)));
    all.push_back(std::move(g));
  }
  for (int i = 0; i < 60; ++i) {
    Entity e;
    e.uid = EntityUid::Of("HotUser", std::to_string(i));
    for (const Symbol& n : names) {
      if (static_cast<int>(rng() % 40) < i % 41) e.attrs.emplace_back(n, Value::Long(i));
    }
    e.parents.push_back(EntityUid::Of("HotGroup", std::to_string(rng() % 40)));
    all.push_back(std::move(e));
  }
  auto base = Entities::Build(all);
  REQUIRE(base.ok());
  auto derived = Entities::WithEntities(
      *base, {Entity{EntityUid::Of("HotExtra", "x"),
                     {{names[3], Value::Bool(true)}},
                     {EntityUid::Of("HotGroup", "5")},
                     {}}});
  REQUIRE(derived.ok());
  std::vector<EntityUid> probes;
  for (const Entity& e : all) probes.push_back(e.uid);
  probes.push_back(EntityUid::Of("HotExtra", "x"));
  probes.push_back(EntityUid::Of("HotUser", "absent"));
  size_t compared = 0;
  bool saw_many_attrs = false, saw_many_ancestors = false;
  // Every count of names that fits the block's first line (FindAttr
  // compares those at once, the rest masked off), and more.
  std::set<uint32_t> attr_counts;
  for (const Entities* store : {base->get(), derived->get()}) {
    for (const EntityUid& uid : probes) {
      const StoredEntity* e = store->Find(uid);
      const internal::EntityHot* h = store->FindHot(uid);
      INFO(uid.ToString());
      REQUIRE((e == nullptr) == (h == nullptr));
      if (e == nullptr) continue;
      CHECK(h->entity == e);
      CHECK(reinterpret_cast<uintptr_t>(h) % 64 == 0);
      REQUIRE(h->num_attrs == e->attrs.size());
      REQUIRE(h->num_ancestors == e->ancestor_list.size());
      saw_many_attrs |= h->num_attrs > 16;
      attr_counts.insert(h->num_attrs);
      saw_many_ancestors |= h->num_ancestors > 16;
      // The block answers with its own copies of the values, kept inside
      // it (one allocation a lookup reads, see EntityHot).
      const char* block = reinterpret_cast<const char*>(h);
      const size_t block_size =
          internal::EntityHot::SizeFor(h->num_attrs, h->num_ancestors);
      for (const Symbol& n : names) {
        const Value* from_block = h->FindAttr(n);
        const Value* from_entity = e->FindAttr(n);
        REQUIRE((from_block == nullptr) == (from_entity == nullptr));
        if (from_block == nullptr) continue;
        CHECK(*from_block == *from_entity);
        const char* at = reinterpret_cast<const char*>(from_block);
        CHECK(at >= block + sizeof(internal::EntityHot));
        CHECK(at + sizeof(Value) <= block + block_size);
      }
      CHECK(h->FindAttr(S("hot_attr_never_set")) == nullptr);
      // Names that are also the halves of an ancestor's packed uid, which
      // follow the names in the block: found only as names.
      for (const EntityUid& a : e->ancestor_list) {
        CHECK(h->FindAttr(a.type) == e->FindAttr(a.type));
        CHECK(h->FindAttr(a.id) == e->FindAttr(a.id));
      }
      for (const EntityUid& a : probes) {
        CHECK(h->HasAncestor(a) == e->HasAncestor(a));
      }
      // The signature holds the bits of the uid, its type and every
      // ancestor (a clear bit must prove absence), and few others: with a
      // handful of ancestors most bits stay clear, or it would filter
      // nothing.
      using internal::EntityHot;
      CHECK((h->signature & EntityHot::SignatureBit(uid.packed())) != 0);
      CHECK((h->signature & EntityHot::SignatureBit(EntityHot::TypeKey(uid.type))) != 0);
      for (const EntityUid& a : e->ancestor_list) {
        CHECK((h->signature & EntityHot::SignatureBit(a.packed())) != 0);
      }
      CHECK(std::popcount(h->signature) <= static_cast<int>(h->num_ancestors) + 2);
      ++compared;
    }
  }
  CHECK(compared == 2 * all.size() + 1);
  CHECK(saw_many_attrs);
  CHECK(saw_many_ancestors);
  for (uint32_t n = 0; n <= internal::EntityHot::kNamesInFirstLine + 1; ++n) {
    INFO("blocks with " << n << " attributes");
    CHECK(attr_counts.count(n) == 1);
  }
}

TEST_CASE("entities: Build normalizes its input", "[entities]") {
  Entity e;
  e.uid = U("User", "u");
  // Attributes out of Symbol order, with a repeated key (the last wins).
  Symbol late = Symbol::Intern("build_test_late_symbol");
  Symbol early = Symbol::Intern("build_test_early_symbol");
  e.attrs = {
      {late, Value::Long(1)}, {early, Value::Long(2)}, {late, Value::Long(3)}};
  e.tags = {{late, Value::Bool(true)}, {early, Value::Bool(false)}};
  e.parents = {U("G", "g"), U("G", "g"), U("G", "h")};
  auto store = Entities::Build({e});
  REQUIRE(store.ok());
  const StoredEntity* u = (*store)->Find(U("User", "u"));
  REQUIRE(u != nullptr);
  REQUIRE(u->FindAttr(late) != nullptr);
  CHECK(*u->FindAttr(late) == Value::Long(3));
  CHECK(*u->FindAttr(early) == Value::Long(2));
  CHECK(*u->FindTag(early) == Value::Bool(false));
  CHECK(u->parents.size() == 2);
  CHECK(u->ancestors.size() == 2);

  Entity other;
  other.uid = U("User", "u");
  auto dup = Entities::Build({e, other});
  REQUIRE_FALSE(dup.ok());
  CHECK_THAT(Msg(dup.status()),
             StartsWith("entity 1 (`User::\"u\"`): duplicate"));
  CHECK(Entities::Build({}).ok());
}

TEST_CASE("entities: Empty", "[entities]") {
  auto empty = Entities::Empty();
  REQUIRE(empty != nullptr);
  CHECK(empty->size() == 0);
  CHECK(empty == Entities::Empty());
  CHECK(empty->Find(U("A", "a")) == nullptr);
  // Its lookup table is never built: two empty slots, probed as any.
  for (int i = 0; i < 16; ++i) {
    CHECK(empty->FindHot(EntityUid::Of("A", std::to_string(i))) == nullptr);
  }
  CHECK(empty->lookup_size() == 2);
  CHECK(empty->IsIn(U("A", "a"), U("A", "a")));
  CHECK_FALSE(empty->IsIn(U("A", "a"), U("B", "b")));
}

TEST_CASE("entities: action parents must be actions", "[entities]") {
  CHECK(Load(Array({E("Action", "read", {{"Action", "all"}}),
                    E("NS::Action", "write", {{"NS::Action", "all"}}),
                    E("User", "u", {{"Action", "x"}})}))
            ->size() == 3);
  CHECK(LoadError(Array({E("Action", "read", {{"Group", "g"}})})) ==
        "entity 0 (`Action::\"read\"`): parent 0: an action can only have "
        "actions as parents, found `Group::\"g\"`");
}

TEST_CASE("entities: ids may be any string", "[entities]") {
  auto store = Load(R"([{"uid": {"type": "A", "id": "with \"quotes\" and \\"},
                         "attrs": {}, "parents": [{"type": "A", "id": ""}]},
                        {"uid": {"type": "A", "id": ""}, "attrs": {},
                         "parents": []}])");
  CHECK(store->IsIn(U("A", "with \"quotes\" and \\"), U("A", "")));
  CHECK_THAT(
      LoadError(R"([{"uid": {"type": "A", "id": "x\ny"}, "attrs": {"v": 1.5},
                            "parents": []}])"),
      StartsWith("entity 0 (`A::\"x\\ny\"`)"));
}

TEST_CASE("entities: round trip of attribute values", "[entities]") {
  auto store = Load(R"([{"uid": {"type": "A", "id": "a"}, "attrs": {
      "e": {"__entity": {"type": "B", "id": "b"}},
      "x": [{"__extn": {"fn": "duration", "arg": "90m"}}, "s", {"r": false}]},
      "parents": []}])");
  for (const auto& [name, value] : store->Find(U("A", "a"))->attrs) {
    absl::StatusOr<Value> back = ValueFromJson(ValueToJson(value));
    REQUIRE(back.ok());
    CHECK(*back == value);
  }
}

#ifdef ARBITER_SOURCE_DIR
TEST_CASE("entities: shared sample data loads", "[entities]") {
  namespace fs = std::filesystem;
  const fs::path shared = fs::path(ARBITER_SOURCE_DIR) / ".." / "shared";
  std::vector<fs::path> files;
  for (const char* dir : {"cedar-conformance/sample-data", "workloads"}) {
    std::error_code ec;
    for (const auto& sub : fs::directory_iterator(shared / dir, ec)) {
      fs::path f = sub.path() / "entities.json";
      if (fs::exists(f)) files.push_back(f);
    }
  }
  if (files.empty()) WARN("no shared sample data found; skipped");
  for (const fs::path& f : files) {
    std::ifstream in(f);
    std::stringstream text;
    text << in.rdbuf();
    auto store = Entities::FromJson(text.str());
    INFO(f.string());
    if (!store.ok()) INFO(Msg(store.status()));
    CHECK(store.ok());
  }
}
#endif

TEST_CASE("entities: lookups, and equal strings stored once", "[entities]") {
  auto store = Entities::FromJson(R"([
    {"uid": {"type": "Doc", "id": "a"},
     "attrs": {"class": "secret", "owner": "ann", "note": "shared by both documents, long"},
     "parents": [{"type": "Folder", "id": "f"}]},
    {"uid": {"type": "Doc", "id": "b"},
     "attrs": {"class": "secret", "owner": "bob", "note": "shared by both documents, long"},
     "parents": [{"type": "Folder", "id": "f"}],
     "tags": {"note": "shared by both documents, long"}},
    {"uid": {"type": "Folder", "id": "f"}, "attrs": {}, "parents": []}
  ])");
  REQUIRE(store.ok());
  const Entities& e = **store;
  const StoredEntity* a = e.Find(EntityUid::Of("Doc", "a"));
  const StoredEntity* b = e.Find(EntityUid::Of("Doc", "b"));
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(e.Find(EntityUid::Of("Doc", "c")) == nullptr);
  CHECK(e.Find(EntityUid::Of("Folder", "a")) == nullptr);  // same id, other type
  CHECK(e.IsIn(EntityUid::Of("Doc", "a"), EntityUid::Of("Folder", "f")));
  const Symbol cls = Symbol::Intern("class");
  const Symbol owner = Symbol::Intern("owner");
  const Symbol note = Symbol::Intern("note");
  // Equal long values share one string buffer; short ones are stored in
  // the Value itself; each entity reads its own.
  CHECK(a->FindAttr(note)->as_string() == "shared by both documents, long");
  CHECK(a->FindAttr(note)->as_string().data() == b->FindAttr(note)->as_string().data());
  CHECK(b->FindTag(note)->as_string().data() == a->FindAttr(note)->as_string().data());
  const Value* short_class = a->FindAttr(cls);
  CHECK(short_class->as_string() == "secret");
  CHECK(static_cast<const void*>(short_class->as_string().data()) >=
        static_cast<const void*>(short_class));
  CHECK(static_cast<const void*>(short_class->as_string().data()) <
        static_cast<const void*>(short_class + 1));
  CHECK(a->FindAttr(owner)->as_string() == "ann");
  CHECK(b->FindAttr(owner)->as_string() == "bob");
  // Every uid of a larger store is found (probe collisions included).
  std::string json = "[";
  for (int i = 0; i < 5000; ++i) {
    if (i > 0) json += ",";
    json += R"({"uid": {"type": "U", "id": "u)" + std::to_string(i) +
            R"("}, "attrs": {"n": )" + std::to_string(i) + R"(}, "parents": []})";
  }
  json += "]";
  auto many = Entities::FromJson(json);
  REQUIRE(many.ok());
  for (int i = 0; i < 5000; ++i) {
    const StoredEntity* u = (*many)->Find(EntityUid::Of("U", absl::StrCat("u", i)));
    REQUIRE(u != nullptr);
    CHECK(u->FindAttr(Symbol::Intern("n"))->as_long() == i);
  }
  CHECK((*many)->Find(EntityUid::Of("U", "u5000")) == nullptr);
  CHECK(Entities::Empty()->Find(EntityUid::Of("U", "u1")) == nullptr);
}

}  // namespace
}  // namespace arbiter
