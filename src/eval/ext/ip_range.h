// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// `isInRange`, shared by the extension dispatcher (extensions.cc), the
// other range predicates (ipaddr.cc) and the condition machine
// (program_run.cc). Policies test a request's address against a range or
// two on nearly every decision, and nearly always IPv4: that case is a few
// inline 32-bit operations; IPv6 is the 128-bit containment, out of line.

#ifndef ARBITER_EVAL_EXT_IP_RANGE_H_
#define ARBITER_EVAL_EXT_IP_RANGE_H_

#include <cstdint>

#include "arbiter/value.h"

namespace arbiter::internal {

// Both IPv6 (ipaddr.cc).
bool IpIsInRangeV6(const IpAddr& ip, const IpAddr& range);

// Whether every address of `ip` (an address, or a range when it has a
// prefix) lies in `range`. IPv4 and IPv6 never contain each other.
inline bool IpIsInRange(const IpAddr& ip, const IpAddr& range) {
  if (ip.v6 || range.v6) return ip.v6 && range.v6 && IpIsInRangeV6(ip, range);
  // An IPv4 address's lowest and highest addresses under its prefix
  // (prefix at most 32, checked when it was parsed).
  auto value = [](const IpAddr& x) {
    return (uint32_t{x.bytes[0]} << 24) | (uint32_t{x.bytes[1]} << 16) |
           (uint32_t{x.bytes[2]} << 8) | x.bytes[3];
  };
  // The host bits: 32 - prefix low ones (a 64-bit shift, so that prefix
  // 0 needs no branch: 1 << 32 is defined there).
  auto host = [](const IpAddr& x) {
    return static_cast<uint32_t>((uint64_t{1} << (32 - x.prefix)) - 1);
  };
  const uint32_t a = value(ip), ha = host(ip);
  const uint32_t b = value(range), hb = host(range);
  return (b & ~hb) <= (a & ~ha) && (a | ha) <= (b | hb);
}

}  // namespace arbiter::internal

#endif  // ARBITER_EVAL_EXT_IP_RANGE_H_
