// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Cedar's JSON value format. Design notes:
//  - Text is parsed by nlohmann::json with a parse callback that rejects
//    duplicate keys (Cedar does) and caps nesting, so no input builds an
//    unbounded tree. The callback reports by throwing ParseAbort, which is
//    caught in ParseJsonText with every nlohmann exception.
//  - JsonToValue and AppendValueJson walk values with an explicit stack, so
//    depth is bounded by JsonOptions::max_depth, never by the C++ stack.
//  - An object holding `__entity`, `__extn` or `__expr` is an escape and
//    must be well formed; it never falls back to being a record. (Cedar's
//    untagged decoding would read a malformed escape as a record; rejecting
//    it is clearer and only refuses input no Cedar writer produces.)

#include "src/entities/json_value.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <new>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/eval/ext/extensions.h"

namespace arbiter::internal {
namespace {

using Json = nlohmann::json;

// Debian's Abseil has its own string_view type; this bridges the two.
absl::string_view Av(std::string_view s) { return {s.data(), s.size()}; }

// ---------------------------------------------------------------------------
// Locations

// One step into a JSON document: an object key or an array index.
struct PathElem {
  bool is_index = false;
  size_t index = 0;
  std::string key;
};

// `a.b[2].c`; keys are printed as they are.
std::string DottedPath(const std::vector<PathElem>& path, size_t from) {
  std::string out;
  for (size_t i = from; i < path.size(); ++i) {
    if (path[i].is_index) {
      absl::StrAppend(&out, "[", path[i].index, "]");
    } else {
      if (!out.empty()) out.push_back('.');
      out.append(path[i].key);
    }
  }
  return out;
}

// Joins "context: role `path`: detail", leaving out the empty parts.
std::string Compose(const Where& where, absl::string_view path,
                    absl::string_view detail) {
  std::string out;
  auto add = [&out](absl::string_view part) {
    if (part.empty()) return;
    if (!out.empty()) out.append(": ");
    out.append(part.data(), part.size());
  };
  add(where.context);
  if (!path.empty()) {
    add(absl::StrCat(where.role.empty() ? "at" : where.role, " `", path,
                     "`"));
  } else {
    add(where.role);
  }
  add(detail);
  return out;
}

// ---------------------------------------------------------------------------
// Parsing text

// Thrown by the parse callback; caught in ParseJsonText.
struct ParseAbort {
  bool depth = false;  // else: duplicate key
  std::vector<PathElem> path;
  std::string key;
};

// Tracks the position in the document during parsing: rejects duplicate
// keys and nesting beyond a limit.
class ParseTracker {
 public:
  explicit ParseTracker(size_t max_depth) : max_depth_(max_depth) {}

  bool Event(Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        if (stack_.size() + 1 > max_depth_) {
          throw ParseAbort{true, Path(stack_.size()), ""};
        }
        stack_.emplace_back();
        stack_.back().is_object = event == Json::parse_event_t::object_start;
        break;
      case Json::parse_event_t::key: {
        Frame& top = stack_.back();
        const std::string& key = parsed.get_ref<const std::string&>();
        if (!top.keys.insert(key).second) {
          throw ParseAbort{false, Path(stack_.size() - 1), key};
        }
        top.key = key;
        break;
      }
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        stack_.pop_back();
        ElementDone();
        break;
      case Json::parse_event_t::value:
        ElementDone();
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool is_object = false;
    size_t index = 0;  // arrays: the element being parsed
    std::string key;   // objects: the member being parsed
    absl::flat_hash_set<std::string> keys;
  };

  void ElementDone() {
    if (!stack_.empty() && !stack_.back().is_object) ++stack_.back().index;
  }

