// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Reading JSON text. nlohmann::json's SAX parser drives DomBuilder, which
// builds the tree itself so that it can reject duplicate keys (Cedar does)
// and cap nesting while it goes, so no input builds an unbounded tree.
// (nlohmann's own callback parser would do, but its end_object rescans the
// enclosing array, which is quadratic in the number of entities.) The SAX
// parser reports syntax errors to the handler rather than throwing; any
// exception that remains is caught in ParseJsonText.
//
// An entities document is read one entity at a time (ForEachEntityInDocument):
// each element of the top-level array is built, handed over and freed
// before the next one starts. A whole document's tree takes several times
// the text's size, and freeing it in one go at the end cost more than
// building it (agents-10000: 6.8 MB of text, about 95 ms to free against
// 60 to build), since glibc consolidates the hundreds of thousands of small
// chunks it gets back; freed an entity at a time, the same chunks are reused
// for the next entity while still in the cache.

#include <algorithm>
#include <exception>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/entities/json_value.h"

namespace arbiter::internal {
namespace {

using Json = nlohmann::json;

// Rewrites nlohmann's exception text into our style: "[json.exception.
// parse_error.101] parse error at line 1, column 2: … last read: 'x'"
// becomes "invalid JSON at line 1, column 2: … last read: `x`".
std::string DescribeJsonError(const std::exception& e) {
  std::string msg = e.what();
  if (!msg.empty() && msg[0] == '[') {
    size_t close = msg.find("] ");
    if (close != std::string::npos) msg = msg.substr(close + 2);
  }
  constexpr std::string_view kPrefix = "parse error";
  if (msg.rfind(kPrefix, 0) == 0) {
    msg = msg.substr(kPrefix.size());
  } else {
    msg = absl::StrCat(": ", msg);  // e.g. "number overflow parsing '1e400'"
  }
  std::replace(msg.begin(), msg.end(), '\'', '`');
  while (!msg.empty() && msg.back() == '.') msg.pop_back();
  return absl::StrCat("invalid JSON", msg);
}

using ElementFn = absl::FunctionRef<absl::Status(size_t, const Json&)>;

// Builds a nlohmann::json tree from SAX events, tracking where it is.
//
// With an element function, the elements of a top-level array are not kept
// in the tree: each is built on its own, passed to the function once
// complete, then freed; the array stays empty. The first non-OK status the
// function returns is kept (element_status()) and no later element is
// passed, but parsing goes on to the end, so that a syntax, depth or
// duplicate-key failure anywhere in the text is still found, and wins, as
// it would had the whole tree been built before any element was read.
class DomBuilder {
 public:
  enum class Failure { kNone, kDepth, kDuplicate, kSyntax };

  explicit DomBuilder(size_t max_depth) : max_depth_(max_depth) {}
  DomBuilder(size_t max_depth, ElementFn each)
      : max_depth_(max_depth), each_(each) {}

  const absl::Status& element_status() const { return element_status_; }

  Json& root() { return root_; }
  Failure failure() const { return failure_; }
  const std::vector<PathElem>& failure_path() const { return failure_path_; }
  const std::string& failure_detail() const { return failure_detail_; }

