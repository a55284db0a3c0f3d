# Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
#
# cmake -DARBITER=<cli> -DEXAMPLE=<examples/bundle> -DWORK_DIR=<dir>
#       -P run_bundle_cli.cmake
# The bundle subcommands on the example bundle, on a scratch copy: exit codes
# and the key parts of the output (the walkthrough of README "Policy
# bundles", checked).

foreach(var ARBITER EXAMPLE WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_bundle_cli.cmake: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK_DIR}")
file(COPY "${EXAMPLE}/" DESTINATION "${WORK_DIR}")
file(REMOVE "${WORK_DIR}/decisions.jsonl")

# expect(<exit code> <regex the output must match> <args>...)
function(expect code regex)
  execute_process(COMMAND "${ARBITER}" ${ARGN}
                  WORKING_DIRECTORY "${WORK_DIR}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL code)
    message(FATAL_ERROR "arbiter ${ARGN}: exit ${rc}, expected ${code}\n${out}${err}")
  endif()
  if(NOT "${out}${err}" MATCHES "${regex}")
    message(FATAL_ERROR "arbiter ${ARGN}: output does not match `${regex}`:\n${out}${err}")
  endif()
endfunction()

expect(0 "4 policies, 14 entities, 4 tool rules.*0 warning" lint-bundle arbiter.yaml)
expect(0 "\"resolution\": \"classified\"" authorize --bundle arbiter.yaml --tool github.list_prs)
expect(2 "\"resolution\": \"unclassified tool\"" authorize --bundle arbiter.yaml --tool mystery.tool)
expect(0 "\"permitted\": \\[[^]]*\"github.create_pr\"[^]]*\\],[^]]*\"unclassified\": \\[[^]]*\"mystery.tool\""
  permitted --bundle arbiter.yaml --request requests/deploy-bot-on-infra.json
  --tools github.create_pr,exec.python,mystery.tool)
expect(0 "\"decision\": \"allow\"" authorize --bundle arbiter.yaml
  --request requests/deploy-bot-on-infra.json --tool github.merge_pr --log)
expect(2 "\"deny_reason\": \"unclassified tool\"" authorize --bundle arbiter.yaml
  --request requests/deploy-bot-on-infra.json --tool mystery.tool --log)
expect(2 "deny_reason\": \"forbidden by policy" authorize --bundle arbiter.yaml
  --request requests/deploy-bot-on-infra.json --tool exec.python --log)
# The same bundle changes nothing; the candidate changes exactly the write.
expect(0 "3 records, 3 replayed, 0 changed" replay --bundle arbiter.yaml decisions.jsonl)
expect(2 "decisions.jsonl:1: Agent::\"deploy-bot\" Action::\"github.merge_pr\" Repo::\"infra\": allow \\(policy3\\) -> deny \\(policy4\\): forbidden by policy\n3 records, 3 replayed, 1 changed \\(1 allow->deny, 0 deny->allow\\)"
  replay --bundle next/arbiter.yaml decisions.jsonl)
# A broken bundle: every error, located; exit 1.
file(WRITE "${WORK_DIR}/broken.yaml" "policies: policies/*.cedar\npolicy: x\ntools:\n  rules:\n    - match: '^(a'\n      actions: [read_tools]\n")
expect(1 "broken.yaml:2:1: error: unknown key `policy`" lint-bundle broken.yaml)
file(WRITE "${WORK_DIR}/shadow.yaml" "policies: policies/*.cedar\nschema: schema.cedarschema\nentities: entities.json\ntools:\n  rules:\n    - match: '^github\\.'\n      actions: [read_tools]\n    - match: '^github\\.get_'\n      actions: [write_tools]\n")
expect(2 "shadow.yaml:8:14: warning: tool rule 2 [^\n]* is unreachable: rule 1" lint-bundle shadow.yaml)
message(STATUS "bundle CLI: all checks passed")
