// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// A hand-written single-pass lexer. It never fails outright: a bad character
// or an unterminated string becomes an error token, so the parser can report
// it with a location and go on to find further errors.

#include "src/parse/lexer.h"

#include <algorithm>
#include <array>

#include "src/common/utf8.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace arbiter::internal {
namespace {

// Byte classes, one table lookup per byte in the scanning loops.
enum : uint8_t {
  kIdentStartClass = 1,  // [_a-zA-Z]
  kIdentClass = 2,       // [_a-zA-Z0-9]
  kDigitClass = 4,       // [0-9]
  kSpaceClass = 8,       // space \t \n \r \f \v
  kPlainClass = 16,      // in a comment or string: ASCII but not \n \r " or `\\`
};

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x80; ++c) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (alpha) t[c] |= kIdentStartClass;
    if (alpha || digit) t[c] |= kIdentClass;
    if (digit) t[c] |= kDigitClass;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      t[c] |= kSpaceClass;
    }
    if (c != '\n' && c != '\r' && c != '"' && c != '\\') t[c] |= kPlainClass;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kClasses = MakeClasses();

inline bool Is(char c, uint8_t cls) {
  return (kClasses[static_cast<unsigned char>(c)] & cls) != 0;
}
bool IsIdentStart(char c) { return Is(c, kIdentStartClass); }
bool IsIdentChar(char c) { return Is(c, kIdentClass); }
bool IsDigit(char c) { return Is(c, kDigitClass); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one escape starting at raw[*i] == '\\'. Sets *star for `\*` when
// stars are allowed. Returns an error message or "".
std::string DecodeEscape(std::string_view raw, size_t* i, std::string* out,
                         bool allow_star, bool* star) {
  *star = false;
  size_t p = *i + 1;
  if (p >= raw.size()) return "unterminated escape sequence";
  char c = raw[p];
  switch (c) {
    case 'n': out->push_back('\n'); break;
    case 'r': out->push_back('\r'); break;
    case 't': out->push_back('\t'); break;
    case '0': out->push_back('\0'); break;
    case '\\': out->push_back('\\'); break;
    case '"': out->push_back('"'); break;
    case '\'': out->push_back('\''); break;
    case '\n':
      // Rust's string rules, which Cedar uses: `\` before a newline skips
      // the newline and the whitespace that follows.
      ++p;
      while (p < raw.size() && (raw[p] == ' ' || raw[p] == '\t' ||
                                raw[p] == '\n' || raw[p] == '\r')) {
        ++p;
      }
      *i = p;
      return "";
    case '*':
      if (!allow_star) return "invalid escape `\\*`";
      *star = true;
      break;
    case 'x': {
      int h = p + 1 < raw.size() ? HexValue(raw[p + 1]) : -1;
      int l = p + 2 < raw.size() ? HexValue(raw[p + 2]) : -1;
      if (h < 0 || l < 0) return "invalid escape `\\x`: expected two hex digits";
      int v = h * 16 + l;
      if (v > 0x7F) {
        return absl::StrFormat("invalid escape `\\x%c%c`: must be at most 0x7f",
                               raw[p + 1], raw[p + 2]);
      }
      out->push_back(static_cast<char>(v));
      p += 2;
      break;
    }
    case 'u': {
      if (p + 1 >= raw.size() || raw[p + 1] != '{') {
        return "invalid unicode escape: expected `\\u{...}`";
      }
      size_t q = p + 2;
      uint32_t cp = 0;
      int digits = 0;
      while (q < raw.size() && raw[q] != '}') {
        if (raw[q] == '_' && digits > 0) {  // Rust allows `_` separators
          ++q;
          continue;
        }
        int h = HexValue(raw[q]);
        if (h < 0 || digits >= 6) return "invalid unicode escape: expected 1 to 6 hex digits";
        cp = cp * 16 + static_cast<uint32_t>(h);
        ++digits;
        ++q;
      }
      if (q >= raw.size() || digits == 0) {
        return "invalid unicode escape: expected 1 to 6 hex digits and `}`";
      }
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return absl::StrFormat("invalid unicode escape: `%x` is not a unicode scalar value", cp);
      }
      AppendUtf8(cp, out);
      p = q;
      break;
    }
    default: {
      // Show the whole character after the `\`, not its first byte.
      const size_t n = std::max<size_t>(1, Utf8SequenceLength(raw, p));
      return absl::StrCat("invalid escape `\\", std::string(raw.substr(p, n)), "`");
    }
  }
  *i = p + 1;
  return "";
}

}  // namespace

