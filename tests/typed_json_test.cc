// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Schema-directed JSON: EntitiesFromJson and ContextFromJson, one section
// per rule, each with accepted and rejected input.

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "arbiter/entities.h"
#include "arbiter/schema.h"
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

constexpr const char* kSchema = R"(
  entity Group;
  entity UserGroup in [Group];
  entity Color enum ["red", "blue"];
  entity User in [UserGroup, Color] = {
    name: String,
    age?: Long,
    ip?: ipaddr,
    score?: decimal,
    when?: datetime,
    span?: duration,
    manager?: User,
    groups?: Set<UserGroup>,
    favorite?: Color,
    address?: { street: String, zip?: Long },
    nicknames?: Set<String>,
  };
  entity Doc tags String;
  entity Badge tags Set<ipaddr>;
  action all;
  action read in [all] appliesTo {
    principal: [User], resource: [Doc],
    context: { ip: ipaddr, level?: Long, who?: User, colors?: Set<Color> }
  };
  action write in [read];
  action none;
)";

std::shared_ptr<const Schema> TestSchema() {
  static const std::shared_ptr<const Schema> schema = [] {
    auto s = Schema::Parse(kSchema);
    if (!s.ok()) FAIL(Msg(s.status()));
    return *s;
  }();
  return schema;
}

std::shared_ptr<const Entities> Load(const std::string& json,
                                     const Schema& schema = *TestSchema()) {
  auto store = EntitiesFromJson(json, schema);
  INFO(json);
  if (!store.ok()) INFO(Msg(store.status()));
  REQUIRE(store.ok());
  return *store;
}

std::string LoadError(const std::string& json,
                      const Schema& schema = *TestSchema(),
                      const JsonOptions& options = {}) {
  auto store = EntitiesFromJson(json, schema, options);
  INFO(json);
  REQUIRE_FALSE(store.ok());
  return Msg(store.status());
}

// One User entity `alice` with `attrs` (a JSON object's members).
std::string Alice(const std::string& attrs, const std::string& parents = "") {
  return R"([{"uid": {"type": "User", "id": "alice"}, "attrs": {)" + attrs +
         R"(}, "parents": [)" + parents + "]}]";
}

const Value& Attr(const Entities& store, const EntityUid& uid,
                  const char* name) {
  const StoredEntity* e = store.Find(uid);
  REQUIRE(e != nullptr);
  const Value* v = e->FindAttr(S(name));
  REQUIRE(v != nullptr);
  return *v;
}

