// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// bundle.h: a policy bundle — policies, schema, entities and tool rules
// loaded from one `arbiter.yaml`, deciding tool calls that appear at run time.
//
// Overview
//   An agent platform ships its authorization as a bundle:
//
//     # arbiter.yaml
//     policies: [policies/*.cedar]        # files or globs, in this order
//     schema: schema.cedarschema          # optional (.json: JSON format)
//     entities: [entities.json]           # optional, any number of files
//     tools:
//       action_type: Action               # tool `t` is the action Action::"t"
//       rules:                            # first matching rule wins
//         - match: '^github\.(get|list)_' # RE2, searched (anchor with ^ / $)
//           actions: [read_tools]         # its action groups (ids or uids)
//         - match: '^shell\.'
//           actions: [dangerous_tools]
//     decision_log:
//       sink: file                        # none (default) | file | stderr
//       path: decisions.jsonl
//       context_fields: ["*"]             # "*" = the whole context
//     credentials:
//       ttl: 15m                          # s, m, h (or a number of seconds)
//       required: true
//
//   auto bundle = arbiter::Bundle::Load("arbiter.yaml");
//   if (!bundle.ok()) { /* file:line:column: message naming the key */ }
//   arbiter::Response r;
//   arbiter::ToolResolution how =
//       (*bundle)->AuthorizeTool("github.get_issue", request, &r);
//
// Tools
//   A tool name becomes the action `<action_type>::"<name>"`. If that action
//   is in the bundle's entities (or declared by its schema) the tool is
//   *declared* and its groups come from there. Otherwise the first rule
//   whose pattern matches gives the action its parents, so `action in
//   Action::"read_tools"` applies to a tool first seen a second ago. A tool
//   that no rule matches is *unclassified* and denied without evaluating any
//   policy (ToolResolution::kUnclassified, "unclassified tool"). A
//   classified tool's action entity is built once and cached in the bundle.
//
// Loading is all-or-nothing: any error (unreadable or unknown key, a glob
// matching nothing, a parse, schema, entity or validation error, a bad
// pattern, an undeclared action group) fails the load, and every error is
// reported: bundle-file and policy errors as `file:line:column: error: …`
// naming the key; entity-file errors with the file, the entity and the
// attribute (and line and column for JSON syntax errors).
//
// Thread-safety
//   A Bundle is immutable once loaded (its tool cache is internally
//   synchronised) and may be used from any number of threads. Swapping
//   bundles while deciding is BundleManager's job (bundle_manager.h).

#ifndef ARBITER_BUNDLE_H_
#define ARBITER_BUNDLE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "arbiter/authorizer.h"
#include "arbiter/engine.h"
#include "arbiter/entities.h"
#include "arbiter/policy_set.h"
#include "arbiter/request.h"
#include "arbiter/schema.h"
#include "arbiter/validator.h"

namespace arbiter {

namespace internal {
class ToolTable;
}  // namespace internal

// Where something was written in a bundle file.
struct BundleLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
};

// One tool classification rule.
struct ToolRule {
  std::string pattern;            // RE2 syntax; searched, not fully matched
  std::vector<EntityUid> groups;  // parents of a matching tool's action
  BundleLocation location;        // of the rule's `match` value
};

enum class DecisionLogSink : uint8_t { kNone, kFile, kStderr };

// decision_log: what a runtime (or the agent guard) should log.
struct DecisionLogSettings {
  DecisionLogSink sink = DecisionLogSink::kNone;  // default: none
  std::string path;  // for kFile; relative paths resolved against the bundle
  // Context fields copied into each record; {"*"} copies the whole context,
  // which is what makes a log replayable (see replay.h). Default: none.
  std::vector<std::string> context_fields;
  bool copies_whole_context() const;
};

// credentials: defaults for the credentials a runtime issues.
struct CredentialSettings {
  // Time to live of an issued credential. Default: 5 minutes.
  std::chrono::seconds ttl{300};
  // Whether a call without a credential is denied. Default: false.
  bool required = false;
};

struct BundleLoadOptions {
  // Limits for the entity files. Default: JsonOptions defaults.
  JsonOptions json;
  // Validate the policies against the schema (when there is one) and fail
  // the load on any validation error. Default: true.
  bool validate = true;
  // How validation counts what it finds (see ValidateOptions: whether a
  // policy no action's scope satisfies is an error). Default: as there.
  ValidateOptions validation;
  // Distinct tool names a bundle classifies and remembers. Beyond that a new
  // name is denied as unclassified (fail closed), so a caller sending endless
  // made-up names cannot grow memory without bound. Default: 65536.
  size_t max_cached_tools = 65536;
};

// How a tool name was resolved to an action.
enum class ToolResolution : uint8_t {
  kDeclared,      // its action is in the bundle's entities or schema
  kClassified,    // a tool rule gave it its groups
  kUnclassified,  // no rule matched: denied without evaluating policies
};

