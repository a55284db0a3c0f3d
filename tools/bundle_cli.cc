// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The bundle subcommands: `authorize --bundle`, `permitted`, `replay` and
// `lint-bundle`. Each loads the bundle the way a runtime would
// (Bundle::Load), so what the CLI accepts a runtime accepts, and prints the
// loader's located errors as they are.

#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arbiter/arbiter.h"
#include "arbiter/bundle.h"
#include "arbiter/bundle_manager.h"
#include "arbiter/replay.h"
#include "tools/cli_common.h"

namespace arbiter::cli {
namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "arbiter: error: %s\n", message.c_str());
  return 1;
}

// Parsed `--flag value` pairs and positional arguments.
struct Args {
  std::vector<std::pair<std::string, std::string>> flags;
  std::vector<std::string> positional;
  std::string error;

  std::string Get(const std::string& name) const {
    for (const auto& [k, v] : flags) {
      if (k == name) return v;
    }
    return "";
  }
  bool Has(const std::string& name) const {
    for (const auto& [k, v] : flags) {
      if (k == name) return true;
    }
    return false;
  }
};

Args Parse(int argc, char** argv, const std::vector<std::string>& with_value,
           const std::vector<std::string>& switches) {
  Args a;
  for (int i = 0; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) != 0) {
      a.positional.push_back(s);
      continue;
    }
    bool known = false;
    for (const std::string& w : with_value) {
      if (w != s) continue;
      known = true;
      if (i + 1 >= argc) {
        a.error = "`" + s + "` needs a value";
        return a;
      }
      a.flags.emplace_back(s, argv[++i]);
    }
    for (const std::string& w : switches) {
      if (w == s) {
        known = true;
        a.flags.emplace_back(s, "");
      }
    }
    if (!known) {
      a.error = "unknown argument `" + s + "`";
      return a;
    }
  }
  return a;
}

absl::StatusOr<std::shared_ptr<const Bundle>> LoadBundle(const std::string& path) {
  return Bundle::Load(path);
}

// Reads a request file; with `allow_no_action` a missing action is fine
// (the tool names it).
absl::StatusOr<Request> ReadRequest(const std::string& path, bool allow_no_action) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded()) return absl::InvalidArgumentError(path + ": not valid JSON");
  if (allow_no_action && j.is_object() && !j.contains("action")) {
    j["action"] = {{"type", "Action"}, {"id", ""}};
  }
  // Schema-less: a runtime tool has no context type in the schema.
  absl::StatusOr<Request> r = RequestFromJson(j);
  if (!r.ok()) return absl::InvalidArgumentError(path + ": " + std::string(r.status().message()));
  return r;
}

nlohmann::json ToolJson(const Bundle& b, const std::string& tool) {
  ToolInfo info = b.ClassifyTool(tool);
  nlohmann::json t;
  t["name"] = tool;
  t["action"] = info.action.ToString();
  t["resolution"] = std::string(ToolResolutionName(info.resolution));
  if (info.rule >= 0) {
    const ToolRule& r = b.tool_rules()[info.rule];
    t["rule"] = {{"index", info.rule + 1}, {"match", r.pattern}, {"line", r.location.line}};
  }
  t["groups"] = nlohmann::json::array();
  for (const EntityUid& g : info.groups) t["groups"].push_back(g.ToString());
  return t;
}

}  // namespace

