// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The symbol table. Interning takes a lock (it happens at parse and load
// time); str() does not: names live in fixed-size chunks that are never moved
// or freed, and a chunk pointer is published with release ordering before any
// Symbol inside it can be handed out.

#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "arbiter/symbol.h"

namespace arbiter {
namespace {

constexpr uint32_t kChunkBits = 14;
constexpr uint32_t kChunkSize = 1u << kChunkBits;
// 2^29 symbols: the scope index files keys with two tag bits above a
// packed uid's high id (src/index/policy_index.h), so ids stay below 2^29.
constexpr uint32_t kMaxChunks = 1u << 15;

class Table {
 public:
  Table() {
    for (auto& c : chunks_) c.store(nullptr, std::memory_order_relaxed);
    Insert("");  // Symbol() is the empty string
  }

  uint32_t Intern(std::string_view text) {
    {
      std::shared_lock<std::shared_mutex> lock(mu_);
      auto it = index_.find(text);
      if (it != index_.end()) return it->second;
    }
    std::unique_lock<std::shared_mutex> lock(mu_);
    auto it = index_.find(text);
    if (it != index_.end()) return it->second;
    return Insert(text);
  }

  bool Find(std::string_view text, uint32_t* id) {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = index_.find(text);
    if (it == index_.end()) return false;
    *id = it->second;
    return true;
  }

  std::string_view Get(uint32_t id) const {
    const std::string_view* chunk =
        chunks_[id >> kChunkBits].load(std::memory_order_acquire);
    return chunk[id & (kChunkSize - 1)];
  }

 private:
  // Requires mu_ held exclusively (or construction).
  uint32_t Insert(std::string_view text) {
    const uint32_t id = size_;
    const uint32_t c = id >> kChunkBits;
    if (c >= kMaxChunks) std::abort();  // 2^29 distinct names: out of memory anyway
    std::string_view* chunk = chunks_[c].load(std::memory_order_relaxed);
    if (chunk == nullptr) {
      chunk = new std::string_view[kChunkSize];
    }
    // The text is copied into storage that is never freed, so views stay valid.
    char* copy = new char[text.size() + 1];
    text.copy(copy, text.size());
    copy[text.size()] = '\0';
    chunk[id & (kChunkSize - 1)] = std::string_view(copy, text.size());
    chunks_[c].store(chunk, std::memory_order_release);
    index_.emplace(chunk[id & (kChunkSize - 1)], id);
    ++size_;
    return id;
  }

  // std::shared_mutex rather than absl::Mutex: ThreadSanitizer understands
  // it without an instrumented Abseil, and names are interned on decision
  // threads too (a policy bundle's tool first seen at run time).
  std::shared_mutex mu_;
  absl::flat_hash_map<std::string_view, uint32_t> index_;
  uint32_t size_ = 0;
  std::atomic<std::string_view*> chunks_[kMaxChunks];
};

Table& GlobalTable() {
  // Leaked on purpose: Symbols may be used during static destruction.
  static Table* table = new Table;
  return *table;
}

}  // namespace

Symbol Symbol::Intern(std::string_view text) {
  return Symbol(GlobalTable().Intern(text));
}

Symbol Symbol::Find(std::string_view text, bool* found) {
  uint32_t id = 0;
  *found = GlobalTable().Find(text, &id);
  return Symbol(*found ? id : 0);
}

std::string_view Symbol::str() const { return GlobalTable().Get(id_); }

}  // namespace arbiter