TEST_CASE("typed entities: values are read by their declared types",
          "[typed_json]") {
  auto store = Load(Alice(R"(
      "name": "Alice", "age": 30,
      "ip": "10.0.0.1", "score": "0.6", "when": "2024-01-01",
      "span": "1h30m",
      "manager": {"type": "User", "id": "bob"},
      "groups": [{"type": "UserGroup", "id": "g1"},
                 {"__entity": {"type": "UserGroup", "id": "g2"}}],
      "favorite": {"type": "Color", "id": "red"},
      "address": {"street": "Main", "zip": 12345},
      "nicknames": [])"));
  const EntityUid alice = U("User", "alice");
  CHECK(Attr(*store, alice, "name") == Value::String("Alice"));
  CHECK(Attr(*store, alice, "ip").is(ValueKind::kIpAddr));
  CHECK(Attr(*store, alice, "score").as_decimal().scaled == 6000);
  CHECK(Attr(*store, alice, "when").is(ValueKind::kDatetime));
  CHECK(Attr(*store, alice, "span").as_duration().ms == 5'400'000);
  CHECK(Attr(*store, alice, "manager") == Value::Entity(U("User", "bob")));
  CHECK(Attr(*store, alice, "groups") ==
        Value::Set({Value::Entity(U("UserGroup", "g1")),
                    Value::Entity(U("UserGroup", "g2"))}));
  CHECK(Attr(*store, alice, "address") ==
        Value::Record({{S("street"), Value::String("Main")},
                       {S("zip"), Value::Long(12345)}}));
  CHECK(Attr(*store, alice, "nicknames") == Value::Set({}));
}

TEST_CASE("typed entities: extension values in every accepted form",
          "[typed_json]") {
  auto store = Load(Alice(R"(
      "name": "A",
      "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.0/8"}},
      "score": {"fn": "decimal", "arg": "1.5"})"));
  const EntityUid alice = U("User", "alice");
  CHECK(Attr(*store, alice, "ip").as_ip().prefix == 8);
  CHECK(Attr(*store, alice, "score").as_decimal().scaled == 15000);

  CHECK(LoadError(Alice(R"("name": "A", "ip": "10.0.0.300")")) ==
        "entity 0 (`User::\"alice\"`): attribute `ip`: calling `ip`: "
        "invalid IP address: `10.0.0.300`");
  CHECK(LoadError(Alice(R"("name": "A", "score": "0.6x")")) ==
        "entity 0 (`User::\"alice\"`): attribute `score`: calling "
        "`decimal`: `0.6x` is not a well-formed decimal value");
  // An escape of the wrong extension type.
  CHECK(
      LoadError(Alice(
          R"("name": "A", "ip": {"__extn": {"fn": "decimal", "arg": "1.0"}})")) ==
      "entity 0 (`User::\"alice\"`): attribute `ip`: type mismatch: "
      "expected `ipaddr`, found a decimal `decimal(\"1.0000\")`");
}

TEST_CASE("typed entities: the entity type must be declared", "[typed_json]") {
  CHECK(LoadError(R"([{"uid": {"type": "Nope", "id": "x"}, "attrs": {},
                       "parents": []}])") ==
        "entity 0 (`Nope::\"x\"`): entity type `Nope` is not declared in "
        "the schema");
  auto ns = Schema::Parse("namespace App { entity User; }");
  REQUIRE(ns.ok());
  CHECK(LoadError(R"([{"uid": {"type": "User", "id": "x"}, "attrs": {},
                       "parents": []}])",
                  **ns) ==
        "entity 0 (`User::\"x\"`): entity type `User` is not declared in the "
        "schema; did you mean `App::User`?");
  Load(R"([{"uid": {"type": "App::User", "id": "x"}, "attrs": {},
            "parents": []}])",
       **ns);
}

TEST_CASE("typed entities: ids of enumerated types", "[typed_json]") {
  Load(R"([{"uid": {"type": "Color", "id": "blue"}, "attrs": {},
            "parents": []}])");
  CHECK(LoadError(R"([{"uid": {"type": "Color", "id": "green"}, "attrs": {},
                       "parents": []}])") ==
        "entity 0 (`Color::\"green\"`): entity `Color::\"green\"` is of an "
        "enumerated entity type, but `\"green\"` is not declared as a valid "
        "eid (valid eids: `\"red\"`, `\"blue\"`)");
  // In attribute values and parents too.
  CHECK(LoadError(Alice(
            R"("name": "A", "favorite": {"type": "Color", "id": "green"})")) ==
        "entity 0 (`User::\"alice\"`): attribute `favorite`: entity "
        "`Color::\"green\"` is of an enumerated entity type, but `\"green\"` "
        "is not declared as a valid eid (valid eids: `\"red\"`, `\"blue\"`)");
  Load(Alice(R"("name": "A")", R"({"type": "Color", "id": "red"})"));
  CHECK_THAT(
      LoadError(Alice(R"("name": "A")", R"({"type": "Color", "id": "green"})")),
      Contains("entity 0 (`User::\"alice\"`): parent 0: entity "
               "`Color::\"green\"` is of an enumerated entity type"));
}

