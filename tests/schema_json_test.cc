// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Cedar's JSON schema format, and translation between the two formats: each
// JSON construct parsing to the expected model, each kind of error with its
// JSON Pointer and line:column, the printers' output, and round trips
// (text -> JSON -> text -> model gives the same model) over handwritten
// schemas and, when present, every schema of Cedar's corpus and the sample
// data. The JSON output was checked against cedar-wasm 4.13's schemaToJson on
// the whole corpus (identical up to object key order).

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "arbiter/schema.h"
#include "src/ast/schema.h"
#include "src/parse/schema_source.h"

namespace arbiter {
namespace {

using Catch::Contains;
using internal::ActionInfo;

std::shared_ptr<const Schema> MustParseJson(std::string_view json) {
  auto s = Schema::FromJson(json);
  INFO("schema: " << json);
  if (!s.ok()) INFO("status: " << std::string(s.status().message()));
  REQUIRE(s.ok());
  return *s;
}

std::string JsonErrors(std::string_view json) {
  auto s = Schema::FromJson(json);
  INFO("schema: " << json);
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(s.status().message());
}

std::string Dump(const Schema& s) {
  return internal::DumpSchemaModel(s.model());
}

// The model dump of one entity type or action, e.g. for comparisons.
std::string DumpOf(const Schema& s, std::string_view header) {
  std::string d = Dump(s);
  size_t at = d.find(std::string(header) + "\n");
  if (at == std::string::npos) return "not found: " + std::string(header);
  size_t end = d.find("\nentity ", at + 1);
  size_t end2 = d.find("\naction ", at + 1);
  end = std::min(end, end2);
  std::string out =
      d.substr(at, end == std::string::npos ? std::string::npos : end - at);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// Checks the round trips of `s` and returns a description of the first
// failure, or "" when all hold.
std::string RoundTripFailure(const Schema& s) {
  const std::string model = Dump(s);
  const std::string json = s.ToJson();
  auto from_json = Schema::FromJson(json);
  if (!from_json.ok()) {
    return "ToJson output does not parse: " +
           std::string(from_json.status().message()) + "\n" + json;
  }
  if (Dump(**from_json) != model) return "ToJson changes the model:\n" + json;
  const std::string text = s.ToCedarSchema();
  auto from_text = Schema::Parse(text);
  if (!from_text.ok()) {
    return "ToCedarSchema output does not parse: " +
           std::string(from_text.status().message()) + "\n" + text;
  }
  if (Dump(**from_text) != model)
    return "ToCedarSchema changes the model:\n" + text;
  // text -> JSON -> text -> model
  const std::string text2 = (*from_json)->ToCedarSchema();
  auto again = Schema::Parse(text2);
  if (!again.ok()) {
    return "JSON -> text does not parse: " +
           std::string(again.status().message()) + "\n" + text2;
  }
  if (Dump(**again) != model)
    return "JSON -> text changes the model:\n" + text2;
  return "";
}

// --- Parsing
// -------------------------------------------------------------------

TEST_CASE("schema json: every type form", "[schema_json]") {
  auto s = MustParseJson(R"({
    "": {
      "commonTypes": {
        "Name": {"type": "String"},
        "Ctx": {"type": "Record", "attributes": {"ip": {"type": "Extension", "name": "ipaddr"}}}
      },
      "entityTypes": {
        "Group": {},
        "User": {
          "memberOfTypes": ["Group"],
          "shape": {
            "type": "Record",
            "attributes": {
              "name": {"type": "Name"},
              "age": {"type": "Long", "required": false},
              "admin": {"type": "Boolean", "required": true},
              "groups": {"type": "Set", "element": {"type": "Entity", "name": "Group"}},
              "boss": {"type": "EntityOrCommon", "name": "User"},
              "b2": {"type": "Bool"},
              "when": {"type": "Extension", "name": "datetime"},
              "nested": {"type": "Record", "attributes": {}, "additionalAttributes": false}
            }
          },
          "tags": {"type": "Set", "element": {"type": "String"}}
        },
        "Color": {"enum": ["red", "blue"]}
      },
      "actions": {
        "view": {
          "appliesTo": {"principalTypes": ["User"], "resourceTypes": ["User", "Group"],
                        "context": {"type": "Ctx"}}
        },
        "all": {},
        "edit": {"memberOf": [{"id": "all"}, {"id": "view", "type": "Action"}],
                 "appliesTo": {"principalTypes": [], "resourceTypes": []}}
      }
    }
  })");
  CHECK(DumpOf(*s, "entity User") ==
        "entity User\n"
        "  parents: Group\n"
        "  ancestors: Group\n"
        "  shape: {\"admin\": Bool, \"age\"?: Long, \"b2\": Bool, \"boss\": "
        "entity User, "
        "\"groups\": Set<entity Group>, \"name\": String, \"nested\": {}, "
        "\"when\": datetime}\n"
        "  tags: Set<String>");
  CHECK(DumpOf(*s, "entity Color") ==
        "entity Color\n  parents: \n  ancestors: \n  shape: {}\n  enum: "
        "[\"red\", \"blue\"]");
  CHECK(DumpOf(*s, "action Action::\"view\"") ==
        "action Action::\"view\"\n  parents: \n  ancestors: \n  principals: "
        "User\n"
        "  resources: Group, User\n  context: {\"ip\": ipaddr}");
  CHECK(
      DumpOf(*s, "action Action::\"edit\"") ==
      "action Action::\"edit\"\n  parents: Action::\"all\", Action::\"view\"\n"
      "  ancestors: Action::\"all\", Action::\"view\"\n  principals: \n  "
      "resources: \n"
      "  context: {}");
  CHECK(s->model().entity_type_order.size() == 3);
}

TEST_CASE("schema json: namespaces and entity-only references",
          "[schema_json]") {
  auto s = MustParseJson(R"({
    "App": {
      "commonTypes": {"E": {"type": "Long"}},
      "entityTypes": {
        "E": {},
        "X": {"shape": {"type": "Record", "attributes": {
          "common": {"type": "EntityOrCommon", "name": "E"},
          "entity": {"type": "Entity", "name": "E"},
          "ref": {"type": "E"},
          "other": {"type": "Entity", "name": "Lib::Thing"}
        }}}
      },
      "actions": {"a": {"memberOf": [{"id": "g", "type": "Lib::Action"}]}},
      "annotations": {"doc": "the app"}
    },
    "Lib": {"entityTypes": {"Thing": {}}, "actions": {"g": {}}}
  })");
  CHECK_THAT(DumpOf(*s, "entity App::X"),
             Contains("shape: {\"common\": Long, \"entity\": entity App::E, "
                      "\"other\": entity Lib::Thing, \"ref\": Long}"));
  const ActionInfo* a =
      s->model().FindAction(EntityUid::Of("App::Action", "a"));
  REQUIRE(a != nullptr);
  REQUIRE(a->member_of.size() == 1);
  CHECK(a->member_of[0] == EntityUid::Of("Lib::Action", "g"));
}

TEST_CASE("schema json: an empty schema and an empty namespace",
          "[schema_json]") {
  CHECK(MustParseJson("{}")->model().entity_types.empty());
  auto s = MustParseJson(
      R"({"": {"entityTypes": {}, "actions": {}, "annotations": {}}})");
  CHECK(s->model().actions.empty());
}

TEST_CASE("schema json: Cedar's lenient spots", "[schema_json]") {
  // serde reads `[]` as an empty struct, and null as an absent optional
  // field of an action; Cedar accepts these, so arbiter does too.
  auto s = MustParseJson(R"({"": {"entityTypes": {"A": []}, "actions": {
      "a": [], "b": {"memberOf": null, "appliesTo": null, "attributes": null}}}})");
  CHECK(s->model().FindEntityType(Symbol::Intern("A")) != nullptr);
  const ActionInfo* b = s->model().FindAction(EntityUid::Of("Action", "b"));
  REQUIRE(b != nullptr);
  CHECK(b->principal_types.empty());
  CHECK(b->member_of.empty());
}

