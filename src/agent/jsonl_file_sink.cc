// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// JsonlFileSink: a bounded lock-free ring of preallocated record cells
// (CompactRecord), many producers and one writer thread.
//
// Each cell carries a sequence number, the position it last held plus one,
// stored by the producer that filled it (release) and read by the writer
// (acquire) to see that the record at its head is complete. A producer
// claims position pos by advancing tail_ from pos to pos + 1 (CAS), which
// it may do only while fewer than `size` positions are outstanding: the
// writer publishes its progress in freed_, every free_batch_ records and
// whenever it has caught up or writes a chunk. Producers keep a copy of
// that in head_seen_ and read freed_ itself only when the copy says the
// queue may be full or half full, so in the common case a producer reads
// no line the writer writes: one CAS on tail_ (shared only with other
// producers), the copy and one store. (The bounded queue of Dmitry
// Vyukov's write-ups, which this replaced, had the writer hand each cell
// back by storing to it, and every producer then began with a cache miss
// on a line the other core had just written: in a paced loop that was
// about half of what the sink added to a call.) A producer that finds the
// queue full drops its record; while it stays full each producer looks at
// freed_ again, which misses the cache only once per free_batch_ records.
//
// The writer polls: while records keep coming it wakes every kBusyPoll;
// after a wake that finds nothing it doubles its sleep, up to
// flush_interval. A producer wakes it only when the queue reaches half its
// capacity, which happens only when a burst arrives while the writer sleeps
// long. Waking a sleeping thread is a futex system call, and on the
// project's VMs an interrupt to the other vCPU: about 30 us measured, paid
// by the deciding thread. (The previous sink took a mutex per record, which
// the writer also took, and woke the writer every 2,048 records: in a paced
// loop of Log calls, 145 calls a second stalled for 40 us on average and up
// to 1.9 ms, asleep on the mutex or waking the writer; mean 80 ns a call.
// This one: about 35 stalls a second of 30 us on average, at most 65 us;
// mean 58 ns, of which 30 ns is the loop's timer.)
//
// Close sets kClosedBit in tail_, so no position is claimed afterwards; the
// writer then drains every claimed position (a producer that claimed one is
// at most a copy away from publishing it) and exits. dropped + written +
// failed therefore accounts for every Log call once Close returns.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
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
        cells_(std::bit_ceil(options.queue_capacity)),
        mask_(cells_.size() - 1),
        wake_at_(std::max<uint64_t>(1, cells_.size() / 2)),
        free_batch_(std::clamp<uint64_t>(cells_.size() / 4, 1, kFreeBatch)) {
    writer_ = std::thread([this] { Run(); });
  }

  ~Impl() { (void)Close(); }

  void Push(const DecisionRecord& record) {
    uint64_t pos = tail_.load(std::memory_order_relaxed);
    for (;;) {
      if ((pos & kClosedBit) != 0) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      // Cell pos mod size is free once the writer is done with position
      // pos - size, i.e. while fewer than size positions are outstanding.
      if (pos - head_seen_.load(std::memory_order_acquire) >= cells_.size() &&
          pos - RefreshHead() >= cells_.size()) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        RequestWake();
        return;
      }
      if (tail_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
      // pos now holds the current tail: try again there.
    }
    Cell& cell = cells_[pos & mask_];
    cell.record.Assign(record);
    cell.seq.store(pos + 1, std::memory_order_release);
    if (pos - head_seen_.load(std::memory_order_relaxed) >= wake_at_ &&
        pos - RefreshHead() >= wake_at_) {
      RequestWake();
    }
  }

  void Flush() {
    std::unique_lock<std::mutex> lock(mu_);
    // Every position claimed so far is out once written_ + failed_ reach it
    // (drops claim no position).
    const uint64_t target = tail_.load(std::memory_order_acquire) & ~kClosedBit;
    ++flush_waiters_;
    wake_.notify_one();
    // Acquire, paired with the writer's release: a Flush that returns has
    // also seen the cells freed before those records were counted, so the
    // next Log finds room (see freed_).
    drained_.wait(lock, [&] {
      return written_.load(std::memory_order_acquire) +
                     failed_.load(std::memory_order_acquire) >=
                 target ||
             stopped_;
    });
    --flush_waiters_;
  }

  absl::Status Close() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!closing_) {
        closing_ = true;
        tail_.fetch_or(kClosedBit, std::memory_order_acq_rel);
      }
    }
    wake_.notify_one();
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
  uint64_t failed() const { return failed_.load(std::memory_order_relaxed); }

 private:
  static constexpr uint64_t kClosedBit = uint64_t{1} << 63;
  // At most this many records between two stores to freed_ (see the top
  // of the file); a quarter of the queue for small queues.
  static constexpr uint64_t kFreeBatch = 64;
  static constexpr size_t kChunkBytes = 64 * 1024;
  // The writer's sleep while records keep coming: at a million records a
  // second, a thousand per wake, well below the default capacity.
  static constexpr std::chrono::milliseconds kBusyPoll{1};

  // A cell on its own cache lines, so producers filling neighbouring cells
  // do not write to each other's lines.
  struct alignas(64) Cell {
    std::atomic<uint64_t> seq{0};
    internal::CompactRecord record;
  };

  // The writer's progress (every position below it is free), also left in
  // head_seen_ for the other producers. head_seen_ only ever moves up to a
  // value freed_ had, so a stale copy costs a refresh, never a cell the
  // writer still reads. Acquire and release carry the writer's "done with
  // this cell" through head_seen_ to a producer that only reads the copy.
  uint64_t RefreshHead() {
    const uint64_t head = freed_.load(std::memory_order_acquire);
    uint64_t seen = head_seen_.load(std::memory_order_relaxed);
    while (seen < head &&
           !head_seen_.compare_exchange_weak(seen, head, std::memory_order_release,
                                             std::memory_order_relaxed)) {
    }
    return head;
  }

  // A producer's wake-up: rare (see the top of the file). The flag is the
  // writer's wait condition; taking the mutex between setting it and
  // notifying means the writer is either before its check (and sees the
  // flag) or waiting (and gets the notification).
  void RequestWake() {
    if (wake_pending_.load(std::memory_order_relaxed) ||
        wake_pending_.exchange(true, std::memory_order_relaxed)) {
      return;
    }
    { std::lock_guard<std::mutex> lock(mu_); }
    wake_.notify_one();
  }

  void Run() {
    const std::chrono::milliseconds busy = std::min(kBusyPoll, interval_);
    std::chrono::milliseconds sleep = interval_;
    bool closing = false;
    while (!closing) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait_for(lock, sleep, [&] {
          return closing_ || flush_waiters_ > 0 ||
                 wake_pending_.load(std::memory_order_relaxed);
        });
        wake_pending_.store(false, std::memory_order_relaxed);
        closing = closing_;
      }
      if (closing) {
        // No position is claimed after the closed bit; the claimed ones
        // are each a copy away from being published.
        const uint64_t end = tail_.load(std::memory_order_acquire) & ~kClosedBit;
        while (head_ < end) {
          if (Drain() == 0) std::this_thread::yield();
        }
        break;
      }
      sleep = Drain() > 0 ? busy : std::min(interval_, std::max(busy, sleep * 2));
    }
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    drained_.notify_all();
  }

  // Formats and writes every published record from head_ on, a chunk at a
  // time (the text buffer stays a few tens of kilobytes: a whole queue's
  // worth would push the deciding threads' data out of the shared cache).
  // Each cell is freed as soon as its record is formatted. Returns how many
  // records it took from the queue (written or failed).
  size_t Drain() {
    size_t total = 0, pending = 0;
    for (;;) {
      Cell& cell = cells_[head_ & mask_];
      const bool ready = cell.seq.load(std::memory_order_acquire) == head_ + 1;
      if (ready) {
        const DecisionRecord view = cell.record.View(&policies_, &errors_);
        internal::AppendDecisionJson(view, &buf_);
        buf_.push_back('\n');
        ++head_;
        // The cell is free for the next lap (its record is in buf_). Told
        // in batches: a producer that finds the queue full reads freed_,
        // and each store here costs such a producer a cache miss.
        if (head_ % free_batch_ == 0) freed_.store(head_, std::memory_order_release);
        ++pending;
      }
      if (pending > 0 && (!ready || buf_.size() >= kChunkBytes)) {
        // Caught up, or a chunk's worth: every formatted cell is free.
        freed_.store(head_, std::memory_order_release);
        // A chunk that met a write error counts as failed as a whole (some
        // of its lines may have reached the file): an audit must not read
        // written() as "in the file" when it is not.
        (WriteAll(buf_) ? written_ : failed_)
            .fetch_add(pending, std::memory_order_release);
        buf_.clear();
        total += pending;
        pending = 0;
        std::lock_guard<std::mutex> lock(mu_);
        if (flush_waiters_ > 0) drained_.notify_all();
      }
      if (!ready) return total;
    }
  }

  // Called by the writer only; error_ is read by Close after the join.
  // Whether all of `data` was written.
  bool WriteAll(std::string_view data) {
    while (!data.empty()) {
      if (fd_ < 0) return false;
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        if (error_.ok()) {
          error_ = absl::InternalError(absl::StrCat(
              "writing the decision log: ", std::strerror(errno)));
        }
        return false;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  int fd_;
  const std::chrono::milliseconds interval_;
  std::vector<Cell> cells_;
  const uint64_t mask_;
  const uint64_t wake_at_;
  const uint64_t free_batch_;  // a power of two, at most kFreeBatch
  absl::Status error_;  // written by the writer thread, read after join

  // Producers' side: claimed positions, plus kClosedBit once closing.
  alignas(64) std::atomic<uint64_t> tail_{0};
  std::atomic<uint64_t> dropped_{0};
  // The producers' copy of freed_ (see RefreshHead).
  std::atomic<uint64_t> head_seen_{0};
  // Writer's side: positions below freed_ are free (their records
  // formatted); producers read it only as Push says.
  alignas(64) std::atomic<uint64_t> freed_{0};
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> failed_{0};
  // Set by a producer that wants the writer up, cleared by the writer. On
  // its own line: producers that find the queue full check it, and must not
  // fetch the line the writer updates per record to do so.
  alignas(64) std::atomic<bool> wake_pending_{false};
  // The writer's own state.
  uint64_t head_ = 0;
  std::string buf_;
  std::vector<std::string_view> policies_;
  std::vector<PolicyError> errors_;

  std::mutex mu_;
  std::condition_variable wake_;     // the writer waits here
  std::condition_variable drained_;  // Flush waits here
  int flush_waiters_ = 0;            // guarded by mu_
  bool closing_ = false;             // guarded by mu_
  bool stopped_ = false;             // guarded by mu_

  std::mutex join_mu_;
  std::thread writer_;
};

absl::StatusOr<std::unique_ptr<JsonlFileSink>> JsonlFileSink::Open(
    const std::string& path, const JsonlFileSinkOptions& options) {
  if (options.queue_capacity == 0) {
    return absl::InvalidArgumentError("decision log: queue capacity is zero");
  }
  if (options.queue_capacity > JsonlFileSinkOptions::kMaxQueueCapacity) {
    return absl::InvalidArgumentError(absl::StrCat(
        "decision log: queue capacity ", options.queue_capacity, " is above ",
        JsonlFileSinkOptions::kMaxQueueCapacity));
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
uint64_t JsonlFileSink::failed() const { return impl_->failed(); }

}  // namespace arbiter
