// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The `.cedarschema` syntax to a SchemaSource. A recursive-descent parser
// over the policy lexer's tokens (`=` and `?`, which the policy language
// lacks, arrive as one-byte error tokens and are recognised here by their
// source byte).
//
//   Schema    ::= { Annots ( 'namespace' Path '{' { Annots Decl } '}' | Decl )
//   } Decl      ::= Entity | Action | TypeDecl Entity    ::= 'entity' Idents
//   ['in' EntTypes]
//                   ( 'enum' '[' STR {',' STR} ']'
//                   | [['='] '{' [AttrDecls] '}'] ['tags' Type] ) ';'
//   Action    ::= 'action' Names ['in' (QualName | '[' QualName {',' QualName}
//   ']')]
//                   ['appliesTo' '{' AppDecl {',' AppDecl} [','] '}']
//                   ['attributes' '{' '}'] ';'
//   AppDecl   ::= ('principal' | 'resource') ':' EntTypes
//               | 'context' ':' (Path | '{' [AttrDecls] '}')
//   TypeDecl  ::= 'type' Ident '=' Type ';'
//   Type      ::= 'Set' '<' Type '>' | '{' [AttrDecls] '}' | Path
//   AttrDecls ::= Annots Name ['?'] ':' Type {',' Annots Name ['?'] ':' Type}
//   [','] EntTypes  ::= Path | '[' [Path {',' Path}] ']' QualName  ::= Name |
//   Path '::' STR          Name ::= Ident | STR Annots    ::= { '@' AnyIdent
//   ['(' STR ')'] }
//
// Keywords are contextual: `entity`, `type`, `Set`, ... are identifiers
// wherever a name is expected; only Cedar's reserved words are not.
//
// Error recovery is per declaration: after the first error in one, the
// parser skips to its `;` (or to the `}` closing the namespace) and carries
// on, so one run reports an error in every broken declaration.

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/parse/lexer.h"
#include "src/parse/schema_source.h"

namespace arbiter::internal {

bool IsSchemaIdent(std::string_view s) {
  if (s.empty()) return false;
  auto start = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  if (!start(s[0])) return false;
  return std::all_of(s.begin() + 1, s.end(), [&](char c) {
    return start(c) || (c >= '0' && c <= '9');
  });
}

bool IsReservedWord(std::string_view s) {
  static constexpr std::string_view kReserved[] = {
      "true", "false", "if", "then", "else", "in", "is", "like", "has"};
  return std::find(std::begin(kReserved), std::end(kReserved), s) !=
         std::end(kReserved);
}

bool IsSchemaPath(std::string_view s) {
  while (true) {
    size_t sep = s.find("::");
    std::string_view part = s.substr(0, sep);
    if (!IsSchemaIdent(part) || IsReservedWord(part)) return false;
    if (sep == std::string_view::npos) return true;
    s = s.substr(sep + 2);
  }
}

void AppendPointerToken(std::string_view key, std::string* path) {
  path->push_back('/');
  for (char c : key) {
    if (c == '~') {
      path->append("~0");
    } else if (c == '/') {
      path->append("~1");
    } else {
      path->push_back(c);
    }
  }
}

namespace {

class SchemaTextParser {
 public:
  SchemaTextParser(std::string_view text, const SchemaParseOptions& options,
                   std::vector<SchemaError>* errors)
      : text_(text), options_(options), errors_(errors), tokens_(Lex(text)) {}

  bool ParseAll(SchemaSource* out) {
    const size_t errors_before = errors_->size();
    while (!At(Tok::kEnd) && !too_many_errors_) {
      decl_failed_ = false;
      size_t start = pos_;
      SchemaAnnotations annotations;
      if (!ParseAnnotations(&annotations)) {
        Recover(start, /*top_level=*/true);
        continue;
      }
      if (AtIdent("namespace")) {
        ParseNamespace(std::move(annotations), out);
        continue;
      }
      // Declarations outside any namespace join a run of the empty one.
      if (out->namespaces.empty() || !out->namespaces.back().name.empty()) {
        out->namespaces.emplace_back();
        out->namespaces.back().loc = SrcLoc::At(Peek().begin);
      }
      ParseDecl(std::move(annotations), &out->namespaces.back(),
                /*top_level=*/true);
      if (decl_failed_) Recover(start, /*top_level=*/true);
    }
    return errors_->size() == errors_before;
  }