// --- Errors
// ----------------------------------------------------------------------

TEST_CASE("schema json: syntax errors have line and column", "[schema_json]") {
  std::string e = JsonErrors("{\n  \"\": {\n    \"entityTypes\": {,\n");
  CHECK_THAT(
      e,
      Contains("<schema>:3:21: error: invalid JSON: syntax error while "
               "parsing object key - unexpected `,`; expected string literal"));
  CHECK_THAT(
      JsonErrors("[1, 2"),
      Contains("<schema>:1:6: error: invalid JSON: syntax error while parsing "
               "array - unexpected end of input; expected `]`"));
  CHECK_THAT(JsonErrors("{\"a\": {}, \"a\": {}}"),
             Contains("<schema>:1:16: error: at `/a`: duplicate key `a`"));
  CHECK_THAT(JsonErrors("[]"),
             Contains("<schema>:1:1: error: a JSON schema must be an object"));
}

TEST_CASE("schema json: structural errors name their JSON Pointer",
          "[schema_json]") {
  CHECK_THAT(JsonErrors(R"({"N": {"entityTypes": {}}})"),
             Contains("at `/N`: missing field `actions`"));
  CHECK_THAT(
      JsonErrors(R"({"N": {"entityTypes": {}, "actions": {}, "extra": 1}})"),
      Contains("1:51: error: at `/N/extra`: unknown field `extra`, expected "
               "`commonTypes`, `entityTypes`, `actions` or `annotations`"));
  CHECK_THAT(JsonErrors(R"({"bad name": {"entityTypes": {}, "actions": {}}})"),
             Contains("at `/bad name`: invalid namespace name `bad name`"));
  CHECK_THAT(
      JsonErrors(R"({"": {"entityTypes": {"A": {"shape": {"type": "Record",
               "attributes": {"x": {"type": "Set"}}}}}, "actions": {}}})"),
      Contains(
          "at `//entityTypes/A/shape/attributes/x`: missing field `element`"));
  CHECK_THAT(
      JsonErrors(R"({"": {"entityTypes": {"A": {"shape": {"type": "Record",
               "attributes": {}, "additionalAttributes": true}}}, "actions": {}}})"),
      Contains("`\"additionalAttributes\": true` is not supported"));
  CHECK_THAT(
      JsonErrors(R"({"": {"entityTypes": {"A": {"shape": {"type": "Long",
               "name": "x"}}}, "actions": {}}})"),
      Contains(
          "at `//entityTypes/A/shape/name`: unknown field `name` for a type of "
          "kind `Long`"));
  CHECK_THAT(JsonErrors(R"({"": {"entityTypes": {"A": {"enum": ["a"],
               "memberOfTypes": []}}, "actions": {}}})"),
             Contains("an enumerated entity type cannot have `memberOfTypes`"));
  CHECK_THAT(
      JsonErrors(
          R"({"": {"entityTypes": {"A": {"enum": []}}, "actions": {}}})"),
      Contains("`enum` must list at least one entity id"));
  CHECK_THAT(
      JsonErrors(
          R"({"": {"entityTypes": {}, "actions": {"a": {"attributes": {}}}}})"),
      Contains(
          "at `//actions/a/attributes`: action attributes are not supported"));
  CHECK_THAT(
      JsonErrors(
          R"({"": {"entityTypes": {}, "actions": {"a": {"memberOf": [{}]}}}})"),
      Contains("at `//actions/a/memberOf/0`: missing field `id`"));
  CHECK_THAT(
      JsonErrors(R"({"": {"entityTypes": {}, "actions": {"a": {"appliesTo":
               {"principalTypes": []}}}}})"),
      Contains("missing field `resourceTypes`"));
  CHECK_THAT(
      JsonErrors(R"({"": {"entityTypes": {"A": {"shape": {"type": "Record",
               "attributes": {"x": {"type": "Extension", "name": "ipv6"}}}}}, "actions": {}}})"),
      Contains("unknown extension type `ipv6`"));
  CHECK_THAT(
      JsonErrors(R"({"": {"entityTypes": {"A": {"shape": {"type": "My Type"}}},
               "actions": {}}})"),
      Contains("invalid type `My Type`"));
  CHECK_THAT(JsonErrors(R"({"": {"entityTypes": {"if": {}}, "actions": {}}})"),
             Contains("invalid entity type name `if`"));
  CHECK_THAT(
      JsonErrors(
          R"({"": {"entityTypes": {}, "actions": {}, "annotations": {"a": "b"}}})"),
      Contains("at `//annotations`: annotations are not allowed on the empty "
               "namespace"));
  CHECK_THAT(
      JsonErrors(
          R"({"": {"entityTypes": {"A": {"annotations": {"a": 1}}}, "actions": {}}})"),
      Contains("expected an annotation value (a JSON string), found a number"));
  // As in Cedar, null is an annotation without a value.
  CHECK_THAT(
      MustParseJson(R"({"": {"entityTypes": {"A": {"annotations": {"a": null}}},
                               "actions": {}}})")
          ->ToCedarSchema(),
      Contains("@a\nentity A;"));
  CHECK_THAT(
      JsonErrors(
          R"({"": {"entityTypes": {"A": {"memberOfTypes": "B"}}, "actions": {}}})"),
      Contains("expected a list of entity type names (a JSON array), found a "
               "string"));
}

