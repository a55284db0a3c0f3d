// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Reading arbiter.yaml. yaml-cpp builds a node tree (and throws on syntax
// errors, caught here: nothing throws past this file); the tree is then
// walked against a fixed set of keys. The walk keeps going after an error so
// that one run reports every mistake in the file, each at the line and
// column yaml-cpp recorded for the offending key or value, and each naming
// the key by its full path (`tools.rules[2].match`). Unknown keys are errors,
// not warnings: a misspelt `decision_log` silently ignored would mean a
// platform running without the audit log it believes it has.

#include <cctype>
#include <cstdint>
#include <exception>
#include <set>
#include <string>
#include <vector>

// GCC 12 reports false positives (dangling pointer, maybe-uninitialized)
// inside yaml-cpp 0.7's iterator templates as they are instantiated here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <yaml-cpp/yaml.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/bundle/bundle_spec.h"

namespace arbiter::internal {

std::string LocatedMessage(const BundleLocation& where,
                           std::string_view message) {
  if (where.line <= 0) {
    return absl::StrCat(where.file, ": error: ", std::string(message));
  }
  return absl::StrCat(where.file, ":", where.line, ":", where.column,
                      ": error: ", std::string(message));
}

namespace {

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  BundleLocation At(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    // yaml-cpp counts from 0 and uses -1 for "no position".
    if (m.line < 0) return {file_, 0, 0};
    return {file_, m.line + 1, m.column + 1};
  }

  void Error(const BundleLocation& where, std::string_view message) {
    errors_.push_back(LocatedMessage(where, message));
  }

  // Checks that `node` is a map whose keys are all in `known`, and calls
  // `visit(key, key_node, value_node)` for each entry.
  template <typename Visit>
  void Map(const YAML::Node& node, std::string_view path,
           const std::vector<std::string_view>& known, Visit visit) {
    if (!node.IsMap()) {
      Error(At(node), absl::StrCat("`", std::string(path),
                                   "` must be a mapping of keys to values"));
      return;
    }
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      // A copy (a Node is a handle): `it->` yields a temporary pair, and a
      // reference to its `first` would dangle past this statement.
      const YAML::Node k = it->first;
      if (!k.IsScalar()) {
        Error(At(k), absl::StrCat("a key in `", std::string(path),
                                  "` must be a plain name"));
        continue;
      }
      const std::string key = k.Scalar();
      const std::string full =
          path.empty() ? key : absl::StrCat(std::string(path), ".", key);
      bool ok = false;
      for (std::string_view kn : known) ok = ok || kn == key;
      if (!ok) {
        Error(At(k), absl::StrCat("unknown key `", full, "` (expected one of: ",
                                  JoinNames(known), ")"));
        continue;
      }
      if (!seen.insert(key).second) {
        Error(At(k), absl::StrCat("duplicate key `", full, "`"));
        continue;
      }
      visit(key, k, it->second, full);
    }
  }

  bool String(const YAML::Node& v, const std::string& key, LocatedString* out) {
    if (!v.IsScalar()) {
      Error(At(v), absl::StrCat("`", key, "` must be a string"));
      return false;
    }
    out->value = v.Scalar();
    out->location = At(v);
    return true;
  }

  // A string or a list of strings.
  void Strings(const YAML::Node& v, const std::string& key,
               std::vector<LocatedString>* out) {
    if (v.IsScalar()) {
      out->push_back({v.Scalar(), At(v)});
      return;
    }
    if (!v.IsSequence()) {
      Error(At(v), absl::StrCat("`", key, "` must be a string or a list of strings"));
      return;
    }
    for (size_t i = 0; i < v.size(); ++i) {
      const YAML::Node e = v[i];
      if (!e.IsScalar()) {
        Error(At(e), absl::StrCat("`", key, "[", i, "]` must be a string"));
        continue;
      }
      out->push_back({e.Scalar(), At(e)});
    }
  }

  void Top(const YAML::Node& root, BundleSpec* spec) {
    if (!root.IsDefined() || root.IsNull()) {
      Error({file_, 1, 1}, "the bundle file is empty: `policies` is required");
      return;
    }
    bool have_policies = false;
    Map(root, "",
        {"version", "policies", "schema", "entities", "tools", "decision_log",
         "credentials"},
        [&](const std::string& key, const YAML::Node&, const YAML::Node& v,
            const std::string& full) {
          if (key == "version") {
            if (!v.IsScalar() || v.Scalar() != "1") {
              Error(At(v), "`version` must be 1");
            }
          } else if (key == "policies") {
            have_policies = true;
            Strings(v, full, &spec->policies);
            if (v.IsSequence() && v.size() == 0) {
              Error(At(v), "`policies` must name at least one file");
            }
          } else if (key == "schema") {
            LocatedString s;
            if (String(v, full, &s)) spec->schema = s;
          } else if (key == "entities") {
            Strings(v, full, &spec->entities);
          } else if (key == "tools") {
            Tools(v, spec);
          } else if (key == "decision_log") {
            spec->log_location = At(v);
            Log(v, spec);
          } else if (key == "credentials") {
            Credentials(v, spec);
          }
        });
    if (root.IsMap() && !have_policies) {
      Error(At(root), "missing key `policies` (the policy files)");
    }
  }

