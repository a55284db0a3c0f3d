// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// getrandom(2) without GRND_NONBLOCK: it blocks only until the kernel's pool
// is first initialised at boot, and after that never fails for requests of
// up to 256 bytes except on EINTR, which is retried.

#include "src/agent/random.h"

#include <sys/random.h>

#include <cerrno>

#include "absl/strings/str_cat.h"

namespace arbiter::internal {

absl::Status OsRandomBytes(void* out, size_t n) {
  auto* p = static_cast<unsigned char*>(out);
  while (n > 0) {
    const ssize_t got = getrandom(p, n, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(
          absl::StrCat("getrandom failed: errno ", errno));
    }
    p += got;
    n -= static_cast<size_t>(got);
  }
  return absl::OkStatus();
}

void AppendHex64(uint64_t v, std::string* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char buf[16];
  for (int i = 15; i >= 0; --i) {
    buf[i] = kDigits[v & 0xf];
    v >>= 4;
  }
  out->append(buf, 16);
}

}  // namespace arbiter::internal