std::string Unescape(std::string_view raw, std::string* out) {
  if (!NeedsUnescape(raw)) {
    out->assign(raw);
    return "";
  }
  out->clear();
  for (size_t i = 0; i < raw.size();) {
    if (raw[i] == '\r' && (i + 1 >= raw.size() || raw[i + 1] != '\n')) {
      return "a bare carriage return is not allowed in a string literal";
    }
    if (raw[i] != '\\') {
      out->push_back(raw[i++]);
      continue;
    }
    bool star;
    std::string err = DecodeEscape(raw, &i, out, /*allow_star=*/false, &star);
    if (!err.empty()) return err;
  }
  return "";
}

std::string UnescapePattern(std::string_view raw, std::vector<std::string>* parts) {
  parts->assign(1, std::string());
  for (size_t i = 0; i < raw.size();) {
    if (raw[i] == '\r' && (i + 1 >= raw.size() || raw[i + 1] != '\n')) {
      return "a bare carriage return is not allowed in a string literal";
    }
    if (raw[i] == '*') {
      parts->emplace_back();
      ++i;
      continue;
    }
    if (raw[i] != '\\') {
      parts->back().push_back(raw[i++]);
      continue;
    }
    bool star;
    std::string err = DecodeEscape(raw, &i, &parts->back(), /*allow_star=*/true, &star);
    if (!err.empty()) return err;
    if (star) parts->back().push_back('*');
  }
  return "";
}

Token Lexer::Next() {
  const std::string_view s = s_;
  size_t i = i_;
  while (i < s.size()) {
    const char c = s[i];
    if (Is(c, kSpaceClass)) {
      ++i;
      continue;
    }
    if (c != '/' || i + 1 >= s.size() || s[i + 1] != '/') break;
    // Cedar's comment token is `//[^\n\r]*`: a lone `\r` ends it too.
    i += 2;
    while (i < s.size() && s[i] != '\n' && s[i] != '\r') {
      if (static_cast<unsigned char>(s[i]) < 0x80) {
        ++i;
        while (i < s.size() && Is(s[i], kPlainClass)) ++i;
        continue;
      }
      const size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        const size_t bad = i;
        while (i < s.size() && s[i] != '\n' && s[i] != '\r') ++i;
        i_ = i;
        return Make(Tok::kError, bad, bad + 1, "invalid UTF-8 in a comment");
      }
      i += n;
    }
  }
  if (i >= s.size()) {
    i_ = s.size();
    return Make(Tok::kEnd, s.size(), s.size(), "");
  }
  const size_t b = i;
  const char c = s[i];
  if (IsIdentStart(c)) {
    ++i;
    while (i < s.size() && IsIdentChar(s[i])) ++i;
    i_ = i;
    return Make(Tok::kIdent, b, i, s.substr(b, i - b));
  }
  if (IsDigit(c)) {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    i_ = i;
    return Make(Tok::kInteger, b, i, s.substr(b, i - b));
  }
  if (c == '"') return LexString(b);
  if (c == '?') {
    ++i;
    while (i < s.size() && IsIdentChar(s[i])) ++i;
    i_ = i;
    std::string_view name = s.substr(b + 1, i - b - 1);
    if (name == "principal" || name == "resource") {
      return Make(Tok::kSlot, b, i, name);
    }
    return Make(Tok::kError, b, i,
                "invalid template slot: expected `?principal` or `?resource`");
  }
  return LexPunct(b);
}

