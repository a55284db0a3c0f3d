// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The decimal extension: literal grammar, bounds, printing, and the
// comparison methods. Expected behavior follows the reference Cedar 4.x.

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"
#include "src/eval/ext/extensions.h"

namespace arbiter::internal {
namespace {

int64_t Scaled(std::string_view text) {
  absl::StatusOr<Decimal> r = ParseDecimal(text);
  INFO(text);
  REQUIRE(r.ok());
  return r->scaled;
}

Value Dec(std::string_view text) { return Value::Dec(Decimal{Scaled(text)}); }

std::string ErrorOf(std::string_view text) {
  absl::StatusOr<Decimal> r = ParseDecimal(text);
  INFO(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

absl::StatusOr<Value> Call(ExtFn fn, std::vector<Value> args) {
  return CallExtension(fn, args);
}

bool CallBool(ExtFn fn, std::string_view a, std::string_view b) {
  absl::StatusOr<Value> r = Call(fn, {Dec(a), Dec(b)});
  REQUIRE(r.ok());
  REQUIRE(r->is(ValueKind::kBool));
  return r->as_bool();
}

TEST_CASE("decimal: accepted literals", "[ext][decimal]") {
  CHECK(Scaled("0.0") == 0);
  CHECK(Scaled("-0.0") == 0);
  CHECK(Scaled("1.0") == 10000);
  CHECK(Scaled("-1.0") == -10000);
  CHECK(Scaled("123.456") == 1234560);
  CHECK(Scaled("0.1234") == 1234);
  CHECK(Scaled("-0.0123") == -123);
  CHECK(Scaled("55.1") == 551000);
  CHECK(Scaled("007.5000") == 75000);
  CHECK(Scaled("1.0001") == 10001);
  // The sign covers the fraction too, also when the integer part is zero.
  CHECK(Scaled("-0.5") == -5000);
  CHECK(Scaled("-0.0001") == -1);
  CHECK(Scaled("-12.34") == -123400);
}

TEST_CASE("decimal: bounds", "[ext][decimal]") {
  CHECK(Scaled("922337203685477.5807") == INT64_MAX);
  CHECK(Scaled("-922337203685477.5808") == INT64_MIN);
  CHECK(Scaled("0922337203685477.5807") == INT64_MAX);
  for (std::string_view s :
       {"922337203685477.5808", "-922337203685477.5809", "922337203685478.0",
        "-922337203685478.0", "1000000000000000.0",
        "99999999999999999999999999999999.0",
        "-99999999999999999999999999999999.9"}) {
    CHECK(ErrorOf(s) == "overflow when converting to decimal");
  }
}

TEST_CASE("decimal: rejected literals", "[ext][decimal]") {
  for (std::string_view s :
       {"",      "1",          "-1",        "1.",    ".1",    "-.1",   "-",
        ".",     "-.",         "+1.0",      "+0.0",  "1.0.0", "1,0",   " 1.0",
        "1.0 ",  "1e3.0",      "1.0e3",     "0x1.0", "--1.0", "1.-0",  "1.+0",
        "1.0a",  "a1.0",       "1 .0",      "1. 0",  "NaN",   "inf.0", "1_0.0",
        "1.0_0", "\xd9\xa1.0", "1.\xd9\xa0"}) {
    INFO(s);
    CHECK(ErrorOf(s) ==
          absl::StrFormat("`%s` is not a well-formed decimal value", s));
  }
}

TEST_CASE("decimal: at most four fractional digits", "[ext][decimal]") {
  CHECK(ErrorOf("1.23456") ==
        "too many digits after the decimal in `1.23456`: at most 4 digits are "
        "supported");
  CHECK_FALSE(ParseDecimal("0.00000").ok());
  CHECK_FALSE(ParseDecimal("-0.00001").ok());
  CHECK(Scaled("0.0000") == 0);
}

TEST_CASE("decimal: format and round trip", "[ext][decimal]") {
  CHECK(FormatDecimal(Decimal{0}) == "0.0000");
  CHECK(FormatDecimal(Decimal{1}) == "0.0001");
  CHECK(FormatDecimal(Decimal{-1}) == "-0.0001");
  CHECK(FormatDecimal(Decimal{-5000}) == "-0.5000");
  CHECK(FormatDecimal(Decimal{12345678}) == "1234.5678");
  CHECK(FormatDecimal(Decimal{-10000}) == "-1.0000");
  CHECK(FormatDecimal(Decimal{INT64_MAX}) == "922337203685477.5807");
  CHECK(FormatDecimal(Decimal{INT64_MIN}) == "-922337203685477.5808");
  CHECK(Dec("1.5").ToCedar() == "decimal(\"1.5000\")");
  for (int64_t v :
       {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{9999}, int64_t{-10001},
        int64_t{123456789}, INT64_MAX, INT64_MIN, INT64_MIN + 1}) {
    INFO(v);
    absl::StatusOr<Decimal> again = ParseDecimal(FormatDecimal(Decimal{v}));
    REQUIRE(again.ok());
    CHECK(again->scaled == v);
  }
}

TEST_CASE("decimal: equality is by value", "[ext][decimal]") {
  CHECK(Dec("1.0") == Dec("1.0000"));
  CHECK(Dec("01.50") == Dec("1.5"));
  CHECK(Dec("-0.0") == Dec("0.0"));
  CHECK_FALSE(Dec("1.0001") == Dec("1.0"));
}

TEST_CASE("decimal: comparison methods", "[ext][decimal]") {
  CHECK(CallBool(ExtFn::kLessThan, "1.0", "1.0001"));
  CHECK_FALSE(CallBool(ExtFn::kLessThan, "1.0", "1.0"));
  CHECK_FALSE(CallBool(ExtFn::kLessThan, "2.0", "1.0"));
  CHECK(CallBool(ExtFn::kLessThan, "-0.5", "0.0"));
  CHECK(CallBool(ExtFn::kLessThanOrEqual, "1.0", "1.0"));
  CHECK(CallBool(ExtFn::kLessThanOrEqual, "-922337203685477.5808",
                 "922337203685477.5807"));
  CHECK_FALSE(CallBool(ExtFn::kLessThanOrEqual, "1.1", "1.0"));
  CHECK(CallBool(ExtFn::kGreaterThan, "0.0", "-0.0001"));
  CHECK_FALSE(CallBool(ExtFn::kGreaterThan, "1.0", "1.0"));
  CHECK(CallBool(ExtFn::kGreaterThanOrEqual, "1.0", "1.0"));
  CHECK_FALSE(CallBool(ExtFn::kGreaterThanOrEqual, "-1.0", "1.0"));
}

TEST_CASE("decimal: constructor and method errors through CallExtension",
          "[ext][decimal]") {
  absl::StatusOr<Value> r = Call(ExtFn::kDecimal, {Value::String("1.23456")});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() ==
        "error while evaluating `decimal` extension function: too many digits "
        "after the decimal in `1.23456`: at most 4 digits are supported");

  r = Call(ExtFn::kDecimal, {Value::String("+1.0")});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() ==
        "error while evaluating `decimal` extension function: `+1.0` is not a "
        "well-formed decimal value");

  r = Call(ExtFn::kDecimal, {Value::Bool(true)});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "type error: expected string, got bool");

