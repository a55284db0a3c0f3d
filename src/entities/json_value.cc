// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Converting Cedar JSON values. JsonToValue walks a value with an explicit
// stack of open sets, records and extension calls, so depth is bounded by
// JsonOptions::max_depth, never by the C++ stack.
//
// An object holding `__entity`, `__extn` or `__expr` is an escape and must
// be well formed; it never falls back to being a record. (Cedar's untagged
// decoding reads a malformed escape as a record; rejecting it is clearer and
// only refuses input that no Cedar writer produces.)

#include "src/entities/json_value.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/eval/ext/extensions.h"

namespace arbiter::internal {
namespace {

using Json = nlohmann::json;

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
    add(absl::StrCat(where.role.empty() ? "at" : where.role, " `", path, "`"));
  } else {
    add(where.role);
  }
  add(detail);
  return out;
}

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

// The body of an entity reference: `type` and `id`, both strings. Other
// members are ignored, as Cedar's reader ignores them (cedar-wasm 4.13
// reads `{"type": "User", "id": "a", "note": 1}` as `User::"a"`).
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

// Whether `body` has the shape of an entity reference's body: an object
// whose `type` and `id` are strings (other members ignored).
bool IsTypeAndIdShape(const Json& body) {
  if (!body.is_object()) return false;
  auto type = body.find("type");
  auto id = body.find("id");
  return type != body.end() && type->is_string() && id != body.end() &&
         id->is_string();
}

// Whether `body` has the shape of an `__extn` escape's body: an object
// whose `fn` is a string, with an `arg` (any value) or an `args` array.
bool IsFnAndArgShape(const Json& body) {
  if (!body.is_object()) return false;
  auto fn = body.find("fn");
  if (fn == body.end() || !fn->is_string()) return false;
  if (body.contains("arg")) return true;
  auto args = body.find("args");
  return args != body.end() && args->is_array();
}

// Cedar's escapes, recognised as Cedar recognises them: an object is an
// escape only when its one member is `__entity`, `__extn` or `__expr` and
// that member's value has the escape's shape; any other object, an
// `{"__entity": …}` with company or a body of another shape included, is a
// record. (cedar-wasm 4.13 reads `{"__entity": {"type": "User"}}` as a
// record with an `__entity` attribute; scripts/diff-fuzz checks these
// cases against it.) Returns the escape's key, or "" for a record.
std::string_view EscapeKind(const Json& j) {
  if (j.size() != 1) return "";
  auto only = j.begin();
  if (only.key() == "__entity") {
    return IsTypeAndIdShape(only.value()) ? "__entity" : "";
  }
  if (only.key() == "__extn") {
    return IsFnAndArgShape(only.value()) ? "__extn" : "";
  }
  if (only.key() == "__expr") return only.value().is_string() ? "__expr" : "";
  return "";
}

// Converts a JSON value to a Value with an explicit stack of open
// containers (sets, records, extension calls).
class Converter {
 public:
  // `outer_depth`: levels of nesting already open around the value (when a
  // schema-directed reader delegates a sub-value); they count toward
  // options.max_depth.
  Converter(const JsonOptions& options, const Where& where,
            size_t outer_depth = 0)
      : options_(options), where_(where), outer_depth_(outer_depth) {}

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
      case Kind::kSet:
        return Value::Set(std::move(f.elems));
      case Kind::kRecord:
        return Value::Record(std::move(f.fields));
      case Kind::kExtn: {
        absl::StatusOr<Value> v = CallExtension(f.fn, f.elems);
        if (!v.ok()) {
          return Error(stack_.size() - 1,
                       absl::StrCat("calling `", f.fn_name,
                                    "`: ", v.status().message()));
        }
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
        case Kind::kSet:
          path.push_back(PathElem{true, f.next - 1, ""});
          break;
        case Kind::kRecord:
          path.push_back(PathElem{false, 0, f.key});
          break;
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
    if (outer_depth_ + stack_.size() + 1 > options_.max_depth) {
      return absl::ResourceExhaustedError(Compose(
          where_, Path(stack_.size()),
          absl::StrCat("sets, records and extension calls nested deeper than ",
                       options_.max_depth,
                       " levels (JsonOptions::max_depth)")));
    }
    stack_.push_back(std::move(f));
    return absl::OkStatus();
  }

