// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The optional file watcher: polls modification times rather than using
// inotify, because it must also notice files replaced by rename (how editors
// and deploy tools write), works the same on every file system (network and
// container mounts included), and costs a few stat calls per interval. The
// folders holding the files are polled too, so a new file that a glob in the
// bundle would match triggers a reload. A failed reload is reported once
// and not retried until something changes again.

#include <sys/stat.h>

#include <set>
#include <string>
#include <vector>

#include "arbiter/bundle_manager.h"

namespace arbiter {
namespace {

// Everything whose change should trigger a reload, as one comparable list.
std::vector<int64_t> Fingerprint(const std::vector<std::string>& files) {
  std::set<std::string> dirs;
  std::vector<int64_t> out;
  auto add = [&out](const std::string& path) {
    struct stat st{};
    if (stat(path.c_str(), &st) != 0) {
      out.insert(out.end(), {-1, -1, -1});
      return;
    }
    out.push_back(static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 +
                  st.st_mtim.tv_nsec);
    out.push_back(static_cast<int64_t>(st.st_size));
    out.push_back(static_cast<int64_t>(st.st_ino));
  };
  for (const std::string& f : files) {
    add(f);
    const size_t slash = f.rfind('/');
    dirs.insert(slash == std::string::npos ? "." : f.substr(0, slash + 1));
  }
  for (const std::string& d : dirs) add(d);
  return out;
}

}  // namespace

void BundleManager::Watch() {
  std::vector<int64_t> seen = Fingerprint(current()->files());
  std::unique_lock<std::mutex> lock(watch_mu_);
  watch_ready_ = true;
  watch_cv_.notify_all();
  while (!stop_) {
    watch_cv_.wait_for(lock, options_.poll_interval);
    if (stop_) break;
    lock.unlock();
    // The files of the bundle in use: a reload may add or drop files.
    std::vector<int64_t> now = Fingerprint(current()->files());
    if (now != seen) {
      absl::Status s = Reload();
      // The state before the load: a change made while it ran is seen at
      // the next poll. (When the reload changed the list of files, that
      // poll reloads once more, needlessly but harmlessly.)
      seen = now;
      if (options_.on_reload) options_.on_reload(s);
    }
    lock.lock();
  }
}

}  // namespace arbiter
