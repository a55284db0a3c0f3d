// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// main.cc: parses one policy through the installed public API only.

#include <cstdio>
#include <string>

#include "arbiter/arbiter.h"

int main() {
  auto set = arbiter::PolicySet::Parse("permit(principal, action, resource);");
  if (!set.ok()) {
    std::fprintf(stderr, "consumer: parse failed: %s\n",
                 std::string(set.status().message()).c_str());
    return 1;
  }
  std::printf("consumer: parsed a policy set of %zu policies\n",
              (*set)->size());
  return (*set)->size() == 1 ? 0 : 1;
}
