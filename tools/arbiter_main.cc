// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The `arbiter` command line: authorize one request, check that policies
// parse, and run Cedar's conformance tests.

#include <cstdio>
#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

#include "arbiter/arbiter.h"
#include "tools/cli_common.h"

namespace arbiter::cli {
namespace {

constexpr char kUsage[] =
    "usage: arbiter <command> [options]\n"
    "\n"
    "commands:\n"
    "  authorize --policies P.cedar --entities E.json --request R.json\n"
    "      decide one request; prints the response as JSON;\n"
    "      exit 0 allow, 2 deny, 1 error\n"
    "  authorize --bundle arbiter.yaml [--request R.json] [--tool NAME] "
    "[--log]\n"
    "      decide with a policy bundle; --tool decides a call of that tool\n"
    "      (request.action ignored), or without --request only classifies\n"
    "      it; --log decides through the guard and appends the record to\n"
    "      the bundle's decision log; exit 0 allow, 2 deny, 1 error\n"
    "  permitted --bundle arbiter.yaml --request R.json --tools a,b,c\n"
    "      the tools the request's principal may call on its resource now\n"
    "  replay --bundle NEW.yaml [--json] decisions.jsonl\n"
    "      re-decide logged decisions with a candidate bundle; print every\n"
    "      decision that changes and totals; exit 0 none, 2 some, 1 error\n"
    "  lint-bundle arbiter.yaml\n"
    "      load and validate a bundle, report unreachable tool rules;\n"
    "      exit 0 clean, 2 warnings, 1 errors\n"
    "  check-parse P.cedar...\n"
    "      exit 0 if every file parses, else print every error and exit 1\n"
    "  conformance [--root DIR] [--check-scan] [--no-schema] [--validation] "
    "TEST.json...\n"
    "      run Cedar integration-test files; ends with `N passed, M failed`;\n"
    "      counts requests, or with --validation test files (validator\n"
    "      verdict against `shouldValidate`); --check-scan also requires the\n"
    "      full scan to answer identically; --no-schema ignores schemas\n"
    "  validate --schema S --policies P [--impossible-policy error|warning]\n"
    "      type-check policies against a schema (strict mode); exit 1 on "
    "errors;\n"
    "      a policy no action's scope can satisfy is an error by default (as "
    "in\n"
    "      the conformance corpus), a warning with `warning` (as in Cedar "
    "4.13)\n"
    "  translate-schema [--to json|cedar] FILE\n"
    "      convert a schema between the .cedarschema and JSON formats\n"
    "  bench [--scan | --unbound] [--seconds S] DIR\n"
    "      load a workload folder, check every answer, time Authorize on\n"
    "      the policies bound to the entities (--unbound: not bound, --scan:\n"
    "      the full scan); last line: median_ns=… p99_ns=… dps=…\n";

int Error(const std::string& message) {
  std::fprintf(stderr, "arbiter: error: %s\n", message.c_str());
  return 1;
}

int RunAuthorize(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--bundle") == 0) return RunBundleAuthorize(argc, argv);
  }
  std::string policies_path, entities_path, request_path;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    bool ok = true;
    if (a == "--policies") ok = value(&policies_path);
    else if (a == "--entities") ok = value(&entities_path);
    else if (a == "--request") ok = value(&request_path);
    else return Error("authorize: unknown argument `" + a + "`\n" + kUsage);
    if (!ok) return Error("authorize: `" + a + "` needs a value");
  }
  if (policies_path.empty() || request_path.empty()) {
    return Error(std::string("authorize: --policies and --request are required\n") + kUsage);
  }
  absl::StatusOr<std::string> text = ReadFile(policies_path);
  if (!text.ok()) return Error(std::string(text.status().message()));
  ParseOptions popts;
  popts.file_name = policies_path;
  auto policies = PolicySet::Parse(*text, popts);
  if (!policies.ok()) return Error(std::string(policies.status().message()));

  std::shared_ptr<const Entities> entities = Entities::Empty();
  if (!entities_path.empty()) {
    absl::StatusOr<std::string> etext = ReadFile(entities_path);
    if (!etext.ok()) return Error(std::string(etext.status().message()));
    auto loaded = Entities::FromJson(*etext);
    if (!loaded.ok()) {
      return Error(entities_path + ": " + std::string(loaded.status().message()));
    }
    entities = *loaded;
  }
  absl::StatusOr<std::string> rtext = ReadFile(request_path);
  if (!rtext.ok()) return Error(std::string(rtext.status().message()));
  nlohmann::json rj = nlohmann::json::parse(*rtext, nullptr, false);
  if (rj.is_discarded()) return Error(request_path + ": not valid JSON");
  absl::StatusOr<Request> request = RequestFromJson(rj);
  if (!request.ok()) {
    return Error(request_path + ": " + std::string(request.status().message()));
  }

  Response r = Authorize(**policies, *entities, *request);
  nlohmann::json out;
  out["decision"] = std::string(DecisionName(r.decision));
  out["reasons"] = nlohmann::json::array();
  for (auto id : r.reasons) out["reasons"].push_back(std::string(id));
  out["errors"] = nlohmann::json::array();
  for (const auto& e : r.errors) {
    out["errors"].push_back({{"policy", std::string(e.policy_id)},
                             {"message", e.message}});
  }
  std::printf("%s\n", out.dump(2).c_str());
  return r.decision == Decision::kAllow ? 0 : 2;
}

int RunCheckParse(int argc, char** argv) {
  if (argc == 0) return Error("check-parse: no policy file given");
  int rc = 0;
  for (int i = 0; i < argc; ++i) {
    absl::StatusOr<std::string> text = ReadFile(argv[i]);
    if (!text.ok()) {
      rc = Error(std::string(text.status().message()));
      continue;
    }
    PolicySetBuilder b;
    ParseOptions opts;
    opts.file_name = argv[i];
    std::vector<Diagnostic> diags;
    if (!b.AddText(*text, opts, &diags).ok()) {
      for (const Diagnostic& d : diags) std::printf("%s\n", d.ToString().c_str());
      rc = 1;
    }
  }
  return rc;
}

}  // namespace
}  // namespace arbiter::cli

int main(int argc, char** argv) {
  using namespace arbiter::cli;
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 1 : 0;
  }
  std::string cmd = argv[1];
  if (cmd == "authorize") return RunAuthorize(argc - 2, argv + 2);
  if (cmd == "check-parse") return RunCheckParse(argc - 2, argv + 2);
  if (cmd == "conformance") return RunConformance(argc - 2, argv + 2);
  if (cmd == "bench") return RunBench(argc - 2, argv + 2);
  if (cmd == "validate") return RunValidate(argc - 2, argv + 2);
  if (cmd == "translate-schema") return RunTranslateSchema(argc - 2, argv + 2);
  if (cmd == "permitted") return RunPermitted(argc - 2, argv + 2);
  if (cmd == "replay") return RunReplay(argc - 2, argv + 2);
  if (cmd == "lint-bundle") return RunLintBundle(argc - 2, argv + 2);
  std::fprintf(stderr, "arbiter: unknown command `%s`\n%s", cmd.c_str(), kUsage);
  return 1;
}