  // The SAX interface (nlohmann::json_sax).
  bool null() { return Add(Json(nullptr)); }
  bool boolean(bool v) { return Add(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return Add(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return Add(Json(v)); }
  bool number_float(Json::number_float_t v, const Json::string_t&) {
    return Add(Json(v));
  }
  bool string(Json::string_t& v) { return Add(Json(std::move(v))); }
  bool binary(Json::binary_t&) { return Add(Json()); }  // not in JSON text
  bool start_object(size_t) { return Open(Json::value_t::object); }
  bool start_array(size_t) { return Open(Json::value_t::array); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }

  bool key(Json::string_t& k) {
    Frame& top = stack_.back();
    auto [it, inserted] =
        top.node->get_ref<Json::object_t&>().try_emplace(std::move(k));
    if (!inserted) {
      Fail(Failure::kDuplicate, stack_.size() - 1,
           absl::StrCat("duplicate key `", it->first, "`"));
      return false;
    }
    top.member = &it->second;
    top.key = &it->first;
    return true;
  }

  bool parse_error(size_t, const std::string&, const std::exception& e) {
    if (failure_ == Failure::kNone) {
      failure_ = Failure::kSyntax;
      failure_detail_ = DescribeJsonError(e);
    }
    return false;
  }

 private:
  struct Frame {
    Json* node = nullptr;
    Json* member = nullptr;            // objects: the member being parsed
    const std::string* key = nullptr;  // objects: its key (map-owned)
  };

  // True while the next value is an element of a top-level array whose
  // elements go to each_ rather than into the tree.
  bool Streaming() const {
    return each_.has_value() && stack_.size() == 1 && root_.is_array();
  }

  // The slot for the next value: the root, a new array element, or the
  // member whose key was just read.
  Json* Slot() {
    if (stack_.empty()) return &root_;
    if (Streaming()) return &element_;
    Frame& top = stack_.back();
    if (top.node->is_array()) {
      return &top.node->get_ref<Json::array_t&>().emplace_back();
    }
    return top.member;
  }

  bool Add(Json v) {
    const bool element = Streaming();
    *Slot() = std::move(v);
    if (element) Deliver();
    return true;
  }

  // Passes the complete element_ to each_ (unless an earlier one failed),
  // then frees it. What each_ throws is its error, not the parser's.
  void Deliver() {
    if (element_status_.ok()) {
      try {
        element_status_ = (*each_)(delivered_, element_);
      } catch (const Json::exception& e) {
        element_status_ = absl::InternalError(
            absl::StrCat("entities JSON: unexpected JSON error: ", e.what()));
      } catch (const std::bad_alloc&) {
        element_status_ = absl::ResourceExhaustedError(
            "entities JSON: out of memory while reading entities");
      }
    }
    ++delivered_;
    element_ = Json();
  }

  bool Open(Json::value_t type) {
    if (stack_.size() + 1 > max_depth_) {
      Fail(Failure::kDepth, stack_.size(),
           absl::StrCat("JSON nested deeper than ", max_depth_,
                        " levels (JsonOptions::max_depth)"));
      return false;
    }
    Json* slot = Slot();
    *slot = Json(type);
    stack_.push_back(Frame{slot, nullptr, nullptr});
    return true;
  }

  bool Close() {
    stack_.pop_back();
    if (Streaming()) Deliver();
    return true;
  }

  // Records a failure at the element being parsed inside the first
  // `frames` open containers.
  void Fail(Failure failure, size_t frames, std::string detail) {
    failure_ = failure;
    failure_detail_ = std::move(detail);
    failure_path_.clear();
    for (size_t i = 0; i < frames; ++i) {
      const Frame& f = stack_[i];
      if (i == 0 && each_.has_value() && root_.is_array()) {
        // The elements handed over are gone; the one being parsed is next.
        failure_path_.push_back(PathElem{true, delivered_, ""});
      } else if (f.node->is_array()) {
        // The element being parsed is the last one added, unless the next
        // container is about to be added (then it is one past the end).
        size_t size = f.node->size();
        bool added = i + 1 < stack_.size();
        failure_path_.push_back(PathElem{true, added ? size - 1 : size, ""});
      } else {
        failure_path_.push_back(
            PathElem{false, 0, f.key != nullptr ? *f.key : ""});
      }
    }
  }

  size_t max_depth_;
  std::optional<ElementFn> each_;  // FunctionRef has no empty state
  Json root_;
  Json element_;  // streaming: the top-level element being built
  size_t delivered_ = 0;
  absl::Status element_status_;
  std::vector<Frame> stack_;
  Failure failure_ = Failure::kNone;
  std::vector<PathElem> failure_path_;
  std::string failure_detail_;
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

}  // namespace

size_t JsonDepthFor(const JsonOptions& options, size_t overhead) {
  // Each nesting level takes at most three JSON levels ({"__extn": {"args":
  // [ … ]}}), and a leaf escape three more.
  constexpr size_t kMax = std::numeric_limits<size_t>::max() / 4;
  size_t depth = std::min(options.max_depth, kMax);
  return depth * 3 + 3 + overhead;
}

namespace {

// Runs `builder` over `text`: OK when the text is one well-formed JSON value
// within the limits (the tree, if any, is then in builder->root()), else
// the located error.
absl::Status RunParse(std::string_view text, const JsonOptions& options,
                      std::string_view what, bool entity_document,
                      DomBuilder* builder) {
  if (text.size() > options.max_bytes) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "%s is %d bytes, more than the limit of %d (JsonOptions::max_bytes)",
        ToAbsl(what), text.size(), options.max_bytes));
  }
  try {
    bool ok = Json::sax_parse(text.data(), text.data() + text.size(), builder,
                              nlohmann::detail::input_format_t::json,
                              /*strict=*/true, /*ignore_comments=*/false);
    switch (builder->failure()) {
      case DomBuilder::Failure::kNone:
        if (!ok) {
          return absl::InvalidArgumentError(
              absl::StrCat(ToAbsl(what), ": invalid JSON"));
        }
        return absl::OkStatus();
      case DomBuilder::Failure::kSyntax:
        return absl::InvalidArgumentError(
            absl::StrCat(ToAbsl(what), ": ", builder->failure_detail()));
      case DomBuilder::Failure::kDepth:
      case DomBuilder::Failure::kDuplicate: {
        const std::vector<PathElem>& path = builder->failure_path();
        std::string location;
        if (entity_document) {
          location = EntityDocLocation(path);
        } else if (!path.empty()) {
          location = absl::StrCat("at `", DottedPath(path, 0), "`");
        }
        std::string msg =
            location.empty()
                ? builder->failure_detail()
                : absl::StrCat(location, ": ", builder->failure_detail());
        if (builder->failure() == DomBuilder::Failure::kDepth) {
          return absl::ResourceExhaustedError(msg);
        }
        return absl::InvalidArgumentError(msg);
      }
    }
    return absl::InternalError("unreachable");
  } catch (const Json::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(what), ": ", DescribeJsonError(e)));
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(
        absl::StrCat(ToAbsl(what), ": out of memory while parsing"));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat(ToAbsl(what), ": ", e.what()));
  }
}

}  // namespace

absl::StatusOr<Json> ParseJsonText(std::string_view text,
                                   const JsonOptions& options,
                                   size_t max_json_depth, std::string_view what,
                                   bool entity_document) {
  DomBuilder builder(max_json_depth);
  if (absl::Status s = RunParse(text, options, what, entity_document, &builder);
      !s.ok()) {
    return s;
  }
  return std::move(builder.root());
}

absl::Status ForEachEntityInDocument(
    std::string_view text, const JsonOptions& options,
    absl::FunctionRef<absl::Status(size_t index, const Json& element)> each) {
  // Entity document overhead: the array, the entity object and `attrs`.
  DomBuilder builder(JsonDepthFor(options, 3), each);
  if (absl::Status s = RunParse(text, options, "entities JSON",
                                /*entity_document=*/true, &builder);
      !s.ok()) {
    return s;
  }
  // Anything but an array was built whole, for this message.
  if (!builder.root().is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat("entities JSON must be an array of entities, found `",
                     JsonSnippet(builder.root()), "`"));
  }
  return builder.element_status();
}

}  // namespace arbiter::internal
