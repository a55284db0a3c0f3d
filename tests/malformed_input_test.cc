// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Hostile input: truncated policies (every prefix of real policy files),
// random bytes and random token soups (fixed-seed PRNG), expressions nested
// 100000 deep, and truncated, garbage and deeply nested JSON for
// Entities::FromJson and ValueFromJson. Each must come back as a status (for
// policies, with a located diagnostic), never a crash, a hang or a stack
// overflow. The whole file runs in well under a second in Release.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "arbiter/arbiter.h"

namespace arbiter {
namespace {

// Under the sanitizers (tests/sanitize builds with ARBITER_SANITIZED) the
// quadratic every-prefix and every-deletion loops take every 7th cut: the
// instrumented build runs many times slower, and neighbouring cuts exercise
// the same parser paths. The plain build still takes every cut.
#ifdef ARBITER_SANITIZED
constexpr size_t kCutStep = 7;
#else
constexpr size_t kCutStep = 1;
#endif

using Catch::Contains;

constexpr size_t kDeep = 100000;

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out.append(s);
  return out;
}

// `expr` as the condition of a policy.
std::string Cedar(const std::string& expr) {
  return "permit(principal, action, resource) when { " + expr + " };";
}

// Policies covering most of the grammar, used when the shared workload file
// is not there (and always, in addition to it).
constexpr std::string_view kEmbeddedPolicies = R"cedar(// Embedded policies.
@id("read-public")
@advisory
permit (principal is App::User in App::Group::"staff",
        action in [App::Action::"read", App::Action::"list",],
        resource is App::Doc)
when { resource.public && principal.level >= 2 }
unless { context has blocked && context.blocked };

forbid (principal, action == App::Action::"delete", resource in App::Folder::"root")
when { !(principal.roles.containsAny(["admin", "owner"])) || -principal.level < -9 };

permit (principal == ?principal, action, resource in ?resource)
when { if context.mode like "r*w\*" then principal has profile.email else false };

permit (principal, action, resource)
when { {a: [1, 2, 3], "b c": {d: "é\u{1F600}\n"}}["b c"].d != "" &&
       ip(context.ip).isInRange(ip("10.0.0.0/8")) &&
       decimal("1.25").lessThan(decimal(context.score)) &&
       principal.getTag("team") == "red" && principal.hasTag("x") &&
       -9223372036854775808 < context.n * 2 + 1 - 3 };
)cedar";

std::vector<std::string> RealPolicyTexts() {
  std::vector<std::string> texts{std::string(kEmbeddedPolicies)};
  for (const char* rel : {"/../shared/workloads/agents-10/policies.cedar"}) {
    std::filesystem::path p = std::string(ARBITER_SOURCE_DIR) + rel;
    std::ifstream in(p, std::ios::binary);
    if (!in) continue;
    std::stringstream ss;
    ss << in.rdbuf();
    texts.push_back(ss.str());
  }
  return texts;
}