TEST_CASE("schema json: resolution errors name their JSON Pointer",
          "[schema_json]") {
  std::string e = JsonErrors(R"({
  "N": {
    "entityTypes": {
      "A": {"memberOfTypes": ["Missing"]},
      "B": {"shape": {"type": "Long"}}
    },
    "actions": {"a": {"memberOf": [{"id": "nope"}]}}
  }
})");
  INFO(e);
  CHECK_THAT(e, Contains("3 schema errors"));
  CHECK_THAT(
      e,
      Contains("<schema>:4:31: error: at `/N/entityTypes/A/memberOfTypes/0`: "
               "failed to resolve type `Missing`: neither `N::Missing` nor "
               "`Missing` has been declared as an entity type"));
  CHECK_THAT(
      e,
      Contains("<schema>:5:22: error: at `/N/entityTypes/B/shape`: the shape "
               "of entity type `N::B` must be a record type"));
  CHECK_THAT(e, Contains("at `/N/actions/a/memberOf/0`: undeclared action"));
  CHECK_THAT(
      JsonErrors(
          R"({"": {"commonTypes": {"A": {"type": "B"}, "B": {"type": "A"}},
                          "entityTypes": {}, "actions": {}}})"),
      Contains("cycle in common type references: `A` -> `B` -> `A`"));
  CHECK_THAT(JsonErrors(R"({"": {"commonTypes": {"Set": {"type": "Long"}},
                          "entityTypes": {}, "actions": {}}})"),
             Contains("`Set` is a reserved schema keyword"));
}

