// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// agent_runtime: the agent guard end to end, told as a story.
//
// alice (a human on call) asks an orchestrator agent to summarise incident
// 42 for the team channel. The orchestrator starts a task and delegates to
// two workers, each with its own just-in-time credential: a researcher
// (read tools, 5 minutes) and a publisher (egress, message and repo tools,
// 30 seconds). Every tool call goes through one Guard, which checks the
// credential, adds the task and the delegation chain to the Cedar context,
// decides for every principal of the chain and logs the decision. Then time
// passes, the task ends, and the decision log is printed.
//
//   build/examples/agent_runtime [DATA_DIR [LOG_FILE]]
//
// DATA_DIR holds policies.cedar and entities.json (default: this folder).

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "arbiter/arbiter.h"

namespace {

namespace fs = std::filesystem;
using arbiter::EntityUid;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "policyN" -> the description on its `// policyN: ...` comment line.
std::map<std::string, std::string> Descriptions(const std::string& text) {
  std::map<std::string, std::string> out;
  const std::regex line(R"(//\s*(policy\d+):\s*(.*))");
  std::istringstream in(text);
  std::string l;
  std::smatch m;
  while (std::getline(in, l)) {
    if (std::regex_search(l, m, line)) out[m[1]] = m[2];
  }
  return out;
}

std::string Short(const EntityUid& uid) { return std::string(uid.id.str()); }

struct Runtime {
  arbiter::ManualClock clock;  // the demo moves time forward by hand
  arbiter::CredentialRegistry registry{&clock};
  std::unique_ptr<arbiter::JsonlFileSink> sink;
  std::unique_ptr<arbiter::Engine> engine;
  std::unique_ptr<arbiter::Guard> guard;
  std::map<std::string, std::string> descriptions;
  int step = 0;

