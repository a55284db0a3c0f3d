// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The lexer: tokens, comments, string literals and their escapes, template
// slots, and error tokens for malformed input. The oracle is Cedar's token
// grammar: identifiers `[_a-zA-Z][_a-zA-Z0-9]*`, unsigned integers, string
// literals with Rust-style escapes (`\n \r \t \\ \0 \' \" \xHH \u{H..}`),
// `//` line comments, and the slots `?principal` and `?resource`.

#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "src/common/utf8.h"
#include "src/parse/lexer.h"

namespace arbiter::internal {
namespace {

std::vector<Tok> Kinds(std::string_view src) {
  std::vector<Tok> out;
  for (const Token& t : Lex(src)) out.push_back(t.kind);
  return out;
}

std::vector<std::string> Texts(std::string_view src) {
  std::vector<std::string> out;
  for (const Token& t : Lex(src)) out.emplace_back(t.text);
  return out;
}

// Unescapes `raw` and returns the decoded text; fails the test on error.
std::string Decoded(std::string_view raw) {
  std::string out;
  std::string err = Unescape(raw, &out);
  INFO("raw: " << raw << " error: " << err);
  REQUIRE(err.empty());
  return out;
}

// The error message Unescape gives for `raw` (empty on success).
std::string UnescapeError(std::string_view raw) {
  std::string out;
  return Unescape(raw, &out);
}

std::vector<std::string> Pattern(std::string_view raw) {
  std::vector<std::string> parts;
  std::string err = UnescapePattern(raw, &parts);
  INFO("raw: " << raw << " error: " << err);
  REQUIRE(err.empty());
  return parts;
}

TEST_CASE("lexer: empty and blank input yield only the end token", "[lexer]") {
  for (std::string_view src : {"", " ", "\t\r\n  \n", "// only a comment",
                               "// comment\n// another\n"}) {
    INFO("source: " << src);
    std::vector<Token> toks = Lex(src);
    REQUIRE(toks.size() == 1);
    CHECK(toks[0].kind == Tok::kEnd);
    CHECK(toks[0].begin == src.size());
    CHECK(toks[0].end == src.size());
  }
}

TEST_CASE("lexer: a whole policy", "[lexer]") {
  std::string_view src =
      "permit(principal == User::\"alice\", action, resource)\n"
      "when { context.n >= 3 };";
  CHECK(Kinds(src) ==
        std::vector<Tok>{Tok::kIdent, Tok::kLParen, Tok::kIdent, Tok::kEq,
                         Tok::kIdent, Tok::kColonColon, Tok::kString,
                         Tok::kComma, Tok::kIdent, Tok::kComma, Tok::kIdent,
                         Tok::kRParen, Tok::kIdent, Tok::kLBrace, Tok::kIdent,
                         Tok::kDot, Tok::kIdent, Tok::kGe, Tok::kInteger,
                         Tok::kRBrace, Tok::kSemi, Tok::kEnd});
  CHECK(Texts(src) ==
        std::vector<std::string>{"permit", "(", "principal", "==", "User",
                                 "::", "alice", ",", "action", ",",
                                 "resource", ")", "when", "{", "context", ".",
                                 "n", ">=", "3", "}", ";", ""});
}

TEST_CASE("lexer: every punctuation and operator token", "[lexer]") {
  CHECK(Kinds("( ) [ ] { } , ; . : :: @") ==
        std::vector<Tok>{Tok::kLParen, Tok::kRParen, Tok::kLBracket,
                         Tok::kRBracket, Tok::kLBrace, Tok::kRBrace,
                         Tok::kComma, Tok::kSemi, Tok::kDot, Tok::kColon,
                         Tok::kColonColon, Tok::kAt, Tok::kEnd});
  CHECK(Kinds("== != < <= > >= && || ! + - *") ==
        std::vector<Tok>{Tok::kEq, Tok::kNe, Tok::kLt, Tok::kLe, Tok::kGt,
                         Tok::kGe, Tok::kAnd, Tok::kOr, Tok::kNot, Tok::kPlus,
                         Tok::kMinus, Tok::kStar, Tok::kEnd});
}

TEST_CASE("lexer: two-character operators are matched greedily", "[lexer]") {
  // No spaces: `<=` is one token, `<` then `=`... would be an error.
  CHECK(Kinds("a<=b") ==
        std::vector<Tok>{Tok::kIdent, Tok::kLe, Tok::kIdent, Tok::kEnd});
  CHECK(Kinds("a:::b") == std::vector<Tok>{Tok::kIdent, Tok::kColonColon,
                                           Tok::kColon, Tok::kIdent,
                                           Tok::kEnd});
  CHECK(Kinds("!!=") ==
        std::vector<Tok>{Tok::kNot, Tok::kNe, Tok::kEnd});
  CHECK(Kinds("<>") == std::vector<Tok>{Tok::kLt, Tok::kGt, Tok::kEnd});
  CHECK(Kinds("1-2") == std::vector<Tok>{Tok::kInteger, Tok::kMinus,
                                         Tok::kInteger, Tok::kEnd});
}

TEST_CASE("lexer: identifiers and integers", "[lexer]") {
  CHECK(Texts("_a a_1 A9z __cedar") ==
        std::vector<std::string>{"_a", "a_1", "A9z", "__cedar", ""});
  // A digit cannot start an identifier: `9lives` is an integer then a name.
  CHECK(Kinds("9lives") ==
        std::vector<Tok>{Tok::kInteger, Tok::kIdent, Tok::kEnd});
  CHECK(Texts("9lives") == std::vector<std::string>{"9", "lives", ""});
  // Integers are unsigned digit runs of any length; range is the parser's job.
  CHECK(Texts("0 007 99999999999999999999999") ==
        std::vector<std::string>{"0", "007", "99999999999999999999999", ""});
  // `-1` is two tokens; negative literals are built by the parser.
  CHECK(Kinds("-1") == std::vector<Tok>{Tok::kMinus, Tok::kInteger, Tok::kEnd});
  // Keywords are not special to the lexer.
  for (const Token& t : Lex("permit forbid when unless if then else in has "
                            "like is true false principal")) {
    if (t.kind != Tok::kEnd) CHECK(t.kind == Tok::kIdent);
  }
}

TEST_CASE("lexer: token offsets are byte ranges into the source", "[lexer]") {
  std::string_view src = "  ab  ==\n\"x\" ?principal";
  std::vector<Token> toks = Lex(src);
  REQUIRE(toks.size() == 5);
  CHECK(toks[0].begin == 2);
  CHECK(toks[0].end == 4);
  CHECK(toks[1].begin == 6);
  CHECK(toks[1].end == 8);
  // A string token covers its quotes; its text excludes them.
  CHECK(toks[2].begin == 9);
  CHECK(toks[2].end == 12);
  CHECK(toks[2].text == "x");
  CHECK(toks[3].begin == 13);
  CHECK(toks[3].end == 23);
  CHECK(toks[4].kind == Tok::kEnd);
  CHECK(toks[4].begin == src.size());
}

TEST_CASE("lexer: line comments", "[lexer]") {
  // A comment runs to the end of the line, whatever it contains.
  CHECK(Texts("a // b \"unterminated ?bad $ \n c") ==
        std::vector<std::string>{"a", "c", ""});
  // A comment at the very end, without a newline.
  CHECK(Texts("a //") == std::vector<std::string>{"a", ""});
  // Comments between tokens with no surrounding spaces.
  CHECK(Texts("a//x\n//y\nb") == std::vector<std::string>{"a", "b", ""});
  // A single slash is not a comment (and not a Cedar operator).
  std::vector<Token> toks = Lex("a / b");
  REQUIRE(toks.size() == 4);
  CHECK(toks[1].kind == Tok::kError);
  // `//` inside a string literal is part of the string.
  toks = Lex("\"http://example.com\" x");
  REQUIRE(toks.size() == 3);
  CHECK(toks[0].kind == Tok::kString);
  CHECK(toks[0].text == "http://example.com");
  CHECK(toks[1].text == "x");
  // Cedar has no block comments: `/*` lexes as an error then a star.
  CHECK(Kinds("/* x */")[0] == Tok::kError);
}

TEST_CASE("lexer: string literals keep their raw, escaped text", "[lexer]") {
  std::vector<Token> toks = Lex(R"("a\"b" "" "\\" "\u{41}*")");
  REQUIRE(toks.size() == 5);
  for (int i = 0; i < 4; ++i) CHECK(toks[i].kind == Tok::kString);
  CHECK(toks[0].text == R"(a\"b)");
  CHECK(toks[1].text == "");
  CHECK(toks[2].text == R"(\\)");
  CHECK(toks[3].text == R"(\u{41}*)");
  // Strings may span lines and hold any bytes.
  toks = Lex("\"line1\nline2 \xC3\xA9\"");
  REQUIRE(toks.size() == 2);
  CHECK(toks[0].kind == Tok::kString);
  CHECK(toks[0].text == "line1\nline2 \xC3\xA9");
  // Adjacent strings are separate tokens.
  CHECK(Kinds(R"("a""b")") ==
        std::vector<Tok>{Tok::kString, Tok::kString, Tok::kEnd});
}

TEST_CASE("lexer: unterminated string literals", "[lexer]") {
  for (std::string_view src :
       {"\"abc", "\"", "x \"abc\\\"", "\"abc\\", "\"a\" \"b"}) {
    INFO("source: " << src);
    std::vector<Token> toks = Lex(src);
    REQUIRE(toks.size() >= 2);
    const Token& err = toks[toks.size() - 2];
    CHECK(err.kind == Tok::kError);
    CHECK(err.text == "unterminated string literal");
    CHECK(err.end == src.size());
    CHECK(toks.back().kind == Tok::kEnd);
  }
  // The error token starts at the opening quote.
  std::vector<Token> toks = Lex("ab \"cd");
  REQUIRE(toks.size() == 3);
  CHECK(toks[1].begin == 3);
}

TEST_CASE("lexer: template slots", "[lexer]") {
  std::vector<Token> toks = Lex("?principal ?resource");
  REQUIRE(toks.size() == 3);
  CHECK(toks[0].kind == Tok::kSlot);
  CHECK(toks[0].text == "principal");
  CHECK(toks[1].kind == Tok::kSlot);
  CHECK(toks[1].text == "resource");
  // Only the two slots Cedar defines exist.
  for (std::string_view src : {"?action", "?context", "?", "?Principal",
                               "?principals", "?1"}) {
    INFO("source: " << src);
    toks = Lex(src);
    REQUIRE(!toks.empty());
    CHECK(toks[0].kind == Tok::kError);
    CHECK(std::string(toks[0].text).find("slot") != std::string::npos);
    CHECK(toks.back().kind == Tok::kEnd);
  }
  // A slot ends where the identifier characters end.
  CHECK(Kinds("?principal)") ==
        std::vector<Tok>{Tok::kSlot, Tok::kRParen, Tok::kEnd});
}

TEST_CASE("lexer: bad characters become error tokens and lexing goes on",
          "[lexer]") {
  for (std::string_view bad : {"$", "#", "%", "^", "~", "`", "'", "\\", "/",
                               "=", "&", "|", "?"}) {
    std::string src = "a " + std::string(bad) + " b";
    INFO("source: " << src);
    std::vector<Token> toks = Lex(src);
    REQUIRE(toks.size() == 4);
    CHECK(toks[0].kind == Tok::kIdent);
    CHECK(toks[1].kind == Tok::kError);
    CHECK(toks[1].begin == 2);
    CHECK_FALSE(toks[1].text.empty());
    CHECK(toks[2].kind == Tok::kIdent);
    CHECK(toks[2].text == "b");
    CHECK(toks[3].kind == Tok::kEnd);
  }
}

TEST_CASE("lexer: a non-ASCII character is one error token", "[lexer]") {
  // U+00E9 (2 bytes), U+20AC (3 bytes), U+1F600 (4 bytes).
  for (std::string_view ch : {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
    std::string src = "x";
    src.append(ch);
    src.push_back('y');
    std::vector<Token> toks = Lex(src);
    REQUIRE(toks.size() == 4);
    CHECK(toks[1].kind == Tok::kError);
    CHECK(toks[1].begin == 1);
    CHECK(toks[1].end == 1 + ch.size());
    CHECK(toks[2].text == "y");
  }
  // Stray continuation bytes and NUL bytes do not stop the lexer.
  std::string src("a\x80\x80 \0 b", 7);
  std::vector<Token> toks = Lex(src);
  CHECK(toks.back().kind == Tok::kEnd);
  CHECK(toks.front().text == "a");
  CHECK(toks[toks.size() - 2].text == "b");
}

TEST_CASE("lexer: DescribeToken", "[lexer]") {
  std::vector<Token> toks = Lex("foo \"s\" ?resource ; $");
  REQUIRE(toks.size() == 6);
  CHECK(DescribeToken(toks[0]) == "`foo`");
  CHECK(DescribeToken(toks[1]) == "string literal `\"s\"`");
  CHECK(DescribeToken(toks[2]) == "`?resource`");
  CHECK(DescribeToken(toks[3]) == "`;`");
  CHECK(DescribeToken(toks[4]) == "invalid token");
  CHECK(DescribeToken(toks[5]) == "end of input");
}

TEST_CASE("unescape: simple escapes", "[lexer]") {
  CHECK(Decoded("") == "");
  CHECK(Decoded("plain text") == "plain text");
  CHECK(Decoded(R"(a\nb)") == "a\nb");
  CHECK(Decoded(R"(\r\t)") == "\r\t");
  CHECK(Decoded(R"(\\)") == "\\");
  CHECK(Decoded(R"(\")") == "\"");
  CHECK(Decoded(R"(\')") == "'");
  CHECK(Decoded(R"(\0)") == std::string("\0", 1));
  CHECK(Decoded(R"(x\\ny)") == "x\\ny");  // `\\` then a plain `n`
}

TEST_CASE("unescape: hex escapes are ASCII only", "[lexer]") {
  CHECK(Decoded(R"(\x41\x61)") == "Aa");
  CHECK(Decoded(R"(\x7f)") == "\x7f");
  CHECK(Decoded(R"(\x7F)") == "\x7f");
  CHECK(Decoded(R"(\x00)") == std::string("\0", 1));
  CHECK(Decoded(R"(\x412)") == "A2");  // exactly two digits are read
  CHECK_FALSE(UnescapeError(R"(\x80)").empty());
  CHECK_FALSE(UnescapeError(R"(\xff)").empty());
  CHECK_FALSE(UnescapeError(R"(\x4)").empty());
  CHECK_FALSE(UnescapeError(R"(\x)").empty());
  CHECK_FALSE(UnescapeError(R"(\xg1)").empty());
}

TEST_CASE("unescape: unicode escapes", "[lexer]") {
  CHECK(Decoded(R"(\u{41})") == "A");
  CHECK(Decoded(R"(\u{0})") == std::string("\0", 1));
  CHECK(Decoded(R"(\u{e9})") == "\xC3\xA9");
  CHECK(Decoded(R"(\u{E9})") == "\xC3\xA9");
  CHECK(Decoded(R"(\u{7ff})") == "\xDF\xBF");
  CHECK(Decoded(R"(\u{800})") == "\xE0\xA0\x80");
  CHECK(Decoded(R"(\u{20ac})") == "\xE2\x82\xAC");
  CHECK(Decoded(R"(\u{ffff})") == "\xEF\xBF\xBF");
  CHECK(Decoded(R"(\u{1F600})") == "\xF0\x9F\x98\x80");
  CHECK(Decoded(R"(\u{10FFFF})") == "\xF4\x8F\xBF\xBF");
  CHECK(Decoded(R"(\u{000041})") == "A");  // up to six digits
  CHECK(Decoded(R"(a\u{62}c)") == "abc");
}

TEST_CASE("unescape: invalid unicode escapes", "[lexer]") {
  for (std::string_view raw :
       {R"(\u{})", R"(\u{110000})", R"(\u{D800})", R"(\u{dfff})",
        R"(\u{1234567})", R"(\u{0000041})", R"(\u0041)", R"(\u)", R"(\u{41)", R"(\u{g})",
        R"(\u{ 41})", R"(\u{-1})"}) {
    INFO("raw: " << raw);
    std::string err = UnescapeError(raw);
    CHECK_FALSE(err.empty());
    CHECK(err.find("unicode escape") != std::string::npos);
  }
}

TEST_CASE("unescape: unknown escapes are errors", "[lexer]") {
  for (std::string_view raw : {R"(\q)", R"(\a)", R"(\b)", R"(\v)", R"(\ )",
                               R"(\*)", R"(abc\)", R"(\N)", R"(\U{41})"}) {
    INFO("raw: " << raw);
    CHECK_FALSE(UnescapeError(raw).empty());
  }
  CHECK(UnescapeError(R"(\q)").find("\\q") != std::string::npos);
  CHECK(UnescapeError(R"(\*)").find("\\*") != std::string::npos);
}

TEST_CASE("unescape pattern: wildcards split the pattern", "[lexer]") {
  using V = std::vector<std::string>;
  CHECK(Pattern("") == V{""});
  CHECK(Pattern("abc") == V{"abc"});
  CHECK(Pattern("*") == V{"", ""});
  CHECK(Pattern("a*") == V{"a", ""});
  CHECK(Pattern("*a") == V{"", "a"});
  CHECK(Pattern("a*b*c") == V{"a", "b", "c"});
  CHECK(Pattern("**") == V{"", "", ""});
}

TEST_CASE("unescape pattern: escaped stars are literal", "[lexer]") {
  using V = std::vector<std::string>;
  CHECK(Pattern(R"(\*)") == V{"*"});
  CHECK(Pattern(R"(a\*b*c)") == V{"a*b", "c"});
  CHECK(Pattern(R"(\**)") == V{"*", ""});
  CHECK(Pattern(R"(\\*)") == V{"\\", ""});  // escaped backslash, then wildcard
  // Other escapes are decoded as in plain strings.
  CHECK(Pattern(R"(\n*\u{e9})") == V{"\n", "\xC3\xA9"});
  std::vector<std::string> parts;
  CHECK_FALSE(UnescapePattern(R"(a\qb)", &parts).empty());
  CHECK_FALSE(UnescapePattern(R"(\u{D800}*)", &parts).empty());
}

// --- Former divergences from Cedar, now fixed (see the test names) ------------

TEST_CASE("lexer: a bare carriage return ends a comment",
          "[lexer]") {
  // Cedar's comment token is `//[^\n\r]*`: text after a lone `\r` (old
  // Mac line endings) is code again, not part of the comment.
  CHECK(Texts("a // c\rb") == std::vector<std::string>{"a", "b", ""});
  CHECK(Texts("// c\r\rb") == std::vector<std::string>{"b", ""});
}

TEST_CASE("lexer: form feed and vertical tab are whitespace",
          "[lexer]") {
  // Cedar skips `\s`, which includes \f and \v.
  CHECK(Kinds("a\fb\vc") ==
        std::vector<Tok>{Tok::kIdent, Tok::kIdent, Tok::kIdent, Tok::kEnd});
}

TEST_CASE("unescape: a backslash before a newline continues the line",
          "[lexer]") {
  // Cedar unescapes with Rust's string rules: `\` + newline skips the
  // newline and the whitespace after it.
  std::string out;
  CHECK(Unescape("a\\\n   b", &out).empty());
  CHECK(out == "ab");
}

TEST_CASE("unescape: underscores inside unicode escapes", "[lexer]") {
  // Rust's rules allow `_` after the first digit of a unicode escape.
  std::string out;
  CHECK(Unescape(R"(\u{1_F600})", &out).empty());
  CHECK(out == "\xF0\x9F\x98\x80");
  CHECK_FALSE(UnescapeError(R"(\u{_1})").empty());
}

TEST_CASE("unescape: a bare carriage return in a string is an error",
          "[lexer]") {
  // Rust's rules (which Cedar uses) reject a lone `\r` in a string literal.
  CHECK_FALSE(UnescapeError("a\rb").empty());
}

TEST_CASE("lexer: invalid UTF-8 in a string is an error token at the bad byte",
          "[lexer]") {
  std::vector<Token> toks = Lex("a \"ok\xC3\xA9\xFFz\" b");
  REQUIRE(toks.size() == 4);
  CHECK(toks[0].kind == Tok::kIdent);
  CHECK(toks[1].kind == Tok::kError);
  CHECK(toks[1].begin == 7);
  CHECK(toks[1].end == 8);
  CHECK(toks[1].text == "invalid UTF-8 in a string literal");
  // Lexing goes on after the string.
  CHECK(toks[2].kind == Tok::kIdent);
  CHECK(toks[2].text == "b");
  // An escaped quote is still skipped; a `\\` before a multi-byte
  // character does not hide its first byte.
  CHECK(Kinds("\"a\\\"\xFF\"") == std::vector<Tok>{Tok::kError, Tok::kEnd});
  CHECK(Kinds("\"\\\xC3\xA9\"") == std::vector<Tok>{Tok::kString, Tok::kEnd});
  // A comment: the error, then the tokens after the comment.
  CHECK(Kinds("x // \xC3\x28\ny") ==
        std::vector<Tok>{Tok::kIdent, Tok::kError, Tok::kIdent, Tok::kEnd});
}

TEST_CASE("utf8: sequence lengths follow the Unicode well-formedness table",
          "[lexer]") {
  auto len = [](std::string_view s) { return Utf8SequenceLength(s, 0); };
  CHECK(len("a") == 1);
  CHECK(len("\x7F") == 1);
  CHECK(len("\xC2\x80") == 2);
  CHECK(len("\xDF\xBF") == 2);
  CHECK(len("\xE0\xA0\x80") == 3);
  CHECK(len("\xED\x9F\xBF") == 3);  // U+D7FF, just below the surrogates
  CHECK(len("\xEE\x80\x80") == 3);
  CHECK(len("\xF0\x90\x80\x80") == 4);
  CHECK(len("\xF4\x8F\xBF\xBF") == 4);  // U+10FFFF
  CHECK(len("\x80") == 0);
  CHECK(len("\xC0\x80") == 0);
  CHECK(len("\xC1\xBF") == 0);
  CHECK(len("\xC2") == 0);
  CHECK(len("\xC2\x41") == 0);
  CHECK(len("\xE0\x9F\xBF") == 0);
  CHECK(len("\xED\xA0\x80") == 0);
  CHECK(len("\xE1\x80") == 0);
  CHECK(len("\xF0\x8F\xBF\xBF") == 0);
  CHECK(len("\xF4\x90\x80\x80") == 0);
  CHECK(len("\xF5\x80\x80\x80") == 0);
  CHECK(len("\xFF") == 0);
}

}  // namespace
}  // namespace arbiter::internal