TEST_CASE("schema json: nesting and size limits", "[schema_json]") {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += R"({"type": "Set", "element": )";
  deep += R"({"type": "Long"})" + std::string(100, '}');
  std::string schema = R"({"": {"entityTypes": {"A": {"tags": )" + deep +
                       R"(}}, "actions": {}}})";
  CHECK_THAT(JsonErrors(schema), Contains("exceeds the limit"));
  std::string very_deep(100000, '[');
  CHECK_THAT(JsonErrors(very_deep), Contains("JSON nesting exceeds the limit"));
  SchemaParseOptions small;
  small.max_source_bytes = 4;
  auto s = Schema::FromJson("{   }", small);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(std::string(s.status().message()),
             Contains("schema JSON is 5 bytes, over the limit of 4"));
}

TEST_CASE("schema json: JSON Pointer locations", "[schema_json]") {
  std::string_view json =
      R"({"a": [10, {"b~/c": "x", "d": {"e": 1}}], "f\"g": 2})";
  CHECK(internal::LocateJsonPointer(json, "") == 0);
  CHECK(internal::LocateJsonPointer(json, "/a") == 6);
  CHECK(internal::LocateJsonPointer(json, "/a/1") == 11);
  CHECK(internal::LocateJsonPointer(json, "/a/1/b~0~1c") == 20);
  CHECK(internal::LocateJsonPointer(json, "/a/1/d/e") == 36);
  CHECK(internal::LocateJsonPointer(json, "/f\"g") == 50);
  CHECK(internal::LocateJsonPointer(json, "/a/2") ==
        internal::SrcLoc::kNoOffset);
  CHECK(internal::LocateJsonPointer(json, "/zz") ==
        internal::SrcLoc::kNoOffset);
}

// --- Printing
// ----------------------------------------------------------------------

TEST_CASE("schema json: ToJson follows Cedar's translation", "[schema_json]") {
  auto s = Schema::Parse(R"(
    @doc("ns") namespace N {
      type Ctx = { ip?: ipaddr };
      entity User in [Group] { name: String } tags Long;
      entity Group;
      entity E enum ["a"];
      action "view" in [all] appliesTo { principal: User, resource: [Group], context: Ctx };
      action all;
    }
  )");
  REQUIRE(s.ok());
  nlohmann::json got = nlohmann::json::parse((*s)->ToJson());
  nlohmann::json want = nlohmann::json::parse(R"({
    "N": {
      "commonTypes": {
        "Ctx": {"type": "Record", "attributes": {
          "ip": {"type": "EntityOrCommon", "name": "ipaddr", "required": false}}}
      },
      "entityTypes": {
        "User": {
          "memberOfTypes": ["Group"],
          "shape": {"type": "Record", "attributes": {
            "name": {"type": "EntityOrCommon", "name": "String"}}},
          "tags": {"type": "EntityOrCommon", "name": "Long"}
        },
        "Group": {},
        "E": {"enum": ["a"]}
      },
      "actions": {
        "view": {
          "appliesTo": {"principalTypes": ["User"], "resourceTypes": ["Group"],
                        "context": {"type": "Ctx"}},
          "memberOf": [{"id": "all"}]
        },
        "all": {"appliesTo": {"principalTypes": [], "resourceTypes": []}}
      },
      "annotations": {"doc": "ns"}
    }
  })");
  CHECK(got == want);
}

