// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The decision log: every record has every field with the right values,
// context fields are left out unless chosen (redaction by default), the
// file sink loses nothing on an orderly shutdown, counts what it drops
// when its queue is full, and takes records from several threads at once.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "arbiter/arbiter.h"

namespace arbiter {
namespace {

using nlohmann::json;
using std::chrono::seconds;

const EntityUid kAlice = EntityUid::Of("User", "alice");
const EntityUid kWorker = EntityUid::Of("Agent", "worker");
const EntityUid kRead = EntityUid::Of("Action", "read");
const EntityUid kDoc = EntityUid::Of("Doc", "d");

std::shared_ptr<const PolicySet> Policies() {
  PolicySetBuilder b;
  REQUIRE(b.AddPolicy("agents-read", "permit (principal is Agent, action, resource);").ok());
  REQUIRE(b.AddPolicy("broken", R"(forbid (principal, action, resource)
      when { principal.missing_attribute == 1 };)").ok());
  auto set = b.Build();
  REQUIRE(set.ok());
  return *set;
}

Request Req(EntityUid principal) {
  Request r;
  r.principal = principal;
  r.action = kRead;
  r.resource = kDoc;
  r.context = Value::Record({{Symbol::Intern("secret_token"), Value::String("hunter2")},
                             {Symbol::Intern("ticket"), Value::String("INC-7")}});
  return r;
}

std::filesystem::path TempLog(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() /
           ("arbiter-" + name + "-" + std::to_string(::getpid()) + ".jsonl");
  std::filesystem::remove(p);
  return p;
}

std::vector<json> ReadLines(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<json> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(json::parse(line));
  return out;
}

// A guard that logs every decision to a JsonlFileSink at `path`.
std::unique_ptr<JsonlFileSink> OpenSink(const std::filesystem::path& path,
                                        const JsonlFileSinkOptions& options) {
  auto sink = JsonlFileSink::Open(path.string(), options);
  REQUIRE(sink.ok());
  return *std::move(sink);
}
GuardOptions LogTo(DecisionLogger* logger) {
  GuardOptions o;
  o.logger = logger;
  return o;
}
struct SinkGuard {
  explicit SinkGuard(const std::filesystem::path& path,
                     const JsonlFileSinkOptions& options = {})
      : sink(OpenSink(path, options)),
        engine(Policies(), Entities::Empty()),
        guard(&engine, LogTo(sink.get())) {}
  std::unique_ptr<JsonlFileSink> sink;
  Engine engine;
  Guard guard;
};

TEST_CASE("agent log: a record holds the whole decision", "[agent]") {
  ManualClock clock(TimePoint(seconds(1'767'225'600)));  // 2026-01-01T00:00:00Z
  CredentialRegistry registry(&clock);
  MemorySink sink;
  auto policies = Policies();
  Engine engine(policies, Entities::Empty());
  GuardOptions o;
  o.credentials = &registry;
  o.logger = &sink;
  o.clock = &clock;
  Guard guard(&engine, o);
  TaskSpec spec;
  spec.id = "task-9";
  Task task(spec);
  CredentialSpec cs;
  cs.task_id = "task-9";
  cs.agent = kWorker;
  cs.actions = {kRead};
  cs.ttl = seconds(30);
  auto cred = registry.Issue(cs);
  REQUIRE(cred.ok());
  auto chain = Delegation::Of({kAlice});
  REQUIRE(chain.ok());

  CallContext call;
  call.task = &task;
  call.delegation = &*chain;
  call.credential_id = *cred;
  GuardResponse r = guard.Authorize(Req(kWorker), call);
  // alice is not an Agent: denied at hop 0.
  CHECK(r.decision == Decision::kDeny);
  clock.Advance(seconds(31));
  GuardResponse r2 = guard.Authorize(Req(kWorker), call);
  CHECK(r2.DenyReason() == "credential expired");

  const std::vector<std::string> lines = sink.lines();
  REQUIRE(lines.size() == 2);
  const json a = json::parse(lines[0]);
  CHECK(a["id"] == r.id.ToString());
  CHECK(a["time"] == "2026-01-01T00:00:00.000000Z");
  char rev[17];
  std::snprintf(rev, sizeof rev, "%016llx",
                static_cast<unsigned long long>(policies->source_hash()));
  CHECK(a["policy_revision"] == rev);
  CHECK(a["principal"] == "Agent::\"worker\"");
  CHECK(a["action"] == "Action::\"read\"");
  CHECK(a["resource"] == "Doc::\"d\"");
  CHECK(a["task"] == "task-9");
  CHECK(a["delegation"] == json::array({"User::\"alice\""}));
  CHECK(a["credential"] == *cred);
  CHECK(a["credential_status"] == "credential valid");
  CHECK(a["decision"] == "deny");
  CHECK(a["deny"]["kind"] == "delegation");
  CHECK(a["deny"]["hop"] == 0);
  CHECK(a["deny"]["hop_principal"] == "User::\"alice\"");
  CHECK(a["policies"] == json::array());
  REQUIRE(a["errors"].size() == 1);  // `broken` erred for alice
  CHECK(a["errors"][0]["policy"] == "broken");
  CHECK(a["latency_ns"].get<int64_t>() > 0);
  CHECK(a["context"] == json::object());  // redacted by default

  const json b = json::parse(lines[1]);
  CHECK(b["time"] == "2026-01-01T00:00:31.000000Z");
  CHECK(b["deny"]["kind"] == "credential");
  CHECK(b["deny"]["reason"] == "credential expired");
  CHECK(b["credential_status"] == "credential expired");
  CHECK(b["id"] != a["id"]);
  // Nothing from the context leaked into either line.
  for (const std::string& line : lines) CHECK(line.find("hunter2") == std::string::npos);
}

TEST_CASE("agent log: chosen context fields are copied, others are not",
          "[agent]") {
  MemorySink sink;
  Engine engine(Policies(), Entities::Empty());
  GuardOptions o;
  o.logger = &sink;
  o.logged_context_fields = {"ticket", "absent"};
  Guard guard(&engine, o);
  GuardResponse r = guard.Authorize(Req(kWorker));
  CHECK(r.decision == Decision::kAllow);
  REQUIRE(sink.size() == 1);
  const json a = json::parse(sink.lines()[0]);
  CHECK(a["context"] == json{{"ticket", "INC-7"}});
  CHECK(a["task"].is_null());
  CHECK(a["credential"].is_null());
  CHECK(a["credential_status"] == "not checked");
  CHECK(a["deny"].is_null());
  CHECK(a["policies"] == json::array({"agents-read"}));
}

TEST_CASE("agent log: the file sink writes everything on close", "[agent]") {
  const auto path = TempLog("close");
  SinkGuard f(path);
  std::set<std::string> ids;
  for (int i = 0; i < 5000; ++i) {  // fewer than the queue holds
    ids.insert(f.guard.Authorize(Req(kWorker)).id.ToString());
  }
  REQUIRE(f.sink->Close().ok());
  CHECK(f.sink->dropped() == 0);
  CHECK(f.sink->written() == 5000);
  const std::vector<json> lines = ReadLines(path);
  REQUIRE(lines.size() == 5000);
  std::set<std::string> logged;
  for (const json& j : lines) logged.insert(j["id"].get<std::string>());
  CHECK(logged == ids);
  // After close, records are refused and counted.
  f.guard.Authorize(Req(kWorker));
  CHECK(f.sink->dropped() == 1);
  CHECK(f.sink->Close().ok());  // idempotent
  std::filesystem::remove(path);
}

TEST_CASE("agent log: a full queue drops and counts, never blocks", "[agent]") {
  const auto path = TempLog("drop");
  JsonlFileSinkOptions opts;
  opts.queue_capacity = 8;
  opts.flush_interval = std::chrono::milliseconds(1000);
  SinkGuard f(path, opts);
  constexpr int kCalls = 20000;
  for (int i = 0; i < kCalls; ++i) f.guard.Authorize(Req(kWorker));
  REQUIRE(f.sink->Close().ok());
  const uint64_t written = f.sink->written();
  const uint64_t dropped = f.sink->dropped();
  CHECK(written + dropped == kCalls);
  CHECK(dropped > 0);
  CHECK(ReadLines(path).size() == written);
  std::filesystem::remove(path);
}

// Producers read the writer's progress only when their own copy says the
// queue is full (jsonl_file_sink.cc): once the writer has drained it, the
// very next record must be taken, not dropped on a stale copy.
TEST_CASE("agent log: a queue that was full takes records again once drained",
          "[agent]") {
  const auto path = TempLog("refill");
  JsonlFileSinkOptions opts;
  opts.queue_capacity = 8;
  opts.flush_interval = std::chrono::milliseconds(600'000);
  SinkGuard f(path, opts);
  for (int i = 0; i < 20000 && f.sink->dropped() == 0; ++i) {
    f.guard.Authorize(Req(kWorker));
  }
  REQUIRE(f.sink->dropped() > 0);
  f.sink->Flush();  // every claimed position is written: the queue is empty
  const uint64_t written = f.sink->written();
  int calls = 0;
  while (calls < 64 && f.sink->written() == written) {
    f.guard.Authorize(Req(kWorker));
    ++calls;
    f.sink->Flush();
  }
  CHECK(f.sink->written() == written + 1);
  CHECK(calls == 1);
  REQUIRE(f.sink->Close().ok());
  CHECK(ReadLines(path).size() == f.sink->written());
  std::filesystem::remove(path);
}

TEST_CASE("agent log: flush makes queued records visible", "[agent]") {
  const auto path = TempLog("flush");
  JsonlFileSinkOptions opts;
  opts.flush_interval = std::chrono::milliseconds(60'000);  // only Flush wakes it
  SinkGuard f(path, opts);
  for (int i = 0; i < 3; ++i) f.guard.Authorize(Req(kWorker));
  f.sink->Flush();
  CHECK(ReadLines(path).size() == 3);
  REQUIRE(f.sink->Close().ok());
  std::filesystem::remove(path);
}

TEST_CASE("agent log: concurrent producers lose nothing", "[agent][stress]") {
  const auto path = TempLog("threads");
  JsonlFileSinkOptions opts;
  opts.queue_capacity = 1 << 16;
  SinkGuard f(path, opts);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      GuardResponse r;
      for (int i = 0; i < 5000; ++i) f.guard.Authorize(Req(kWorker), {}, &r);
    });
  }
  for (auto& t : threads) t.join();
  REQUIRE(f.sink->Close().ok());
  CHECK(f.sink->dropped() == 0);
  const std::vector<json> lines = ReadLines(path);
  CHECK(lines.size() == 20000);
  std::set<std::string> ids;
  for (const json& j : lines) ids.insert(j["id"].get<std::string>());
  CHECK(ids.size() == 20000);
  std::filesystem::remove(path);
}

// Close while producers are still logging: every call is accounted for
// once, written (and in the file) or dropped, and no line is torn.
TEST_CASE("agent log: close while producers log accounts for every call",
          "[agent][stress]") {
  const auto path = TempLog("close-race");
  JsonlFileSinkOptions opts;
  opts.queue_capacity = 64;  // small: producers also meet a full queue
  opts.flush_interval = std::chrono::milliseconds(1);
  SinkGuard f(path, opts);
  constexpr int kThreads = 3, kCalls = 4000;
  std::atomic<int> started{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      GuardResponse r;
      started.fetch_add(1);
      for (int i = 0; i < kCalls; ++i) f.guard.Authorize(Req(kWorker), {}, &r);
    });
  }
  while (started.load() < kThreads) std::this_thread::yield();
  REQUIRE(f.sink->Close().ok());
  const uint64_t written_at_close = f.sink->written();
  for (auto& t : threads) t.join();
  CHECK(f.sink->written() == written_at_close);  // nothing after Close
  CHECK(f.sink->failed() == 0);
  CHECK(f.sink->written() + f.sink->dropped() == kThreads * kCalls);
  const std::vector<json> lines = ReadLines(path);  // each line parses
  CHECK(lines.size() == f.sink->written());
  std::filesystem::remove(path);
}

// Log() wakes a sleeping writer once the queue is half full, so a burst
// after a quiet spell is written without waiting for flush_interval.
TEST_CASE("agent log: a half-full queue wakes the writer", "[agent]") {
  const auto path = TempLog("half");
  JsonlFileSinkOptions opts;
  opts.queue_capacity = 64;
  opts.flush_interval = std::chrono::milliseconds(600'000);  // never by itself
  SinkGuard f(path, opts);
  for (int i = 0; i < 32; ++i) f.guard.Authorize(Req(kWorker));
  // Half full at the 33rd record; the writer then drains within moments.
  f.guard.Authorize(Req(kWorker));
  for (int wait = 0; wait < 500 && f.sink->written() < 33; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(f.sink->written() == 33);
  CHECK(f.sink->dropped() == 0);
  REQUIRE(f.sink->Close().ok());
  CHECK(ReadLines(path).size() == 33);
  std::filesystem::remove(path);
}

// The sink packs a record into a fixed-size slot, errors included, or
// spills it when it does not fit (many policies or errors, long ids or
// messages, context fields); either way the line must be exactly what
// DecisionRecordToJson makes of the record.
TEST_CASE("agent log: the file sink writes compact and spilled records exactly",
          "[agent]") {
  const auto path = TempLog("exact");
  auto sink = JsonlFileSink::Open(path.string());
  REQUIRE(sink.ok());
  const std::string long_id(300, 'x');
  std::vector<std::string> many_ids;
  for (int i = 0; i < 12; ++i) many_ids.push_back("policy-" + std::to_string(i));
  std::vector<std::string_view> few = {"p1", "another-policy"};
  std::vector<std::string_view> many(many_ids.begin(), many_ids.end());
  std::vector<PolicyError> errors = {{"broken", "entity `User::\"x\"` does not exist"}};
  std::vector<PolicyError> two_errors = {{"broken", "entity `User::\"x\"` does not exist"},
                                         {"p9", "type error: expected long, got string"}};
  std::vector<PolicyError> three_errors = two_errors;
  three_errors.push_back({"p10", "overflow"});
  std::vector<PolicyError> long_error = {{"broken", std::string(200, 'm')}};
  std::vector<EntityUid> chain = {kAlice, kWorker};
  std::vector<EntityUid> long_chain(6, kAlice);
  std::vector<std::pair<Symbol, Value>> context = {
      {Symbol::Intern("ticket"), Value::String("INC-7")}};

  std::vector<DecisionRecord> records;
  DecisionRecord base;
  base.id = {0x1234, 7};
  base.time = TimePoint(std::chrono::microseconds(1'767'225'600'123'456));
  base.policy_revision = 0xfeed;
  base.principal = kWorker;
  base.action = kRead;
  base.resource = kDoc;
  base.task_id = "task-7";
  base.delegation = chain;
  base.credential_id = "0123456789abcdef0123456789abcdef";
  base.decision = Decision::kAllow;
  base.credential = CredentialStatus::kValid;
  base.policies = few;
  base.latency = std::chrono::nanoseconds(321);
  records.push_back(base);  // compact
  DecisionRecord r = base;
  r.decision = Decision::kDeny;
  r.deny_kind = DenyKind::kDelegation;
  r.denied_hop = 0;
  r.denied_principal = kAlice;
  r.policies = {};
  records.push_back(r);  // compact, a deny
  r = base;
  r.policies = many;
  records.push_back(r);  // too many policies
  r = base;
  r.task_id = long_id;
  records.push_back(r);  // too much text
  r = base;
  r.errors = errors;
  records.push_back(r);  // an error (inline)
  r.errors = two_errors;
  records.push_back(r);  // two errors (inline: as many as fit)
  records.push_back(base);  // no errors after some, from the same scratch
  r.errors = three_errors;
  records.push_back(r);  // too many errors
  r.errors = long_error;
  records.push_back(r);  // an error too long for the slot
  r.errors = errors;
  records.push_back(r);  // inline again, in a writer that spilled before
  r = base;
  r.context = context;
  records.push_back(r);  // a context field
  r = base;
  r.delegation = long_chain;
  records.push_back(r);  // a long chain
  records.push_back(base);  // compact again, in a slot order that reuses
  for (const DecisionRecord& rec : records) (*sink)->Log(rec);
  REQUIRE((*sink)->Close().ok());
  std::ifstream in(path);
  std::string line;
  for (const DecisionRecord& rec : records) {
    REQUIRE(std::getline(in, line));
    CHECK(line == DecisionRecordToJson(rec));
  }
  CHECK(!std::getline(in, line));
  std::filesystem::remove(path);
}

// A write error loses records: they are counted as failed, never as
// written, Flush still returns, and Close reports the error.
TEST_CASE("agent log: records a write error loses are counted as failed",
          "[agent]") {
  if (!std::filesystem::exists("/dev/full")) {
    WARN("no /dev/full here: the write-error test is skipped");
    return;
  }
  auto sink = JsonlFileSink::Open("/dev/full");  // every write: ENOSPC
  REQUIRE(sink.ok());
  Engine engine(Policies(), Entities::Empty());
  Guard guard(&engine, LogTo(sink->get()));
  for (int i = 0; i < 100; ++i) guard.Authorize(Req(kWorker));
  (*sink)->Flush();
  CHECK((*sink)->written() == 0);
  CHECK((*sink)->failed() == 100);
  const absl::Status closed = (*sink)->Close();
  CHECK(closed.code() == absl::StatusCode::kInternal);
  CHECK(closed.message().find("writing the decision log") != std::string::npos);
  CHECK((*sink)->written() + (*sink)->failed() + (*sink)->dropped() == 100);
}

TEST_CASE("agent log: opening an impossible path fails cleanly", "[agent]") {
  auto sink = JsonlFileSink::Open("/nonexistent-dir/x/decisions.jsonl");
  CHECK(!sink.ok());
  JsonlFileSinkOptions zero;
  zero.queue_capacity = 0;
  CHECK(JsonlFileSink::Open(TempLog("zero").string(), zero).status().code() ==
        absl::StatusCode::kInvalidArgument);
  JsonlFileSinkOptions huge;
  huge.queue_capacity = JsonlFileSinkOptions::kMaxQueueCapacity + 1;
  CHECK(JsonlFileSink::Open(TempLog("huge").string(), huge).status().code() ==
        absl::StatusCode::kInvalidArgument);
  huge.queue_capacity = ~size_t{0};  // must not reach the allocation
  CHECK(JsonlFileSink::Open(TempLog("huge").string(), huge).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace arbiter
