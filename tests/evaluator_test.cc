// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The evaluator, with Cedar's documented semantics as the oracle: every
// operator and its type errors, checked Long arithmetic, short-circuiting
// that hides errors, `==` across types, entity hierarchy (`in`), `has`,
// attribute and tag access, set methods, `is`, structural equality and
// `like`. Expressions are parsed as a policy condition and evaluated against
// a small entity store.

#include <memory>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "absl/status/statusor.h"
#include "arbiter/arbiter.h"
#include "src/ast/policy.h"
#include "src/eval/evaluator.h"

namespace arbiter {
namespace {

using Catch::Contains;
using Catch::StartsWith;

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

// alice -> Group g1 -> Group g2 -> Org o; Photo p -> Album trip (not in the
// store); Action view -> Action read; bob has no attributes.
constexpr std::string_view kEntities = R"([
  {"uid": {"type": "User", "id": "alice"},
   "attrs": {"name": "Alice", "age": 30,
             "manager": {"__entity": {"type": "User", "id": "bob"}},
             "ghost": {"__entity": {"type": "User", "id": "ghost"}},
             "profile": {"city": "Paris", "zip": {"code": 75001}},
             "roles": ["admin", "dev"]},
   "parents": [{"type": "Group", "id": "g1"}],
   "tags": {"team": "red", "level": 3}},
  {"uid": {"type": "User", "id": "bob"}, "attrs": {}, "parents": []},
  {"uid": {"type": "Group", "id": "g1"}, "attrs": {},
   "parents": [{"type": "Group", "id": "g2"}]},
  {"uid": {"type": "Group", "id": "g2"}, "attrs": {},
   "parents": [{"type": "Org", "id": "o"}]},
  {"uid": {"type": "Org", "id": "o"}, "attrs": {}, "parents": []},
  {"uid": {"type": "Action", "id": "view"}, "attrs": {},
   "parents": [{"type": "Action", "id": "read"}]},
  {"uid": {"type": "Action", "id": "read"}, "attrs": {}, "parents": []},
  {"uid": {"type": "Photo", "id": "p"},
   "attrs": {"owner": {"__entity": {"type": "User", "id": "alice"}}},
   "parents": [{"type": "Album", "id": "trip"}]}
])";

constexpr std::string_view kContext = R"({
  "n": 5, "s": "str", "flag": true, "set": [1, 2, 3], "rec": {"x": 1},
  "max": 9223372036854775807, "min": -9223372036854775808,
  "empty": "", "emptyset": [], "emptyrec": {}
})";

struct Fixture {
  std::shared_ptr<const Entities> store;
  Request request;
};

const Fixture& TheFixture() {
  static const Fixture* f = [] {
    auto store = Entities::FromJson(kEntities);
    INFO((store.ok() ? "" : Msg(store.status())));
    REQUIRE(store.ok());
    auto ctx = ValueFromJson(kContext);
    INFO((ctx.ok() ? "" : Msg(ctx.status())));
    REQUIRE(ctx.ok());
    auto* fx = new Fixture;
    fx->store = *store;
    fx->request.principal = EntityUid::Of("User", "alice");
    fx->request.action = EntityUid::Of("Action", "view");
    fx->request.resource = EntityUid::Of("Photo", "p");
    fx->request.context = *ctx;
    return fx;
  }();
  return *f;
}

// Evaluates `expr` (as a `when` condition) and shows the result as Cedar
// text, or as "error: <message>".
std::string Eval(std::string_view expr) {
  std::string text =
      "permit(principal, action, resource) when { " + std::string(expr) + " };";
  auto set = PolicySet::Parse(text);
  INFO("text: " << text);
  INFO("parse error: " << (set.ok() ? std::string() : Msg(set.status())));
  REQUIRE(set.ok());
  const Fixture& fx = TheFixture();
  internal::Evaluator ev(*fx.store, fx.request);
  absl::StatusOr<Value> v =
      ev.Eval(*(*set)->policy(0).body->conditions[0].expr);
  if (!v.ok()) return "error: " + Msg(v.status());
  return v->ToCedar();
}

bool IsError(std::string_view expr) {
  return Eval(expr).rfind("error: ", 0) == 0;
}

