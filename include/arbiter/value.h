// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// value.h: Cedar values.
//
// Overview
//   A Value is one of Cedar's types: Bool, Long, String, entity reference,
//   Set, Record, or one of the extension types ipaddr, decimal, datetime and
//   duration. Scalars (Bool, Long, entity references and all four extension
//   types) and strings of up to 23 bytes are stored inline, without heap
//   allocation; longer strings, Set and Record share an immutable heap
//   payload, so copying any Value is cheap.
//
//   arbiter::Value ctx = arbiter::Value::Record({
//       {arbiter::Symbol::Intern("authenticated"), arbiter::Value::Bool(true)},
//       {arbiter::Symbol::Intern("level"), arbiter::Value::Long(3)},
//   });
//
// Thread-safety
//   Values are immutable after construction and safe to share between threads.

#ifndef ARBITER_VALUE_H_
#define ARBITER_VALUE_H_

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "arbiter/symbol.h"

namespace arbiter {

// EntityUid
//
// An entity reference such as `Photos::Album::"trip"`: the fully qualified
// type name and the id, both interned, so equality and hashing are integer
// operations.
struct EntityUid {
  Symbol type;  // e.g. "Photos::Album"
  Symbol id;    // any string, e.g. "trip"

  static EntityUid Of(std::string_view type, std::string_view id) {
    return {Symbol::Intern(type), Symbol::Intern(id)};
  }

  // Cedar syntax: `Type::"id"`, with the id escaped as in a string literal.
  std::string ToString() const;

  friend bool operator==(const EntityUid&, const EntityUid&) = default;

  // One 64-bit word: hashing and comparing uids is on the decision path
  // (every `in`, every index probe). The two ids as they lie in memory, so
  // that this is a single load; which half holds which id depends on the
  // machine's byte order, so callers may only compare and hash it.
  uint64_t packed() const {
    static_assert(sizeof(Symbol) == 4, "EntityUid must be two 32-bit ids");
    uint64_t v;
    std::memcpy(&v, this, sizeof v);
    return v;
  }
  template <typename H>
  friend H AbslHashValue(H h, const EntityUid& u) {
    return H::combine(std::move(h), u.packed());
  }
};

static_assert(sizeof(EntityUid) == 8, "EntityUid::packed() reads the two ids at once");

// IpAddr: an IPv4 or IPv6 address with a prefix length (a CIDR range). An
// address written without a prefix has the full length (32 or 128).
struct IpAddr {
  std::array<uint8_t, 16> bytes{};  // IPv4 uses bytes[0..3], rest zero
  uint8_t prefix = 0;
  bool v6 = false;
  friend bool operator==(const IpAddr&, const IpAddr&) = default;
};

// Decimal: a fixed-point number with four fractional digits, stored as the
// value times 10^4 (so the range is that of int64 / 10^4).
struct Decimal {
  int64_t scaled = 0;
  friend bool operator==(const Decimal&, const Decimal&) = default;
};

// Datetime: milliseconds since the Unix epoch, UTC.
struct Datetime {
  int64_t ms = 0;
  friend bool operator==(const Datetime&, const Datetime&) = default;
};

// Duration: a signed number of milliseconds.
struct Duration {
  int64_t ms = 0;
  friend bool operator==(const Duration&, const Duration&) = default;
};

// The kind of a Value, in the order Cedar's type names list them.
enum class ValueKind : uint8_t {
  kBool,
  kLong,
  kString,
  kEntity,
  kSet,
  kRecord,
  kIpAddr,
  kDecimal,
  kDatetime,
  kDuration,
};

// Cedar's name for a kind, as used in error messages: "bool", "long",
// "string", "entity", "set", "record", "ipaddr", "decimal", "datetime",
// "duration".
std::string_view KindName(ValueKind kind);

class Value;

namespace internal {

struct RecordRep;

// The storage of a String value: strings of up to kInline bytes in place,
// longer ones in a shared immutable buffer. Policies mostly compare short
// strings (classifications, states, tool names), and reading those in place
// saves a cache miss per comparison; the 24 bytes fit in the space Value
// already has for its largest scalar, so Value does not grow.
class StringRep {
 public:
  static constexpr size_t kInline = 23;

