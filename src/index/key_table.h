// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// KeyTable: a read-only open-addressing map from 64-bit keys to small
// values stored in the slots, for the scope index's probes.
//
// Why not absl::flat_hash_map: a request probes the index a dozen times
// (its three entities, each of their ancestors, their types), and most
// probes miss. Here a probe is one multiply, one shift and usually one
// 16-byte slot read; keys are already well-spread interned ids, so a
// Fibonacci hash suffices, and the table is built once and never changes.
// Most probes miss, so a bitmap of eight bits per key answers most of them
// from a few kilobytes that stay in the L1 cache, before the slots (which
// at ten thousand policies do not) are read. A hit's value is in the slot
// itself, so it costs no further cache miss.

#ifndef ARBITER_INDEX_KEY_TABLE_H_
#define ARBITER_INDEX_KEY_TABLE_H_

#include <cstdint>
#include <utility>
#include <vector>

namespace arbiter::internal {

template <typename V>
class KeyTable {
 public:
  // A key no caller may use: it marks empty slots.
  static constexpr uint64_t kEmpty = ~uint64_t{0};

  KeyTable() { Build({}); }

  // Builds the table from distinct keys (none equal to kEmpty) and their
  // values. The load factor stays at most one half.
  void Build(const std::vector<std::pair<uint64_t, V>>& entries) {
    int bits = 1;
    while ((size_t{1} << bits) < entries.size() * 2) ++bits;
    shift_ = 64 - bits;
    mask_ = (size_t{1} << bits) - 1;
    slots_.assign(mask_ + 1, Slot{kEmpty, V{}});
    // The filter has 4x as many bits as there are slots (at least 512).
    filter_shift_ = shift_ - 2;
    if (filter_shift_ > 64 - 9) filter_shift_ = 64 - 9;
    filter_.assign((size_t{1} << (64 - filter_shift_)) / 64, 0);
    for (const auto& [key, value] : entries) {
      const uint64_t f = FilterBit(key);
      filter_[f / 64] |= uint64_t{1} << (f % 64);
      size_t i = Home(key);
      while (slots_[i].key != kEmpty) i = (i + 1) & mask_;
      slots_[i] = Slot{key, value};
    }
  }

  // The value stored for `key`, or nullptr.
  const V* Find(uint64_t key) const {
    const uint64_t f = FilterBit(key);
    if ((filter_[f / 64] & (uint64_t{1} << (f % 64))) == 0) return nullptr;
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == key) return &s.value;
      if (s.key == kEmpty) return nullptr;
    }
  }

 private:
  struct Slot {
    uint64_t key;
    V value;
  };
  size_t Home(uint64_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_) & mask_;
  }

  uint64_t FilterBit(uint64_t key) const {
    return (key * 0x9E3779B97F4A7C15ull) >> filter_shift_;
  }

  std::vector<Slot> slots_;
  std::vector<uint64_t> filter_;
  int shift_ = 63;
  int filter_shift_ = 55;
  size_t mask_ = 1;
};

}  // namespace arbiter::internal

#endif  // ARBITER_INDEX_KEY_TABLE_H_