TEST_CASE("schema json: ToCedarSchema prints JSON-only forms safely",
          "[schema_json]") {
  auto s = MustParseJson(R"({"N": {
    "commonTypes": {"P": {"type": "Record", "attributes": {"a": {"type": "Long"}}}},
    "entityTypes": {
      "Long": {},
      "E": {"shape": {"type": "P"}},
      "F": {"shape": {"type": "Record", "attributes": {
        "x": {"type": "Entity", "name": "E"},
        "y": {"type": "Extension", "name": "ipaddr"},
        "z": {"type": "Boolean"},
        "w": {"type": "Long"},
        "a b": {"type": "String", "required": false}}}}
    },
    "actions": {"a": {"appliesTo": {"principalTypes": [], "resourceTypes": []}}}
  }})");
  std::string text = s->ToCedarSchema();
  INFO(text);
  CHECK_THAT(text,
             Contains("entity E = {\n    a: __cedar::Long\n  };"));  // inlined
  CHECK_THAT(text, Contains("y: __cedar::ipaddr"));
  CHECK_THAT(text,
             Contains("w: __cedar::Long"));  // not the entity type N::Long
  CHECK_THAT(text, Contains("\"a b\"?: __cedar::String"));
  CHECK_THAT(text, Contains("action a;"));  // applies to nothing either way
  CHECK(RoundTripFailure(*s).empty());
  // An action that applies to no principal type applies to no request; the
  // text format cannot say `principal: []`, so it prints without `appliesTo`
  // (the resource types it names are dropped).
  auto partial = MustParseJson(R"({"": {"entityTypes": {"E": {}}, "actions": {
      "a": {"appliesTo": {"principalTypes": [], "resourceTypes": ["E"]}}}}})");
  CHECK_THAT(partial->ToCedarSchema(), Contains("action a;"));
}

// --- Round trips
// ---------------------------------------------------------------------

TEST_CASE("schema json: round trips keep the model", "[schema_json]") {
  const char* schemas[] = {
      R"(
      type Shared = { id: String };
      entity Root;
      @doc("x") namespace App::Core {
        type Ctx = { who: Shared, "odd key"?: Set<Long>, when?: datetime };
        entity User, Admin in [Group, Root] = { profile: Shared, "\n": Bool } tags Ctx;
        entity Group in Group;
        entity Color enum ["red", "gr\"een"];
        action "act one", two in [Action::"base", "base"] appliesTo {
          principal: [User, Admin], resource: Group, context: Ctx
        };
        action base;
        action cross in [Other::Action::"o"];
      }
      namespace Other { action o; entity String; entity T { s: String, t: __cedar::String }; }
      entity Tail { x: Set<Set<{ y?: decimal }>> };
      )",
      "",
      "entity A; action a appliesTo { principal: A, resource: A, context: {} "
      "};",
      "namespace N { type Long = String; }",  // rejected: reserved; skipped
                                              // below
  };
  for (const char* text : schemas) {
    auto s = Schema::Parse(text);
    if (!s.ok()) continue;
    INFO("schema: " << text);
    CHECK(RoundTripFailure(**s) == "");
  }
}

// Every schema of Cedar's corpus (and the sample data) parses, and survives
// both translations. The corpus is found at $ARBITER_SCHEMA_CORPUS, else
// /tmp/corpus/corpus-tests; missing data is skipped with a warning.
TEST_CASE("schema json: corpus schemas parse and round-trip", "[schema_json]") {
  namespace fs = std::filesystem;
  std::vector<fs::path> dirs;
  const char* env = std::getenv("ARBITER_SCHEMA_CORPUS");
  dirs.emplace_back(env != nullptr ? env : "/tmp/corpus/corpus-tests");
  dirs.emplace_back(fs::path(ARBITER_SOURCE_DIR) / ".." / "shared" /
                    "cedar-conformance" / "sample-data");
  dirs.emplace_back(fs::path(ARBITER_SOURCE_DIR) / ".." / "shared" /
                    "workloads");
  size_t files = 0;
  std::error_code ec;
  for (const fs::path& dir : dirs) {
    if (!fs::is_directory(dir, ec)) {
      WARN("schema corpus not found at " << dir.string() << "; skipped");
      continue;
    }
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec || it->path().extension() != ".cedarschema") continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      ++files;
      INFO("file: " << it->path().string());
      auto s = Schema::Parse(ss.str());
      if (!s.ok()) INFO(std::string(s.status().message()));
      REQUIRE(s.ok());
      std::string failure = RoundTripFailure(**s);
      if (!failure.empty()) FAIL(failure);
    }
  }
  WARN("schema corpus: " << files << " files parsed and round-tripped");
}

}  // namespace
}  // namespace arbiter