// Checks that every expression evaluates to `want`.
void ExpectAll(std::initializer_list<std::string_view> exprs,
               std::string_view want) {
  for (std::string_view e : exprs) {
    INFO("expr: " << e);
    CHECK(Eval(e) == want);
  }
}

// Checks that every expression fails with a message containing `part`.
void ExpectErrors(std::initializer_list<std::string_view> exprs,
                  std::string_view part) {
  for (std::string_view e : exprs) {
    INFO("expr: " << e);
    std::string got = Eval(e);
    CHECK_THAT(got, StartsWith("error: ") && Contains(std::string(part)));
  }
}

// --- Literals and variables -------------------------------------------------------

TEST_CASE("evaluator: literals and variables", "[evaluator]") {
  CHECK(Eval("true") == "true");
  CHECK(Eval("42") == "42");
  CHECK(Eval("\"hi\"") == "\"hi\"");
  CHECK(Eval("principal") == "User::\"alice\"");
  CHECK(Eval("action") == "Action::\"view\"");
  CHECK(Eval("resource") == "Photo::\"p\"");
  CHECK(Eval("context.n") == "5");
  CHECK(Eval("context.rec") == "{\"x\": 1}");
  CHECK(Eval("[3, 1, 2, 1]") == "[1, 2, 3]");
  CHECK(Eval("{b: 1, a: 2}") == "{\"a\": 2, \"b\": 1}");
  // Errors inside set and record literals propagate.
  ExpectErrors({"[1, 1 + true]", "{a: 1, b: context.missing}"}, "");
}

// --- Equality ---------------------------------------------------------------------

TEST_CASE("evaluator: == across types is false, never an error",
          "[evaluator]") {
  ExpectAll({"1 == \"1\"", "1 == true", "\"true\" == true", "[1] == 1",
             "{} == []", "User::\"alice\" == \"alice\"",
             "User::\"a\" == Group::\"a\"", "principal == action",
             "context == {}", "ip(\"1.2.3.4\") == \"1.2.3.4\"",
             "decimal(\"1.0\") == 1", "[] == {}"},
            "false");
  ExpectAll({"1 != \"1\"", "true != 1", "User::\"a\" != Group::\"a\""},
            "true");
  ExpectAll({"1 == 1", "\"a\" == \"a\"", "true == true",
             "principal == User::\"alice\"", "User::\"x\" == User::\"x\"",
             "ip(\"10.0.0.1\") == ip(\"10.0.0.1\")"},
            "true");
  ExpectAll({"1 != 1", "\"a\" != \"a\"", "\"a\" == \"A\"", "1 == 2"}, "false");
}

TEST_CASE("evaluator: set and record equality ignore order", "[evaluator]") {
  ExpectAll({"[1, 2] == [2, 1]", "[1, 1, 2] == [2, 1]", "[] == []",
             "[[1, 2], [3]] == [[3], [2, 1]]",
             "[User::\"a\", \"x\", 1] == [1, \"x\", User::\"a\"]",
             "{a: 1, b: 2} == {b: 2, a: 1}",
             "{a: [1, 2], b: {c: 1, d: 2}} == {b: {d: 2, c: 1}, a: [2, 1]}",
             "{} == {}", "[{a: 1}, {b: 2}] == [{b: 2}, {a: 1}]",
             "context.set == [3, 2, 1]", "context.rec == {x: 1}"},
            "true");
  ExpectAll({"[1, 2] == [1, 2, 3]", "[1] == [\"1\"]",
             "{a: 1} == {a: 1, b: 2}", "{a: 1} == {a: 2}",
             "{a: 1} == {b: 1}", "[[1]] == [1]"},
            "false");
}

// --- Arithmetic -------------------------------------------------------------------

