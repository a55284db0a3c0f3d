// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// A hand-written single-pass lexer. It never fails outright: a bad character
// or an unterminated string becomes an error token, so the parser can report
// it with a location and go on to find further errors.

#include "src/parse/lexer.h"

#include "src/common/utf8.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace arbiter::internal {
namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

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
    default:
      return "invalid escape `\\" + std::string(1, raw[p]) + "`";
  }
  *i = p + 1;
  return "";
}

}  // namespace

std::string Unescape(std::string_view raw, std::string* out) {
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

std::vector<Token> Lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  auto push = [&](Tok k, size_t b, size_t e, std::string_view text) {
    out.push_back(Token{k, static_cast<uint32_t>(b), static_cast<uint32_t>(e), text});
  };
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v') {
      ++i;
      continue;
    }
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '/') {
      // Cedar's comment token is `//[^\n\r]*`: a lone `\r` ends it too.
      while (i < s.size() && s[i] != '\n' && s[i] != '\r') ++i;
      continue;
    }
    size_t b = i;
    if (IsIdentStart(c)) {
      while (i < s.size() && IsIdentChar(s[i])) ++i;
      push(Tok::kIdent, b, i, s.substr(b, i - b));
      continue;
    }
    if (IsDigit(c)) {
      while (i < s.size() && IsDigit(s[i])) ++i;
      push(Tok::kInteger, b, i, s.substr(b, i - b));
      continue;
    }
    if (c == '"') {
      ++i;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        ++i;
      }
      if (i >= s.size()) {
        push(Tok::kError, b, s.size(), "unterminated string literal");
        break;
      }
      ++i;
      push(Tok::kString, b, i, s.substr(b + 1, i - b - 2));
      continue;
    }
    if (c == '?') {
      ++i;
      while (i < s.size() && IsIdentChar(s[i])) ++i;
      std::string_view name = s.substr(b + 1, i - b - 1);
      if (name == "principal" || name == "resource") {
        push(Tok::kSlot, b, i, name);
      } else {
        push(Tok::kError, b, i, "invalid template slot: expected `?principal` or `?resource`");
      }
      continue;
    }
    auto two = [&](char next) { return i + 1 < s.size() && s[i + 1] == next; };
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
      size_t e = i + 1;
      while (e < s.size() && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) ++e;
      push(Tok::kError, b, e, "unexpected character");
      i = e;
      continue;
    }
    i += len;
    push(k, b, i, s.substr(b, len));
  }
  push(Tok::kEnd, s.size(), s.size(), "");
  return out;
}

std::string DescribeToken(const Token& t) {
  switch (t.kind) {
    case Tok::kEnd: return "end of input";
    case Tok::kString: return "string literal `\"" + std::string(t.text) + "\"`";
    case Tok::kSlot: return "`?" + std::string(t.text) + "`";
    case Tok::kError: return "invalid token";
    default: return "`" + std::string(t.text) + "`";
  }
}

}  // namespace arbiter::internal