// Checks the outcome of parsing `text`: OK with no diagnostics, or an error
// whose every diagnostic is located inside `text`. Returns a description of
// what is wrong, or "" when all is well. Also authorizes a request against
// whatever parsed, which must not crash either.
std::string CheckPolicyText(std::string_view text) {
  ParseOptions options;
  options.file_name = "fuzz.cedar";
  PolicySetBuilder b;
  std::vector<Diagnostic> diags;
  absl::Status s = b.AddText(text, options, &diags);
  if (s.ok()) {
    if (!diags.empty()) return "ok status with diagnostics";
    auto set = b.Build();
    if (!set.ok()) return "";  // e.g. duplicate ids: a status, fine
    Request req;
    req.principal = EntityUid::Of("User", "u");
    req.action = EntityUid::Of("Action", "a");
    req.resource = EntityUid::Of("Doc", "d");
    Response r = Authorize(**set, *Entities::Empty(), req);
    for (const PolicyError& e : r.errors) {
      if (e.message.empty()) return "policy error without a message";
    }
    return "";
  }
  if (s.message().empty()) return "error status without a message";
  if (diags.empty()) return "error status without diagnostics";
  // Lines of `text`, to check that locations fall inside it.
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (;;) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  for (const Diagnostic& d : diags) {
    if (d.file_name != "fuzz.cedar") return "wrong file name";
    if (d.message.empty()) return "diagnostic without a message";
    if (d.line < 1 || static_cast<size_t>(d.line) > lines.size()) {
      return absl::StrCat("line ", d.line, " out of range: ", d.message);
    }
    if (d.column < 1 ||
        static_cast<size_t>(d.column) > lines[d.line - 1].size() + 1) {
      return absl::StrCat("column ", d.column, " out of range on line ",
                          d.line, ": ", d.message);
    }
    if (d.snippet.empty() || d.snippet.back() != '^' ||
        d.snippet.find('\n') == std::string::npos) {
      return "snippet without a caret line";
    }
  }
  std::string where = absl::StrCat("fuzz.cedar:", diags[0].line, ":",
                                   diags[0].column, ": error: ");
  if (Msg(s).find(where) == std::string::npos) {
    return "status message does not name the first location";
  }
  return "";
}

// Runs CheckPolicyText over `inputs`, reporting the first few failures.
void CheckAll(const std::vector<std::string>& inputs) {
  std::vector<std::string> failures;
  for (const std::string& in : inputs) {
    std::string why = CheckPolicyText(in);
    if (!why.empty() && failures.size() < 5) {
      failures.push_back(why + "\n--- input (" + std::to_string(in.size()) +
                         " bytes) ---\n" + in.substr(0, 300));
    }
  }
  for (const std::string& f : failures) FAIL_CHECK(f);
  CHECK(failures.empty());
}

// --- Truncated policies -------------------------------------------------------

TEST_CASE("malformed: every prefix of real policy files", "[malformed]") {
  for (const std::string& text : RealPolicyTexts()) {
    INFO("file of " << text.size() << " bytes");
    REQUIRE(CheckPolicyText(text).empty());
    REQUIRE(PolicySet::Parse(text).ok());
    std::vector<std::string> prefixes;
    size_t ok = 0;
    for (size_t n = 0; n < text.size(); n += kCutStep) {
      prefixes.push_back(text.substr(0, n));
      if (PolicySet::Parse(prefixes.back()).ok()) ++ok;
    }
    CheckAll(prefixes);
    // Some prefixes (the empty one, those ending after a `;`) are valid;
    // most are not.
    CHECK(ok >= 1);
    CHECK(ok < prefixes.size() / 2);
  }
}

TEST_CASE("malformed: every suffix and every one-byte deletion", "[malformed]") {
  std::string text(kEmbeddedPolicies);
  std::vector<std::string> inputs;
  for (size_t n = 1; n < text.size(); n += kCutStep) inputs.push_back(text.substr(n));
  for (size_t n = 0; n < text.size(); n += kCutStep) {
    inputs.push_back(text.substr(0, n) + text.substr(n + 1));
  }
  CheckAll(inputs);
}

// --- Random input --------------------------------------------------------------

TEST_CASE("malformed: random bytes", "[malformed]") {
  std::mt19937 rng(12345);
  std::vector<std::string> inputs;
  for (int i = 0; i < 400; ++i) {
    size_t len = rng() % 300;
    std::string s(len, '\0');
    for (char& c : s) c = static_cast<char>(rng() & 0xFF);
    inputs.push_back(s);
  }
  // Random printable ASCII, which reaches further into the lexer.
  for (int i = 0; i < 400; ++i) {
    size_t len = rng() % 300;
    std::string s(len, ' ');
    for (char& c : s) c = static_cast<char>(0x20 + rng() % 95);
    inputs.push_back(s);
  }
  CheckAll(inputs);
}

