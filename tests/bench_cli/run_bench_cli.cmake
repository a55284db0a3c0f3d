# Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
#
# cmake -DARBITER=<cli> -DDEFAULT_WORKLOADS=<dir> -DWORK_DIR=<dir>
#       -P run_bench_cli.cmake
# `arbiter bench` on agents-10 ($ARBITER_WORKLOADS_DIR, else
# DEFAULT_WORKLOADS): every mode checks all answers and ends with a
# well-formed `median_ns=… p99_ns=… dps=…` line; a workload whose expected
# answers are wrong fails, naming the request; a missing folder is an
# error. Timings are not judged here (see bench/).

foreach(var ARBITER DEFAULT_WORKLOADS WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_bench_cli.cmake: -D${var}=... is required")
  endif()
endforeach()
set(workloads "${DEFAULT_WORKLOADS}")
if(DEFINED ENV{ARBITER_WORKLOADS_DIR})
  set(workloads "$ENV{ARBITER_WORKLOADS_DIR}")
endif()
set(source "${workloads}/agents-10")
if(NOT EXISTS "${source}/requests.json")
  # Recognised by the test's SKIP_REGULAR_EXPRESSION.
  message("SKIPPED: workloads not found at ${workloads} (set ARBITER_WORKLOADS_DIR)")
  return()
endif()

# run(<exit code> <args>...): sets `out` to the output.
function(run code)
  execute_process(COMMAND "${ARBITER}" bench ${ARGN}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  if(NOT rc EQUAL code)
    message(FATAL_ERROR "arbiter bench ${ARGN}: exit ${rc}, expected ${code}\n${o}${e}")
  endif()
  set(out "${o}${e}" PARENT_SCOPE)
endfunction()

foreach(mode "" "--scan" "--unbound")
  run(0 ${mode} --seconds 0.1 "${source}")
  if(NOT out MATCHES "checked: 2000 requests, 0 mismatches")
    message(FATAL_ERROR "bench ${mode}: not every answer checked:\n${out}")
  endif()
  if(NOT out MATCHES "timed: ([0-9]+) decisions")
    message(FATAL_ERROR "bench ${mode}: no `timed:` line:\n${out}")
  endif()
  set(timed "${CMAKE_MATCH_1}")
  # At least one whole pass over the requests is timed.
  if(timed LESS 2000)
    message(FATAL_ERROR "bench ${mode}: only ${timed} decisions timed:\n${out}")
  endif()
  if(NOT out MATCHES "median_ns=([0-9]+) p99_ns=([0-9]+) dps=([0-9]+)\n?$")
    message(FATAL_ERROR "bench ${mode}: last line is not median_ns=… p99_ns=… dps=…:\n${out}")
  endif()
  set(median "${CMAKE_MATCH_1}")
  set(p99 "${CMAKE_MATCH_2}")
  set(dps "${CMAKE_MATCH_3}")
  if(median LESS_EQUAL 0 OR p99 LESS median OR dps LESS_EQUAL 0)
    message(FATAL_ERROR "bench ${mode}: median ${median}, p99 ${p99}, dps ${dps}:\n${out}")
  endif()
endforeach()

# A copy whose first expected decision is turned around must fail.
file(REMOVE_RECURSE "${WORK_DIR}")
file(COPY "${source}/" DESTINATION "${WORK_DIR}/agents-10")
file(READ "${WORK_DIR}/agents-10/requests.json" requests)
# The key as written compactly, or with a space after the colon.
foreach(key "\"decision\":\"" "\"decision\": \"")
  string(FIND "${requests}" "${key}" at)
  if(at GREATER_EQUAL 0)
    set(found "${key}")  # foreach restores `key` once it ends
    break()
  endif()
endforeach()
if(at LESS 0)
  message(FATAL_ERROR "no \"decision\" in ${source}/requests.json")
endif()
string(LENGTH "${found}" skip)
math(EXPR value_at "${at} + ${skip}")
string(SUBSTRING "${requests}" 0 ${value_at} head)
string(SUBSTRING "${requests}" ${value_at} -1 tail)
if(tail MATCHES "^allow")
  string(REGEX REPLACE "^allow" "deny" tail "${tail}")
elseif(tail MATCHES "^deny")
  string(REGEX REPLACE "^deny" "allow" tail "${tail}")
else()
  message(FATAL_ERROR "the first decision in ${source}/requests.json is neither allow nor deny")
endif()
file(WRITE "${WORK_DIR}/agents-10/requests.json" "${head}${tail}")
run(1 --seconds 0.05 "${WORK_DIR}/agents-10")
if(NOT out MATCHES "MISMATCH request 0: expected (allow|deny) " OR
   NOT out MATCHES "checked: 2000 requests, 1 mismatches")
  message(FATAL_ERROR "bench on a wrong expectation did not report it:\n${out}")
endif()

run(1 "${WORK_DIR}/no-such-workload")
if(NOT out MATCHES "arbiter: error: ")
  message(FATAL_ERROR "bench on a missing folder gave no error:\n${out}")
endif()
