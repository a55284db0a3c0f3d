/* Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The C API (include/arbiter/c.h), from C: compiled as C11 and linked with
 * the C toolchain against libarbiter_c.so only, so it also proves that the
 * header is C and that the library needs nothing C++ from its user.
 * Exits non-zero, naming each failed check, on any failure. */

/* mkstemp, close */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arbiter/c.h"

static int failures = 0;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
              #cond);                                                 \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

/* Whether `haystack` (may be NULL) contains `needle`. */
static int Contains(const char* haystack, const char* needle) {
  return haystack != NULL && strstr(haystack, needle) != NULL;
}

static const char kPolicies[] =
    "permit (principal == User::\"alice\", action == Action::\"view\", "
    "resource);\n"
    "forbid (principal, action, resource) when { resource.private };\n"
    "permit (principal, action == Action::\"edit\", resource)\n"
    "  when { principal.level > 3 };\n";

static const char kEntities[] =
    "[{\"uid\": {\"type\": \"User\", \"id\": \"alice\"},"
    "  \"attrs\": {\"level\": 5}, \"parents\": []},"
    " {\"uid\": {\"type\": \"User\", \"id\": \"bob\"},"
    "  \"attrs\": {}, \"parents\": []},"
    " {\"uid\": {\"type\": \"Photo\", \"id\": \"p1\"},"
    "  \"attrs\": {\"private\": false}, \"parents\": []},"
    " {\"uid\": {\"type\": \"Photo\", \"id\": \"p2\"},"
    "  \"attrs\": {\"private\": true}, \"parents\": []}]";

/* The sample policies and entities above, parsed (both must parse). */
static void LoadSample(arbiter_policy_set_t** set, arbiter_entities_t** entities) {
  char* err = NULL;
  *set = arbiter_policy_set_parse(kPolicies, strlen(kPolicies), NULL, &err);
  *entities = arbiter_entities_parse_json(kEntities, strlen(kEntities), NULL, &err);
  CHECK(*set != NULL && *entities != NULL && err == NULL);
  arbiter_free(err);
}

static arbiter_request_t* Request(const char* json, const arbiter_schema_t* s) {
  char* err = NULL;
  arbiter_request_t* r = arbiter_request_parse_json(json, strlen(json), s, &err);
  if (err != NULL) {
    fprintf(stderr, "request %s: %s\n", json, err);
    arbiter_free(err);
  }
  return r;
}

static void TestParsing(void) {
  char* err = NULL;
  CHECK(strlen(arbiter_version()) > 0);

  arbiter_policy_set_t* set =
      arbiter_policy_set_parse(kPolicies, strlen(kPolicies), "p.cedar", &err);
  CHECK(set != NULL && err == NULL);
  CHECK(arbiter_policy_set_size(set) == 3);
  size_t len = 0;
  const char* id = arbiter_policy_set_policy_id(set, 2, &len);
  CHECK(id != NULL && strcmp(id, "policy2") == 0 && len == 7);
  CHECK(arbiter_policy_set_policy_id(set, 3, &len) == NULL);
  arbiter_policy_set_destroy(set);

  /* Every error, located; a second failure replaces the first message. */
  const char bad[] = "permit (principal, action, resource)\nwhen { 1 + };\n"
                     "forbid (principal action, resource);";
  set = arbiter_policy_set_parse(bad, strlen(bad), "bad.cedar", &err);
  CHECK(set == NULL);
  CHECK(Contains(err, "bad.cedar:2:"));
  CHECK(Contains(err, "bad.cedar:3:"));
  set = arbiter_policy_set_parse(bad, 6, NULL, &err); /* "permit" */
  CHECK(set == NULL && err != NULL && !Contains(err, "bad.cedar"));
  arbiter_free(err);
  err = NULL;

  /* Text need not be NUL-terminated: only `len` bytes are read. */
  const char two[] = "permit (principal, action, resource);XXXX";
  set = arbiter_policy_set_parse(two, strlen(two) - 4, NULL, &err);
  CHECK(set != NULL && err == NULL && arbiter_policy_set_size(set) == 1);
  arbiter_policy_set_destroy(set);

  /* NULL text: only with length 0 (an empty set). */
  set = arbiter_policy_set_parse(NULL, 5, NULL, &err);
  CHECK(set == NULL && Contains(err, "NULL text"));
  arbiter_free(err);
  err = NULL;
  set = arbiter_policy_set_parse(NULL, 0, NULL, &err);
  CHECK(set != NULL && arbiter_policy_set_size(set) == 0);
  arbiter_policy_set_destroy(set);

  /* A NULL errptr is allowed: the NULL result is the only report. */
  CHECK(arbiter_policy_set_parse(bad, strlen(bad), NULL, NULL) == NULL);

  /* Entities: errors name the entity. */
  const char bad_entities[] = "[{\"uid\": {\"type\": \"User\"}, \"attrs\": {}, "
                              "\"parents\": []}]";
  arbiter_entities_t* e = arbiter_entities_parse_json(
      bad_entities, strlen(bad_entities), NULL, &err);
  CHECK(e == NULL && Contains(err, "entity"));
  arbiter_free(err);
  err = NULL;
  e = arbiter_entities_parse_json(kEntities, strlen(kEntities), NULL, &err);
  CHECK(e != NULL && arbiter_entities_size(e) == 4);
  arbiter_entities_destroy(e);

  /* Requests: strict members, named errors. */
  const char typo[] = "{\"principal\": \"User::\\\"a\\\"\", \"action\": "
                      "\"Action::\\\"v\\\"\", \"resource\": \"Photo::\\\"p\\\"\","
                      " \"contxt\": {}}";
  arbiter_request_t* r = arbiter_request_parse_json(typo, strlen(typo), NULL, &err);
  CHECK(r == NULL && Contains(err, "unknown member `contxt`"));
  const char missing[] = "{\"principal\": \"User::\\\"a\\\"\"}";
  r = arbiter_request_parse_json(missing, strlen(missing), NULL, &err);
  CHECK(r == NULL && Contains(err, "missing `action`"));
  const char not_json[] = "{\"principal\": ";
  r = arbiter_request_parse_json(not_json, strlen(not_json), NULL, &err);
  CHECK(r == NULL && err != NULL);
  arbiter_free(err);
}