  // The path of the element being parsed inside the first `frames` open
  // containers: all of them for a container about to open, all but the top
  // one for the top container itself.
  std::vector<PathElem> Path(size_t frames) const {
    std::vector<PathElem> path;
    for (size_t i = 0; i < frames; ++i) {
      const Frame& f = stack_[i];
      path.push_back(f.is_object ? PathElem{false, 0, f.key}
                                 : PathElem{true, f.index, ""});
    }
    return path;
  }

  size_t max_depth_;
  std::vector<Frame> stack_;
};

// "entity 3: attribute `a.b`" for a path inside an entities document.
std::string EntityDocLocation(const std::vector<PathElem>& path) {
  if (path.empty() || !path[0].is_index) return "entities JSON";
  std::string out = absl::StrCat("entity ", path[0].index);
  if (path.size() >= 2 && !path[1].is_index) {
    const std::string& section = path[1].key;
    if ((section == "attrs" || section == "tags") && path.size() >= 3) {
      absl::StrAppend(&out, ": ", section == "attrs" ? "attribute" : "tag",
                      " `", DottedPath(path, 2), "`");
    } else {
      absl::StrAppend(&out, ": `", DottedPath(path, 1), "`");
    }
  }
  return out;
}

// Rewrites nlohmann's parse_error text into our style.
std::string DescribeParseError(const std::exception& e) {
  std::string msg = e.what();
  // "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
  if (!msg.empty() && msg[0] == '[') {
    size_t close = msg.find("] ");
    if (close != std::string::npos) msg = msg.substr(close + 2);
  }
  constexpr std::string_view kPrefix = "parse error";
  if (msg.rfind(kPrefix, 0) == 0) msg = msg.substr(kPrefix.size());
  // nlohmann quotes the text it read as 'x'; we use backticks.
  size_t last = msg.find("last read: '");
  if (last != std::string::npos && msg.back() == '\'') {
    msg[last + 11] = '`';
    msg.back() = '`';
  }
  while (!msg.empty() && msg.back() == '.') msg.pop_back();
  if (!msg.empty() && msg[0] == ':') return absl::StrCat("invalid JSON", msg);
  return absl::StrCat("invalid JSON", msg.empty() || msg[0] == ' ' ? "" : " ",
                      msg);
}

// ---------------------------------------------------------------------------
// Numbers and snippets

std::string FoundNumber(const Json& json) {
  double d = json.get<double>();
  if (!std::isfinite(d)) return "a number too large to represent";
  if (std::trunc(d) == d && std::fabs(d) >= 9.2e18) {
    return absl::StrCat("the integer `", JsonSnippet(json),
                        "`, which is out of range for a long "
                        "(a 64-bit signed integer)");
  }
  return absl::StrCat("`", JsonSnippet(json),
                      "`; Cedar has no floating-point numbers, only longs "
                      "(64-bit signed integers)");
}

// ---------------------------------------------------------------------------
// Entity type names and references

constexpr std::string_view kReservedWords[] = {
    "true", "false", "if", "then", "else", "in", "is", "like", "has"};

bool IsIdentStart(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

absl::Status TypeNameError(std::string_view name, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid entity type name `", Av(name), "`: ", why));
}

// The body of an entity reference: exactly `type` and `id`, both strings.
absl::StatusOr<EntityUid> TypeAndId(const Json& body, const Where& where,
                                    absl::string_view path) {
  auto fail = [&](absl::string_view detail) {
    return absl::InvalidArgumentError(Compose(where, path, detail));
  };
  if (!body.is_object()) {
    return fail(absl::StrCat(
        "expected an entity reference {\"type\": …, \"id\": …}, found `",
        JsonSnippet(body), "`"));
  }
  const Json* type = nullptr;
  const Json* id = nullptr;
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() == "type") {
      type = &it.value();
    } else if (it.key() == "id") {
      id = &it.value();
    } else {
      return fail(absl::StrCat("unknown key `", it.key(),
                               "` in entity reference; expected `type` and "
                               "`id`"));
    }
  }
  if (type == nullptr) return fail("entity reference is missing `type`");
  if (id == nullptr) return fail("entity reference is missing `id`");
  if (!type->is_string()) {
    return fail(absl::StrCat("entity `type` must be a string, found `",
                             JsonSnippet(*type), "`"));
  }
  if (!id->is_string()) {
    return fail(absl::StrCat("entity `id` must be a string, found `",
                             JsonSnippet(*id), "`"));
  }
  const std::string& type_name = type->get_ref<const std::string&>();
  if (absl::Status s = CheckEntityTypeName(type_name); !s.ok()) {
    return fail(s.message());
  }
  return EntityUid::Of(type_name, id->get_ref<const std::string&>());
}

// The body of `{"__entity": body}` when `json` is that escape, else nullptr.
// Sets *error when the escape has company.
const Json* EscapeBody(const Json& json, std::string_view key,
                       std::string* error) {
  auto it = json.find(key);
  if (it == json.end()) return nullptr;
  if (json.size() != 1) {
    for (auto other = json.begin(); other != json.end(); ++other) {
      if (other.key() != key) {
        *error = absl::StrCat("`", Av(key),
                              "` must be the only key of its object, found "
                              "also `",
                              other.key(), "`");
        break;
      }
    }
  }
  return &it.value();
}

// ---------------------------------------------------------------------------
// Values

// Converts a JSON value to a Value with an explicit stack of open
// containers (sets, records, extension calls).
class Converter {
 public:
  Converter(const JsonOptions& options, const Where& where)
      : options_(options), where_(where) {}

