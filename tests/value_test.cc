// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// String values: up to StringRep::kInline bytes are stored in the Value
// itself, longer ones in a shared buffer. Both forms must behave the same
// everywhere (copies, moves, comparisons, set membership), at and around
// the boundary.

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

}  // namespace
}  // namespace arbiter