/* How many times `needle` occurs in `haystack` (may be NULL). */
static int CountOf(const char* haystack, const char* needle) {
  int n = 0;
  for (const char* p = haystack; p != NULL && (p = strstr(p, needle)) != NULL;
       p += strlen(needle)) {
    ++n;
  }
  return n;
}

static void TestLimits(void) {
  char* err = NULL;
  arbiter_limits_t* limits = arbiter_limits_create();
  CHECK(limits != NULL);

  /* Fresh limits are the defaults: what the plain parsers accept. */
  arbiter_policy_set_t* set = arbiter_policy_set_parse_with_limits(
      kPolicies, strlen(kPolicies), NULL, limits, &err);
  CHECK(set != NULL && err == NULL && arbiter_policy_set_size(set) == 3);
  arbiter_policy_set_destroy(set);

  /* Policy text: size, then nesting; NULL limits are the defaults. */
  arbiter_limits_set_policy_max_bytes(limits, 40);
  set = arbiter_policy_set_parse_with_limits(kPolicies, strlen(kPolicies),
                                             "p.cedar", limits, &err);
  CHECK(set == NULL && Contains(err, "over the limit of 40"));
  arbiter_limits_set_policy_max_bytes(limits, 1 << 20);
  arbiter_limits_set_policy_max_depth(limits, 4);
  const char nested[] =
      "permit (principal, action, resource) when { ((((((true)))))) };";
  set = arbiter_policy_set_parse_with_limits(nested, strlen(nested), "n.cedar",
                                             limits, &err);
  CHECK(set == NULL && Contains(err, "n.cedar:1:") &&
        Contains(err, "nesting exceeds the limit of 4 levels"));
  set = arbiter_policy_set_parse_with_limits(nested, strlen(nested), NULL, NULL,
                                             &err);
  CHECK(set != NULL && arbiter_policy_set_size(set) == 1);
  arbiter_policy_set_destroy(set);

  /* Errors collected: two by default, one with max_errors 1. */
  const char bad[] = "permit (principal, action, resource)\nwhen { 1 + };\n"
                     "forbid (principal action, resource);";
  set = arbiter_policy_set_parse_with_limits(bad, strlen(bad), "b.cedar", NULL,
                                             &err);
  CHECK(set == NULL && CountOf(err, "b.cedar:") == 2);
  arbiter_limits_set_max_errors(limits, 1);
  set = arbiter_policy_set_parse_with_limits(bad, strlen(bad), "b.cedar",
                                             limits, &err);
  CHECK(set == NULL && CountOf(err, "b.cedar:") == 1 &&
        Contains(err, "b.cedar:2:"));

  /* Schemas, both formats. */
  const char schema_text[] =
      "entity User { a: { b: { c: Long } } };\n"
      "action view appliesTo { principal: User, resource: User };";
  arbiter_schema_t* schema = arbiter_schema_parse_with_limits(
      schema_text, strlen(schema_text), "s.cedarschema", limits, &err);
  CHECK(schema != NULL);
  arbiter_schema_destroy(schema);
  arbiter_limits_set_schema_max_depth(limits, 2);
  schema = arbiter_schema_parse_with_limits(schema_text, strlen(schema_text),
                                            "s.cedarschema", limits, &err);
  CHECK(schema == NULL && Contains(err, "type nesting exceeds the limit of 2"));
  arbiter_limits_set_schema_max_bytes(limits, 30);
  schema = arbiter_schema_parse_with_limits(schema_text, strlen(schema_text),
                                            NULL, limits, &err);
  CHECK(schema == NULL && Contains(err, "over the limit of 30"));
  const char schema_json[] = "{\"\": {\"entityTypes\": {\"User\": {}}, "
                             "\"actions\": {}}}";
  schema = arbiter_schema_parse_json_with_limits(
      schema_json, strlen(schema_json), NULL, limits, &err);
  CHECK(schema == NULL && Contains(err, "over the limit of 30"));
  schema = arbiter_schema_parse_json_with_limits(
      schema_json, strlen(schema_json), NULL, NULL, &err);
  CHECK(schema != NULL);
  arbiter_schema_destroy(schema);

  /* Entities and requests JSON: size and value nesting. */
  arbiter_limits_set_json_max_bytes(limits, 50);
  arbiter_entities_t* entities = arbiter_entities_parse_json_with_limits(
      kEntities, strlen(kEntities), NULL, limits, &err);
  CHECK(entities == NULL && Contains(err, "more than the limit of 50"));
  arbiter_limits_set_json_max_bytes(limits, 1 << 20);
  arbiter_limits_set_json_max_depth(limits, 1);
  const char deep_entities[] =
      "[{\"uid\": {\"type\": \"User\", \"id\": \"a\"},"
      "  \"attrs\": {\"s\": [[1]]}, \"parents\": []}]";
  entities = arbiter_entities_parse_json_with_limits(
      deep_entities, strlen(deep_entities), NULL, limits, &err);
  CHECK(entities == NULL && Contains(err, "nested deeper than 1 levels"));
  entities = arbiter_entities_parse_json_with_limits(
      deep_entities, strlen(deep_entities), NULL, NULL, &err);
  CHECK(entities != NULL && arbiter_entities_size(entities) == 1);
  arbiter_entities_destroy(entities);

  const char deep_request[] =
      "{\"principal\": \"User::\\\"a\\\"\", \"action\": \"Action::\\\"v\\\"\","
      " \"resource\": \"User::\\\"a\\\"\", \"context\": {\"r\": {\"s\": [1]}}}";
  arbiter_request_t* r = arbiter_request_parse_json_with_limits(
      deep_request, strlen(deep_request), NULL, limits, &err);
  CHECK(r == NULL && Contains(err, "nested deeper than 1 levels"));
  /* The context record is the first level, the set in `r` the third. */
  arbiter_limits_set_json_max_depth(limits, 2);
  r = arbiter_request_parse_json_with_limits(deep_request, strlen(deep_request),
                                             NULL, limits, &err);
  CHECK(r == NULL && Contains(err, "at `r.s`"));
  arbiter_limits_set_json_max_depth(limits, 3);
  r = arbiter_request_parse_json_with_limits(deep_request, strlen(deep_request),
                                             NULL, limits, &err);
  CHECK(r != NULL);
  arbiter_request_destroy(r);
  arbiter_limits_set_json_max_bytes(limits, 20);
  r = arbiter_request_parse_json_with_limits(deep_request, strlen(deep_request),
                                             NULL, limits, &err);
  CHECK(r == NULL && Contains(err, "more than the limit of 20"));
  arbiter_free(err);

  /* NULL handles: setters and destroy do nothing. */
  arbiter_limits_set_policy_max_bytes(NULL, 1);
  arbiter_limits_set_max_errors(NULL, 1);
  arbiter_limits_destroy(NULL);
  arbiter_limits_destroy(limits);
}

