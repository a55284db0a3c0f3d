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

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
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
  bool ParseAll(std::vector<std::shared_ptr<Policy>>* out);

  // --- expressions (expr_parser.cc) ---
  Node ParseExpr();

 private:
  // --- policies (policy_parser.cc) ---
  std::shared_ptr<Policy> ParsePolicy();
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
  // A name such as `NS::Type`. `*path` views the token itself for a
  // one-part name, else `*scratch`.
  bool ParsePath(std::string_view* path, std::string* scratch);
  // Errors on reserved words and `__cedar` used as part of a name.
  bool CheckNameComponent(const Token& t);
  bool ParseEntityUid(EntityUid* out);
  bool ParseStringLiteral(std::string* out);
  // The same, without a copy when the literal has no escapes: `*out` then
  // views the source text, else `*scratch`.
  bool ParseStringLiteral(std::string_view* out, std::string* scratch);

  // Tokens are returned by value: the parser keeps only a two-token window
  // (the current token and one of lookahead), so a reference would not
  // survive the next Next().
  Token Peek(size_t ahead = 0) const { return ahead == 0 ? cur_ : next_; }
  Token Next() {
    const Token t = cur_;
    if (cur_.kind != Tok::kEnd) {  // kEnd is sticky, as at the end of a vector
      prev_ = cur_;
      cur_ = next_;
      next_ = lexer_.Next();
      ++pos_;
    }
    return t;
  }
  bool At(Tok k) const { return cur_.kind == k; }
  bool AtIdent(std::string_view word) const {
    return cur_.kind == Tok::kIdent && cur_.text == word;
  }
  // The end offset of the last token consumed.
  uint32_t PrevEnd() const { return prev_.end; }
  // Symbol::Intern through a per-parse cache: the global table takes a lock
  // per call, and a policy file repeats the same few hundred names.
  Symbol Intern(std::string_view text);
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

  // `arity`: how many children the node will get, when known, so they are
  // allocated once (a push_back at a time would allocate twice for two).
  std::unique_ptr<Expr> NewExpr(ExprKind kind, SourceSpan span,
                                size_t arity = 0) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->span = span;
    if (arity > 0) e->children.reserve(arity);
    return e;
  }

 private:
  std::string_view text_;
  const ParseOptions& options_;
  std::vector<Diagnostic>* diagnostics_;
  Lexer lexer_;
  Token cur_;    // Peek(0)
  Token next_;   // Peek(1)
  Token prev_;   // the last token Next() consumed
  size_t pos_ = 0;  // how many tokens were consumed, to detect progress
  // Names interned so far; keys view the symbol table's own copies, which
  // live for the life of the process. Keyed by absl::string_view for
  // absl's string hash (Debian's absl hashes std::string_view with
  // std::hash, which is several times slower on short names).
  absl::flat_hash_map<absl::string_view, Symbol> symbols_;
  // Reused buffers for names and strings that are only interned.
  std::string scratch_path_;
  std::string scratch_string_;
  size_t depth_ = 0;
  bool policy_failed_ = false;
  bool too_many_errors_ = false;
};

}  // namespace arbiter::internal

#endif  // ARBITER_PARSE_PARSER_IMPL_H_
