// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// CredentialRegistry: every deny reason, expiry under an injected clock,
// revocation one by one and by ending a task, action groups, a long random
// run against a model (the table grows and is purged many times), and
// checks racing with issue, growth and revocation (run it under ThreadSanitizer by hand with the
// tests/sanitize harness: TEST_SOURCES=tests/agent_credentials_test.cc).

#include <atomic>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "arbiter/arbiter.h"

namespace arbiter {
namespace {

using std::chrono::seconds;

const EntityUid kWorker = EntityUid::Of("Agent", "worker");
const EntityUid kOther = EntityUid::Of("Agent", "other");
const EntityUid kReadDoc = EntityUid::Of("Action", "read_doc");
const EntityUid kHttpPost = EntityUid::Of("Action", "http_post");
const EntityUid kReadTools = EntityUid::Of("Action", "read_tools");

std::shared_ptr<const Entities> ActionEntities() {
  auto e = Entities::FromJson(R"([
    {"uid": {"type": "Action", "id": "read_doc"}, "attrs": {},
     "parents": [{"type": "Action", "id": "read_tools"}]},
    {"uid": {"type": "Action", "id": "http_post"}, "attrs": {}, "parents": []},
    {"uid": {"type": "Action", "id": "read_tools"}, "attrs": {}, "parents": []}
  ])");
  REQUIRE(e.ok());
  return *e;
}

CredentialSpec Spec(std::string task, EntityUid agent, std::vector<EntityUid> actions,
                    std::chrono::nanoseconds ttl = seconds(60)) {
  CredentialSpec s;
  s.task_id = std::move(task);
  s.agent = agent;
  s.actions = std::move(actions);
  s.ttl = ttl;
  return s;
}

struct Fixture {
  ManualClock clock{TimePoint(seconds(1'800'000'000))};
  CredentialRegistry registry{&clock};
  std::shared_ptr<const Entities> entities = ActionEntities();

  // A query for everything but the id.
  CredentialQuery Query(EntityUid agent, EntityUid action, std::string_view task) {
    CredentialQuery q;
    q.principal = agent;
    q.action = action;
    q.task_id = task;
    q.entities = entities.get();
    q.now = clock.Now();
    return q;
  }
  CredentialStatus Check(std::string_view id, EntityUid agent = kWorker,
                         EntityUid action = kReadDoc,
                         std::string_view task = "task-1") {
    CredentialQuery q = Query(agent, action, task);
    q.credential_id = id;
    return registry.Check(q);
  }
  // The same, presenting only the binary form.
  CredentialStatus CheckBinary(const CredentialId& id, EntityUid agent = kWorker,
                               EntityUid action = kReadDoc,
                               std::string_view task = "task-1") {
    CredentialQuery q = Query(agent, action, task);
    q.credential = id;
    return registry.Check(q);
  }
  std::string Issue(std::string task = "task-1", EntityUid agent = kWorker,
                    std::vector<EntityUid> actions = {kReadDoc}) {
    auto id = registry.Issue(Spec(std::move(task), agent, std::move(actions)));
    REQUIRE(id.ok());
    return *id;
  }
};

TEST_CASE("agent credentials: ids are 128 random bits in hex", "[agent]") {
  Fixture f;
  std::set<std::string> ids;
  for (int i = 0; i < 200; ++i) {
    std::string id = f.Issue();
    CHECK(id.size() == 32);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    ids.insert(id);
  }
  CHECK(ids.size() == 200);
  CHECK(f.registry.size() == 200);
}

// The id is parsed sixteen digits at a time: every one of the 32 positions
// must count (another digit there is another id) and must be a lower-case
// hex digit (anything else, including bytes above 0x7f, is unknown).
TEST_CASE("agent credentials: every digit of an id counts and is checked",
          "[agent]") {
  Fixture f;
  const std::string id = f.Issue();
  REQUIRE(f.Check(id) == CredentialStatus::kValid);
  const std::string bad = std::string("gGA/:`@ ~") + '\0' + '\x80' + '\xff';
  int wrong = 0;
  for (size_t pos = 0; pos < id.size(); ++pos) {
    std::string other = id;
    other[pos] = id[pos] == '0' ? 'f' : '0';
    if (f.Check(other) != CredentialStatus::kUnknown) ++wrong;
    for (char c : bad) {
      std::string broken = id;
      broken[pos] = c;
      if (f.Check(broken) != CredentialStatus::kUnknown) ++wrong;
    }
    std::string upper = id;
    if (upper[pos] >= 'a' && upper[pos] <= 'f') {
      upper[pos] = static_cast<char>(upper[pos] - 'a' + 'A');
      if (f.Check(upper) != CredentialStatus::kUnknown) ++wrong;
    }
  }
  CHECK(wrong == 0);
  CHECK(f.Check(id.substr(0, 31)) == CredentialStatus::kUnknown);
  CHECK(f.Check(id + "0") == CredentialStatus::kUnknown);
  CHECK(f.Check(std::string(32, '0')) == CredentialStatus::kUnknown);
}

// The binary form (CredentialId) names the same credential as its text: it
// round-trips, and a check given only the binary form answers as the text
// does in every case, including the ones decided before the id is found.
TEST_CASE("agent credentials: the binary form round-trips and checks like the text",
          "[agent]") {
  Fixture f;
  // Every nibble value in each word, rising in one and falling in the other.
  const CredentialId known{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
  CHECK(known.ToString() == "0123456789abcdeffedcba9876543210");
  char buf[34] = {};
  buf[32] = '#';
  known.WriteHex(buf);
  CHECK(std::string(buf, 33) == "0123456789abcdeffedcba9876543210#");
  absl::StatusOr<CredentialId> parsed = CredentialId::Parse(known.ToString());
  REQUIRE(parsed.ok());
  CHECK(*parsed == known);

  std::vector<std::string> ids;
  for (int i = 0; i < 100; ++i) ids.push_back(f.Issue());
  for (const std::string& text : ids) {
    absl::StatusOr<CredentialId> id = CredentialId::Parse(text);
    REQUIRE(id.ok());
    CHECK(id->ToString() == text);
    CHECK(f.CheckBinary(*id) == CredentialStatus::kValid);
    CHECK(f.CheckBinary(*id, kOther) == CredentialStatus::kWrongAgent);
    CHECK(f.CheckBinary(*id, kWorker, kReadDoc, "task-2") == CredentialStatus::kWrongTask);
    CHECK(f.CheckBinary(*id, kWorker, kHttpPost) == CredentialStatus::kOutOfScope);
    // Another id: one bit off in either word.
    CHECK(f.CheckBinary({id->hi ^ 1, id->lo}) == CredentialStatus::kUnknown);
    CHECK(f.CheckBinary({id->hi, id->lo ^ 0x8000000000000000ULL}) ==
          CredentialStatus::kUnknown);
  }
  const CredentialId first = *CredentialId::Parse(ids[0]);
  REQUIRE(f.registry.Revoke(ids[0]).ok());
  CHECK(f.CheckBinary(first) == CredentialStatus::kRevoked);
  f.clock.Advance(seconds(61));
  CHECK(f.CheckBinary(*CredentialId::Parse(ids[1])) == CredentialStatus::kExpired);
  // Neither form presented: missing, as with empty text.
  CHECK(f.CheckBinary(CredentialId{}) == CredentialStatus::kMissing);

  // Parse takes exactly what Issue writes.
  const std::string good = ids[2];
  std::string upper = good;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  for (const std::string& bad :
       {std::string(), good.substr(0, 31), good + "0", std::string("g") + good.substr(1),
        good.substr(0, 16) + std::string(16, '0'), std::string(32, '0')}) {
    CHECK_FALSE(CredentialId::Parse(bad).ok());
  }
  if (upper != good) CHECK_FALSE(CredentialId::Parse(upper).ok());
  // A zero high word is fine: only the low word marks "none".
  absl::StatusOr<CredentialId> low_only =
      CredentialId::Parse(std::string(16, '0') + good.substr(16));
  REQUIRE(low_only.ok());
  CHECK(low_only->hi == 0);
  CHECK_FALSE(low_only->empty());
  CHECK(CredentialId::Parse(std::string(31, '0') + "x").status().message().find(
            "32 lower-case hex digits") != std::string_view::npos);
}

TEST_CASE("agent credentials: a valid credential passes", "[agent]") {
  Fixture f;
  const std::string id = f.Issue();
  CHECK(f.Check(id) == CredentialStatus::kValid);
}

TEST_CASE("agent credentials: each failure has its own reason", "[agent]") {
  Fixture f;
  const std::string id = f.Issue();
  CHECK(f.Check("") == CredentialStatus::kMissing);
  CHECK(f.Check("00000000000000000000000000000000") == CredentialStatus::kUnknown);
  CHECK(f.Check("not-a-credential") == CredentialStatus::kUnknown);
  std::string upper = id;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  if (upper != id) CHECK(f.Check(upper) == CredentialStatus::kUnknown);
  CHECK(f.Check(id, kOther) == CredentialStatus::kWrongAgent);
  CHECK(f.Check(id, kWorker, kReadDoc, "task-2") == CredentialStatus::kWrongTask);
  CHECK(f.Check(id, kWorker, kHttpPost) == CredentialStatus::kOutOfScope);

  std::set<std::string_view> names;
  for (CredentialStatus s :
       {CredentialStatus::kMissing, CredentialStatus::kUnknown,
        CredentialStatus::kExpired, CredentialStatus::kRevoked,
        CredentialStatus::kWrongAgent, CredentialStatus::kWrongTask,
        CredentialStatus::kOutOfScope, CredentialStatus::kRejected}) {
    names.insert(CredentialStatusName(s));
  }
  CHECK(names.size() == 8);
  CHECK(CredentialStatusName(CredentialStatus::kExpired) == "credential expired");
  CHECK(CredentialStatusName(CredentialStatus::kOutOfScope) ==
        "action outside credential scope");
}

TEST_CASE("agent credentials: expiry follows the injected clock", "[agent]") {
  Fixture f;
  const std::string id = f.Issue();
  f.clock.Advance(seconds(59));
  CHECK(f.Check(id) == CredentialStatus::kValid);
  f.clock.Advance(seconds(1));  // exactly at expiry: expired
  CHECK(f.Check(id) == CredentialStatus::kExpired);
  auto expires = f.registry.ExpiresAt(id);
  REQUIRE(expires.ok());
  CHECK(*expires == f.clock.Now());
}

TEST_CASE("agent credentials: revoke one", "[agent]") {
  Fixture f;
  const std::string a = f.Issue();
  const std::string b = f.Issue();
  REQUIRE(f.registry.Revoke(a).ok());
  CHECK(f.Check(a) == CredentialStatus::kRevoked);
  CHECK(f.Check(b) == CredentialStatus::kValid);
  CHECK(f.registry.Revoke("ffffffffffffffffffffffffffffffff").code() ==
        absl::StatusCode::kNotFound);
}

TEST_CASE("agent credentials: ending a task revokes all of its credentials",
          "[agent]") {
  Fixture f;
  const std::string a = f.Issue("task-1", kWorker);
  const std::string b = f.Issue("task-1", kOther);
  const std::string c = f.Issue("task-2", kWorker);
  CHECK(f.registry.EndTask("task-1") == 2);
  CHECK(f.Check(a) == CredentialStatus::kRevoked);
  CHECK(f.Check(b, kOther) == CredentialStatus::kRevoked);
  CHECK(f.Check(c, kWorker, kReadDoc, "task-2") == CredentialStatus::kValid);
  CHECK(f.registry.EndTask("task-1") == 0);  // already ended
}

TEST_CASE("agent credentials: an action group covers its members", "[agent]") {
  Fixture f;
  const std::string id = f.Issue("task-1", kWorker, {kReadTools});
  CHECK(f.Check(id, kWorker, kReadDoc) == CredentialStatus::kValid);
  CHECK(f.Check(id, kWorker, kHttpPost) == CredentialStatus::kOutOfScope);
}

// The table's slot holds a grant's first action; the others are read from
// the grant. Each position must count, directly and as a group.
TEST_CASE("agent credentials: every action of a grant counts, in any position",
          "[agent]") {
  Fixture f;
  const EntityUid kExport = EntityUid::Of("Action", "export");
  const std::string group_last = f.Issue("task-1", kWorker, {kHttpPost, kReadTools});
  CHECK(f.Check(group_last, kWorker, kHttpPost) == CredentialStatus::kValid);
  CHECK(f.Check(group_last, kWorker, kReadDoc) == CredentialStatus::kValid);
  CHECK(f.Check(group_last, kWorker, kExport) == CredentialStatus::kOutOfScope);
  const std::string direct_last =
      f.Issue("task-1", kWorker, {kReadTools, kExport, kHttpPost});
  CHECK(f.Check(direct_last, kWorker, kHttpPost) == CredentialStatus::kValid);
  CHECK(f.Check(direct_last, kWorker, kExport) == CredentialStatus::kValid);
  CHECK(f.Check(direct_last, kWorker, kReadDoc) == CredentialStatus::kValid);
  const std::string one = f.Issue("task-1", kWorker, {kReadTools});
  CHECK(f.Check(one, kWorker, kHttpPost) == CredentialStatus::kOutOfScope);
  // Revocation reaches the slot's copy, whichever action is asked about.
  REQUIRE(f.registry.Revoke(direct_last).ok());
  CHECK(f.Check(direct_last, kWorker, kExport) == CredentialStatus::kRevoked);
  CHECK(f.Check(group_last, kWorker, kReadDoc) == CredentialStatus::kValid);
}

// A revocation must survive the table being rebuilt: growth copies every
// slot from its grant, and so does Purge.
TEST_CASE("agent credentials: a revocation survives the table growing",
          "[agent]") {
  Fixture f;
  const std::string revoked = f.Issue();
  REQUIRE(f.registry.Revoke(revoked).ok());
  std::vector<std::string> more;
  for (int i = 0; i < 200; ++i) more.push_back(f.Issue());  // several growths
  CHECK(f.Check(revoked) == CredentialStatus::kRevoked);
  REQUIRE(f.registry.Revoke(more[7]).ok());
  for (int i = 0; i < 200; ++i) f.Issue();
  CHECK(f.Check(more[7]) == CredentialStatus::kRevoked);
  CHECK(f.Check(more[8]) == CredentialStatus::kValid);
  CHECK(f.registry.Purge(f.clock.Now()) == 2);
  CHECK(f.Check(revoked) == CredentialStatus::kUnknown);
  CHECK(f.Check(more[9]) == CredentialStatus::kValid);
}

TEST_CASE("agent credentials: issue rejects bad specs", "[agent]") {
  Fixture f;
  CHECK(f.registry.Issue(Spec("", kWorker, {kReadDoc})).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(f.registry.Issue(Spec("t", kWorker, {})).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(f.registry.Issue(Spec("t", kWorker, {kReadDoc}, seconds(0))).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("agent credentials: purge forgets revoked and expired ones", "[agent]") {
  Fixture f;
  const std::string revoked = f.Issue();
  const std::string live = f.Issue();
  REQUIRE(f.registry.Revoke(revoked).ok());
  CHECK(f.registry.Purge(f.clock.Now()) == 1);
  CHECK(f.Check(revoked) == CredentialStatus::kUnknown);
  CHECK(f.Check(live) == CredentialStatus::kValid);
  f.clock.Advance(seconds(120));
  CHECK(f.registry.Purge(f.clock.Now()) == 1);
  CHECK(f.registry.size() == 0);
}

TEST_CASE("agent credentials: checks race with issue and revocation",
          "[agent][stress]") {
  Fixture f;
  const std::string stable = f.Issue("stable");
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        if (f.Check(stable, kWorker, kReadDoc, "stable") != CredentialStatus::kValid) {
          wrong.fetch_add(1);
        }
      }
    });
  }
  for (int i = 0; i < 500; ++i) {
    const std::string id = f.Issue("churn");
    if (f.Check(id, kWorker, kReadDoc, "churn") != CredentialStatus::kValid) wrong++;
    if (i % 2 == 0) {
      REQUIRE(f.registry.Revoke(id).ok());
    }
    if (i % 100 == 99) f.registry.EndTask("churn");
  }
  stop = true;
  for (auto& r : readers) r.join();
  CHECK(wrong.load() == 0);
  CHECK(f.Check(stable, kWorker, kReadDoc, "stable") == CredentialStatus::kValid);
}

// Thousands of random operations, each followed by a check of every id
// ever issued against a plain model: the table grows from 16 slots to
// thousands, purges rebuild it, tasks end and are started again under the
// same name, and every answer (including EndTask's and Purge's counts)
// must match.
TEST_CASE("agent credentials: a long random run matches a model", "[agent]") {
  Fixture f;
  struct Model {
    std::string task;
    int generation = 0;  // which run of the task (ended and started again)
    EntityUid agent;
    TimePoint expires;
    bool revoked = false, purged = false;
  };
  std::map<std::string, Model> ids;
  std::map<std::string, int> generation;     // a task's current run
  std::set<std::pair<std::string, int>> ended;  // finished runs
  std::mt19937_64 rng(20261129);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  auto is_revoked = [&](const Model& m) {
    return m.revoked || ended.count({m.task, m.generation}) > 0;
  };
  auto expect = [&](const Model& m) {
    if (m.purged) return CredentialStatus::kUnknown;
    if (is_revoked(m)) return CredentialStatus::kRevoked;
    if (f.clock.Now() >= m.expires) return CredentialStatus::kExpired;
    return CredentialStatus::kValid;
  };
  std::vector<std::string> order;  // ids in issue order, to pick from
  int mismatches = 0;
  for (int step = 0; step < 4000; ++step) {
    const size_t op = pick(100);
    if (op < 70 || order.empty()) {
      const std::string task = "task-" + std::to_string(pick(12));
      const EntityUid agent = pick(2) == 0 ? kWorker : kOther;
      const auto ttl = seconds(30 + static_cast<int>(pick(600)));
      auto id = f.registry.Issue(Spec(task, agent, {kReadTools}, ttl));
      REQUIRE(id.ok());
      REQUIRE(ids.count(*id) == 0);
      ids[*id] = Model{task, generation[task], agent, f.clock.Now() + ttl};
      order.push_back(*id);
    } else if (op < 82) {
      const std::string& id = order[pick(order.size())];
      Model& target = ids[id];
      const absl::Status s = f.registry.Revoke(id);
      if (target.purged) {
        CHECK(s.code() == absl::StatusCode::kNotFound);
      } else {
        CHECK(s.ok());
        target.revoked = true;
      }
    } else if (op < 90) {
      const std::string task = "task-" + std::to_string(pick(12));
      size_t expected = 0;
      if (ended.count({task, generation[task]}) == 0) {
        for (const auto& [id, m] : ids) {
          if (m.task == task && m.generation == generation[task] && !m.purged &&
              !m.revoked) {
            ++expected;
          }
        }
      }
      CHECK(f.registry.EndTask(task) == expected);
      ended.insert({task, generation[task]});
      ++generation[task];
    } else if (op < 95) {
      size_t expected = 0;
      for (auto& [id, m] : ids) {
        if (!m.purged && (is_revoked(m) || f.clock.Now() >= m.expires)) {
          m.purged = true;
          ++expected;
        }
      }
      CHECK(f.registry.Purge(f.clock.Now()) == expected);
    } else {
      f.clock.Advance(seconds(1 + static_cast<int>(pick(120))));
    }
    if (step % 50 == 0 || step > 3950) {
      size_t live = 0;
      for (const auto& [id, m] : ids) {
        if (!m.purged) ++live;
        if (f.Check(id, m.agent, kReadDoc, m.task) != expect(m)) ++mismatches;
      }
      CHECK(f.registry.size() == live);
    }
  }
  CHECK(mismatches == 0);
  CHECK(ids.size() > 2000);  // the table grew well past its first size
}

// A thread caches a few registries' tables; more registries than the cache
// holds, used in turn, must never answer from another registry's table.
TEST_CASE("agent credentials: many registries on one thread stay apart",
          "[agent]") {
  constexpr int kRegistries = 9;
  std::vector<std::unique_ptr<Fixture>> fixtures;
  std::vector<std::string> ids;
  for (int i = 0; i < kRegistries; ++i) {
    fixtures.push_back(std::make_unique<Fixture>());
    ids.push_back(fixtures.back()->Issue());
  }
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < kRegistries; ++i) {
      CHECK(fixtures[i]->Check(ids[i]) == CredentialStatus::kValid);
      CHECK(fixtures[i]->Check(ids[(i + 1) % kRegistries]) ==
            CredentialStatus::kUnknown);
    }
  }
  // A registry made where a destroyed one was must not inherit its cache.
  fixtures[0] = std::make_unique<Fixture>();
  CHECK(fixtures[0]->Check(ids[0]) == CredentialStatus::kUnknown);
}

// A revocation is seen by every check that starts after it returns, on any
// thread, and a task ends for all of its credentials at once.
TEST_CASE("agent credentials: revocation is seen at once by other threads",
          "[agent][stress]") {
  Fixture f;
  constexpr int kIds = 8;
  std::vector<std::string> ids;
  for (int i = 0; i < kIds; ++i) ids.push_back(f.Issue("doomed"));
  std::atomic<bool> ended{false};
  std::atomic<int> wrong{0};
  std::atomic<bool> ready{false};
  std::thread reader([&] {
    ready = true;
    // Once the first id reads revoked, every later check of any id must too.
    bool seen_revoked = false;
    for (int spin = 0; spin < 2'000'000 && !(seen_revoked && ended); ++spin) {
      for (const std::string& id : ids) {
        const bool was_ended = ended.load();
        const CredentialStatus s = f.Check(id, kWorker, kReadDoc, "doomed");
        if (s == CredentialStatus::kRevoked) {
          seen_revoked = true;
        } else if (seen_revoked || was_ended || s != CredentialStatus::kValid) {
          wrong.fetch_add(1);
        }
      }
    }
  });
  while (!ready) std::this_thread::yield();
  CHECK(f.registry.EndTask("doomed") == kIds);
  ended = true;
  reader.join();
  CHECK(wrong.load() == 0);
  for (const std::string& id : ids) {
    CHECK(f.Check(id, kWorker, kReadDoc, "doomed") == CredentialStatus::kRevoked);
  }
}

}  // namespace
}  // namespace arbiter
