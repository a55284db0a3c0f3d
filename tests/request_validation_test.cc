// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// ValidateRequest: a request against a schema's declarations, one rule at a
// time, in the order Cedar checks them.

#include <catch2/catch.hpp>
#include <string>

#include "arbiter/request.h"
#include "arbiter/schema.h"
#include "arbiter/value.h"

namespace arbiter {
namespace {

using Catch::Contains;

std::string Msg(const absl::Status& s) { return std::string(s.message()); }
Symbol S(const char* s) { return Symbol::Intern(s); }
EntityUid U(const char* type, const char* id) {
  return EntityUid::Of(type, id);
}

const Schema& TestSchema() {
  static const std::shared_ptr<const Schema> schema = [] {
    auto s = Schema::Parse(R"(
      entity User, Admin;
      entity Color enum ["red", "blue"];
      entity Doc, Folder;
      action view appliesTo {
        principal: [User, Admin], resource: [Doc, Folder],
        context: {
          authenticated: Bool,
          level?: Long,
          ip?: ipaddr,
          owner?: User,
          colors?: Set<Color>,
          tags?: Set<String>,
          photo?: { size: Long, kind?: String },
        }
      };
      action paint appliesTo { principal: [User], resource: [Color] };
      action group;
    )");
    if (!s.ok()) FAIL(Msg(s.status()));
    return *s;
  }();
  return *schema;
}

Request View(Value context) {
  return Request{U("User", "alice"), U("Action", "view"), U("Doc", "d"),
                 std::move(context)};
}

Value Ctx(std::vector<std::pair<Symbol, Value>> fields) {
  fields.emplace_back(S("authenticated"), Value::Bool(true));
  return Value::Record(std::move(fields));
}

std::string Error(const Request& r) {
  absl::Status s = ValidateRequest(TestSchema(), r);
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  return Msg(s);
}

TEST_CASE("validate request: a conforming request", "[request_validation]") {
  CHECK(ValidateRequest(TestSchema(), View(Ctx({}))).ok());
  CHECK(ValidateRequest(
            TestSchema(),
            View(Ctx(
                {{S("level"), Value::Long(3)},
                 {S("owner"), Value::Entity(U("User", "bob"))},
                 {S("colors"), Value::Set({Value::Entity(U("Color", "red"))})},
                 {S("tags"), Value::Set({})},
                 {S("photo"), Value::Record({{S("size"), Value::Long(1)}})}})))
            .ok());
  Request admin = View(Ctx({}));
  admin.principal = U("Admin", "root");
  admin.resource = U("Folder", "f");
  CHECK(ValidateRequest(TestSchema(), admin).ok());
  CHECK(ValidateRequest(
            TestSchema(),
            Request{U("User", "a"), U("Action", "paint"), U("Color", "blue")})
            .ok());
}

TEST_CASE("validate request: principal and resource types are declared",
          "[request_validation]") {
  Request r = View(Ctx({}));
  r.principal = U("Robot", "r2");
  CHECK(Error(r) == "principal type `Robot` is not declared in the schema");
  r = View(Ctx({}));
  r.resource = U("Photo", "p");
  CHECK(Error(r) == "resource type `Photo` is not declared in the schema");
  // Actions are not entity types.
  r = View(Ctx({}));
  r.principal = U("Action", "view");
  CHECK(Error(r) == "principal type `Action` is not declared in the schema");
}

TEST_CASE("validate request: ids of enumerated types", "[request_validation]") {
  Request r{U("User", "a"), U("Action", "paint"), U("Color", "green")};
  CHECK(Error(r) ==
        "resource: entity `Color::\"green\"` is of an enumerated entity "
        "type, but `\"green\"` is not declared as a valid eid (valid eids: "
        "`\"red\"`, `\"blue\"`)");
}

TEST_CASE("validate request: the action is declared", "[request_validation]") {
  Request r = View(Ctx({}));
  r.action = U("Action", "edit");
  CHECK(Error(r) ==
        "request's action `Action::\"edit\"` is not declared in the schema");
}

TEST_CASE("validate request: appliesTo", "[request_validation]") {
  Request r = View(Ctx({}));
  r.resource = U("Color", "red");
  CHECK(Error(r) ==
        "resource type `Color` is not valid for `Action::\"view\"` (its "
        "resource types are `Doc`, `Folder`)");
  r = Request{U("Admin", "a"), U("Action", "paint"), U("Color", "red")};
  CHECK(Error(r) ==
        "principal type `Admin` is not valid for `Action::\"paint\"` (its "
        "principal types are `User`)");
  r = Request{U("User", "a"), U("Action", "group"), U("Doc", "d")};
  CHECK(Error(r) ==
        "principal type `User` is not valid for `Action::\"group\"` (it "
        "applies to no principal)");
}

TEST_CASE("validate request: the context conforms", "[request_validation]") {
  CHECK(Error(View(Value::Record({}))) ==
        "context is not valid for `Action::\"view\"`: missing required "
        "attribute `authenticated`");
  // Long types are cut short in messages.
  CHECK(Error(View(Ctx({{S("extra"), Value::Long(1)}}))) ==
        "context is not valid for `Action::\"view\"`: attribute `extra`: not "
        "declared in the record type `{ authenticated: Bool, colors?: "
        "Set<Color>, ip?: ipaddr, level?: Long, owner?: User, photo?: { "
        "kind?…`");
  CHECK(Error(View(Ctx({{S("level"), Value::String("3")}}))) ==
        "context is not valid for `Action::\"view\"`: attribute `level`: type "
        "mismatch: expected `Long`, found a string `\"3\"`");
  CHECK(Error(View(Ctx({{S("ip"), Value::String("10.0.0.1")}}))) ==
        "context is not valid for `Action::\"view\"`: attribute `ip`: type "
        "mismatch: expected `ipaddr`, found a string `\"10.0.0.1\"`");
  CHECK(Error(View(Ctx({{S("owner"), Value::Entity(U("Admin", "x"))}}))) ==
        "context is not valid for `Action::\"view\"`: attribute `owner`: type "
        "mismatch: expected an entity of type `User`, found `Admin::\"x\"`");
  CHECK(Error(View(Ctx({{S("tags"), Value::Set({Value::Long(1)})}}))) ==
        "context is not valid for `Action::\"view\"`: attribute `tags[0]`: "
        "type mismatch: expected `String`, found a long `1`");
  CHECK(Error(View(Ctx({{S("photo"), Value::Record({})}}))) ==
        "context is not valid for `Action::\"view\"`: attribute `photo`: "
        "missing required attribute `size`");
  CHECK(Error(View(Ctx(
            {{S("photo"), Value::Record({{S("size"), Value::Long(1)},
                                         {S("kind"), Value::Long(2)}})}}))) ==
        "context is not valid for `Action::\"view\"`: attribute `photo.kind`: "
        "type mismatch: expected `String`, found a long `2`");
  CHECK_THAT(
      Error(View(Ctx(
          {{S("colors"), Value::Set({Value::Entity(U("Color", "pink"))})}}))),
      Contains("attribute `colors[0]`: entity `Color::\"pink\"` is of "
               "an enumerated entity type"));
  CHECK(Error(View(Value::Long(1))) ==
        "context is not valid for `Action::\"view\"`: the context must be a "
        "record, found long");
  // An action without a context type takes only the empty record.
  Request paint{U("User", "a"), U("Action", "paint"), U("Color", "red"),
                Value::Record({{S("x"), Value::Long(1)}})};
  CHECK(Error(paint) ==
        "context is not valid for `Action::\"paint\"`: attribute `x`: not "
        "declared in the record type `{}`");
}

}  // namespace
}  // namespace arbiter
