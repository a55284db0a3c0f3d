// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Cedar policy text to ASTs. The entry point used by PolicySetBuilder.

#ifndef ARBITER_PARSE_PARSER_H_
#define ARBITER_PARSE_PARSER_H_

#include <memory>
#include <string_view>
#include <vector>

#include "arbiter/policy_set.h"
#include "src/ast/policy.h"

namespace arbiter::internal {

// Parses every policy and template in `text`. Policies are returned in
// source order with empty ids (the caller names them), and without their
// body's `source` and `file_name` (the caller attaches them). Returns false
// and fills `diagnostics` when any error was found; `policies` then holds
// only what parsed cleanly and must not be used. Each policy is allocated
// with its shared_ptr control block, as the policy set holds it.
bool ParsePolicies(std::string_view text, const ParseOptions& options,
                   std::vector<std::shared_ptr<Policy>>* policies,
                   std::vector<Diagnostic>* diagnostics);

// Locates byte `offset` of `source` as a Diagnostic (line, column, snippet).
Diagnostic MakeDiagnostic(std::string_view file_name, std::string_view source,
                          uint32_t offset, std::string message);

}  // namespace arbiter::internal

#endif  // ARBITER_PARSE_PARSER_H_
