// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Writing values in Cedar's JSON value format, with an explicit stack.

#include <algorithm>
#include <cstdint>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/entities/json_value.h"
#include "src/eval/ext/extensions.h"

namespace arbiter::internal {
namespace {

using Json = nlohmann::json;

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

void AppendExtn(std::string_view fn, const std::string& arg, std::string* out) {
  absl::StrAppend(out, "{\"__extn\":{\"fn\":\"", ToAbsl(fn), "\",\"arg\":");
  AppendJsonString(arg, out);
  out->append("}}");
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out->append("\\\"");
        ++i;
        continue;
      case '\\':
        out->append("\\\\");
        ++i;
        continue;
      case '\n':
        out->append("\\n");
        ++i;
        continue;
      case '\r':
        out->append("\\r");
        ++i;
        continue;
      case '\t':
        out->append("\\t");
        ++i;
        continue;
      case '\b':
        out->append("\\b");
        ++i;
        continue;
      case '\f':
        out->append("\\f");
        ++i;
        continue;
      default:
        break;
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
        case ValueKind::kBool:
          out->append(v.as_bool() ? "true" : "false");
          break;
        case ValueKind::kLong:
          absl::StrAppend(out, v.as_long());
          break;
        case ValueKind::kString:
          AppendJsonString(v.as_string(), out);
          break;
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
