// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Name lookup and call dispatch for Cedar's extension functions.
//
// Design note. One table row per ExtFn gives its Cedar name, whether it is
// called as a function or a method, and its parameter kinds; lookup, arity
// and type checks all read that row, so adding a function is one row plus
// one case in Apply. Arity and argument types are checked here, before any
// per-type code runs, which keeps ipaddr.cc, decimal.cc and datetime.cc free
// of Value plumbing. Errors follow Cedar's wording: failures inside a
// function are prefixed "error while evaluating `<name>` extension function"
// (Cedar names the `ipaddr` extension rather than `ip`, and the datetime
// functions by their own names), type errors read "type error: expected X,
// got Y".

#include "src/eval/ext/extensions.h"

#include <array>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "src/eval/ext/ip_range.h"

namespace arbiter::internal {

// Defined in ipaddr.cc and datetime.cc. They are declared here rather than
// in extensions.h because nothing outside this folder needs them.
bool IpIsLoopback(const IpAddr& ip);
bool IpIsMulticast(const IpAddr& ip);
absl::StatusOr<Datetime> DatetimeOffset(Datetime t, Duration d);
absl::StatusOr<Duration> DatetimeDurationSince(Datetime t, Datetime since);
absl::StatusOr<Datetime> DatetimeToDate(Datetime t);
Duration DatetimeToTime(Datetime t);

namespace {

struct FnInfo {
  std::string_view name;  // as written in Cedar
  bool method;            // called as `x.name(...)` rather than `name(...)`
  int arity;              // including the receiver
  std::array<ValueKind, 2> params;  // the first `arity` are used
};

using K = ValueKind;

// INVARIANT: row i describes the ExtFn whose value is i. The size is checked
// below and the lookup tests check every name against its ExtFn.
constexpr FnInfo kFns[] = {
    {"ip", false, 1, {K::kString}},
    {"decimal", false, 1, {K::kString}},
    {"datetime", false, 1, {K::kString}},
    {"duration", false, 1, {K::kString}},
    {"isIpv4", true, 1, {K::kIpAddr}},
    {"isIpv6", true, 1, {K::kIpAddr}},
    {"isLoopback", true, 1, {K::kIpAddr}},
    {"isMulticast", true, 1, {K::kIpAddr}},
    {"isInRange", true, 2, {K::kIpAddr, K::kIpAddr}},
    {"lessThan", true, 2, {K::kDecimal, K::kDecimal}},
    {"lessThanOrEqual", true, 2, {K::kDecimal, K::kDecimal}},
    {"greaterThan", true, 2, {K::kDecimal, K::kDecimal}},
    {"greaterThanOrEqual", true, 2, {K::kDecimal, K::kDecimal}},
    {"offset", true, 2, {K::kDatetime, K::kDuration}},
    {"durationSince", true, 2, {K::kDatetime, K::kDatetime}},
    {"toDate", true, 1, {K::kDatetime}},
    {"toTime", true, 1, {K::kDatetime}},
    {"toMilliseconds", true, 1, {K::kDuration}},
    {"toSeconds", true, 1, {K::kDuration}},
    {"toMinutes", true, 1, {K::kDuration}},
    {"toHours", true, 1, {K::kDuration}},
    {"toDays", true, 1, {K::kDuration}},
};
static_assert(std::size(kFns) == static_cast<size_t>(ExtFn::kToDays) + 1,
              "kFns must have one row per ExtFn");

const FnInfo& Info(ExtFn fn) { return kFns[static_cast<size_t>(fn)]; }

std::optional<ExtFn> Lookup(std::string_view name, bool method) {
  for (size_t i = 0; i < std::size(kFns); ++i) {
    if (kFns[i].method == method && kFns[i].name == name) {
      return static_cast<ExtFn>(i);
    }
  }
  return std::nullopt;
}

// The name Cedar gives in "error while evaluating `…` extension function":
// the extension's for ipaddr and decimal, the function's own for the
// datetime extension.
std::string_view ErrorName(ExtFn fn) {
  switch (fn) {
    case ExtFn::kIp:
    case ExtFn::kIsIpv4:
    case ExtFn::kIsIpv6:
    case ExtFn::kIsLoopback:
    case ExtFn::kIsMulticast:
    case ExtFn::kIsInRange:
      return "ipaddr";
    case ExtFn::kDecimal:
    case ExtFn::kLessThan:
    case ExtFn::kLessThanOrEqual:
    case ExtFn::kGreaterThan:
    case ExtFn::kGreaterThanOrEqual:
      return "decimal";
    default:
      return kFns[static_cast<size_t>(fn)].name;
  }
}

// Cedar's name for the type of `v`; entities name their type.
std::string TypeOf(const Value& v) {
  if (v.is(ValueKind::kEntity)) {
    return absl::StrFormat("(entity of type `%s`)", v.as_entity().type.str());
  }
  return std::string(KindName(v.kind()));
}

std::string_view ConstructorOf(ValueKind k) {
  switch (k) {
    case ValueKind::kIpAddr:
      return "ip";
    case ValueKind::kDecimal:
      return "decimal";
    case ValueKind::kDatetime:
      return "datetime";
    case ValueKind::kDuration:
      return "duration";
    default:
      return {};
  }
}

absl::Status TypeError(ValueKind expected, const Value& actual) {
  std::string msg = absl::StrFormat("type error: expected %s, got %s",
                                    KindName(expected), TypeOf(actual));
  // The usual slip is passing the literal's string instead of the value.
  std::string_view ctor = ConstructorOf(expected);
  if (!ctor.empty() && actual.is(ValueKind::kString)) {
    absl::StrAppendFormat(&msg,
                          "; maybe you forgot to apply the `%s` "
                          "constructor?",
                          ctor);
  }
  return absl::InvalidArgumentError(msg);
}

absl::Status InFunction(ExtFn fn, const absl::Status& s) {
  return absl::InvalidArgumentError(
      absl::StrFormat("error while evaluating `%s` extension function: %s",
                      ErrorName(fn), s.message()));
}

// Wraps a per-type result as a Value, prefixing its error with the function.
template <typename T, typename Make>
absl::StatusOr<Value> Wrap(ExtFn fn, absl::StatusOr<T> r, Make make) {
  if (!r.ok()) return InFunction(fn, r.status());
  return make(*r);
}

// Runs `fn` on arguments whose count and kinds have been checked.
absl::StatusOr<Value> Apply(ExtFn fn, absl::Span<const Value> args) {
  const Value& a = args[0];
  switch (fn) {
    case ExtFn::kIp:
      return Wrap(fn, ParseIpAddr(a.as_string()), Value::Ip);
    case ExtFn::kDecimal:
      return Wrap(fn, ParseDecimal(a.as_string()), Value::Dec);
    case ExtFn::kDatetime:
      return Wrap(fn, ParseDatetime(a.as_string()), Value::Time);
    case ExtFn::kDuration:
      return Wrap(fn, ParseDuration(a.as_string()), Value::Span);

    case ExtFn::kIsIpv4:
      return Value::Bool(!a.as_ip().v6);
    case ExtFn::kIsIpv6:
      return Value::Bool(a.as_ip().v6);
    case ExtFn::kIsLoopback:
      return Value::Bool(IpIsLoopback(a.as_ip()));
    case ExtFn::kIsMulticast:
      return Value::Bool(IpIsMulticast(a.as_ip()));
    case ExtFn::kIsInRange:
      return Value::Bool(IpIsInRange(a.as_ip(), args[1].as_ip()));

    case ExtFn::kLessThan:
      return Value::Bool(a.as_decimal().scaled < args[1].as_decimal().scaled);
    case ExtFn::kLessThanOrEqual:
      return Value::Bool(a.as_decimal().scaled <= args[1].as_decimal().scaled);
    case ExtFn::kGreaterThan:
      return Value::Bool(a.as_decimal().scaled > args[1].as_decimal().scaled);
    case ExtFn::kGreaterThanOrEqual:
      return Value::Bool(a.as_decimal().scaled >= args[1].as_decimal().scaled);

    case ExtFn::kOffset:
      return Wrap(fn, DatetimeOffset(a.as_datetime(), args[1].as_duration()),
                  Value::Time);
    case ExtFn::kDurationSince:
      return Wrap(fn,
                  DatetimeDurationSince(a.as_datetime(), args[1].as_datetime()),
                  Value::Span);
    case ExtFn::kToDate:
      return Wrap(fn, DatetimeToDate(a.as_datetime()), Value::Time);
    case ExtFn::kToTime:
      return Value::Span(DatetimeToTime(a.as_datetime()));

    // C++ division truncates toward zero, as Cedar's does: -1.5s is -1s.
    case ExtFn::kToMilliseconds:
      return Value::Long(a.as_duration().ms);
    case ExtFn::kToSeconds:
      return Value::Long(a.as_duration().ms / 1000);
    case ExtFn::kToMinutes:
      return Value::Long(a.as_duration().ms / 60'000);
    case ExtFn::kToHours:
      return Value::Long(a.as_duration().ms / 3'600'000);
    case ExtFn::kToDays:
      return Value::Long(a.as_duration().ms / 86'400'000);
  }
  return absl::InternalError("unknown extension function");
}

bool IsOrdered(ValueKind k) {
  return k == ValueKind::kDatetime || k == ValueKind::kDuration;
}

template <typename T>
int ThreeWay(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

std::optional<ExtFn> LookupExtConstructor(std::string_view name) {
  return Lookup(name, /*method=*/false);
}

std::optional<ExtFn> LookupExtMethod(std::string_view name) {
  return Lookup(name, /*method=*/true);
}

std::string_view ExtFnName(ExtFn fn) { return Info(fn).name; }

int ExtArity(ExtFn fn) { return Info(fn).arity; }

absl::StatusOr<Value> CallExtension(ExtFn fn, absl::Span<const Value> args) {
  const FnInfo& f = Info(fn);
  if (static_cast<int>(args.size()) != f.arity) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "wrong number of arguments provided to extension function `%s`: "
        "expected %d, got %d",
        f.name, f.arity, args.size()));
  }
  for (int i = 0; i < f.arity; ++i) {
    if (!args[i].is(f.params[i])) return TypeError(f.params[i], args[i]);
  }
  return Apply(fn, args);
}

absl::StatusOr<int> CompareExtension(const Value& a, const Value& b) {
  const ValueKind ka = a.kind(), kb = b.kind();
  if (ka == kb) {
    switch (ka) {
      case ValueKind::kLong:
        return ThreeWay(a.as_long(), b.as_long());
      case ValueKind::kDatetime:
        return ThreeWay(a.as_datetime().ms, b.as_datetime().ms);
      case ValueKind::kDuration:
        return ThreeWay(a.as_duration().ms, b.as_duration().ms);
      default:
        break;
    }
  }
  // The type errors Cedar reports, in its order: a Long or ordered operand
  // fixes what the other one should have been.
  if (ka == ValueKind::kLong) return TypeError(ValueKind::kLong, b);
  if (kb == ValueKind::kLong) return TypeError(ValueKind::kLong, a);
  if (IsOrdered(ka)) return TypeError(ka, b);
  if (IsOrdered(kb)) return TypeError(kb, a);
  if (ka == kb && (ka == ValueKind::kDecimal || ka == ValueKind::kIpAddr)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "type error: expected one of datetime, duration, got %s; only "
        "extension types `datetime` and `duration` support operator "
        "overloading%s",
        TypeOf(a),
        ka == ValueKind::kDecimal
            ? " (use `.lessThan()` and the like to compare decimals)"
            : ""));
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "type error: expected one of datetime, duration, long, got %s; only "
      "`Long` and extension types `datetime`, `duration` support comparison",
      TypeOf(a)));
}

}  // namespace arbiter::internal
