// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Reading JSON text. nlohmann::json's SAX parser drives DomBuilder, which
// builds the tree itself so that it can reject duplicate keys (Cedar does)
// and cap nesting while it goes, so no input builds an unbounded tree.
// (nlohmann's own callback parser would do, but its end_object rescans the
// enclosing array, which is quadratic in the number of entities.) The SAX
// parser reports syntax errors to the handler rather than throwing; any
// exception that remains is caught in ParseJsonText.

#include <algorithm>
#include <exception>
#include <limits>
#include <new>
#include <string>
#include <utility>
#include <vector>

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

// Builds a nlohmann::json tree from SAX events, tracking where it is.
class DomBuilder {
 public:
  enum class Failure { kNone, kDepth, kDuplicate, kSyntax };

  explicit DomBuilder(size_t max_depth) : max_depth_(max_depth) {}

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

  // The slot for the next value: the root, a new array element, or the
  // member whose key was just read.
  Json* Slot() {
    if (stack_.empty()) return &root_;
    Frame& top = stack_.back();
    if (top.node->is_array()) {
      return &top.node->get_ref<Json::array_t&>().emplace_back();
    }
    return top.member;
  }

  bool Add(Json v) {
    *Slot() = std::move(v);
    return true;
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
      if (f.node->is_array()) {
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
  Json root_;
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

absl::StatusOr<Json> ParseJsonText(std::string_view text,
                                   const JsonOptions& options,
                                   size_t max_json_depth, std::string_view what,
                                   bool entity_document) {
  if (text.size() > options.max_bytes) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "%s is %d bytes, more than the limit of %d (JsonOptions::max_bytes)",
        ToAbsl(what), text.size(), options.max_bytes));
  }
  try {
    DomBuilder builder(max_json_depth);
    bool ok = Json::sax_parse(text.data(), text.data() + text.size(), &builder,
                              nlohmann::detail::input_format_t::json,
                              /*strict=*/true, /*ignore_comments=*/false);
    switch (builder.failure()) {
      case DomBuilder::Failure::kNone:
        if (!ok) {
          return absl::InvalidArgumentError(
              absl::StrCat(ToAbsl(what), ": invalid JSON"));
        }
        return std::move(builder.root());
      case DomBuilder::Failure::kSyntax:
        return absl::InvalidArgumentError(
            absl::StrCat(ToAbsl(what), ": ", builder.failure_detail()));
      case DomBuilder::Failure::kDepth:
      case DomBuilder::Failure::kDuplicate: {
        const std::vector<PathElem>& path = builder.failure_path();
        std::string location;
        if (entity_document) {
          location = EntityDocLocation(path);
        } else if (!path.empty()) {
          location = absl::StrCat("at `", DottedPath(path, 0), "`");
        }
        std::string msg =
            location.empty()
                ? builder.failure_detail()
                : absl::StrCat(location, ": ", builder.failure_detail());
        if (builder.failure() == DomBuilder::Failure::kDepth) {
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

absl::StatusOr<Json> ParseEntitiesDocument(std::string_view text,
                                           const JsonOptions& options) {
  // Entity document overhead: the array, the entity object and `attrs`.
  absl::StatusOr<Json> doc =
      ParseJsonText(text, options, JsonDepthFor(options, 3), "entities JSON",
                    /*entity_document=*/true);
  if (!doc.ok()) return doc.status();
  if (!doc->is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat("entities JSON must be an array of entities, found `",
                     JsonSnippet(*doc), "`"));
  }
  return doc;
}

}  // namespace arbiter::internal