  r = Call(ExtFn::kLessThan, {Dec("1.0"), Value::String("2.0")});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() ==
        "type error: expected decimal, got string; maybe you forgot to apply "
        "the `decimal` constructor?");

  r = Call(ExtFn::kGreaterThan, {Value::Long(1), Dec("2.0")});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "type error: expected decimal, got long");

  r = Call(ExtFn::kLessThanOrEqual, {Dec("1.0")});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() ==
        "wrong number of arguments provided to extension function "
        "`lessThanOrEqual`: expected 2, got 1");
  CHECK_FALSE(
      Call(ExtFn::kDecimal, {Value::String("1.0"), Value::String("1.0")}).ok());

  absl::StatusOr<Value> ok = Call(ExtFn::kDecimal, {Value::String("-0.5")});
  REQUIRE(ok.ok());
  CHECK(ok->as_decimal().scaled == -5000);
}

TEST_CASE("decimal: < and friends are type errors", "[ext][decimal]") {
  // Cedar 4.x overloads the operators only for datetime and duration.
  absl::StatusOr<int> c = CompareExtension(Dec("1.0"), Dec("2.0"));
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(c.status().message().find("type error") == 0);
  CHECK_FALSE(CompareExtension(Dec("1.0"), Value::Long(1)).ok());
  CHECK_FALSE(CompareExtension(Value::Long(1), Dec("1.0")).ok());
}

TEST_CASE("decimal: name lookup", "[ext][decimal]") {
  CHECK(LookupExtConstructor("decimal") == ExtFn::kDecimal);
  CHECK_FALSE(LookupExtMethod("decimal").has_value());
  CHECK(LookupExtMethod("lessThan") == ExtFn::kLessThan);
  CHECK(LookupExtMethod("lessThanOrEqual") == ExtFn::kLessThanOrEqual);
  CHECK(LookupExtMethod("greaterThan") == ExtFn::kGreaterThan);
  CHECK(LookupExtMethod("greaterThanOrEqual") == ExtFn::kGreaterThanOrEqual);
  CHECK_FALSE(LookupExtConstructor("lessThan").has_value());
  CHECK(ExtFnName(ExtFn::kGreaterThanOrEqual) == "greaterThanOrEqual");
  CHECK(ExtArity(ExtFn::kDecimal) == 1);
  CHECK(ExtArity(ExtFn::kLessThan) == 2);
}

}  // namespace
}  // namespace arbiter::internal
