// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// policy_set.h: parsing Cedar policies into an immutable policy set.
//
// Overview
//   A PolicySetBuilder parses Cedar policy text (any number of files), links
//   templates, and builds a PolicySet. Policies are named `policy0`,
//   `policy1`, … in the order they appear, counting across every AddText
//   call, unless the caller names a policy with AddPolicy.
//
//   arbiter::PolicySetBuilder b;
//   absl::Status s = b.AddText(R"(
//       permit(principal == User::"alice", action, resource);
//   )", {.file_name = "example.cedar"});
//   if (!s.ok()) { /* every parse error, each with file:line:column */ }
//   absl::StatusOr<std::shared_ptr<const arbiter::PolicySet>> set = b.Build();
//
// Errors
//   A parse error carries the file name, line, column, a message and the
//   offending source line with a caret. Parsing recovers at the next policy,
//   so one call reports every error in the text (up to max_errors).
//
// Thread-safety
//   A PolicySet is immutable and safe to share between threads (it is handed
//   out as std::shared_ptr<const PolicySet>). A builder is single-threaded.

#ifndef ARBITER_POLICY_SET_H_
#define ARBITER_POLICY_SET_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "arbiter/value.h"

namespace arbiter {

namespace internal {
struct Policy;
class PolicyIndex;
class Program;
}  // namespace internal

// Limits and naming for policy parsing.
struct ParseOptions {
  // Shown in error locations. Default: "<policies>".
  std::string file_name = "<policies>";
  // Deepest nesting of expressions (parentheses, operators, sets, records)
  // the parser accepts; deeper input is a parse error, never a stack
  // overflow. Default: 128.
  size_t max_nesting_depth = 128;
  // Largest accepted text in bytes. Default: 64 MiB.
  size_t max_source_bytes = size_t{64} << 20;
  // Parsing stops collecting errors after this many. Default: 100.
  size_t max_errors = 100;
};

// One parse error, located.
struct Diagnostic {
  std::string file_name;
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in bytes
  std::string message;
  std::string snippet;  // the source line, then a line with a caret

  // "file:line:column: error: message\n<snippet>"
  std::string ToString() const;
};

// PolicySet
//
// An immutable, parsed set of policies and templates. Only static and linked
// policies are evaluated; templates are kept for linking.
class PolicySet {
 public:
  // Parses one text into a set; the shortcut for a builder with one AddText.
  static absl::StatusOr<std::shared_ptr<const PolicySet>> Parse(
      std::string_view text, const ParseOptions& options = {});

  ~PolicySet();

  // Static and linked policies, in order: the ones Authorize evaluates.
  size_t size() const { return policies_.size(); }
  std::string_view policy_id(size_t i) const;
  const internal::Policy& policy(size_t i) const { return *policies_[i]; }

  size_t template_count() const { return templates_.size(); }
  const internal::Policy& template_at(size_t i) const { return *templates_[i]; }

  // The policy (or template) written back as Cedar text.
  std::string PolicyText(size_t i) const;

  // A stable 64-bit FNV-1a hash of the policy text, computed once by Build:
  // over every policy and template in order, its id, its source text and,
  // for a linked policy, its template id and slot values. Equal sets built
  // from equal text hash equally, in any process; the decision log records
  // it (as 16 hex digits) as the policy-set revision.
  uint64_t source_hash() const { return source_hash_; }

  // The scope index over policies(), built once by PolicySetBuilder::Build.
  const internal::PolicyIndex& index() const { return *index_; }
  // The compiled conditions of policies(), built once by Build.
  const internal::Program& program() const { return *program_; }

  // What a decision reads of policy i once its conditions are settled: its
  // id and whether it forbids. Kept apart from the Policy, in one array of
  // 16-byte entries, so that recording a reason or an error costs one
  // (prefetchable) read rather than a pointer chase to a Policy object
  // that, at thousands of policies, is a cache miss of its own.
  struct Head {
    const char* id_data;
    uint32_t id_size;
    bool forbid;
    // Bit v (internal::Var: 0 principal, 1 action, 2 resource) set when
    // that variable's entity alone may rule the policy out (see
    // src/eval/rule_out.h): worked out once here, while the conditions
    // are still in the cache, for every binding of the set to read.
    uint8_t rule_out_vars;
    std::string_view id() const { return {id_data, id_size}; }
  };
  const Head& head(size_t i) const { return heads_[i]; }
  const Head* heads() const { return heads_.data(); }

 private:
  friend class PolicySetBuilder;
  PolicySet() = default;
  std::vector<Head> heads_;  // per policy, pointing into policies_' ids
  std::unique_ptr<const internal::PolicyIndex> index_;
  std::unique_ptr<const internal::Program> program_;
  std::vector<std::shared_ptr<const internal::Policy>> policies_;
  std::vector<std::shared_ptr<const internal::Policy>> templates_;
  uint64_t source_hash_ = 0;
};

// The entity a template slot is filled with when linking.
struct SlotValues {
  std::optional<EntityUid> principal;  // for ?principal
  std::optional<EntityUid> resource;   // for ?resource
};

// PolicySetBuilder
//
// Collects policies, templates and links; Build() checks ids are unique and
// freezes the result.
class PolicySetBuilder {
 public:
  PolicySetBuilder();
  ~PolicySetBuilder();

  // Parses every policy in `text`. On error nothing from `text` is added and
  // the status message lists every diagnostic; `diagnostics`, if given,
  // receives them in structured form.
  absl::Status AddText(std::string_view text, const ParseOptions& options = {},
                       std::vector<Diagnostic>* diagnostics = nullptr);

  // Parses exactly one policy or template and gives it `id`.
  absl::Status AddPolicy(std::string id, std::string_view text,
                         const ParseOptions& options = {});

  // Links template `template_id` with `slots` into a new policy `new_id`.
  // Every slot the template uses must be given.
  absl::Status Link(std::string_view template_id, std::string new_id,
                    const SlotValues& slots);

  // Fails if two policies or templates share an id.
  absl::StatusOr<std::shared_ptr<const PolicySet>> Build();

 private:
  std::vector<std::shared_ptr<const internal::Policy>> policies_;
  std::vector<std::shared_ptr<const internal::Policy>> templates_;
  size_t next_index_ = 0;  // for positional `policyN` ids
};

}  // namespace arbiter

#endif  // ARBITER_POLICY_SET_H_