  explicit StringRep(std::string s) {
    std::memset(raw_, 0, sizeof raw_);  // the padding Equal relies on
    if (s.size() <= kInline) {
      std::memcpy(raw_, s.data(), s.size());
      raw_[kInline] = static_cast<unsigned char>(s.size());
    } else {
      new (raw_) Heap(std::make_shared<const std::string>(std::move(s)));
      raw_[kInline] = kHeapTag;
    }
  }
  StringRep(const StringRep& o) {
    if (o.heap()) {
      std::memset(raw_, 0, sizeof raw_);
      new (raw_) Heap(o.heap_ptr());
      raw_[kInline] = kHeapTag;
    } else {
      std::memcpy(raw_, o.raw_, sizeof raw_);
    }
  }
  // Leaves `o` the empty string.
  StringRep(StringRep&& o) noexcept {
    if (o.heap()) {
      std::memset(raw_, 0, sizeof raw_);
      new (raw_) Heap(std::move(o.heap_ptr()));
      raw_[kInline] = kHeapTag;
      o.heap_ptr().~Heap();
      std::memset(o.raw_, 0, sizeof o.raw_);  // the empty string, padded
    } else {
      std::memcpy(raw_, o.raw_, sizeof raw_);
    }
  }
  StringRep& operator=(const StringRep& o) {
    if (this != &o) {
      this->~StringRep();
      new (this) StringRep(o);
    }
    return *this;
  }
  StringRep& operator=(StringRep&& o) noexcept {
    if (this != &o) {
      this->~StringRep();
      new (this) StringRep(std::move(o));
    }
    return *this;
  }
  ~StringRep() {
    if (heap()) heap_ptr().~Heap();
  }

  std::string_view view() const {
    if (heap()) return *heap_ptr();
    return {reinterpret_cast<const char*>(raw_), raw_[kInline]};
  }
  // Whether the bytes live in a shared buffer (which never moves).
  bool heap() const { return raw_[kInline] == kHeapTag; }

  // String equality. Short strings are zero-padded, with the length in
  // the last byte, so two of them are equal exactly when their 24 bytes
  // are: three word comparisons, no call and no loop (policies compare
  // short strings on every decision). A short and a long string always
  // differ (their last bytes do).
  static bool Equal(const StringRep& a, const StringRep& b) {
    uint64_t x[3], y[3];
    std::memcpy(x, a.raw_, sizeof x);
    std::memcpy(y, b.raw_, sizeof y);
    if (((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2])) == 0) return true;
    return a.heap() && b.heap() && a.view() == b.view();
  }

 private:
  using Heap = std::shared_ptr<const std::string>;
  static constexpr unsigned char kHeapTag = 0xFF;
  const Heap& heap_ptr() const {
    return *std::launder(reinterpret_cast<const Heap*>(raw_));
  }
  Heap& heap_ptr() { return *std::launder(reinterpret_cast<Heap*>(raw_)); }

  // Inline: the bytes, zeros, then the length in the last byte. Heap: a
  // Heap at the start, zeros, kHeapTag in the last byte.
  alignas(Heap) unsigned char raw_[kInline + 1];
};
static_assert(sizeof(StringRep) == 24);

}  // namespace internal

// The fields of a record, sorted by Symbol id with no duplicate keys.
// INVARIANT: strictly increasing `first`.
using RecordFields = std::vector<std::pair<Symbol, Value>>;

// Value
//
// A Cedar value. Construct with the named factories; inspect with kind() and
// the typed accessors (which require the matching kind).
class Value {
 public:
  Value() : data_(false) {}

  static Value Bool(bool b) { return Value(Data(std::in_place_index<0>, b)); }
  static Value Long(int64_t v) { return Value(Data(std::in_place_index<1>, v)); }
  static Value String(std::string s);
  static Value Entity(EntityUid uid) { return Value(Data(std::in_place_index<3>, uid)); }
  // Sorts and removes duplicates: Cedar sets have no order or repetition.
  static Value Set(std::vector<Value> elements);
  // Sorts by key; when a key repeats, the last field wins.
  static Value Record(std::vector<std::pair<Symbol, Value>> fields);
  // Takes fields already in key order (keys strictly increasing) without
  // sorting them: for a caller that keeps its fields sorted as it builds
  // them. Fields out of order, or with a key repeated, are put in order as
  // Record does.
  static Value RecordFromSorted(RecordFields fields);
  static Value Ip(const IpAddr& ip) { return Value(Data(std::in_place_index<6>, ip)); }
  static Value Dec(Decimal d) { return Value(Data(std::in_place_index<7>, d)); }
  static Value Time(Datetime t) { return Value(Data(std::in_place_index<8>, t)); }
  static Value Span(Duration d) { return Value(Data(std::in_place_index<9>, d)); }

  ValueKind kind() const { return static_cast<ValueKind>(data_.index()); }
  bool is(ValueKind k) const { return kind() == k; }

