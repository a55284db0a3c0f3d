// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The `decimal` extension type: parsing `decimal("...")` literals and
// printing them.
//
// Design note. A decimal is an int64 count of 1/10000ths. Cedar's grammar is
// `-?[0-9]+\.[0-9]{1,4}`: digits are required on both sides of the point, no
// `+`, no exponent, no spaces. The sign belongs to the whole literal, so
// `-0.5` is -5000 (Cedar 4.x fixed an old bug that read it as +0.5). Parsing
// accumulates in 128 bits so that overflow is a range check at the end
// rather than a check after every step. The decimal methods (`lessThan`, …)
// are plain integer comparisons and live with the dispatcher.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "src/eval/ext/extensions.h"

namespace arbiter::internal {
namespace {

constexpr int kFractionDigits = 4;
constexpr int64_t kScale = 10000;  // 10^kFractionDigits

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<Decimal> ParseDecimal(std::string_view text) {
  size_t dot = text.find('.');
  std::string_view left = text.substr(0, dot);
  std::string_view right =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  bool negative = !left.empty() && left[0] == '-';
  std::string_view int_digits = negative ? left.substr(1) : left;
  if (dot == std::string_view::npos || !AllDigits(int_digits) ||
      !AllDigits(right)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("`%s` is not a well-formed decimal value", text));
  }
  // Saturate the integer part: anything past 10^19 overflows regardless.
  absl::int128 magnitude = 0;
  for (char c : int_digits) {
    magnitude = magnitude * 10 + (c - '0');
    if (magnitude > absl::int128(10'000'000'000'000'000'000ULL)) break;
  }
  magnitude *= kScale;
  if (magnitude > absl::int128(INT64_MAX) + 1) {
    return absl::InvalidArgumentError("overflow when converting to decimal");
  }
  if (right.size() > kFractionDigits) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "too many digits after the decimal in `%s`: at most %d digits are "
        "supported",
        text, kFractionDigits));
  }
  int64_t fraction = 0;
  for (size_t i = 0; i < kFractionDigits; ++i) {
    fraction = fraction * 10 + (i < right.size() ? right[i] - '0' : 0);
  }
  magnitude += fraction;
  absl::int128 value = negative ? -magnitude : magnitude;
  if (value > INT64_MAX || value < INT64_MIN) {
    return absl::InvalidArgumentError("overflow when converting to decimal");
  }
  return Decimal{static_cast<int64_t>(value)};
}

std::string FormatDecimal(Decimal d) {
  // Always four fractional digits, like Cedar's formal model prints them;
  // the magnitude is unsigned so INT64_MIN needs no special case.
  uint64_t magnitude = d.scaled < 0 ? 0 - static_cast<uint64_t>(d.scaled)
                                    : static_cast<uint64_t>(d.scaled);
  return absl::StrFormat("%s%d.%04d", d.scaled < 0 ? "-" : "",
                         magnitude / kScale, magnitude % kScale);
}

}  // namespace arbiter::internal