TEST_CASE("evaluator: arithmetic", "[evaluator]") {
  CHECK(Eval("1 + 2") == "3");
  CHECK(Eval("1 - 2") == "-1");
  CHECK(Eval("-3 * 4") == "-12");
  CHECK(Eval("0 * -9223372036854775808") == "0");
  CHECK(Eval("-(-5)") == "5");
  CHECK(Eval("context.n * context.n - 25") == "0");
  // Boundaries that do not overflow.
  CHECK(Eval("9223372036854775806 + 1") == "9223372036854775807");
  CHECK(Eval("-9223372036854775807 - 1") == "-9223372036854775808");
  CHECK(Eval("-4611686018427387904 * 2") == "-9223372036854775808");
  CHECK(Eval("-9223372036854775808 + 9223372036854775807") == "-1");
  CHECK(Eval("-9223372036854775807 * -1") == "9223372036854775807");
  CHECK(Eval("-context.max") == "-9223372036854775807");
}

TEST_CASE("evaluator: Long overflow is an error", "[evaluator]") {
  ExpectErrors({"9223372036854775807 + 1", "context.max + 1",
                "1 + context.max", "context.min + -1",
                "-9223372036854775808 + -9223372036854775808"},
               "overflow");
  ExpectErrors({"-9223372036854775808 - 1", "context.min - 1",
                "0 - context.min", "context.max - -1",
                "9223372036854775807 - -9223372036854775808"},
               "overflow");
  ExpectErrors({"9223372036854775807 * 2", "4611686018427387904 * 2",
                "-9223372036854775808 * -1", "context.min * -1",
                "context.max * context.max", "-1 * context.min"},
               "overflow");
  ExpectErrors({"-context.min", "-(-9223372036854775808)",
                "--9223372036854775808"},
               "overflow");
  // The overflow error is not hidden by an enclosing comparison.
  CHECK(IsError("context.max + 1 > 0"));
  CHECK(IsError("context.max + 1 == 0"));
}

TEST_CASE("evaluator: arithmetic type errors", "[evaluator]") {
  ExpectErrors({"1 + \"a\"", "\"a\" + 1", "\"a\" + \"b\"", "true + 1",
                "1 - false", "[1] * 2", "2 * {}", "principal + 1",
                "1 + context", "-\"a\"", "-true", "-[1]", "-principal",
                "decimal(\"1.0\") + decimal(\"1.0\")"},
               "type error");
}

// --- Comparison ---------------------------------------------------------------------

TEST_CASE("evaluator: Long comparisons", "[evaluator]") {
  ExpectAll({"1 < 2", "2 <= 2", "3 > 2", "3 >= 3", "-1 < 0",
             "-9223372036854775808 < 9223372036854775807", "context.n >= 5",
             "!(2 < 1)"},
            "true");
  ExpectAll({"2 < 1", "2 < 2", "1 >= 2", "2 > 2", "3 <= 2"}, "false");
}

TEST_CASE("evaluator: comparison type errors", "[evaluator]") {
  // Cedar orders only Longs (and datetime/duration), not strings or bools.
  ExpectErrors({"\"a\" < \"b\"", "\"a\" <= \"a\"", "true < false",
                "false >= true", "[1] < [2]", "{} > {}", "principal < principal",
                "1 < \"2\"", "\"1\" > 2", "1 <= true", "User::\"a\" >= 1",
                "context.s < context.s"},
               "type error");
}

// --- Boolean operators --------------------------------------------------------------

TEST_CASE("evaluator: boolean operators", "[evaluator]") {
  ExpectAll({"true && true", "true || false", "false || true", "!false",
             "!(true && false)"},
            "true");
  ExpectAll({"true && false", "false && true", "false || false", "!true"},
            "false");
  // Operands must be booleans, when they are evaluated.
  ExpectErrors({"1 && true", "true && 1", "\"a\" || true", "false || 1",
                "!1", "!\"a\"", "![]", "context && true",
                "true && context.s", "false || {}"},
               "type error");
}

TEST_CASE("evaluator: short-circuiting hides errors", "[evaluator]") {
  ExpectAll({"false && (1 + \"a\" == 2)", "false && context.missing",
             "false && 1", "false && (context.max + 1 > 0)",
             "false && principal.nope", "!(true || 1)"},
            "false");
  ExpectAll({"true || (1 + \"a\" == 2)", "true || context.missing",
             "true || 1", "true || User::\"ghost\".name",
             "false || (true || context.missing)"},
            "true");
  // Only the right-hand side is skipped.
  ExpectErrors({"context.missing && false", "context.missing || true"}, "");
}

