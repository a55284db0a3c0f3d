// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The `ipaddr` extension type: parsing `ip("...")` literals, printing them,
// and the range predicates.
//
// Design note. The grammar is Cedar's, which is stricter than inet_pton:
// IPv4 octets are 1-3 decimal digits without leading zeros; IPv6 groups are
// 1-4 hex digits with at most one `::`, which must stand for at least one
// zero group; IPv4 embedded in IPv6 (`::ffff:1.2.3.4`) is rejected; a prefix
// is decimal without leading zeros, at most 32 (IPv4) or 128 (IPv6). The
// address keeps its host bits (`10.0.0.1/24` is not `10.0.0.0/24`), because
// Cedar's equality compares address and prefix as written. Every predicate
// is a range containment on 128-bit integers, which is also how Cedar's
// formal model states them, so IPv4 and IPv6 never contain each other.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/eval/ext/extensions.h"
#include "src/eval/ext/ip_range.h"

namespace arbiter::internal {

// Predicates used by the dispatcher in extensions.cc (extensions.h is the
// public face of this folder and stays minimal).
bool IpIsLoopback(const IpAddr& ip);
bool IpIsMulticast(const IpAddr& ip);

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ContainsTwice(std::string_view s, char c) {
  size_t first = s.find(c);
  return first != std::string_view::npos &&
         s.find(c, first + 1) != std::string_view::npos;
}

// One IPv4 octet: "0", or 1-3 digits not starting with '0', at most 255.
bool ParseOctet(std::string_view s, uint8_t* out) {
  if (s.empty() || s.size() > 3) return false;
  if (s[0] == '0' && s.size() > 1) return false;
  int v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  if (v > 255) return false;
  *out = static_cast<uint8_t>(v);
  return true;
}

bool ParseV4(std::string_view s, IpAddr* ip) {
  for (int i = 0; i < 4; ++i) {
    size_t dot = i < 3 ? s.find('.') : s.size();
    if (dot == std::string_view::npos) return false;
    if (!ParseOctet(s.substr(0, dot), &ip->bytes[i])) return false;
    s.remove_prefix(i < 3 ? dot + 1 : dot);
  }
  return s.empty();
}

// Colon-separated groups of 1-4 hex digits, appended to `groups` (which
// holds `*count` already); the empty string is no groups. Fixed storage, so
// that evaluating `ip("...")` does not allocate.
bool ParseGroups(std::string_view s, uint16_t (&groups)[8], int* count) {
  if (s.empty()) return true;
  while (true) {
    size_t colon = s.find(':');
    std::string_view g = s.substr(0, colon);
    if (g.empty() || g.size() > 4 || *count == 8) return false;
    unsigned v = 0;
    for (char c : g) {
      int h = HexValue(c);
      if (h < 0) return false;
      v = v * 16 + static_cast<unsigned>(h);
    }
    groups[(*count)++] = static_cast<uint16_t>(v);
    if (colon == std::string_view::npos) return true;
    s.remove_prefix(colon + 1);
  }
}

bool ParseV6(std::string_view s, IpAddr* ip) {
  uint16_t head[8] = {}, tail[8] = {};
  int n_head = 0, n_tail = 0;
  size_t gap = s.find("::");
  if (gap == std::string_view::npos) {
    if (!ParseGroups(s, head, &n_head) || n_head != 8) return false;
  } else {
    // A second `::` leaves an empty group in the tail, which ParseGroups
    // rejects. `::` must replace at least one group, hence `< 8`.
    if (!ParseGroups(s.substr(0, gap), head, &n_head) ||
        !ParseGroups(s.substr(gap + 2), tail, &n_tail) ||
        n_head + n_tail >= 8) {
      return false;
    }
    for (int i = 0; i < n_tail; ++i) head[8 - n_tail + i] = tail[i];
  }
  for (int i = 0; i < 8; ++i) {
    ip->bytes[2 * i] = static_cast<uint8_t>(head[i] >> 8);
    ip->bytes[2 * i + 1] = static_cast<uint8_t>(head[i] & 0xff);
  }
  ip->v6 = true;
  return true;
}

absl::StatusOr<uint8_t> ParsePrefix(std::string_view s, bool v6) {
  const size_t max_len = v6 ? 3 : 2;
  const int max = v6 ? 128 : 32;
  if (s.size() > max_len) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "error parsing prefix: string length %d is too large", s.size()));
  }
  if (s.empty()) {
    return absl::InvalidArgumentError(
        "error parsing prefix: the prefix is empty");
  }
  int v = 0;
  for (char c : s) {
    if (!IsDigit(c)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "error parsing prefix `%s`: encountered non-digit", s));
    }
    v = v * 10 + (c - '0');
  }
  if (s[0] == '0' && s.size() > 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("error parsing prefix `%s`: leading zero(s)", s));
  }
  if (v > max) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "error parsing prefix: %d is larger than the limit %d", v, max));
  }
  return static_cast<uint8_t>(v);
}

