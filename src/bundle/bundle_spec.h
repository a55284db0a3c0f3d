// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The contents of an arbiter.yaml as written, with where each value was
// written: the YAML reader (bundle_yaml.cc) produces it, the loader
// (bundle_load.cc) turns it into a Bundle and uses the locations for the
// errors it finds later (a glob that matches nothing, an undeclared group).

#ifndef ARBITER_BUNDLE_BUNDLE_SPEC_H_
#define ARBITER_BUNDLE_BUNDLE_SPEC_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "arbiter/bundle.h"

namespace arbiter::internal {

struct LocatedString {
  std::string value;
  BundleLocation location;
};

struct ToolRuleSpec {
  LocatedString match;
  std::vector<LocatedString> actions;
};

struct BundleSpec {
  std::vector<LocatedString> policies;
  std::optional<LocatedString> schema;
  std::vector<LocatedString> entities;
  LocatedString action_type{"Action", {}};
  std::vector<ToolRuleSpec> rules;
  DecisionLogSettings log;
  BundleLocation log_location;  // of the decision_log key, for its errors
  CredentialSettings credentials;
};

// "file:line:column: error: message" (without the location when unknown).
std::string LocatedMessage(const BundleLocation& where, std::string_view message);

// Parses the YAML text of a bundle file. Reports every error (each with its
// location and the key it concerns), one per line, as InvalidArgument.
absl::StatusOr<BundleSpec> ParseBundleYaml(std::string_view text,
                                           const std::string& file_name);

}  // namespace arbiter::internal

#endif  // ARBITER_BUNDLE_BUNDLE_SPEC_H_