 private:
  // --- tokens ---

  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& Next() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool At(Tok k) const { return Peek().kind == k; }
  bool AtIdent(std::string_view word) const {
    return Peek().kind == Tok::kIdent && Peek().text == word;
  }
  // `=` and `?` are not policy tokens: the lexer yields one-byte error
  // tokens for them.
  bool AtByte(char c, size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    return t.kind == Tok::kError && t.end == t.begin + 1 && text_[t.begin] == c;
  }
  // Whether the token `ahead` can begin a declaration (or ends the input).
  bool AtDeclStart(size_t ahead) const {
    const Token& t = Peek(ahead);
    return t.kind == Tok::kEnd || t.kind == Tok::kAt ||
           (t.kind == Tok::kIdent &&
            (t.text == "entity" || t.text == "action" || t.text == "type" ||
             t.text == "namespace"));
  }
  bool Accept(Tok k) {
    if (!At(k)) return false;
    Next();
    return true;
  }

  std::string Describe(const Token& t) const {
    if (t.kind == Tok::kError && t.end == t.begin + 1 &&
        (text_[t.begin] == '=' || text_[t.begin] == '?')) {
      return absl::StrCat("`", std::string(1, text_[t.begin]), "`");
    }
    return DescribeToken(t);
  }

  bool Expect(Tok k, std::string_view what) {
    if (Accept(k)) return true;
    ErrorAtPeek(absl::StrCat("expected ", std::string(what), ", found ",
                             Describe(Peek())));
    return false;
  }

  // --- errors ---

  void Error(uint32_t offset, std::string message) {
    if (decl_failed_) return;
    decl_failed_ = true;
    if (errors_->size() >= options_.max_errors) {
      too_many_errors_ = true;
      return;
    }
    errors_->push_back(SchemaError{SrcLoc::At(offset), std::move(message)});
  }
  void ErrorAtPeek(std::string message) {
    const Token& t = Peek();
    if (t.kind == Tok::kError && !AtByte('=') && !AtByte('?')) {
      Error(t.begin, std::string(t.text));  // the lexer's message is precise
      return;
    }
    Error(t.begin, std::move(message));
  }

  // Skips the rest of a broken declaration: through its `;`, or up to the
  // `}` that closes the enclosing namespace. Braces opened since the
  // declaration began at token `start` are matched first, so an error inside
  // a record skips the rest of the record too.
  void Recover(size_t start, bool top_level) {
    int depth = 0;
    for (size_t i = start; i < pos_; ++i) {
      if (tokens_[i].kind == Tok::kLBrace) ++depth;
      if (tokens_[i].kind == Tok::kRBrace && depth > 0) --depth;
    }
    while (!At(Tok::kEnd)) {
      if (At(Tok::kLBrace)) {
        ++depth;
      } else if (At(Tok::kRBrace)) {
        if (depth == 0) break;
        --depth;
      } else if (At(Tok::kSemi) && (depth == 0 || AtDeclStart(1))) {
        // A `;` inside braces, followed by what starts a declaration, means
        // the braces were never closed: stop there rather than swallow the
        // rest of the schema.
        Next();
        return;
      }
      Next();
    }
    // A stray `}` at the top level closes nothing: step over it. (In a
    // namespace it is the namespace's own, and its loop stops there.)
    if (At(Tok::kRBrace) && top_level) Next();
  }

  // --- names ---