// The address as a 128-bit integer; IPv4 uses the low 32 bits.
absl::uint128 ToUint128(const IpAddr& ip) {
  absl::uint128 v = 0;
  int n = ip.v6 ? 16 : 4;
  for (int i = 0; i < n; ++i) v = (v << 8) | ip.bytes[i];
  return v;
}

struct Range {
  absl::uint128 lo, hi;
};

// The inclusive span of addresses `ip` denotes: host bits cleared for the
// low end and set for the high end.
Range RangeOf(const IpAddr& ip) {
  int width = (ip.v6 ? 128 : 32) - ip.prefix;
  absl::uint128 host =
      width >= 128 ? ~absl::uint128(0) : (absl::uint128(1) << width) - 1;
  absl::uint128 v = ToUint128(ip);
  return {v & ~host, v | host};
}

// The special-purpose blocks of RFC 6890 that the predicates test against.
constexpr IpAddr kLoopbackV4{{127}, 8, false};  // 127.0.0.0/8
constexpr IpAddr kLoopbackV6{
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, true};  // ::1/128
constexpr IpAddr kMulticastV4{{224}, 4, false};  // 224.0.0.0/4
constexpr IpAddr kMulticastV6{{0xff}, 8, true};  // ff00::/8

}  // namespace

absl::StatusOr<IpAddr> ParseIpAddr(std::string_view text) {
  // Checked first, on the whole string, so that `::ffff:1.2.3.4/120` gets
  // the specific message rather than a generic syntax error.
  if (ContainsTwice(text, ':') && ContainsTwice(text, '.')) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "error parsing IP address from string: IPv4 embedded in IPv6 (e.g., "
        "::ffff:127.0.0.1) is not accepted, found `%s`",
        text));
  }
  size_t slash = text.find('/');
  std::string_view addr = text.substr(0, slash);
  IpAddr ip;
  bool ok = addr.find(':') == std::string_view::npos ? ParseV4(addr, &ip)
                                                     : ParseV6(addr, &ip);
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrFormat("invalid IP address: `%s`", text));
  }
  if (slash == std::string_view::npos) {
    ip.prefix = ip.v6 ? 128 : 32;
  } else {
    absl::StatusOr<uint8_t> prefix = ParsePrefix(text.substr(slash + 1), ip.v6);
    if (!prefix.ok()) return prefix.status();
    ip.prefix = *prefix;
  }
  return ip;
}

std::string FormatIpAddr(const IpAddr& ip) {
  std::string out;
  if (!ip.v6) {
    absl::StrAppend(&out, ip.bytes[0], ".", ip.bytes[1], ".", ip.bytes[2], ".",
                    ip.bytes[3]);
  } else {
    uint16_t g[8];
    for (int i = 0; i < 8; ++i) {
      g[i] = static_cast<uint16_t>(ip.bytes[2 * i] << 8 | ip.bytes[2 * i + 1]);
    }
    // RFC 5952: compress the longest run of two or more zero groups (the
    // first one on a tie); single zero groups are written out.
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
      if (g[i] != 0) {
        ++i;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) ++j;
      if (j - i > best_len) best = i, best_len = j - i;
      i = j;
    }
    for (int i = 0; i < 8; ++i) {
      if (i == best) {
        out.append("::");
        i += best_len - 1;
        continue;
      }
      if (!out.empty() && out.back() != ':') out.push_back(':');
      absl::StrAppendFormat(&out, "%x", g[i]);
    }
  }
  if (ip.prefix != (ip.v6 ? 128 : 32)) absl::StrAppend(&out, "/", ip.prefix);
  return out;
}

bool IpIsInRangeV6(const IpAddr& ip, const IpAddr& range) {
  Range a = RangeOf(ip);
  Range b = RangeOf(range);
  return b.lo <= a.lo && a.hi <= b.hi;
}

bool IpIsLoopback(const IpAddr& ip) {
  return IpIsInRange(ip, ip.v6 ? kLoopbackV6 : kLoopbackV4);
}

bool IpIsMulticast(const IpAddr& ip) {
  return IpIsInRange(ip, ip.v6 ? kMulticastV6 : kMulticastV4);
}

}  // namespace arbiter::internal
