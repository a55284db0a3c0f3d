// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Cedar's JSON value format: ValueFromJson, ValueToJson, EntityUidFromJson.

#include "src/entities/json_value.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "arbiter/entities.h"
#include "arbiter/value.h"

namespace arbiter {
namespace {

using Catch::Contains;
using Catch::StartsWith;

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

Value Parse(const std::string& json) {
  absl::StatusOr<Value> v = ValueFromJson(json);
  INFO(json);
  if (!v.ok()) INFO(Msg(v.status()));
  REQUIRE(v.ok());
  return *v;
}

std::string ParseError(const std::string& json,
                       const JsonOptions& options = {}) {
  absl::StatusOr<Value> v = ValueFromJson(json, options);
  INFO(json);
  REQUIRE_FALSE(v.ok());
  return Msg(v.status());
}

Symbol S(const char* s) { return Symbol::Intern(s); }

TEST_CASE("json value: scalars", "[json_value]") {
  CHECK(Parse("true") == Value::Bool(true));
  CHECK(Parse("false") == Value::Bool(false));
  CHECK(Parse("0") == Value::Long(0));
  CHECK(Parse("-17") == Value::Long(-17));
  CHECK(Parse("9223372036854775807") ==
        Value::Long(std::numeric_limits<int64_t>::max()));
  CHECK(Parse("-9223372036854775808") ==
        Value::Long(std::numeric_limits<int64_t>::min()));
  CHECK(Parse("\"hello\"") == Value::String("hello"));
  CHECK(Parse("\"\"") == Value::String(""));
  CHECK(Parse("\"caf\\u00e9 \\ud83d\\ude00\"") ==
        Value::String("caf\xc3\xa9 \xf0\x9f\x98\x80"));
  CHECK(Parse("  7  ") == Value::Long(7));
}

TEST_CASE("json value: huge integers are errors", "[json_value]") {
  CHECK_THAT(ParseError("9223372036854775808"),
             Contains("`9223372036854775808` is out of range for a long"));
  CHECK_THAT(ParseError("18446744073709551615"), Contains("out of range"));
  CHECK_THAT(ParseError("-9223372036854775809"), Contains("out of range"));
  CHECK_THAT(ParseError("{\"n\": 100000000000000000000000}"),
             StartsWith("at `n`: expected a long, found the integer"));
}

TEST_CASE("json value: floats are errors", "[json_value]") {
  CHECK_THAT(ParseError("1.5"), StartsWith("expected a long, found `1.5`"));
  CHECK_THAT(ParseError("1.0"), StartsWith("expected a long, found `1.0`"));
  CHECK_THAT(ParseError("1e2"), StartsWith("expected a long, found"));
  CHECK_THAT(ParseError("-0.25"), Contains("no floating-point"));
  CHECK(ParseError("1e400") ==
        "JSON value: invalid JSON: number overflow parsing `1e400`");
}

TEST_CASE("json value: null is an error", "[json_value]") {
  CHECK_THAT(ParseError("null"), StartsWith("found `null`"));
  CHECK_THAT(ParseError("{\"a\": [1, null]}"),
             StartsWith("at `a[1]`: found `null`"));
}

TEST_CASE("json value: arrays are sets", "[json_value]") {
  Value v = Parse("[3, 1, 3, 2]");
  REQUIRE(v.is(ValueKind::kSet));
  CHECK(v == Value::Set({Value::Long(1), Value::Long(2), Value::Long(3)}));
  CHECK(v.as_set().size() == 3);
  CHECK(Parse("[]") == Value::Set({}));
  Value mixed = Parse("[1, \"a\", true, [2], {\"k\": 1}]");
  CHECK(mixed.as_set().size() == 5);
  CHECK(mixed.SetContains(Value::Set({Value::Long(2)})));
}

TEST_CASE("json value: objects are records", "[json_value]") {
  Value v = Parse(R"({"name": "alice", "age": 30, "tags": ["a"],
                      "address": {"zip": 12345}})");
  REQUIRE(v.is(ValueKind::kRecord));
  CHECK(v.as_record().size() == 4);
  REQUIRE(v.FindField(S("name")) != nullptr);
  CHECK(*v.FindField(S("name")) == Value::String("alice"));
  CHECK(*v.FindField(S("age")) == Value::Long(30));
  const Value* address = v.FindField(S("address"));
  REQUIRE(address != nullptr);
  CHECK(*address->FindField(S("zip")) == Value::Long(12345));
  CHECK(v.FindField(S("missing")) == nullptr);
  CHECK(Parse("{}") == Value::Record({}));
  // Any string is a key, including ones that look like escapes' fields.
  Value odd = Parse(R"({"": 1, "a b": 2, "fn": 3, "arg": 4})");
  CHECK(odd.as_record().size() == 4);
}

TEST_CASE("json value: error paths name the location", "[json_value]") {
  CHECK_THAT(ParseError(R"({"address": {"zip": 1.5}})"),
             StartsWith("at `address.zip`: expected a long, found `1.5`"));
  CHECK_THAT(ParseError(R"({"a": {"b": [1, [2, 2.5]]}})"),
             StartsWith("at `a.b[1][1]`: expected a long"));
  CHECK_THAT(ParseError("[0, 1, {\"x\": null}]"), StartsWith("at `[2].x`: "));
}

TEST_CASE("json value: a plain type/id object stays a record", "[json_value]") {
  Value v = Parse(R"({"type": "User", "id": "alice"})");
  REQUIRE(v.is(ValueKind::kRecord));
  CHECK(*v.FindField(S("type")) == Value::String("User"));
}

TEST_CASE("json value: __entity escape", "[json_value]") {
  Value v = Parse(R"({"__entity": {"type": "Photos::Album", "id": "trip"}})");
  REQUIRE(v.is(ValueKind::kEntity));
  CHECK(v.as_entity() == EntityUid::Of("Photos::Album", "trip"));
  Value in_record =
      Parse(R"({"owner": {"__entity": {"type": "User", "id": ""}}})");
  CHECK(*in_record.FindField(S("owner")) ==
        Value::Entity(EntityUid::Of("User", "")));
  // Ids may be any string.
  CHECK(Parse(R"({"__entity": {"type": "A", "id": "x \"y\" \n ü"}})")
            .as_entity()
            .id.str() == "x \"y\" \n \xc3\xbc");

  // Other members of the reference are ignored, as Cedar ignores them.
  CHECK(Parse(R"({"__entity": {"type": "A", "id": "a", "x": 1}})") ==
        Value::Entity(EntityUid::Of("A", "a")));
}

