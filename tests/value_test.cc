// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// String values: up to StringRep::kInline bytes are stored in the Value
// itself, longer ones in a shared buffer. Both forms must behave the same
// everywhere (copies, moves, comparisons, set membership), at and around
// the boundary. Records: the key table built with the fields.

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "arbiter/value.h"

namespace arbiter {
namespace {

constexpr size_t kInline = internal::StringRep::kInline;

// A string of `n` bytes that differs from its neighbours in length and
// content, with a NUL inside to catch C-string handling.
std::string Text(size_t n, char fill = 'a') {
  std::string s(n, fill);
  if (n > 2) s[n / 2] = '\0';
  return s;
}

bool Inline(const Value& v) {
  const void* data = v.as_string().data();
  return data >= static_cast<const void*>(&v) &&
         data < static_cast<const void*>(&v + 1);
}

TEST_CASE("value: strings round-trip on both sides of the inline limit", "[value]") {
  for (size_t n : {size_t{0}, size_t{1}, kInline - 1, kInline, kInline + 1,
                   size_t{100}}) {
    INFO("length " << n);
    const std::string text = Text(n);
    const Value v = Value::String(text);
    CHECK(v.is(ValueKind::kString));
    CHECK(v.as_string() == text);
    CHECK(v.as_string().size() == n);
    CHECK(Inline(v) == (n <= kInline));

    Value copy = v;
    CHECK(copy.as_string() == text);
    CHECK(copy == v);
    // A long string's copy shares the buffer; a short one has its own bytes.
    CHECK((copy.as_string().data() == v.as_string().data()) == (n > kInline));

    Value moved = std::move(copy);
    CHECK(moved.as_string() == text);
    CHECK(moved == v);

    Value assigned = Value::String("something else entirely, and long enough");
    assigned = v;
    CHECK(assigned.as_string() == text);
    assigned = Value::String("x");
    CHECK(assigned.as_string() == "x");
    assigned = std::move(moved);
    CHECK(assigned.as_string() == text);
    assigned = assigned;  // self-assignment keeps the value
    CHECK(assigned.as_string() == text);
  }
}

TEST_CASE("value: strings compare by content, whatever their storage", "[value]") {
  const std::string short_text = Text(kInline, 'b');
  const std::string long_text = short_text + "c";  // one past the limit
  const Value s = Value::String(short_text);
  const Value l = Value::String(long_text);
  CHECK(s != l);
  CHECK(Value::Compare(s, l) < 0);  // a prefix orders first
  CHECK(Value::Compare(l, s) > 0);
  CHECK(Value::String(long_text) == l);
  CHECK(Value::String(short_text) == s);
  CHECK(Value::String("") == Value::String(std::string()));

  // Sets mix both forms and find each element, and nothing else.
  std::vector<Value> elements;
  for (size_t n = 0; n < 2 * kInline; ++n) elements.push_back(Value::String(Text(n, 'k')));
  const Value set = Value::Set(elements);
  for (size_t n = 0; n < 2 * kInline; ++n) {
    INFO("length " << n);
    CHECK(set.SetContains(Value::String(Text(n, 'k'))));
    if (n > 0) CHECK_FALSE(set.SetContains(Value::String(Text(n, 'j'))));
  }
  CHECK_FALSE(set.SetContains(Value::Long(3)));
}

TEST_CASE("value: string equality agrees with the contents, in every form", "[value]") {
  // StringsEqual compares short strings as three words (their padding and
  // length byte included), and falls back to the bytes for two long ones:
  // it must agree with the plain comparison of the contents for every pair
  // of lengths and storages, equal or not, including copies, moved-from
  // values and strings that differ only in a trailing NUL.
  std::vector<std::string> texts;
  for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{15},
                   size_t{16}, kInline - 1, kInline, kInline + 1, size_t{40}}) {
    texts.push_back(Text(n, 'q'));
    texts.push_back(Text(n, 'r'));
    texts.push_back(Text(n, 'q') + std::string(1, '\0'));
  }
  for (const std::string& x : texts) {
    for (const std::string& y : texts) {
      INFO("lengths " << x.size() << " and " << y.size());
      const Value a = Value::String(x);
      const Value b = Value::String(y);
      CHECK(Value::StringsEqual(a, b) == (x == y));
      CHECK((a == b) == (x == y));
    }
    // Two long strings with equal contents live in different buffers.
    const Value a = Value::String(x), b = Value::String(x);
    CHECK(Value::StringsEqual(a, b));
    Value copy = a;
    CHECK(Value::StringsEqual(copy, b));
    Value moved = std::move(copy);
    CHECK(Value::StringsEqual(moved, b));
  }

  // A long string's storage moved out of a value leaves the empty string.
  internal::StringRep from(Text(60));
  internal::StringRep to(std::move(from));
  CHECK(to.view() == Text(60));
  CHECK(from.view().empty());
  CHECK(internal::StringRep::Equal(from, internal::StringRep(std::string())));