TEST_CASE("malformed: random token soups", "[malformed]") {
  static const char* const kTokens[] = {
      "permit", "forbid", "(", ")", "principal", "action", "resource",
      "context", ",", ";", "==", "!=", "<", "<=", ">", ">=", "in", "is", "has",
      "like", "when", "unless", "{", "}", "[", "]", "if", "then", "else",
      "true", "false", "&&", "||", "!", "-", "+", "*", ".", ":", "::", "@",
      "@id(\"x\")", "?principal", "?resource", "?other", "User", "Action",
      "User::\"a\"", "Action::\"v\"", "\"s\"", "\"*\"", "\"\\*\"", "\"\\q\"",
      "\"\\u{110000}\"", "\"unterminated", "0", "1", "-1",
      "9223372036854775807", "9223372036854775808", "-9223372036854775808",
      "contains", "containsAll", "containsAny", "isEmpty", "getTag", "hasTag",
      "(1)", "ip", "decimal", "datetime", "duration", "isInRange", "lessThan",
      "offset", "foo", "a", "$", "/", "=", "&", "|", "é", "\n", "// c\n",
  };
  constexpr size_t kCount = sizeof(kTokens) / sizeof(kTokens[0]);
  std::mt19937 rng(777);
  std::vector<std::string> inputs;
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    // Most soups sit inside a condition so that they reach the expression
    // parser (and, when they parse, the evaluator).
    bool in_condition = i % 4 != 0;
    if (in_condition) s = "permit(principal, action, resource) when { ";
    size_t n = 1 + rng() % 12;
    for (size_t k = 0; k < n; ++k) {
      s += kTokens[rng() % kCount];
      s += ' ';
    }
    if (in_condition) s += "};";
    inputs.push_back(s);
  }
  CheckAll(inputs);
}

TEST_CASE("malformed: random well-formed expressions evaluate without crashing",
          "[malformed]") {
  // Small random expressions that mostly parse, so that the evaluator sees
  // every operator applied to every kind of operand.
  static const char* const kAtoms[] = {
      "1", "-1", "0", "9223372036854775807", "-9223372036854775808", "true",
      "false", "\"\"", "\"a*\"", "[]", "[1, \"a\"]", "{}", "{a: 1}",
      "principal", "action", "resource", "context", "User::\"u\"",
      "ip(\"10.0.0.1\")", "decimal(\"1.5\")", "context.a", "principal.a"};
  static const char* const kBinary[] = {
      " == ", " != ", " < ", " <= ", " > ", " >= ", " + ", " - ", " * ",
      " && ", " || ", " in "};
  static const char* const kMethods[] = {
      ".contains(", ".containsAll(", ".containsAny(", ".getTag(", ".hasTag("};
  constexpr size_t kA = sizeof(kAtoms) / sizeof(kAtoms[0]);
  constexpr size_t kB = sizeof(kBinary) / sizeof(kBinary[0]);
  constexpr size_t kM = sizeof(kMethods) / sizeof(kMethods[0]);
  std::mt19937 rng(4242);
  std::function<std::string(int)> gen = [&](int depth) -> std::string {
    if (depth == 0) return kAtoms[rng() % kA];
    switch (rng() % 8) {
      case 0: return "(" + gen(depth - 1) + kBinary[rng() % kB] + gen(depth - 1) + ")";
      case 1: return "(if " + gen(depth - 1) + " then " + gen(depth - 1) +
                     " else " + gen(depth - 1) + ")";
      case 2: return "!(" + gen(depth - 1) + ")";
      case 3: return "-(" + gen(depth - 1) + ")";
      case 4: return "(" + gen(depth - 1) + " has a)";
      case 5: return "(" + gen(depth - 1) + " like \"*a*\")";
      case 6: return "(" + gen(depth - 1) + ")" + kMethods[rng() % kM] +
                     gen(depth - 1) + ")";
      default: return "[" + gen(depth - 1) + ", " + gen(depth - 1) + "]";
    }
  };
  std::vector<std::string> inputs;
  size_t parsed = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string text = "permit(principal, action, resource) when { " +
                       gen(1 + static_cast<int>(rng() % 4)) + " };";
    if (PolicySet::Parse(text).ok()) ++parsed;
    inputs.push_back(std::move(text));
  }
  CHECK(parsed > 1000);
  CheckAll(inputs);
}