// An object is an escape only when `__entity` is its one member and that
// member is an object with string `type` and `id`; any other object is a
// record, as cedar-wasm 4.13 reads it (checked against it: a policy finds
// `has __entity` true on each of these, `==` to an entity false).
TEST_CASE("json value: objects that are not quite escapes are records",
          "[json_value]") {
  auto record_with = [](const std::string& json, const char* field) {
    Value v = Parse(json);
    INFO(json);
    REQUIRE(v.is(ValueKind::kRecord));
    return v.FindField(S(field)) != nullptr;
  };
  CHECK(record_with(R"({"__entity": {"type": "User"}})", "__entity"));
  CHECK(record_with(R"({"__entity": {"id": "a"}})", "__entity"));
  CHECK(record_with(R"({"__entity": {"type": "A", "id": 5}})", "__entity"));
  CHECK(record_with(R"({"__entity": {"type": 1, "id": "a"}})", "__entity"));
  CHECK(record_with(R"({"__entity": "A::\"a\""})", "__entity"));
  CHECK(record_with(R"({"__entity": {"type": "A", "id": "a"}, "x": 1})", "x"));
  CHECK(record_with(R"({"__extn": {"fn": "ip"}})", "__extn"));
  CHECK(record_with(R"({"__extn": {"arg": "1.2.3.4"}})", "__extn"));
  CHECK(record_with(R"({"__extn": {"fn": 1, "arg": "1.2.3.4"}})", "__extn"));
  CHECK(
      record_with(R"({"__extn": {"fn": "ip", "args": "1.2.3.4"}})", "__extn"));
  CHECK(record_with(R"({"__extn": "ip"})", "__extn"));
  CHECK(record_with(R"({"__extn": {"fn": "ip", "arg": "1.2.3.4"}, "y": 2})",
                    "y"));
  CHECK(record_with(R"({"__expr": 5})", "__expr"));
  CHECK(record_with(R"({"__expr": "1", "b": 2})", "b"));
  // Nested, the same.
  Value nested = Parse(R"({"o": {"__entity": {"type": "User"}}})");
  const Value* o = nested.FindField(S("o"));
  REQUIRE(o != nullptr);
  CHECK(o->is(ValueKind::kRecord));
  // A reference of the right shape with a bad type name is still an error,
  // and a null inside an object that became a record is one too.
  CHECK_THAT(ParseError(R"({"__entity": {"type": "Bad Type", "id": "x"}})"),
             Contains("Bad Type"));
  CHECK_THAT(ParseError(R"({"__entity": null})"), Contains("null"));
}