static void TestAuthorize(void) {
  char* err = NULL;
  arbiter_policy_set_t* set;
  arbiter_entities_t* entities;
  LoadSample(&set, &entities);
  arbiter_response_t* response = arbiter_response_create();
  CHECK(response != NULL);
  CHECK(arbiter_response_decision(response) == ARBITER_DENY);
  CHECK(arbiter_response_reason_count(response) == 0);

  arbiter_request_t* view = Request(
      "{\"principal\": {\"type\": \"User\", \"id\": \"alice\"},"
      " \"action\": {\"type\": \"Action\", \"id\": \"view\"},"
      " \"resource\": {\"type\": \"Photo\", \"id\": \"p1\"}}", NULL);
  CHECK(arbiter_authorize(set, entities, view, response) == ARBITER_ALLOW);
  CHECK(arbiter_response_decision(response) == ARBITER_ALLOW);
  size_t len = 0;
  CHECK(arbiter_response_reason_count(response) == 1);
  CHECK(strcmp(arbiter_response_reason(response, 0, &len), "policy0") == 0);
  CHECK(len == 7);
  CHECK(arbiter_response_reason(response, 1, &len) == NULL);
  CHECK(arbiter_response_error_count(response) == 0);

  /* The forbid wins on the private photo, and is the reason. */
  arbiter_request_t* view_private = Request(
      "{\"principal\": \"User::\\\"alice\\\"\", \"action\": "
      "\"Action::\\\"view\\\"\", \"resource\": \"Photo::\\\"p2\\\"\"}", NULL);
  CHECK(arbiter_authorize(set, entities, view_private, response) == ARBITER_DENY);
  CHECK(arbiter_response_reason_count(response) == 1);
  CHECK(strcmp(arbiter_response_reason(response, 0, NULL), "policy1") == 0);

  /* bob has no `level`: policy2 errors, is skipped and reported; the
   * decision is the default deny. */
  arbiter_request_t* edit = Request(
      "{\"principal\": \"User::\\\"bob\\\"\", \"action\": "
      "\"Action::\\\"edit\\\"\", \"resource\": \"Photo::\\\"p1\\\"\", "
      "\"context\": {}}", NULL);
  CHECK(arbiter_authorize(set, entities, edit, response) == ARBITER_DENY);
  CHECK(arbiter_response_reason_count(response) == 0);
  CHECK(arbiter_response_error_count(response) == 1);
  CHECK(strcmp(arbiter_response_error_policy(response, 0, &len), "policy2") == 0);
  const char* message = arbiter_response_error_message(response, 0, &len);
  CHECK(Contains(message, "`User::\"bob\"` does not have the attribute `level`"));
  CHECK(message != NULL && len == strlen(message));
  CHECK(arbiter_response_error_message(response, 1, &len) == NULL);

  /* NULL arguments decide nothing and leave the response as it was. */
  CHECK(arbiter_authorize(NULL, entities, edit, response) == ARBITER_ERROR);
  CHECK(arbiter_authorize(set, entities, edit, NULL) == ARBITER_ERROR);
  CHECK(arbiter_response_error_count(response) == 1);
  CHECK(arbiter_response_reason_count(NULL) == 0);
  CHECK(arbiter_response_decision(NULL) == ARBITER_DENY);

  /* The response keeps the policy set its reasons name. */
  CHECK(arbiter_authorize(set, entities, view, response) == ARBITER_ALLOW);
  arbiter_policy_set_destroy(set);
  arbiter_policy_set_t* other =
      arbiter_policy_set_parse("forbid (principal, action, resource);", 37, NULL, &err);
  CHECK(strcmp(arbiter_response_reason(response, 0, NULL), "policy0") == 0);
  CHECK(arbiter_authorize(other, entities, view, response) == ARBITER_DENY);
  CHECK(strcmp(arbiter_response_reason(response, 0, NULL), "policy0") == 0);

  arbiter_policy_set_destroy(other);
  arbiter_request_destroy(view);
  arbiter_request_destroy(view_private);
  arbiter_request_destroy(edit);
  arbiter_entities_destroy(entities);
  arbiter_response_destroy(response);
}

static const char kSchema[] =
    "entity User = { level: Long };\n"
    "entity Photo = { private: Bool };\n"
    "action view appliesTo { principal: [User], resource: [Photo],\n"
    "  context: { ip: ipaddr } };\n";