// --- Deep nesting ---------------------------------------------------------------

struct DeepCase {
  std::string name;
  std::string expr;
  std::string expected;  // a part of the first diagnostic's message
};

std::vector<DeepCase> DeepCases() {
  const size_t n = kDeep;
  return {
      {"parentheses", Repeat("(", n) + "1" + Repeat(")", n), "nesting"},
      {"unclosed parentheses", Repeat("(", n), "nesting"},
      {"negated parentheses", Repeat("-(", n) + "1" + Repeat(")", n), "nesting"},
      {"not parentheses", Repeat("!(", n) + "true" + Repeat(")", n), "nesting"},
      {"nots", Repeat("!", n) + "true", "unary"},
      {"minuses", Repeat("-", n) + "1", "unary"},
      {"sets", Repeat("[", n) + Repeat("]", n), "nesting"},
      {"unclosed sets", Repeat("[", n), "nesting"},
      {"records", Repeat("{a:", n) + "1" + Repeat("}", n), "nesting"},
      {"additions", "1" + Repeat("+1", n), "nesting"},
      {"subtractions", "1" + Repeat(" - 1", n), "nesting"},
      {"multiplications", "1" + Repeat(" * 1", n), "nesting"},
      {"ors", "context.a" + Repeat(" || context.a", n), "nesting"},
      {"ands", "true" + Repeat(" && true", n), "nesting"},
      {"ifs", Repeat("if true then ", n) + "1" + Repeat(" else 1", n), "nesting"},
      {"else-ifs", Repeat("if true then 1 else ", n) + "1", "nesting"},
      {"attribute chain", "context" + Repeat(".a", n), "nesting"},
      {"index chain", "context" + Repeat("[\"a\"]", n), "nesting"},
      {"method chain", "[]" + Repeat(".isEmpty()", n), "nesting"},
      {"method arguments", Repeat("[1].contains(", n) + "1" + Repeat(")", n),
       "nesting"},
      {"function arguments", Repeat("ip(", n) + "\"1.1.1.1\"" + Repeat(")", n),
       "nesting"},
      {"has path", "context has a" + Repeat(".a", n), "nesting"},
      {"is-in chain", Repeat("(principal is User in ", n) + "principal" +
                          Repeat(")", n), "nesting"},
      {"mixed", Repeat("([{a: -(!(", n / 6) + "1" + Repeat("))}])", n / 6),
       "nesting"},
  };
}

TEST_CASE("malformed: 100000-deep expressions hit the nesting limit",
          "[malformed]") {
  for (const DeepCase& c : DeepCases()) {
    INFO("case: " << c.name);
    std::string text =
        "permit(principal, action, resource) when { " + c.expr + " };";
    PolicySetBuilder b;
    std::vector<Diagnostic> diags;
    absl::Status s = b.AddText(text, {}, &diags);
    REQUIRE_FALSE(s.ok());
    REQUIRE_FALSE(diags.empty());
    CHECK_THAT(diags[0].message, Contains(c.expected));
    CHECK(diags[0].line == 1);
    CHECK(diags[0].column > 1);
    CHECK(diags[0].snippet.back() == '^');
    CHECK(CheckPolicyText(text).empty());
  }
}