TEST_CASE("json value: entity type names are checked", "[json_value]") {
  auto bad_type = [](const std::string& type) {
    return ParseError(R"({"e": {"__entity": {"type": ")" + type +
                      R"(", "id": "a"}}})");
  };
  CHECK_THAT(
      bad_type("if"),
      Contains("invalid entity type name `if`: `if` is a reserved word"));
  for (const char* word :
       {"true", "false", "if", "then", "else", "in", "is", "like", "has"}) {
    CHECK_THAT(bad_type(std::string("NS::") + word),
               Contains("is a reserved word"));
  }
  CHECK_THAT(bad_type("__cedar"), Contains("`__cedar` is reserved"));
  CHECK_THAT(bad_type("A::__cedar::B"), Contains("`__cedar` is reserved"));
  CHECK_THAT(bad_type("1a"), Contains("`1a` is not an identifier"));
  CHECK_THAT(bad_type(""), Contains("the name is empty"));
  CHECK_THAT(bad_type("A::"), Contains("each `::` must separate"));
  CHECK_THAT(bad_type("::A"), Contains("each `::` must separate"));
  CHECK_THAT(bad_type("A :: B"), Contains("not an identifier"));
  CHECK_THAT(bad_type("A:B"), Contains("not an identifier"));
  CHECK_THAT(bad_type("A-B"), Contains("not an identifier"));
  CHECK_THAT(bad_type("\xc3\xa9"), Contains("not an identifier"));
  CHECK_THAT(bad_type("if"), StartsWith("at `e`: "));

  for (const char* good : {"A", "_", "a1", "A::B::C", "permit", "principal",
                           "__cedarX", "Action", "NS::Action", "_x::Y_2"}) {
    INFO(good);
    CHECK(internal::CheckEntityTypeName(good).ok());
  }
}