  absl::StatusOr<Value> Run(const Json& root) {
    absl::StatusOr<std::optional<Value>> first = Visit(root);
    if (!first.ok()) return first.status();
    if (first->has_value()) return std::move(**first);
    while (!stack_.empty()) {
      Frame& top = stack_.back();
      if (const Json* child = NextChild(top)) {
        absl::StatusOr<std::optional<Value>> v = Visit(*child);
        if (!v.ok()) return v.status();
        if (v->has_value()) Add(std::move(**v));
        continue;
      }
      absl::StatusOr<Value> done = Close(top);
      if (!done.ok()) return done.status();
      stack_.pop_back();
      if (stack_.empty()) return std::move(*done);
      Add(std::move(*done));
    }
    return absl::InternalError("value conversion ended without a value");
  }

 private:
  enum class Kind { kSet, kRecord, kExtn };

  struct Frame {
    Kind kind = Kind::kSet;
    const Json* node = nullptr;  // the array or object being read
    size_t next = 0;             // sets and calls: the next element
    Json::const_iterator it;     // records: the next member
    std::string key;             // records: the member being converted
    std::vector<Value> elems;    // set elements or call arguments
    RecordFields fields;
    // Extension calls: `node` is the argument array (or the single argument
    // when `single`).
    ExtFn fn = ExtFn::kIp;
    std::string fn_name;
    bool single = false;
  };

  // The next child of `f` to convert, or nullptr when `f` is complete.
  const Json* NextChild(Frame& f) {
    switch (f.kind) {
      case Kind::kSet:
      case Kind::kExtn:
        if (f.kind == Kind::kExtn && f.single) {
          return f.next++ == 0 ? f.node : nullptr;
        }
        if (f.next < f.node->size()) return &(*f.node)[f.next++];
        return nullptr;
      case Kind::kRecord:
        if (f.it == f.node->cend()) return nullptr;
        f.key = f.it.key();
        return &(f.it++).value();
    }
    return nullptr;
  }

  void Add(Value v) {
    Frame& top = stack_.back();
    if (top.kind == Kind::kRecord) {
      top.fields.emplace_back(Symbol::Intern(top.key), std::move(v));
    } else {
      top.elems.push_back(std::move(v));
    }
  }