  // An identifier that is not a reserved word.
  bool ParseIdent(NameRef* out, std::string_view what) {
    if (!At(Tok::kIdent)) {
      ErrorAtPeek(absl::StrCat("expected ", std::string(what), ", found ",
                               Describe(Peek())));
      return false;
    }
    const Token& t = Next();
    if (IsReservedWord(t.text)) {
      Error(t.begin, absl::StrCat("`", std::string(t.text),
                                  "` is a reserved identifier"));
      return false;
    }
    *out = NameRef{std::string(t.text), SrcLoc::At(t.begin)};
    return true;
  }

  // Ident {'::' Ident}
  bool ParsePath(NameRef* out, std::string_view what) {
    if (!ParseIdent(out, what)) return false;
    while (At(Tok::kColonColon)) {
      Next();
      NameRef part;
      if (!ParseIdent(&part, "an identifier after `::`")) return false;
      absl::StrAppend(&out->name, "::", part.name);
    }
    return true;
  }

  bool ParseString(std::string* out, uint32_t* offset = nullptr) {
    if (!At(Tok::kString)) {
      ErrorAtPeek(
          absl::StrCat("expected a string literal, found ", Describe(Peek())));
      return false;
    }
    const Token& t = Next();
    if (offset != nullptr) *offset = t.begin;
    std::string err = Unescape(t.text, out);
    if (!err.empty()) {
      Error(t.begin, err);
      return false;
    }
    return true;
  }

  // Name ::= Ident | STR
  bool ParseName(NameRef* out, std::string_view what) {
    if (At(Tok::kString)) {
      uint32_t offset = 0;
      if (!ParseString(&out->name, &offset)) return false;
      out->loc = SrcLoc::At(offset);
      return true;
    }
    return ParseIdent(out, what);
  }

  bool ParseAnnotations(SchemaAnnotations* out) {
    absl::flat_hash_set<std::string> keys;
    while (At(Tok::kAt)) {
      Next();
      if (!At(Tok::kIdent)) {
        ErrorAtPeek(absl::StrCat("expected an annotation name, found ",
                                 Describe(Peek())));
        return false;
      }
      const Token& name = Next();
      SchemaAnnotation a;
      a.key = std::string(name.text);
      if (!keys.insert(a.key).second) {
        Error(name.begin, absl::StrCat("duplicate annotation: `@", a.key, "`"));
        return false;
      }
      if (Accept(Tok::kLParen)) {
        std::string value;
        if (!ParseString(&value)) return false;
        a.value = std::move(value);
        if (!Expect(Tok::kRParen, "`)`")) return false;
      }
      out->push_back(std::move(a));
    }
    return true;
  }

  // --- namespaces and declarations ---

  void ParseNamespace(SchemaAnnotations annotations, SchemaSource* out) {
    Next();  // `namespace`
    NamespaceBlock block;
    block.annotations = std::move(annotations);
    NameRef name;
    if (!ParsePath(&name, "a namespace name") || !Expect(Tok::kLBrace, "`{`")) {
      // Skip the whole block, if there is one.
      while (!At(Tok::kEnd) && !At(Tok::kLBrace) && !At(Tok::kSemi)) Next();
      if (Accept(Tok::kSemi)) return;
      for (int depth = 0; !At(Tok::kEnd);) {
        if (At(Tok::kLBrace)) ++depth;
        if (At(Tok::kRBrace) && --depth == 0) {
          Next();
          break;
        }
        Next();
      }
      return;
    }
    block.name = std::move(name.name);
    block.loc = name.loc;
    while (!At(Tok::kRBrace) && !At(Tok::kEnd) && !too_many_errors_) {
      decl_failed_ = false;
      size_t start = pos_;
      SchemaAnnotations decl_annotations;
      if (ParseAnnotations(&decl_annotations)) {
        ParseDecl(std::move(decl_annotations), &block, /*top_level=*/false);
      }
      if (decl_failed_) Recover(start, /*top_level=*/false);
    }
    decl_failed_ = false;
    Expect(Tok::kRBrace,
           absl::StrCat("`}` closing namespace `", block.name, "`"));
    out->namespaces.push_back(std::move(block));
  }