TEST_CASE("json value: __extn escape", "[json_value]") {
  Value ip = Parse(R"({"__extn": {"fn": "ip", "arg": "10.0.0.1"}})");
  REQUIRE(ip.is(ValueKind::kIpAddr));
  CHECK(ip.as_ip().bytes[0] == 10);
  CHECK(ip.as_ip().bytes[3] == 1);
  CHECK(ip.as_ip().prefix == 32);
  CHECK_FALSE(ip.as_ip().v6);

  Value dec = Parse(R"({"__extn": {"fn": "decimal", "arg": "1.5"}})");
  REQUIRE(dec.is(ValueKind::kDecimal));
  CHECK(dec.as_decimal().scaled == 15000);

  Value dt = Parse(R"({"__extn": {"fn": "datetime", "arg": "1970-01-02"}})");
  REQUIRE(dt.is(ValueKind::kDatetime));
  CHECK(dt.as_datetime().ms == 86400000);

  Value dur = Parse(R"({"__extn": {"fn": "duration", "arg": "1h"}})");
  REQUIRE(dur.is(ValueKind::kDuration));
  CHECK(dur.as_duration().ms == 3600000);

  // The "args" form, as Cedar writes multi-argument calls.
  Value offset = Parse(R"({"__extn": {"fn": "offset", "args": [
      {"__extn": {"fn": "datetime", "arg": "1970-01-01"}},
      {"__extn": {"fn": "duration", "arg": "1h"}}]}})");
  REQUIRE(offset.is(ValueKind::kDatetime));
  CHECK(offset.as_datetime().ms == 3600000);
  CHECK(Parse(R"({"__extn": {"fn": "ip", "args": ["10.0.0.1"]}})") == ip);

  // Any extension function may be called; methods take the receiver first.
  CHECK(Parse(R"({"__extn": {"fn": "isIpv4",
                   "arg": {"__extn": {"fn": "ip", "arg": "1.2.3.4"}}}})") ==
        Value::Bool(true));
  CHECK(Parse(R"({"__extn": {"fn": "lessThan", "args": [
                   {"__extn": {"fn": "decimal", "arg": "1.2"}},
                   {"__extn": {"fn": "decimal", "arg": "1.3"}}]}})") ==
        Value::Bool(true));

  // Extension values inside sets and records.
  Value set = Parse(R"([{"__extn": {"fn": "ip", "arg": "10.0.0.1"}},
                        {"__extn": {"fn": "ip", "arg": "10.0.0.1"}}])");
  CHECK(set.as_set().size() == 1);
}

TEST_CASE("json value: malformed __extn escapes", "[json_value]") {
  CHECK_THAT(ParseError(R"({"x": {"__extn": {"fn": "nope", "arg": "1"}}})"),
             StartsWith("at `x`: unknown extension function `nope`"));
  CHECK_THAT(ParseError(R"({"__extn": {"fn": " ip", "arg": "1.2.3.4"}})"),
             Contains("unknown extension function ` ip`"));
  // `arg` wins over `args` when both are given, as in Cedar.
  CHECK_THAT(
      ParseError(
          R"({"__extn": {"fn": "ip", "arg": "a", "args": ["1.2.3.4"]}})"),
      Contains("calling `ip`"));
  CHECK(Parse(R"({"__extn": {"fn": "ip", "arg": "1.2.3.4", "args": ["a"]}})")
            .is(ValueKind::kIpAddr));
  CHECK_THAT(ParseError(R"({"__extn": {"fn": "ip", "args": []}})"),
             Contains("extension function `ip` takes 1 argument, found 0"));
  CHECK_THAT(ParseError(R"({"__extn": {"fn": "offset", "arg": "x"}})"),
             Contains("`offset` takes 2 arguments, found 1"));
  // Other members of the call are ignored, as Cedar ignores them.
  CHECK(Parse(R"({"__extn": {"fn": "ip", "arg": "1.2.3.4", "x": 1}})")
            .is(ValueKind::kIpAddr));
  // Bad literals and type errors are reported where they happened.
  CHECK_THAT(ParseError(R"({"home": {"__extn": {"fn": "ip", "arg": "nope"}}})"),
             StartsWith("at `home`: "));
  CHECK_THAT(ParseError(R"({"a": [{"__extn": {"fn": "ip", "arg": 5}}]})"),
             StartsWith("at `a[0]`: "));
  CHECK_THAT(
      ParseError(R"({"a": {"__extn": {"fn": "offset", "args": [1, 2]}}})"),
      StartsWith("at `a`: calling `offset`: "));
  CHECK_THAT(ParseError(R"({"__extn": {"fn": "ip", "arg": 1.5}})"),
             StartsWith("at `__extn.arg`: expected a long"));
  CHECK_THAT(ParseError(R"({"__extn": {"fn": "offset", "args": [
                 {"__extn": {"fn": "datetime", "arg": "1970-01-01"}},
                 {"__extn": {"fn": "duration", "arg": "bad"}}]}})"),
             StartsWith("at `__extn.args[1]`: "));
}

