// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Strings quoted the way Cedar's messages quote them (Rust's `{:?}` /
// escape_debug): `"a\"b"`, control characters as `\u{1f}`, `'` as `\'`.

#ifndef ARBITER_VALIDATE_QUOTE_H_
#define ARBITER_VALIDATE_QUOTE_H_

#include <string>
#include <string_view>

namespace arbiter::internal {

// `s` (UTF-8) between double quotes, escaped for a message.
std::string DebugQuote(std::string_view s);

}  // namespace arbiter::internal

#endif  // ARBITER_VALIDATE_QUOTE_H_
