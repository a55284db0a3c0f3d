# Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
#
# The conformance gate: runs `arbiter conformance` over the Cedar conformance
# data and compares the result with ratchet.txt. Run by ctest as
# conformance_corpus and conformance_handwritten, or by hand:
#
#   cmake -DSUITE=corpus|handwritten|corpus_validation|handwritten_validation
#         -DARBITER=build/arbiter
#         -DWORK_DIR=build/conformance -DRATCHET=tests/conformance/ratchet.txt
#         [-DDEFAULT_DATA_DIR=../shared/cedar-conformance]
#         -P tests/conformance/run_conformance.cmake
#
# Data: $ARBITER_CONFORMANCE_DIR if set, else DEFAULT_DATA_DIR. If that folder
# does not exist the gate prints "conformance data not found at ..." and stops;
# ctest reports the test as skipped (SKIP_REGULAR_EXPRESSION), since cmake -P
# cannot exit with 77 before CMake 3.29.
#
# The data folder may be read-only, so tests/ and sample-data/ are copied and
# corpus-tests.tar.gz is unpacked into WORK_DIR, which becomes the --root of
# every run. The unpack is redone only when the tarball's path, size or mtime
# changes (WORK_DIR/corpus.stamp). A file lock serialises the two suites.
#
# corpus:      every corpus-tests/*.json except *.entities.json; fails if the
#              passed count is below corpus_requests_passed. Also requires
#              the index and the full scan to agree (--check-scan).
# handwritten: the `handwritten=` entries; fails on any failed request.
# corpus_validation, handwritten_validation: the same files, counted once
#              each, passing when the validator's verdict equals
#              `shouldValidate` (--validation); the corpus count is ratcheted
#              by corpus_validation_passed, the handwritten ones must all pass.
#
# The CLI ends its output with the line `N passed, M failed`. The full output
# is kept in WORK_DIR/<suite>.log.

cmake_minimum_required(VERSION 3.25)

foreach(var SUITE ARBITER WORK_DIR RATCHET)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_conformance.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT SUITE MATCHES "^(corpus|handwritten)(_validation)?$")
  message(FATAL_ERROR "run_conformance.cmake: unknown SUITE `${SUITE}`")
endif()
# Relative paths are taken from the current folder; the CLI runs in WORK_DIR.
foreach(var ARBITER WORK_DIR RATCHET)
  get_filename_component(${var} "${${var}}" ABSOLUTE)
endforeach()

# How many lines of CLI output (failures) to echo; the rest is in the log.
set(kShownLines 60)

# --- Where the data is ---------------------------------------------------------

if(NOT "$ENV{ARBITER_CONFORMANCE_DIR}" STREQUAL "")
  set(data_dir "$ENV{ARBITER_CONFORMANCE_DIR}")
elseif(DEFINED DEFAULT_DATA_DIR AND NOT DEFAULT_DATA_DIR STREQUAL "")
  set(data_dir "${DEFAULT_DATA_DIR}")
else()
  set(data_dir "${CMAKE_CURRENT_LIST_DIR}/../../../shared/cedar-conformance")
endif()
get_filename_component(data_dir "${data_dir}" ABSOLUTE)

if(NOT IS_DIRECTORY "${data_dir}")
  message(NOTICE "conformance data not found at ${data_dir}; "
    "set ARBITER_CONFORMANCE_DIR")
  return()
endif()

foreach(item tests sample-data corpus-tests.tar.gz)
  if(NOT EXISTS "${data_dir}/${item}")
    message(FATAL_ERROR "conformance: ${data_dir}/${item} is missing")
  endif()
endforeach()

if(NOT EXISTS "${ARBITER}")
  message(FATAL_ERROR "conformance: CLI `${ARBITER}` not found; build first")
endif()

# --- The ratchet ---------------------------------------------------------------

set(ratchet_corpus "")
set(ratchet_validation "")
set(handwritten "")
file(STRINGS "${RATCHET}" ratchet_lines)
foreach(line IN LISTS ratchet_lines)
  string(STRIP "${line}" line)
  if(line STREQUAL "" OR line MATCHES "^#")
    continue()
  endif()
  if(line MATCHES "^corpus_requests_passed[ \t]*=[ \t]*([0-9]+)$")
    set(ratchet_corpus "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^corpus_validation_passed[ \t]*=[ \t]*([0-9]+)$")
    set(ratchet_validation "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^handwritten[ \t]*=[ \t]*(.+)$")
    list(APPEND handwritten "${CMAKE_MATCH_1}")
  else()
    message(FATAL_ERROR "conformance: ${RATCHET}: cannot read line `${line}`")
  endif()