int RunBundleAuthorize(int argc, char** argv) {
  Args a = Parse(argc, argv, {"--bundle", "--request", "--tool"}, {"--log"});
  if (!a.error.empty()) return Fail("authorize: " + a.error);
  if (!a.positional.empty()) return Fail("authorize: unexpected `" + a.positional[0] + "`");
  const std::string bundle_path = a.Get("--bundle");
  const std::string tool = a.Get("--tool");
  if (!a.Has("--request") && !a.Has("--tool")) {
    return Fail("authorize: --bundle needs --request R.json and/or --tool NAME");
  }
  auto bundle = LoadBundle(bundle_path);
  if (!bundle.ok()) return Fail(std::string(bundle.status().message()));
  const Bundle& b = **bundle;

  nlohmann::json out;
  out["bundle_revision"] = b.revision_hex();
  if (!a.Has("--request")) {
    // Classification only.
    out["tool"] = ToolJson(b, tool);
    std::printf("%s\n", out.dump(2).c_str());
    return b.ClassifyTool(tool).resolution == ToolResolution::kUnclassified ? 2 : 0;
  }
  auto request = ReadRequest(a.Get("--request"), a.Has("--tool"));
  if (!request.ok()) return Fail(std::string(request.status().message()));

  Decision decision;
  std::string resolution;
  std::vector<std::string> reasons;
  nlohmann::json errors = nlohmann::json::array();
  std::string deny_reason;
  if (a.Has("--log")) {
    // Through the guard, so the record lands in the bundle's decision log
    // exactly as a runtime would write it (no credential is presented).
    auto manager = BundleManager::FromBundle(*bundle);
    if (!manager.ok()) return Fail(std::string(manager.status().message()));
    const std::string name = tool.empty() ? std::string(request->action.id.str()) : tool;
    if (tool.empty() && request->action.type != b.tool_action_type()) {
      return Fail("authorize: --log decides tool calls: the action type must be `" +
                  std::string(b.tool_action_type().str()) + "` or --tool given");
    }
    GuardResponse g;
    (*manager)->GuardTool(name, *request, {}, &g);
    decision = g.decision;
    resolution = std::string(ToolResolutionName(b.ClassifyTool(name).resolution));
    for (auto id : g.core.reasons) reasons.emplace_back(id);
    for (const auto& e : g.core.errors) {
      errors.push_back({{"policy", std::string(e.policy_id)}, {"message", e.message}});
    }
    deny_reason = g.DenyReason();
    if (!tool.empty()) out["tool"] = ToolJson(b, tool);
    (*manager)->FlushLog();
  } else {
    Response r;
    ToolResolution how = tool.empty() ? b.Authorize(*request, &r)
                                      : b.AuthorizeTool(tool, *request, &r);
    if (!tool.empty()) out["tool"] = ToolJson(b, tool);
    decision = r.decision;
    resolution = std::string(ToolResolutionName(how));
    for (auto id : r.reasons) reasons.emplace_back(id);
    for (const auto& e : r.errors) {
      errors.push_back({{"policy", std::string(e.policy_id)}, {"message", e.message}});
    }
    if (how == ToolResolution::kUnclassified) deny_reason = "unclassified tool";
  }
  out["decision"] = std::string(DecisionName(decision));
  if (!deny_reason.empty()) out["deny_reason"] = deny_reason;
  out["resolution"] = resolution;
  out["reasons"] = reasons;
  out["errors"] = errors;
  std::printf("%s\n", out.dump(2).c_str());
  return decision == Decision::kAllow ? 0 : 2;
}

int RunPermitted(int argc, char** argv) {
  Args a = Parse(argc, argv, {"--bundle", "--request", "--tools"}, {});
  if (!a.error.empty()) return Fail("permitted: " + a.error);
  if (!a.Has("--bundle") || !a.Has("--request") || !a.Has("--tools")) {
    return Fail("permitted: --bundle, --request and --tools are required");
  }
  auto bundle = LoadBundle(a.Get("--bundle"));
  if (!bundle.ok()) return Fail(std::string(bundle.status().message()));
  auto request = ReadRequest(a.Get("--request"), true);
  if (!request.ok()) return Fail(std::string(request.status().message()));
  std::vector<std::string> tools;
  const std::string list = a.Get("--tools");
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) tools.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  std::vector<std::string> permitted = (*bundle)->PermittedTools(*request, tools);
  nlohmann::json out;
  out["bundle_revision"] = (*bundle)->revision_hex();
  out["permitted"] = permitted;
  out["unclassified"] = nlohmann::json::array();
  for (const std::string& t : tools) {
    if ((*bundle)->ClassifyTool(t).resolution == ToolResolution::kUnclassified) {
      out["unclassified"].push_back(t);
    }
  }
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}

