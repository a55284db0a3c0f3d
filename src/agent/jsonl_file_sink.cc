// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// JsonlFileSink: a ring of preallocated fixed-size record slots
// (CompactRecord) under one mutex.
//
// A producer takes the lock only to copy its record into the slot after the
// last filled one (scalars, interned uids and a few short strings; nothing
// is formatted or allocated on its side); it never waits for the writer or
// the disk. The writer
// takes the lock to learn how many slots are filled, releases it, formats
// and writes those slots, then takes it again to free them.
// INVARIANT: slots [head_, head_ + count_) (mod capacity) are filled; the
// writer reads only slots it counted while holding the lock, and producers
// write only at head_ + count_, so the two never touch the same slot.
//
// Producers wake the writer only when the queue reaches a quarter of its
// capacity; otherwise the writer wakes on its own every flush_interval. A
// notify per record would cost a futex system call per decision whenever
// the writer sleeps.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"
#include "arbiter/decision_log.h"
#include "src/agent/compact_record.h"
#include "src/agent/record_json.h"

namespace arbiter {

class JsonlFileSink::Impl {
 public:
  Impl(int fd, const JsonlFileSinkOptions& options)
      : fd_(fd),
        interval_(options.flush_interval),
        slots_(options.queue_capacity),
        wake_at_(std::max<size_t>(1, options.queue_capacity / 4)) {
    writer_ = std::thread([this] { Run(); });
  }

  ~Impl() { (void)Close(); }

  void Push(const DecisionRecord& record) {
    bool wake;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_ || count_ == slots_.size()) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      slots_[(head_ + count_) % slots_.size()].Assign(record);
      ++count_;
      wake = count_ == wake_at_;
    }
    if (wake) wake_.notify_one();
  }

  void Flush() {
    std::unique_lock<std::mutex> lock(mu_);
    // Everything queued so far is written once this many more have been.
    const uint64_t target = written_.load(std::memory_order_relaxed) + count_;
    ++flush_waiters_;
    wake_.notify_one();
    drained_.wait(lock, [&] {
      return written_.load(std::memory_order_relaxed) >= target || stopped_;
    });
    --flush_waiters_;
  }

  absl::Status Close() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!closed_) {
        closed_ = true;
        wake_.notify_one();
      }
    }
    // Only one closer joins; others wait for it through join's own ordering.
    std::lock_guard<std::mutex> join_lock(join_mu_);
    if (writer_.joinable()) writer_.join();
    if (fd_ >= 0) {
      if (::close(fd_) != 0 && error_.ok()) {
        error_ = absl::InternalError(
            absl::StrCat("closing the decision log: ", std::strerror(errno)));
      }
      fd_ = -1;
    }
    return error_;
  }

  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  uint64_t written() const { return written_.load(std::memory_order_relaxed); }

 private:
  void Run() {
    std::string buf;
    std::vector<std::string_view> policies;
    std::vector<PolicyError> errors;
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      wake_.wait_for(lock, interval_, [&] {
        return closed_ || (count_ > 0 && (flush_waiters_ > 0 || count_ >= wake_at_));
      });
      const size_t n = count_;
      const size_t head = head_;
      if (n == 0) {
        if (closed_) break;
        continue;
      }
      lock.unlock();
      // Written a chunk at a time, each chunk's slots freed as soon as it
      // is out: the text buffer stays a few tens of kilobytes (a whole
      // queue's worth, megabytes, would push the deciding threads' data
      // out of the shared cache), and producers get slots back sooner.
      size_t done = 0;
      for (size_t i = 0; i < n; ++i) {
        const DecisionRecord view =
            slots_[(head + i) % slots_.size()].View(&policies, &errors);
        internal::AppendDecisionJson(view, &buf);
        buf.push_back('\n');
        if (buf.size() < kChunkBytes && i + 1 < n) continue;
        WriteAll(buf);
        buf.clear();
        const size_t freed = i + 1 - done;
        done = i + 1;
        lock.lock();
        head_ = (head_ + freed) % slots_.size();
        count_ -= freed;
        written_.fetch_add(freed, std::memory_order_relaxed);
        drained_.notify_all();
        lock.unlock();
      }
      lock.lock();
    }
    stopped_ = true;
    drained_.notify_all();
  }

  // Called by the writer only; error_ is read by Close after the join.
  void WriteAll(std::string_view data) {
    while (!data.empty() && fd_ >= 0) {
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        if (error_.ok()) {
          error_ = absl::InternalError(absl::StrCat(
              "writing the decision log: ", std::strerror(errno)));
        }
        return;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
  }

  static constexpr size_t kChunkBytes = 64 * 1024;

  int fd_;
  const std::chrono::milliseconds interval_;
  std::vector<internal::CompactRecord> slots_;
  const size_t wake_at_;
  absl::Status error_;  // written by the writer thread, read after join

  std::mutex mu_;
  std::condition_variable wake_;     // the writer waits here
  std::condition_variable drained_;  // Flush waits here
  size_t head_ = 0;                  // guarded by mu_
  size_t count_ = 0;                 // guarded by mu_
  int flush_waiters_ = 0;            // guarded by mu_
  bool closed_ = false;              // guarded by mu_
  bool stopped_ = false;             // guarded by mu_
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> written_{0};

  std::mutex join_mu_;
  std::thread writer_;
};

absl::StatusOr<std::unique_ptr<JsonlFileSink>> JsonlFileSink::Open(
    const std::string& path, const JsonlFileSinkOptions& options) {
  if (options.queue_capacity == 0) {
    return absl::InvalidArgumentError("decision log: queue capacity is zero");
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::NotFoundError(absl::StrCat("cannot open decision log `", path,
                                            "`: ", std::strerror(errno)));
  }
  return std::unique_ptr<JsonlFileSink>(
      new JsonlFileSink(std::make_unique<Impl>(fd, options)));
}

JsonlFileSink::JsonlFileSink(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonlFileSink::~JsonlFileSink() = default;

void JsonlFileSink::Log(const DecisionRecord& record) { impl_->Push(record); }
void JsonlFileSink::Flush() { impl_->Flush(); }
absl::Status JsonlFileSink::Close() { return impl_->Close(); }
uint64_t JsonlFileSink::dropped() const { return impl_->dropped(); }
uint64_t JsonlFileSink::written() const { return impl_->written(); }

}  // namespace arbiter
