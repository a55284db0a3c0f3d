# Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
#
# cmake -DARBITER_ROOT=<src> -DWORK_DIR=<dir> -DSANITIZER=<list>
#       -DTEST_SOURCES=<list> -DTEST_FILTER=<catch filter>
#       -P run_sanitized.cmake
# Configures and builds tests/sanitize, then runs the selected Catch2 cases;
# any sanitizer report fails the test (halt_on_error, no recovery).

foreach(var ARBITER_ROOT WORK_DIR SANITIZER TEST_SOURCES TEST_FILTER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_sanitized.cmake: -D${var}=... is required")
  endif()
endforeach()
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${ARBITER_ROOT}/tests/sanitize" -B "${WORK_DIR}"
          -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
          # -O1 -g1 (line tables, no variable info) halves the compile time
          # of the sanitizer builds, which dominate the suite on two cores;
          # reports still name every function, file and line.
          "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
          "-DARBITER_ROOT=${ARBITER_ROOT}" "-DSANITIZER=${SANITIZER}"
          "-DTEST_SOURCES=${TEST_SOURCES}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the sanitizer build failed")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK_DIR}"
                        --target sanitized_tests
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the sanitizer build failed")
endif()
set(ENV{TSAN_OPTIONS} "halt_on_error=1 second_deadlock_stack=1")
# alloc_dealloc_mismatch: GCC 12 libstdc++ std::stable_sort temporary
# buffers trip a false mismatch report under ASan.
set(ENV{ASAN_OPTIONS} "halt_on_error=1 detect_leaks=1 alloc_dealloc_mismatch=0")
set(ENV{UBSAN_OPTIONS} "halt_on_error=1 print_stacktrace=1")
execute_process(COMMAND "${WORK_DIR}/sanitized_tests" "${TEST_FILTER}"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "tests `${TEST_FILTER}` failed under -fsanitize=${SANITIZER} (exit ${rc})")
endif()
message(STATUS "`${TEST_FILTER}` under -fsanitize=${SANITIZER}: no reports")
