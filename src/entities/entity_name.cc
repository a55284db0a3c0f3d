// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Entity type names and Cedar-syntax entity references (`A::B::"id"`).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/common/utf8.h"
#include "absl/strings/str_cat.h"
#include "src/entities/json_value.h"

namespace arbiter::internal {
namespace {

constexpr std::string_view kReservedWords[] = {
    "true", "false", "if", "then", "else", "in", "is", "like", "has"};

bool IsIdentStart(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

absl::Status TypeNameError(std::string_view name, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid entity type name `", ToAbsl(name), "`: ", why));
}

class UidTextParser {
 public:
  explicit UidTextParser(std::string_view text) : text_(text) {}

  absl::StatusOr<EntityUid> Parse() {
    std::string type;
    SkipSpace();
    while (true) {
      std::string_view ident = Ident();
      if (ident.empty()) {
        return Fail(type.empty() ? "expected an entity type name"
                                 : "expected a quoted id after `::`");
      }
      const bool first = type.empty();
      if (!first) type.append("::");
      type.append(ident);
      SkipSpace();
      if (!Consume("::")) {
        return Fail(first ? "expected `::` after the type name"
                          : "the id must be a quoted string");
      }
      SkipSpace();
      if (Peek() == '"') break;
    }
    if (absl::Status s = CheckEntityTypeName(type); !s.ok()) {
      return Fail(s.message());
    }
    absl::StatusOr<std::string> id = StringLiteral();
    if (!id.ok()) return id.status();
    SkipSpace();
    if (pos_ != text_.size()) return Fail("unexpected text after the id");
    return EntityUid::Of(type, *id);
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
            text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Consume(std::string_view s) {
    if (text_.substr(pos_, s.size()) != s) return false;
    pos_ += s.size();
    return true;
  }

  std::string_view Ident() {
    size_t start = pos_;
    if (pos_ < text_.size() && IsIdentStart(text_[pos_])) {
      ++pos_;
      while (pos_ < text_.size() && IsIdentChar(text_[pos_])) ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  absl::Status Fail(absl::string_view why) const {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid entity reference `", ToAbsl(text_), "` at offset ", pos_, ": ",
        why, " (expected the form `Type::\"id\"`)"));
  }


  static int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // A Cedar string literal: escapes \n \r \t \\ \0 \' \" \xHH (at most 7f)
  // and \u{H…} (1 to 6 hex digits, a Unicode scalar value).
  absl::StatusOr<std::string> StringLiteral() {
    if (!Consume("\"")) return Fail("expected `\"` to open the id");
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) return Fail("unterminated id string");
      char c = text_[pos_++];
      if (c == '"') return out;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return Fail("unterminated escape");
      char e = text_[pos_++];
      switch (e) {
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case '0':
          out.push_back('\0');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '\'':
          out.push_back('\'');
          break;
        case '"':
          out.push_back('"');
          break;
        case 'x': {
          int hi = pos_ < text_.size() ? HexDigit(text_[pos_]) : -1;
          int lo = pos_ + 1 < text_.size() ? HexDigit(text_[pos_ + 1]) : -1;
          if (hi < 0 || lo < 0 || hi > 7) {
            return Fail("`\\x` needs two hex digits, at most `7f`");
          }
          pos_ += 2;
          out.push_back(static_cast<char>(hi * 16 + lo));
          break;
        }
        case 'u': {
          if (!Consume("{")) return Fail("`\\u` must be followed by `{`");
          uint32_t cp = 0;
          int digits = 0;
          while (pos_ < text_.size() && HexDigit(text_[pos_]) >= 0) {
            cp = cp * 16 + static_cast<uint32_t>(HexDigit(text_[pos_++]));
            if (++digits > 6) return Fail("`\\u{…}` takes 1 to 6 hex digits");
          }
          if (digits == 0 || !Consume("}")) {
            return Fail("`\\u{…}` takes 1 to 6 hex digits and a `}`");
          }
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return Fail("`\\u{…}` is not a Unicode scalar value");
          }
          AppendUtf8(cp, &out);
          break;
        }
        default:
          --pos_;
          return Fail(
              absl::StrCat("unknown escape `\\", std::string(1, e), "`"));
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<EntityUid> ParseEntityUidText(std::string_view text) {
  return UidTextParser(text).Parse();
}

absl::Status CheckEntityTypeName(std::string_view name) {
  if (name.empty()) return TypeNameError(name, "the name is empty");
  size_t start = 0;
  while (true) {
    size_t end = name.find("::", start);
    std::string_view part = name.substr(start, end == std::string_view::npos
                                                   ? std::string_view::npos
                                                   : end - start);
    if (part.empty()) {
      return TypeNameError(name, "each `::` must separate two identifiers");
    }
    if (!IsIdentStart(part[0]) ||
        !std::all_of(part.begin(), part.end(), IsIdentChar)) {
      return TypeNameError(
          name,
          absl::StrCat("`", ToAbsl(part),
                       "` is not an identifier ([_a-zA-Z][_a-zA-Z0-9]*)"));
    }
    for (std::string_view reserved : kReservedWords) {
      if (part == reserved) {
        return TypeNameError(
            name, absl::StrCat("`", ToAbsl(part), "` is a reserved word"));
      }
    }
    if (part == "__cedar") {
      return TypeNameError(name, "`__cedar` is reserved for Cedar");
    }
    if (end == std::string_view::npos) return absl::OkStatus();
    start = end + 2;
  }
}

bool IsActionType(std::string_view type_name) {
  constexpr std::string_view kAction = "Action";
  if (type_name == kAction) return true;
  return type_name.size() > kAction.size() + 2 &&
         type_name.substr(type_name.size() - kAction.size() - 2) == "::Action";
}

}  // namespace arbiter::internal