  absl::StatusOr<Value> Close(Frame& f) {
    switch (f.kind) {
      case Kind::kSet: return Value::Set(std::move(f.elems));
      case Kind::kRecord: return Value::Record(std::move(f.fields));
      case Kind::kExtn: {
        absl::StatusOr<Value> v = CallExtension(f.fn, f.elems);
        if (!v.ok()) return Error(stack_.size() - 1, v.status().message());
        return v;
      }
    }
    return absl::InternalError("unknown frame kind");
  }

  // The path to the value being converted inside the first `frames` open
  // containers.
  std::string Path(size_t frames) const {
    std::vector<PathElem> path;
    if (!where_.name.empty()) path.push_back(PathElem{false, 0, where_.name});
    for (size_t i = 0; i < frames; ++i) {
      const Frame& f = stack_[i];
      switch (f.kind) {
        case Kind::kSet: path.push_back(PathElem{true, f.next - 1, ""}); break;
        case Kind::kRecord: path.push_back(PathElem{false, 0, f.key}); break;
        case Kind::kExtn:
          path.push_back(PathElem{false, 0, "__extn"});
          if (f.single) {
            path.push_back(PathElem{false, 0, "arg"});
          } else {
            path.push_back(PathElem{false, 0, "args"});
            path.push_back(PathElem{true, f.next - 1, ""});
          }
          break;
      }
    }
    return DottedPath(path, 0);
  }

  absl::Status Error(size_t frames, absl::string_view detail) const {
    return absl::InvalidArgumentError(Compose(where_, Path(frames), detail));
  }

  absl::Status Push(Frame f) {
    if (stack_.size() + 1 > options_.max_depth) {
      return absl::ResourceExhaustedError(Compose(
          where_, Path(stack_.size()),
          absl::StrCat("sets, records and extension calls nested deeper than ",
                       options_.max_depth, " levels (JsonOptions::max_depth)")));
    }
    stack_.push_back(std::move(f));
    return absl::OkStatus();
  }

  // A scalar becomes a value; a container is pushed (nullopt).
  absl::StatusOr<std::optional<Value>> Visit(const Json& j) {
    const size_t here = stack_.size();
    switch (j.type()) {
      case Json::value_t::boolean: return Value::Bool(j.get<bool>());
      case Json::value_t::number_integer:
        return Value::Long(j.get<int64_t>());
      case Json::value_t::number_unsigned: {
        uint64_t u = j.get<uint64_t>();
        if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          return Error(here, absl::StrCat("the integer `", u,
                                          "` is out of range for a long "
                                          "(a 64-bit signed integer)"));
        }
        return Value::Long(static_cast<int64_t>(u));
      }
      case Json::value_t::number_float:
        return Error(here, absl::StrCat("expected a long, found ",
                                        FoundNumber(j)));
      case Json::value_t::string:
        return Value::String(j.get_ref<const std::string&>());
      case Json::value_t::null:
        return Error(here, "found `null`, which is not a Cedar value");
      case Json::value_t::array: {
        Frame f;
        f.kind = Kind::kSet;
        f.node = &j;
        f.elems.reserve(j.size());
        if (absl::Status s = Push(std::move(f)); !s.ok()) return s;
        return std::nullopt;
      }
      case Json::value_t::object: return VisitObject(j);
      case Json::value_t::binary:
      case Json::value_t::discarded: break;
    }
    return Error(here, "unsupported JSON value");
  }

  absl::StatusOr<std::optional<Value>> VisitObject(const Json& j) {
    const size_t here = stack_.size();
    std::string error;
    if (EscapeBody(j, "__expr", &error) != nullptr) {
      return Error(here,
                   "the `__expr` escape is no longer supported by Cedar; use "
                   "`__entity` or `__extn`");
    }
    if (const Json* body = EscapeBody(j, "__entity", &error)) {
      if (!error.empty()) return Error(here, error);
      absl::StatusOr<EntityUid> uid = TypeAndId(*body, where_, Path(here));
      if (!uid.ok()) return uid.status();
      return Value::Entity(*uid);
    }
    if (const Json* body = EscapeBody(j, "__extn", &error)) {
      if (!error.empty()) return Error(here, error);
      return VisitExtn(*body);
    }
    Frame f;
    f.kind = Kind::kRecord;
    f.node = &j;
    f.it = j.cbegin();
    f.fields.reserve(j.size());
    if (absl::Status s = Push(std::move(f)); !s.ok()) return s;
    return std::nullopt;
  }

