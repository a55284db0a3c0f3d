// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Policy-level grammar: annotations, effect, scope and conditions.
//
//   Policy    ::= {Annotation} ('permit' | 'forbid') '(' Scope ')' {Cond} ';'
//   Scope     ::= Principal ',' Action ',' Resource
//   Principal ::= 'principal' [('==' | 'in') (Entity | '?principal')
//                             | 'is' Path ['in' (Entity | '?principal')]]
//   Action    ::= 'action' ['==' Entity | 'in' (Entity | '[' [EntList] ']')]
//   Cond      ::= ('when' | 'unless') '{' Expr '}'
//
// Error recovery is per policy: after the first error in a policy the parser
// skips to the next `;` and carries on, so one run reports an error in every
// broken policy.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/eval/fold.h"
#include "src/parse/parser.h"
#include "src/parse/parser_impl.h"

namespace arbiter::internal {
namespace {

// Action scope entities must be actions: `Action` or `NS::Action`.
bool IsActionType(std::string_view type) {
  return type == "Action" ||
         (type.size() > 8 && type.substr(type.size() - 8) == "::Action");
}

}  // namespace

Parser::Parser(std::string_view text, const ParseOptions& options,
               std::vector<Diagnostic>* diagnostics)
    : text_(text), options_(options), diagnostics_(diagnostics), lexer_(text) {
  cur_ = lexer_.Next();
  next_ = lexer_.Next();
}

Symbol Parser::Intern(std::string_view text) {
  auto it = symbols_.find(absl::string_view(text.data(), text.size()));
  if (it != symbols_.end()) return it->second;
  Symbol s = Symbol::Intern(text);
  std::string_view stored = s.str();
  symbols_.emplace(absl::string_view(stored.data(), stored.size()), s);
  return s;
}

bool Parser::Accept(Tok k) {
  if (!At(k)) return false;
  Next();
  return true;
}

bool Parser::Expect(Tok k, std::string_view what) {
  if (Accept(k)) return true;
  ErrorAtPeek(absl::StrCat("expected ", std::string(what), ", found ",
                           DescribeToken(Peek())));
  return false;
}

bool Parser::ExpectIdent(std::string_view word) {
  if (AtIdent(word)) {
    Next();
    return true;
  }
  ErrorAtPeek(absl::StrCat("expected `", std::string(word), "`, found ",
                           DescribeToken(Peek())));
  return false;
}

void Parser::Error(uint32_t offset, std::string message) {
  if (policy_failed_) return;
  policy_failed_ = true;
  if (diagnostics_->size() >= options_.max_errors) {
    too_many_errors_ = true;
    return;
  }
  diagnostics_->push_back(
      MakeDiagnostic(options_.file_name, text_, offset, std::move(message)));
}

void Parser::ErrorAtPeek(std::string message) {
  const Token& t = Peek();
  if (t.kind == Tok::kError) {
    // The lexer's message is more precise than "unexpected token".
    Error(t.begin, std::string(t.text));
    return;
  }
  Error(t.begin, std::move(message));
}

bool Parser::Enter() {
  if (depth_ >= options_.max_nesting_depth) {
    ErrorAtPeek(absl::StrFormat(
        "expression nesting exceeds the limit of %d levels",
        options_.max_nesting_depth));
    return false;
  }
  ++depth_;
  return true;
}

bool Parser::CheckHeight(size_t height, uint32_t offset) {
  if (height <= options_.max_nesting_depth) return true;
  Error(offset, absl::StrFormat(
                    "expression nesting exceeds the limit of %d levels",
                    options_.max_nesting_depth));
  return false;
}

bool Parser::CheckNameComponent(const Token& t) {
  static constexpr std::string_view kReserved[] = {
      "true", "false", "if", "then", "else", "in", "is", "like", "has"};
  for (std::string_view r : kReserved) {
    if (t.text == r) {
      Error(t.begin, absl::StrCat("`", std::string(t.text),
                                  "` is reserved and cannot be used in a name"));
      return false;
    }
  }
  if (t.text == "__cedar") {
    Error(t.begin, "names may not use the reserved namespace `__cedar`");
    return false;
  }
  return true;
}

bool Parser::ParsePath(std::string_view* path, std::string* scratch) {
  if (!At(Tok::kIdent)) {
    ErrorAtPeek(absl::StrCat("expected a name, found ", DescribeToken(Peek())));
    return false;
  }
  if (!CheckNameComponent(cur_)) return false;
  const Token first = Next();
  if (!(At(Tok::kColonColon) && Peek(1).kind == Tok::kIdent)) {
    *path = first.text;  // the common case: a one-part name
    return true;
  }
  scratch->assign(first.text);
  while (At(Tok::kColonColon) && Peek(1).kind == Tok::kIdent) {
    Next();
    if (!CheckNameComponent(cur_)) return false;
    scratch->append("::");
    scratch->append(Next().text);
  }
  *path = *scratch;
  return true;
}

bool Parser::ParseStringLiteral(std::string* out) {
  if (!At(Tok::kString)) {
    ErrorAtPeek(absl::StrCat("expected a string literal, found ",
                             DescribeToken(Peek())));
    return false;
  }
  const Token& t = Next();
  std::string err = Unescape(t.text, out);
  if (!err.empty()) {
    Error(t.begin, err);
    return false;
  }
  return true;
}

bool Parser::ParseStringLiteral(std::string_view* out, std::string* scratch) {
  if (At(Tok::kString) && !NeedsUnescape(cur_.text)) {
    *out = Next().text;  // no escapes: the literal is its own value
    return true;
  }
  if (!ParseStringLiteral(scratch)) return false;
  *out = *scratch;
  return true;
}

bool Parser::ParseEntityUid(EntityUid* out) {
  std::string_view path, id;
  if (!ParsePath(&path, &scratch_path_)) return false;
  if (!Expect(Tok::kColonColon, "`::` and an entity id")) return false;
  if (!ParseStringLiteral(&id, &scratch_string_)) return false;
  *out = EntityUid{Intern(path), Intern(id)};
  return true;
}

bool Parser::ParseAnnotations(std::vector<Annotation>* out) {
  while (At(Tok::kAt)) {
    Next();
    if (!At(Tok::kIdent)) {
      ErrorAtPeek(absl::StrCat("expected an annotation name, found ",
                               DescribeToken(Peek())));
      return false;
    }
    const Token& name = Next();
    Annotation a;
    a.key = std::string(name.text);
    for (const Annotation& other : *out) {
      if (other.key == a.key) {
        Error(name.begin, absl::StrCat("duplicate annotation: `@", a.key, "`"));
        return false;
      }
    }
    if (Accept(Tok::kLParen)) {
      std::string value;
      if (!ParseStringLiteral(&value)) return false;
      a.value = std::move(value);
      if (!Expect(Tok::kRParen, "`)`")) return false;
    }
    out->push_back(std::move(a));
  }
  return true;
}

bool Parser::ParseScopeEntity(std::string_view slot, ScopeConstraint* out) {
  if (At(Tok::kSlot)) {
    const Token& t = Next();
    if (t.text != slot) {
      Error(t.begin, absl::StrCat("`?", std::string(t.text),
                                  "` is not allowed here; expected `?",
                                  std::string(slot), "`"));
      return false;
    }
    out->slot = true;
    return true;
  }
  return ParseEntityUid(&out->entity);
}

bool Parser::ParsePrincipalOrResource(std::string_view var,
                                      std::string_view slot,
                                      ScopeConstraint* out) {
  if (!ExpectIdent(var)) return false;
  using Op = ScopeConstraint::Op;
  if (Accept(Tok::kEq)) {
    out->op = Op::kEq;
    return ParseScopeEntity(slot, out);
  }
  if (AtIdent("in")) {
    Next();
    out->op = Op::kIn;
    return ParseScopeEntity(slot, out);
  }
  if (AtIdent("is")) {
    Next();
    std::string_view type;
    if (!ParsePath(&type, &scratch_path_)) return false;
    out->type = Intern(type);
    out->op = Op::kIs;
    if (AtIdent("in")) {
      Next();
      out->op = Op::kIsIn;
      return ParseScopeEntity(slot, out);
    }
  }
  return true;
}

bool Parser::ParseActionScope(ScopeConstraint* out) {
  if (!ExpectIdent("action")) return false;
  using Op = ScopeConstraint::Op;
  auto check_action = [&](const EntityUid& uid, uint32_t offset) {
    if (IsActionType(uid.type.str())) return true;
    Error(offset, absl::StrCat("expected an entity of type `Action` in the "
                               "action scope, found `",
                               uid.ToString(), "`"));
    return false;
  };
  if (Accept(Tok::kEq)) {
    out->op = Op::kEq;
    uint32_t at = Peek().begin;
    return ParseEntityUid(&out->entity) && check_action(out->entity, at);
  }
  if (AtIdent("in")) {
    Next();
    if (Accept(Tok::kLBracket)) {
      out->op = Op::kInSet;
      while (!At(Tok::kRBracket)) {
        uint32_t at = Peek().begin;
        EntityUid uid;
        if (!ParseEntityUid(&uid) || !check_action(uid, at)) return false;
        out->entities.push_back(uid);
        if (!Accept(Tok::kComma)) break;
      }
      return Expect(Tok::kRBracket, "`]`");
    }
    out->op = Op::kIn;
    uint32_t at = Peek().begin;
    return ParseEntityUid(&out->entity) && check_action(out->entity, at);
  }
  if (AtIdent("is")) {
    ErrorAtPeek("`is` is not allowed in the action scope");
    return false;
  }
  return true;
}

bool Parser::ParseScope(Policy* p) {
  if (!Expect(Tok::kLParen, "`(`")) return false;
  if (!ParsePrincipalOrResource("principal", "principal", &p->principal)) {
    return false;
  }
  if (!Expect(Tok::kComma, "`,`")) return false;
  if (!ParseActionScope(&p->action)) return false;
  if (!Expect(Tok::kComma, "`,`")) return false;
  if (!ParsePrincipalOrResource("resource", "resource", &p->resource)) {
    return false;
  }
  Accept(Tok::kComma);  // Cedar tolerates a trailing comma in the scope
  if (!Expect(Tok::kRParen, "`)`")) return false;
  return true;
}

std::shared_ptr<Policy> Parser::ParsePolicy() {
  auto body = std::make_shared<PolicyBody>();
  body->span.begin = Peek().begin;
  if (!ParseAnnotations(&body->annotations)) return nullptr;

  auto p = std::make_shared<Policy>();
  if (AtIdent("permit")) {
    p->effect = Effect::kPermit;
  } else if (AtIdent("forbid")) {
    p->effect = Effect::kForbid;
  } else {
    ErrorAtPeek(absl::StrCat("expected `permit` or `forbid`, found ",
                             DescribeToken(Peek())));
    return nullptr;
  }
  Next();
  if (!ParseScope(p.get())) return nullptr;

  while (AtIdent("when") || AtIdent("unless")) {
    Condition c;
    c.is_when = Next().text == "when";
    if (!Expect(Tok::kLBrace, "`{`")) return nullptr;
    if (At(Tok::kRBrace)) {
      ErrorAtPeek("expected an expression, found `}`");
      return nullptr;
    }
    Node n = ParseExpr();
    if (!n) return nullptr;
    if (!Expect(Tok::kRBrace, "`}`")) return nullptr;
    c.expr = std::move(n.expr);
    FoldConstants(&c.expr);
    body->conditions.push_back(std::move(c));
  }
  if (!Expect(Tok::kSemi, "`;` at the end of the policy")) return nullptr;
  body->span.end = PrevEnd();
  p->is_template = p->principal.slot || p->resource.slot;
  p->body = std::move(body);
  return p;
}

void Parser::SkipToPolicyEnd() {
  while (!At(Tok::kEnd)) {
    if (Next().kind == Tok::kSemi) return;
  }
}

bool Parser::ParseAll(std::vector<std::shared_ptr<Policy>>* out) {
  bool ok = true;
  while (!At(Tok::kEnd) && !too_many_errors_) {
    policy_failed_ = false;
    depth_ = 0;
    size_t start = pos_;
    std::shared_ptr<Policy> p = ParsePolicy();
    if (p == nullptr || policy_failed_) {
      ok = false;
      if (!policy_failed_) ErrorAtPeek("invalid policy");
      // Resume after the `;` that ends the broken policy; make progress even
      // when the error was at the `;` itself.
      if (pos_ == start) Next();
      if (pos_ > 0 && prev_.kind != Tok::kSemi) SkipToPolicyEnd();
      continue;
    }
    out->push_back(std::move(p));
  }
  return ok && diagnostics_->empty();
}

Diagnostic MakeDiagnostic(std::string_view file_name, std::string_view source,
                          uint32_t offset, std::string message) {
  Diagnostic d;
  d.file_name = std::string(file_name);
  d.message = std::move(message);
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(source.size()));
  size_t line_start = 0;
  if (offset > 0) {
    size_t nl = source.rfind('\n', offset - 1);
    line_start = nl == std::string_view::npos ? 0 : nl + 1;
  }
  d.line = 1 + static_cast<int>(std::count(source.begin(),
                                           source.begin() + line_start, '\n'));
  d.column = 1 + static_cast<int>(offset - line_start);
  size_t line_end = source.find('\n', line_start);
  if (line_end == std::string_view::npos) line_end = source.size();
  std::string_view line = source.substr(line_start, line_end - line_start);
  // Long lines are cut around the error so the caret stays readable.
  size_t col = offset - line_start;
  size_t from = col > 60 ? col - 60 : 0;
  std::string_view shown = line.substr(from, 120);
  d.snippet = absl::StrCat(std::string(shown), "\n",
                           std::string(col - from, ' '), "^");
  return d;
}

bool ParsePolicies(std::string_view text, const ParseOptions& options,
                   std::vector<std::shared_ptr<Policy>>* policies,
                   std::vector<Diagnostic>* diagnostics) {
  // The limits are checked before the parser (and so the lexer) sees a
  // single byte of the text.
  if (text.size() > options.max_source_bytes) {
    diagnostics->push_back(MakeDiagnostic(
        options.file_name, "", 0,
        absl::StrFormat("policy text is %d bytes, over the limit of %d",
                        text.size(), options.max_source_bytes)));
    return false;
  }
  if (text.size() >= UINT32_MAX) return false;  // offsets are 32-bit
  Parser parser(text, options, diagnostics);
  return parser.ParseAll(policies);
}

}  // namespace arbiter::internal
