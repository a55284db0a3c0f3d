// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// main.cc: parses one policy through the installed public API only, and
// loads a policy bundle from YAML text (which links yaml-cpp and RE2, the
// library's private dependencies, through the package's link interface).

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
  // A bundle whose policy file does not exist: the loader must report it at
  // the line and column of the entry.
  auto bundle = arbiter::Bundle::FromYaml(
      "policies: [missing.cedar]\ntools:\n  rules: [{match: '^a\\.', actions: [x]}]\n",
      "/nonexistent/arbiter.yaml");
  const std::string error =
      bundle.ok() ? "" : std::string(bundle.status().message());
  std::printf("consumer: bundle error: %s\n", error.c_str());
  if (error.find("/nonexistent/arbiter.yaml:1:12: error:") == std::string::npos) {
    return 1;
  }
  return (*set)->size() == 1 ? 0 : 1;
}