  // `{"fn": name, "arg": a}` or `{"fn": name, "args": [a, …]}`.
  absl::StatusOr<std::optional<Value>> VisitExtn(const Json& body) {
    const size_t here = stack_.size();
    if (!body.is_object()) {
      return Error(here, absl::StrCat("`__extn` expects {\"fn\": …, \"arg\": …}"
                                      ", found `",
                                      JsonSnippet(body), "`"));
    }
    const Json* fn = nullptr;
    const Json* arg = nullptr;
    const Json* args = nullptr;
    for (auto it = body.begin(); it != body.end(); ++it) {
      if (it.key() == "fn") {
        fn = &it.value();
      } else if (it.key() == "arg") {
        arg = &it.value();
      } else if (it.key() == "args") {
        args = &it.value();
      } else {
        return Error(here, absl::StrCat("unknown key `", it.key(),
                                        "` in `__extn`; expected `fn` and "
                                        "`arg` or `args`"));
      }
    }
    if (fn == nullptr || !fn->is_string()) {
      return Error(here, "`__extn` needs `fn`, the extension function name "
                         "as a string");
    }
    const std::string& name = fn->get_ref<const std::string&>();
    std::optional<ExtFn> ext = LookupExtConstructor(name);
    if (!ext) ext = LookupExtMethod(name);
    if (!ext) {
      return Error(here, absl::StrCat("unknown extension function `", name,
                                      "`"));
    }
    if ((arg == nullptr) == (args == nullptr)) {
      return Error(here, absl::StrCat("`__extn` for `", name,
                                      "` needs exactly one of `arg` and "
                                      "`args`"));
    }
    if (args != nullptr && !args->is_array()) {
      return Error(here, absl::StrCat("`__extn` `args` must be an array, "
                                      "found `",
                                      JsonSnippet(*args), "`"));
    }
    const size_t count = arg != nullptr ? 1 : args->size();
    const int arity = ExtArity(*ext);
    if (arity < 0 || count != static_cast<size_t>(arity)) {
      return Error(here, absl::StrCat("extension function `", name,
                                      "` takes ", arity, " argument",
                                      arity == 1 ? "" : "s", ", found ",
                                      count));
    }
    // Calls on strings only (the usual `ip("…")`) are evaluated at once and
    // do not count as nesting.
    bool all_strings = arg != nullptr ? arg->is_string() : true;
    if (args != nullptr) {
      for (const Json& a : *args) all_strings = all_strings && a.is_string();
    }
    if (all_strings) {
      absl::StatusOr<Value> v =
          arg != nullptr ? CallOnString(*ext, arg->get_ref<const std::string&>())
                         : CallOnStrings(*ext, *args);
      if (!v.ok()) return Error(here, v.status().message());
      return std::optional<Value>(std::move(*v));
    }
    Frame f;
    f.kind = Kind::kExtn;
    f.fn = *ext;
    f.fn_name = name;
    f.single = arg != nullptr;
    f.node = arg != nullptr ? arg : args;
    f.elems.reserve(count);
    if (absl::Status s = Push(std::move(f)); !s.ok()) return s;
    return std::nullopt;
  }