TEST_CASE("typed entities: required and undeclared attributes",
          "[typed_json]") {
  CHECK(LoadError(Alice(R"("age": 3)")) ==
        "entity 0 (`User::\"alice\"`): missing required attribute `name`");
  CHECK(LoadError(Alice(R"("name": "A", "nick": "a")")) ==
        "entity 0 (`User::\"alice\"`): attribute `nick`: not declared in the "
        "schema for entity type `User`");
  // Records nested in attributes are closed too.
  CHECK(LoadError(Alice(R"("name": "A", "address": {"zip": 1})")) ==
        "entity 0 (`User::\"alice\"`): attribute `address`: missing required "
        "attribute `street`");
  CHECK(LoadError(
            Alice(R"("name": "A", "address": {"street": "s", "city": "c"})")) ==
        "entity 0 (`User::\"alice\"`): attribute `address.city`: not "
        "declared in the record type `{ street: String, zip?: Long }`");
}

TEST_CASE("typed entities: attribute types", "[typed_json]") {
  CHECK(LoadError(Alice(R"("name": "A", "age": "30")")) ==
        "entity 0 (`User::\"alice\"`): attribute `age`: type mismatch: "
        "expected `Long`, found a string `\"30\"`");
  CHECK(LoadError(Alice(R"("name": "A", "address": {"street": "s",
                                                      "zip": "z"})")) ==
        "entity 0 (`User::\"alice\"`): attribute `address.zip`: type "
        "mismatch: expected `Long`, found a string `\"z\"`");
  CHECK(LoadError(Alice(R"("name": "A", "address": [1])")) ==
        "entity 0 (`User::\"alice\"`): attribute `address`: type mismatch: "
        "expected `{ street: String, zip?: Long }`, found a set `[1]`");
  CHECK(LoadError(Alice(R"("name": "A", "nicknames": ["a", 2])")) ==
        "entity 0 (`User::\"alice\"`): attribute `nicknames[1]`: type "
        "mismatch: expected `String`, found a long `2`");
  // Entity references must have the declared type.
  CHECK(LoadError(
            Alice(R"("name": "A", "manager": {"type": "Group", "id": "g"})")) ==
        "entity 0 (`User::\"alice\"`): attribute `manager`: type mismatch: "
        "expected an entity of type `User`, found `Group::\"g\"`");
  CHECK(LoadError(Alice(R"("name": "A", "groups": [
            {"type": "UserGroup", "id": "a"}, {"type": "Group", "id": "b"}])")) ==
        "entity 0 (`User::\"alice\"`): attribute `groups[1]`: type mismatch: "
        "expected an entity of type `UserGroup`, found `Group::\"b\"`");
  CHECK(LoadError(Alice(R"("name": "A", "manager": "User::\"bob\"")")) ==
        "entity 0 (`User::\"alice\"`): attribute `manager`: expected an "
        "entity reference {\"type\": …, \"id\": …}, found "
        "`\"User::\\\"bob\\\"\"`");
  CHECK_THAT(LoadError(Alice(R"("name": "A", "manager": {"type": "User"})")),
             Contains("attribute `manager`: entity reference is missing `id`"));
}

TEST_CASE("typed entities: parents", "[typed_json]") {
  // Direct and transitive parent types are allowed.
  Load(Alice(R"("name": "A")", R"({"type": "UserGroup", "id": "g"},
                                   {"type": "Group", "id": "all"})"));
  CHECK(LoadError(Alice(R"("name": "A")", R"({"type": "Doc", "id": "d"})")) ==
        "entity 0 (`User::\"alice\"`): parent 0: `User` entities cannot have "
        "parents of type `Doc` according to the schema");
  CHECK(LoadError(R"([{"uid": {"type": "Group", "id": "g"}, "attrs": {},
                       "parents": [{"type": "Group", "id": "h"}]}])") ==
        "entity 0 (`Group::\"g\"`): parent 0: `Group` entities cannot have "
        "parents of type `Group` according to the schema");
}