endforeach()
if(ratchet_corpus STREQUAL "")
  message(FATAL_ERROR "conformance: ${RATCHET} has no corpus_requests_passed=")
endif()
if(ratchet_validation STREQUAL "")
  message(FATAL_ERROR "conformance: ${RATCHET} has no corpus_validation_passed=")
endif()
set(mode_flags --check-scan)
if(SUITE MATCHES "_validation$")
  set(mode_flags --validation)
endif()

# --- Stage the data into WORK_DIR ---------------------------------------------

file(MAKE_DIRECTORY "${WORK_DIR}")
file(LOCK "${WORK_DIR}/.lock" GUARD PROCESS TIMEOUT 600 RESULT_VARIABLE lock_rc)
if(NOT lock_rc EQUAL 0)
  message(FATAL_ERROR "conformance: cannot lock ${WORK_DIR}/.lock: ${lock_rc}")
endif()

# Small: copied every time (only changed files are rewritten), made writable.
file(COPY "${data_dir}/tests" "${data_dir}/sample-data"
  DESTINATION "${WORK_DIR}" NO_SOURCE_PERMISSIONS)

if(SUITE STREQUAL "corpus")
  set(tarball "${data_dir}/corpus-tests.tar.gz")
  file(SIZE "${tarball}" tar_size)
  file(TIMESTAMP "${tarball}" tar_mtime "%s" UTC)
  set(stamp_want "${tarball} ${tar_size} ${tar_mtime}")
  set(stamp_have "")
  if(EXISTS "${WORK_DIR}/corpus.stamp")
    file(READ "${WORK_DIR}/corpus.stamp" stamp_have)
  endif()
  if(NOT stamp_have STREQUAL stamp_want
     OR NOT IS_DIRECTORY "${WORK_DIR}/corpus-tests")
    message(STATUS "conformance: unpacking ${tarball}")
    file(REMOVE "${WORK_DIR}/corpus.stamp")
    file(REMOVE_RECURSE "${WORK_DIR}/corpus-tests")
    file(ARCHIVE_EXTRACT INPUT "${tarball}" DESTINATION "${WORK_DIR}")
    file(WRITE "${WORK_DIR}/corpus.stamp" "${stamp_want}")
  endif()
endif()

file(LOCK "${WORK_DIR}/.lock" RELEASE)

# --- Which tests ---------------------------------------------------------------

set(test_files "")
if(SUITE MATCHES "^corpus")
  file(GLOB test_files RELATIVE "${WORK_DIR}" "${WORK_DIR}/corpus-tests/*.json")
  list(FILTER test_files EXCLUDE REGEX "\\.entities\\.json$")
  if(test_files STREQUAL "")
    message(FATAL_ERROR "conformance: no tests in ${WORK_DIR}/corpus-tests")
  endif()
else()
  foreach(entry IN LISTS handwritten)
    if(entry MATCHES "[*?[]")
      file(GLOB matched RELATIVE "${WORK_DIR}" "${WORK_DIR}/${entry}")
      if(matched STREQUAL "")
        message(FATAL_ERROR "conformance: `${entry}` (ratchet.txt) matches "
          "nothing under ${data_dir}")
      endif()
      list(APPEND test_files ${matched})
    elseif(EXISTS "${WORK_DIR}/${entry}")
      list(APPEND test_files "${entry}")
    else()
      message(FATAL_ERROR "conformance: `${entry}` (ratchet.txt) not found "
        "under ${data_dir}")
    endif()
  endforeach()
  if(test_files STREQUAL "")
    message(STATUS "conformance_handwritten: no handwritten= lines in "
      "${RATCHET}; nothing to check")
    return()
  endif()
endif()
list(REMOVE_DUPLICATES test_files)
list(SORT test_files)
list(LENGTH test_files file_count)

# --- Run ------------------------------------------------------------------------

