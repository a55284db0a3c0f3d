// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// The validator (Cedar strict mode). For each rule, a policy that must pass
// and one that must fail with the expected kind and message. Cedar's
// validator (4.10 for the verdicts, cedar-wasm 4.13 for the messages) is the
// oracle: every expectation here was checked against it.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "arbiter/policy_set.h"
#include "arbiter/schema.h"
#include "arbiter/validator.h"

namespace arbiter {
namespace {

using Catch::Contains;

constexpr std::string_view kSchema = R"(
  entity Group;
  entity User in [Group] = {
    name: String,
    level: Long,
    nick?: String,
    profile: { email?: String, age: Long },
    manager?: User,
  };
  entity Photo in [Group] = { owner: User, tags: Set<String> } tags String;
  entity Doc;
  entity Color enum ["red", "blue"];
  action view appliesTo {
    principal: [User],
    resource: [Photo],
    context: { ip: ipaddr, when: datetime, mfa?: Bool },
  };
  action edit in [view] appliesTo { principal: [User], resource: [Photo, Doc] };
  action paint appliesTo { principal: [User], resource: [Color] };
)";

std::shared_ptr<const Schema> TestSchema() {
  static const std::shared_ptr<const Schema> schema = [] {
    absl::StatusOr<std::shared_ptr<const Schema>> s = Schema::Parse(kSchema);
    REQUIRE(s.ok());
    return *s;
  }();
  return schema;
}

ValidationResult Run(std::string_view policies, const ValidateOptions& options = {}) {
  absl::StatusOr<std::shared_ptr<const PolicySet>> set = PolicySet::Parse(policies);
  INFO(std::string(set.ok() ? "" : set.status().message()));
  REQUIRE(set.ok());
  return Validate(*TestSchema(), **set, options);
}

// A policy with only a `when` condition.
ValidationResult When(std::string_view condition,
                      std::string_view scope = "principal, action == Action::\"view\", "
                                               "resource") {
  return Run("permit(" + std::string(scope) + ") when { " + std::string(condition) +
             " };");
}

std::string Dump(const ValidationResult& r) {
  std::string out;
  for (const auto& e : r.errors) out += "E " + e.kind + ": " + e.message + "\n";
  for (const auto& w : r.warnings) out += "W " + w.kind + ": " + w.message + "\n";
  return out;
}

bool Has(const std::vector<ValidationIssue>& issues, std::string_view kind,
         std::string_view message) {
  for (const auto& i : issues) {
    if (i.kind == kind && i.message.find(message) != std::string::npos) return true;
  }
  return false;
}

#define EXPECT_VALID(r)        \
  do {                         \
    auto r_ = (r);             \
    INFO(Dump(r_));            \
    CHECK(r_.ok());            \
  } while (0)

#define EXPECT_ERROR(r, kind, message)        \
  do {                                        \
    auto r_ = (r);                            \
    INFO(Dump(r_));                           \
    CHECK_FALSE(r_.ok());                     \
    CHECK(Has(r_.errors, kind, message));     \
  } while (0)

TEST_CASE("validator: well-typed policies validate", "[validator]") {
  EXPECT_VALID(Run(R"(permit(principal, action, resource);)"));
  EXPECT_VALID(When("principal.level > 3 && principal.name like \"a*\""));
  EXPECT_VALID(When("resource.owner == principal && resource in Group::\"g\""));
  EXPECT_VALID(When("context.ip.isInRange(ip(\"10.0.0.0/8\"))"));
  EXPECT_VALID(When("context.when < datetime(\"2024-01-01\")"));
  EXPECT_VALID(When("resource.tags.contains(\"x\") && [1, 2].containsAll([1])"));
}

TEST_CASE("validator: unrecognized entity types", "[validator]") {
  EXPECT_VALID(Run(R"(permit(principal == User::"a", action, resource);)"));
  EXPECT_ERROR(Run(R"(permit(principal == Usr::"a", action, resource);)"),
               "unrecognized_entity_type",
               "for policy `policy0`, unrecognized entity type `Usr`");
  EXPECT_ERROR(When("principal is Usr"), "unrecognized_entity_type",
               "unrecognized entity type `Usr` (did you mean `User`?)");
  EXPECT_ERROR(When("false && Nope::\"x\" == principal"), "unrecognized_entity_type",
               "`Nope`");
}

TEST_CASE("validator: unrecognized actions", "[validator]") {
  EXPECT_VALID(Run(R"(permit(principal, action in [Action::"view"], resource);)"));
  EXPECT_ERROR(Run(R"(permit(principal, action == Action::"vew", resource);)"),
               "unrecognized_action",
               "unrecognized action `Action::\"vew\"` (did you mean `Action::\"view\"`?)");
}

TEST_CASE("validator: enumerated entity ids", "[validator]") {
  EXPECT_VALID(Run(R"(permit(principal, action, resource == Color::"red");)"));
  EXPECT_ERROR(Run(R"(permit(principal, action, resource == Color::"green");)"),
               "invalid_enum_entity",
               "for policy `policy0`: entity `Color::\"green\"` is of an enumerated "
               "entity type, but `\"green\"` is not declared as a valid eid");
}

TEST_CASE("validator: the scope must allow some action", "[validator]") {
  EXPECT_VALID(Run(R"(permit(principal, action == Action::"edit", resource is Doc);)"));
  ValidationResult r =
      Run(R"(permit(principal, action == Action::"view", resource is Doc);)");
  EXPECT_ERROR(r, "invalid_action_application",
               "unable to find an applicable action given the policy scope constraints");
  // Later Cedar versions demote this to a warning.
  ValidateOptions lenient;
  lenient.impossible_policy_is_error = false;
  ValidationResult w =
      Run(R"(permit(principal, action == Action::"view", resource is Doc);)", lenient);
  INFO(Dump(w));
  CHECK(w.ok());
  CHECK(Has(w.warnings, "invalid_action_application", "unable to find"));
}

TEST_CASE("validator: impossible policies are a warning", "[validator]") {
  ValidationResult r = When("principal in Photo::\"p\"");
  INFO(Dump(r));
  CHECK(r.ok());
  CHECK(Has(r.warnings, "impossible_policy",
            "policy is impossible: the policy expression evaluates to false for all "
            "valid requests"));
  CHECK(When("principal in Group::\"g\"").warnings.empty());
}

TEST_CASE("validator: attributes must exist", "[validator]") {
  EXPECT_VALID(When("principal.profile.age > 1"));
  EXPECT_ERROR(When("principal.nmae == \"a\""), "unsafe_attribute_access",
               "attribute `nmae` on entity type `User` not found");
  EXPECT_ERROR(When("context.ipp == context.ip"), "unsafe_attribute_access",
               "attribute `ipp` in context for Action::\"view\" not found");
  EXPECT_ERROR(When("action.name == \"x\""), "unsafe_attribute_access",
               "attribute `name` on entity type `Action` not found");
}

TEST_CASE("validator: optional attributes need a `has` guard", "[validator]") {
  EXPECT_VALID(When("principal has nick && principal.nick == \"n\""));
  EXPECT_VALID(When("if principal has nick then principal.nick == \"n\" else false"));
  EXPECT_VALID(When("principal.profile has email && principal.profile.email == \"e\""));
  EXPECT_VALID(When("principal has manager.nick && principal.manager.nick == \"m\""));
  EXPECT_ERROR(When("principal.nick == \"n\""), "unsafe_optional_attribute_access",
               "unable to guarantee safety of access to optional attribute `nick` on "
               "entity type `User`");
  // `||` only keeps what both sides establish.
  EXPECT_ERROR(When("(principal has nick || true) && principal.nick == \"n\""),
               "unsafe_optional_attribute_access", "`nick`");
  EXPECT_ERROR(When("principal.profile.email == \"e\""),
               "unsafe_optional_attribute_access", "`profile.email` on entity type `User`");
  EXPECT_ERROR(When("context.mfa"), "unsafe_optional_attribute_access",
               "`mfa` in context for Action::\"view\"");
}

TEST_CASE("validator: operand types", "[validator]") {
  EXPECT_VALID(When("principal.level + 1 > 2"));
  EXPECT_ERROR(When("principal.level"), "unexpected_type",
               "unexpected type: expected Bool but saw Long");
  EXPECT_ERROR(When("principal.name + \"x\" == 1"), "unexpected_type",
               "expected Long but saw String");
  EXPECT_ERROR(When("principal.level like \"1*\""), "unexpected_type",
               "expected String but saw Long");
  EXPECT_ERROR(When("principal.name.contains(\"a\")"), "unexpected_type",
               "expected Set<__cedar::internal::Any> but saw String");
  EXPECT_ERROR(When("decimal(\"1.0\") < decimal(\"2.0\")"), "unexpected_type",
               "expected datetime, or duration, or Long but saw decimal");
  EXPECT_VALID(When("decimal(\"1.0\").lessThan(decimal(\"2.0\"))"));
}

TEST_CASE("validator: compatible types in strict mode", "[validator]") {
  EXPECT_VALID(When("[principal.level, 2].contains(3)"));
  EXPECT_ERROR(When("[1, \"a\"].isEmpty()"), "incompatible_types",
               "the types Long and String are not compatible");
  EXPECT_ERROR(When("(if principal.level > 1 then 1 else \"a\") == 1"),
               "incompatible_types", "the types Long and String are not compatible");
  EXPECT_ERROR(When("principal.level == principal.name"), "incompatible_types",
               "the types Long and String are not compatible");
  EXPECT_ERROR(When("[1, 2].contains(\"a\")"), "incompatible_types",
               "the types Long and String are not compatible");
  EXPECT_ERROR(When("[1].containsAny([\"a\"])"), "incompatible_types",
               "the types Set<Long> and Set<String> are not compatible");
  EXPECT_ERROR(When("[principal, resource].isEmpty()"), "incompatible_types",
               "the types Photo and User are not compatible");
  // Entities of different types are never equal: the comparison is False,
  // not an error.
  ValidationResult r = When("principal == resource");
  INFO(Dump(r));
  CHECK(r.ok());
  // Two literals compare to a known result, so they need not be compatible.
  EXPECT_VALID(When("1 != \"a\""));
  EXPECT_VALID(When("(true && true) == 1 || true"));
}

TEST_CASE("validator: empty set literals", "[validator]") {
  EXPECT_VALID(When("resource.tags.containsAll([\"a\"])"));
  EXPECT_ERROR(When("resource.tags.containsAll([])"), "empty_set_forbidden",
               "empty set literals are forbidden in policies");
  // Even where the parser folds the comparison to a constant.
  EXPECT_ERROR(When("[] == []"), "empty_set_forbidden", "empty set literals");
}

TEST_CASE("validator: extension constructors", "[validator]") {
  EXPECT_VALID(When("context.ip == ip(\"192.168.0.1\")"));
  EXPECT_ERROR(When("context.ip == ip(principal.name)"), "non_lit_ext_constructor",
               "extension constructors may not be called with non-literal expressions");
  EXPECT_ERROR(When("context.ip == ip(\"300.1.1.1\")"), "function_argument_validation",
               "error during extension function argument validation: failed to parse "
               "as IP address: `\"300.1.1.1\"`");
  EXPECT_ERROR(When("decimal(\"1.23456\").lessThan(decimal(\"1.0\"))"),
               "function_argument_validation",
               "failed to parse as a decimal value: `\"1.23456\"`");
  EXPECT_ERROR(When("context.when < datetime(\"2024-13-01\")"),
               "function_argument_validation", "failed to parse as a datetime value");
  EXPECT_ERROR(When("context.ip.isInRange(ip(\"1.2.3.4\"), ip(\"1.2.3.4\"))"),
               "wrong_number_arguments",
               "wrong number of arguments in extension function application. Expected "
               "2, got 3");
  EXPECT_ERROR(When("context.ip.isIpv4(1)"), "wrong_number_arguments", "Expected 1, got 2");
}

TEST_CASE("validator: tags", "[validator]") {
  EXPECT_VALID(When("resource.hasTag(\"k\") && resource.getTag(\"k\") == \"v\""));
  EXPECT_ERROR(When("resource.getTag(\"k\") == \"v\""), "unsafe_tag_access",
               "unable to guarantee safety of access to tag `\"k\"` on entity type "
               "`Photo`");
  // Users have no tags: `hasTag` is False and nothing after it is checked.
  ValidationResult r = When("principal.hasTag(\"k\") && principal.getTag(\"k\") == 1");
  INFO(Dump(r));
  CHECK(r.ok());
  CHECK(Has(r.warnings, "impossible_policy", "impossible"));
}

TEST_CASE("validator: short-circuiting hides unreachable errors", "[validator]") {
  EXPECT_VALID(When("false && principal.nope"));
  EXPECT_VALID(When("true || principal.nope"));
  EXPECT_VALID(When("if false then principal.nope else true"));
  EXPECT_VALID(When("principal is Photo && principal.nope"));
  EXPECT_VALID(When("User::\"a\" != Photo::\"b\" || principal.nope"));
  EXPECT_ERROR(When("principal.level > 1 && principal.nope"), "unsafe_attribute_access",
               "`nope`");
  // Each environment is checked: `view` resources are Photos, so the test
  // is False there, but `edit` also applies to Docs.
  EXPECT_VALID(When("resource is Doc && resource.nope"));
  EXPECT_ERROR(When("resource is Doc && resource.nope", "principal, action, resource"),
               "unsafe_attribute_access", "attribute `nope` on entity type `Doc`");
  EXPECT_ERROR(When("resource.owner == principal", "principal, action, resource"),
               "unsafe_attribute_access", "attribute `owner` on entity type `Doc`");
  EXPECT_VALID(When("resource.owner == principal",
                    "principal, action, resource is Photo"));
}

TEST_CASE("validator: the action hierarchy decides `action in`", "[validator]") {
  // `edit` is in `view` and applies to Docs, which have no `owner`.
  EXPECT_VALID(When("resource.owner == principal",
                    "principal, action == Action::\"view\", resource"));
  EXPECT_ERROR(When("resource.owner == principal",
                    "principal, action in [Action::\"view\"], resource"),
               "unsafe_attribute_access", "attribute `owner` on entity type `Doc`");
  EXPECT_ERROR(When("action in Action::\"view\" && resource.owner == principal",
                    "principal, action, resource"),
               "unsafe_attribute_access", "attribute `owner` on entity type `Doc`");
}

TEST_CASE("validator: `is` and `in` need entities", "[validator]") {
  EXPECT_ERROR(When("principal.level is User"), "unexpected_type",
               "expected __cedar::internal::AnyEntity but saw Long (Cedar only supports "
               "run time type tests for entities)");
  EXPECT_ERROR(When("principal.level in principal"), "unexpected_type",
               "expected __cedar::internal::AnyEntity but saw Long");
}

TEST_CASE("validator: templates and linked policies", "[validator]") {
  PolicySetBuilder b;
  REQUIRE(b.AddPolicy("t0", R"(permit(principal in ?principal, action, resource)
                                 when { principal.nick == "x" };)").ok());
  REQUIRE(b.AddPolicy("t1", R"(permit(principal, action, resource in ?resource);)").ok());
  SlotValues ok_slots, bad_slots;
  ok_slots.resource = EntityUid::Of("Group", "g");
  bad_slots.resource = EntityUid::Of("Nope", "n");
  REQUIRE(b.Link("t1", "link_ok", ok_slots).ok());
  REQUIRE(b.Link("t1", "link_bad", bad_slots).ok());
  absl::StatusOr<std::shared_ptr<const PolicySet>> set = b.Build();
  REQUIRE(set.ok());
  ValidationResult r = Validate(*TestSchema(), **set);
  INFO(Dump(r));
  CHECK(Has(r.errors, "unsafe_optional_attribute_access", "for policy `t0`"));
  CHECK(Has(r.errors, "unrecognized_entity_type",
            "for policy `link_bad`, unrecognized entity type `Nope`"));
  for (const auto& e : r.errors) {
    CHECK(e.policy_id != "t1");
    CHECK(e.policy_id != "link_ok");
  }
}

TEST_CASE("validator: issues are located", "[validator]") {
  ParseOptions options;
  options.file_name = "p.cedar";
  absl::StatusOr<std::shared_ptr<const PolicySet>> set = PolicySet::Parse(
      "permit(principal, action, resource);\n"
      "permit(principal, action, resource)\n"
      "  when { principal.nope };\n",
      options);
  REQUIRE(set.ok());
  ValidationResult r = Validate(*TestSchema(), **set);
  REQUIRE(r.errors.size() == 1);
  const ValidationIssue& e = r.errors[0];
  CHECK(e.policy_id == "policy1");
  CHECK(e.file_name == "p.cedar");
  CHECK(e.line == 3);
  CHECK(e.column == 10);
  CHECK(e.ToString() ==
        "p.cedar:3:10: policy `policy1`: for policy `policy1`, attribute `nope` on "
        "entity type `User` not found");
}

}  // namespace
}  // namespace arbiter
