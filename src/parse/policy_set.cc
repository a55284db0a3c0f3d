// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// PolicySetBuilder and PolicySet: naming, linking and freezing parsed
// policies. Policies are held by shared_ptr<const Policy> so a linked policy
// shares its template's body and a built set can be copied cheaply into a new
// builder later (for reloads).

#include "arbiter/policy_set.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/ast/policy.h"
#include "src/eval/program.h"
#include "src/eval/rule_out.h"
#include "src/index/policy_index.h"
#include "src/parse/parser.h"

namespace arbiter {

using internal::Policy;

std::string Diagnostic::ToString() const {
  return absl::StrFormat("%s:%d:%d: error: %s\n%s", file_name, line, column,
                         message, snippet);
}

PolicySet::~PolicySet() = default;  // PolicyIndex is complete here

std::string_view PolicySet::policy_id(size_t i) const {
  return policies_[i]->id;
}

std::string PolicySet::PolicyText(size_t i) const {
  const internal::PolicyBody& b = *policies_[i]->body;
  if (b.source == nullptr) return "";
  return b.source->substr(b.span.begin, b.span.end - b.span.begin);
}

absl::StatusOr<std::shared_ptr<const PolicySet>> PolicySet::Parse(
    std::string_view text, const ParseOptions& options) {
  PolicySetBuilder b;
  if (absl::Status s = b.AddText(text, options); !s.ok()) return s;
  return b.Build();
}

PolicySetBuilder::PolicySetBuilder() = default;
PolicySetBuilder::~PolicySetBuilder() = default;

namespace {

// A parsed text and its file name, shared by all of its policies: each body
// holds `source` as an aliasing pointer to `text` and views `file_name`.
struct SourceFile {
  std::string text;
  std::string file_name;
};

void AttachSource(std::string_view text, std::string_view file_name,
                  std::vector<std::shared_ptr<Policy>>* parsed) {
  auto file = std::make_shared<const SourceFile>(
      SourceFile{std::string(text), std::string(file_name)});
  std::shared_ptr<const std::string> source(file, &file->text);
  for (auto& p : *parsed) {
    // The body is still uniquely owned here.
    auto body = std::const_pointer_cast<internal::PolicyBody>(p->body);
    body->source = source;
    body->file_name = file->file_name;
  }
}

absl::Status DiagnosticsToStatus(const std::vector<Diagnostic>& diags) {
  std::string msg = absl::StrFormat("%d parse error%s", diags.size(),
                                    diags.size() == 1 ? "" : "s");
  for (const Diagnostic& d : diags) absl::StrAppend(&msg, "\n", d.ToString());
  return absl::InvalidArgumentError(msg);
}

}  // namespace

absl::Status PolicySetBuilder::AddText(std::string_view text,
                                       const ParseOptions& options,
                                       std::vector<Diagnostic>* diagnostics) {
  std::vector<Diagnostic> local;
  std::vector<Diagnostic>* diags = diagnostics ? diagnostics : &local;
  diags->clear();
  std::vector<std::shared_ptr<Policy>> parsed;
  if (!internal::ParsePolicies(text, options, &parsed, diags)) {
    if (diags->empty()) {
      diags->push_back(internal::MakeDiagnostic(options.file_name, text, 0,
                                                "invalid policy text"));
    }
    return DiagnosticsToStatus(*diags);
  }
  AttachSource(text, options.file_name, &parsed);
  for (auto& p : parsed) {
    p->id = absl::StrCat("policy", next_index_++);
    if (p->is_template) {
      templates_.push_back(std::move(p));
    } else {
      policies_.push_back(std::move(p));
    }
  }
  return absl::OkStatus();
}

absl::Status PolicySetBuilder::AddPolicy(std::string id, std::string_view text,
                                         const ParseOptions& options) {
  std::vector<Diagnostic> diags;
  std::vector<std::shared_ptr<Policy>> parsed;
  if (!internal::ParsePolicies(text, options, &parsed, &diags)) {
    return DiagnosticsToStatus(diags);
  }
  if (parsed.size() != 1) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "expected exactly one policy for `%s`, found %d", id, parsed.size()));
  }
  AttachSource(text, options.file_name, &parsed);
  auto& p = parsed[0];
  p->id = std::move(id);
  ++next_index_;
  if (p->is_template) {
    templates_.push_back(std::move(p));
  } else {
    policies_.push_back(std::move(p));
  }
  return absl::OkStatus();
}