TEST_CASE("typed entities: tags", "[typed_json]") {
  auto store = Load(R"([
      {"uid": {"type": "Doc", "id": "d"}, "attrs": {}, "parents": [],
       "tags": {"owner": "alice"}},
      {"uid": {"type": "Badge", "id": "b"}, "attrs": {}, "parents": [],
       "tags": {"nets": ["10.0.0.0/8"]}}])");
  CHECK(*store->Find(U("Doc", "d"))->FindTag(S("owner")) ==
        Value::String("alice"));
  const Value* nets = store->Find(U("Badge", "b"))->FindTag(S("nets"));
  REQUIRE(nets != nullptr);
  REQUIRE(nets->as_set().size() == 1);
  CHECK(nets->as_set()[0].is(ValueKind::kIpAddr));

  CHECK(LoadError(R"([{"uid": {"type": "Doc", "id": "d"}, "attrs": {},
                       "parents": [], "tags": {"owner": 1}}])") ==
        "entity 0 (`Doc::\"d\"`): tag `owner`: type mismatch: expected "
        "`String`, found a long `1`");
  CHECK(LoadError(R"([{"uid": {"type": "Group", "id": "g"}, "attrs": {},
                       "parents": [], "tags": {"t": "x"}}])") ==
        "entity 0 (`Group::\"g\"`): tag `t`: the schema declares no tags for "
        "entity type `Group`");
  // An empty tags object is fine on any type.
  Load(R"([{"uid": {"type": "Group", "id": "g"}, "attrs": {}, "parents": [],
            "tags": {}}])");
}

TEST_CASE("typed entities: the schema's actions are added", "[typed_json]") {
  auto store = Load("[]");
  CHECK(store->size() == 4);
  CHECK(store->IsIn(U("Action", "write"), U("Action", "all")));
  CHECK(store->IsIn(U("Action", "read"), U("Action", "all")));
  CHECK_FALSE(store->IsIn(U("Action", "none"), U("Action", "all")));
}

TEST_CASE("typed entities: actions in the JSON must match the schema",
          "[typed_json]") {
  // All ancestors listed, or direct parents closed over the JSON's actions.
  Load(R"([{"uid": {"type": "Action", "id": "write"}, "attrs": {},
            "parents": [{"type": "Action", "id": "read"},
                        {"type": "Action", "id": "all"}]}])");
  auto store = Load(R"([
      {"uid": {"type": "Action", "id": "write"}, "attrs": {},
       "parents": [{"type": "Action", "id": "read"}]},
      {"uid": {"type": "Action", "id": "read"}, "attrs": {},
       "parents": [{"type": "Action", "id": "all"}]}])");
  CHECK(store->size() == 4);
  CHECK(store->IsIn(U("Action", "write"), U("Action", "all")));

  CHECK(LoadError(R"([{"uid": {"type": "Action", "id": "write"}, "attrs": {},
                       "parents": [{"type": "Action", "id": "read"}]}])") ==
        "entity 0 (`Action::\"write\"`): definition of action "
        "`Action::\"write\"` does not match its schema declaration (the "
        "schema puts it in `Action::\"all\"`, the entities do not; leave it "
        "out of the entities to use the schema's definition)");
  CHECK(LoadError(R"([{"uid": {"type": "Action", "id": "none"}, "attrs": {},
                       "parents": [{"type": "Action", "id": "all"}]}])") ==
        "entity 0 (`Action::\"none\"`): definition of action "
        "`Action::\"none\"` does not match its schema declaration (the "
        "entities put it in `Action::\"all\"`, the schema does not; leave it "
        "out of the entities to use the schema's definition)");
  CHECK_THAT(LoadError(R"([{"uid": {"type": "Action", "id": "all"},
                            "attrs": {"a": 1}, "parents": []}])"),
             Contains("(actions have no attributes;"));
  CHECK(LoadError(R"([{"uid": {"type": "Action", "id": "nope"}, "attrs": {},
                       "parents": []}])") ==
        "entity 0 (`Action::\"nope\"`): found action entity "
        "`Action::\"nope\"`, but it was not declared as an action in the "
        "schema");
  CHECK_THAT(LoadError(R"([{"uid": {"type": "Action", "id": "all"},
                            "attrs": {}, "parents": [{"type": "Group",
                                                      "id": "g"}]}])"),
             Contains("parent 0: an action can only have actions as parents"));
}