TEST_CASE("evaluator: if-then-else", "[evaluator]") {
  CHECK(Eval("if true then 1 else 2") == "1");
  CHECK(Eval("if false then 1 else 2") == "2");
  CHECK(Eval("if 1 < 2 then \"yes\" else \"no\"") == "\"yes\"");
  // The branch not taken is never evaluated.
  CHECK(Eval("if true then 1 else 1 + \"a\"") == "1");
  CHECK(Eval("if false then context.missing else 2") == "2");
  CHECK(Eval("if true then 1 else (context.max + 1)") == "1");
  // Branches may have different types.
  CHECK(Eval("if false then 1 else \"s\"") == "\"s\"");
  // The taken branch's error propagates.
  CHECK(IsError("if true then context.missing else 1"));
  // The condition must be a boolean.
  ExpectErrors({"if 1 then 2 else 3", "if \"true\" then 2 else 3",
                "if [] then 2 else 3"},
               "type error");
  CHECK(IsError("if context.missing then 1 else 2"));
}

// --- Hierarchy: in ------------------------------------------------------------------

TEST_CASE("evaluator: in follows parents transitively", "[evaluator]") {
  ExpectAll({"principal in principal", "principal in Group::\"g1\"",
             "principal in Group::\"g2\"", "principal in Org::\"o\"",
             "Group::\"g1\" in Org::\"o\"", "action in Action::\"read\"",
             "action in action",
             // A parent that is not itself in the store still counts.
             "resource in Album::\"trip\""},
            "true");
  ExpectAll({"principal in User::\"bob\"", "Group::\"g2\" in Group::\"g1\"",
             "Org::\"o\" in Group::\"g2\"", "principal in Group::\"g3\"",
             "Action::\"read\" in Action::\"view\"",
             "principal in User::\"ghost\""},
            "false");
}

TEST_CASE("evaluator: an entity missing from the store is only in itself",
          "[evaluator]") {
  ExpectAll({"User::\"ghost\" in User::\"ghost\"",
             "User::\"ghost\" in [User::\"ghost\"]",
             "User::\"ghost\" in [Group::\"g1\", User::\"ghost\"]"},
            "true");
  ExpectAll({"User::\"ghost\" in Group::\"g1\"",
             "User::\"ghost\" in User::\"alice\"",
             "User::\"ghost\" in [Group::\"g1\"]",
             "Album::\"trip\" in Photo::\"p\""},
            "false");
}

TEST_CASE("evaluator: in with a set of entities", "[evaluator]") {
  ExpectAll({"principal in [Group::\"x\", Org::\"o\"]",
             "principal in [principal]", "resource in [Album::\"trip\"]",
             "action in [Action::\"write\", Action::\"read\"]"},
            "true");
  ExpectAll({"principal in []", "principal in [Group::\"x\", User::\"bob\"]"},
            "false");
}

TEST_CASE("evaluator: in type errors", "[evaluator]") {
  ExpectErrors({"1 in [1]", "\"a\" in Group::\"g1\"", "[principal] in principal",
                "principal in 1", "principal in \"Group::g1\"",
                "principal in {a: principal}", "context in principal"},
               "type error");
  // Every element of the set must be an entity, even after a match.
  ExpectErrors({"principal in [1]", "principal in [Group::\"g1\", 1]",
                "principal in [principal, \"x\"]", "principal in [[principal]]",
                "User::\"ghost\" in [User::\"ghost\", true]"},
               "type error");
}

// --- has and attribute access -------------------------------------------------------

