# Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
#
# cmake -DARBITER=<cli> -DWORK_DIR=<dir> -P run_validate_cli.cmake
# `arbiter validate`: a clean policy exits 0; a type error exits 1 with a
# located `error:` line; a policy no action's scope satisfies is an error by
# default and a warning (exit 0) with `--impossible-policy warning`, as
# Cedar 4.13 reports it; a bad option value or a missing file is an error.

foreach(var ARBITER WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_validate_cli.cmake: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(WRITE "${WORK_DIR}/s.cedarschema" [[
entity User { level: Long };
entity Doc;
action view appliesTo { principal: [User], resource: [Doc] };
]])
file(WRITE "${WORK_DIR}/clean.cedar"
  "permit (principal, action == Action::\"view\", resource) when { principal.level > 2 };\n")
file(WRITE "${WORK_DIR}/typo.cedar"
  "permit (principal, action == Action::\"view\", resource) when { principal.levle > 2 };\n")
file(WRITE "${WORK_DIR}/impossible.cedar"
  "permit (principal, action == Action::\"view\", resource is User);\n")

# run(<exit code> <args>...): sets `out` to the output.
function(run code)
  execute_process(COMMAND "${ARBITER}" validate ${ARGN}
                  WORKING_DIRECTORY "${WORK_DIR}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  if(NOT rc EQUAL code)
    message(FATAL_ERROR "arbiter validate ${ARGN}: exit ${rc}, expected ${code}\n${o}${e}")
  endif()
  set(out "${o}${e}" PARENT_SCOPE)
endfunction()

foreach(mode error warning)
  run(0 --schema s.cedarschema --policies clean.cedar --impossible-policy ${mode})
  if(NOT out STREQUAL "")
    message(FATAL_ERROR "clean policy (${mode}): expected no output:\n${out}")
  endif()
  run(1 --schema s.cedarschema --policies typo.cedar --impossible-policy ${mode})
  if(NOT out MATCHES "typo.cedar:1:[0-9]+: error: policy `policy0`: .*levle")
    message(FATAL_ERROR "typo (${mode}): no located error naming `levle`:\n${out}")
  endif()
endforeach()

set(msg "unable to find an applicable action given the policy scope constraints")
run(1 --schema s.cedarschema --policies impossible.cedar)
if(NOT out MATCHES "impossible.cedar:1:1: error: policy `policy0`: [^\n]*${msg}")
  message(FATAL_ERROR "impossible policy, default: expected an error:\n${out}")
endif()
run(0 --schema s.cedarschema --policies impossible.cedar --impossible-policy warning)
if(NOT out MATCHES "impossible.cedar:1:1: warning: policy `policy0`: [^\n]*${msg}"
   OR out MATCHES ": error: ")
  message(FATAL_ERROR "impossible policy, --impossible-policy warning: expected a warning only:\n${out}")
endif()

run(1 --schema s.cedarschema --policies clean.cedar --impossible-policy sometimes)
if(NOT out MATCHES "arbiter: error: validate: --impossible-policy is `error` or `warning`, not `sometimes`")
  message(FATAL_ERROR "bad --impossible-policy value: unexpected message:\n${out}")
endif()
run(1 --schema s.cedarschema --policies missing.cedar)
if(NOT out MATCHES "arbiter: error: .*missing.cedar")
  message(FATAL_ERROR "missing policy file: unexpected message:\n${out}")
endif()
message("validate_cli: all checks passed")
