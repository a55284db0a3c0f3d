// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Loading a bundle: the YAML spec (bundle_yaml.cc) names files; this reads
// them, builds the policy set, schema and entity store, validates, resolves
// the tool rules' action groups and compiles their patterns. Everything is
// built into a fresh Bundle that is returned only when every step succeeded,
// which is what makes a reload all-or-nothing: the caller never sees a
// half-built bundle to install. Errors are collected across files so that one
// load reports every problem.

#include <glob.h>

#include <cctype>
#include <optional>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "arbiter/bundle.h"
#include "arbiter/validator.h"
#include "src/bundle/bundle_spec.h"
#include "src/bundle/tool_table.h"

namespace arbiter {

// Friend of Bundle: fills its private fields.
struct BundleBuilder {
  static std::shared_ptr<Bundle> New() {
    return std::shared_ptr<Bundle>(new Bundle());
  }
  static Bundle& Of(const std::shared_ptr<Bundle>& b) { return *b; }
};

namespace {

using internal::LocatedMessage;
using internal::LocatedString;

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read `", path, "`"));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading `", path, "`"));
  return ss.str();
}

std::string DirName(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  return path.substr(0, slash + 1);
}

std::string Resolve(const std::string& dir, const std::string& p) {
  if (!p.empty() && p[0] == '/') return p;
  return dir + p;
}

bool IsGlob(const std::string& p) {
  return p.find_first_of("*?[") != std::string::npos;
}

// FNV-1a, 64 bits: stable across processes and machines (absl::Hash is
// seeded per process), so a revision can be compared with a logged one.
void Fnv(std::string_view data, uint64_t* h) {
  for (unsigned char c : data) {
    *h ^= c;
    *h *= 1099511628211ULL;
  }
}

// Expands the entries of a file list (globs sorted, as glob(3) does), each
// resolved against the bundle's folder.
std::vector<std::string> Expand(const std::vector<LocatedString>& entries,
                                const std::string& dir, const char* key,
                                std::vector<std::string>* errors) {
  std::vector<std::string> out;
  for (const LocatedString& e : entries) {
    const std::string path = Resolve(dir, e.value);
    if (!IsGlob(e.value)) {
      out.push_back(path);
      continue;
    }
    glob_t g{};
    const int rc = glob(path.c_str(), 0, nullptr, &g);
    if (rc == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i) out.push_back(g.gl_pathv[i]);
    } else {
      errors->push_back(LocatedMessage(
          e.location, absl::StrCat("`", key, "` pattern `", e.value,
                                   "` matches no file")));
    }
    globfree(&g);
  }
  return out;
}