  static absl::StatusOr<Value> CallOnString(ExtFn fn, const std::string& s) {
    switch (fn) {
      case ExtFn::kIp: {
        absl::StatusOr<IpAddr> v = ParseIpAddr(s);
        if (!v.ok()) return v.status();
        return Value::Ip(*v);
      }
      case ExtFn::kDecimal: {
        absl::StatusOr<Decimal> v = ParseDecimal(s);
        if (!v.ok()) return v.status();
        return Value::Dec(*v);
      }
      case ExtFn::kDatetime: {
        absl::StatusOr<Datetime> v = ParseDatetime(s);
        if (!v.ok()) return v.status();
        return Value::Time(*v);
      }
      case ExtFn::kDuration: {
        absl::StatusOr<Duration> v = ParseDuration(s);
        if (!v.ok()) return v.status();
        return Value::Span(*v);
      }
      default: {
        Value arg = Value::String(s);
        return CallExtension(fn, absl::MakeConstSpan(&arg, 1));
      }
    }
  }

  static absl::StatusOr<Value> CallOnStrings(ExtFn fn, const Json& args) {
    if (args.size() == 1) {
      return CallOnString(fn, args[0].get_ref<const std::string&>());
    }
    std::vector<Value> values;
    values.reserve(args.size());
    for (const Json& a : args) {
      values.push_back(Value::String(a.get_ref<const std::string&>()));
    }
    return CallExtension(fn, values);
  }

  const JsonOptions& options_;
  const Where& where_;
  std::vector<Frame> stack_;
};

// ---------------------------------------------------------------------------
// Cedar syntax for entity references

class UidTextParser {
 public:
  explicit UidTextParser(std::string_view text) : text_(text) {}

  absl::StatusOr<EntityUid> Parse() {
    std::string type;
    SkipSpace();
    while (true) {
      std::string_view ident = Ident();
      if (ident.empty()) return Fail("expected an entity type name");
      if (!type.empty()) type.append("::");
      type.append(ident);
      SkipSpace();
      if (!Consume("::")) return Fail("expected `::` after the type name");
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
    return absl::InvalidArgumentError(
        absl::StrCat("invalid entity reference `", Av(text_), "` at offset ", pos_,
                     ": ", why, " (expected the form `Type::\"id\"`)"));
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
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
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case '0': out.push_back('\0'); break;
        case '\\': out.push_back('\\'); break;
        case '\'': out.push_back('\''); break;
        case '"': out.push_back('"'); break;
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
          return Fail(absl::StrCat("unknown escape `\\", std::string(1, e),
                                   "`"));
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// ---------------------------------------------------------------------------
// Writing

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t n;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

void AppendExtn(std::string_view fn, const std::string& arg,
                std::string* out) {
  absl::StrAppend(out, "{\"__extn\":{\"fn\":\"", Av(fn), "\",\"arg\":");
  AppendJsonString(arg, out);
  out->append("}}");
}

}  // namespace

// ---------------------------------------------------------------------------
// Public (internal) functions

size_t JsonDepthFor(const JsonOptions& options, size_t overhead) {
  // Each nesting level takes at most three JSON levels ({"__extn": {"args":
  // [ … ]}}), and a leaf escape three more.
  constexpr size_t kMax = std::numeric_limits<size_t>::max() / 4;
  size_t depth = std::min(options.max_depth, kMax);
  return depth * 3 + 3 + overhead;
}

absl::StatusOr<Json> ParseJsonText(std::string_view text,
                                   const JsonOptions& options,
                                   size_t max_json_depth, std::string_view what,
                                   bool entity_document) {
  if (text.size() > options.max_bytes) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "%s is %d bytes, more than the limit of %d (JsonOptions::max_bytes)",
        Av(what), text.size(), options.max_bytes));
  }
  ParseTracker tracker(max_json_depth);
  Json::parser_callback_t callback =
      [&tracker](int /*depth*/, Json::parse_event_t event, Json& parsed) {
        return tracker.Event(event, parsed);
      };
  try {
    return Json::parse(text.data(), text.data() + text.size(), callback,
                       /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const ParseAbort& abort) {
    std::string location;
    if (entity_document) {
      location = EntityDocLocation(abort.path);
    } else if (!abort.path.empty()) {
      location = absl::StrCat("at `", DottedPath(abort.path, 0), "`");
    }
    std::string detail =
        abort.depth
            ? absl::StrCat("JSON nested deeper than ", max_json_depth,
                           " levels (JsonOptions::max_depth)")
            : absl::StrCat("duplicate key `", abort.key, "`");
    std::string msg =
        location.empty() ? detail : absl::StrCat(location, ": ", detail);
    if (abort.depth) return absl::ResourceExhaustedError(msg);
    return absl::InvalidArgumentError(msg);
  } catch (const Json::parse_error& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(Av(what), ": ", DescribeParseError(e)));
  } catch (const Json::exception& e) {
    // e.g. out_of_range 406, "number overflow parsing '1e400'".
    std::string msg = e.what();
    if (size_t close = msg.find("] "); !msg.empty() && msg[0] == '[' &&
                                       close != std::string::npos) {
      msg = msg.substr(close + 2);
    }
    std::replace(msg.begin(), msg.end(), '\'', '`');
    return absl::InvalidArgumentError(
        absl::StrCat(Av(what), ": invalid JSON: ", msg));
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(
        absl::StrCat(Av(what), ": out of memory while parsing"));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat(Av(what), ": ", e.what()));
  }
}

