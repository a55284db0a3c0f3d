// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// getrandom(2) without GRND_NONBLOCK: it blocks only until the kernel's pool
// is first initialised at boot, and after that never fails for requests of
// up to 256 bytes except on EINTR, which is retried.

#include "src/agent/random.h"

#include <sys/random.h>

#include <cerrno>

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

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

void WriteHex64(uint64_t v, char* out) {
#if defined(__SSE2__) && defined(__x86_64__)
  // The guard writes a binary credential id's text on every call that
  // presents one (for checkers and the log): a dozen vector instructions
  // instead of a loop of sixteen table lookups. The top byte goes first;
  // each byte becomes its high nibble then its low one, and each nibble
  // '0' + n, plus the gap up to 'a' when above 9.
  const __m128i bytes = _mm_cvtsi64_si128(static_cast<long long>(__builtin_bswap64(v)));
  const __m128i mask = _mm_set1_epi8(0x0f);
  const __m128i high = _mm_and_si128(_mm_srli_epi16(bytes, 4), mask);
  const __m128i low = _mm_and_si128(bytes, mask);
  const __m128i nibbles = _mm_unpacklo_epi8(high, low);
  const __m128i above9 = _mm_cmpgt_epi8(nibbles, _mm_set1_epi8(9));
  const __m128i digits = _mm_add_epi8(
      _mm_add_epi8(nibbles, _mm_set1_epi8('0')),
      _mm_and_si128(above9, _mm_set1_epi8('a' - '0' - 10)));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), digits);
#else
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    out[i] = kDigits[v & 0xf];
    v >>= 4;
  }
#endif
}

void AppendHex64(uint64_t v, std::string* out) {
  char buf[16];
  WriteHex64(v, buf);
  out->append(buf, 16);
}

}  // namespace arbiter::internal