TEST_CASE("json value: __expr is rejected", "[json_value]") {
  CHECK_THAT(ParseError(R"({"a": {"__expr": "1 + 1"}})"),
             StartsWith("at `a`: the `__expr` escape is no longer supported"));
}

TEST_CASE("json value: duplicate keys are errors", "[json_value]") {
  CHECK(ParseError(R"({"a": 1, "a": 2})") == "duplicate key `a`");
  CHECK(ParseError(R"({"x": [0, {"b": 1, "b": 1}]})") ==
        "at `x[1]`: duplicate key `b`");
  // The same key in different objects is fine.
  CHECK(Parse(R"({"a": {"a": 1}, "b": {"a": 2}})").as_record().size() == 2);
}

std::string Nested(int levels, const std::string& leaf) {
  std::string s;
  for (int i = 0; i < levels; ++i) s += "[";
  s += leaf;
  for (int i = 0; i < levels; ++i) s += "]";
  return s;
}

std::string NestedRecords(int levels) {
  std::string s;
  for (int i = 0; i < levels; ++i) s += "{\"k\": ";
  s += "1";
  for (int i = 0; i < levels; ++i) s += "}";
  return s;
}

TEST_CASE("json value: depth limit", "[json_value]") {
  CHECK(ValueFromJson(Nested(64, "1")).ok());
  absl::StatusOr<Value> deep = ValueFromJson(Nested(65, "1"));
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.status().code() == absl::StatusCode::kResourceExhausted);
  CHECK_THAT(Msg(deep.status()), Contains("deeper than 64 levels"));
  CHECK_THAT(Msg(deep.status()), StartsWith("at `[0][0]"));

  CHECK(ValueFromJson(NestedRecords(64)).ok());
  CHECK_THAT(ParseError(NestedRecords(65)), Contains("deeper than 64 levels"));

  JsonOptions two;
  two.max_depth = 2;
  CHECK(ValueFromJson("[[1]]", two).ok());
  CHECK_THAT(ParseError("[[[1]]]", two),
             StartsWith("at `[0][0]`: sets, records and extension calls "
                        "nested deeper than 2 levels"));
  CHECK_THAT(ParseError(R"({"a": {"b": {"c": 1}}})", two),
             StartsWith("at `a.b`: "));

  // Scalars, escapes and extension calls on strings need no nesting.
  JsonOptions zero;
  zero.max_depth = 0;
  CHECK(ValueFromJson("1", zero).ok());
  CHECK(ValueFromJson(R"({"__extn": {"fn": "ip", "arg": "1.2.3.4"}})", zero)
            .ok());
  CHECK(ValueFromJson(R"({"__entity": {"type": "A", "id": "b"}})", zero).ok());
  CHECK_FALSE(ValueFromJson("[]", zero).ok());
  // A call whose arguments are calls nests one level.
  const std::string offset = R"({"__extn": {"fn": "offset", "args": [
      {"__extn": {"fn": "datetime", "arg": "1970-01-01"}},
      {"__extn": {"fn": "duration", "arg": "1h"}}]}})";
  CHECK_FALSE(ValueFromJson(offset, zero).ok());
  JsonOptions one;
  one.max_depth = 1;
  CHECK(ValueFromJson(offset, one).ok());
}