int RunReplay(int argc, char** argv) {
  Args a = Parse(argc, argv, {"--bundle"}, {"--json"});
  if (!a.error.empty()) return Fail("replay: " + a.error);
  if (!a.Has("--bundle") || a.positional.size() != 1) {
    return Fail("replay: usage: arbiter replay --bundle NEW.yaml [--json] decisions.jsonl");
  }
  auto bundle = LoadBundle(a.Get("--bundle"));
  if (!bundle.ok()) return Fail(std::string(bundle.status().message()));
  absl::StatusOr<std::string> log = ReadFile(a.positional[0]);
  if (!log.ok()) return Fail(std::string(log.status().message()));
  auto report = Replay(**bundle, *log);
  if (!report.ok()) return Fail(a.positional[0] + ": " + std::string(report.status().message()));
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s.empty() ? std::string("none") : s;
  };
  if (a.Has("--json")) {
    nlohmann::json out;
    out["bundle_revision"] = (*bundle)->revision_hex();
    out["changes"] = nlohmann::json::array();
    for (const ReplayChange& c : report->changes) {
      out["changes"].push_back({{"line", c.line}, {"id", c.id},
                                {"principal", c.principal}, {"action", c.action},
                                {"resource", c.resource},
                                {"before", {{"decision", std::string(DecisionName(c.before))},
                                            {"policies", c.before_policies}}},
                                {"after", {{"decision", std::string(DecisionName(c.after))},
                                           {"policies", c.after_policies},
                                           {"reason", c.after_reason}}}});
    }
    out["totals"] = {{"records", report->records}, {"replayed", report->replayed},
                     {"changed", report->changes.size()},
                     {"allow_to_deny", report->allow_to_deny},
                     {"deny_to_allow", report->deny_to_allow},
                     {"unchanged", report->unchanged},
                     {"skipped_credential", report->skipped_credential},
                     {"unreadable", report->errors.size()}};
    out["errors"] = report->errors;
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    for (const std::string& e : report->errors) {
      std::fprintf(stderr, "%s: %s\n", a.positional[0].c_str(), e.c_str());
    }
    for (const ReplayChange& c : report->changes) {
      std::printf("%s:%zu: %s %s %s: %s (%s) -> %s (%s)%s%s\n",
                  a.positional[0].c_str(), c.line, c.principal.c_str(),
                  c.action.c_str(), c.resource.c_str(),
                  std::string(DecisionName(c.before)).c_str(),
                  join(c.before_policies).c_str(),
                  std::string(DecisionName(c.after)).c_str(),
                  join(c.after_policies).c_str(),
                  c.after_reason.empty() ? "" : ": ", c.after_reason.c_str());
    }
    std::printf(
        "%zu records, %zu replayed, %zu changed (%zu allow->deny, %zu "
        "deny->allow), %zu unchanged, %zu skipped (credential denials), %zu "
        "unreadable\n",
        report->records, report->replayed, report->changes.size(),
        report->allow_to_deny, report->deny_to_allow, report->unchanged,
        report->skipped_credential, report->errors.size());
  }
  if (!report->errors.empty()) return 1;
  return report->changes.empty() ? 0 : 2;
}

int RunLintBundle(int argc, char** argv) {
  Args a = Parse(argc, argv, {}, {});
  if (!a.error.empty()) return Fail("lint-bundle: " + a.error);
  if (a.positional.size() != 1) return Fail("lint-bundle: usage: arbiter lint-bundle arbiter.yaml");
  auto bundle = LoadBundle(a.positional[0]);
  if (!bundle.ok()) {
    std::printf("%s\n", std::string(bundle.status().message()).c_str());
    return 1;
  }
  const Bundle& b = **bundle;
  int warnings = 0;
  if (b.schema() != nullptr) {
    ValidationResult v = Validate(*b.schema(), *b.policies());
    for (const ValidationIssue& w : v.warnings) {
      std::printf("%s:%d:%d: warning: policy `%s`: %s\n", w.file_name.c_str(),
                  w.line, w.column, w.policy_id.c_str(), w.message.c_str());
      ++warnings;
    }
  } else {
    std::printf("%s: note: no schema, so policies are not validated\n",
                b.path().c_str());
  }
  for (const Bundle::UnreachableRule& u : b.UnreachableToolRules()) {
    const ToolRule& r = b.tool_rules()[u.rule];
    std::printf("%s:%d:%d: warning: tool rule %zu (`%s`) is unreachable: %s\n",
                r.location.file.c_str(), r.location.line, r.location.column,
                u.rule + 1, r.pattern.c_str(), u.reason.c_str());
    ++warnings;
  }
  std::printf("%s: %zu policies, %zu entities, %zu tool rules, revision %s, "
              "%d warning(s)\n",
              b.path().c_str(), b.policies()->size(), b.entities()->size(),
              b.tool_rules().size(), b.revision_hex().c_str(), warnings);
  return warnings == 0 ? 0 : 2;
}

}  // namespace arbiter::cli
