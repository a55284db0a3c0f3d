// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// test_main.cc: the Catch2 main for arbiter_tests. Test cases live in
// tests/<component>_test.cc, one file per component.

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