static void TestSchema(void) {
  char* err = NULL;
  arbiter_schema_t* schema =
      arbiter_schema_parse(kSchema, strlen(kSchema), "s.cedarschema", &err);
  CHECK(schema != NULL && err == NULL);
  const char bad_schema[] = "entity User = { level: Lon };";
  CHECK(arbiter_schema_parse(bad_schema, strlen(bad_schema), "s.cedarschema",
                             &err) == NULL);
  CHECK(Contains(err, "s.cedarschema:1:"));
  arbiter_free(err);
  err = NULL;
  const char json_schema[] =
      "{\"\": {\"entityTypes\": {\"User\": {}}, \"actions\": {}}}";
  arbiter_schema_t* from_json =
      arbiter_schema_parse_json(json_schema, strlen(json_schema), NULL, &err);
  CHECK(from_json != NULL && err == NULL);
  arbiter_schema_destroy(from_json);

  /* Validation: one policy reads an undeclared attribute. */
  const char policies[] =
      "permit (principal, action == Action::\"view\", resource)\n"
      "  when { context.ip.isInRange(ip(\"10.0.0.0/8\")) };\n"
      "permit (principal, action == Action::\"view\", resource)\n"
      "  when { principal.age > 3 };\n";
  arbiter_policy_set_t* set =
      arbiter_policy_set_parse(policies, strlen(policies), "v.cedar", &err);
  arbiter_validation_t* v = arbiter_validate(schema, set, &err);
  CHECK(v != NULL && err == NULL);
  CHECK(arbiter_validation_error_count(v) == 1);
  CHECK(strcmp(arbiter_validation_error_policy(v, 0), "policy1") == 0);
  CHECK(strcmp(arbiter_validation_error_kind(v, 0), "unsafe_attribute_access") == 0);
  CHECK(Contains(arbiter_validation_error(v, 0), "v.cedar:4:"));
  CHECK(arbiter_validation_error(v, 1) == NULL);
  CHECK(arbiter_validate(NULL, set, &err) == NULL && err != NULL);
  arbiter_free(err);
  err = NULL;
  arbiter_validation_destroy(v);

  /* A policy no action's scope satisfies (`view` applies to Photo only): an
   * error by default, a warning on request. */
  const char impossible[] =
      "permit (principal, action == Action::\"view\", resource is User);\n";
  arbiter_policy_set_t* dead =
      arbiter_policy_set_parse(impossible, strlen(impossible), "d.cedar", &err);
  CHECK(dead != NULL && err == NULL);
  v = arbiter_validate(schema, dead, &err);
  CHECK(v != NULL && arbiter_validation_error_count(v) == 1);
  CHECK(strcmp(arbiter_validation_error_kind(v, 0),
               "invalid_action_application") == 0);
  arbiter_validation_destroy(v);
  v = arbiter_validate_with_options(schema, dead, 0, &err);
  CHECK(v != NULL && err == NULL);
  CHECK(arbiter_validation_error_count(v) == 0);
  CHECK(arbiter_validation_warning_count(v) >= 1);
  CHECK(Contains(arbiter_validation_warning(v, 0),
                 "unable to find an applicable action"));
  arbiter_validation_destroy(v);
  CHECK(arbiter_validate_with_options(schema, NULL, 0, &err) == NULL &&
        err != NULL);
  arbiter_free(err);
  err = NULL;
  arbiter_policy_set_destroy(dead);

  /* With the schema, the context's `ip` is read as an ipaddr from a plain
   * string, and the request is validated. */
  const char entities_json[] =
      "[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"level\": 1},"
      " \"parents\": []}, {\"uid\": {\"type\": \"Photo\", \"id\": \"p\"},"
      " \"attrs\": {\"private\": false}, \"parents\": []}]";
  arbiter_entities_t* entities = arbiter_entities_parse_json(
      entities_json, strlen(entities_json), schema, &err);
  CHECK(entities != NULL && err == NULL);
  /* The schema's action entities are added. */
  CHECK(arbiter_entities_size(entities) == 3);
  const char bad_attr[] =
      "[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"level\": \"x\"},"
      " \"parents\": []}]";
  CHECK(arbiter_entities_parse_json(bad_attr, strlen(bad_attr), schema, &err) == NULL);
  CHECK(Contains(err, "level"));
  arbiter_free(err);
  err = NULL;

  arbiter_request_t* inside = Request(
      "{\"principal\": \"User::\\\"a\\\"\", \"action\": \"Action::\\\"view\\\"\","
      " \"resource\": \"Photo::\\\"p\\\"\", \"context\": {\"ip\": \"10.1.2.3\"}}",
      schema);
  CHECK(inside != NULL);
  arbiter_response_t* response = arbiter_response_create();
  CHECK(arbiter_authorize(set, entities, inside, response) == ARBITER_ALLOW);
  CHECK(strcmp(arbiter_response_reason(response, 0, NULL), "policy0") == 0);
  /* Without the schema the same text is a string, and isInRange errors. */
  arbiter_request_t* untyped = Request(
      "{\"principal\": \"User::\\\"a\\\"\", \"action\": \"Action::\\\"view\\\"\","
      " \"resource\": \"Photo::\\\"p\\\"\", \"context\": {\"ip\": \"10.1.2.3\"}}",
      NULL);
  CHECK(arbiter_authorize(set, entities, untyped, response) == ARBITER_DENY);
  CHECK(arbiter_response_error_count(response) == 2);
  /* A request the schema does not allow. */
  const char wrong[] =
      "{\"principal\": \"Photo::\\\"p\\\"\", \"action\": \"Action::\\\"view\\\"\","
      " \"resource\": \"Photo::\\\"p\\\"\", \"context\": {\"ip\": \"10.1.2.3\"}}";
  CHECK(arbiter_request_parse_json(wrong, strlen(wrong), schema, &err) == NULL);
  CHECK(Contains(err, "principal"));
  arbiter_free(err);

  arbiter_request_destroy(inside);
  arbiter_request_destroy(untyped);
  arbiter_response_destroy(response);
  arbiter_entities_destroy(entities);
  arbiter_policy_set_destroy(set);
  arbiter_schema_destroy(schema);
}