  void ParseDecl(SchemaAnnotations annotations, NamespaceBlock* block,
                 bool top_level) {
    if (AtIdent("entity")) {
      EntityDecl d;
      d.annotations = std::move(annotations);
      if (ParseEntity(&d)) block->decls.push_back(std::move(d));
    } else if (AtIdent("action")) {
      ActionDecl d;
      d.annotations = std::move(annotations);
      if (ParseAction(&d)) block->decls.push_back(std::move(d));
    } else if (AtIdent("type")) {
      CommonTypeDecl d;
      d.annotations = std::move(annotations);
      if (ParseTypeDecl(&d)) block->decls.push_back(std::move(d));
    } else {
      ErrorAtPeek(absl::StrCat(
          top_level ? "expected `namespace`, `entity`, `action` or `type`"
                    : "expected `entity`, `action` or `type`",
          ", found ", Describe(Peek())));
    }
  }

  // EntTypes ::= Path | '[' [Path {',' Path}] ']'
  bool ParseEntTypes(std::vector<NameRef>* out) {
    if (!Accept(Tok::kLBracket)) {
      out->emplace_back();
      return ParsePath(&out->back(), "an entity type name or `[`");
    }
    if (Accept(Tok::kRBracket)) return true;
    do {
      out->emplace_back();
      if (!ParsePath(&out->back(), "an entity type name")) return false;
    } while (Accept(Tok::kComma));
    return Expect(Tok::kRBracket, "`,` or `]`");
  }

  bool ParseEntity(EntityDecl* d) {
    Next();  // `entity`
    do {
      d->names.emplace_back();
      if (!ParseIdent(&d->names.back(), "an entity type name")) return false;
    } while (Accept(Tok::kComma));
    bool has_parents = false;
    if (AtIdent("in")) {
      Next();
      has_parents = true;
      if (!ParseEntTypes(&d->member_of)) return false;
    }
    if (AtIdent("enum")) {
      if (has_parents) {
        Error(Peek().begin,
              "an enumerated entity type cannot have parent types");
        return false;
      }
      Next();
      if (!Expect(Tok::kLBracket, "`[`")) return false;
      std::vector<std::string> ids;
      do {
        ids.emplace_back();
        if (!ParseString(&ids.back())) return false;
      } while (Accept(Tok::kComma));
      if (!Expect(Tok::kRBracket, "`,` or `]`")) return false;
      d->enum_ids = std::move(ids);
      return Expect(Tok::kSemi, "`;`");
    }
    if (AtByte('=')) {
      Next();
      if (!At(Tok::kLBrace)) {
        ErrorAtPeek(
            absl::StrCat("expected `{` after `=`, found ", Describe(Peek())));
        return false;
      }
    }
    if (At(Tok::kLBrace)) {
      d->shape.emplace();
      if (!ParseRecord(&*d->shape)) return false;
    }
    if (AtIdent("tags")) {
      Next();
      d->tags.emplace();
      if (!ParseType(&*d->tags)) return false;
    }
    return Expect(Tok::kSemi, d->shape || d->tags
                                  ? "`;`"
                                  : "`in`, `enum`, `{`, `tags` or `;`");
  }

  // QualName ::= Name | Path '::' STR
  bool ParseActionRef(ActionRef* out) {
    out->loc = SrcLoc::At(Peek().begin);
    if (At(Tok::kString)) return ParseString(&out->id);
    NameRef first;
    if (!ParseIdent(&first, "an action name")) return false;
    std::string path = first.name;
    while (At(Tok::kColonColon)) {
      if (Peek(1).kind == Tok::kString) {
        Next();
        out->type = path;
        return ParseString(&out->id);
      }
      Next();
      NameRef part;
      if (!ParseIdent(&part, "an identifier or a string after `::`"))
        return false;
      absl::StrAppend(&path, "::", part.name);
    }
    if (path != first.name) {
      ErrorAtPeek(absl::StrCat("expected `::` and an action id after `", path,
                               "`, found ", Describe(Peek())));
      return false;
    }
    out->id = std::move(path);
    return true;
  }