  // A scalar becomes a value; a container is pushed (nullopt).
  absl::StatusOr<std::optional<Value>> Visit(const Json& j) {
    const size_t here = stack_.size();
    switch (j.type()) {
      case Json::value_t::boolean:
        return Value::Bool(j.get<bool>());
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
        return Error(here,
                     absl::StrCat("expected a long, found ", FoundNumber(j)));
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
      case Json::value_t::object:
        return VisitObject(j);
      case Json::value_t::binary:
      case Json::value_t::discarded:
        break;
    }
    return Error(here, "unsupported JSON value");
  }

  absl::StatusOr<std::optional<Value>> VisitObject(const Json& j) {
    const size_t here = stack_.size();
    const std::string_view escape = EscapeKind(j);
    if (escape == "__expr") {
      return Error(here,
                   "the `__expr` escape is no longer supported by Cedar; use "
                   "`__entity` or `__extn`");
    }
    if (escape == "__entity") {
      absl::StatusOr<EntityUid> uid =
          TypeAndId(j.begin().value(), where_, Path(here));
      if (!uid.ok()) return uid.status();
      return Value::Entity(*uid);
    }
    if (escape == "__extn") return VisitExtn(j.begin().value());
    Frame f;
    f.kind = Kind::kRecord;
    f.node = &j;
    f.it = j.cbegin();
    f.fields.reserve(j.size());
    if (absl::Status s = Push(std::move(f)); !s.ok()) return s;
    return std::nullopt;
  }

  // `{"fn": name, "arg": a}` or `{"fn": name, "args": [a, …]}`; other
  // members are ignored and `arg` wins when both are given, as in Cedar.
  // VisitObject calls it only for a body of that shape (IsFnAndArgShape):
  // an object whose `fn` is a string, with an `arg` or an `args` array.
  absl::StatusOr<std::optional<Value>> VisitExtn(const Json& body) {
    const size_t here = stack_.size();
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
      }
    }
    if (arg != nullptr) args = nullptr;
    const std::string& name = fn->get_ref<const std::string&>();
    std::optional<ExtFn> ext = LookupExtConstructor(name);
    if (!ext) ext = LookupExtMethod(name);
    if (!ext) {
      return Error(here,
                   absl::StrCat("unknown extension function `", name, "`"));
    }
    const size_t count = arg != nullptr ? 1 : args->size();
    const int arity = ExtArity(*ext);
    if (arity < 0 || count != static_cast<size_t>(arity)) {
      return Error(here, absl::StrCat("extension function `", name, "` takes ",
                                      arity, " argument", arity == 1 ? "" : "s",
                                      ", found ", count));
    }
    // Calls on strings only (the usual `ip("…")`) are evaluated at once and
    // do not count as nesting.
    bool all_strings = arg != nullptr ? arg->is_string() : true;
    if (args != nullptr) {
      for (const Json& a : *args) all_strings = all_strings && a.is_string();
    }
    if (all_strings) {
      absl::StatusOr<Value> v =
          arg != nullptr
              ? CallOnString(*ext, arg->get_ref<const std::string&>())
              : CallOnStrings(*ext, *args);
      if (!v.ok()) {
        return Error(
            here, absl::StrCat("calling `", name, "`: ", v.status().message()));
      }
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
  size_t outer_depth_;
  std::vector<Frame> stack_;
};

}  // namespace

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

absl::StatusOr<Value> JsonToValue(const Json& json, const JsonOptions& options,
                                  const Where& where) {
  return JsonToValueNested(json, options, where, 0);
}

absl::StatusOr<Value> JsonToValueNested(const Json& json,
                                        const JsonOptions& options,
                                        const Where& where,
                                        size_t outer_depth) {
  try {
    return Converter(options, where, outer_depth).Run(json);
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
      // `{"__entity": {"type", "id"}}` when its body has that shape (other
      // members of either object ignored, as Cedar ignores them), else the
      // object itself as `{"type", "id"}`.
      auto escape = json.find("__entity");
      if (escape != json.end() &&
          (IsTypeAndIdShape(*escape) || !IsTypeAndIdShape(json))) {
        return TypeAndId(*escape, where, "");
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

// --- Hooks for schema-directed reading (typed_json.cc) ----------------------

std::string ComposeLocated(const Where& where, std::string_view path,
                           std::string_view detail) {
  return Compose(where, ToAbsl(path), ToAbsl(detail));
}

}  // namespace arbiter::internal
