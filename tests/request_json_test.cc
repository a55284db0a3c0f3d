// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// RequestFromJson: a request read from JSON, with and without a schema, and
// every way the text can be wrong.

#include <catch2/catch.hpp>
#include <string>

#include "arbiter/schema.h"
#include "arbiter/value.h"

namespace arbiter {
namespace {

using Catch::Contains;

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

const Value* Field(const Request& r, const char* name) {
  return r.context.FindField(Symbol::Intern(name));
}

std::shared_ptr<const Schema> TestSchema() {
  static const std::shared_ptr<const Schema> schema = [] {
    auto s = Schema::Parse(R"(
      entity User, Doc;
      action view appliesTo {
        principal: [User], resource: [Doc],
        context: { ip: ipaddr, level?: Long }
      };
    )");
    REQUIRE(s.ok());
    return *s;
  }();
  return schema;
}

TEST_CASE("request JSON: the three reference forms and a context") {
  auto r = RequestFromJson(R"({
    "principal": {"type": "User", "id": "alice"},
    "action": {"__entity": {"type": "Action", "id": "view"}},
    "resource": "Doc::\"d1\"",
    "context": {"ip": {"__extn": {"fn": "ip", "arg": "10.0.0.1"}}, "n": 3}
  })");
  REQUIRE(r.ok());
  CHECK(r->principal == EntityUid::Of("User", "alice"));
  CHECK(r->action == EntityUid::Of("Action", "view"));
  CHECK(r->resource == EntityUid::Of("Doc", "d1"));
  REQUIRE(Field(*r, "ip") != nullptr);
  CHECK(Field(*r, "ip")->is(ValueKind::kIpAddr));
  REQUIRE(Field(*r, "n") != nullptr);
  CHECK(Field(*r, "n")->as_long() == 3);
}

TEST_CASE("request JSON: no context is the empty record") {
  for (const char* text :
       {R"({"principal": "U::\"a\"", "action": "A::\"b\"", "resource": "R::\"c\""})",
        R"({"principal": "U::\"a\"", "action": "A::\"b\"", "resource": "R::\"c\"", "context": null})"}) {
    auto r = RequestFromJson(text);
    REQUIRE(r.ok());
    REQUIRE(r->context.is(ValueKind::kRecord));
    CHECK(r->context.as_record().empty());
  }
}

TEST_CASE("request JSON: errors name the member at fault") {
  auto unknown = RequestFromJson(
      R"({"principal": "U::\"a\"", "action": "A::\"b\"", "resource": "R::\"c\"", "contxt": {}})");
  REQUIRE(!unknown.ok());
  CHECK_THAT(Msg(unknown.status()), Contains("unknown member `contxt`"));

  auto missing = RequestFromJson(R"({"principal": "U::\"a\"", "resource": "R::\"c\""})");
  REQUIRE(!missing.ok());
  CHECK(Msg(missing.status()) == "request: missing `action`");

  auto null_member = RequestFromJson(
      R"({"principal": null, "action": "A::\"b\"", "resource": "R::\"c\""})");
  REQUIRE(!null_member.ok());
  CHECK(Msg(null_member.status()) == "request: missing `principal`");

  auto bad_uid = RequestFromJson(
      R"({"principal": "U::\"a\"", "action": {"type": "A"}, "resource": "R::\"c\""})");
  REQUIRE(!bad_uid.ok());
  CHECK_THAT(Msg(bad_uid.status()), Contains("request: `action`: "));

  auto not_record = RequestFromJson(
      R"({"principal": "U::\"a\"", "action": "A::\"b\"", "resource": "R::\"c\"", "context": [1]})");
  REQUIRE(!not_record.ok());
  CHECK_THAT(Msg(not_record.status()), Contains("request: `context`: "));

  auto not_object = RequestFromJson("[1, 2]");
  REQUIRE(!not_object.ok());
  CHECK_THAT(Msg(not_object.status()), Contains("expected a JSON object"));

  auto syntax = RequestFromJson("{\"principal\": ");
  REQUIRE(!syntax.ok());
  CHECK_THAT(Msg(syntax.status()), Contains("request JSON"));

  auto duplicate = RequestFromJson(
      R"({"principal": "U::\"a\"", "principal": "U::\"b\"", "action": "A::\"b\"", "resource": "R::\"c\""})");
  CHECK(!duplicate.ok());
}

TEST_CASE("request JSON: nesting and size limits are errors, not crashes") {
  std::string deep = R"({"principal": "U::\"a\"", "action": "A::\"b\"", "resource": "R::\"c\"", "context": {"x": )";
  for (int i = 0; i < 100000; ++i) deep += "[";
  for (int i = 0; i < 100000; ++i) deep += "]";
  deep += "}}";
  auto r = RequestFromJson(deep);
  REQUIRE(!r.ok());
  CHECK_THAT(Msg(r.status()), Contains("nest"));

  RequestJsonOptions small;
  small.json.max_bytes = 16;
  auto big = RequestFromJson(
      R"({"principal": "U::\"a\"", "action": "A::\"b\"", "resource": "R::\"c\""})", small);
  CHECK(!big.ok());
}

TEST_CASE("request JSON: with a schema the context is typed and validated") {
  RequestJsonOptions options;
  options.schema = TestSchema().get();
  const char* text =
      R"({"principal": "User::\"a\"", "action": "Action::\"view\"", "resource": "Doc::\"d\"", "context": {"ip": "10.1.2.3"}})";
  auto typed = RequestFromJson(text, options);
  REQUIRE(typed.ok());
  REQUIRE(Field(*typed, "ip") != nullptr);
  CHECK(Field(*typed, "ip")->is(ValueKind::kIpAddr));
  // Without the schema the same text is a string.
  auto plain = RequestFromJson(text);
  REQUIRE(plain.ok());
  CHECK(Field(*plain, "ip")->is(ValueKind::kString));

  auto wrong_type = RequestFromJson(
      R"({"principal": "User::\"a\"", "action": "Action::\"view\"", "resource": "Doc::\"d\"", "context": {"ip": "10.1.2.3", "level": "high"}})",
      options);
  REQUIRE(!wrong_type.ok());
  CHECK_THAT(Msg(wrong_type.status()), Contains("request: `context`: "));
  CHECK_THAT(Msg(wrong_type.status()), Contains("level"));

  auto undeclared = RequestFromJson(
      R"({"principal": "User::\"a\"", "action": "Action::\"edit\"", "resource": "Doc::\"d\"", "context": {}})",
      options);
  REQUIRE(!undeclared.ok());
  CHECK_THAT(Msg(undeclared.status()), Contains("not declared"));

  // A principal the action does not apply to: rejected when validating,
  // read as is when not.
  const char* doc_principal =
      R"({"principal": "Doc::\"x\"", "action": "Action::\"view\"", "resource": "Doc::\"d\"", "context": {"ip": "10.1.2.3"}})";
  auto invalid = RequestFromJson(doc_principal, options);
  REQUIRE(!invalid.ok());
  CHECK_THAT(Msg(invalid.status()), Contains("principal"));
  options.validate = false;
  auto unvalidated = RequestFromJson(doc_principal, options);
  REQUIRE(unvalidated.ok());
  CHECK(unvalidated->principal == EntityUid::Of("Doc", "x"));

  // A required context field missing: the context does not conform.
  options.validate = true;
  auto no_ip = RequestFromJson(
      R"({"principal": "User::\"a\"", "action": "Action::\"view\"", "resource": "Doc::\"d\""})",
      options);
  CHECK(!no_ip.ok());
}

}  // namespace
}  // namespace arbiter
