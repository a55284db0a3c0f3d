// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// DebugQuote approximates Rust's escape_debug: the usual backslash escapes,
// and `\u{…}` for characters Rust does not consider printable (controls,
// format characters, private use, non-characters). Messages only: nothing
// parses these strings back.

#include "src/validate/quote.h"

#include <cstdint>

#include "absl/strings/str_format.h"

namespace arbiter::internal {
namespace {

// Decodes one UTF-8 sequence at s[*i]; invalid bytes decode as themselves.
uint32_t NextCodePoint(std::string_view s, size_t* i) {
  auto b = static_cast<unsigned char>(s[*i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 1;
  if (*i + len > s.size()) len = 1;
  uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1f) : len == 3 ? (b & 0x0f) : (b & 0x07);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3f);
  *i += len;
  return cp;
}

bool Printable(uint32_t c) {
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xad) return false;
  if ((c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
      (c >= 0x2060 && c <= 0x206f) || c == 0xfeff || (c >= 0xfff0 && c <= 0xfffb)) {
    return false;
  }
  if ((c >= 0xd800 && c <= 0xf8ff) || (c & 0xfffe) == 0xfffe) return false;
  if (c >= 0xe0000) return false;
  return true;
}

}  // namespace

std::string DebugQuote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    uint32_t c = NextCodePoint(s, &i);
    switch (c) {
      case '\t': out += "\\t"; continue;
      case '\r': out += "\\r"; continue;
      case '\n': out += "\\n"; continue;
      case '\\': out += "\\\\"; continue;
      case '"': out += "\\\""; continue;
      case '\'': out += "\\'"; continue;
      case 0: out += "\\0"; continue;
      default: break;
    }
    if (Printable(c)) {
      out.append(s.substr(start, i - start));
    } else {
      out += absl::StrFormat("\\u{%x}", c);
    }
  }
  out += "\"";
  return out;
}

}  // namespace arbiter::internal