  bool ParseAction(ActionDecl* d) {
    Next();  // `action`
    do {
      d->names.emplace_back();
      if (!ParseName(&d->names.back(), "an action name")) return false;
    } while (Accept(Tok::kComma));
    if (AtIdent("in")) {
      Next();
      d->member_of.emplace();
      if (Accept(Tok::kLBracket)) {
        do {
          d->member_of->emplace_back();
          if (!ParseActionRef(&d->member_of->back())) return false;
        } while (Accept(Tok::kComma));
        if (!Expect(Tok::kRBracket, "`,` or `]`")) return false;
      } else {
        d->member_of->emplace_back();
        if (!ParseActionRef(&d->member_of->back())) return false;
      }
    }
    if (AtIdent("appliesTo")) {
      Next();
      if (!ParseAppliesTo(d)) return false;
    }
    if (AtIdent("attributes")) {
      // Accepted for compatibility; only the empty form exists.
      Next();
      if (!Expect(Tok::kLBrace, "`{`") || !Expect(Tok::kRBrace, "`}`")) {
        return false;
      }
    }
    return Expect(Tok::kSemi, "`;`");
  }

  bool ParseAppliesTo(ActionDecl* d) {
    const std::string& action = d->names.front().name;
    const uint32_t action_offset = d->names.front().loc.offset;
    if (!Expect(Tok::kLBrace, "`{`")) return false;
    AppliesTo applies;
    bool has_principal = false, has_resource = false, has_context = false;
    do {
      if (At(Tok::kRBrace) && (has_principal || has_resource || has_context)) {
        break;  // trailing comma
      }
      const Token& key = Peek();
      bool* seen = nullptr;
      if (AtIdent("principal")) {
        seen = &has_principal;
      } else if (AtIdent("resource")) {
        seen = &has_resource;
      } else if (AtIdent("context")) {
        seen = &has_context;
      } else {
        ErrorAtPeek(absl::StrCat(
            "expected `principal`, `resource` or `context`, found ",
            Describe(Peek())));
        return false;
      }
      if (*seen) {
        Error(key.begin,
              absl::StrCat("duplicate `", std::string(key.text),
                           "` declaration in action `", action, "`"));
        return false;
      }
      *seen = true;
      Next();
      if (!Expect(Tok::kColon, "`:`")) return false;
      if (key.text == "context") {
        applies.context.emplace();
        if (At(Tok::kLBrace)) {
          if (!ParseRecord(&*applies.context)) return false;
        } else {
          NameRef name;
          if (!ParsePath(&name, "a common type name or `{`")) return false;
          applies.context->kind = TypeExpr::Kind::kCommonRef;
          applies.context->name = std::move(name.name);
          applies.context->loc = name.loc;
        }
        continue;
      }
      std::vector<NameRef>& types =
          key.text == "principal" ? applies.principals : applies.resources;
      if (!ParseEntTypes(&types)) return false;
      if (types.empty()) {
        Error(key.begin,
              absl::StrCat("`", std::string(key.text), "` of action `", action,
                           "` is `[]`: it must name at least "
                           "one entity type"));
        return false;
      }
    } while (Accept(Tok::kComma));
    if (!Expect(Tok::kRBrace, "`,` or `}`")) return false;
    for (auto [seen, what] : {std::pair{has_principal, "principal"},
                              std::pair{has_resource, "resource"}}) {
      if (!seen) {
        Error(action_offset, absl::StrCat("missing `", what,
                                          "` declaration in "
                                          "`appliesTo` of action `",
                                          action, "`"));
        return false;
      }
    }
    d->applies_to = std::move(applies);
    return true;
  }

