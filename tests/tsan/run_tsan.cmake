# Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
#
# cmake -DARBITER_ROOT=<src> -DWORK_DIR=<dir> -P run_tsan.cmake
# Configures and builds tests/tsan, then runs the engine stress test under
# ThreadSanitizer; any report fails the test (halt_on_error).

execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${ARBITER_ROOT}/tests/tsan" -B "${WORK_DIR}"
          -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DARBITER_ROOT=${ARBITER_ROOT}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the ThreadSanitizer build failed")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK_DIR}" --target engine_tsan
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the ThreadSanitizer build failed")
endif()
set(ENV{TSAN_OPTIONS} "halt_on_error=1 second_deadlock_stack=1")
execute_process(COMMAND "${WORK_DIR}/engine_tsan" "[engine]" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "engine stress test failed under ThreadSanitizer (exit ${rc})")
endif()
message(STATUS "engine stress test: no ThreadSanitizer reports")