absl::Status PolicySetBuilder::Link(std::string_view template_id,
                                    std::string new_id,
                                    const SlotValues& slots) {
  const Policy* tmpl = nullptr;
  for (const auto& t : templates_) {
    if (t->id == template_id) tmpl = t.get();
  }
  if (tmpl == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("no template with id `", std::string(template_id), "`"));
  }
  auto linked = std::make_shared<Policy>(*tmpl);
  linked->id = std::move(new_id);
  linked->template_id = tmpl->id;
  linked->is_template = false;
  auto fill = [&](internal::ScopeConstraint* c,
                  const std::optional<EntityUid>& value,
                  std::string_view slot) -> absl::Status {
    if (!c->slot) {
      if (value.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "template `", tmpl->id, "` has no `?", std::string(slot), "` slot"));
      }
      return absl::OkStatus();
    }
    if (!value.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "linking template `", tmpl->id, "` requires a value for `?",
          std::string(slot), "`"));
    }
    c->slot = false;
    c->entity = *value;
    return absl::OkStatus();
  };
  if (absl::Status s = fill(&linked->principal, slots.principal, "principal");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = fill(&linked->resource, slots.resource, "resource");
      !s.ok()) {
    return s;
  }
  policies_.push_back(std::move(linked));
  return absl::OkStatus();
}

namespace {

// FNV-1a, 64 bits: stable across platforms and releases, which a revision
// recorded in audit logs must be. Each part is followed by a 0 byte so that
// ("ab", "c") and ("a", "bc") differ.
void HashPart(std::string_view s, uint64_t* h) {
  for (unsigned char c : s) {
    *h ^= c;
    *h *= 0x100000001b3ULL;
  }
  *h *= 0x100000001b3ULL;  // the 0 byte: xor with 0 is a no-op
}

uint64_t SourceHash(
    const std::vector<std::shared_ptr<const Policy>>& policies,
    const std::vector<std::shared_ptr<const Policy>>& templates) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const auto* list : {&policies, &templates}) {
    for (const auto& p : *list) {
      HashPart(p->id, &h);
      const internal::PolicyBody& b = *p->body;
      if (b.source != nullptr) {
        HashPart(std::string_view(*b.source).substr(
                     b.span.begin, b.span.end - b.span.begin),
                 &h);
      }
      if (!p->template_id.empty()) {
        HashPart(p->template_id, &h);
        HashPart(p->principal.entity.ToString(), &h);
        HashPart(p->resource.entity.ToString(), &h);
      }
    }
    HashPart("", &h);  // policies apart from templates
  }
  return h;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const PolicySet>> PolicySetBuilder::Build() {
  absl::flat_hash_set<std::string_view> ids;
  ids.reserve(policies_.size() + templates_.size());
  for (const auto* list : {&policies_, &templates_}) {
    for (const auto& p : *list) {
      if (p->id.size() > UINT32_MAX) {  // PolicySet::Head stores 32 bits
        return absl::InvalidArgumentError("a policy id is longer than 4 GiB");
      }
      if (!ids.insert(p->id).second) {
        return absl::AlreadyExistsError(
            absl::StrCat("duplicate policy id `", p->id, "`"));
      }
    }
  }
  std::shared_ptr<PolicySet> set(new PolicySet());
  set->policies_ = policies_;
  set->templates_ = templates_;
  set->source_hash_ = SourceHash(policies_, templates_);
  set->heads_.reserve(set->policies_.size());
  for (const auto& p : set->policies_) {
    // Id lengths were checked against 32 bits above.
    uint8_t rule_out_vars = 0;
    for (internal::Var v : {internal::Var::kPrincipal, internal::Var::kAction,
                            internal::Var::kResource}) {
      if (internal::MayRuleOut(*p, v)) {
        rule_out_vars |= static_cast<uint8_t>(1u << static_cast<int>(v));
      }
    }
    set->heads_.push_back(
        PolicySet::Head{p->id.data(), static_cast<uint32_t>(p->id.size()),
                        p->effect == internal::Effect::kForbid, rule_out_vars});
  }
  set->index_ = std::make_unique<const internal::PolicyIndex>(set->policies_);
  set->program_ = std::make_unique<const internal::Program>(set->policies_);
  return std::shared_ptr<const PolicySet>(std::move(set));
}

}  // namespace arbiter
