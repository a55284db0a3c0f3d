// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The ipaddr extension: literal grammar, printing, predicates, and calls
// through CallExtension. Expected behavior follows the reference Cedar 4.x
// (cedar-policy-core's ipaddr extension and the Lean model).

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "src/eval/ext/extensions.h"
#include "src/eval/ext/ip_range.h"

namespace arbiter::internal {
namespace {

IpAddr Ip(std::string_view text) {
  absl::StatusOr<IpAddr> r = ParseIpAddr(text);
  INFO(text);
  REQUIRE(r.ok());
  return *r;
}

Value IpValue(std::string_view text) { return Value::Ip(Ip(text)); }

absl::StatusOr<Value> Call(ExtFn fn, std::vector<Value> args) {
  return CallExtension(fn, args);
}

bool CallBool(ExtFn fn, std::vector<Value> args) {
  absl::StatusOr<Value> r = Call(fn, std::move(args));
  REQUIRE(r.ok());
  REQUIRE(r->is(ValueKind::kBool));
  return r->as_bool();
}

bool Loopback(std::string_view s) {
  return CallBool(ExtFn::kIsLoopback, {IpValue(s)});
}
bool Multicast(std::string_view s) {
  return CallBool(ExtFn::kIsMulticast, {IpValue(s)});
}
bool InRange(std::string_view a, std::string_view b) {
  return CallBool(ExtFn::kIsInRange, {IpValue(a), IpValue(b)});
}

std::string ErrorOf(std::string_view text) {
  absl::StatusOr<IpAddr> r = ParseIpAddr(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

TEST_CASE("ipaddr: IPv4 literals", "[ext][ipaddr]") {
  IpAddr a = Ip("192.168.1.20");
  CHECK_FALSE(a.v6);
  CHECK(a.prefix == 32);
  CHECK(a.bytes[0] == 192);
  CHECK(a.bytes[1] == 168);
  CHECK(a.bytes[2] == 1);
  CHECK(a.bytes[3] == 20);
  for (int i = 4; i < 16; ++i) CHECK(a.bytes[i] == 0);

  CHECK(Ip("0.0.0.0").prefix == 32);
  CHECK(Ip("255.255.255.255").bytes[3] == 255);
  CHECK(Ip("10.0.0.0/8").prefix == 8);
  CHECK(Ip("10.0.0.0/0").prefix == 0);
  CHECK(Ip("10.0.0.1/32").prefix == 32);
  // Host bits are kept as written.
  CHECK(Ip("10.0.0.1/24").bytes[3] == 1);
}

TEST_CASE("ipaddr: rejected IPv4 literals", "[ext][ipaddr]") {
  for (std::string_view s : {"",
                             "256.0.0.1",
                             "1.2.3",
                             "1.2.3.4.5",
                             "1..2.3",
                             "01.2.3.4",
                             "1.2.3.04",
                             "1.2.3.00",
                             "0x1.2.3.4",
                             "1.2.3.4%eth0",
                             " 1.2.3.4",
                             "1.2.3.4 ",
                             "+1.2.3.4",
                             "1.2.3.-4",
                             "1.2.3.4/",
                             "1.2.3.4/33",
                             "1.2.3.4/08",
                             "1.2.3.4/00",
                             "1.2.3.4/-1",
                             "1.2.3.4/3a",
                             "1.2.3.4/100",
                             "1.2.3.4/1/2",
                             "1.2.3.4/ 8",
                             "1234.2.3.4",
                             "1.2.3.4.",
                             ".1.2.3.4",
                             "localhost",
                             "1.2.3.\xd9\xa1"}) {
    INFO(s);
    CHECK_FALSE(ParseIpAddr(s).ok());
  }
}

TEST_CASE("ipaddr: error messages", "[ext][ipaddr]") {
  CHECK(ErrorOf("1.2.3.4/99") ==
        "error parsing prefix: 99 is larger than the limit 32");
  CHECK(ErrorOf("::/129") ==
        "error parsing prefix: 129 is larger than the limit 128");
  CHECK(ErrorOf("1.2.3.4/08") == "error parsing prefix `08`: leading zero(s)");
  CHECK(ErrorOf("1.2.3.4/a") ==
        "error parsing prefix `a`: encountered non-digit");
  CHECK(ErrorOf("1.2.3.4/100") ==
        "error parsing prefix: string length 3 is too large");
  CHECK(ErrorOf("fe80::1%eth0") == "invalid IP address: `fe80::1%eth0`");
  CHECK(ErrorOf("::ffff:1.2.3.4").find("IPv4 embedded in IPv6") !=
        std::string::npos);

  absl::StatusOr<Value> r = Call(ExtFn::kIp, {Value::String("1.2.3")});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() ==
        "error while evaluating `ipaddr` extension function: invalid IP "
        "address: `1.2.3`");
}

TEST_CASE("ipaddr: IPv6 literals and :: compression", "[ext][ipaddr]") {
  IpAddr a = Ip("1:2::8");
  CHECK(a.v6);
  CHECK(a.prefix == 128);
  const uint8_t expected[16] = {0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8};
  for (int i = 0; i < 16; ++i) CHECK(a.bytes[i] == expected[i]);

  CHECK(Ip("::") == Ip("0:0:0:0:0:0:0:0"));
  CHECK(Ip("::1") == Ip("0:0:0:0:0:0:0:1"));
  CHECK(Ip("1::") == Ip("1:0:0:0:0:0:0:0"));
  // `::` may stand for a single zero group.
  CHECK(Ip("1:2:3:4:5:6:7::") == Ip("1:2:3:4:5:6:7:0"));
  CHECK(Ip("::2:3:4:5:6:7:8") == Ip("0:2:3:4:5:6:7:8"));
  CHECK(Ip("1:2:3::6:7:8") == Ip("1:2:3:0:0:6:7:8"));
  CHECK(Ip("FE80::ABcd") == Ip("fe80::abcd"));
  CHECK(Ip("0000:0000:0000:0000:0000:0000:0000:0001") == Ip("::1"));
  CHECK(Ip("fe80::1/64").prefix == 64);
  CHECK(Ip("::/0").prefix == 0);
  CHECK(Ip("::/128").prefix == 128);
  CHECK(Ip("ff00::/8").bytes[0] == 0xff);
}

TEST_CASE("ipaddr: rejected IPv6 literals", "[ext][ipaddr]") {
  for (std::string_view s :
       {"1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", ":::", "1:::2",
        ":1::2", "1::2:", ":1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:", "12345::",
        "g::", "::g", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "fe80::1%eth0",
        "[::1]", "::/129", "::/0128", "::/1000", "::1/", "::1/-0", "::1/1.0",
        ":", "", "1:2", "::-1", "::1 ", " ::1",
        // IPv4 embedded in IPv6, in every spelling
        "::ffff:1.2.3.4", "::1.2.3.4", "64:ff9b::192.0.2.33",
        "::ffff:1.2.3.4/120", "1:2:3:4:5:6:1.2.3.4"}) {
    INFO(s);
    CHECK_FALSE(ParseIpAddr(s).ok());
  }
}

TEST_CASE("ipaddr: canonical format round-trips", "[ext][ipaddr]") {
  CHECK(FormatIpAddr(Ip("10.0.0.1")) == "10.0.0.1");
  CHECK(FormatIpAddr(Ip("10.0.0.1/32")) == "10.0.0.1");
  CHECK(FormatIpAddr(Ip("10.0.0.0/8")) == "10.0.0.0/8");
  CHECK(FormatIpAddr(Ip("0.0.0.0/0")) == "0.0.0.0/0");
  CHECK(FormatIpAddr(Ip("::")) == "::");
  CHECK(FormatIpAddr(Ip("::1")) == "::1");
  CHECK(FormatIpAddr(Ip("1::")) == "1::");
  CHECK(FormatIpAddr(Ip("FE80::1/64")) == "fe80::1/64");
  CHECK(FormatIpAddr(Ip("1:0:0:2:0:0:0:3")) == "1:0:0:2::3");    // longest run
  CHECK(FormatIpAddr(Ip("1:0:0:2:3:0:0:4")) == "1::2:3:0:0:4");  // first tie
  CHECK(FormatIpAddr(Ip("1:0:2:3:4:5:6:7")) == "1:0:2:3:4:5:6:7");  // single 0
  CHECK(FormatIpAddr(Ip("0001:0db8:0000:0000:0000:0000:0000:00ff/128")) ==
        "1:db8::ff");
  CHECK(Value::Ip(Ip("10.0.0.0/8")).ToCedar() == "ip(\"10.0.0.0/8\")");

  for (std::string_view s :
       {"127.0.0.1", "1.2.3.4/0", "255.255.255.255/31", "::", "::1/127",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "1:2:3:4:5:6:7:8/64",
        "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "fe80::/10", "10.0.0.1/24"}) {
    INFO(s);
    IpAddr ip = Ip(s);
    absl::StatusOr<IpAddr> again = ParseIpAddr(FormatIpAddr(ip));
    REQUIRE(again.ok());
    CHECK(*again == ip);
  }
}

TEST_CASE("ipaddr: equality compares address and prefix as written",
          "[ext][ipaddr]") {
  CHECK(IpValue("10.0.0.1") == IpValue("10.0.0.1/32"));
  CHECK(IpValue("::1") == IpValue("0:0::1/128"));
  CHECK_FALSE(IpValue("10.0.0.1/24") == IpValue("10.0.0.0/24"));
  CHECK_FALSE(IpValue("10.0.0.0/8") == IpValue("10.0.0.0/16"));
  // An IPv4 address is never equal to an IPv6 one, even a mapped one.
  CHECK_FALSE(IpValue("0.0.0.0") == IpValue("::"));
  CHECK_FALSE(IpValue("10.0.0.1") == IpValue("::ffff:a00:1"));
}

TEST_CASE("ipaddr: isIpv4 and isIpv6", "[ext][ipaddr]") {
  CHECK(CallBool(ExtFn::kIsIpv4, {IpValue("1.2.3.4")}));
  CHECK_FALSE(CallBool(ExtFn::kIsIpv6, {IpValue("1.2.3.4/8")}));
  CHECK(CallBool(ExtFn::kIsIpv6, {IpValue("::1")}));
  CHECK_FALSE(CallBool(ExtFn::kIsIpv4, {IpValue("::ffff:ff00:1")}));
}

TEST_CASE("ipaddr: isLoopback", "[ext][ipaddr]") {
  CHECK(Loopback("127.0.0.1"));
  CHECK(Loopback("127.255.255.255"));
  CHECK(Loopback("127.0.0.0/8"));
  CHECK(Loopback("127.1.0.0/16"));
  CHECK_FALSE(Loopback("127.0.0.0/7"));  // wider than 127/8
  CHECK_FALSE(Loopback("126.255.255.255"));
  CHECK_FALSE(Loopback("128.0.0.1"));
  CHECK_FALSE(Loopback("0.0.0.0"));
  CHECK(Loopback("::1"));
  CHECK_FALSE(Loopback("::1/127"));
  CHECK_FALSE(Loopback("::"));
  CHECK_FALSE(Loopback("::2"));
  // The IPv4-mapped loopback is an IPv6 address, not a loopback one.
  CHECK_FALSE(Loopback("::ffff:7f00:1"));
}

TEST_CASE("ipaddr: isMulticast", "[ext][ipaddr]") {
  CHECK(Multicast("224.0.0.1"));
  CHECK(Multicast("239.255.255.255"));
  CHECK(Multicast("224.0.0.0/4"));
  CHECK(Multicast("230.0.0.0/8"));
  CHECK_FALSE(Multicast("224.0.0.0/3"));
  CHECK_FALSE(Multicast("223.255.255.255"));
  CHECK_FALSE(Multicast("240.0.0.0"));
  CHECK(Multicast("ff00::1"));
  CHECK(Multicast("ff02::1"));
  CHECK(Multicast("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  CHECK(Multicast("ff00::/8"));
  CHECK_FALSE(Multicast("ff00::/7"));
  CHECK_FALSE(Multicast("fe00::1"));
  CHECK_FALSE(Multicast("::ffff:e000:1"));
}

TEST_CASE("ipaddr: isInRange", "[ext][ipaddr]") {
  CHECK(InRange("10.1.2.3", "10.0.0.0/8"));
  CHECK(InRange("10.1.0.0/16", "10.0.0.0/8"));
  CHECK_FALSE(InRange("10.0.0.0/8", "10.1.0.0/16"));
  CHECK(InRange("10.0.0.0/8", "10.0.0.0/8"));
  CHECK(InRange("10.0.0.1", "10.0.0.1"));
  CHECK_FALSE(InRange("10.0.0.1", "10.0.0.2"));
  CHECK(InRange("255.255.255.255", "0.0.0.0/0"));
  CHECK(InRange("1.2.3.4/0", "0.0.0.0/0"));
  CHECK_FALSE(InRange("11.0.0.0", "10.0.0.0/8"));
  // Host bits of either side are ignored when forming the range.
  CHECK(InRange("10.0.0.1/24", "10.0.0.0/24"));
  CHECK(InRange("10.0.0.0/24", "10.0.0.77/24"));
  CHECK(InRange("10.0.0.5", "10.0.0.77/24"));
  // IPv6
  CHECK(InRange("fe80::1", "fe80::/10"));
  CHECK(InRange("febf::1", "fe80::/10"));
  CHECK_FALSE(InRange("fec0::1", "fe80::/10"));
  CHECK(InRange("::", "::/0"));
  CHECK(InRange("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/1", "::/0"));
  CHECK_FALSE(InRange("::/0", "::/1"));
  // Families never mix, whatever the bits.
  CHECK_FALSE(InRange("10.0.0.1", "::/0"));
  CHECK_FALSE(InRange("::", "0.0.0.0/0"));
  CHECK_FALSE(InRange("::ffff:a00:1", "10.0.0.0/8"));
  CHECK_FALSE(InRange("10.0.0.1", "::ffff:a00:0/104"));
}

// The inline IPv4 path (ip_range.h) against containment worked out on
// 64-bit integers: for random addresses under every pair of prefixes,
// near and far apart (same /8, same /24, the very address, unrelated).
TEST_CASE("ipaddr: isInRange on IPv4 agrees with 64-bit containment",
          "[ext][ipaddr]") {
  uint64_t state = 0x243F6A8885A308D3ull;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(state >> 32);
  };
  auto ip = [](uint32_t v, int prefix) {
    IpAddr x;
    x.bytes[0] = static_cast<uint8_t>(v >> 24);
    x.bytes[1] = static_cast<uint8_t>(v >> 16);
    x.bytes[2] = static_cast<uint8_t>(v >> 8);
    x.bytes[3] = static_cast<uint8_t>(v);
    x.prefix = static_cast<uint8_t>(prefix);
    return x;
  };
  auto span = [](uint32_t v, int prefix, uint64_t* lo, uint64_t* hi) {
    const uint64_t size = uint64_t{1} << (32 - prefix);
    *lo = v / size * size;
    *hi = *lo + size - 1;
  };
  int inside = 0, outside = 0;
  for (int pa = 0; pa <= 32; ++pa) {
    for (int pb = 0; pb <= 32; ++pb) {
      for (int k = 0; k < 16; ++k) {
        const uint32_t b = next();
        const uint32_t keep[] = {0, 0xFF000000u, 0xFFFFFF00u, 0xFFFFFFFFu};
        const uint32_t a = (b & keep[k % 4]) | (next() & ~keep[k % 4]);
        uint64_t alo, ahi, blo, bhi;
        span(a, pa, &alo, &ahi);
        span(b, pb, &blo, &bhi);
        const bool want = blo <= alo && ahi <= bhi;
        CAPTURE(a, pa, b, pb);
        CHECK(IpIsInRange(ip(a, pa), ip(b, pb)) == want);
        (want ? inside : outside)++;
      }
    }
  }
  // Both answers were exercised, many times.
  CHECK(inside > 1000);
  CHECK(outside > 1000);
}

TEST_CASE("ipaddr: arity and type errors through CallExtension",
          "[ext][ipaddr]") {
  absl::StatusOr<Value> r = Call(ExtFn::kIp, {Value::Long(1)});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "type error: expected string, got long");

  r = Call(ExtFn::kIsInRange, {IpValue("1.2.3.4"), Value::String("1.0.0.0/8")});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() ==
        "type error: expected ipaddr, got string; maybe you forgot to apply "
        "the `ip` constructor?");

  r = Call(ExtFn::kIsLoopback, {Value::Entity(EntityUid::Of("User", "alice"))});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() ==
        "type error: expected ipaddr, got (entity of type `User`)");

  r = Call(ExtFn::kIsIpv4, {IpValue("1.2.3.4"), IpValue("1.2.3.4")});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() ==
        "wrong number of arguments provided to extension function `isIpv4`: "
        "expected 1, got 2");
  CHECK_FALSE(Call(ExtFn::kIsInRange, {IpValue("1.2.3.4")}).ok());
  CHECK_FALSE(Call(ExtFn::kIp, {}).ok());