message(STATUS "conformance_${SUITE}: ${file_count} test files, root "
  "${WORK_DIR}")
execute_process(
  COMMAND "${ARBITER}" conformance --root "${WORK_DIR}" ${mode_flags} ${test_files}
  WORKING_DIRECTORY "${WORK_DIR}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
set(log "${WORK_DIR}/${SUITE}.log")
file(WRITE "${log}" "${output}")

# Split into lines. ';', '[' and ']' would confuse CMake's list splitting, so
# they are swapped for control characters and swapped back for display.
string(ASCII 1 kSemi)
string(ASCII 2 kOpen)
string(ASCII 3 kClose)
string(REPLACE ";" "${kSemi}" lines "${output}")
string(REPLACE "[" "${kOpen}" lines "${lines}")
string(REPLACE "]" "${kClose}" lines "${lines}")
string(REPLACE "\n" ";" lines "${lines}")
set(summary "")
set(shown "")
set(hidden 0)
foreach(line IN LISTS lines)
  if(line MATCHES "^([0-9]+) passed, ([0-9]+) failed$")
    set(summary "${line}")
    set(passed "${CMAKE_MATCH_1}")
    set(failed "${CMAKE_MATCH_2}")
  elseif(NOT line STREQUAL "")
    list(LENGTH shown shown_count)
    if(shown_count LESS kShownLines)
      list(APPEND shown "${line}")
    else()
      math(EXPR hidden "${hidden} + 1")
    endif()
  endif()
endforeach()
if(shown)
  list(JOIN shown "\n" shown_text)
  string(REPLACE "${kSemi}" ";" shown_text "${shown_text}")
  string(REPLACE "${kOpen}" "[" shown_text "${shown_text}")
  string(REPLACE "${kClose}" "]" shown_text "${shown_text}")
  message(NOTICE "${shown_text}")
  if(hidden GREATER 0)
    message(NOTICE "... ${hidden} more lines in ${log}")
  endif()
endif()

if(summary STREQUAL "")
  message(FATAL_ERROR "conformance_${SUITE}: no `N passed, M failed` line "
    "from `${ARBITER} conformance` (exit: ${rc}); output in ${log}")
endif()
if(NOT rc MATCHES "^[0-9]+$")
  message(FATAL_ERROR "conformance_${SUITE}: the CLI died (${rc}) after "
    "`${summary}`; output in ${log}")
endif()

if(SUITE STREQUAL "corpus_validation")
  message(NOTICE "conformance_corpus_validation: ${passed} passed, ${failed} "
    "failed (ratchet: corpus_validation_passed=${ratchet_validation})")
  if(passed LESS ratchet_validation)
    message(FATAL_ERROR "conformance_corpus_validation: regression: ${passed} "
      "passed, below the ratchet of ${ratchet_validation} "
      "(tests/conformance/ratchet.txt)")
  elseif(passed GREATER ratchet_validation)
    message(NOTICE "conformance_corpus_validation: better than the ratchet; "
      "set corpus_validation_passed=${passed} in tests/conformance/ratchet.txt")
  endif()
elseif(SUITE STREQUAL "corpus")
  message(NOTICE "conformance_corpus: ${passed} passed, ${failed} failed "
    "(ratchet: corpus_requests_passed=${ratchet_corpus})")
  if(passed LESS ratchet_corpus)
    message(FATAL_ERROR "conformance_corpus: regression: ${passed} passed, "
      "below the ratchet of ${ratchet_corpus} (tests/conformance/ratchet.txt)")
  elseif(passed GREATER ratchet_corpus)
    message(NOTICE "conformance_corpus: better than the ratchet; set "
      "corpus_requests_passed=${passed} in tests/conformance/ratchet.txt")
  endif()
else()
  message(NOTICE "conformance_handwritten: ${passed} passed, ${failed} failed "
    "(${file_count} test files; all must pass)")
  if(NOT failed EQUAL 0)
    message(FATAL_ERROR "conformance_handwritten: ${failed} requests failed "
      "in tests listed in tests/conformance/ratchet.txt")
  endif()
  if(passed EQUAL 0)
    message(FATAL_ERROR "conformance_handwritten: the CLI ran no requests")
  endif()
endif()