TEST_CASE("typed entities: store rules still apply", "[typed_json]") {
  const std::string g =
      R"({"uid": {"type": "UserGroup", "id": "g"}, "attrs": {},
          "parents": []})";
  CHECK(Load("[" + g + ", " + g + "]")->size() == 5);  // 1 + 4 actions
  CHECK_THAT(LoadError(R"([{"uid": {"type": "Group", "id": "g"}, "attrs": {},
                            "parents": []},
                           {"uid": {"type": "Group", "id": "g"},
                            "attrs": {}, "parents": [], "tags": {"t": 1}}])"),
             Contains("entity 1 (`Group::\"g\"`)"));
  CHECK_THAT(LoadError("{}"), Contains("must be an array of entities"));
  CHECK_THAT(LoadError(R"([{"uid": {"type": "Group", "id": "g"},
                            "attrs": {}}])"),
             Contains("missing key `parents`"));
}

// As for schema-less loading (entities_test.cc): entities are read as the
// text is parsed, and the JSON's own errors anywhere win over an entity that
// cannot be read.
// Other members are ignored, as cedar-wasm 4.13 ignores them with a schema
// too: of the entity, of references in either form, of `__extn` calls. An
// `__extn` without `arg` or `args` is a record, and so the wrong type.
TEST_CASE("typed entities: unknown members are ignored, as in Cedar",
          "[typed_json]") {
  auto store = Load(R"([{"uid": {"type": "User", "id": "alice", "z": 1},
      "attrs": {"name": "A",
                "manager": {"__entity": {"type": "User", "id": "bob"}, "more": 1},
                "groups": [{"type": "UserGroup", "id": "g1", "note": "x"}],
                "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.1", "x": 1}}},
      "parents": [], "comment": "exported 2026-12-08"}])");
  const EntityUid alice = U("User", "alice");
  CHECK(Attr(*store, alice, "manager") == Value::Entity(U("User", "bob")));
  CHECK(Attr(*store, alice, "groups") ==
        Value::Set({Value::Entity(U("UserGroup", "g1"))}));
  CHECK(Attr(*store, alice, "ip").is(ValueKind::kIpAddr));
  CHECK_THAT(LoadError(Alice(R"("name": "A", "ip": {"__extn": {"fn": "ip"}})")),
             Contains("type mismatch: expected `ipaddr`, found a record"));
}

TEST_CASE("typed entities: read one at a time, the JSON's errors first",
          "[typed_json]") {
  const std::string g = R"({"uid": {"type": "UserGroup", "id": "g"},
                            "attrs": {}, "parents": []})";
  const std::string bad = R"({"uid": {"type": "Nope", "id": "x"},
                              "attrs": {}, "parents": []})";
  CHECK_THAT(LoadError("[" + g + ", " + bad + "]"), StartsWith("entity 1 "));
  CHECK_THAT(LoadError("[" + g + ", " + bad + ", " + g + ", nul]"),
             StartsWith("entities JSON: invalid JSON"));
  CHECK_THAT(LoadError("[" + bad + ", " + g + R"(, {"uid": 1, "uid": 2}])"),
             StartsWith("entity 2: duplicate key `uid`"));
  // The actions the schema declares are still added after the last entity.
  CHECK(Load("[" + g + "]")->size() == 5);
}

TEST_CASE("typed entities: nesting limit", "[typed_json]") {
  JsonOptions options;
  options.max_depth = 1;
  auto store =
      EntitiesFromJson(Alice(R"("name": "A", "address": {"street": "s"})"),
                       *TestSchema(), options);
  REQUIRE(store.ok());
  auto deep = EntitiesFromJson(Alice(R"("name": "A", "nicknames": [["x"]])"),
                               *TestSchema(), options);
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.status().code() == absl::StatusCode::kResourceExhausted);
  CHECK_THAT(Msg(deep.status()),
             Contains("attribute `nicknames[0]`: sets, records and extension "
                      "calls nested deeper than 1 levels"));
}