  void Call(const EntityUid& agent, const std::string& tool, const EntityUid& resource,
            arbiter::Task* task, const arbiter::Delegation* chain,
            const std::string& credential, const std::string& why) {
    arbiter::Request req;
    req.principal = agent;
    req.action = EntityUid::Of("Action", tool);
    req.resource = resource;
    arbiter::CallContext call;
    call.task = task;
    call.delegation = chain;
    call.credential_id = credential;
    arbiter::GuardResponse r;
    guard->Authorize(req, call, &r);

    std::string path;
    for (const EntityUid& p : chain->principals()) path += Short(p) + " -> ";
    std::printf("\n[%d] %s calls %s on %s\n", ++step, Short(agent).c_str(),
                tool.c_str(), resource.ToString().c_str());
    std::printf("    on behalf of: %s%s   (%s)\n", path.c_str(), Short(agent).c_str(),
                why.c_str());
    if (r.decision == arbiter::Decision::kAllow) {
      std::printf("    ALLOW");
      const char* sep = "  permitted by ";
      for (std::string_view id : r.core.reasons) {
        std::printf("%s%.*s", sep, static_cast<int>(id.size()), id.data());
        sep = ", ";
      }
      std::printf("\n");
      return;
    }
    std::printf("    DENY   [%s] %s\n",
                std::string(arbiter::DenyKindName(r.deny_kind)).c_str(),
                r.DenyReason().c_str());
    for (std::string_view id : r.core.reasons) {
      std::printf("           %.*s: %s\n", static_cast<int>(id.size()), id.data(),
                  descriptions[std::string(id)].c_str());
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  const fs::path dir = argc > 1 ? fs::path(argv[1])
                                : fs::path(ARBITER_EXAMPLES_DIR) / "agent_runtime";
  const fs::path log_path =
      argc > 2 ? fs::path(argv[2])
               : fs::temp_directory_path() / "arbiter-agent-runtime-decisions.jsonl";

  const std::string policy_text = Slurp(dir / "policies.cedar");
  arbiter::ParseOptions popts;
  popts.file_name = (dir / "policies.cedar").string();
  auto policies = arbiter::PolicySet::Parse(policy_text, popts);
  auto entities = arbiter::Entities::FromJson(Slurp(dir / "entities.json"));
  if (!policies.ok() || !entities.ok()) {
    std::cerr << "cannot load the example from " << dir << ": "
              << (!policies.ok() ? policies.status() : entities.status()) << "\n";
    return 1;
  }

  Runtime rt;
  rt.clock.Set(std::chrono::time_point_cast<arbiter::TimePoint::duration>(
      std::chrono::system_clock::now()));
  rt.descriptions = Descriptions(policy_text);
  fs::remove(log_path);
  auto sink = arbiter::JsonlFileSink::Open(log_path.string());
  if (!sink.ok()) {
    std::cerr << sink.status() << "\n";
    return 1;
  }
  rt.sink = *std::move(sink);
  rt.engine = std::make_unique<arbiter::Engine>(*policies, *entities);
  arbiter::GuardOptions options;
  options.credentials = &rt.registry;
  options.logger = rt.sink.get();
  options.clock = &rt.clock;
  rt.guard = std::make_unique<arbiter::Guard>(rt.engine.get(), options);

  std::printf("arbiter agent guard demo\n========================\n");
  std::printf("Policies %s (revision %016llx):\n", popts.file_name.c_str(),
              static_cast<unsigned long long>((*policies)->source_hash()));
  for (const auto& [id, text] : rt.descriptions) {
    std::printf("  %-8s %s\n", id.c_str(), text.c_str());
  }

  const EntityUid alice = EntityUid::Of("User", "alice");
  const EntityUid orchestrator = EntityUid::Of("Agent", "orchestrator");
  const EntityUid researcher = EntityUid::Of("Agent", "researcher");
  const EntityUid publisher = EntityUid::Of("Agent", "publisher");

  arbiter::TaskSpec spec;
  spec.id = "INC-42-summary";
  spec.objective = "summarise incident 42 for the team channel";
  spec.sensitivity = 2;
  spec.approval = "approved";
  arbiter::Task task(spec);
  auto chain = arbiter::Delegation::Of({alice, orchestrator});
  if (!chain.ok()) return 1;

  std::printf("\nalice asks the orchestrator to \"%s\".\n", spec.objective.c_str());
  std::printf("Task %s: data-sensitivity ceiling %lld, approval \"%s\".\n",
              spec.id.c_str(), static_cast<long long>(spec.sensitivity),
              spec.approval.c_str());
  std::printf("Every worker call is made for alice -> orchestrator and must be\n"
              "allowed for all three principals.\n");

  auto issue = [&](const EntityUid& agent, std::vector<EntityUid> actions,
                   std::chrono::seconds ttl) {
    arbiter::CredentialSpec cs;
    cs.task_id = spec.id;
    cs.agent = agent;
    cs.actions = actions;
    cs.ttl = ttl;
    std::string id = rt.registry.Issue(cs).value();
    std::string scope;
    for (const EntityUid& a : actions) scope += (scope.empty() ? "" : ", ") + Short(a);
    std::printf("  credential %s for %-10s scope: %s; expires in %lld s\n",
                id.c_str(), Short(agent).c_str(), scope.c_str(),
                static_cast<long long>(ttl.count()));
    return id;
  };
  std::printf("\nJust-in-time credentials for this task:\n");
  const std::string researcher_cred =
      issue(researcher, {EntityUid::Of("Action", "read_tools")}, std::chrono::seconds(300));
  const std::string publisher_cred =
      issue(publisher,
            {EntityUid::Of("Action", "egress_tools"), EntityUid::Of("Action", "message_tools"),
             EntityUid::Of("Action", "repo_admin_tools")},
            std::chrono::seconds(30));

  const auto doc = [](const char* id) { return EntityUid::Of("Doc", id); };
  rt.Call(researcher, "docs.read", doc("incident-42"), &task, &*chain, researcher_cred,
          "gather the incident report");
  rt.Call(researcher, "docs.read", doc("payroll-2026"), &task, &*chain, researcher_cred,
          "wanders into payroll, above the task's ceiling");
  rt.Call(researcher, "vault.read_secret", EntityUid::Of("Secret", "db-password"), &task,
          &*chain, researcher_cred, "reads a database password to check the outage");
  rt.Call(researcher, "http.post", EntityUid::Of("Host", "paste.example.net"), &task,
          &*chain, researcher_cred, "tries a tool its credential does not cover");
  rt.Call(publisher, "http.post", EntityUid::Of("Host", "paste.example.net"), &task,
          &*chain, publisher_cred,
          "chained exfiltration: a secret was read earlier in this task");
  rt.Call(publisher, "chat.post", EntityUid::Of("Channel", "team-incidents"), &task,
          &*chain, publisher_cred, "posts the summary");
  rt.Call(publisher, "github.delete_repo", EntityUid::Of("Repo", "billing-service"), &task,
          &*chain, publisher_cred, "tries more than its user may do");

  std::printf("\n-- 45 seconds pass: the publisher's 30 s credential runs out --\n");
  rt.clock.Advance(std::chrono::seconds(45));
  rt.Call(publisher, "chat.post", EntityUid::Of("Channel", "team-incidents"), &task,
          &*chain, publisher_cred, "posts a follow-up");

  const size_t revoked = rt.registry.EndTask(spec.id);
  std::printf("\n-- task %s ends: %zu credentials revoked at once --\n", spec.id.c_str(),
              revoked);
  rt.Call(researcher, "docs.read", doc("incident-42"), &task, &*chain, researcher_cred,
          "a straggling call after the task ended");

  std::printf("\nTask chain (actions of allowed calls, in order):");
  for (const EntityUid& a : task.chain()) std::printf(" %s", Short(a).c_str());
  std::printf("\n");

  if (absl::Status s = rt.sink->Close(); !s.ok()) {
    std::cerr << s << "\n";
    return 1;
  }
  std::printf("\nDecision log %s: %llu records written, %llu dropped.\n",
              log_path.c_str(), static_cast<unsigned long long>(rt.sink->written()),
              static_cast<unsigned long long>(rt.sink->dropped()));
  std::printf("One JSON object per decision (format: README, \"Decision log record "
              "format\"):\n\n");
  std::ifstream log(log_path);
  std::string line;
  while (std::getline(log, line)) std::printf("%s\n", line.c_str());
  return 0;
}