  absl::StatusOr<Value> ok = Call(ExtFn::kIp, {Value::String("10.0.0.0/8")});
  REQUIRE(ok.ok());
  CHECK(*ok == IpValue("10.0.0.0/8"));
}

TEST_CASE("ipaddr: name lookup", "[ext][ipaddr]") {
  CHECK(LookupExtConstructor("ip") == ExtFn::kIp);
  CHECK_FALSE(LookupExtConstructor("ipaddr").has_value());
  CHECK_FALSE(LookupExtMethod("ip").has_value());
  CHECK_FALSE(LookupExtConstructor("isInRange").has_value());
  CHECK(LookupExtMethod("isIpv4") == ExtFn::kIsIpv4);
  CHECK(LookupExtMethod("isIpv6") == ExtFn::kIsIpv6);
  CHECK(LookupExtMethod("isLoopback") == ExtFn::kIsLoopback);
  CHECK(LookupExtMethod("isMulticast") == ExtFn::kIsMulticast);
  CHECK(LookupExtMethod("isInRange") == ExtFn::kIsInRange);
  CHECK_FALSE(LookupExtMethod("isinrange").has_value());
  CHECK(ExtFnName(ExtFn::kIsInRange) == "isInRange");
  CHECK(ExtArity(ExtFn::kIp) == 1);
  CHECK(ExtArity(ExtFn::kIsLoopback) == 1);
  CHECK(ExtArity(ExtFn::kIsInRange) == 2);
}

TEST_CASE("ipaddr: values do not order with <", "[ext][ipaddr]") {
  CHECK_FALSE(CompareExtension(IpValue("1.2.3.4"), IpValue("1.2.3.5")).ok());
}

}  // namespace
}  // namespace arbiter::internal