bool ValidTypeName(const std::string& s) {
  // Cedar names: identifiers joined by `::`.
  size_t i = 0;
  while (true) {
    if (i >= s.size() || !(std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_')) return false;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
    if (i == s.size()) return true;
    if (s.compare(i, 2, "::") != 0) return false;
    i += 2;
  }
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Bundle>> Bundle::Load(
    const std::string& path, const BundleLoadOptions& options) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) {
    return absl::NotFoundError(
        absl::StrCat(path, ": error: ", text.status().message()));
  }
  return FromYaml(*text, path, options);
}

absl::StatusOr<std::shared_ptr<const Bundle>> Bundle::FromYaml(
    std::string_view yaml, const std::string& path,
    const BundleLoadOptions& options) {
  absl::StatusOr<internal::BundleSpec> spec_or =
      internal::ParseBundleYaml(yaml, path);
  if (!spec_or.ok()) return spec_or.status();
  internal::BundleSpec& spec = *spec_or;

  std::shared_ptr<Bundle> owned = BundleBuilder::New();
  Bundle& b = BundleBuilder::Of(owned);
  b.path_ = path;
  uint64_t rev = 14695981039346656037ULL;
  Fnv(yaml, &rev);
  b.files_.push_back(path);
  const std::string dir = DirName(path);
  std::vector<std::string> errors;

  auto read = [&](const std::string& file, const BundleLocation& where,
                  const char* key) -> std::optional<std::string> {
    absl::StatusOr<std::string> t = ReadWholeFile(file);
    if (!t.ok()) {
      errors.push_back(LocatedMessage(
          where, absl::StrCat("`", key, "`: ", t.status().message())));
      return std::nullopt;
    }
    b.files_.push_back(file);
    // The name as seen from the bundle's folder: the same bundle loaded
    // through another path has the same revision.
    Fnv(file.compare(0, dir.size(), dir) == 0 ? file.substr(dir.size()) : file, &rev);
    Fnv(*t, &rev);
    return *std::move(t);
  };

  // Policies, in the order listed (ids policy0, policy1, … count across).
  PolicySetBuilder pb;
  for (const LocatedString& e : spec.policies) {
    for (const std::string& file : Expand({e}, dir, "policies", &errors)) {
      std::optional<std::string> t = read(file, e.location, "policies");
      if (!t) continue;
      ParseOptions po;
      po.file_name = file;
      if (absl::Status s = pb.AddText(*t, po); !s.ok()) {
        errors.push_back(std::string(s.message()));
      }
    }
  }
  if (errors.empty()) {
    auto built = pb.Build();
    if (!built.ok()) errors.push_back(std::string(built.status().message()));
    else b.policies_ = *std::move(built);
  }

  if (spec.schema) {
    const std::string file = Resolve(dir, spec.schema->value);
    if (std::optional<std::string> t = read(file, spec.schema->location, "schema")) {
      SchemaParseOptions so;
      so.file_name = file;
      const bool json = file.size() >= 5 && file.compare(file.size() - 5, 5, ".json") == 0;
      auto schema = json ? Schema::FromJson(*t, so) : Schema::Parse(*t, so);
      if (!schema.ok()) errors.push_back(std::string(schema.status().message()));
      else b.schema_ = *std::move(schema);
    }
  }

  // Entities: each file read on its own (errors name the file), then one
  // store. With a schema, files are read by its types and the schema's
  // action entities are added (once: identical duplicates merge).
  std::vector<std::shared_ptr<const Entities>> stores;
  // A schema that failed to load would only add confusing entity errors.
  const bool read_entities = !spec.schema || b.schema_ != nullptr;
  for (const LocatedString& e : spec.entities) {
    if (!read_entities) break;
    for (const std::string& file : Expand({e}, dir, "entities", &errors)) {
      std::optional<std::string> t = read(file, e.location, "entities");
      if (!t) continue;
      auto store = b.schema_ ? EntitiesFromJson(*t, *b.schema_, options.json)
                             : Entities::FromJson(*t, options.json);
      if (!store.ok()) {
        errors.push_back(absl::StrCat(file, ": error: ", store.status().message()));
      } else {
        stores.push_back(*std::move(store));
      }
    }
  }
  if (stores.size() == 1) {
    b.entities_ = stores[0];
  } else if (stores.empty()) {
    if (b.schema_) {
      auto store = EntitiesFromJson("[]", *b.schema_, options.json);
      if (store.ok()) b.entities_ = *std::move(store);
      else errors.push_back(std::string(store.status().message()));
    } else {
      b.entities_ = Entities::Empty();
    }
  } else {
    std::vector<Entity> all;
    for (const auto& s : stores) {
      for (const auto& [uid, e] : s->all()) {
        all.push_back(Entity{e.uid, e.attrs, e.parents, e.tags});
      }
    }
    auto merged = Entities::Build(std::move(all));
    if (!merged.ok()) {
      errors.push_back(absl::StrCat(
          LocatedMessage(spec.entities.front().location, "`entities`: "),
          merged.status().message()));
    } else {
      b.entities_ = *std::move(merged);
    }
  }

  if (options.validate && b.schema_ && b.policies_) {
    ValidationResult v = Validate(*b.schema_, *b.policies_, options.validation);
    for (const ValidationIssue& issue : v.errors) {
      errors.push_back(absl::StrCat(issue.file_name, ":", issue.line, ":",
                                    issue.column, ": error: policy `",
                                    issue.policy_id, "`: ", issue.message));
    }
  }

  // Tool rules: each group must exist, or `action in Action::"read_tools"`
  // would silently never hold for the tools the rule classifies.
  if (!ValidTypeName(spec.action_type.value)) {
    errors.push_back(LocatedMessage(
        spec.action_type.location,
        absl::StrCat("`tools.action_type` `", spec.action_type.value,
                     "` is not an entity type name")));
  }
  b.action_type_ = Symbol::Intern(spec.action_type.value);
  for (size_t i = 0; i < spec.rules.size(); ++i) {
    const internal::ToolRuleSpec& rs = spec.rules[i];
    ToolRule rule;
    rule.pattern = rs.match.value;
    rule.location = rs.match.location;
    for (const LocatedString& a : rs.actions) {
      EntityUid uid;
      if (a.value.find("::\"") != std::string::npos) {
        std::string quoted;
        AppendQuotedString(a.value, &quoted);  // a JSON string literal too
        auto parsed = EntityUidFromJson(quoted);
        if (!parsed.ok()) {
          errors.push_back(LocatedMessage(
              a.location, absl::StrCat("`tools.rules[", i, "].actions`: `",
                                       a.value, "` is not an action uid: ",
                                       parsed.status().message())));
          continue;
        }
        uid = *parsed;
      } else {
        uid = EntityUid{b.action_type_, Symbol::Intern(a.value)};
      }
      if (b.entities_ && b.entities_->Find(uid) == nullptr) {
        errors.push_back(LocatedMessage(
            a.location,
            absl::StrCat("`tools.rules[", i, "].actions`: action group `",
                         uid.ToString(),
                         "` is not declared in the bundle's entities or schema")));
      }
      rule.groups.push_back(uid);
    }
    b.rules_.push_back(std::move(rule));
  }

  b.log_ = std::move(spec.log);
  if (b.log_.sink == DecisionLogSink::kFile) b.log_.path = Resolve(dir, b.log_.path);
  b.credentials_ = spec.credentials;

  if (errors.empty()) {
    auto table = internal::ToolTable::Create(b.rules_, b.action_type_,
                                             b.entities_, *b.policies_,
                                             options.max_cached_tools);
    if (!table.ok()) errors.push_back(std::string(table.status().message()));
    else b.tools_ = *std::move(table);
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  }
  b.revision_ = rev;
  return std::shared_ptr<const Bundle>(std::move(owned));
}

}  // namespace arbiter
