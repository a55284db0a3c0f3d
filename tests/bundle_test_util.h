// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// A bundle folder in the temporary directory, for the bundle tests.

#ifndef ARBITER_TESTS_BUNDLE_TEST_UTIL_H_
#define ARBITER_TESTS_BUNDLE_TEST_UTIL_H_

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace arbiter::testing {

// Two tool groups as action entities, and `tools.rules` (YAML) that put
// `read.*` tools in the first and `write.*` tools in the second: the bundle
// shape the reload and replay tests share.
inline constexpr char kReadWriteToolEntities[] = R"([
  {"uid": {"type": "Action", "id": "read_tools"}, "attrs": {}, "parents": []},
  {"uid": {"type": "Action", "id": "write_tools"}, "attrs": {}, "parents": []}
])";
inline constexpr char kReadWriteToolRules[] =
    "tools:\n  rules:\n"
    "    - match: '^read\\.'\n      actions: [read_tools]\n"
    "    - match: '^write\\.'\n      actions: [write_tools]\n";

class TempBundle {
 public:
  TempBundle() {
    static std::atomic<int> n{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("arbiter-bundle-" + std::to_string(::getpid()) + "-" +
            std::to_string(n.fetch_add(1)));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempBundle() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  // Writes (replacing) a file; returns its path.
  std::string Write(const std::string& name, const std::string& text) const {
    const std::filesystem::path p = dir_ / name;
    std::filesystem::create_directories(p.parent_path());
    // Write then rename, as deploy tools do, so readers never see half.
    const std::filesystem::path tmp = p.string() + ".tmp";
    { std::ofstream(tmp, std::ios::binary) << text; }
    std::filesystem::rename(tmp, p);
    return p.string();
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace arbiter::testing

#endif  // ARBITER_TESTS_BUNDLE_TEST_UTIL_H_