  // Small sets (the scan) and large ones (the search) with other kinds
  // mixed in find exactly their strings.
  for (size_t strings : {size_t{0}, size_t{1}, size_t{6}, size_t{7}, size_t{28}}) {
    INFO(strings << " strings and two other elements");
    std::vector<Value> elements = {Value::Long(1), Value::Bool(true)};
    for (size_t i = 0; i < strings; ++i) elements.push_back(Value::String(Text(i * 3, 'm')));
    const Value set = Value::Set(elements);
    REQUIRE(set.as_set().size() == strings + 2);
    for (size_t i = 0; i < strings; ++i) {
      CHECK(set.SetContains(Value::String(Text(i * 3, 'm'))));
      CHECK_FALSE(set.SetContains(Value::String(Text(i * 3, 'm') + "x")));
    }
    CHECK_FALSE(set.SetContains(Value::String("absent")));
    CHECK(set.SetContains(Value::Long(1)));
  }
}

TEST_CASE("value: records keep string fields of both forms", "[value]") {
  const Symbol a = Symbol::Intern("a"), b = Symbol::Intern("b");
  Value r = Value::Record({{a, Value::String(Text(5))}, {b, Value::String(Text(50))}});
  const Value copy = r;
  r = Value();  // the copy alone holds the fields now
  CHECK(copy.FindField(a)->as_string() == Text(5));
  CHECK(copy.FindField(b)->as_string() == Text(50));
  CHECK(copy.ToCedar().find("aaaaaaaaaaaaaaaaaaaaaaaaa") != std::string::npos);
}

// The field named `key`, by a plain scan: what the key table must agree with.
const Value* ScanField(const RecordFields& fields, Symbol key) {
  for (const auto& [k, v] : fields) {
    if (k == key) return &v;
  }
  return nullptr;
}

TEST_CASE("value: a record's key table finds every field and no other",
          "[value]") {
  // Keys interned for this test, 400 of them: every slot of the 64 is
  // shared by several, and the larger records pass the 253 positions a
  // slot can name.
  std::vector<Symbol> keys;
  for (int i = 0; i < 400; ++i) {
    std::string name = "key_table_";
    name.append(std::to_string(i));
    keys.push_back(Symbol::Intern(name));
  }
  for (size_t size :
       {size_t{0}, size_t{1}, size_t{9}, size_t{64}, size_t{300}}) {
    // Every third key, from an offset, so that absent keys sit between.
    RecordFields fields;
    for (size_t i = 0; i < size; ++i) {
      fields.emplace_back(keys[(i * 3 + 1) % keys.size()],
                          Value::Long(static_cast<int64_t>(i)));
    }
    const Value unsorted = Value::Record(fields);
    RecordFields sorted = unsorted.as_record();
    const Value wrapped = Value::RecordFromSorted(sorted);
    // Out of order, with a key repeated: put in order, the last one wins.
    RecordFields shuffled(sorted.rbegin(), sorted.rend());
    if (!shuffled.empty()) {
      shuffled.emplace_back(shuffled.back().first, Value::Long(-1));
    }
    const Value fixed = Value::RecordFromSorted(shuffled);
    CAPTURE(size);
    REQUIRE(unsorted.as_record().size() == size);
    REQUIRE(wrapped.as_record().size() == size);
    REQUIRE(fixed.as_record().size() == size);
    for (const Value* r : {&unsorted, &wrapped, &fixed}) {
      const internal::RecordRep& rep = r->record_rep();
      // A slot is absent exactly when no key falls in it, and names a
      // position only when one key alone does and the position fits.
      for (int slot = 0; slot < 64; ++slot) {
        int in_slot = 0;
        size_t last = 0;
        for (size_t i = 0; i < rep.fields.size(); ++i) {
          if ((rep.fields[i].first.id() & 63) == static_cast<uint32_t>(slot)) {
            ++in_slot;
            last = i;
          }
        }
        CAPTURE(slot, in_slot);
        if (in_slot == 0) {
          CHECK(rep.slots[slot] == internal::RecordRep::kAbsent);
        } else if (in_slot == 1 && last < internal::RecordRep::kSearch) {
          CHECK(rep.slots[slot] == last);
        } else {
          CHECK(rep.slots[slot] == internal::RecordRep::kSearch);
        }
      }
      for (Symbol key : keys) {
        const Value* want = ScanField(rep.fields, key);
        const Value* got = r->FindField(key);
        CAPTURE(key.str());
        CHECK(got == want);
      }
    }
    // The repeated key's last value won.
    if (size > 0) {
      CHECK(fixed.FindField(shuffled.back().first)->as_long() == -1);
    }
  }
}

}  // namespace
}  // namespace arbiter