static void TestEngine(void) {
  char* err = NULL;
  const char allow_all[] = "permit (principal, action, resource);";
  const char deny_all[] = "forbid (principal, action, resource);";
  arbiter_policy_set_t* allow =
      arbiter_policy_set_parse(allow_all, strlen(allow_all), NULL, &err);
  arbiter_policy_set_t* deny =
      arbiter_policy_set_parse(deny_all, strlen(deny_all), NULL, &err);
  arbiter_entities_t* entities = arbiter_entities_parse_json("[]", 2, NULL, &err);
  CHECK(err == NULL);
  CHECK(arbiter_engine_create(NULL, entities) == NULL);
  arbiter_engine_t* engine = arbiter_engine_create(allow, entities);
  CHECK(engine != NULL);
  /* The engine shares what it was made from. */
  arbiter_policy_set_destroy(allow);
  arbiter_entities_destroy(entities);
  arbiter_request_t* r = Request(
      "{\"principal\": \"U::\\\"u\\\"\", \"action\": \"A::\\\"a\\\"\","
      " \"resource\": \"R::\\\"r\\\"\"}", NULL);
  arbiter_response_t* response = arbiter_response_create();
  CHECK(arbiter_engine_authorize(engine, r, response) == ARBITER_ALLOW);
  CHECK(arbiter_engine_set_policies(engine, deny) == 0);
  arbiter_policy_set_destroy(deny);
  CHECK(arbiter_engine_authorize(engine, r, response) == ARBITER_DENY);
  CHECK(strcmp(arbiter_response_reason(response, 0, NULL), "policy0") == 0);
  CHECK(arbiter_engine_set_policies(engine, NULL) == ARBITER_ERROR);
  CHECK(arbiter_engine_set_entities(NULL, NULL) == ARBITER_ERROR);
  CHECK(arbiter_engine_authorize(engine, NULL, response) == ARBITER_ERROR);
  arbiter_engine_destroy(engine);
  /* The response outlives the engine, and still names its policy. */
  CHECK(strcmp(arbiter_response_reason(response, 0, NULL), "policy0") == 0);

  /* Unbound, the same answers; an unknown flag is refused. */
  const char group_policy[] =
      "permit (principal in G::\"g\", action, resource);";
  const char group_json[] =
      "[{\"uid\": {\"type\": \"U\", \"id\": \"u\"}, \"attrs\": {},"
      " \"parents\": [{\"type\": \"G\", \"id\": \"g\"}]}]";
  arbiter_policy_set_t* group =
      arbiter_policy_set_parse(group_policy, strlen(group_policy), NULL, &err);
  arbiter_entities_t* members =
      arbiter_entities_parse_json(group_json, strlen(group_json), NULL, &err);
  CHECK(err == NULL && group != NULL && members != NULL);
  CHECK(arbiter_engine_create_with_flags(group, members, 2u) == NULL);
  CHECK(arbiter_engine_create_with_flags(NULL, members, 0) == NULL);
  arbiter_engine_t* unbound =
      arbiter_engine_create_with_flags(group, members, ARBITER_ENGINE_UNBOUND);
  arbiter_engine_t* bound = arbiter_engine_create_with_flags(group, members, 0);
  CHECK(unbound != NULL && bound != NULL);
  CHECK(arbiter_engine_authorize(unbound, r, response) == ARBITER_ALLOW);
  CHECK(arbiter_engine_authorize(bound, r, response) == ARBITER_ALLOW);
  /* Without the membership, a swapped-in store denies, unbound too. */
  arbiter_entities_t* nobody = arbiter_entities_parse_json("[]", 2, NULL, &err);
  CHECK(arbiter_engine_set_entities(unbound, nobody) == 0);
  arbiter_entities_destroy(nobody);
  CHECK(arbiter_engine_authorize(unbound, r, response) == ARBITER_DENY);
  arbiter_engine_destroy(unbound);
  arbiter_engine_destroy(bound);
  arbiter_entities_destroy(members);
  arbiter_policy_set_destroy(group);
  arbiter_response_destroy(response);
  arbiter_request_destroy(r);

  /* destroy functions accept NULL. */
  arbiter_engine_destroy(NULL);
  arbiter_policy_set_destroy(NULL);
  arbiter_schema_destroy(NULL);
  arbiter_entities_destroy(NULL);
  arbiter_request_destroy(NULL);
  arbiter_response_destroy(NULL);
  arbiter_validation_destroy(NULL);
  arbiter_free(NULL);
}

/* Counts the lines of a file that contain `needle` (all lines: ""). */
static int CountLines(const char* path, const char* needle) {
  FILE* f = fopen(path, "r");
  if (f == NULL) return -1;
  char line[8192];
  int n = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    if (strstr(line, needle) != NULL) ++n;
  }
  fclose(f);
  return n;
}