TEST_CASE("evaluator: has", "[evaluator]") {
  ExpectAll({"principal has name", "principal has \"name\"",
             "principal has profile.city", "principal has profile.zip.code",
             "context has n", "context.rec has x", "{a: 1} has a",
             "resource has owner"},
            "true");
  ExpectAll({"principal has nope", "User::\"bob\" has name",
             "principal has profile.country", "principal has profile.zip.x",
             "principal has nope.city", "context has missing",
             "{a: 1} has b", "context.emptyrec has a",
             // An entity missing from the store has no attributes: false,
             // not an error.
             "User::\"ghost\" has name", "principal.ghost has name",
             "principal.ghost has a.b.c"},
            "false");
  // Tags are not attributes.
  CHECK(Eval("principal has team") == "false");
  // `has` needs an entity or a record.
  ExpectErrors({"1 has a", "\"s\" has a", "[1] has a", "true has a",
                "context.n has a"},
               "type error");
  // `e has a.b` is `e has a && e.a has b`: a non-record `e.a` is an error.
  ExpectErrors({"principal has name.first", "{a: 1} has a.b"}, "type error");
  CHECK(IsError("context.missing has a"));
}

TEST_CASE("evaluator: attribute access", "[evaluator]") {
  CHECK(Eval("principal.name") == "\"Alice\"");
  CHECK(Eval("principal[\"age\"]") == "30");
  CHECK(Eval("principal.profile.zip.code") == "75001");
  CHECK(Eval("principal.manager") == "User::\"bob\"");
  CHECK(Eval("resource.owner.name") == "\"Alice\"");
  CHECK(Eval("principal.roles.contains(\"dev\")") == "true");
  CHECK(Eval("{a: {b: 2}}.a.b") == "2");
  // A missing attribute is an error.
  CHECK_THAT(Eval("principal.nope"),
             StartsWith("error: ") && Contains("`nope`"));
  CHECK_THAT(Eval("principal.manager.name"),
             StartsWith("error: ") && Contains("`name`"));
  ExpectErrors({"context.missing", "{a: 1}.b", "context.rec.y",
                "principal.profile.country"},
               "attribute");
  // An entity missing from the store: its attributes cannot be read.
  CHECK_THAT(Eval("User::\"ghost\".name"),
             StartsWith("error: ") && Contains("does not exist"));
  CHECK_THAT(Eval("principal.ghost.name"),
             StartsWith("error: ") && Contains("User::\"ghost\""));
  // Only entities and records have attributes.
  ExpectErrors({"1.a", "\"s\".a", "[1].a", "true.a", "context.n.a",
                "context.set[\"a\"]"},
               "type error");
}

// --- Tags ---------------------------------------------------------------------------

TEST_CASE("evaluator: hasTag and getTag", "[evaluator]") {
  ExpectAll({"principal.hasTag(\"team\")", "principal.hasTag(\"level\")",
             "principal.getTag(\"team\") == \"red\"",
             "principal.getTag(\"level\") + 1 == 4"},
            "true");
  ExpectAll({"principal.hasTag(\"nope\")", "principal.hasTag(\"name\")",
             "User::\"bob\".hasTag(\"team\")",
             "principal.hasTag(\"a-tag-name-nobody-has-ever-interned\")",
             // A missing entity has no tags.
             "User::\"ghost\".hasTag(\"team\")"},
            "false");
  CHECK(Eval("principal.getTag(\"team\")") == "\"red\"");
  // getTag on a missing tag or a missing entity is an error.
  CHECK_THAT(Eval("principal.getTag(\"nope\")"),
             StartsWith("error: ") && Contains("nope"));
  CHECK(IsError("principal.getTag(\"name\")"));
  CHECK_THAT(Eval("User::\"ghost\".getTag(\"team\")"),
             StartsWith("error: ") && Contains("does not exist"));
  // Guarded access is safe.
  CHECK(Eval("principal.hasTag(\"nope\") && principal.getTag(\"nope\") == 1") ==
        "false");
  // Type errors: the receiver must be an entity, the key a string.
  ExpectErrors({"principal.hasTag(1)", "principal.getTag(true)",
                "context.hasTag(\"n\")", "{a: 1}.getTag(\"a\")",
                "\"s\".hasTag(\"s\")", "principal.hasTag(User::\"team\")"},
               "type error");
}

// --- Set methods --------------------------------------------------------------------