Token Lexer::LexString(size_t b) {
  const std::string_view s = s_;
  size_t i = b + 1;
  size_t bad = std::string_view::npos;  // the first byte that is not UTF-8
  while (i < s.size() && s[i] != '"') {
    const auto u = static_cast<unsigned char>(s[i]);
    if (Is(s[i], kPlainClass)) {
      ++i;
      continue;
    }
    if (u < 0x80) {
      // An escaped ASCII character is skipped with its `\` (so `\"` does
      // not end the string); Unescape judges the escape later.
      i += u == '\\' && i + 1 < s.size() &&
                   static_cast<unsigned char>(s[i + 1]) < 0x80
               ? 2
               : 1;
      continue;
    }
    size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      if (bad == std::string_view::npos) bad = i;
      n = 1;
    }
    i += n;
  }
  if (i >= s.size()) {
    i_ = s.size();  // nothing after an unterminated string is lexed
    return Make(Tok::kError, b, s.size(), "unterminated string literal");
  }
  ++i;
  i_ = i;
  if (bad != std::string_view::npos) {
    return Make(Tok::kError, bad, bad + 1, "invalid UTF-8 in a string literal");
  }
  return Make(Tok::kString, b, i, s.substr(b + 1, i - b - 2));
}

Token Lexer::LexPunct(size_t b) {
  const std::string_view s = s_;
  const char c = s[b];
  auto two = [&](char next) { return b + 1 < s.size() && s[b + 1] == next; };
  Tok k;
  size_t len = 1;
  switch (c) {
    case '(': k = Tok::kLParen; break;
    case ')': k = Tok::kRParen; break;
    case '[': k = Tok::kLBracket; break;
    case ']': k = Tok::kRBracket; break;
    case '{': k = Tok::kLBrace; break;
    case '}': k = Tok::kRBrace; break;
    case ',': k = Tok::kComma; break;
    case ';': k = Tok::kSemi; break;
    case '.': k = Tok::kDot; break;
    case '@': k = Tok::kAt; break;
    case '+': k = Tok::kPlus; break;
    case '-': k = Tok::kMinus; break;
    case '*': k = Tok::kStar; break;
    case ':':
      if (two(':')) { k = Tok::kColonColon; len = 2; } else { k = Tok::kColon; }
      break;
    case '=':
      if (two('=')) { k = Tok::kEq; len = 2; } else { k = Tok::kError; }
      break;
    case '!':
      if (two('=')) { k = Tok::kNe; len = 2; } else { k = Tok::kNot; }
      break;
    case '<':
      if (two('=')) { k = Tok::kLe; len = 2; } else { k = Tok::kLt; }
      break;
    case '>':
      if (two('=')) { k = Tok::kGe; len = 2; } else { k = Tok::kGt; }
      break;
    case '&':
      if (two('&')) { k = Tok::kAnd; len = 2; } else { k = Tok::kError; }
      break;
    case '|':
      if (two('|')) { k = Tok::kOr; len = 2; } else { k = Tok::kError; }
      break;
    default: k = Tok::kError; break;
  }
  if (k == Tok::kError) {
    // Skip a whole UTF-8 sequence so the message shows the character.
    size_t e = b + 1;
    while (e < s.size() && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) ++e;
    i_ = e;
    return Make(Tok::kError, b, e, "unexpected character");
  }
  i_ = b + len;
  return Make(k, b, b + len, s.substr(b, len));
}

std::vector<Token> Lex(std::string_view source) {
  std::vector<Token> out;
  Lexer lexer(source);
  for (;;) {
    out.push_back(lexer.Next());
    if (out.back().kind == Tok::kEnd) return out;
  }
}

std::string DescribeToken(const Token& t) {
  // Appended rather than `"..." + std::string(...)`, which GCC 12 reports
  // with a false -Wrestrict warning.
  auto wrap = [&t](std::string_view before, std::string_view after) {
    std::string out(before);
    out.append(t.text).append(after);
    return out;
  };
  switch (t.kind) {
    case Tok::kEnd: return "end of input";
    case Tok::kString: return wrap("string literal `\"", "\"`");
    case Tok::kSlot: return wrap("`?", "`");
    case Tok::kError: return "invalid token";
    default: return wrap("`", "`");
  }
}

}  // namespace arbiter::internal
