// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The datetime and duration extensions: literal grammars, printing, the
// arithmetic methods and their overflow errors, and the comparison
// operators. Expected behavior follows the reference Cedar 4.x.

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"
#include "src/eval/ext/extensions.h"

namespace arbiter::internal {
namespace {

constexpr int64_t kDay = 86'400'000;

int64_t Ms(std::string_view text) {
  absl::StatusOr<Datetime> r = ParseDatetime(text);
  INFO(text);
  REQUIRE(r.ok());
  return r->ms;
}

int64_t DurMs(std::string_view text) {
  absl::StatusOr<Duration> r = ParseDuration(text);
  INFO(text);
  REQUIRE(r.ok());
  return r->ms;
}

Value Time(std::string_view text) { return Value::Time(Datetime{Ms(text)}); }
Value Span(std::string_view text) { return Value::Span(Duration{DurMs(text)}); }

std::string DatetimeError(std::string_view text) {
  absl::StatusOr<Datetime> r = ParseDatetime(text);
  INFO(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

std::string DurationError(std::string_view text) {
  absl::StatusOr<Duration> r = ParseDuration(text);
  INFO(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

absl::StatusOr<Value> Call(ExtFn fn, std::vector<Value> args) {
  return CallExtension(fn, args);
}

Value CallOk(ExtFn fn, std::vector<Value> args) {
  absl::StatusOr<Value> r = Call(fn, std::move(args));
  INFO(r.status().message());
  REQUIRE(r.ok());
  return *r;
}

int64_t CallLong(ExtFn fn, Value arg) {
  Value v = CallOk(fn, {std::move(arg)});
  REQUIRE(v.is(ValueKind::kLong));
  return v.as_long();
}

std::string CallError(ExtFn fn, std::vector<Value> args) {
  absl::StatusOr<Value> r = Call(fn, std::move(args));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// ---- datetime literals ----------------------------------------------------

TEST_CASE("datetime: accepted forms", "[ext][datetime]") {
  CHECK(Ms("1970-01-01") == 0);
  CHECK(Ms("2024-10-28") == 1730073600000);
  CHECK(Ms("2024-10-28T00:00:00Z") == 1730073600000);
  CHECK(Ms("2024-10-28T01:22:33.456Z") == 1730078553456);
  CHECK(Ms("2024-10-28T01:22:33Z") == 1730078553000);
  CHECK(Ms("2024-10-28T10:12:13.456-0700") == 1730135533456);
  CHECK(Ms("2024-10-28T10:12:13-0700") == 1730135533000);
  CHECK(Ms("1969-12-31T23:59:59.999Z") == -1);
  CHECK(Ms("1900-01-01") == -2208988800000);
  CHECK(Ms("0000-01-01") == -62167219200000);
  CHECK(Ms("0001-01-01") == -62135596800000);
  CHECK(Ms("9999-12-31T23:59:59.999Z") == 253402300799999);
}

TEST_CASE("datetime: offsets", "[ext][datetime]") {
  // Local time minus the offset is UTC.
  CHECK(Ms("2024-10-15T11:38:02.101+1134") == Ms("2024-10-15T00:04:02.101Z"));
  CHECK(Ms("2024-10-15T11:38:02.101-1134") == Ms("2024-10-15T23:12:02.101Z"));
  CHECK(Ms("2024-10-15T11:38:02+1134") == Ms("2024-10-15T00:04:02Z"));
  CHECK(Ms("2024-10-15T23:59:00+2359") == Ms("2024-10-15"));
  CHECK(Ms("2024-10-15T00:00:00-2359") == Ms("2024-10-15T23:59:00Z"));
  CHECK(Ms("2024-10-15T00:00:00+0000") == Ms("2024-10-15"));
  CHECK(Ms("2024-10-15T00:00:00-0000") == Ms("2024-10-15"));
  // Offsets may carry a value across the 0000-9999 range.
  CHECK(Ms("0000-01-01T00:00:00+0100") == Ms("0000-01-01") - 3'600'000);
  CHECK(Ms("9999-12-31T23:00:00-0100") == Ms("9999-12-31") + kDay);
}

TEST_CASE("datetime: leap days and month lengths", "[ext][datetime]") {
  CHECK(Ms("2024-02-29") == Ms("2024-02-28") + kDay);
  CHECK(Ms("2024-03-01") == Ms("2024-02-29") + kDay);
  CHECK(Ms("2000-02-29") == Ms("2000-03-01") - kDay);
  CHECK(Ms("0000-02-29") == Ms("0000-03-01") - kDay);  // year 0 is a leap year
  CHECK(Ms("2023-03-01") == Ms("2023-02-28") + kDay);
  for (std::string_view s :
       {"2025-02-29", "1900-02-29", "2100-02-29", "2024-02-30", "2024-04-31",
        "2024-06-31", "2024-09-31", "2024-11-31", "2024-00-01", "2024-13-01",
        "2024-20-01", "2024-01-00", "2024-01-32", "2024-01-99"}) {
    CHECK(DatetimeError(s) == absl::StrFormat("invalid date: `%s`", s));
  }
  CHECK(DatetimeError("2025-02-29T00:00:00Z") == "invalid date: `2025-02-29`");
}

TEST_CASE("datetime: rejected patterns", "[ext][datetime]") {
  for (std::string_view s :
       {"", "a", "-", "-1", "11-12-13", "1111-1x-20", "10000-01-01",
        "10000-01-01T00:00:00Z", "+2024-01-01", "-2024-01-01", "2024-1-01",
        "2024-01-1", "2024/01/01", "0000-0a-01", " 2024-01-01",
        "\xd9\xa1"
        "024-01-01"}) {
    INFO(s);
    CHECK(StartsWith(DatetimeError(s), "invalid date pattern"));
  }
  for (std::string_view s :
       {"2024-10-15Z", "2024-10-150", "2024-01-01T", "2024-01-01Ta",
        "2024-01-01T01:", "2024-01-01T01:02", "2024-01-01T01:02:0b",
        "2024-01-01T01::02:03", "2024-01-01t01:02:03Z", "2024-01-01 01:02:03Z",
        "2024-01-01T1:02:03Z", "2024-01-01 "}) {
    INFO(s);
    CHECK(StartsWith(DatetimeError(s), "invalid hour/minute/second pattern"));
  }
  for (std::string_view s :
       {"2024-01-01T00:00:00", "2024-01-01T00:00:00T", "2024-01-01T00:00:00ZZ",
        "2024-01-01T00:00:00z", "2024-01-01T00:00:00x001Z",
        "2024-01-01T00:00:00.001ZZ", "2024-01-01T00:00:00.0001Z",
        "2024-01-01T00:00:00.01Z", "2024-01-01T00:00:00.001",
        "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00+00000",
        "2024-01-01T00:00:00.001-00000", "2024-01-01T00:00:00+00:00",
        "2024-01-01T00:00:00+01", "2024-01-01T00:00:00Z+0100",
        "2024-01-01T00:00:00 Z", "2024-01-01T00:00:00,000Z"}) {
    INFO(s);
    CHECK(StartsWith(DatetimeError(s),
                     "invalid millisecond and/or offset pattern"));
  }
}

TEST_CASE("datetime: out-of-range fields", "[ext][datetime]") {
  CHECK(DatetimeError("2024-01-01T31:02:03Z") ==
        "invalid hour/minute/second: `31:02:03`");
  CHECK(DatetimeError("2024-01-01T24:00:00Z") ==
        "invalid hour/minute/second: `24:00:00`");
  CHECK(DatetimeError("2024-01-01T01:60:03Z") ==
        "invalid hour/minute/second: `01:60:03`");
  // No leap seconds.
  CHECK(DatetimeError("2016-12-31T23:59:60Z") ==
        "invalid hour/minute/second: `23:59:60`");
  CHECK(DatetimeError("2016-12-31T00:00:00+1160") ==
        "invalid offset range: `+1160`");
  CHECK(DatetimeError("2016-12-31T00:00:00-2400") ==
        "invalid offset range: `-2400`");
  CHECK(DatetimeError("2016-12-31T00:00:00.000+1199") ==
        "invalid offset range: `+1199`");
  // The whole syntax is checked before any range, then date before time.
  CHECK(StartsWith(DatetimeError("2024-02-30T25:00:00"),
                   "invalid millisecond and/or offset pattern"));
  CHECK(DatetimeError("2024-02-30T25:00:00Z") == "invalid date: `2024-02-30`");
  CHECK(DatetimeError("2024-01-01T25:00:00+2400") ==
        "invalid hour/minute/second: `25:00:00`");
}

TEST_CASE("datetime: format and round trip", "[ext][datetime]") {
  CHECK(FormatDatetime(Datetime{0}) == "1970-01-01T00:00:00.000Z");
  CHECK(FormatDatetime(Datetime{-1}) == "1969-12-31T23:59:59.999Z");
  CHECK(FormatDatetime(Datetime{1730078553456}) == "2024-10-28T01:22:33.456Z");
  CHECK(FormatDatetime(Datetime{-62167219200000}) ==
        "0000-01-01T00:00:00.000Z");
  CHECK(FormatDatetime(Datetime{253402300799999}) ==
        "9999-12-31T23:59:59.999Z");
  CHECK(Time("2024-10-28T10:12:13.456-0700").ToCedar() ==
        "datetime(\"2024-10-28T17:12:13.456Z\")");
  for (int64_t ms :
       {int64_t{0}, int64_t{-1}, int64_t{1}, kDay - 1, -kDay, -kDay - 1,
        int64_t{951782400000} /* 2000-02-29 */, int64_t{-2208988800001},
        int64_t{-62167219200000}, int64_t{253402300799999},
        int64_t{-62104060800000} /* 0002-01-01 */}) {
    INFO(ms);
    absl::StatusOr<Datetime> again = ParseDatetime(FormatDatetime({ms}));
    REQUIRE(again.ok());
    CHECK(again->ms == ms);
  }
  // Past year 9999 (reachable with offset) there is no literal; the extended
  // ISO form still reads correctly.
  CHECK(FormatDatetime(Datetime{253402300800000}) ==
        "+10000-01-01T00:00:00.000Z");
  CHECK(FormatDatetime(Datetime{-62167219200001}) ==
        "-0001-12-31T23:59:59.999Z");
  CHECK_FALSE(FormatDatetime(Datetime{INT64_MIN}).empty());
  CHECK_FALSE(FormatDatetime(Datetime{INT64_MAX}).empty());
}

// ---- duration literals ----------------------------------------------------

TEST_CASE("duration: accepted forms", "[ext][duration]") {
  CHECK(DurMs("1h") == 3'600'000);
  CHECK(DurMs("-10h") == -36'000'000);
  CHECK(DurMs("5d3ms") == 5 * kDay + 3);
  CHECK(DurMs("-3h5m") == -(3 * 3'600'000 + 5 * 60'000));
  CHECK(DurMs("1d2h3m4s5ms") == kDay + 2 * 3'600'000 + 3 * 60'000 + 4'005);
  CHECK(DurMs("-1d2h3m4s5ms") == -(kDay + 2 * 3'600'000 + 3 * 60'000 + 4'005));
  CHECK(DurMs("1m") == 60'000);
  CHECK(DurMs("1ms") == 1);
  CHECK(DurMs("1m1ms") == 60'001);
  CHECK(DurMs("1m1s") == 61'000);
  CHECK(DurMs("90m") == 5'400'000);  // units need not be normalized
  CHECK(DurMs("0ms") == 0);
  CHECK(DurMs("0d") == 0);
  CHECK(DurMs("-0ms") == 0);
  CHECK(DurMs("00000000000000000000000001ms") == 1);
  CHECK(DurMs("9223372036854775807ms") == INT64_MAX);
  CHECK(DurMs("-9223372036854775808ms") == INT64_MIN);
  CHECK(DurMs("106751991167d7h12m55s807ms") == INT64_MAX);
  CHECK(DurMs("-106751991167d7h12m55s808ms") == INT64_MIN);
}

TEST_CASE("duration: rejected patterns", "[ext][duration]") {
  for (std::string_view s : {"",
                             "-",
                             "1",
                             "-1",
                             "d",
                             "-d",
                             "-ms",
                             "1dd",
                             "11dd",
                             "00000mm",
                             "-1hh",
                             "-h2d",
                             "1d1d",
                             "1ms1ms",
                             "1ms1s",
                             "1ms1m",
                             "1ms1h",
                             "0ms1d",
                             "1s1m",
                             "1s1h",
                             "0s0d",
                             "0m0h",
                             "0m0d",
                             "1h1d",
                             "1ms1m1d",
                             "1 d",
                             " 1d",
                             "1d ",
                             "+1d",
                             "1.5h",
                             "1D",
                             "1H",
                             "1w",
                             "1y",
                             "1us",
                             "--1d",
                             "1d-1h",
                             "1msms",
                             "1mss",
                             "-\xe2\x9e\x96"
                             "1ms",
                             "1d2",
                             "d1"}) {
    INFO(s);
    CHECK(DurationError(s) ==
          absl::StrFormat("invalid duration pattern: `%s`", s));
  }
}

TEST_CASE("duration: overflow", "[ext][duration]") {
  for (std::string_view s :
       {"9223372036854775808ms", "-9223372036854775809ms",
        "106751991167d7h12m55s808ms", "-106751991167d7h12m55s809ms",
        "106751991168d", "2562047788016h", "99999999999999999999999d",
        "18446744073709551616ms", "-18446744073709551616ms",
        "106751991167d106751991167d"}) {
    INFO(s);
    std::string e = DurationError(s);
    CHECK((StartsWith(e, "duration overflows internal representation") ||
           StartsWith(e, "invalid duration pattern")));
  }
  CHECK(StartsWith(DurationError("106751991168d"),
                   "duration overflows internal representation"));
  // A syntax error is reported even after a quantity that overflows.
  CHECK(StartsWith(DurationError("99999999999999999999999dx"),
                   "invalid duration pattern"));
}

TEST_CASE("duration: format and round trip", "[ext][duration]") {
  CHECK(FormatDuration(Duration{0}) == "0ms");
  CHECK(FormatDuration(Duration{1}) == "1ms");
  CHECK(FormatDuration(Duration{-1}) == "-1ms");
  CHECK(FormatDuration(Duration{kDay}) == "1d");
  CHECK(FormatDuration(Duration{kDay + 2 * 3'600'000 + 3 * 60'000 + 4'005}) ==
        "1d2h3m4s5ms");
  CHECK(FormatDuration(Duration{-5'400'000}) == "-1h30m");
  CHECK(FormatDuration(Duration{INT64_MAX}) == "106751991167d7h12m55s807ms");
  CHECK(FormatDuration(Duration{INT64_MIN}) == "-106751991167d7h12m55s808ms");
  CHECK(Span("90m").ToCedar() == "duration(\"1h30m\")");
  for (int64_t ms : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{999},
                     int64_t{1000}, int64_t{-61'001}, kDay, -kDay - 1,
                     INT64_MAX, INT64_MIN, INT64_MIN + 1}) {
    INFO(ms);
    absl::StatusOr<Duration> again = ParseDuration(FormatDuration({ms}));
    REQUIRE(again.ok());
    CHECK(again->ms == ms);
  }
}

TEST_CASE("duration: toX truncates toward zero", "[ext][duration]") {
  for (int sign : {1, -1}) {
    Value d = sign > 0 ? Span("10d23h59m58s999ms") : Span("-10d23h59m58s999ms");
    CHECK(CallLong(ExtFn::kToDays, d) == sign * 10);
    CHECK(CallLong(ExtFn::kToHours, d) == sign * (10 * 24 + 23));
    CHECK(CallLong(ExtFn::kToMinutes, d) == sign * ((10 * 24 + 23) * 60 + 59));
    CHECK(CallLong(ExtFn::kToSeconds, d) ==
          sign * (((10 * 24 + 23) * 60 + 59) * 60 + 58));
    CHECK(CallLong(ExtFn::kToMilliseconds, d) ==
          sign *
              ((((10 * 24 + 23) * 60 + 59) * 60 + 58) * int64_t{1000} + 999));
  }
  CHECK(CallLong(ExtFn::kToSeconds, Span("-1500ms")) == -1);
  CHECK(CallLong(ExtFn::kToMinutes, Span("-59s")) == 0);
  CHECK(CallLong(ExtFn::kToDays, Span("-23h")) == 0);
  CHECK(CallLong(ExtFn::kToDays, Span("-24h")) == -1);
  CHECK(CallLong(ExtFn::kToMilliseconds, Span("-9223372036854775808ms")) ==
        INT64_MIN);
  CHECK(CallLong(ExtFn::kToDays, Span("-9223372036854775808ms")) ==
        -106751991167);
}

// ---- datetime methods -----------------------------------------------------

TEST_CASE("datetime: offset", "[ext][datetime]") {
  CHECK(CallOk(ExtFn::kOffset,
               {Time("2024-10-28T10:12:13.456-0700"), Span("-7h")}) ==
        Time("2024-10-28T10:12:13.456Z"));
  CHECK(CallOk(ExtFn::kOffset,
               {Time("2024-10-28T10:12:13.456+0700"), Span("7h")}) ==
        Time("2024-10-28T10:12:13.456Z"));
  CHECK(CallOk(ExtFn::kOffset, {Time("1970-01-01"), Span("1d")}) ==
        Time("1970-01-02"));
  CHECK(CallOk(ExtFn::kOffset, {Time("1970-01-01"), Span("-1d")}) ==
        Time("1969-12-31"));
  CHECK(CallOk(ExtFn::kOffset, {Time("2024-02-28"), Span("1d")}) ==
        Time("2024-02-29"));

  Value max = CallOk(ExtFn::kOffset,
                     {Time("1970-01-01"), Span("9223372036854775807ms")});
  Value min = CallOk(ExtFn::kOffset,
                     {Time("1970-01-01"), Span("-9223372036854775808ms")});
  CHECK(max.as_datetime().ms == INT64_MAX);
  CHECK(min.as_datetime().ms == INT64_MIN);
  CHECK(CallOk(ExtFn::kOffset, {max, Span("-1ms")}).as_datetime().ms ==
        INT64_MAX - 1);
  std::string e = CallError(ExtFn::kOffset, {max, Span("1ms")});
  CHECK(StartsWith(e,
                   "error while evaluating `offset` extension function: "
                   "overflows when adding an offset"));
  CHECK(e.find("duration(\"1ms\")") != std::string::npos);
  CHECK_FALSE(Call(ExtFn::kOffset, {min, Span("-1ms")}).ok());
}

TEST_CASE("datetime: durationSince", "[ext][datetime]") {
  CHECK(CallOk(ExtFn::kDurationSince,
               {Time("2024-10-24"), Time("1970-01-01")}) == Span("20020d"));
  CHECK(CallOk(ExtFn::kDurationSince,
               {Time("2024-10-23"), Time("2024-10-24")}) == Span("-1d"));
  CHECK(CallOk(ExtFn::kDurationSince, {Time("2024-10-28T10:12:13.456+0700"),
                                       Time("2024-10-28T10:12:13.456Z")}) ==
        Span("-7h"));
  CHECK(CallOk(ExtFn::kDurationSince, {Time("2024-10-28T10:12:13.456-0700"),
                                       Time("2024-10-28T10:12:13.456Z")}) ==
        Span("7h"));

  Value min = CallOk(ExtFn::kOffset,
                     {Time("1970-01-01"), Span("-9223372036854775808ms")});
  std::string e = CallError(ExtFn::kDurationSince, {Time("2024-10-24"), min});
  CHECK(StartsWith(e,
                   "error while evaluating `durationSince` extension "
                   "function: overflows when computing the duration"));
  CHECK(CallOk(ExtFn::kDurationSince, {min, Time("1970-01-01")}) ==
        Span("-9223372036854775808ms"));
}

TEST_CASE("datetime: toDate and toTime", "[ext][datetime]") {
  Value end_of_day = Span("23h59m59s999ms");
  Value minus_end_of_day = Span("-23h59m59s999ms");
  for (std::string_view day : {"2024-10-24", "2024-10-23", "1970-01-01",
                               "1900-01-01", "0000-01-01", "1969-12-31"}) {
    INFO(day);
    Value d = Time(day);
    CHECK(CallOk(ExtFn::kToDate, {d}) == d);
    CHECK(CallOk(ExtFn::kToTime, {d}) == Span("0ms"));
    Value late = CallOk(ExtFn::kOffset, {d, end_of_day});
    CHECK(CallOk(ExtFn::kToDate, {late}) == d);
    CHECK(CallOk(ExtFn::kToTime, {late}) == end_of_day);
    // Before `d`'s midnight: the date is the previous day and the time is
    // measured from that day's midnight, so it is never negative.
    Value early = CallOk(ExtFn::kOffset, {d, minus_end_of_day});
    CHECK(CallOk(ExtFn::kToDate, {early}) ==
          CallOk(ExtFn::kOffset, {d, Span("-1d")}));
    CHECK(CallOk(ExtFn::kToTime, {early}) == Span("1ms"));
  }
  CHECK(CallOk(ExtFn::kToDate, {Time("1969-12-31T12:00:00Z")}) ==
        Time("1969-12-31"));
  CHECK(CallOk(ExtFn::kToTime, {Time("1969-12-31T23:00:00Z")}) == Span("23h"));
  CHECK(CallOk(ExtFn::kToDate, {Time("2024-10-28T10:12:13.456+0700")}) ==
        Time("2024-10-28"));
  CHECK(CallOk(ExtFn::kToDate, {Time("2024-10-28T01:00:00+0700")}) ==
        Time("2024-10-27"));
  CHECK(CallOk(ExtFn::kToTime, {Time("2024-10-28T10:12:13.456-0700")}) ==
        Span("17h12m13s456ms"));
  // datetime("0000-01-01").toTime().toDays() is 0 (a corpus case).
  CHECK(CallLong(ExtFn::kToDays,
                 CallOk(ExtFn::kToTime, {Time("0000-01-01")})) == 0);

  Value min = CallOk(ExtFn::kOffset,
                     {Time("1970-01-01"), Span("-9223372036854775808ms")});
  CHECK(StartsWith(CallError(ExtFn::kToDate, {min}),
                   "error while evaluating `toDate` extension function: "
                   "overflows when computing the date of"));
  // toTime never overflows.
  CHECK(CallOk(ExtFn::kToTime, {min}).as_duration().ms ==
        INT64_MIN % kDay + kDay);
  Value max = CallOk(ExtFn::kOffset,
                     {Time("1970-01-01"), Span("9223372036854775807ms")});
  CHECK(CallOk(ExtFn::kToDate, {max}).as_datetime().ms ==
        INT64_MAX - INT64_MAX % kDay);
}

// ---- comparison -----------------------------------------------------------

TEST_CASE("datetime: < <= > >= on datetime and duration", "[ext][datetime]") {
  auto cmp = [](const Value& a, const Value& b) {
    absl::StatusOr<int> c = CompareExtension(a, b);
    REQUIRE(c.ok());
    return *c;
  };
  CHECK(cmp(Time("1970-01-01"), Time("2024-10-24")) < 0);
  CHECK(cmp(Time("2024-10-24"), Time("2024-10-23")) > 0);
  CHECK(cmp(Time("1900-01-01"), Time("1970-01-01")) < 0);
  CHECK(cmp(Time("2024-10-15T23:59:00+2359"), Time("2024-10-15")) == 0);
  CHECK(cmp(Span("1h"), Span("60m")) == 0);
  CHECK(cmp(Span("-1ms"), Span("0ms")) < 0);
  CHECK(cmp(Span("1d"), Span("23h")) > 0);
}

TEST_CASE("datetime: mixed comparisons are type errors", "[ext][datetime]") {
  auto error = [](const Value& a, const Value& b) {
    absl::StatusOr<int> c = CompareExtension(a, b);
    REQUIRE_FALSE(c.ok());
    CHECK(c.status().code() == absl::StatusCode::kInvalidArgument);
    return std::string(c.status().message());
  };
  CHECK(error(Time("1970-01-01"), Span("1d")) ==
        "type error: expected datetime, got duration");
  CHECK(error(Span("1d"), Time("1970-01-01")) ==
        "type error: expected duration, got datetime");
  CHECK(error(Value::Long(0), Time("1970-01-01")) ==
        "type error: expected long, got datetime");
  CHECK(error(Time("1970-01-01"), Value::Long(0)) ==
        "type error: expected long, got datetime");
  CHECK(error(Value::String("1d"), Span("1d")) ==
        "type error: expected duration, got string; maybe you forgot to "
        "apply the `duration` constructor?");
  CHECK(StartsWith(error(Value::String("a"), Value::String("b")),
                   "type error: expected one of datetime, duration, long"));
  CHECK(StartsWith(error(Value::Bool(true), Value::Bool(false)), "type error"));
}

// ---- dispatch -------------------------------------------------------------

TEST_CASE("datetime: constructor and method errors through CallExtension",
          "[ext][datetime]") {
  CHECK(CallError(ExtFn::kDatetime, {Value::String("2024-02-30")}) ==
        "error while evaluating `datetime` extension function: invalid date: "
        "`2024-02-30`");
  CHECK(CallError(ExtFn::kDuration, {Value::String("1s1m")}) ==
        "error while evaluating `duration` extension function: invalid "
        "duration pattern: `1s1m`");
  CHECK(CallError(ExtFn::kDatetime, {Value::Long(0)}) ==
        "type error: expected string, got long");
  CHECK(CallError(ExtFn::kOffset, {Time("1970-01-01"), Value::String("7h")}) ==
        "type error: expected duration, got string; maybe you forgot to apply "
        "the `duration` constructor?");
  CHECK(CallError(ExtFn::kOffset, {Time("1970-01-01"), Time("1970-01-01")}) ==
        "type error: expected duration, got datetime");
  CHECK(CallError(ExtFn::kDurationSince, {Time("1970-01-01"), Span("1d")}) ==
        "type error: expected datetime, got duration");
  CHECK(CallError(ExtFn::kDurationSince,
                  {Value::String("1970-01-01"), Time("1970-01-01")}) ==
        "type error: expected datetime, got string; maybe you forgot to apply "
        "the `datetime` constructor?");
  CHECK(CallError(ExtFn::kToDays, {Time("1970-01-01")}) ==
        "type error: expected duration, got datetime");
  CHECK(CallError(ExtFn::kToTime, {Span("1d")}) ==
        "type error: expected datetime, got duration");
  CHECK(CallError(ExtFn::kToDate, {Time("1970-01-01"), Time("1970-01-01")}) ==
        "wrong number of arguments provided to extension function `toDate`: "
        "expected 1, got 2");
  CHECK(CallError(ExtFn::kOffset, {Time("1970-01-01")}) ==
        "wrong number of arguments provided to extension function `offset`: "
        "expected 2, got 1");
  CHECK_FALSE(Call(ExtFn::kDuration, {}).ok());

  // Results have the documented kinds.
  CHECK(CallOk(ExtFn::kDatetime, {Value::String("2024-10-28")})
            .is(ValueKind::kDatetime));
  CHECK(
      CallOk(ExtFn::kDuration, {Value::String("1h")}).is(ValueKind::kDuration));
  CHECK(CallOk(ExtFn::kToTime, {Time("2024-10-28")}).is(ValueKind::kDuration));
  CHECK(CallOk(ExtFn::kToDate, {Time("2024-10-28")}).is(ValueKind::kDatetime));
  CHECK(CallOk(ExtFn::kToHours, {Span("1h")}).is(ValueKind::kLong));
}

TEST_CASE("datetime: name lookup", "[ext][datetime]") {
  CHECK(LookupExtConstructor("datetime") == ExtFn::kDatetime);
  CHECK(LookupExtConstructor("duration") == ExtFn::kDuration);
  CHECK_FALSE(LookupExtMethod("datetime").has_value());
  CHECK_FALSE(LookupExtConstructor("offset").has_value());
  CHECK(LookupExtMethod("offset") == ExtFn::kOffset);
  CHECK(LookupExtMethod("durationSince") == ExtFn::kDurationSince);
  CHECK(LookupExtMethod("toDate") == ExtFn::kToDate);
  CHECK(LookupExtMethod("toTime") == ExtFn::kToTime);
  CHECK(LookupExtMethod("toMilliseconds") == ExtFn::kToMilliseconds);
  CHECK(LookupExtMethod("toSeconds") == ExtFn::kToSeconds);
  CHECK(LookupExtMethod("toMinutes") == ExtFn::kToMinutes);
  CHECK(LookupExtMethod("toHours") == ExtFn::kToHours);
  CHECK(LookupExtMethod("toDays") == ExtFn::kToDays);
  CHECK_FALSE(LookupExtMethod("toWeeks").has_value());
  CHECK(ExtFnName(ExtFn::kDurationSince) == "durationSince");
  CHECK(ExtFnName(ExtFn::kToMilliseconds) == "toMilliseconds");
  CHECK(ExtArity(ExtFn::kOffset) == 2);
  CHECK(ExtArity(ExtFn::kDurationSince) == 2);
  CHECK(ExtArity(ExtFn::kToDate) == 1);
  CHECK(ExtArity(ExtFn::kToDays) == 1);
}

}  // namespace
}  // namespace arbiter::internal
