// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Unreachable tool rules. Rules are tried in order and the first match wins,
// so a rule is dead when an earlier one matches every name it matches.
// Inclusion of regular languages is decidable but RE2 exposes no automata to
// decide it with, so this reads what can be read from the pattern text: its
// anchoring and the literal it must begin with. A rule is reported only
// with a proof:
//
//   - an earlier pattern that is the same text;
//   - an earlier pattern matching every name (``, `.*`, `^`, `^.*`);
//   - an earlier `^lit` (optionally `.*` after it) when this one is anchored
//     and its literal prefix starts with `lit`;
//   - an earlier unanchored `lit` when this one's literal prefix contains
//     `lit` (any match of this one contains it, so the search finds it).
//
// Whatever the analysis cannot read (alternation at the top, classes,
// flags) it leaves alone: lint never calls a live rule dead.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/bundle/tool_table.h"

namespace arbiter::internal {
namespace {

struct PatternShape {
  bool readable = false;  // false: nothing is known
  bool anchored = false;  // begins with ^
  std::string literal;    // every match begins with this
  bool pure = false;      // the pattern is exactly the literal (then `.*`)
};

bool IsMeta(char c) {
  switch (c) {
    case '\\': case '.': case '^': case '$': case '|': case '?': case '*':
    case '+': case '(': case ')': case '[': case ']': case '{': case '}':
      return true;
    default:
      return false;
  }
}

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

PatternShape Shape(const std::string& p) {
  PatternShape s;
  // A `|` outside parentheses (or inside a class, which we do not parse)
  // makes the literal prefix meaningless: `^a|b` matches `b`.
  int depth = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') { ++i; continue; }
    if (p[i] == '[') return s;  // classes may hold `|`, `)`; give up
    if (p[i] == '(') ++depth;
    if (p[i] == ')') --depth;
    if (p[i] == '|' && depth == 0) return s;
  }
  size_t i = 0;
  if (i < p.size() && p[i] == '^') {
    s.anchored = true;
    ++i;
  }
  // Read literal characters; `last_start` is where the last one began, so a
  // quantifier after it can take it back.
  while (i < p.size()) {
    const size_t start = i;
    char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size() || IsAlnum(p[i + 1])) break;  // \d, \b, \x…
      c = p[i + 1];
      i += 2;
    } else if (IsMeta(c)) {
      break;
    } else {
      ++i;
    }
    if (i < p.size() && (p[i] == '?' || p[i] == '*' || p[i] == '{')) {
      i = start;  // optional or repeated: not part of every match
      break;
    }
    s.literal.push_back(c);
  }
  const std::string rest = p.substr(i);
  s.pure = rest.empty() || rest == ".*";
  s.readable = true;
  return s;
}

}  // namespace

std::string ShadowReason(const std::vector<ToolRule>& rules, size_t later) {
  const PatternShape b = Shape(rules[later].pattern);
  for (size_t i = 0; i < later; ++i) {
    const std::string& ap = rules[i].pattern;
    const std::string who =
        absl::StrCat("rule ", i + 1, " (`", ap, "`, line ",
                     rules[i].location.line, ")");
    if (ap == rules[later].pattern) {
      return absl::StrCat(who, " has the same pattern");
    }
    const PatternShape a = Shape(ap);
    if (!a.readable || !a.pure) continue;
    if (a.literal.empty()) return absl::StrCat(who, " matches every tool name");
    if (!b.readable) continue;
    if (a.anchored && b.anchored && b.literal.rfind(a.literal, 0) == 0) {
      return absl::StrCat(who, " matches every name beginning with `",
                          a.literal, "`");
    }
    if (!a.anchored && b.literal.find(a.literal) != std::string::npos) {
      return absl::StrCat(who, " matches every name containing `", a.literal,
                          "`");
    }
  }
  return "";
}

}  // namespace arbiter::internal
