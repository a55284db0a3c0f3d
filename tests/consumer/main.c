/* Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
 *
 * main.c: decides one request through the installed C API, as a C program
 * linked against arbiter::arbiter_c alone. */

#include <stdio.h>
#include <string.h>

#include "arbiter/c.h"

int main(void) {
  const char policies[] =
      "permit (principal == User::\"alice\", action, resource);";
  const char request[] =
      "{\"principal\": \"User::\\\"alice\\\"\", \"action\": \"Action::\\\"view\\\"\","
      " \"resource\": \"Photo::\\\"p\\\"\"}";
  char* err = NULL;
  arbiter_policy_set_t* set =
      arbiter_policy_set_parse(policies, strlen(policies), NULL, &err);
  arbiter_entities_t* entities = arbiter_entities_parse_json("[]", 2, NULL, &err);
  arbiter_request_t* r =
      arbiter_request_parse_json(request, strlen(request), NULL, &err);
  if (err != NULL) {
    fprintf(stderr, "consumer_c: %s\n", err);
    arbiter_free(err);
    return 1;
  }
  arbiter_response_t* response = arbiter_response_create();
  const int decision = arbiter_authorize(set, entities, r, response);
  printf("consumer_c: arbiter %s: %s by %s\n", arbiter_version(),
         decision == ARBITER_ALLOW ? "allow" : "deny",
         arbiter_response_reason(response, 0, NULL));
  arbiter_response_destroy(response);
  arbiter_request_destroy(r);
  arbiter_entities_destroy(entities);
  arbiter_policy_set_destroy(set);
  return decision == ARBITER_ALLOW ? 0 : 1;
}