  bool ParseTypeDecl(CommonTypeDecl* d) {
    Next();  // `type`
    if (!ParseIdent(&d->name, "a type name")) return false;
    if (!AtByte('=')) {
      ErrorAtPeek(absl::StrCat("expected `=`, found ", Describe(Peek())));
      return false;
    }
    Next();
    if (!ParseType(&d->type)) return false;
    return Expect(Tok::kSemi, "`;`");
  }

  // --- types ---

  bool Enter() {
    if (depth_ >= options_.max_nesting_depth) {
      ErrorAtPeek(absl::StrFormat("type nesting exceeds the limit of %d levels",
                                  options_.max_nesting_depth));
      return false;
    }
    ++depth_;
    return true;
  }

  bool ParseType(TypeExpr* out) {
    out->loc = SrcLoc::At(Peek().begin);
    if (At(Tok::kLBrace)) return ParseRecord(out);
    if (AtIdent("Set") && Peek(1).kind == Tok::kLt) {
      if (!Enter()) return false;
      Next();
      Next();
      out->kind = TypeExpr::Kind::kSet;
      out->element = std::make_unique<TypeExpr>();
      bool ok = ParseType(out->element.get()) && Expect(Tok::kGt, "`>`");
      --depth_;
      return ok;
    }
    NameRef name;
    if (!ParsePath(&name, "a type")) return false;
    out->kind = TypeExpr::Kind::kName;
    out->name = std::move(name.name);
    return true;
  }

  // '{' [AttrDecls] '}'
  bool ParseRecord(TypeExpr* out) {
    out->loc = SrcLoc::At(Peek().begin);
    out->kind = TypeExpr::Kind::kRecord;
    if (!Enter()) return false;
    Next();  // `{`
    bool ok = true;
    absl::flat_hash_map<std::string, size_t>
        index;  // attribute name -> position
    while (ok && !At(Tok::kRBrace)) {
      AttrDecl attr;
      attr.loc = SrcLoc::At(Peek().begin);
      NameRef name;
      ok = ParseAnnotations(&attr.annotations) &&
           ParseName(&name, "an attribute name or `}`");
      if (!ok) break;
      attr.name = std::move(name.name);
      if (AtByte('?')) {
        Next();
        attr.required = false;
      }
      ok = Expect(Tok::kColon, "`:`") && ParseType(&attr.type);
      if (!ok) break;
      // As in Cedar, a repeated attribute name replaces the earlier one.
      auto [it, added] = index.try_emplace(attr.name, out->attrs.size());
      if (added) {
        out->attrs.push_back(std::move(attr));
      } else {
        out->attrs[it->second] = std::move(attr);
      }
      if (!Accept(Tok::kComma) && !At(Tok::kRBrace)) {
        ErrorAtPeek(
            absl::StrCat("expected `,` or `}`, found ", Describe(Peek())));
        ok = false;
      }
    }
    ok = ok && Expect(Tok::kRBrace, "`}`");
    --depth_;
    return ok;
  }

  std::string_view text_;
  const SchemaParseOptions& options_;
  std::vector<SchemaError>* errors_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  size_t depth_ = 0;
  bool decl_failed_ = false;
  bool too_many_errors_ = false;
};

}  // namespace

bool ParseCedarSchema(std::string_view text, const SchemaParseOptions& options,
                      SchemaSource* out, std::vector<SchemaError>* errors) {
  if (text.size() > options.max_source_bytes || text.size() >= UINT32_MAX) {
    errors->push_back(SchemaError{
        SrcLoc::At(0),
        absl::StrFormat("schema text is %d bytes, over the limit of %d",
                        text.size(), options.max_source_bytes)});
    return false;
  }
  SchemaTextParser parser(text, options, errors);
  return parser.ParseAll(out);
}

}  // namespace arbiter::internal
