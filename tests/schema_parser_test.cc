// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The `.cedarschema` format and schema resolution: every construct of the
// grammar with a schema that parses (checked through the resolved model) and
// one that fails (checked by message and line:column); Cedar 4's name
// resolution, common-type inlining, declaration rules and hierarchy
// closures; error recovery, limits and garbage. Cedar (cedar-wasm 4.13) is
// the oracle for what is accepted and how names resolve.

#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "arbiter/schema.h"
#include "src/ast/schema.h"

namespace arbiter {
namespace {

using Catch::Contains;
using internal::ActionInfo;
using internal::EntityTypeInfo;
using internal::SchemaType;
using internal::SchemaTypePtr;

std::shared_ptr<const Schema> MustParse(
    std::string_view text, const SchemaParseOptions& options = {}) {
  auto s = Schema::Parse(text, options);
  INFO("schema: " << text);
  if (!s.ok()) INFO("status: " << std::string(s.status().message()));
  REQUIRE(s.ok());
  return *s;
}

// The full error text for a schema that must fail.
std::string Errors(std::string_view text,
                   const SchemaParseOptions& options = {}) {
  auto s = Schema::Parse(text, options);
  INFO("schema: " << text);
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(s.status().message());
}

// Checks that `text` fails with `message` at `line:column`.
void FailsAt(std::string_view text, std::string_view where,
             std::string_view message) {
  std::string errors = Errors(text);
  INFO("errors: " << errors);
  CHECK_THAT(errors, Contains("<schema>:" + std::string(where) +
                              ": error: " + std::string(message)));
}

const EntityTypeInfo& Ent(const Schema& s, std::string_view name) {
  const EntityTypeInfo* e = s.model().FindEntityType(Symbol::Intern(name));
  INFO("entity type " << name);
  REQUIRE(e != nullptr);
  return *e;
}

const ActionInfo& Act(const Schema& s, std::string_view type,
                      std::string_view id) {
  const ActionInfo* a = s.model().FindAction(EntityUid::Of(type, id));
  INFO("action " << type << "::" << id);
  REQUIRE(a != nullptr);
  return *a;
}

// A type as text: `Long`, `Set<entity NS::User>`, `{a: Long, b?: String}`
// (attributes in name order).
std::string T(const SchemaTypePtr& t) {
  if (t == nullptr) return "null";
  using K = SchemaType::Kind;
  switch (t->kind) {
    case K::kBool:
      return "Bool";
    case K::kLong:
      return "Long";
    case K::kString:
      return "String";
    case K::kIpAddr:
      return "ipaddr";
    case K::kDecimal:
      return "decimal";
    case K::kDatetime:
      return "datetime";
    case K::kDuration:
      return "duration";
    case K::kEntity:
      return "entity " + std::string(t->entity_type.str());
    case K::kSet:
      return "Set<" + T(t->element) + ">";
    case K::kRecord: {
      std::vector<std::string> attrs;
      for (const auto& [name, attr] : t->attrs) {
        attrs.push_back(std::string(name.str()) +
                        (attr.required ? ": " : "?: ") + T(attr.type));
      }
      std::sort(attrs.begin(), attrs.end());
      std::string out = "{";
      for (size_t i = 0; i < attrs.size(); ++i)
        out += (i ? ", " : "") + attrs[i];
      return out + "}";
    }
  }
  return "?";
}

std::string Attr(const EntityTypeInfo& e, std::string_view name) {
  const internal::RecordAttr* a = e.shape->FindAttr(Symbol::Intern(name));
  if (a == nullptr) return "missing";
  return (a->required ? "" : "?") + T(a->type);
}

std::vector<std::string> Names(const std::vector<Symbol>& v) {
  std::vector<std::string> out;
  for (Symbol s : v) out.emplace_back(s.str());
  return out;
}

template <typename Set>
std::vector<std::string> SortedNames(const Set& v) {
  std::vector<std::string> out;
  for (Symbol s : v) out.emplace_back(s.str());
  std::sort(out.begin(), out.end());
  return out;
}

template <typename Set>
std::vector<std::string> SortedUids(const Set& v) {
  std::vector<std::string> out;
  for (const EntityUid& u : v) out.push_back(u.ToString());
  std::sort(out.begin(), out.end());
  return out;
}

using Strs = std::vector<std::string>;

// --- Entity types
// ----------------------------------------------------------------

TEST_CASE("schema text: entity declarations", "[schema_parser]") {
  auto s = MustParse(R"(
    entity Group;
    entity User, Bot in [Group] = {
      name: String,
      "full name"?: String,
      level: Long,
      active: Bool,
    } tags String;
    entity Doc in Group { owner: User };   // `=` is optional, brackets too
    entity Empty {};
  )");
  const EntityTypeInfo& user = Ent(*s, "User");
  CHECK(Names(user.member_of) == Strs{"Group"});
  CHECK(T(user.shape) ==
        "{active: Bool, full name?: String, level: Long, name: String}");
  CHECK(Attr(user, "full name") == "?String");
  CHECK(T(user.tags) == "String");
  CHECK_FALSE(user.enum_ids.has_value());
  CHECK(T(Ent(*s, "Bot").shape) == T(user.shape));  // declared together
  CHECK(Attr(Ent(*s, "Doc"), "owner") == "entity User");
  CHECK(Ent(*s, "Group").tags == nullptr);
  CHECK(T(Ent(*s, "Group").shape) == "{}");
  CHECK(T(Ent(*s, "Empty").shape) == "{}");
  CHECK(s->model().entity_type_order.size() == 5);
  CHECK(s->model().entity_type_order[0] == Symbol::Intern("Group"));
}

TEST_CASE("schema text: entity declaration errors", "[schema_parser]") {
  FailsAt("entity A {\n  x: Long\n}", "3:2",
          "expected `;`, found end of input");
  FailsAt("entity A { x: Long, , };", "1:21",
          "expected an attribute name or `}`, found `,`");
  FailsAt("entity in;", "1:8", "`in` is a reserved identifier");
  FailsAt("entity A { if: Long };", "1:12", "`if` is a reserved identifier");
  FailsAt("entity A = B;", "1:12", "expected `{` after `=`, found `B`");
  FailsAt("entity A tags Long = {};", "1:20", "expected `;`, found `=`");
  FailsAt("entity A in [B,];", "1:16",
          "expected an entity type name, found `]`");
  // A quoted reserved word is an attribute name like any other.
  CHECK(Attr(Ent(*MustParse(R"(entity A { "in": Long };)"), "A"), "in") ==
        "Long");
}

TEST_CASE("schema text: repeated attribute keeps the last, as in Cedar",
          "[schema_parser]") {
  auto s = MustParse("entity A { x: Long, x: String };");
  CHECK(T(Ent(*s, "A").shape) == "{x: String}");
}

TEST_CASE("schema text: enumerated entity types", "[schema_parser]") {
  auto s = MustParse(R"(entity Color enum ["red", "green", "bl\u{fc}e"];
                        entity Pixel in [Color] { c: Color };)");
  const EntityTypeInfo& c = Ent(*s, "Color");
  REQUIRE(c.enum_ids.has_value());
  CHECK(*c.enum_ids == Strs{"red", "green",
                            "bl\xc3\xbc"
                            "e"});
  CHECK(T(c.shape) == "{}");
  CHECK(SortedNames(Ent(*s, "Pixel").ancestors) == Strs{"Color"});
  FailsAt("entity E enum [];", "1:16", "expected a string literal, found `]`");
  FailsAt("entity G;\nentity E in G enum [\"a\"];", "2:15",
          "an enumerated entity type cannot have parent types");
  FailsAt(R"(entity E enum ["a" "b"];)", "1:20", "expected `,` or `]`");
}

TEST_CASE("schema text: entity hierarchy closure, cycles allowed",
          "[schema_parser]") {
  auto s = MustParse(R"(
    entity A in [B];
    entity B in [C, D];
    entity C;
    entity D in [A];   // A -> B -> D -> A
    entity E in E;
  )");
  CHECK(SortedNames(Ent(*s, "A").ancestors) == Strs{"A", "B", "C", "D"});
  CHECK(SortedNames(Ent(*s, "C").ancestors).empty());
  CHECK(SortedNames(Ent(*s, "E").ancestors) == Strs{"E"});
  CHECK(Names(Ent(*s, "B").member_of) == Strs{"C", "D"});
  FailsAt("entity A in [Nope];", "1:14",
          "failed to resolve type `Nope`: `Nope` has not been declared as an "
          "entity type");
}

// --- Namespaces
// ------------------------------------------------------------------

TEST_CASE("schema text: namespaces qualify declarations", "[schema_parser]") {
  auto s = MustParse(R"(
    entity Root;
    namespace Photos::App {
      entity User in [Root];
      entity Album { owner: User, root: Root, other: Other::Thing };
      action view appliesTo { principal: User, resource: [Album, Root] };
    }
    namespace Other { entity Thing; }
    entity Tail;   // the empty namespace again
  )");
  CHECK(Names(Ent(*s, "Photos::App::User").member_of) == Strs{"Root"});
  const EntityTypeInfo& album = Ent(*s, "Photos::App::Album");
  CHECK(Attr(album, "owner") == "entity Photos::App::User");
  CHECK(Attr(album, "root") == "entity Root");
  CHECK(Attr(album, "other") == "entity Other::Thing");
  const ActionInfo& view = Act(*s, "Photos::App::Action", "view");
  CHECK(Names(view.principal_types) == Strs{"Photos::App::User"});
  CHECK(Names(view.resource_types) == Strs{"Photos::App::Album", "Root"});
  Ent(*s, "Tail");
}

TEST_CASE("schema text: namespace errors", "[schema_parser]") {
  FailsAt("namespace N { entity A; }\nnamespace N { entity B; }", "2:11",
          "duplicate namespace `N`");
  FailsAt("namespace N { namespace M { } }", "1:15",
          "expected `entity`, `action` or `type`, found `namespace`");
  FailsAt("namespace A::__cedar { entity E; }", "1:11",
          "use of the reserved `__cedar` namespace");
  FailsAt("namespace N { entity A; ", "1:25",
          "expected `}` closing namespace `N`");
  FailsAt("namespace N::in { }", "1:14", "`in` is a reserved identifier");
}

// --- Common types
// ----------------------------------------------------------------

TEST_CASE("schema text: common types are inlined", "[schema_parser]") {
  auto s = MustParse(R"(
    type Name = String;
    namespace App {
      type Person = { name: Name, tags: Set<Tag>, boss?: Person2 };
      type Person2 = User;       // a common type may name an entity type
      type Tag = { key: Name };
      type Ctx = { who: Person };
      entity User = { p: Person };
      action act appliesTo { principal: User, resource: User, context: Ctx };
    }
  )");
  CHECK(Attr(Ent(*s, "App::User"), "p") ==
        "{boss?: entity App::User, name: String, tags: Set<{key: String}>}");
  CHECK(T(Act(*s, "App::Action", "act").context) ==
        "{who: {boss?: entity App::User, name: String, tags: Set<{key: "
        "String}>}}");
}

TEST_CASE("schema text: common type errors", "[schema_parser]") {
  FailsAt("type A = Set<B>;\ntype B = { a: A };\nentity E { a: A };", "1:6",
          "cycle in common type references: `A` -> `B` -> `A`");
  FailsAt("type A = A;", "1:6", "cycle in common type references: `A` -> `A`");
  FailsAt("type Long = String;", "1:6",
          "`Long` is a reserved schema keyword and cannot be the name of a "
          "common type");
  FailsAt("type Record = String;", "1:6",
          "`Record` is a reserved schema keyword");
  FailsAt("type T = Long;\ntype T = String;", "2:6",
          "common type `T` is declared twice");
  FailsAt("type T = Nope;", "1:10",
          "failed to resolve type `Nope`: `Nope` has not been declared as a "
          "common or "
          "entity type");
  FailsAt("type T Long;", "1:8", "expected `=`, found `Long`");
  FailsAt("type T = Set<Long;", "1:18", "expected `>`, found `;`");
}

// --- Types
// -----------------------------------------------------------------------

TEST_CASE("schema text: primitive, extension and __cedar types",
          "[schema_parser]") {
  auto s = MustParse(R"(
    entity A {
      l: Long, s: String, b: Bool,
      ip: ipaddr, d: decimal, t: datetime, du: duration,
      ql: __cedar::Long, qip: __cedar::ipaddr, qd: __cedar::duration,
      nested: Set<Set<{ x: __cedar::Bool }>>,
    };
  )");
  const EntityTypeInfo& a = Ent(*s, "A");
  CHECK(Attr(a, "l") == "Long");
  CHECK(Attr(a, "s") == "String");
  CHECK(Attr(a, "b") == "Bool");
  CHECK(Attr(a, "ip") == "ipaddr");
  CHECK(Attr(a, "d") == "decimal");
  CHECK(Attr(a, "t") == "datetime");
  CHECK(Attr(a, "du") == "duration");
  CHECK(Attr(a, "ql") == "Long");
  CHECK(Attr(a, "qip") == "ipaddr");
  CHECK(Attr(a, "qd") == "duration");
  CHECK(Attr(a, "nested") == "Set<Set<{x: Bool}>>");
  FailsAt("entity A { x: __cedar::Foo };", "1:15",
          "failed to resolve type `__cedar::Foo`");
  FailsAt("entity A { x: Set<> };", "1:19", "expected a type, found `>`");
  FailsAt("entity A { x: Set<Long> ;", "1:25",
          "expected `,` or `}`, found `;`");
}

TEST_CASE("schema text: declarations shadow builtin type names",
          "[schema_parser]") {
  // The documented example: priority is common type, entity type, builtin.
  auto s = MustParse(R"(
    namespace Demo {
      entity Host { ip: ipaddr, bandwidth: decimal };
      entity String { groups: Set<__cedar::String> };
      type ipaddr = { repr: String, isV4: Bool };
    }
  )");
  const EntityTypeInfo& host = Ent(*s, "Demo::Host");
  CHECK(Attr(host, "ip") == "{isV4: Bool, repr: entity Demo::String}");
  CHECK(Attr(host, "bandwidth") == "decimal");
  CHECK(Attr(Ent(*s, "Demo::String"), "groups") == "Set<String>");
  // An entity type `Long` in the empty namespace takes the name everywhere.
  auto t = MustParse(
      "entity Long; namespace N { entity A { x: Long, y: __cedar::Long }; }");
  CHECK(Attr(Ent(*t, "N::A"), "x") == "entity Long");
  CHECK(Attr(Ent(*t, "N::A"), "y") == "Long");
}

TEST_CASE("schema text: name resolution order", "[schema_parser]") {
  auto s = MustParse(R"(
    entity Outer;
    type Shared = Long;
    namespace N {
      entity E;
      type E = String;      // a common type beats an entity type of the same name
      entity X { a: E, b: Outer, c: Shared, d: N::E, e: Set<E> } tags E;
      entity Y in [E];      // parents are entity types only
    }
  )");
  const EntityTypeInfo& x = Ent(*s, "N::X");
  CHECK(Attr(x, "a") == "String");
  CHECK(Attr(x, "b") == "entity Outer");
  CHECK(Attr(x, "c") == "Long");
  CHECK(Attr(x, "d") == "String");
  CHECK(Attr(x, "e") == "Set<String>");
  CHECK(T(x.tags) == "String");
  CHECK(Names(Ent(*s, "N::Y").member_of) == Strs{"N::E"});
  FailsAt("namespace N { entity A { x: B }; }", "1:29",
          "failed to resolve type `B`: neither `N::B` nor `B` has been "
          "declared as a "
          "common or entity type");
  FailsAt("type T = Long;\nentity A in [T];", "2:14",
          "failed to resolve type `T`: `T` has not been declared as an entity "
          "type");
}

TEST_CASE("schema text: nesting depth limit", "[schema_parser]") {
  SchemaParseOptions o;
  o.max_nesting_depth = 3;
  CHECK(Schema::Parse("entity A { x: Set<Set<Long>> };", o).ok());  // 3 levels
  auto s = Schema::Parse("entity A { x: Set<Set<Set<Long>>> };", o);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(
      std::string(s.status().message()),
      Contains("1:23: error: type nesting exceeds the limit of 3 levels"));
  // Inlining common types counts too.
  auto t = Schema::Parse("type A = Set<Set<Long>>; entity E { x: Set<A> };", o);
  REQUIRE_FALSE(t.ok());
  CHECK_THAT(std::string(t.status().message()),
             Contains("type nesting exceeds the limit of 3 levels (with common "
                      "types inlined)"));
  // The default limit stops a pathological input without recursing deeply.
  std::string deep = "entity A { x: ";
  for (int i = 0; i < 10000; ++i) deep += "Set<";
  deep += "Long";
  for (int i = 0; i < 10000; ++i) deep += ">";
  deep += " };";
  CHECK_THAT(Errors(deep),
             Contains("type nesting exceeds the limit of 64 levels"));
}

// --- Actions
// ---------------------------------------------------------------------

TEST_CASE("schema text: action declarations", "[schema_parser]") {
  auto s = MustParse(R"(
    entity User; entity Doc;
    type Ctx = { ip: ipaddr };
    action all;
    action read in all;
    action "view doc", edit in [read, "all", Action::"all"] appliesTo {
      principal: [User],
      resource: Doc,
      context: { authenticated: Bool },
    };
    action ctx appliesTo { context: Ctx, resource: [Doc], principal: User };
    action legacy appliesTo { principal: User, resource: Doc } attributes {};
  )");
  const ActionInfo& view = Act(*s, "Action", "view doc");
  CHECK(SortedUids(view.member_of) ==
        Strs{"Action::\"all\"", "Action::\"read\""});
  CHECK(SortedUids(view.ancestors) ==
        Strs{"Action::\"all\"", "Action::\"read\""});
  CHECK(Names(view.principal_types) == Strs{"User"});
  CHECK(Names(view.resource_types) == Strs{"Doc"});
  CHECK(T(view.context) == "{authenticated: Bool}");
  CHECK(T(Act(*s, "Action", "edit").context) == "{authenticated: Bool}");
  CHECK(T(Act(*s, "Action", "ctx").context) == "{ip: ipaddr}");
  const ActionInfo& all = Act(*s, "Action", "all");
  CHECK(all.principal_types.empty());  // no appliesTo: applies to nothing
  CHECK(all.resource_types.empty());
  CHECK(T(all.context) == "{}");
  CHECK(all.ancestors.empty());
  CHECK(s->model().action_order.size() == 6);

  std::vector<Entity> entities = s->ActionEntities();
  REQUIRE(entities.size() == 6);
  CHECK(entities[1].uid == EntityUid::Of("Action", "read"));
  REQUIRE(entities[1].parents.size() == 1);
  CHECK(entities[1].parents[0] == EntityUid::Of("Action", "all"));
  CHECK(entities[1].attrs.empty());
}

TEST_CASE("schema text: actions across namespaces", "[schema_parser]") {
  auto s = MustParse(R"(
    action top;
    namespace A { action "g"; action x in ["g", Action::"top", B::Action::"h"]; }
    namespace B { action h in A::Action::"g"; }
  )");
  const ActionInfo& x = Act(*s, "A::Action", "x");
  // `Action::"top"` in A: A::Action::"top" is not declared, so the empty
  // namespace's.
  CHECK(SortedUids(x.member_of) ==
        Strs{"A::Action::\"g\"", "Action::\"top\"", "B::Action::\"h\""});
  CHECK(SortedUids(x.ancestors) ==
        Strs{"A::Action::\"g\"", "Action::\"top\"", "B::Action::\"h\""});
}

TEST_CASE("schema text: action errors", "[schema_parser]") {
  FailsAt("action a in [b];", "1:14",
          "undeclared action `Action::\"b\"`: `Action::\"b\"` has not been "
          "declared as an "
          "action");
  FailsAt("namespace N { action a in b; }", "1:27",
          "undeclared action `Action::\"b\"`: neither `N::Action::\"b\"` nor "
          "`Action::\"b\"` has been declared as an action");
  FailsAt("action a in [b];\naction b in [c];\naction c in [a];", "1:8",
          "cycle in action hierarchy containing `Action::\"a\"`");
  FailsAt("action a in a;", "1:8",
          "cycle in action hierarchy containing `Action::\"a\"`");
  FailsAt("entity U;\naction a appliesTo { principal: U };", "2:8",
          "missing `resource` declaration in `appliesTo` of action `a`");
  FailsAt("entity U;\naction a appliesTo { principal: [], resource: U };",
          "2:22",
          "`principal` of action `a` is `[]`: it must name at least one entity "
          "type");
  FailsAt(
      "entity U;\naction a appliesTo { principal: U, principal: U, resource: U "
      "};",
      "2:36", "duplicate `principal` declaration in action `a`");
  FailsAt("entity U;\naction a appliesTo { };", "2:22",
          "expected `principal`, `resource` or `context`, found `}`");
  FailsAt(
      "type C = Long;\nentity U;\naction a appliesTo { principal: U, resource: "
      "U, "
      "context: C };",
      "3:58", "the context of action `Action::\"a\"` must be a record type");
  FailsAt(
      "entity U;\naction a appliesTo { principal: U, resource: U, context: U "
      "};",
      "2:58",
      "failed to resolve type `U`: `U` has not been declared as a common type");
  FailsAt("action a in [N::Action];", "1:23",
          "expected `::` and an action id after `N::Action`, found `]`");
  FailsAt("action a, a;", "1:11", "action `Action::\"a\"` is declared twice");
  FailsAt("action in;", "1:8", "`in` is a reserved identifier");
}

// --- Declarations
// ----------------------------------------------------------------

TEST_CASE("schema text: declaration rules", "[schema_parser]") {
  FailsAt("entity A;\nentity A;", "2:8", "entity type `A` is declared twice");
  FailsAt(
      "entity A;\nnamespace N { entity A; }", "2:22",
      "definition of `N::A` illegally shadows the existing definition of `A`");
  FailsAt(
      "type A = Long;\nnamespace N { entity A; }", "2:22",
      "definition of `N::A` illegally shadows the existing definition of `A`");
  FailsAt("action a;\nnamespace N { action a; }", "2:22",
          "definition of `N::Action::\"a\"` illegally shadows the existing "
          "definition "
          "of `Action::\"a\"`");
  FailsAt("namespace N { entity Action; }", "1:22",
          "`Action` cannot be declared as an entity type");
  FailsAt("entity __cedar;", "1:8", "use of the reserved `__cedar` namespace");
  // An entity type and a common type may share a name in one namespace.
  CHECK(Schema::Parse("entity E; type E = Long;").ok());
  // Names in different namespaces do not clash.
  CHECK(Schema::Parse("namespace A { entity E; } namespace B { entity E; }")
            .ok());
}

// --- Annotations and comments
// ------------------------------------------------------

TEST_CASE("schema text: annotations and comments", "[schema_parser]") {
  auto s = MustParse(R"(
    // A comment.
    @doc("the app") @version
    namespace App {
      @doc("a user") entity User {   // trailing comment
        @doc("the name") name: String,
        @deprecated
        nick?: String,
      };
      @doc("a type") type T = Long;
      @doc("an action") action go appliesTo { principal: User, resource: User };
    }
    @doc("top") entity Top;
  )");
  CHECK(Attr(Ent(*s, "App::User"), "nick") == "?String");
  std::string printed = s->ToCedarSchema();
  CHECK_THAT(printed, Contains("@doc(\"the app\")\n@version\nnamespace App {"));
  CHECK_THAT(printed, Contains("    @doc(\"the name\")\n    name: String"));
  CHECK_THAT(printed, Contains("@doc(\"top\")\nentity Top;"));
  FailsAt("@doc(\"a\") @doc(\"b\") entity A;", "1:12",
          "duplicate annotation: `@doc`");
  FailsAt("@doc(1) entity A;", "1:6", "expected a string literal, found `1`");
  FailsAt("entity A { @doc(\"x\") };", "1:22",
          "expected an attribute name or `}`");
}

// --- Errors, recovery, limits
// -------------------------------------------------------

TEST_CASE("schema text: every error is reported, each located",
          "[schema_parser]") {
  std::string errors = Errors(
      "entity A { x: Long ;\n"    // 1: missing `}`
      "entity B in [C];\n"        // 2: fine syntactically
      "action a appliesTo {};\n"  // 3
      "type = Long;\n"            // 4
      "entity D;\n");
  INFO(errors);
  CHECK_THAT(errors, Contains("3 schema errors"));
  CHECK_THAT(errors,
             Contains("<schema>:1:20: error: expected `,` or `}`, found `;`\n"
                      "entity A { x: Long ;\n"
                      "                   ^"));
  CHECK_THAT(errors, Contains("<schema>:3:21: error: expected `principal`"));
  CHECK_THAT(errors,
             Contains("<schema>:4:6: error: expected a type name, found `=`"));
  // Resolution errors are all reported too (when the text parses).
  std::string resolve =
      Errors("entity A in [X];\nentity B { y: Y };\naction c in d;");
  CHECK_THAT(resolve, Contains("3 schema errors"));
  CHECK_THAT(resolve, Contains("<schema>:1:14:"));
  CHECK_THAT(resolve, Contains("<schema>:2:15:"));
  CHECK_THAT(resolve, Contains("<schema>:3:13:"));
}

TEST_CASE("schema text: file name, size and error-count limits",
          "[schema_parser]") {
  SchemaParseOptions o;
  o.file_name = "app.cedarschema";
  auto s = Schema::Parse("entity;", o);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(
      std::string(s.status().message()),
      Contains("app.cedarschema:1:7: error: expected an entity type name"));

  SchemaParseOptions small;
  small.max_source_bytes = 10;
  auto big = Schema::Parse("entity Abcdefgh;", small);
  REQUIRE_FALSE(big.ok());
  CHECK_THAT(std::string(big.status().message()),
             Contains("schema text is 16 bytes, over the limit of 10"));

  SchemaParseOptions few;
  few.max_errors = 2;
  std::string many;
  for (int i = 0; i < 10; ++i) many += "entity;\n";
  auto m = Schema::Parse(many, few);
  REQUIRE_FALSE(m.ok());
  CHECK_THAT(std::string(m.status().message()), Contains("2 schema errors"));
}

TEST_CASE("schema text: garbage never crashes", "[schema_parser]") {
  const char* inputs[] = {
      "",
      "   // only a comment",
      "}",
      "}}}{{{",
      ";;;",
      "namespace",
      "namespace {",
      "entity",
      "entity A in",
      "entity A in [",
      "action \"unterminated",
      "type T = {",
      "@",
      "@doc(",
      "\x01\x02\xff\xfe",
      "entity A { a: Set<Set<Set<",
      "namespace N { entity A { x: Long } entity B; }",
      "action a appliesTo { principal",
      "entity A = { \"\\u{110000}\": Long };",
      "entity A enum [\"x\", ];",
      "= ? = ?",
  };
  for (const char* in : inputs) {
    auto s = Schema::Parse(in);
    INFO("input: " << in);
    if (!s.ok()) CHECK(s.status().code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK(Schema::Parse("").ok());
  CHECK(Schema::Parse("// nothing\n").ok());
}

TEST_CASE("schema: SchemaType::FindAttr", "[schema_parser]") {
  auto s = MustParse("entity A { b: Long, a?: String, c: Bool };");
  const SchemaType& shape = *Ent(*s, "A").shape;
  REQUIRE(shape.attrs.size() == 3);
  CHECK(std::is_sorted(
      shape.attrs.begin(), shape.attrs.end(),
      [](const auto& x, const auto& y) { return x.first < y.first; }));
  const internal::RecordAttr* a = shape.FindAttr(Symbol::Intern("a"));
  REQUIRE(a != nullptr);
  CHECK_FALSE(a->required);
  CHECK(T(a->type) == "String");
  CHECK(shape.FindAttr(Symbol::Intern("zzz-not-an-attribute")) == nullptr);
}

}  // namespace
}  // namespace arbiter
