// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The recursive-descent parser's state, shared by the policy-level parser
// (policy_parser.cc) and the expression parser (expr_parser.cc).
//
// Recursion is bounded: every nested construct goes through Enter(), which
// fails once ParseOptions::max_nesting_depth is reached, and left-associative
// chains (`a + b + c …`) count their length too, because the evaluator walks
// the resulting tree recursively.

#ifndef ARBITER_PARSE_PARSER_IMPL_H_
#define ARBITER_PARSE_PARSER_IMPL_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "arbiter/policy_set.h"
#include "src/ast/policy.h"
#include "src/parse/lexer.h"

namespace arbiter::internal {

// A parsed subexpression and the height of its tree.
struct Node {
  std::unique_ptr<Expr> expr;
  size_t height = 0;
  explicit operator bool() const { return expr != nullptr; }
};

class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& options,
         std::vector<Diagnostic>* diagnostics);

  // Parses the whole text; see ParsePolicies.
  bool ParseAll(std::vector<std::unique_ptr<Policy>>* out);

  // --- expressions (expr_parser.cc) ---
  Node ParseExpr();

 private:
  // --- policies (policy_parser.cc) ---
  std::unique_ptr<Policy> ParsePolicy();
  bool ParseAnnotations(std::vector<Annotation>* out);
  bool ParseScope(Policy* p);
  bool ParsePrincipalOrResource(std::string_view var, std::string_view slot,
                                ScopeConstraint* out);
  bool ParseActionScope(ScopeConstraint* out);
  bool ParseScopeEntity(std::string_view slot, ScopeConstraint* out);
  void SkipToPolicyEnd();

  // --- expressions (expr_parser.cc) ---
  Node ParseOr();
  Node ParseAnd();
  Node ParseRelation();
  Node ParseAdd();
  Node ParseMult();
  Node ParseUnary();
  Node ParseMember();
  Node ParsePrimary();
  Node ParseAccess(Node receiver);
  Node ParseNameExpr();
  bool ParseArgs(std::vector<Node>* args);
  Node MakeHas(Node operand, Symbol attr, SourceSpan span);

  // --- shared helpers ---
 public:
  bool ParsePath(std::string* path);
  // Errors on reserved words and `__cedar` used as part of a name.
  bool CheckNameComponent(const Token& t);
  bool ParseEntityUid(EntityUid* out);
  bool ParseStringLiteral(std::string* out);

  const Token& Peek(size_t ahead = 0) const;
  const Token& Next();
  bool At(Tok k) const { return Peek().kind == k; }
  bool AtIdent(std::string_view word) const {
    return Peek().kind == Tok::kIdent && Peek().text == word;
  }
  bool Accept(Tok k);
  bool Expect(Tok k, std::string_view what);
  bool ExpectIdent(std::string_view word);
  // Records an error at `offset` (never more than one per policy).
  void Error(uint32_t offset, std::string message);
  void ErrorAtPeek(std::string message);
  Node Fail(std::string message) {
    ErrorAtPeek(std::move(message));
    return Node{};
  }
  bool Enter();  // false (and an error) when too deep
  void Leave() { --depth_; }
  bool CheckHeight(size_t height, uint32_t offset);
  bool failed() const { return policy_failed_; }

  std::unique_ptr<Expr> NewExpr(ExprKind kind, SourceSpan span) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->span = span;
    return e;
  }

 private:
  std::string_view text_;
  const ParseOptions& options_;
  std::vector<Diagnostic>* diagnostics_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  size_t depth_ = 0;
  bool policy_failed_ = false;
  bool too_many_errors_ = false;
};

}  // namespace arbiter::internal

#endif  // ARBITER_PARSE_PARSER_IMPL_H_