TEST_CASE("json value: very deep input neither recurses nor crashes",
          "[json_value]") {
  for (const std::string& text :
       {Nested(200000, "1"), std::string(200000, '['), NestedRecords(100000)}) {
    absl::StatusOr<Value> v = ValueFromJson(text);
    REQUIRE_FALSE(v.ok());
    CHECK(v.status().code() == absl::StatusCode::kResourceExhausted);
  }
  // A raised limit is honoured with an explicit stack, not recursion.
  JsonOptions big;
  big.max_depth = 100000;
  absl::StatusOr<Value> v = ValueFromJson(Nested(5000, "1"), big);
  REQUIRE(v.ok());
  CHECK(ValueToJson(*v) == Nested(5000, "1"));
}

TEST_CASE("json value: max_bytes", "[json_value]") {
  JsonOptions small;
  small.max_bytes = 10;
  CHECK(ValueFromJson("[1,2,3]", small).ok());
  absl::StatusOr<Value> v = ValueFromJson("[1,2,3,4,5,6]", small);
  REQUIRE_FALSE(v.ok());
  CHECK(v.status().code() == absl::StatusCode::kResourceExhausted);
  CHECK_THAT(Msg(v.status()), Contains("more than the limit of 10"));
}

TEST_CASE("json value: invalid JSON reports the position", "[json_value]") {
  std::string msg = ParseError("[1,\n 2,\n x]");
  CHECK_THAT(msg, StartsWith("JSON value: invalid JSON at line 3, column 2"));
  CHECK_THAT(ParseError(""), Contains("invalid JSON at line 1, column 1"));
  CHECK_THAT(ParseError("tru"), Contains("last read: `tru`"));
  CHECK_THAT(ParseError("[1] 2"), Contains("invalid JSON"));
  CHECK_THAT(ParseError("{'a': 1}"), Contains("invalid JSON"));
  CHECK_THAT(ParseError("\"\xff\""), Contains("invalid JSON"));
  CHECK_THAT(ParseError("[1] // comment"), Contains("invalid JSON"));
  for (const std::string& m :
       {ParseError("{"), ParseError("[1,"), ParseError("\"abc"),
        ParseError("{\"a\" 1}"), ParseError(std::string("[1\0]", 4))}) {
    CHECK_THAT(m, StartsWith("JSON value: invalid JSON"));
    CHECK(m.back() != '.');
  }
}

TEST_CASE("json value: truncated and garbled input never crashes",
          "[json_value]") {
  const std::string doc = R"({"a": [1, "x", {"__entity": {"type": "A::B",
      "id": "i"}}, {"__extn": {"fn": "offset", "args": [{"__extn": {"fn":
      "datetime", "arg": "1970-01-01"}}, {"__extn": {"fn": "duration",
      "arg": "2h"}}]}}], "b": {"c": true, "d": -3}})";
  REQUIRE(ValueFromJson(doc).ok());
  for (size_t n = 0; n < doc.size(); ++n) {
    (void)ValueFromJson(doc.substr(0, n));
  }
  std::mt19937 rng(12345);
  const std::string alphabet = "{}[]\":,0123456789.-e _aAtrufnl\\";
  for (int round = 0; round < 3000; ++round) {
    std::string s = doc;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t pos = rng() % s.size();
      switch (rng() % 3) {
        case 0:
          s[pos] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          s.erase(pos, 1 + rng() % 5);
          break;
        default:
          s.insert(pos, 1, static_cast<char>(rng() % 256));
          break;
      }
      if (s.empty()) s.push_back('x');
    }
    absl::StatusOr<Value> v = ValueFromJson(s);
    if (v.ok()) (void)ValueToJson(*v);
  }
  SUCCEED();
}