absl::StatusOr<Value> JsonToValue(const Json& json, const JsonOptions& options,
                                  const Where& where) {
  try {
    return Converter(options, where).Run(json);
  } catch (const Json::exception& e) {
    return absl::InternalError(
        Compose(where, "", absl::StrCat("unexpected JSON error: ", e.what())));
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(
        Compose(where, "", "out of memory while converting a value"));
  }
}

absl::StatusOr<EntityUid> JsonToEntityUid(const Json& json, bool allow_string,
                                          const Where& where) {
  try {
    if (allow_string && json.is_string()) {
      absl::StatusOr<EntityUid> uid =
          ParseEntityUidText(json.get_ref<const std::string&>());
      if (!uid.ok()) {
        return absl::InvalidArgumentError(
            Compose(where, "", uid.status().message()));
      }
      return uid;
    }
    if (json.is_object()) {
      std::string error;
      if (const Json* body = EscapeBody(json, "__entity", &error)) {
        if (!error.empty()) {
          return absl::InvalidArgumentError(Compose(where, "", error));
        }
        return TypeAndId(*body, where, "");
      }
      return TypeAndId(json, where, "");
    }
    return absl::InvalidArgumentError(Compose(
        where, "",
        absl::StrCat("expected an entity reference {\"type\": …, \"id\": …}",
                     allow_string ? " or a string `Type::\"id\"`" : "",
                     ", found `", JsonSnippet(json), "`")));
  } catch (const Json::exception& e) {
    return absl::InternalError(
        Compose(where, "", absl::StrCat("unexpected JSON error: ", e.what())));
  }
}

absl::StatusOr<EntityUid> ParseEntityUidText(std::string_view text) {
  return UidTextParser(text).Parse();
}

absl::Status CheckEntityTypeName(std::string_view name) {
  if (name.empty()) return TypeNameError(name, "the name is empty");
  size_t start = 0;
  while (true) {
    size_t end = name.find("::", start);
    std::string_view part = name.substr(
        start, end == std::string_view::npos ? std::string_view::npos
                                             : end - start);
    if (part.empty()) {
      return TypeNameError(name, "each `::` must separate two identifiers");
    }
    if (!IsIdentStart(part[0]) ||
        !std::all_of(part.begin(), part.end(), IsIdentChar)) {
      return TypeNameError(
          name, absl::StrCat("`", Av(part),
                             "` is not an identifier ([_a-zA-Z][_a-zA-Z0-9]*)"));
    }
    for (std::string_view reserved : kReservedWords) {
      if (part == reserved) {
        return TypeNameError(name,
                             absl::StrCat("`", Av(part), "` is a reserved word"));
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

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out->append("\\\""); ++i; continue;
      case '\\': out->append("\\\\"); ++i; continue;
      case '\n': out->append("\\n"); ++i; continue;
      case '\r': out->append("\\r"); ++i; continue;
      case '\t': out->append("\\t"); ++i; continue;
      case '\b': out->append("\\b"); ++i; continue;
      case '\f': out->append("\\f"); ++i; continue;
      default: break;
    }
    if (c < 0x20) {
      absl::StrAppendFormat(out, "\\u%04x", c);
      ++i;
      continue;
    }
    size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      out->append("\\ufffd");
      ++i;
      continue;
    }
    out->append(s.substr(i, n));
    i += n;
  }
  out->push_back('"');
}