TEST_CASE("evaluator: contains, containsAll, containsAny, isEmpty",
          "[evaluator]") {
  ExpectAll({"[1, 2, 3].contains(2)", "[[1], 2].contains([1])",
             "[{a: 1}].contains({a: 1})", "[User::\"a\"].contains(User::\"a\")",
             "context.set.contains(3)",
             "[1, 2, 3].containsAll([3, 1])", "[1].containsAll([])",
             "[].containsAll([])", "[1, 2].containsAll([2, 2, 1])",
             "[1, 2].containsAny([5, 2])", "[].isEmpty()",
             "context.emptyset.isEmpty()", "![0].isEmpty()"},
            "true");
  ExpectAll({"[1, 2, 3].contains(4)", "[1].contains(\"1\")",
             "[].contains(1)", "[1, 2].containsAll([1, 3])",
             "[].containsAll([1])", "[1].containsAny([])",
             "[].containsAny([])", "[1, 2].containsAny([3, \"1\"])",
             "[1].isEmpty()", "[[]].isEmpty()"},
            "false");
  ExpectErrors({"1.contains(1)", "\"abc\".contains(\"a\")",
                "{a: 1}.contains(1)", "principal.contains(principal)",
                "[1].containsAll(1)", "1.containsAll([1])",
                "[1].containsAny(\"1\")", "{}.containsAny([])",
                "\"\".isEmpty()", "{}.isEmpty()", "1.isEmpty()",
                "principal.isEmpty()"},
               "type error");
}

// --- is -----------------------------------------------------------------------------

TEST_CASE("evaluator: is and is-in", "[evaluator]") {
  ExpectAll({"principal is User", "resource is Photo", "action is Action",
             "User::\"ghost\" is User", "NS::User::\"x\" is NS::User",
             "principal is User in Group::\"g2\"",
             "principal is User in [Org::\"o\"]",
             "principal is User in principal"},
            "true");
  ExpectAll({"principal is Group", "principal is NS::User",
             "NS::User::\"x\" is User", "principal is User in User::\"bob\"",
             "principal is User in []", "principal is Group in Group::\"g2\""},
            "false");
  ExpectErrors({"1 is User", "\"User\" is User", "context is User",
                "principal is User in 1", "principal is User in [1]"},
               "type error");
  // `e is T in x` tests the type first: `x` is not evaluated on a mismatch.
  CHECK(Eval("principal is Group in context.missing") == "false");
  CHECK(Eval("principal is Group in 1") == "false");
  CHECK(IsError("principal is User in context.missing"));
}

// --- like ---------------------------------------------------------------------------

TEST_CASE("evaluator: like", "[evaluator]") {
  ExpectAll({R"("" like "")", R"("" like "*")", R"("" like "**")",
             R"("abc" like "*")", R"("abc" like "abc")", R"("abc" like "a*")",
             R"("abc" like "*c")", R"("abc" like "*b*")", R"("abc" like "a*c")",
             R"("abc" like "a**c")", R"("ac" like "a**c")",
             R"("ac" like "a*c")", R"("abc" like "***")",
             R"("aXbXc" like "a*b*c")", R"("abcbc" like "*bc")",
             R"("ab" like "a*b*")", R"("aa" like "a*a")",
             R"("mississippi" like "*iss*ipp*")",
             R"("mississippi" like "m*i*i*i*i")",
             R"("a*c" like "a\*c")", R"("*" like "\*")", R"("**" like "\**")",
             R"("a*b" like "*\**")", R"("a\\b" like "a\\b")",
             R"("a\\b" like "a\\*")", R"("x\ny" like "x*y")",
             // Unicode: `*` spans whole characters.
             R"("héllo" like "h*o")", R"("héllo" like "h\u{e9}llo")",
             R"("日本語" like "日*")", R"("日本語" like "*本*")",
             R"("😀x" like "*x")", R"("😀" like "*")"},
            "true");
  ExpectAll({R"("a" like "")", R"("" like "a")", R"("abc" like "ab")",
             R"("abc" like "bc")", R"("abc" like "a*b")",
             R"("abc" like "a\*c")", R"("ab" like "a*b*c")",
             R"("a" like "a*a")", R"("abc" like "ABC")",
             R"("abc" like "a?c")", R"("x" like "\*")",
             R"("mississippi" like "*iss*ipp*z")",
             R"("héllo" like "hello")", R"("日本語" like "日*日")"},
            "false");
  ExpectErrors({R"(1 like "*")", R"(principal like "*")",
                R"(["a"] like "*")", R"(context.flag like "*")"},
               "type error");
}