static void TestGuard(void) {
  char* err = NULL;
  const char policies[] =
      "permit (principal == Agent::\"w\", action == Action::\"read\", resource)\n"
      "  when { context.task.approval == \"approved\" };\n"
      "permit (principal == User::\"alice\", action == Action::\"read\", resource);\n";
  arbiter_policy_set_t* set =
      arbiter_policy_set_parse(policies, strlen(policies), NULL, &err);
  arbiter_entities_t* entities = arbiter_entities_parse_json("[]", 2, NULL, &err);
  arbiter_engine_t* engine = arbiter_engine_create(set, entities);
  arbiter_credentials_t* creds = arbiter_credentials_create();
  CHECK(err == NULL && engine != NULL && creds != NULL);

  const char* read_action[] = {"Action::\"read\""};
  char* cred = arbiter_credentials_issue(creds, "t1", "Agent::\"w\"", read_action,
                                         1, 60000, &err);
  CHECK(cred != NULL && err == NULL && strlen(cred) == 32);
  /* Refused specs, each with its reason. */
  CHECK(arbiter_credentials_issue(creds, "t1", "Agent::w", read_action, 1, 60000,
                                  &err) == NULL);
  CHECK(Contains(err, "issue: agent"));
  CHECK(arbiter_credentials_issue(creds, "t1", "Agent::\"w\"", read_action, 1, 0,
                                  &err) == NULL);
  CHECK(err != NULL);
  CHECK(arbiter_credentials_issue(creds, "t1", "Agent::\"w\"", read_action, 1,
                                  INT64_MAX, &err) == NULL);
  CHECK(Contains(err, "ttl above 100 years"));
  CHECK(arbiter_credentials_issue(creds, "t1", "Agent::\"w\"", NULL, 0, 1000,
                                  &err) == NULL);
  CHECK(err != NULL);
  arbiter_free(err);
  err = NULL;

  char path[] = "/tmp/arbiter_c_api_test_XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  close(fd);
  arbiter_log_sink_t* sink = arbiter_jsonl_sink_open(path, 0, &err);
  CHECK(sink != NULL && err == NULL);
  CHECK(arbiter_jsonl_sink_open("/nonexistent-dir/x.jsonl", 0, &err) == NULL);
  CHECK(err != NULL);
  arbiter_free(err);
  err = NULL;

  arbiter_guard_t* guard = arbiter_guard_create(engine, creds, sink);
  CHECK(guard != NULL);
  CHECK(arbiter_guard_create(NULL, creds, sink) == NULL);
  /* The guard shares what it was made from. */
  arbiter_engine_destroy(engine);
  arbiter_policy_set_destroy(set);
  arbiter_entities_destroy(entities);

  arbiter_task_t* task = arbiter_task_create("t1", "triage", 1, NULL);
  arbiter_request_t* read = Request(
      "{\"principal\": \"Agent::\\\"w\\\"\", \"action\": \"Action::\\\"read\\\"\","
      " \"resource\": \"Doc::\\\"d\\\"\"}", NULL);
  arbiter_guard_response_t* response = arbiter_guard_response_create();
  CHECK(read != NULL && task != NULL && response != NULL);

  /* Not approved yet: the policy does not permit. */
  CHECK(arbiter_guard_authorize(guard, read, task, NULL, cred, response) ==
        ARBITER_DENY);
  CHECK(strcmp(arbiter_guard_response_deny_kind(response), "policy") == 0);
  CHECK(strcmp(arbiter_guard_response_deny_reason(response), "no policy permits") == 0);
  CHECK(arbiter_task_call_count(task) == 0);

  arbiter_task_set_approval(task, "approved");
  CHECK(arbiter_guard_authorize(guard, read, task, NULL, cred, response) ==
        ARBITER_ALLOW);
  CHECK(arbiter_guard_response_decision(response) == ARBITER_ALLOW);
  CHECK(strcmp(arbiter_guard_response_deny_reason(response), "") == 0);
  CHECK(strcmp(arbiter_guard_response_deny_kind(response), "none") == 0);
  const arbiter_response_t* core = arbiter_guard_response_core(response);
  CHECK(arbiter_response_reason_count(core) == 1);
  CHECK(strcmp(arbiter_response_reason(core, 0, NULL), "policy0") == 0);
  CHECK(strlen(arbiter_guard_response_id(response)) > 0);
  CHECK(arbiter_task_call_count(task) == 1);

  /* Credentials: none, unknown, and revoked with the task. */
  CHECK(arbiter_guard_authorize(guard, read, task, NULL, NULL, response) ==
        ARBITER_DENY);
  CHECK(strcmp(arbiter_guard_response_deny_kind(response), "credential") == 0);
  CHECK(strcmp(arbiter_guard_response_deny_reason(response), "credential missing") == 0);
  CHECK(arbiter_response_reason_count(arbiter_guard_response_core(response)) == 0);
  CHECK(arbiter_guard_authorize(guard, read, task, NULL,
                                "0123456789abcdef0123456789abcdef", response) ==
        ARBITER_DENY);
  CHECK(strcmp(arbiter_guard_response_deny_reason(response), "credential unknown") == 0);

  /* Delegation: allowed for alice, not for bob. */
  const char* alice[] = {"User::\"alice\""};
  const char* bob[] = {"User::\"bob\""};
  arbiter_delegation_t* for_alice = arbiter_delegation_create(alice, 1, &err);
  arbiter_delegation_t* for_bob = arbiter_delegation_create(bob, 1, &err);
  CHECK(for_alice != NULL && for_bob != NULL && err == NULL);
  CHECK(arbiter_guard_authorize(guard, read, task, for_alice, cred, response) ==
        ARBITER_ALLOW);
  CHECK(arbiter_guard_authorize(guard, read, task, for_bob, cred, response) ==
        ARBITER_DENY);
  CHECK(strcmp(arbiter_guard_response_deny_kind(response), "delegation") == 0);
  CHECK(Contains(arbiter_guard_response_deny_reason(response), "User::\"bob\""));
  CHECK(arbiter_delegation_create(alice, 0, &err) == NULL && err != NULL);
  const char* bad[] = {"User::bob"};
  CHECK(arbiter_delegation_create(bad, 1, &err) == NULL);
  CHECK(Contains(err, "delegation: principal 0"));
  arbiter_free(err);
  err = NULL;

  /* Ending the task revokes its credential. */
  CHECK(arbiter_credentials_end_task(creds, "t1") == 1);
  CHECK(arbiter_guard_authorize(guard, read, task, NULL, cred, response) ==
        ARBITER_DENY);
  CHECK(strcmp(arbiter_guard_response_deny_reason(response), "credential revoked") == 0);
  CHECK(arbiter_credentials_revoke(creds, "ffffffffffffffffffffffffffffffff") ==
        ARBITER_ERROR);
  CHECK(arbiter_guard_authorize(NULL, read, task, NULL, cred, response) ==
        ARBITER_ERROR);

  /* Every guarded call above is one line of the log, allowed or denied
   * (seven; the NULL guard decided nothing), and the five that presented
   * the credential name it. */
  arbiter_log_sink_flush(sink);
  CHECK(arbiter_log_sink_written(sink) == 7);
  CHECK(arbiter_log_sink_dropped(sink) == 0);
  CHECK(CountLines(path, "") == 7);
  CHECK(CountLines(path, "\"decision\":\"allow\"") == 2);
  CHECK(CountLines(path, cred) == 5);

  arbiter_free(cred);
  arbiter_delegation_destroy(for_alice);
  arbiter_delegation_destroy(for_bob);
  arbiter_guard_response_destroy(response);
  arbiter_request_destroy(read);
  arbiter_task_destroy(task);
  arbiter_credentials_destroy(creds);
  arbiter_log_sink_destroy(sink);
  arbiter_guard_destroy(guard); /* closes the log */
  arbiter_guard_destroy(NULL);
  arbiter_log_sink_destroy(NULL);
  arbiter_task_destroy(NULL);
  arbiter_delegation_destroy(NULL);
  arbiter_credentials_destroy(NULL);
  arbiter_guard_response_destroy(NULL);
  remove(path);
}