// "declared", "classified", "unclassified tool".
std::string_view ToolResolutionName(ToolResolution r);

// What ClassifyTool found.
struct ToolInfo {
  ToolResolution resolution = ToolResolution::kUnclassified;
  EntityUid action;               // <action_type>::"<tool>"
  int rule = -1;                  // index in tool_rules() for kClassified
  std::vector<EntityUid> groups;  // the action's parents
};

// Bundle
//
// One loaded bundle. Handed out as std::shared_ptr<const Bundle>.
class Bundle : public ActionResolver {
 public:
  // Reads `path` (arbiter.yaml) and everything it names, relative to the
  // folder that holds it.
  static absl::StatusOr<std::shared_ptr<const Bundle>> Load(
      const std::string& path, const BundleLoadOptions& options = {});

  // The same from text; `path` names it in errors and its folder resolves
  // relative paths.
  static absl::StatusOr<std::shared_ptr<const Bundle>> FromYaml(
      std::string_view yaml, const std::string& path,
      const BundleLoadOptions& options = {});

  ~Bundle() override;
  Bundle(const Bundle&) = delete;
  Bundle& operator=(const Bundle&) = delete;

  const std::string& path() const { return path_; }
  // A hash (FNV-1a, stable across runs) of the bundle file and every file it
  // read: equal revisions mean equal inputs.
  uint64_t revision() const override { return revision_; }
  std::string revision_hex() const;  // 16 lower-case hex digits

  const std::shared_ptr<const PolicySet>& policies() const { return policies_; }
  // The store decisions read (with the schema's action entities).
  const std::shared_ptr<const Entities>& entities() const { return entities_; }
  const Schema* schema() const { return schema_.get(); }
  Symbol tool_action_type() const { return action_type_; }
  const std::vector<ToolRule>& tool_rules() const { return rules_; }
  const DecisionLogSettings& decision_log() const { return log_; }
  const CredentialSettings& credentials() const { return credentials_; }
  // Every file the load read, the bundle file first (what a watcher polls).
  const std::vector<std::string>& files() const { return files_; }

  // The action uid of a tool name.
  EntityUid ToolAction(std::string_view tool) const;

  // Resolves a tool name (caching the classified entity).
  ToolInfo ClassifyTool(std::string_view tool) const;

  // ActionResolver: the store holding `action` — the bundle's own, or for a
  // tool first seen at run time the overlay holding its classified action
  // entity; nullptr for an unclassified tool. Installed in an Engine
  // snapshot (BundleManager does this), it lets Engine and Guard decide
  // runtime tools.
  const Entities* EntitiesFor(const EntityUid& action) const override;

  // Decides `request` as a call of `tool`: request.action is ignored. An
  // unclassified tool is a deny with no reasons and no errors.
  ToolResolution AuthorizeTool(std::string_view tool, const Request& request,
                               Response* response,
                               const AuthorizeOptions& options = {}) const;

  // Decides a request whose action may be a tool: an action of the tool
  // action type that is not declared is classified by its id. Any other
  // action is decided as is (kDeclared).
  ToolResolution Authorize(const Request& request, Response* response,
                           const AuthorizeOptions& options = {}) const;

  // Permitted tools: which of `tools` the request's principal may call on
  // its resource in its context now (request.action is ignored). Replaces
  // *permitted with the indexes into `tools` of the permitted ones, in
  // order. The answer for each tool is the one AuthorizeTool gives; tools
  // that policies, entities and the context cannot tell apart (same groups,
  // action never named) are decided once per call, not once each.
  void PermittedTools(const Request& request,
                      absl::Span<const std::string_view> tools,
                      std::vector<uint32_t>* permitted) const;
  // Convenience form returning the permitted names.
  std::vector<std::string> PermittedTools(
      const Request& request, const std::vector<std::string>& tools) const;

  // The tool rules that can never decide a tool, with why (an earlier rule
  // matches every name this one matches, or nothing can match it). Used by
  // `arbiter lint-bundle`.
  struct UnreachableRule {
    size_t rule;
    std::string reason;
  };
  std::vector<UnreachableRule> UnreachableToolRules() const;

 private:
  Bundle();
  friend struct BundleBuilder;

  std::string path_;
  uint64_t revision_ = 0;
  std::shared_ptr<const PolicySet> policies_;
  std::shared_ptr<const Entities> entities_;
  std::shared_ptr<const Schema> schema_;
  Symbol action_type_;
  std::vector<ToolRule> rules_;
  DecisionLogSettings log_;
  CredentialSettings credentials_;
  std::vector<std::string> files_;
  std::unique_ptr<internal::ToolTable> tools_;
};

}  // namespace arbiter

#endif  // ARBITER_BUNDLE_H_
