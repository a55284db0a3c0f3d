// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// UTF-8 encoding of one code point, shared by every reader that decodes
// `\u{…}` escapes (policy lexer, entity references, JSON schema locator),
// and the well-formedness test the policy lexer applies to string literals
// and comments (Cedar policy text is Rust `&str`: valid UTF-8 throughout).

#ifndef ARBITER_COMMON_UTF8_H_
#define ARBITER_COMMON_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

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

// Length (1 to 4) of the well-formed UTF-8 sequence starting at `s[i]`, or 0
// when the bytes there are not one: a stray continuation byte, a truncated
// sequence, an overlong form, a surrogate, or a value above U+10FFFF. These
// are the rules of the Unicode standard's table 3-7. REQUIRES: i < s.size().
inline size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto at = [&](size_t k) -> unsigned {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
  };
  const unsigned b0 = at(0);
  if (b0 < 0x80) return 1;
  auto cont = [](unsigned b) { return b >= 0x80 && b <= 0xBF; };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(at(1)) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const unsigned b1 = at(1);
    const unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
    const unsigned hi = b0 == 0xED ? 0x9F : 0xBF;  // no surrogates
    return b1 >= lo && b1 <= hi && cont(at(2)) ? 3 : 0;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const unsigned b1 = at(1);
    const unsigned lo = b0 == 0xF0 ? 0x90 : 0x80;  // no overlong forms
    const unsigned hi = b0 == 0xF4 ? 0x8F : 0xBF;  // nothing past U+10FFFF
    return b1 >= lo && b1 <= hi && cont(at(2)) && cont(at(3)) ? 4 : 0;
  }
  return 0;  // 0x80..0xC1 and 0xF5..0xFF never start a sequence
}

}  // namespace arbiter::internal

#endif  // ARBITER_COMMON_UTF8_H_