TEST_CASE("typed context: read by the action's context type", "[typed_json]") {
  const EntityUid read = U("Action", "read");
  auto ctx = ContextFromJson(
      R"({"ip": "192.168.0.1", "who": {"type": "User", "id": "u"},
          "colors": [{"type": "Color", "id": "red"}]})",
      *TestSchema(), read);
  REQUIRE(ctx.ok());
  CHECK(ctx->FindField(S("ip"))->is(ValueKind::kIpAddr));
  CHECK(*ctx->FindField(S("who")) == Value::Entity(U("User", "u")));

  auto error = [&](const std::string& json, const EntityUid& action) {
    auto c = ContextFromJson(json, *TestSchema(), action);
    REQUIRE_FALSE(c.ok());
    return Msg(c.status());
  };
  CHECK(error(R"({"level": 1})", read) ==
        "context for `Action::\"read\"`: missing required attribute `ip`");
  CHECK(error(R"({"ip": "1.2.3.4", "extra": 1})", read) ==
        "context for `Action::\"read\"`: attribute `extra`: not declared in "
        "the record type `{ colors?: Set<Color>, ip: ipaddr, level?: Long, "
        "who?: User }`");
  CHECK(error(R"({"ip": "1.2.3.4", "level": true})", read) ==
        "context for `Action::\"read\"`: attribute `level`: type mismatch: "
        "expected `Long`, found a bool `true`");
  CHECK_THAT(error(R"({"ip": "1.2.3.4",
                       "colors": [{"type": "Color", "id": "x"}]})",
                   read),
             Contains("attribute `colors[0]`: entity `Color::\"x\"` is of an "
                      "enumerated entity type"));
  CHECK(error("[]", read) ==
        "context for `Action::\"read\"`: the context must be a record (a "
        "JSON object), found `[]`");
  CHECK(error("{}", U("Action", "nope")) ==
        "action `Action::\"nope\"` is not declared in the schema");
  // An action without a context type takes the empty record.
  CHECK(ContextFromJson("{}", *TestSchema(), U("Action", "none")).ok());
  CHECK(error(R"({"a": 1})", U("Action", "none")) ==
        "context for `Action::\"none\"`: attribute `a`: not declared in the "
        "record type `{}`");
}

// The handwritten conformance data: sandbox_b's `owner` attributes are plain
// {"type", "id"} objects that only a schema makes entity references.
TEST_CASE("typed entities: conformance sample data", "[typed_json]") {
  const char* env = std::getenv("ARBITER_CONFORMANCE_DIR");
  std::filesystem::path dir = env != nullptr
                                  ? std::filesystem::path(env)
                                  : std::filesystem::path(ARBITER_SOURCE_DIR) /
                                        ".." / "shared" / "cedar-conformance";
  dir /= "sample-data";
  if (!std::filesystem::exists(dir / "sandbox_b" / "entities.json")) {
    WARN("conformance sample data not found; skipped");
    return;
  }
  auto read = [](const std::filesystem::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  };
  for (const char* sandbox : {"sandbox_a", "sandbox_b"}) {
    INFO(sandbox);
    auto schema = Schema::Parse(read(dir / sandbox / "schema.cedarschema"));
    REQUIRE(schema.ok());
    auto store = Load(read(dir / sandbox / "entities.json"), **schema);
    if (std::string(sandbox) == "sandbox_b") {
      bool saw_owner = false;
      for (const auto& [uid, e] : store->all()) {
        if (const Value* owner = e.FindAttr(S("owner"))) {
          CHECK(owner->is(ValueKind::kEntity));
          saw_owner = true;
        }
      }
      CHECK(saw_owner);
    }
  }
}

}  // namespace
}  // namespace arbiter