TEST_CASE("malformed: nesting just under the limit parses and evaluates",
          "[malformed]") {
  // Well below the default limit of 128, deep structures are fine.
  const size_t n = 30;
  for (std::string expr : {
           Repeat("(", n) + "true" + Repeat(")", n),
           Repeat("[", n) + Repeat("]", n) + " == " + Repeat("[", n) +
               Repeat("]", n),
           Repeat("{a:", n) + "true" + Repeat("}", n) + Repeat(".a", n),
           "true" + Repeat(" && true", n),
           "1" + Repeat(" + 1", n) + " == " + std::to_string(n + 1),
       }) {
    INFO("expr: " << expr);
    auto set = PolicySet::Parse("permit(principal, action, resource) when { " +
                                expr + " };");
    REQUIRE(set.ok());
    Request req;
    Response r = Authorize(**set, *Entities::Empty(), req);
    CHECK(r.errors.empty());
    CHECK(r.decision == Decision::kAllow);
  }
}

TEST_CASE("malformed: wide but shallow input is fine", "[malformed]") {
  // 100000 elements in one set or record is width, not depth.
  std::string set_expr = "[" + Repeat("1, ", kDeep) + "2].contains(2)";
  std::string rec_expr = "{";
  for (size_t i = 0; i < 20000; ++i) {
    rec_expr.push_back('k');
    rec_expr.append(std::to_string(i));
    rec_expr.append(": 1, ");
  }
  rec_expr += "last: true}.last";
  for (const std::string& expr : {set_expr, rec_expr}) {
    auto set = PolicySet::Parse("permit(principal, action, resource) when { " +
                                expr + " };");
    REQUIRE(set.ok());
    Request req;
    CHECK(Authorize(**set, *Entities::Empty(), req).decision ==
          Decision::kAllow);
  }
  // Many policies, several of them broken: every broken one is reported,
  // up to max_errors.
  std::string text;
  for (int i = 0; i < 2000; ++i) {
    text += i % 10 == 0 ? "permit(principal, action, resource) when { ( };\n"
                        : "permit(principal, action, resource);\n";
  }
  std::vector<Diagnostic> diags;
  PolicySetBuilder b;
  CHECK_FALSE(b.AddText(text, {}, &diags).ok());
  CHECK(diags.size() == 100);  // the default max_errors
  CHECK(diags[1].line == 11);
}

TEST_CASE("malformed: huge literals and names", "[malformed]") {
  std::vector<std::string> inputs = {
      Cedar("\"" + Repeat("a", kDeep) + "\" like \"" + Repeat("*a", 1000) + "\""),
      Cedar(Repeat("9", kDeep)),
      Cedar("-" + Repeat("9", kDeep)),
      Cedar("principal == " + Repeat("A::", 10000) + "B::\"x\""),
      Cedar("\"" + Repeat("\\u{1F600}", 10000) + "\" like \"*\""),
      Repeat("@a(\"x\")", 2) + "permit(principal, action, resource);",
      "@" + Repeat("a", kDeep) + " permit(principal, action, resource);",
  };
  CheckAll(inputs);
}

// --- JSON ------------------------------------------------------------------------

constexpr std::string_view kEntitiesJson = R"([
  {"uid": {"type": "User", "id": "alice"},
   "attrs": {"name": "Alice", "age": 30, "tags": ["a", "b"],
             "boss": {"__entity": {"type": "User", "id": "bob"}},
             "addr": {"city": "Paris", "zip": 75001},
             "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.1"}}},
   "parents": [{"type": "Group", "id": "g"}],
   "tags": {"team": "red"}},
  {"uid": {"type": "User", "id": "bob"}, "attrs": {}, "parents": []},
  {"uid": {"type": "Group", "id": "g"}, "attrs": {}, "parents": []}
])";

constexpr std::string_view kValueJson =
    R"({"n": 1, "s": "x\u00e9", "set": [1, [2, {"a": true}]],
        "e": {"__entity": {"type": "User", "id": "alice"}},
        "d": {"__extn": {"fn": "decimal", "arg": "1.5"}}})";

std::string Trimmed(std::string_view s) {
  size_t end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(0, end + 1));
}

