// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Expression grammar, lowest precedence first:
//
//   Expr     ::= Or | 'if' Expr 'then' Expr 'else' Expr
//   Or       ::= And {'||' And}
//   And      ::= Relation {'&&' Relation}
//   Relation ::= Add [RELOP Add] | Add 'has' (IDENT {'.' IDENT} | STR)
//              | Add 'like' STR | Add 'is' Path ['in' Add]
//   Add      ::= Mult {('+' | '-') Mult}
//   Mult     ::= Unary {'*' Unary}
//   Unary    ::= ['!' | '-']x4 Member
//   Member   ::= Primary {'.' IDENT ['(' Args ')'] | '[' STR ']'}
//   Primary  ::= INT | STR | 'true' | 'false' | VAR | Entity
//              | Name '(' Args ')' | '(' Expr ')' | '[' Args ']'
//              | '{' [Key ':' Expr {',' Key ':' Expr}] '}'
//
// Names of functions and methods are resolved here, once, so the evaluator
// never looks at a name string.

#include <algorithm>
#include <cstdint>
#include <limits>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/eval/ext/extensions.h"
#include "src/parse/parser_impl.h"

namespace arbiter::internal {
namespace {

Node Make(std::unique_ptr<Expr> e, std::initializer_list<size_t> heights) {
  size_t h = 0;
  for (size_t x : heights) h = std::max(h, x);
  return Node{std::move(e), h + 1};
}

SourceSpan Join(const Expr& a, const Expr& b) {
  return SourceSpan{std::min(a.span.begin, b.span.begin),
                    std::max(a.span.end, b.span.end)};
}

struct BuiltinMethod {
  std::string_view name;
  BinaryOp op;  // for one-argument methods
  bool is_empty;
};

constexpr BuiltinMethod kBuiltinMethods[] = {
    {"contains", BinaryOp::kContains, false},
    {"containsAll", BinaryOp::kContainsAll, false},
    {"containsAny", BinaryOp::kContainsAny, false},
    {"getTag", BinaryOp::kGetTag, false},
    {"hasTag", BinaryOp::kHasTag, false},
    {"isEmpty", BinaryOp::kEq, true},
};

}  // namespace

Node Parser::ParseExpr() {
  if (!Enter()) return Node{};
  Node result;
  if (AtIdent("if")) {
    uint32_t begin = Next().begin;
    Node c = ParseExpr();
    if (!c || !ExpectIdent("then")) { Leave(); return Node{}; }
    Node t = ParseExpr();
    if (!t || !ExpectIdent("else")) { Leave(); return Node{}; }
    Node f = ParseExpr();
    if (!f) { Leave(); return Node{}; }
    auto e = NewExpr(ExprKind::kIf, SourceSpan{begin, f.expr->span.end}, 3);
    size_t hc = c.height, ht = t.height, hf = f.height;
    e->children.push_back(std::move(c.expr));
    e->children.push_back(std::move(t.expr));
    e->children.push_back(std::move(f.expr));
    result = Make(std::move(e), {hc, ht, hf});
  } else {
    result = ParseOr();
  }
  Leave();
  if (result && !CheckHeight(result.height, result.expr->span.begin)) return Node{};
  return result;
}

Node Parser::ParseOr() {
  Node lhs = ParseAnd();
  while (lhs && At(Tok::kOr)) {
    Next();
    Node rhs = ParseAnd();
    if (!rhs) return Node{};
    auto e = NewExpr(ExprKind::kOr, Join(*lhs.expr, *rhs.expr), 2);
    size_t hl = lhs.height, hr = rhs.height;
    e->children.push_back(std::move(lhs.expr));
    e->children.push_back(std::move(rhs.expr));
    lhs = Make(std::move(e), {hl, hr});
    if (!CheckHeight(lhs.height, lhs.expr->span.begin)) return Node{};
  }
  return lhs;
}

Node Parser::ParseAnd() {
  Node lhs = ParseRelation();
  while (lhs && At(Tok::kAnd)) {
    Next();
    Node rhs = ParseRelation();
    if (!rhs) return Node{};
    auto e = NewExpr(ExprKind::kAnd, Join(*lhs.expr, *rhs.expr), 2);
    size_t hl = lhs.height, hr = rhs.height;
    e->children.push_back(std::move(lhs.expr));
    e->children.push_back(std::move(rhs.expr));
    lhs = Make(std::move(e), {hl, hr});
    if (!CheckHeight(lhs.height, lhs.expr->span.begin)) return Node{};
  }
  return lhs;
}

Node Parser::MakeHas(Node operand, Symbol attr, SourceSpan span) {
  auto e = NewExpr(ExprKind::kHas, span, 1);
  e->attr = attr;
  size_t h = operand.height;
  e->children.push_back(std::move(operand.expr));
  return Make(std::move(e), {h});
}

Node Parser::ParseRelation() {
  Node lhs = ParseAdd();
  if (!lhs) return lhs;
  BinaryOp op;
  bool is_binop = true;
  switch (Peek().kind) {
    case Tok::kEq: op = BinaryOp::kEq; break;
    case Tok::kNe: op = BinaryOp::kNe; break;
    case Tok::kLt: op = BinaryOp::kLt; break;
    case Tok::kLe: op = BinaryOp::kLe; break;
    case Tok::kGt: op = BinaryOp::kGt; break;
    case Tok::kGe: op = BinaryOp::kGe; break;
    default:
      is_binop = AtIdent("in");
      op = BinaryOp::kIn;
  }
  if (is_binop) {
    Next();
    Node rhs = ParseAdd();
    if (!rhs) return Node{};
    auto e = NewExpr(ExprKind::kBinary, Join(*lhs.expr, *rhs.expr), 2);
    e->op = op;
    size_t hl = lhs.height, hr = rhs.height;
    e->children.push_back(std::move(lhs.expr));
    e->children.push_back(std::move(rhs.expr));
    return Make(std::move(e), {hl, hr});
  }
  if (AtIdent("has")) {
    Next();
    std::vector<std::pair<Symbol, uint32_t>> path;
    if (At(Tok::kString)) {
      std::string_view name;
      uint32_t end = Peek().end;
      if (!ParseStringLiteral(&name, &scratch_string_)) return Node{};
      path.push_back({Intern(name), end});
    } else if (At(Tok::kIdent)) {
      path.push_back({Intern(Peek().text), Peek().end});
      Next();
      while (At(Tok::kDot) && Peek(1).kind == Tok::kIdent) {
        Next();
        path.push_back({Intern(Peek().text), Peek().end});
        Next();
      }
    } else {
      return Fail(absl::StrCat("expected an attribute name after `has`, found ",
                               DescribeToken(Peek())));
    }
    // `e has a.b.c` means `e has a && e.a has b && e.a.b has c`.
    uint32_t begin = lhs.expr->span.begin;
    std::unique_ptr<Expr> base = std::move(lhs.expr);
    size_t base_h = lhs.height;
    Node acc;
    for (size_t i = 0; i < path.size(); ++i) {
      SourceSpan span{begin, path[i].second};
      // The operand of the i-th test: base.a1.….a(i-1).
      Node operand{i + 1 == path.size() ? std::move(base) : CloneExpr(*base),
                   base_h};
      // Re-clone for later steps happens before the move above; build the
      // access chain on top of the fresh operand.
      for (size_t j = 0; j < i; ++j) {
        auto g = NewExpr(ExprKind::kGetAttr, SourceSpan{begin, path[j].second}, 1);
        g->attr = path[j].first;
        size_t h = operand.height;
        g->children.push_back(std::move(operand.expr));
        operand = Make(std::move(g), {h});
      }
      Node test = MakeHas(std::move(operand), path[i].first, span);
      if (!acc) {
        acc = std::move(test);
      } else {
        auto a = NewExpr(ExprKind::kAnd, span, 2);
        size_t ha = acc.height, ht = test.height;
        a->children.push_back(std::move(acc.expr));
        a->children.push_back(std::move(test.expr));
        acc = Make(std::move(a), {ha, ht});
      }
      if (!CheckHeight(acc.height, begin)) return Node{};
    }
    return acc;
  }
  if (AtIdent("like")) {
    Next();
    if (!At(Tok::kString)) {
      return Fail(absl::StrCat("expected a pattern string after `like`, found ",
                               DescribeToken(Peek())));
    }
    const Token& t = Next();
    auto e = NewExpr(ExprKind::kLike, SourceSpan{lhs.expr->span.begin, t.end}, 1);
    std::string err = UnescapePattern(t.text, &e->pattern.parts);
    if (!err.empty()) {
      Error(t.begin, err);
      return Node{};
    }
    size_t h = lhs.height;
    e->children.push_back(std::move(lhs.expr));
    return Make(std::move(e), {h});
  }
  if (AtIdent("is")) {
    Next();
    uint32_t end = Peek().end;
    std::string_view type;
    if (!ParsePath(&type, &scratch_path_)) return Node{};
    auto e = NewExpr(ExprKind::kIs, SourceSpan{lhs.expr->span.begin, end}, 1);
    e->entity_type = Intern(type);
    size_t hl = lhs.height, hr = 0;
    e->children.push_back(std::move(lhs.expr));
    if (AtIdent("in")) {
      Next();
      Node rhs = ParseAdd();
      if (!rhs) return Node{};
      e->span.end = rhs.expr->span.end;
      hr = rhs.height;
      e->children.push_back(std::move(rhs.expr));
    }
    return Make(std::move(e), {hl, hr});
  }
  return lhs;
}

Node Parser::ParseAdd() {
  Node lhs = ParseMult();
  while (lhs && (At(Tok::kPlus) || At(Tok::kMinus))) {
    BinaryOp op = Next().kind == Tok::kPlus ? BinaryOp::kAdd : BinaryOp::kSub;
    Node rhs = ParseMult();
    if (!rhs) return Node{};
    auto e = NewExpr(ExprKind::kBinary, Join(*lhs.expr, *rhs.expr), 2);
    e->op = op;
    size_t hl = lhs.height, hr = rhs.height;
    e->children.push_back(std::move(lhs.expr));
    e->children.push_back(std::move(rhs.expr));
    lhs = Make(std::move(e), {hl, hr});
    if (!CheckHeight(lhs.height, lhs.expr->span.begin)) return Node{};
  }
  return lhs;
}

Node Parser::ParseMult() {
  Node lhs = ParseUnary();
  while (lhs && At(Tok::kStar)) {
    Next();
    Node rhs = ParseUnary();
    if (!rhs) return Node{};
    auto e = NewExpr(ExprKind::kBinary, Join(*lhs.expr, *rhs.expr), 2);
    e->op = BinaryOp::kMul;
    size_t hl = lhs.height, hr = rhs.height;
    e->children.push_back(std::move(lhs.expr));
    e->children.push_back(std::move(rhs.expr));
    lhs = Make(std::move(e), {hl, hr});
    if (!CheckHeight(lhs.height, lhs.expr->span.begin)) return Node{};
  }
  return lhs;
}

Node Parser::ParseUnary() {
  std::vector<Token> ops;
  while (At(Tok::kNot) || At(Tok::kMinus)) ops.push_back(Next());
  if (ops.size() > 4) {
    Error(ops[4].begin, "too many unary operators: at most 4 may be chained");
    return Node{};
  }
  for (size_t i = 1; i < ops.size(); ++i) {
    if (ops[i].kind != ops[0].kind) {
      // Cedar's grammar allows a run of `!` or a run of `-`, not a mix.
      Error(ops[i].begin, "mixed unary operators need parentheses");
      return Node{};
    }
  }
  Node operand;
  // `-` directly before an integer literal makes a negative literal, which
  // is how -9223372036854775808 (whose magnitude overflows a Long) is
  // written.
  if (!ops.empty() && ops.back().kind == Tok::kMinus && At(Tok::kInteger) &&
      Peek(1).kind != Tok::kDot && Peek(1).kind != Tok::kLBracket) {
    const Token& t = Next();
    uint64_t v = 0;
    bool overflow = false;
    for (char c : t.text) {
      if (v > (UINT64_MAX - 9) / 10) overflow = true;
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    if (overflow || v > uint64_t{1} << 63) {
      Error(ops.back().begin, absl::StrCat("integer literal `-", std::string(t.text),
                                           "` is out of range"));
      return Node{};
    }
    auto e = NewExpr(ExprKind::kLiteral, SourceSpan{ops.back().begin, t.end});
    e->literal = Value::Long(static_cast<int64_t>(0 - v));
    operand = Node{std::move(e), 1};
    ops.pop_back();
  } else {
    operand = ParseMember();
  }
  if (!operand) return operand;
  for (size_t i = ops.size(); i-- > 0;) {
    auto e = NewExpr(ops[i].kind == Tok::kNot ? ExprKind::kNot : ExprKind::kNeg,
                     SourceSpan{ops[i].begin, operand.expr->span.end}, 1);
    size_t h = operand.height;
    e->children.push_back(std::move(operand.expr));
    operand = Make(std::move(e), {h});
  }
  return operand;
}

Node Parser::ParseMember() {
  Node n = ParsePrimary();
  while (n && (At(Tok::kDot) || At(Tok::kLBracket))) {
    n = ParseAccess(std::move(n));
    if (n && !CheckHeight(n.height, n.expr->span.begin)) return Node{};
  }
  return n;
}

Node Parser::ParseAccess(Node receiver) {
  uint32_t begin = receiver.expr->span.begin;
  if (Accept(Tok::kLBracket)) {
    if (!At(Tok::kString)) {
      return Fail(absl::StrCat("expected a string literal inside `[]`, found ",
                               DescribeToken(Peek())));
    }
    std::string_view name;
    if (!ParseStringLiteral(&name, &scratch_string_)) return Node{};
    uint32_t end = Peek().end;
    if (!Expect(Tok::kRBracket, "`]`")) return Node{};
    auto e = NewExpr(ExprKind::kGetAttr, SourceSpan{begin, end}, 1);
    e->attr = Intern(name);
    size_t h = receiver.height;
    e->children.push_back(std::move(receiver.expr));
    return Make(std::move(e), {h});
  }
  Next();  // '.'
  if (!At(Tok::kIdent)) {
    return Fail(absl::StrCat("expected an attribute or method name after `.`, found ",
                             DescribeToken(Peek())));
  }
  const Token& name = Next();
  if (!At(Tok::kLParen)) {
    auto e = NewExpr(ExprKind::kGetAttr, SourceSpan{begin, name.end}, 1);
    e->attr = Intern(name.text);
    size_t h = receiver.height;
    e->children.push_back(std::move(receiver.expr));
    return Make(std::move(e), {h});
  }
  std::vector<Node> args;
  if (!ParseArgs(&args)) return Node{};
  uint32_t end = PrevEnd();
  size_t h = receiver.height;
  for (const Node& a : args) h = std::max(h, a.height);
  for (const BuiltinMethod& m : kBuiltinMethods) {
    if (name.text != m.name) continue;
    size_t want = m.is_empty ? 0 : 1;
    if (args.size() != want) {
      Error(name.begin, absl::StrFormat(
                            "call to `%s` requires exactly %d argument%s, but got %d",
                            std::string(m.name), want, want == 1 ? "" : "s",
                            args.size()));
      return Node{};
    }
    auto e = NewExpr(m.is_empty ? ExprKind::kIsEmpty : ExprKind::kBinary,
                     SourceSpan{begin, end}, 1 + args.size());
    e->op = m.op;
    e->children.push_back(std::move(receiver.expr));
    for (Node& a : args) e->children.push_back(std::move(a.expr));
    return Node{std::move(e), h + 1};
  }
  std::optional<ExtFn> fn = LookupExtMethod(name.text);
  if (!fn) {
    Error(name.begin, absl::StrCat("`", std::string(name.text),
                                   "` is not a valid method"));
    return Node{};
  }
  // Arity is checked when the call is evaluated, as Cedar does: a policy
  // calling an extension method with the wrong number of arguments parses,
  // and fails to evaluate.
  auto e = NewExpr(ExprKind::kExtCall, SourceSpan{begin, end}, 1 + args.size());
  e->fn = *fn;
  e->children.push_back(std::move(receiver.expr));
  for (Node& a : args) e->children.push_back(std::move(a.expr));
  return Node{std::move(e), h + 1};
}

// Parses `(` [Expr {`,` Expr} [`,`]] `)`.
bool Parser::ParseArgs(std::vector<Node>* args) {
  if (!Expect(Tok::kLParen, "`(`")) return false;
  while (!At(Tok::kRParen)) {
    Node a = ParseExpr();
    if (!a) return false;
    args->push_back(std::move(a));
    if (!Accept(Tok::kComma)) break;
  }
  return Expect(Tok::kRParen, "`)`");
}

Node Parser::ParseNameExpr() {
  const Token& first = Peek();
  uint32_t begin = first.begin;
  std::string_view word = first.text;
  if (Peek(1).kind != Tok::kColonColon && Peek(1).kind != Tok::kLParen) {
    Next();
    auto lit = [&](Value v) {
      auto e = NewExpr(ExprKind::kLiteral, SourceSpan{begin, first.end});
      e->literal = std::move(v);
      return Node{std::move(e), 1};
    };
    if (word == "true") return lit(Value::Bool(true));
    if (word == "false") return lit(Value::Bool(false));
    Var v;
    if (word == "principal") v = Var::kPrincipal;
    else if (word == "action") v = Var::kAction;
    else if (word == "resource") v = Var::kResource;
    else if (word == "context") v = Var::kContext;
    else {
      Error(begin, absl::StrCat("unknown variable `", std::string(word),
                                "`: expected `principal`, `action`, "
                                "`resource` or `context`"));
      return Node{};
    }
    auto e = NewExpr(ExprKind::kVar, SourceSpan{begin, first.end});
    e->var = v;
    return Node{std::move(e), 1};
  }
  // `path` may view scratch_path_: it is dead before any nested parse.
  std::string_view path;
  if (!ParsePath(&path, &scratch_path_)) return Node{};
  if (Accept(Tok::kColonColon)) {
    if (!At(Tok::kString)) {
      return Fail(absl::StrCat("expected an entity id string after `", std::string(path),
                               "::`, found ", DescribeToken(Peek())));
    }
    uint32_t end = Peek().end;
    std::string_view id;
    if (!ParseStringLiteral(&id, &scratch_string_)) return Node{};
    auto e = NewExpr(ExprKind::kLiteral, SourceSpan{begin, end});
    e->literal = Value::Entity(EntityUid{Intern(path), Intern(id)});
    return Node{std::move(e), 1};
  }
  if (At(Tok::kLParen)) {
    std::optional<ExtFn> fn = LookupExtConstructor(path);
    if (!fn) {
      Error(begin, absl::StrCat("`", std::string(path), "` is not a valid function"));
      return Node{};
    }
    std::vector<Node> args;
    if (!ParseArgs(&args)) return Node{};
    auto e = NewExpr(ExprKind::kExtCall, SourceSpan{begin, PrevEnd()}, args.size());
    e->fn = *fn;
    size_t h = 0;
    for (Node& a : args) {
      h = std::max(h, a.height);
      e->children.push_back(std::move(a.expr));
    }
    return Node{std::move(e), h + 1};
  }
  Error(begin, absl::StrCat("unexpected name `", std::string(path), "`"));
  return Node{};
}

Node Parser::ParsePrimary() {
  const Token& t = Peek();
  switch (t.kind) {
    case Tok::kInteger: {
      Next();
      uint64_t v = 0;
      for (char c : t.text) {
        if (v > (static_cast<uint64_t>(INT64_MAX) - (c - '0')) / 10) {
          Error(t.begin, absl::StrCat("integer literal `", std::string(t.text),
                                      "` is out of range"));
          return Node{};
        }
        v = v * 10 + static_cast<uint64_t>(c - '0');
      }
      auto e = NewExpr(ExprKind::kLiteral, SourceSpan{t.begin, t.end});
      e->literal = Value::Long(static_cast<int64_t>(v));
      return Node{std::move(e), 1};
    }
    case Tok::kString: {
      uint32_t begin = t.begin, end = t.end;
      std::string s;
      if (!ParseStringLiteral(&s)) return Node{};
      auto e = NewExpr(ExprKind::kLiteral, SourceSpan{begin, end});
      e->literal = Value::String(std::move(s));
      return Node{std::move(e), 1};
    }
    case Tok::kIdent:
      if (t.text == "if") {
        // As in Cedar, `if` is an expression of its own, not an operand:
        // `1 + if c then 1 else 2` needs parentheses.
        return Fail("`if` expressions used as operands must be parenthesized");
      }
      return ParseNameExpr();
    case Tok::kLParen: {
      Next();
      if (!Enter()) return Node{};
      Node n = ParseExpr();
      Leave();
      if (!n || !Expect(Tok::kRParen, "`)`")) return Node{};
      return n;
    }
    case Tok::kLBracket: {
      uint32_t begin = Next().begin;
      if (!Enter()) return Node{};
      auto e = NewExpr(ExprKind::kSet, SourceSpan{begin, begin});
      size_t h = 0;
      while (!At(Tok::kRBracket)) {
        Node el = ParseExpr();
        if (!el) { Leave(); return Node{}; }
        h = std::max(h, el.height);
        e->children.push_back(std::move(el.expr));
        if (!Accept(Tok::kComma)) break;
      }
      Leave();
      e->span.end = Peek().end;
      if (!Expect(Tok::kRBracket, "`,` or `]`")) return Node{};
      return Node{std::move(e), h + 1};
    }
    case Tok::kLBrace: {
      uint32_t begin = Next().begin;
      if (!Enter()) return Node{};
      auto e = NewExpr(ExprKind::kRecord, SourceSpan{begin, begin});
      absl::flat_hash_set<Symbol> seen;
      size_t h = 0;
      while (!At(Tok::kRBrace)) {
        Symbol key;
        uint32_t key_at = Peek().begin;
        if (At(Tok::kIdent)) {
          key = Intern(Next().text);
        } else if (At(Tok::kString)) {
          std::string_view k;
          if (!ParseStringLiteral(&k, &scratch_string_)) { Leave(); return Node{}; }
          key = Intern(k);
        } else {
          Leave();
          return Fail(absl::StrCat("expected a record key, found ",
                                   DescribeToken(Peek())));
        }
        if (!seen.insert(key).second) {
          Leave();
          Error(key_at, absl::StrCat("duplicate key `", std::string(key.str()),
                                     "` in record literal"));
          return Node{};
        }
        if (!Expect(Tok::kColon, "`:`")) { Leave(); return Node{}; }
        Node v = ParseExpr();
        if (!v) { Leave(); return Node{}; }
        h = std::max(h, v.height);
        e->record_keys.push_back(key);
        e->children.push_back(std::move(v.expr));
        if (!Accept(Tok::kComma)) break;
      }
      Leave();
      e->span.end = Peek().end;
      if (!Expect(Tok::kRBrace, "`,` or `}`")) return Node{};
      return Node{std::move(e), h + 1};
    }
    case Tok::kSlot:
      return Fail("template slots are only allowed in the policy scope");
    default:
      return Fail(absl::StrCat("expected an expression, found ",
                               DescribeToken(t)));
  }
}

}  // namespace arbiter::internal