// --- Extension values in the core operators ---------------------------------------

TEST_CASE("evaluator: extension calls go through the evaluator", "[evaluator]") {
  CHECK(Eval("ip(\"10.0.0.1\").isInRange(ip(\"10.0.0.0/8\"))") == "true");
  CHECK(Eval("decimal(\"1.5\").lessThan(decimal(\"2.25\"))") == "true");
  // An error in an argument propagates.
  CHECK(IsError("ip(context.missing)"));
  CHECK(IsError("ip(\"not an ip\")"));
  // Type errors in the argument.
  CHECK_THAT(Eval("ip(1)"), StartsWith("error: ") && Contains("type error"));
}

// --- Computed values nested in computed values ------------------------------------

TEST_CASE("evaluator: nested computed values keep their values", "[evaluator]") {
  // Each operand below is itself computed (not a literal, not stored), so
  // intermediate results must stay intact while their siblings evaluate.
  CHECK(Eval("((1 + 2) * (3 + 4)) - ((5 - 6) * (7 + 8))") == "36");
  CHECK(Eval("-(1 + 2) * -(3 + 4)") == "21");
  CHECK(Eval("(context.rec.x + context.rec.x) * (context.n - context.rec.x)") ==
        "8");
  CHECK(Eval("[1 + 1, 2 * 2, 3 - 1] == [2, 4]") == "true");
  CHECK(Eval("[context.n + 1, context.n - 1]") == "[4, 6]");
  CHECK(Eval("{a: 1 + 1, b: {c: 2 * 3}}.b.c + {a: 5}.a") == "11");
  CHECK(Eval("{a: principal.profile}.a.city") == "\"Paris\"");
  CHECK(Eval("(if context.n > 1 then [context.n + 1] else []).contains(6)") ==
        "true");
  CHECK(Eval("[principal.name, principal.age + 1].contains(31)") == "true");
  CHECK(Eval("(principal.age + 1) == (principal.age + 1)") == "true");
  CHECK(Eval("principal.profile == principal.profile") == "true");
  CHECK(Eval("principal.profile == {city: \"Paris\", zip: {code: 75001}}") ==
        "true");
  CHECK(Eval("[[1 + 1]].contains([2])") == "true");
  CHECK(Eval("(if true then principal else action).name") == "\"Alice\"");
  CHECK(Eval("(if false then 1 else principal.profile).zip.code") == "75001");
  CHECK(Eval("context.set.contains(1 + 1) && "
             "context.set.containsAny([0 + 3, 10])") == "true");
  CHECK(Eval("(principal.age - 30 == 0) == (1 == 1)") == "true");
  CHECK(Eval("[principal.manager, resource.owner] == [User::\"bob\", principal]") ==
        "true");
  CHECK(Eval("{x: principal.roles, y: context.set}") ==
        "{\"x\": [\"admin\", \"dev\"], \"y\": [1, 2, 3]}");
  CHECK(Eval("principal.getTag(\"level\") * principal.getTag(\"level\") + "
             "principal.age") == "39");
}

// --- Through Authorize ----------------------------------------------------------------

TEST_CASE("evaluator: conditions decide through Authorize", "[evaluator]") {
  const Fixture& fx = TheFixture();
  auto decide = [&](std::string_view cond) {
    std::string text = "permit(principal, action, resource) when { " +
                       std::string(cond) + " };";
    auto set = PolicySet::Parse(text);
    REQUIRE(set.ok());
    Response r = Authorize(**set, *fx.store, fx.request);
    if (!r.errors.empty()) return std::string("error");
    return std::string(DecisionName(r.decision));
  };
  CHECK(decide("principal in Org::\"o\" && context.flag") == "allow");
  CHECK(decide("principal.age > 40") == "deny");
  CHECK(decide("principal.nope") == "error");
  CHECK(decide("1") == "error");  // a non-boolean condition is an error
  CHECK(decide("context.n") == "error");
  CHECK(decide("false && context.n") == "deny");
}

}  // namespace
}  // namespace arbiter
