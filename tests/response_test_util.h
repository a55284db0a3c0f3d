// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Helpers for the tests that compare decision modes (index, binding, full
// scan): responses must agree in every field, in order.

#ifndef ARBITER_TESTS_RESPONSE_TEST_UTIL_H_
#define ARBITER_TESTS_RESPONSE_TEST_UTIL_H_

#include <catch2/catch.hpp>
#include <memory>

#include "arbiter/arbiter.h"

namespace arbiter::testing {

// A shared_ptr that does not own `x`: BoundPolicySet::Bind takes shared
// ownership, and the tests' objects outlive every binding they make.
template <typename T>
std::shared_ptr<const T> Unowned(const T& x) {
  return std::shared_ptr<const T>(std::shared_ptr<const T>(), &x);
}

// The same decision, reasons and errors (ids and messages), in order.
inline void RequireSameResponse(const Response& a, const Response& b) {
  REQUIRE(a.decision == b.decision);
  REQUIRE(a.reasons == b.reasons);
  REQUIRE(a.errors.size() == b.errors.size());
  for (size_t i = 0; i < a.errors.size(); ++i) {
    REQUIRE(a.errors[i].policy_id == b.errors[i].policy_id);
    REQUIRE(a.errors[i].message == b.errors[i].message);
  }
}

}  // namespace arbiter::testing

#endif  // ARBITER_TESTS_RESPONSE_TEST_UTIL_H_