TEST_CASE("value to json: every kind", "[json_value]") {
  CHECK(ValueToJson(Value::Bool(true)) == "true");
  CHECK(ValueToJson(Value::Long(-5)) == "-5");
  CHECK(ValueToJson(Value::Long(std::numeric_limits<int64_t>::min())) ==
        "-9223372036854775808");
  CHECK(ValueToJson(Value::String("a\"b\\c\n\t\x01")) ==
        R"("a\"b\\c\n\t\u0001")");
  CHECK(ValueToJson(Value::String("caf\xc3\xa9")) == "\"caf\xc3\xa9\"");
  // Invalid UTF-8 cannot be written as JSON; it becomes U+FFFD.
  CHECK(ValueToJson(Value::String("a\xff"
                                  "b")) == R"("a\ufffdb")");
  CHECK(ValueToJson(Value::Entity(EntityUid::Of("NS::User", "al\"ice"))) ==
        R"({"__entity":{"type":"NS::User","id":"al\"ice"}})");
  CHECK(ValueToJson(Value::Set({})) == "[]");
  CHECK(ValueToJson(Value::Record({})) == "{}");
  CHECK(ValueToJson(Value::Set({Value::Long(2), Value::Long(1)})) == "[1,2]");
  // Record keys are written in name order, whatever their interning order.
  Value rec =
      Value::Record({{S("zz_last"), Value::Long(1)},
                     {S("aa_first"), Value::Set({Value::Bool(false)})}});
  CHECK(ValueToJson(rec) == R"({"aa_first":[false],"zz_last":1})");
  CHECK(ValueToJson(Parse(R"({"__extn": {"fn": "ip", "arg": "10.0.0.1"}})")) ==
        R"({"__extn":{"fn":"ip","arg":"10.0.0.1"}})");
  CHECK_THAT(
      ValueToJson(Parse(R"({"__extn": {"fn": "decimal", "arg": "1.5"}})")),
      StartsWith(R"({"__extn":{"fn":"decimal","arg":"1.5)"));
}

TEST_CASE("value to json: round trip", "[json_value]") {
  const std::vector<std::string> docs = {
      "true",
      "-9223372036854775808",
      R"("")",
      R"("multi\nline \u0000 and \"quotes\"")",
      "[]",
      "{}",
      R"([1, [2, [3, []]], {"a": {"b": {}}}])",
      R"({"owner": {"__entity": {"type": "A::B", "id": "x\ny"}},
          "ips": [{"__extn": {"fn": "ip", "arg": "192.168.0.0/16"}},
                  {"__extn": {"fn": "ip", "arg": "::1"}}],
          "d": {"__extn": {"fn": "decimal", "arg": "-12.3456"}},
          "t": {"__extn": {"fn": "datetime", "arg": "2024-10-15T11:35:00Z"}},
          "t2": {"__extn": {"fn": "datetime",
                            "arg": "2024-10-15T11:35:00.123+0130"}},
          "span": {"__extn": {"fn": "duration", "arg": "-1d2h3m4s5ms"}},
          "type": "User", "id": "plain record"})",
  };
  for (const std::string& doc : docs) {
    INFO(doc);
    Value v = Parse(doc);
    std::string json = ValueToJson(v);
    INFO(json);
    absl::StatusOr<Value> back = ValueFromJson(json);
    REQUIRE(back.ok());
    CHECK(*back == v);
    CHECK(ValueToJson(*back) == json);
  }
}