  bool as_bool() const { return std::get<0>(data_); }
  int64_t as_long() const { return std::get<1>(data_); }
  // Valid while this Value lives unchanged: a short string's bytes are
  // inside the Value itself (see internal::StringRep), so a view taken
  // from a temporary or a copy dies with it.
  std::string_view as_string() const { return std::get<2>(data_).view(); }
  const EntityUid& as_entity() const { return std::get<3>(data_); }
  // Sorted (by Value::Compare) and duplicate-free.
  const std::vector<Value>& as_set() const { return *std::get<4>(data_); }
  const RecordFields& as_record() const;  // (after internal::RecordRep)
  // A record's fields with their key table (see internal::RecordRep).
  const internal::RecordRep& record_rep() const { return *std::get<5>(data_); }
  const IpAddr& as_ip() const { return std::get<6>(data_); }
  Decimal as_decimal() const { return std::get<7>(data_); }
  Datetime as_datetime() const { return std::get<8>(data_); }
  Duration as_duration() const { return std::get<9>(data_); }

  // For two String values: whether they are equal (see StringRep::Equal).
  static bool StringsEqual(const Value& a, const Value& b) {
    return internal::StringRep::Equal(std::get<2>(a.data_), std::get<2>(b.data_));
  }

  // For a record: the field named `key`, or nullptr.
  const Value* FindField(Symbol key) const;

  // Set membership (binary search; sets are sorted).
  bool SetContains(const Value& v) const;

  // A total order over all values, used to keep sets canonical. It is an
  // internal order (kinds first, then contents), not Cedar's `<`.
  static int Compare(const Value& a, const Value& b);

  // Cedar equality: structural; values of different kinds are unequal.
  friend bool operator==(const Value& a, const Value& b) {
    return Compare(a, b) == 0;
  }

  // The value written as a Cedar expression, e.g. `[1, "a", User::"x"]` or
  // `ip("10.0.0.0/8")`; records list fields in name order.
  std::string ToCedar() const;

 private:
  using Data = std::variant<bool, int64_t, internal::StringRep, EntityUid,
                            std::shared_ptr<const std::vector<Value>>,
                            std::shared_ptr<const internal::RecordRep>, IpAddr,
                            Decimal, Datetime, Duration>;
  explicit Value(Data d) : data_(std::move(d)) {}
  Data data_;
};

namespace internal {

// A record's shared payload: its fields, and a table of where each is by
// its key's Symbol id mod 64, filled in once when the record is built.
// The evaluator reads the context's fields through the table, one load
// and one compare each; kept with the record, the table costs a decision
// nothing to build and lets it leave alone the fields it does not read (an
// embedding runtime's contexts are often not in the cache, and reading all
// their keys up front was a cache miss per line of fields).
struct RecordRep {
  // A slot holds a field's position, or one of these:
  static constexpr uint8_t kSearch = 0xfe;  // several keys, or a position
                                            // past 253: search the fields
  static constexpr uint8_t kAbsent = 0xff;  // no key falls here

  explicit RecordRep(RecordFields sorted);

  // The field named `key`, or nullptr.
  const Value* Find(Symbol key) const;

  uint8_t slots[64];
  RecordFields fields;
};

}  // namespace internal

// The field named `key` in sorted record fields, or nullptr. Inline, and a
// scan for the few fields records usually have: attribute and context
// lookups are on every decision's path.
inline const Value* FindRecordField(const RecordFields& fields, Symbol key) {
  const size_t n = fields.size();
  if (n <= 12) {
    // One comparison per field: the first key not below `key` is either
    // it or proof that it is absent (the keys are sorted).
    for (const auto *f = fields.data(), *end = f + n; f != end; ++f) {
      if (f->first.id() >= key.id()) return f->first == key ? &f->second : nullptr;
    }
    return nullptr;
  }
  size_t lo = 0, hi = n;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (fields[mid].first < key) lo = mid + 1; else hi = mid;
  }
  return lo < n && fields[lo].first == key ? &fields[lo].second : nullptr;
}

inline const Value* internal::RecordRep::Find(Symbol key) const {
  const uint8_t at = slots[key.id() & 63];
  if (at < kSearch) {
    return fields[at].first == key ? &fields[at].second : nullptr;
  }
  return at == kAbsent ? nullptr : FindRecordField(fields, key);
}

inline const RecordFields& Value::as_record() const {
  return record_rep().fields;
}

inline const Value* Value::FindField(Symbol key) const {
  return record_rep().Find(key);
}

// Appends `s` as a Cedar string literal (quoted, with escapes) to `out`.
void AppendQuotedString(std::string_view s, std::string* out);

}  // namespace arbiter

#endif  // ARBITER_VALUE_H_