TEST_CASE("malformed: the JSON fixtures are valid", "[malformed]") {
  auto store = Entities::FromJson(kEntitiesJson);
  INFO((store.ok() ? "" : Msg(store.status())));
  REQUIRE(store.ok());
  CHECK((*store)->size() == 3);
  auto v = ValueFromJson(kValueJson);
  INFO((v.ok() ? "" : Msg(v.status())));
  REQUIRE(v.ok());
  CHECK(v->is(ValueKind::kRecord));
}

TEST_CASE("malformed: every proper prefix of entities JSON is rejected",
          "[malformed]") {
  std::string doc = Trimmed(kEntitiesJson);
  std::vector<std::string> failures;
  for (size_t n = 0; n < doc.size(); ++n) {
    auto store = Entities::FromJson(doc.substr(0, n));
    if (store.ok()) {
      failures.push_back("prefix of " + std::to_string(n) + " bytes accepted");
    } else if (store.status().message().empty()) {
      failures.push_back("prefix of " + std::to_string(n) +
                         " bytes: error without a message");
    }
  }
  for (size_t i = 0; i < std::min<size_t>(failures.size(), 5); ++i) {
    FAIL_CHECK(failures[i]);
  }
  CHECK(failures.empty());
}

TEST_CASE("malformed: every proper prefix of a JSON value is rejected",
          "[malformed]") {
  std::string doc = Trimmed(kValueJson);
  std::vector<std::string> failures;
  for (size_t n = 0; n < doc.size(); ++n) {
    auto v = ValueFromJson(doc.substr(0, n));
    if (v.ok()) {
      failures.push_back("prefix of " + std::to_string(n) + " bytes accepted");
    } else if (v.status().message().empty()) {
      failures.push_back("prefix without a message");
    }
  }
  for (size_t i = 0; i < std::min<size_t>(failures.size(), 5); ++i) {
    FAIL_CHECK(failures[i]);
  }
  CHECK(failures.empty());
}

TEST_CASE("malformed: garbage JSON gives a status, never a crash",
          "[malformed]") {
  std::mt19937 rng(99);
  std::vector<std::string> inputs = {
      "", " ", "null", "true", "1", "\"x\"", "{}", "[", "]", "[,]", "[1,]",
      "{\"a\"}", "{\"a\":}", "[{]", "\xff\xfe", "[\"\xff\"]", "[\"\\ud800\"]",
      "[{\"uid\": {\"type\": \"\", \"id\": \"a\"}, \"attrs\": {}, \"parents\": []}]",
      "[{\"uid\": 1}]", "[{\"uid\": {\"type\": \"User\"}}]",
      "[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": [], \"parents\": []}]",
      "[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {}, \"parents\": [1]}]",
      "[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"x\": {\"__extn\": {\"fn\": \"nope\", \"arg\": \"1\"}}}, \"parents\": []}]",
      "[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"x\": {\"__entity\": 5}}, \"parents\": []}]",
      "[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"x\": 1.5}, \"parents\": []}]",
      "[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"x\": 99999999999999999999}, \"parents\": []}]",
      "[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"x\": null}, \"parents\": []}]",
      "[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"x\": 1, \"x\": 2}, \"parents\": []}]",
  };
  for (int i = 0; i < 300; ++i) {
    std::string s(rng() % 200, '\0');
    for (char& c : s) c = static_cast<char>(rng() & 0xFF);
    inputs.push_back(s);
  }
  // JSON-ish soups.
  static const char* const kJsonTokens[] = {
      "[", "]", "{", "}", ",", ":", "\"uid\"", "\"type\"", "\"id\"",
      "\"attrs\"", "\"parents\"", "\"tags\"", "\"__entity\"", "\"__extn\"",
      "\"fn\"", "\"arg\"", "\"ip\"", "\"User\"", "1", "-1", "true", "null",
      "\"a\"", "1e999", "\"\\u0000\""};
  constexpr size_t kN = sizeof(kJsonTokens) / sizeof(kJsonTokens[0]);
  for (int i = 0; i < 1500; ++i) {
    std::string s;
    size_t n = 1 + rng() % 25;
    for (size_t k = 0; k < n; ++k) s += kJsonTokens[rng() % kN];
    inputs.push_back(s);
  }
  size_t rejected = 0;
  for (const std::string& in : inputs) {
    auto store = Entities::FromJson(in);
    if (!store.ok()) {
      ++rejected;
      if (store.status().message().empty()) FAIL_CHECK("no message: " << in);
    }
    auto v = ValueFromJson(in);
    if (!v.ok() && v.status().message().empty()) FAIL_CHECK("no message: " << in);
    auto uid = EntityUidFromJson(in);
    if (!uid.ok() && uid.status().message().empty()) {
      FAIL_CHECK("no message: " << in);
    }
  }
  CHECK(rejected > inputs.size() * 9 / 10);
}