TEST_CASE("entity uid from json", "[json_value]") {
  const EntityUid alice = EntityUid::Of("User", "alice");
  auto uid = [](const std::string& json) {
    absl::StatusOr<EntityUid> u = EntityUidFromJson(json);
    INFO(json);
    if (!u.ok()) INFO(Msg(u.status()));
    REQUIRE(u.ok());
    return *u;
  };
  CHECK(uid(R"({"type": "User", "id": "alice"})") == alice);
  CHECK(uid(R"({"__entity": {"type": "User", "id": "alice"}})") == alice);
  CHECK(uid(R"("User::\"alice\"")") == alice);
  CHECK(uid(R"("  User :: \"alice\"  ")") == alice);
  CHECK(uid(R"("A::B::\"x\"")") == EntityUid::Of("A::B", "x"));
  CHECK(uid(R"("A::\"\"")") == EntityUid::Of("A", ""));
  CHECK(
      uid(R"("A::\"q\\\"uote \\\\ \\n\\r\\t\\0 \\' \\x41 \\u{e9} \\u{1F600}\"")") ==
      EntityUid::Of("A", std::string("q\"uote \\ \n\r\t\0 ' A \xc3\xa9 "
                                     "\xf0\x9f\x98\x80",
                                     25)));
  CHECK(uid(R"("A::\"a::b\"")") == EntityUid::Of("A", "a::b"));
  // Other members are ignored, in either form, as Cedar ignores them; an
  // escape whose body is not a reference leaves the object's own.
  CHECK(uid(R"({"type": "User", "id": "alice", "extra": 1})") == alice);
  CHECK(
      uid(R"({"__entity": {"type": "User", "id": "alice", "z": 1}, "more": 1})") ==
      alice);
  CHECK(uid(R"({"__entity": 5, "type": "User", "id": "alice"})") == alice);
}

TEST_CASE("entity uid from json: errors", "[json_value]") {
  auto err = [](const std::string& json) {
    absl::StatusOr<EntityUid> u = EntityUidFromJson(json);
    INFO(json);
    REQUIRE_FALSE(u.ok());
    return Msg(u.status());
  };
  CHECK(err(R"("User::alice")") ==
        "invalid entity reference `User::alice` at offset 11: the id must be "
        "a quoted string (expected the form `Type::\"id\"`)");
  CHECK_THAT(err(R"("User::")"), Contains("expected a quoted id after `::`"));
  CHECK_THAT(err(R"("User::5")"), Contains("expected a quoted id after `::`"));
  CHECK_THAT(err(R"("User")"), Contains("expected `::` after the type name"));
  CHECK_THAT(err(R"("::\"a\"")"), Contains("expected an entity type name"));
  CHECK_THAT(err(R"("if::\"a\"")"), Contains("`if` is a reserved word"));
  CHECK_THAT(err(R"("A::\"a\" x")"), Contains("unexpected text after the id"));
  CHECK_THAT(err(R"("A::\"a)"), Contains("invalid JSON"));
  CHECK_THAT(err(R"("A::\"a")"), Contains("unterminated id string"));
  CHECK_THAT(err(R"("A::\"\\q\"")"), Contains("unknown escape `\\q`"));
  CHECK_THAT(err(R"("A::\"\\x80\"")"), Contains("at most `7f`"));
  CHECK_THAT(err(R"("A::\"\\u{D800}\"")"), Contains("not a Unicode scalar"));
  CHECK_THAT(err(R"("A::\"\\u{1234567}\"")"), Contains("1 to 6 hex digits"));
  CHECK_THAT(err("5"), Contains("expected an entity reference"));
  CHECK_THAT(err("[]"), Contains("expected an entity reference"));
  CHECK_THAT(err(R"({"type": "User"})"), Contains("missing `id`"));
  CHECK_THAT(err(R"({"type": "User", "id": "a", "id": "b"})"),
             Contains("duplicate key `id`"));
  CHECK_THAT(err("{"), Contains("invalid JSON"));
  CHECK_THAT(err(""), Contains("invalid JSON"));
}

TEST_CASE("entity uid: ToString parses back", "[json_value]") {
  for (const std::string& id :
       {std::string("plain"), std::string(""), std::string("a\"b\\c"),
        std::string("tab\tnew\nline\rnul", 17), std::string("\x01\x7f"),
        std::string("caf\xc3\xa9")}) {
    EntityUid u = EntityUid::Of("NS::Type", id);
    absl::StatusOr<EntityUid> back = internal::ParseEntityUidText(u.ToString());
    INFO(u.ToString());
    REQUIRE(back.ok());
    CHECK(*back == u);
  }
}

}  // namespace
}  // namespace arbiter
