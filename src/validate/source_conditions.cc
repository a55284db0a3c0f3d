// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// SourceConditions: parses a policy's conditions again from its source
// text, without the constant folding the policy parser applies for the
// evaluator. The policy already parsed once, so this cannot fail on valid
// input; it skips the annotations and the scope token by token (they are
// kept in the Policy already) and runs the ordinary expression parser on
// each `when` / `unless` body. Spans are shifted back to offsets in the
// whole source.

#include <string_view>
#include <utility>
#include <vector>

#include "src/parse/parser_impl.h"
#include "src/validate/condition.h"

namespace arbiter::internal {
namespace {

void Shift(Expr* root, uint32_t by) {
  std::vector<Expr*> stack = {root};
  while (!stack.empty()) {
    Expr* e = stack.back();
    stack.pop_back();
    e->span.begin += by;
    e->span.end += by;
    for (auto& c : e->children) stack.push_back(c.get());
  }
}

bool Reparse(std::string_view text, uint32_t base, std::vector<Condition>* out) {
  ParseOptions options;
  std::vector<Diagnostic> diagnostics;
  Parser p(text, options, &diagnostics);
  // Annotations: `@key` or `@key("value")`.
  while (p.Accept(Tok::kAt)) {
    if (!p.At(Tok::kIdent)) return false;
    p.Next();
    if (p.Accept(Tok::kLParen)) {
      if (!p.At(Tok::kString)) return false;
      p.Next();
      if (!p.Accept(Tok::kRParen)) return false;
    }
  }
  if (!p.AtIdent("permit") && !p.AtIdent("forbid")) return false;
  p.Next();
  // The scope: up to the matching `)`.
  if (!p.Accept(Tok::kLParen)) return false;
  for (int depth = 1; depth > 0;) {
    if (p.At(Tok::kEnd) || p.At(Tok::kError)) return false;
    Tok k = p.Next().kind;
    if (k == Tok::kLParen) ++depth;
    if (k == Tok::kRParen) --depth;
  }
  while (p.AtIdent("when") || p.AtIdent("unless")) {
    Condition c;
    c.is_when = p.Next().text == "when";
    if (!p.Accept(Tok::kLBrace)) return false;
    Node n = p.ParseExpr();
    if (!n || p.failed() || !p.Accept(Tok::kRBrace)) return false;
    Shift(n.expr.get(), base);
    c.expr = std::move(n.expr);
    out->push_back(std::move(c));
  }
  return p.At(Tok::kSemi);
}


}  // namespace

std::vector<Condition> SourceConditions(const Policy& policy) {
  std::vector<Condition> out;
  if (!policy.body) return out;
  const PolicyBody& body = *policy.body;
  if (body.source && body.span.end <= body.source->size() &&
      body.span.begin < body.span.end) {
    std::string_view text(*body.source);
    text = text.substr(body.span.begin, body.span.end - body.span.begin);
    if (Reparse(text, body.span.begin, &out) &&
        out.size() == body.conditions.size()) {
      return out;
    }
    out.clear();
  }
  for (const Condition& c : body.conditions) {
    Condition copy;
    copy.is_when = c.is_when;
    if (c.expr) copy.expr = CloneExpr(*c.expr);
    out.push_back(std::move(copy));
  }
  return out;
}

}  // namespace arbiter::internal
