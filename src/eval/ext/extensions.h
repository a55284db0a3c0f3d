// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Cedar's extension types (ipaddr, decimal, datetime, duration): parsing
// their string forms, printing them, and calling their functions. The parser
// resolves names to ExtFn once; the evaluator calls CallExtension with
// already-evaluated arguments.

#ifndef ARBITER_EVAL_EXT_EXTENSIONS_H_
#define ARBITER_EVAL_EXT_EXTENSIONS_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "arbiter/value.h"
#include "src/ast/expr.h"

namespace arbiter::internal {

// `ip`, `decimal`, `datetime`, `duration` (called as functions).
std::optional<ExtFn> LookupExtConstructor(std::string_view name);
// `isIpv4`, `lessThan`, `offset`, `toDays`, … (called as methods).
std::optional<ExtFn> LookupExtMethod(std::string_view name);
// The name as written in Cedar.
std::string_view ExtFnName(ExtFn fn);
// Number of arguments including the receiver of a method.
int ExtArity(ExtFn fn);

// Calls `fn` on evaluated arguments (receiver first). Type errors, bad
// literals and overflow come back as InvalidArgument with Cedar-style
// messages (lower case, no final period, user input in backticks).
absl::StatusOr<Value> CallExtension(ExtFn fn, absl::Span<const Value> args);

// Cedar's `<`, `<=`, `>`, `>=` on non-Long operands that Cedar allows them on.
// Returns the three-way comparison (-1, 0, 1), or a type error when Cedar
// rejects the operand types.
absl::StatusOr<int> CompareExtension(const Value& a, const Value& b);

// String forms, as the constructors accept them.
absl::StatusOr<IpAddr> ParseIpAddr(std::string_view text);
absl::StatusOr<Decimal> ParseDecimal(std::string_view text);
absl::StatusOr<Datetime> ParseDatetime(std::string_view text);
absl::StatusOr<Duration> ParseDuration(std::string_view text);

// Canonical string forms; Parse(Format(x)) == x.
std::string FormatIpAddr(const IpAddr& ip);
std::string FormatDecimal(Decimal d);
std::string FormatDatetime(Datetime d);
std::string FormatDuration(Duration d);

}  // namespace arbiter::internal

#endif  // ARBITER_EVAL_EXT_EXTENSIONS_H_
