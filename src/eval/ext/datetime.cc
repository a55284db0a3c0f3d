// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The `datetime` and `duration` extension types: parsing, printing and the
// arithmetic behind `offset`, `durationSince`, `toDate` and `toTime`.
//
// Design note. Both types are int64 milliseconds (a datetime counts from the
// Unix epoch, UTC, without leap seconds), and all arithmetic is checked:
// Cedar reports overflow as an error instead of wrapping. A datetime literal
// is one of
//   YYYY-MM-DD
//   YYYY-MM-DDThh:mm:ssZ          YYYY-MM-DDThh:mm:ss.SSSZ
//   YYYY-MM-DDThh:mm:ss(+|-)hhmm  YYYY-MM-DDThh:mm:ss.SSS(+|-)hhmm
// with a four-digit year (0000-9999, proleptic Gregorian), no leap second,
// and an offset below 24h. As in Cedar, the syntax of the whole string is
// checked before any field's range, so the error names the first problem a
// reader would see. A duration literal is `-?` followed by one or more of
// `<digits>d`, `h`, `m`, `s`, `ms` in that order, each at most once; the sign
// applies to every unit.
//
// Arithmetic on datetimes can leave the 0000-9999 range (datetime("9999-12-31")
// .offset(duration("1d"))), so not every datetime has a literal form; such
// values print in the extended ISO 8601 form (`+10000-01-01T...`, `-0001-...`)
// which is readable but not accepted by ParseDatetime.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/eval/ext/extensions.h"