/* Clears the builder and sets User::"a", Action::"view", Photo::"p". */
static void StartRequest(arbiter_request_builder_t* b) {
  arbiter_request_builder_clear(b);
  arbiter_request_builder_set_entity(b, ARBITER_PRINCIPAL, "User", 4, "a", 1);
  arbiter_request_builder_set_entity(b, ARBITER_ACTION, "Action", 6, "view", 4);
  arbiter_request_builder_set_entity(b, ARBITER_RESOURCE, "Photo", 5, "p", 1);
}

static void TestBuilder(void) {
  char* err = NULL;
  arbiter_policy_set_t* set;
  arbiter_entities_t* entities;
  LoadSample(&set, &entities);
  arbiter_response_t* response = arbiter_response_create();
  arbiter_request_builder_t* b = arbiter_request_builder_create();
  CHECK(err == NULL && b != NULL);

  arbiter_request_builder_set_entity(b, ARBITER_PRINCIPAL, "User", 4, "alice", 5);
  arbiter_request_builder_set_entity(b, ARBITER_ACTION, "Action", 6, "view", 4);
  arbiter_request_builder_set_entity(b, ARBITER_RESOURCE, "Photo", 5, "p2", 2);
  arbiter_request_t* r = arbiter_request_builder_build(b, NULL, &err);
  CHECK(r != NULL && err == NULL);
  CHECK(arbiter_authorize(set, entities, r, response) == ARBITER_DENY);
  CHECK(strcmp(arbiter_response_reason(response, 0, NULL), "policy1") == 0);
  arbiter_request_destroy(r);
  /* The builder keeps what was set: change only the resource. Lengths are
   * honoured ("p1x", 2). */
  arbiter_request_builder_set_entity(b, ARBITER_RESOURCE, "Photo", 5, "p1x", 2);
  r = arbiter_request_builder_build(b, NULL, &err);
  CHECK(arbiter_authorize(set, entities, r, response) == ARBITER_ALLOW);
  arbiter_request_destroy(r);

  /* Every kind of context field, then a duplicate key. */
  const char* tools[] = {"a", "b", "a"};
  arbiter_request_builder_add_string(b, "s", 1, "text", 4);
  arbiter_request_builder_add_long(b, "n", 1, -5);
  arbiter_request_builder_add_bool(b, "ok", 2, 1);
  arbiter_request_builder_add_entity(b, "who", 3, "User", 4, "bob", 3);
  arbiter_request_builder_add_string_set(b, "tools", 5, tools, 3);
  arbiter_request_builder_add_extension(b, "ip", 2, "ip", "10.0.0.1", 8);
  arbiter_request_builder_add_json(b, "rec", 3, "{\"x\": [1, 2]}", 13);
  r = arbiter_request_builder_build(b, NULL, &err);
  CHECK(r != NULL && err == NULL);
  arbiter_request_destroy(r);
  arbiter_request_builder_add_long(b, "n", 1, 6);
  CHECK(arbiter_request_builder_build(b, NULL, &err) == NULL);
  CHECK(Contains(err, "`n` is given twice"));

  /* The first bad argument is what build reports; clear starts afresh. */
  arbiter_request_builder_clear(b);
  CHECK(arbiter_request_builder_build(b, NULL, &err) == NULL);
  CHECK(Contains(err, "missing `principal`"));
  arbiter_request_builder_set_entity(b, ARBITER_PRINCIPAL, "Us er", 5, "a", 1);
  arbiter_request_builder_set_entity(b, 7, "User", 4, "a", 1);
  CHECK(arbiter_request_builder_build(b, NULL, &err) == NULL);
  CHECK(Contains(err, "principal"));
  arbiter_request_builder_clear(b);
  arbiter_request_builder_set_entity(b, 7, "User", 4, "a", 1);
  CHECK(arbiter_request_builder_build(b, NULL, &err) == NULL);
  CHECK(Contains(err, "no entity slot 7"));
  arbiter_request_builder_clear(b);
  arbiter_request_builder_add_extension(b, "ip", 2, "ipx", "1", 1);
  CHECK(arbiter_request_builder_build(b, NULL, &err) == NULL);
  CHECK(Contains(err, "no extension constructor `ipx`"));
  arbiter_request_builder_clear(b);
  arbiter_request_builder_add_extension(b, "ip", 2, "ip", "999.1.1.1", 9);
  CHECK(arbiter_request_builder_build(b, NULL, &err) == NULL);
  CHECK(Contains(err, "context `ip`"));
  arbiter_request_builder_clear(b);
  const char* with_null[] = {"a", NULL};
  arbiter_request_builder_add_string_set(b, "t", 1, with_null, 2);
  CHECK(arbiter_request_builder_build(b, NULL, &err) == NULL);
  CHECK(Contains(err, "string 1 is NULL"));
  arbiter_request_builder_clear(b);
  arbiter_request_builder_add_json(b, "j", 1, "[1,", 3);
  CHECK(arbiter_request_builder_build(b, NULL, &err) == NULL);
  CHECK(Contains(err, "context `j`"));
  arbiter_request_builder_clear(b);
  arbiter_request_builder_add_string(b, NULL, 3, "x", 1);
  CHECK(arbiter_request_builder_build(b, NULL, &err) == NULL);
  CHECK(Contains(err, "NULL text"));
  CHECK(arbiter_request_builder_build(NULL, NULL, &err) == NULL);
  arbiter_free(err);
  err = NULL;

  /* With a schema, the built request is validated: an ipaddr field must be
   * an extension value, not a string. */
  arbiter_schema_t* schema =
      arbiter_schema_parse(kSchema, strlen(kSchema), NULL, &err);
  StartRequest(b);
  arbiter_request_builder_add_string(b, "ip", 2, "10.0.0.1", 8);
  CHECK(arbiter_request_builder_build(b, schema, &err) == NULL);
  CHECK(Contains(err, "ip"));
  arbiter_free(err);
  err = NULL;
  StartRequest(b);
  arbiter_request_builder_add_extension(b, "ip", 2, "ip", "10.0.0.1", 8);
  r = arbiter_request_builder_build(b, schema, &err);
  CHECK(r != NULL && err == NULL);
  arbiter_request_destroy(r);

  /* add_json reads under the builder's limits, counting depth as a request
   * parsed from JSON does: with json_max_depth 2, {"b": {"c": 1}} at key
   * "a" is too deep for both, and fits both with 3. */
  static const char kNested[] = "{\"b\": {\"c\": 1}}";
  static const char kNestedRequest[] =
      "{\"principal\": \"User::\\\"a\\\"\", \"action\": \"Action::\\\"view\\\"\", "
      "\"resource\": \"Photo::\\\"p\\\"\", \"context\": {\"a\": {\"b\": {\"c\": 1}}}}";
  arbiter_limits_t* limits = arbiter_limits_create();
  arbiter_limits_set_json_max_depth(limits, 2);
  CHECK(arbiter_request_parse_json_with_limits(kNestedRequest, strlen(kNestedRequest),
                                               NULL, limits, &err) == NULL);
  CHECK(Contains(err, "deeper than 2 levels"));
  arbiter_free(err);
  err = NULL;
  StartRequest(b);
  arbiter_request_builder_add_json(b, "a", 1, kNested, strlen(kNested));
  r = arbiter_request_builder_build(b, NULL, &err);  /* the defaults */
  CHECK(r != NULL && err == NULL);
  arbiter_request_destroy(r);
  arbiter_request_builder_set_limits(b, limits);
  arbiter_limits_destroy(limits);  /* copied by set_limits */
  StartRequest(b);  /* clearing keeps the limits */
  arbiter_request_builder_add_json(b, "a", 1, kNested, strlen(kNested));
  CHECK(arbiter_request_builder_build(b, NULL, &err) == NULL);
  CHECK(Contains(err, "context `a`") && Contains(err, "deeper than 2 levels"));
  arbiter_free(err);
  err = NULL;
  limits = arbiter_limits_create();
  arbiter_limits_set_json_max_depth(limits, 3);
  r = arbiter_request_parse_json_with_limits(kNestedRequest, strlen(kNestedRequest),
                                             NULL, limits, &err);
  CHECK(r != NULL && err == NULL);
  arbiter_request_destroy(r);
  arbiter_request_builder_set_limits(b, limits);
  StartRequest(b);
  arbiter_request_builder_add_json(b, "a", 1, kNested, strlen(kNested));
  r = arbiter_request_builder_build(b, NULL, &err);
  CHECK(r != NULL && err == NULL);
  arbiter_request_destroy(r);
  arbiter_limits_set_json_max_bytes(limits, 8);  /* kNested is 15 bytes */
  arbiter_request_builder_set_limits(b, limits);
  arbiter_request_builder_add_json(b, "z", 1, kNested, strlen(kNested));
  CHECK(arbiter_request_builder_build(b, NULL, &err) == NULL);
  CHECK(Contains(err, "context `z`") && Contains(err, "more than the limit of 8"));
  arbiter_free(err);
  err = NULL;
  arbiter_request_builder_set_limits(b, NULL);  /* back to the defaults */
  StartRequest(b);
  arbiter_request_builder_add_json(b, "z", 1, kNested, strlen(kNested));
  r = arbiter_request_builder_build(b, NULL, &err);
  CHECK(r != NULL && err == NULL);
  arbiter_request_destroy(r);
  arbiter_limits_destroy(limits);
  arbiter_request_builder_set_limits(NULL, NULL);

  arbiter_schema_destroy(schema);
  arbiter_request_builder_destroy(b);
  arbiter_request_builder_destroy(NULL);
  arbiter_request_builder_clear(NULL);
  arbiter_response_destroy(response);
  arbiter_entities_destroy(entities);
  arbiter_policy_set_destroy(set);
}

int main(void) {
  TestParsing();
  TestLimits();
  TestBuilder();
  TestAuthorize();
  TestSchema();
  TestEngine();
  TestGuard();
  if (failures != 0) {
    fprintf(stderr, "c_api_test: %d check(s) failed\n", failures);
    return 1;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}
