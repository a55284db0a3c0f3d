// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// UTF-8 encoding of one code point, shared by every reader that decodes
// `\u{…}` escapes (policy lexer, entity references, JSON schema locator).

#ifndef ARBITER_COMMON_UTF8_H_
#define ARBITER_COMMON_UTF8_H_

#include <cstdint>
#include <string>

namespace arbiter::internal {

// Appends `cp` to `out`. REQUIRES: `cp` is a Unicode scalar value.
inline void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace arbiter::internal

#endif  // ARBITER_COMMON_UTF8_H_