TEST_CASE("malformed: 100000-deep JSON is rejected, not recursed into",
          "[malformed]") {
  const std::string arrays = Repeat("[", kDeep) + Repeat("]", kDeep);
  const std::string objects = Repeat("{\"a\":", kDeep) + "1" + Repeat("}", kDeep);
  const std::string unclosed = Repeat("[", kDeep);
  const std::string mixed = Repeat("[{\"a\":", kDeep / 2) + "1" + Repeat("}]", kDeep / 2);
  for (const std::string* doc : {&arrays, &objects, &unclosed, &mixed}) {
    auto v = ValueFromJson(*doc);
    REQUIRE_FALSE(v.ok());
    CHECK_FALSE(v.status().message().empty());

    auto store = Entities::FromJson(*doc);
    REQUIRE_FALSE(store.ok());
    CHECK_FALSE(store.status().message().empty());

    // The deep value inside an attribute and inside a tag.
    std::string entity =
        R"([{"uid": {"type": "User", "id": "a"}, "attrs": {"x": )" + *doc +
        R"(}, "parents": []}])";
    store = Entities::FromJson(entity);
    REQUIRE_FALSE(store.ok());
    CHECK_FALSE(store.status().message().empty());
    std::string tagged =
        R"([{"uid": {"type": "User", "id": "a"}, "attrs": {}, "parents": [], "tags": {"t": )" +
        *doc + R"(}}])";
    store = Entities::FromJson(tagged);
    REQUIRE_FALSE(store.ok());

    auto uid = EntityUidFromJson(*doc);
    CHECK_FALSE(uid.ok());
  }
  // The limit is an option, and values within it load.
  JsonOptions options;
  options.max_depth = 8;
  CHECK(ValueFromJson(Repeat("[", 5) + Repeat("]", 5), options).ok());
  CHECK_FALSE(ValueFromJson(Repeat("[", 20) + Repeat("]", 20), options).ok());
  CHECK(ValueFromJson(Repeat("[", 40) + Repeat("]", 40)).ok());
}

TEST_CASE("malformed: JSON size limit", "[malformed]") {
  JsonOptions options;
  options.max_bytes = 16;
  auto v = ValueFromJson(R"({"a": "0123456789abcdef"})", options);
  CHECK_FALSE(v.ok());
  auto store = Entities::FromJson(Trimmed(kEntitiesJson), options);
  CHECK_FALSE(store.ok());
  CHECK(ValueFromJson("[1, 2]", options).ok());
}

}  // namespace
}  // namespace arbiter

// --- Schemas ---------------------------------------------------------------------

