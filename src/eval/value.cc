// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Value construction, the canonical order that keeps sets sorted, and
// printing values back as Cedar expressions.

#include "arbiter/value.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/eval/ext/extensions.h"

namespace arbiter {
namespace {

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CompareUid(const EntityUid& a, const EntityUid& b) {
  if (int c = Cmp(a.type.id(), b.type.id())) return c;
  return Cmp(a.id.id(), b.id.id());
}

}  // namespace

std::string_view KindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kBool: return "bool";
    case ValueKind::kLong: return "long";
    case ValueKind::kString: return "string";
    case ValueKind::kEntity: return "entity";
    case ValueKind::kSet: return "set";
    case ValueKind::kRecord: return "record";
    case ValueKind::kIpAddr: return "ipaddr";
    case ValueKind::kDecimal: return "decimal";
    case ValueKind::kDatetime: return "datetime";
    case ValueKind::kDuration: return "duration";
  }
  return "unknown";
}

void AppendQuotedString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\0': out->append("\\0"); break;
      default:
        if (c < 0x20 || c == 0x7f) {
          absl::StrAppendFormat(out, "\\u{%x}", c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

std::string EntityUid::ToString() const {
  std::string out(type.str());
  out.append("::");
  AppendQuotedString(id.str(), &out);
  return out;
}

Value Value::String(std::string s) {
  return Value(Data(std::in_place_index<2>, std::move(s)));
}

Value Value::Set(std::vector<Value> elements) {
  std::sort(elements.begin(), elements.end(),
            [](const Value& a, const Value& b) { return Compare(a, b) < 0; });
  elements.erase(std::unique(elements.begin(), elements.end()),
                 elements.end());
  return Value(Data(std::in_place_index<4>,
                    std::make_shared<const std::vector<Value>>(
                        std::move(elements))));
}

Value Value::Record(std::vector<std::pair<Symbol, Value>> fields) {
  // Stable sort so that, among equal keys, the last one given ends up last;
  // then keep the last of each run.
  std::stable_sort(fields.begin(), fields.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  RecordFields out;
  out.reserve(fields.size());
  for (auto& f : fields) {
    if (!out.empty() && out.back().first == f.first) {
      out.back().second = std::move(f.second);
    } else {
      out.push_back(std::move(f));
    }
  }
  return Value(
      Data(std::in_place_index<5>,
           std::make_shared<const internal::RecordRep>(std::move(out))));
}

Value Value::RecordFromSorted(RecordFields fields) {
  for (size_t i = 1; i < fields.size(); ++i) {
    if (!(fields[i - 1].first < fields[i].first)) {
      return Record(std::move(fields));
    }
  }
  return Value(
      Data(std::in_place_index<5>,
           std::make_shared<const internal::RecordRep>(std::move(fields))));
}

namespace internal {

RecordRep::RecordRep(RecordFields sorted) : fields(std::move(sorted)) {
  std::memset(slots, kAbsent, sizeof slots);
  // A slot a second key falls in is searched; so is any a key past the
  // positions' range falls in (the second loop, for huge records).
  const size_t n = std::min<size_t>(fields.size(), kSearch);
  for (size_t i = 0; i < n; ++i) {
    uint8_t& slot = slots[fields[i].first.id() & 63];
    slot = slot == kAbsent ? static_cast<uint8_t>(i) : kSearch;
  }
  for (size_t i = n; i < fields.size(); ++i) {
    slots[fields[i].first.id() & 63] = kSearch;
  }
}

}  // namespace internal

bool Value::SetContains(const Value& v) const {
  const std::vector<Value>& s = as_set();
  if (v.is(ValueKind::kString) && s.size() <= 8) {
    // A small set (allowed tools, labels): a scan with the word-wise
    // string equality, which beats the search's comparisons and branches.
    for (const Value& m : s) {
      if (m.is(ValueKind::kString) && StringsEqual(m, v)) return true;
    }
    return false;
  }
  if (v.is(ValueKind::kString)) {
    // The common case (tool names, labels) with one string comparison per
    // step instead of Compare's general dispatch. Compare orders by kind
    // first, then strings by std::string_view::compare, which this mirrors.
    const std::string_view key = v.as_string();
    size_t lo = 0, hi = s.size();
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      const Value& m = s[mid];
      int c = m.data_.index() < v.data_.index()   ? -1
              : m.data_.index() > v.data_.index() ? 1
                                                  : m.as_string().compare(key);
      if (c == 0) return true;
      if (c < 0) lo = mid + 1; else hi = mid;
    }
    return false;
  }
  auto it = std::lower_bound(
      s.begin(), s.end(), v,
      [](const Value& a, const Value& b) { return Compare(a, b) < 0; });
  return it != s.end() && Compare(*it, v) == 0;
}

int Value::Compare(const Value& a, const Value& b) {
  if (a.data_.index() != b.data_.index()) {
    return Cmp(a.data_.index(), b.data_.index());
  }
  switch (a.kind()) {
    case ValueKind::kBool: return Cmp(a.as_bool(), b.as_bool());
    case ValueKind::kLong: return Cmp(a.as_long(), b.as_long());
    case ValueKind::kString: return a.as_string().compare(b.as_string()) < 0
                                        ? -1
                                        : (a.as_string() == b.as_string() ? 0 : 1);
    case ValueKind::kEntity: return CompareUid(a.as_entity(), b.as_entity());
    case ValueKind::kSet: {
      const auto& x = a.as_set();
      const auto& y = b.as_set();
      if (&x == &y) return 0;
      if (x.size() != y.size()) return Cmp(x.size(), y.size());
      for (size_t i = 0; i < x.size(); ++i) {
        if (int c = Compare(x[i], y[i])) return c;
      }
      return 0;
    }
    case ValueKind::kRecord: {
      const auto& x = a.as_record();
      const auto& y = b.as_record();
      if (&x == &y) return 0;
      if (x.size() != y.size()) return Cmp(x.size(), y.size());
      for (size_t i = 0; i < x.size(); ++i) {
        if (int c = Cmp(x[i].first.id(), y[i].first.id())) return c;
        if (int c = Compare(x[i].second, y[i].second)) return c;
      }
      return 0;
    }
    case ValueKind::kIpAddr: {
      const IpAddr& x = a.as_ip();
      const IpAddr& y = b.as_ip();
      if (int c = Cmp(x.v6, y.v6)) return c;
      if (int c = Cmp(x.bytes, y.bytes)) return c;
      return Cmp(x.prefix, y.prefix);
    }
    case ValueKind::kDecimal: return Cmp(a.as_decimal().scaled, b.as_decimal().scaled);
    case ValueKind::kDatetime: return Cmp(a.as_datetime().ms, b.as_datetime().ms);
    case ValueKind::kDuration: return Cmp(a.as_duration().ms, b.as_duration().ms);
  }
  return 0;
}

namespace {

void AppendCedar(const Value& v, std::string* out) {
  switch (v.kind()) {
    case ValueKind::kBool: out->append(v.as_bool() ? "true" : "false"); return;
    case ValueKind::kLong: absl::StrAppend(out, v.as_long()); return;
    case ValueKind::kString: AppendQuotedString(v.as_string(), out); return;
    case ValueKind::kEntity: out->append(v.as_entity().ToString()); return;
    case ValueKind::kSet: {
      out->push_back('[');
      bool first = true;
      for (const Value& e : v.as_set()) {
        if (!first) out->append(", ");
        first = false;
        AppendCedar(e, out);
      }
      out->push_back(']');
      return;
    }
    case ValueKind::kRecord: {
      std::vector<const std::pair<Symbol, Value>*> fields;
      for (const auto& f : v.as_record()) fields.push_back(&f);
      std::sort(fields.begin(), fields.end(), [](auto* a, auto* b) {
        return a->first.str() < b->first.str();
      });
      out->push_back('{');
      bool first = true;
      for (const auto* f : fields) {
        if (!first) out->append(", ");
        first = false;
        AppendQuotedString(f->first.str(), out);
        out->append(": ");
        AppendCedar(f->second, out);
      }
      out->push_back('}');
      return;
    }
    case ValueKind::kIpAddr:
      out->append("ip(");
      AppendQuotedString(internal::FormatIpAddr(v.as_ip()), out);
      out->push_back(')');
      return;
    case ValueKind::kDecimal:
      out->append("decimal(");
      AppendQuotedString(internal::FormatDecimal(v.as_decimal()), out);
      out->push_back(')');
      return;
    case ValueKind::kDatetime: {
      std::string text = internal::FormatDatetime(v.as_datetime());
      if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
        // Outside years 0000-9999 no datetime literal exists; Cedar's own
        // canonical form is an offset from the epoch.
        absl::StrAppend(out, "datetime(\"1970-01-01\").offset(duration(\"",
                        v.as_datetime().ms, "ms\"))");
        return;
      }
      out->append("datetime(");
      AppendQuotedString(text, out);
      out->push_back(')');
      return;
    }
    case ValueKind::kDuration:
      out->append("duration(");
      AppendQuotedString(internal::FormatDuration(v.as_duration()), out);
      out->push_back(')');
      return;
  }
}

}  // namespace

std::string Value::ToCedar() const {
  std::string out;
  AppendCedar(*this, &out);
  return out;
}

}  // namespace arbiter