namespace arbiter::internal {

// Used by the dispatcher in extensions.cc.
absl::StatusOr<Datetime> DatetimeOffset(Datetime t, Duration d);
absl::StatusOr<Duration> DatetimeDurationSince(Datetime t, Datetime since);
absl::StatusOr<Datetime> DatetimeToDate(Datetime t);
Duration DatetimeToTime(Datetime t);

namespace {

constexpr int64_t kMsPerSecond = 1000;
constexpr int64_t kMsPerMinute = 60 * kMsPerSecond;
constexpr int64_t kMsPerHour = 60 * kMsPerMinute;
constexpr int64_t kMsPerDay = 24 * kMsPerHour;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads `n` digits at `s[pos]`; false if any is not an ASCII digit.
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool IsLeapYear(int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
// (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = FloorDiv(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The inverse of DaysFromCivil.
void CivilFromDays(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

absl::Status DatetimeError(std::string_view what, std::string_view text) {
  return absl::InvalidArgumentError(absl::StrFormat("%s: `%s`", what, text));
}

// `datetime("...")` as Cedar would write it back; out-of-range values use
// the epoch plus an offset, which is Cedar's own canonical form.
std::string DatetimeExpr(Datetime t) {
  constexpr int64_t kMin = -62167219200000;  // 0000-01-01T00:00:00.000Z
  constexpr int64_t kMax = 253402300799999;  // 9999-12-31T23:59:59.999Z
  if (t.ms >= kMin && t.ms <= kMax) {
    return absl::StrCat("datetime(\"", FormatDatetime(t), "\")");
  }
  return absl::StrCat("datetime(\"1970-01-01\").offset(duration(\"", t.ms,
                      "ms\"))");
}

}  // namespace

absl::StatusOr<Datetime> ParseDatetime(std::string_view text) {
  // Syntax first, left to right: date, then time, then millis and offset.
  int year, month, day;
  if (!Digits(text, 0, 4, &year) || text.size() < 5 || text[4] != '-' ||
      !Digits(text, 5, 2, &month) || text.size() < 8 || text[7] != '-' ||
      !Digits(text, 8, 2, &day)) {
    return DatetimeError("invalid date pattern", text);
  }
  const bool date_ok =
      month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month);
  if (text.size() == 10) {
    if (!date_ok) return DatetimeError("invalid date", text.substr(0, 10));
    return Datetime{DaysFromCivil(year, month, day) * kMsPerDay};
  }

  int hour, minute, second;
  if (text.size() < 19 || text[10] != 'T' || !Digits(text, 11, 2, &hour) ||
      text[13] != ':' || !Digits(text, 14, 2, &minute) || text[16] != ':' ||
      !Digits(text, 17, 2, &second)) {
    return DatetimeError("invalid hour/minute/second pattern", text);
  }

  std::string_view rest = text.substr(19);
  int millis = 0;
  if (!rest.empty() && rest[0] == '.') {
    if (!Digits(rest, 1, 3, &millis)) {
      return DatetimeError("invalid millisecond and/or offset pattern", text);
    }
    rest.remove_prefix(4);
  }
  int offset_sign = 0, offset_hh = 0, offset_mm = 0;
  if (rest == "Z") {
    // UTC
  } else if (rest.size() == 5 && (rest[0] == '+' || rest[0] == '-') &&
             Digits(rest, 1, 2, &offset_hh) && Digits(rest, 3, 2, &offset_mm)) {
    offset_sign = rest[0] == '+' ? 1 : -1;
  } else {
    return DatetimeError("invalid millisecond and/or offset pattern", text);
  }

  // Then ranges, in the same order.
  if (!date_ok) return DatetimeError("invalid date", text.substr(0, 10));
  // Second 60 is refused: arbiter, like Cedar, cannot tell a real leap
  // second from a typo.
  if (hour > 23 || minute > 59 || second > 59) {
    return DatetimeError("invalid hour/minute/second", text.substr(11, 8));
  }
  if (offset_hh > 23 || offset_mm > 59) {
    return DatetimeError("invalid offset range", rest);
  }

  // Local time minus its offset is UTC. Years 0000-9999 are far from any
  // int64 limit, so this cannot overflow.
  int64_t ms =
      DaysFromCivil(year, month, day) * kMsPerDay + hour * kMsPerHour +
      minute * kMsPerMinute + second * kMsPerSecond + millis -
      offset_sign * (offset_hh * kMsPerHour + offset_mm * kMsPerMinute);
  return Datetime{ms};
}

std::string FormatDatetime(Datetime t) {
  // Floor division: the clock time of 1969-12-31T23:00Z is 23:00, not -1h.
  int64_t days = FloorDiv(t.ms, kMsPerDay);
  int64_t in_day = DatetimeToTime(t).ms;
  int64_t year;
  int month, day;
  CivilFromDays(days, &year, &month, &day);
  std::string out;
  if (year < 0) {
    absl::StrAppendFormat(&out, "-%04d", -year);
  } else if (year > 9999) {
    absl::StrAppendFormat(&out, "+%d", year);
  } else {
    absl::StrAppendFormat(&out, "%04d", year);
  }
  absl::StrAppendFormat(&out, "-%02d-%02dT%02d:%02d:%02d.%03dZ", month, day,
                        in_day / kMsPerHour, in_day / kMsPerMinute % 60,
                        in_day / kMsPerSecond % 60, in_day % kMsPerSecond);
  return out;
}

absl::StatusOr<Duration> ParseDuration(std::string_view text) {
  auto invalid = [&] {
    return absl::InvalidArgumentError(
        absl::StrFormat("invalid duration pattern: `%s`", text));
  };
  std::string_view s = text;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty()) return invalid();