  void Tools(const YAML::Node& node, BundleSpec* spec) {
    Map(node, "tools", {"action_type", "rules"},
        [&](const std::string& key, const YAML::Node&, const YAML::Node& v,
            const std::string& full) {
          if (key == "action_type") {
            String(v, full, &spec->action_type);
          } else if (key == "rules") {
            if (!v.IsSequence()) {
              Error(At(v), "`tools.rules` must be a list of rules");
              return;
            }
            for (size_t i = 0; i < v.size(); ++i) Rule(v[i], i, spec);
          }
        });
  }

  void Rule(const YAML::Node& node, size_t i, BundleSpec* spec) {
    const std::string path = absl::StrCat("tools.rules[", i, "]");
    ToolRuleSpec rule;
    bool have_match = false, have_actions = false;
    Map(node, path, {"match", "actions"},
        [&](const std::string& key, const YAML::Node&, const YAML::Node& v,
            const std::string& full) {
          if (key == "match") {
            have_match = String(v, full, &rule.match);
          } else {
            have_actions = true;
            Strings(v, full, &rule.actions);
            if (rule.actions.empty() && (v.IsSequence() || v.IsScalar())) {
              Error(At(v), absl::StrCat("`", full, "` must name at least one action group"));
            }
          }
        });
    if (!node.IsMap()) return;
    if (!have_match) Error(At(node), absl::StrCat("missing key `", path, ".match`"));
    if (!have_actions) {
      Error(At(node), absl::StrCat("missing key `", path, ".actions`"));
    }
    spec->rules.push_back(std::move(rule));
  }

  void Log(const YAML::Node& node, BundleSpec* spec) {
    bool have_path = false;
    BundleLocation sink_at = At(node);
    Map(node, "decision_log", {"sink", "path", "context_fields"},
        [&](const std::string& key, const YAML::Node&, const YAML::Node& v,
            const std::string& full) {
          if (key == "sink") {
            LocatedString s;
            if (!String(v, full, &s)) return;
            sink_at = s.location;
            if (s.value == "none") spec->log.sink = DecisionLogSink::kNone;
            else if (s.value == "file") spec->log.sink = DecisionLogSink::kFile;
            else if (s.value == "stderr") spec->log.sink = DecisionLogSink::kStderr;
            else Error(s.location, absl::StrCat("`", full, "` must be none, file or stderr, not `", s.value, "`"));
          } else if (key == "path") {
            LocatedString s;
            if (String(v, full, &s)) {
              spec->log.path = s.value;
              have_path = true;
            }
          } else if (key == "context_fields") {
            std::vector<LocatedString> fields;
            Strings(v, full, &fields);
            for (auto& f : fields) {
              if (f.value.empty()) Error(f.location, absl::StrCat("`", full, "` has an empty field name"));
              spec->log.context_fields.push_back(std::move(f.value));
            }
          }
        });
    if (spec->log.sink == DecisionLogSink::kFile && !have_path) {
      Error(sink_at, "`decision_log.sink` is file but `decision_log.path` is missing");
    }
  }

  void Credentials(const YAML::Node& node, BundleSpec* spec) {
    Map(node, "credentials", {"ttl", "required"},
        [&](const std::string& key, const YAML::Node&, const YAML::Node& v,
            const std::string& full) {
          if (key == "ttl") {
            LocatedString s;
            if (!String(v, full, &s)) return;
            int64_t seconds = 0;
            if (!ParseSeconds(s.value, &seconds)) {
              Error(s.location, absl::StrCat("`", full, "` must be a positive duration such as 90s, 15m or 1h, not `", s.value, "`"));
              return;
            }
            spec->credentials.ttl = std::chrono::seconds(seconds);
          } else if (key == "required") {
            LocatedString s;
            if (!String(v, full, &s)) return;
            if (s.value == "true") spec->credentials.required = true;
            else if (s.value == "false") spec->credentials.required = false;
            else Error(s.location, absl::StrCat("`", full, "` must be true or false, not `", s.value, "`"));
          }
        });
  }

  // "90", "90s", "15m", "2h": a positive whole number of seconds, at most a
  // year (a longer-lived credential is almost certainly a typo).
  static bool ParseSeconds(const std::string& s, int64_t* out) {
    size_t i = 0;
    int64_t n = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      n = n * 10 + (s[i] - '0');
      if (n > 366LL * 24 * 3600) return false;
      ++i;
    }
    if (i == 0) return false;
    int64_t unit = 1;
    if (i < s.size()) {
      if (i + 1 != s.size()) return false;
      switch (s[i]) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        default: return false;
      }
    }
    n *= unit;
    if (n <= 0 || n > 366LL * 24 * 3600) return false;
    *out = n;
    return true;
  }

  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::string file_;
  std::vector<std::string> errors_;
};

}  // namespace

absl::StatusOr<BundleSpec> ParseBundleYaml(std::string_view text,
                                           const std::string& file_name) {
  Reader reader(file_name);
  BundleSpec spec;
  try {
    YAML::Node root = YAML::Load(std::string(text));
    reader.Top(root, &spec);
  } catch (const YAML::Exception& e) {
    // A syntax error: yaml-cpp stops at the first one.
    BundleLocation at{file_name, e.mark.line >= 0 ? e.mark.line + 1 : 0,
                      e.mark.column >= 0 ? e.mark.column + 1 : 0};
    return absl::InvalidArgumentError(
        LocatedMessage(at, absl::StrCat("invalid YAML: ", e.msg)));
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat(file_name, ": error: reading YAML: ", e.what()));
  }
  if (!reader.errors().empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(reader.errors(), "\n"));
  }
  return spec;
}

}  // namespace arbiter::internal

#pragma GCC diagnostic pop
