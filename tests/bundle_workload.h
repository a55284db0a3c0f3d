// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The agents-N workloads as policy bundles, with tool rules for tools that
// are not in the workload's schema, and 100 candidate tool names (the 21
// declared tools and 79 runtime ones, a few unclassified). Shared by the
// permitted-tools test and the bundle benchmark.

#ifndef ARBITER_TESTS_BUNDLE_WORKLOAD_H_
#define ARBITER_TESTS_BUNDLE_WORKLOAD_H_

#include <filesystem>
#include <string>
#include <vector>

namespace arbiter::testing {

inline std::filesystem::path WorkloadDir(int n) {
  const char* env = std::getenv("ARBITER_WORKLOADS_DIR");
  std::filesystem::path root = env != nullptr
      ? std::filesystem::path(env)
      : std::filesystem::path(ARBITER_SOURCE_DIR) / ".." / "shared" / "workloads";
  return root / ("agents-" + std::to_string(n));
}

// arbiter.yaml text for the workload in `dir` (absolute paths).
inline std::string WorkloadBundleYaml(const std::filesystem::path& dir) {
  const std::string d = std::filesystem::absolute(dir).lexically_normal().string();
  return "policies: " + d + "/policies.cedar\n"
         "schema: " + d + "/schema.cedarschema\n"
         "entities: " + d + "/entities.json\n"
         "tools:\n"
         "  action_type: Agents::Action\n"
         "  rules:\n"
         "    - match: '^tool:github\\.(get|list|search|read)_'\n"
         "      actions: [read_tools]\n"
         "    - match: '^tool:github\\.'\n"
         "      actions: [write_tools]\n"
         "    - match: '^tool:(db|warehouse)\\.'\n"
         "      actions: [read_tools, egress_tools]\n"
         "    - match: '^tool:(shell|iam)\\.'\n"
         "      actions: [admin_tools]\n"
         "    - match: '^tool:mcp\\.'\n"
         "      actions: [egress_tools]\n";
}

inline std::vector<std::string> CandidateTools() {
  std::vector<std::string> t = {
      "tool:github.read_file", "tool:github.search_code", "tool:github.list_prs",
      "tool:github.clone_private", "tool:github.create_pr", "tool:github.push",
      "tool:github.merge_pr", "tool:github.delete_repo", "tool:docs.read",
      "tool:docs.search", "tool:docs.write", "tool:db.query", "tool:db.export",
      "tool:db.write", "tool:http.post", "tool:email.send", "tool:slack.post",
      "tool:vault.list_secrets", "tool:vault.read_secret",
      "tool:vault.rotate_secret", "tool:iam.grant"};
  for (int i = 0; t.size() < 97; ++i) {
    const std::string n = std::to_string(i);
    switch (i % 6) {
      case 0: t.push_back("tool:github.get_issue_" + n); break;
      case 1: t.push_back("tool:github.close_issue_" + n); break;
      case 2: t.push_back("tool:db.analyze_" + n); break;
      case 3: t.push_back("tool:shell.exec_" + n); break;
      case 4: t.push_back("tool:mcp.weather.get_" + n); break;
      case 5: t.push_back("tool:github.list_commits_" + n); break;
    }
  }
  t.push_back("unknown.tool_a");
  t.push_back("tool:jira.create");
  t.push_back("tool:files.delete");
  return t;
}

}  // namespace arbiter::testing

#endif  // ARBITER_TESTS_BUNDLE_WORKLOAD_H_