namespace arbiter {
namespace {

constexpr char kEmbeddedSchema[] = R"(
namespace App {
  type Ctx = { ip: ipaddr, level?: Long, tags: Set<String> };
  entity Group;
  entity User in [Group] = { name: String, manager?: User, score: decimal } tags String;
  entity Doc enum ["a", "b"];
  action read, write in [all] appliesTo { principal: [User], resource: [Doc], context: Ctx };
  action all;
}
)";

// A schema in either format either parses or fails with a message; it never
// crashes, hangs or trips a sanitizer. A failure must carry a location.
void CheckSchema(const std::string& text, bool json) {
  auto s = json ? Schema::FromJson(text) : Schema::Parse(text);
  if (!s.ok()) {
    CHECK_FALSE(s.status().message().empty());
  }
}

TEST_CASE("malformed: every prefix and deletion of a schema, both formats",
          "[malformed][schema]") {
  auto schema = Schema::Parse(kEmbeddedSchema);
  REQUIRE(schema.ok());
  const std::string texts[2] = {kEmbeddedSchema, (*schema)->ToJson()};
  for (int json = 0; json < 2; ++json) {
    const std::string& text = texts[json];
    REQUIRE((json ? Schema::FromJson(text) : Schema::Parse(text)).ok());
    size_t ok = 0;
    for (size_t n = 0; n < text.size(); n += kCutStep) {
      std::string prefix = text.substr(0, n);
      CheckSchema(prefix, json);
      CheckSchema(text.substr(0, n) + text.substr(n + 1), json);
      if ((json ? Schema::FromJson(prefix) : Schema::Parse(prefix)).ok()) ++ok;
    }
    CHECK(ok < text.size() / 2);
  }
}

TEST_CASE("malformed: random bytes and deep nesting as schemas",
          "[malformed][schema]") {
  std::mt19937 rng(777);
  for (int i = 0; i < 300; ++i) {
    std::string junk(rng() % 200, '\0');
    for (char& c : junk) c = static_cast<char>(rng() % 256);
    CheckSchema(junk, false);
    CheckSchema(junk, true);
  }
  std::string deep = "entity E = { a: ";
  for (int i = 0; i < 100000; ++i) deep += "{ a: ";
  auto s = Schema::Parse(deep);
  CHECK_FALSE(s.ok());
  std::string deep_set = "type T = ";
  for (int i = 0; i < 100000; ++i) deep_set += "Set<";
  CHECK_FALSE(Schema::Parse(deep_set).ok());
  std::string deep_json = "{\"\": {\"entityTypes\": {\"E\": {\"shape\": ";
  for (int i = 0; i < 100000; ++i) deep_json += "{\"type\": \"Set\", \"element\": ";
  CHECK_FALSE(Schema::FromJson(deep_json).ok());
}

TEST_CASE("malformed: schema-directed entities and contexts", "[malformed][schema]") {
  auto schema = Schema::Parse(kEmbeddedSchema);
  REQUIRE(schema.ok());
  const std::string good = R"([
    {"uid": {"type": "App::User", "id": "u"}, "attrs": {"name": "n", "score": "1.5"},
     "parents": [{"type": "App::Group", "id": "g"}], "tags": {"t": "x"}}
  ])";
  REQUIRE(EntitiesFromJson(good, **schema).ok());
  for (size_t n = 0; n < good.size(); ++n) {
    auto e = EntitiesFromJson(good.substr(0, n), **schema);
    if (!e.ok()) CHECK_FALSE(e.status().message().empty());
  }
  const std::string ctx = R"({"ip": "10.0.0.1", "tags": ["a"], "level": 3})";
  const EntityUid read = EntityUid::Of("App::Action", "read");
  REQUIRE(ContextFromJson(ctx, **schema, read).ok());
  for (size_t n = 0; n < ctx.size(); ++n) {
    auto c = ContextFromJson(ctx.substr(0, n), **schema, read);
    if (!c.ok()) CHECK_FALSE(c.status().message().empty());
  }
  // Wrong types are located errors, not crashes.
  auto bad = ContextFromJson(R"({"ip": 5, "tags": []})", **schema, read);
  CHECK_FALSE(bad.ok());
}

}  // namespace
}  // namespace arbiter