void AppendValueJson(const Value& value, std::string* out) {
  // A frame is an open set or record and the index of its next element.
  struct Frame {
    const Value* v;
    size_t next;
    std::vector<const std::pair<Symbol, Value>*> fields;  // records, by name
  };
  std::vector<Frame> stack;
  const Value* pending = &value;
  while (true) {
    if (pending != nullptr) {
      const Value& v = *pending;
      pending = nullptr;
      switch (v.kind()) {
        case ValueKind::kBool: out->append(v.as_bool() ? "true" : "false"); break;
        case ValueKind::kLong: absl::StrAppend(out, v.as_long()); break;
        case ValueKind::kString: AppendJsonString(v.as_string(), out); break;
        case ValueKind::kEntity: {
          const EntityUid& uid = v.as_entity();
          out->append("{\"__entity\":{\"type\":");
          AppendJsonString(uid.type.str(), out);
          out->append(",\"id\":");
          AppendJsonString(uid.id.str(), out);
          out->append("}}");
          break;
        }
        case ValueKind::kSet:
          out->push_back('[');
          stack.push_back(Frame{&v, 0, {}});
          break;
        case ValueKind::kRecord: {
          out->push_back('{');
          Frame f{&v, 0, {}};
          for (const auto& field : v.as_record()) f.fields.push_back(&field);
          std::sort(f.fields.begin(), f.fields.end(), [](auto* a, auto* b) {
            return a->first.str() < b->first.str();
          });
          stack.push_back(std::move(f));
          break;
        }
        case ValueKind::kIpAddr:
          AppendExtn("ip", FormatIpAddr(v.as_ip()), out);
          break;
        case ValueKind::kDecimal:
          AppendExtn("decimal", FormatDecimal(v.as_decimal()), out);
          break;
        case ValueKind::kDatetime:
          AppendExtn("datetime", FormatDatetime(v.as_datetime()), out);
          break;
        case ValueKind::kDuration:
          AppendExtn("duration", FormatDuration(v.as_duration()), out);
          break;
      }
    }
    if (stack.empty()) return;
    Frame& top = stack.back();
    if (top.v->is(ValueKind::kSet)) {
      const std::vector<Value>& elems = top.v->as_set();
      if (top.next < elems.size()) {
        if (top.next > 0) out->push_back(',');
        pending = &elems[top.next++];
        continue;
      }
      out->push_back(']');
    } else {
      if (top.next < top.fields.size()) {
        if (top.next > 0) out->push_back(',');
        const auto* field = top.fields[top.next++];
        AppendJsonString(field->first.str(), out);
        out->push_back(':');
        pending = &field->second;
        continue;
      }
      out->push_back('}');
    }
    stack.pop_back();
  }
}

std::string JsonSnippet(const Json& json) {
  constexpr size_t kMax = 60;
  std::string text;
  try {
    text = json.dump(-1, ' ', false, Json::error_handler_t::replace);
  } catch (const std::exception&) {
    return "<unprintable>";
  }
  if (text.size() <= kMax) return text;
  size_t cut = kMax;
  // Do not split a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  text.resize(cut);
  text.append("…");
  return text;
}

}  // namespace arbiter::internal