  // Units in the only order allowed; `next` is the first unit still allowed.
  static constexpr int64_t kUnitMs[] = {kMsPerDay, kMsPerHour, kMsPerMinute,
                                        kMsPerSecond, 1};
  constexpr int kMillisUnit = 4;
  int next = 0;
  bool overflow = false;
  absl::int128 total = 0;
  while (!s.empty()) {
    // Saturating above 2^64: every quantity that large overflows anyway.
    constexpr absl::uint128 kCap = absl::uint128(1) << 64;
    absl::uint128 quantity = 0;
    size_t n = 0;
    while (n < s.size() && IsDigit(s[n])) {
      if (quantity <= kCap) quantity = quantity * 10 + (s[n] - '0');
      ++n;
    }
    if (n == 0 || n == s.size()) return invalid();
    s.remove_prefix(n);
    int unit;
    if (s.substr(0, 2) == "ms") {
      unit = kMillisUnit;
    } else if (s[0] == 'd') {
      unit = 0;
    } else if (s[0] == 'h') {
      unit = 1;
    } else if (s[0] == 'm') {
      unit = 2;
    } else if (s[0] == 's') {
      unit = 3;
    } else {
      return invalid();
    }
    if (unit < next) return invalid();
    next = unit + 1;
    s.remove_prefix(unit == kMillisUnit ? 2 : 1);
    // Cedar multiplies each quantity in int64 before applying the sign, so a
    // single term must fit in int64; the one exception is a millisecond
    // count of exactly 2^63 under a minus sign, which is INT64_MIN.
    absl::uint128 limit =
        absl::uint128(INT64_MAX) + (negative && unit == kMillisUnit);
    if (quantity > limit / kUnitMs[unit]) {
      overflow = true;
    } else {
      total += absl::int128(quantity * kUnitMs[unit]);
    }
  }
  if (negative) total = -total;
  // Syntax errors win over overflow, as in Cedar, hence the late report.
  if (overflow || total > INT64_MAX || total < INT64_MIN) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "duration overflows internal representation: `%s` is not within "
        "int64 milliseconds",
        text));
  }
  return Duration{static_cast<int64_t>(total)};
}

std::string FormatDuration(Duration d) {
  if (d.ms == 0) return "0ms";
  std::string out = d.ms < 0 ? "-" : "";
  uint64_t rest =
      d.ms < 0 ? 0 - static_cast<uint64_t>(d.ms) : static_cast<uint64_t>(d.ms);
  static constexpr std::pair<uint64_t, const char*> kUnits[] = {
      {kMsPerDay, "d"},
      {kMsPerHour, "h"},
      {kMsPerMinute, "m"},
      {kMsPerSecond, "s"},
      {1, "ms"}};
  for (const auto& [unit_ms, name] : kUnits) {
    if (rest >= unit_ms) {
      absl::StrAppend(&out, rest / unit_ms, name);
      rest %= unit_ms;
    }
  }
  return out;
}

absl::StatusOr<Datetime> DatetimeOffset(Datetime t, Duration d) {
  int64_t ms;
  if (__builtin_add_overflow(t.ms, d.ms, &ms)) {
    return absl::InvalidArgumentError(
        absl::StrCat("overflows when adding an offset: `", DatetimeExpr(t),
                     "` + `duration(\"", FormatDuration(d), "\")`"));
  }
  return Datetime{ms};
}

absl::StatusOr<Duration> DatetimeDurationSince(Datetime t, Datetime since) {
  int64_t ms;
  if (__builtin_sub_overflow(t.ms, since.ms, &ms)) {
    return absl::InvalidArgumentError(
        absl::StrCat("overflows when computing the duration between `",
                     DatetimeExpr(t), "` and `", DatetimeExpr(since), "`"));
  }
  return Duration{ms};
}

absl::StatusOr<Datetime> DatetimeToDate(Datetime t) {
  // Round down to midnight, also before 1970 (floor, not truncation). Near
  // INT64_MIN the midnight before is not representable, which Cedar reports
  // as overflow.
  int64_t in_day = t.ms % kMsPerDay;
  if (in_day < 0) in_day += kMsPerDay;
  int64_t ms;
  if (__builtin_sub_overflow(t.ms, in_day, &ms)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "overflows when computing the date of `", DatetimeExpr(t), "`"));
  }
  return Datetime{ms};
}

Duration DatetimeToTime(Datetime t) {
  // Time since the preceding midnight, so always in [0, 1d).
  int64_t in_day = t.ms % kMsPerDay;
  return Duration{in_day < 0 ? in_day + kMsPerDay : in_day};
}

}  // namespace arbiter::internal
