// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The Cedar lexer: policy text to tokens. Keywords are not distinguished
// here (Cedar's `permit`, `principal`, … are contextual), and string
// literals keep their raw, still-escaped text, because escapes are read
// differently in `like` patterns (where `\*` is a literal star).

#ifndef ARBITER_PARSE_LEXER_H_
#define ARBITER_PARSE_LEXER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace arbiter::internal {

enum class Tok : uint8_t {
  kEnd,
  kIdent,
  kString,   // text: the raw contents between the quotes
  kInteger,  // text: the digits
  kSlot,     // text: "principal" or "resource" (from ?principal)
  kLParen, kRParen, kLBracket, kRBracket, kLBrace, kRBrace,
  kComma, kSemi, kDot, kColon, kColonColon, kAt,
  kEq, kNe, kLt, kLe, kGt, kGe, kAnd, kOr, kNot,
  kPlus, kMinus, kStar,
  kError,  // text: the message
};

struct Token {
  Tok kind = Tok::kEnd;
  uint32_t begin = 0;  // byte offsets into the source
  uint32_t end = 0;
  std::string_view text;
};

// Lexer
//
// Splits `source` into tokens, one per Next() call, skipping whitespace and
// `//` comments. Malformed input yields kError tokens (with the message in
// `text`) and lexing continues after them; invalid UTF-8 in a string literal
// or a comment is such an error, located at its first bad byte. After the
// last token Next() returns kEnd, and keeps returning it.
//
// The policy parser pulls tokens as it goes, so it never holds more than
// two: a whole file's token vector would be ~10x the size of the text.
// Token texts are views into `source` (or into static messages), which must
// outlive them.
class Lexer {
 public:
  explicit Lexer(std::string_view source) : s_(source) {}
  Token Next();

 private:
  Token Make(Tok kind, size_t begin, size_t end, std::string_view text) const {
    return Token{kind, static_cast<uint32_t>(begin), static_cast<uint32_t>(end),
                 text};
  }
  Token LexString(size_t begin);
  Token LexPunct(size_t begin);

  std::string_view s_;
  size_t i_ = 0;
};

// All of `source`'s tokens at once, the last always kEnd (for the schema
// parser, which backtracks over them, and for tests).
std::vector<Token> Lex(std::string_view source);

// Human-readable token description for error messages, e.g. "`;`" or
// "end of input".
std::string DescribeToken(const Token& t);

// Decodes a string literal's raw text into `*out`. Returns an error
// message, or empty on success.
std::string Unescape(std::string_view raw, std::string* out);

// Decodes a `like` pattern's raw text into the literal runs between its
// wildcards: a bare `*` separates parts, `\*` is a literal star. Returns an
// error message, or empty on success.
std::string UnescapePattern(std::string_view raw, std::vector<std::string>* parts);

// Whether Unescape would change `raw` (it holds a `\` or a `\r`); when not,
// `raw` is already the decoded text.
inline bool NeedsUnescape(std::string_view raw) {
  for (char c : raw) {
    if (c == '\\' || c == '\r') return true;
  }
  return false;
}

}  // namespace arbiter::internal

#endif  // ARBITER_PARSE_LEXER_H_
