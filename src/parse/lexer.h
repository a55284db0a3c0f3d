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

// Splits `source` into tokens, skipping whitespace and `//` comments. The
// last token is always kEnd; malformed input yields kError tokens (with the
// message in `text`) and lexing continues after them.
std::vector<Token> Lex(std::string_view source);

// Human-readable token description for error messages, e.g. "`;`" or
// "end of input".
std::string DescribeToken(const Token& t);

// Decodes a string literal's raw text. With `pattern`, `\*` becomes
// `kStarEscape` in `*out` positions listed in `*escaped_stars`; a bare `*`
// is left as '*' and reported in `*wildcards` (byte offsets in *out).
// Returns an error message, or empty on success.
std::string Unescape(std::string_view raw, std::string* out);
std::string UnescapePattern(std::string_view raw, std::vector<std::string>* parts);

}  // namespace arbiter::internal

#endif  // ARBITER_PARSE_LEXER_H_
