# Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
#
# Checks that arbiter can be consumed as a package. Run by ctest:
#
#   cmake -DMODE=find_package|build_tree|add_subdirectory -DSOURCE_DIR=<repo>
#         -DBINARY_DIR=<build> -DCONSUMER_DIR=<repo>/tests/consumer
#         [-DGENERATOR=Ninja -DMAKE_PROGRAM=... -DCXX_COMPILER=...
#          -DBUILD_TYPE=Release -DSANITIZE_FLAGS="..."] -P run_consumer.cmake
#
# find_package:     installs <build> into <build>/consumer-find_package/prefix,
#                   checks only include/arbiter/ was installed, then configures,
#                   builds and runs tests/consumer against that prefix.
# build_tree:       the same against <build> itself (its build-tree export).
# add_subdirectory: configures tests/consumer with add_subdirectory(<repo>);
#                   configure only, since building would compile the whole
#                   library a second time.

cmake_minimum_required(VERSION 3.25)

foreach(var MODE SOURCE_DIR BINARY_DIR CONSUMER_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Release)
endif()

set(work "${BINARY_DIR}/consumer-${MODE}")
set(prefix "${work}/prefix")
set(build "${work}/build")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")

# run(<step> <command>...): runs a command, fails with its output on error.
function(run step)
  message(STATUS "consumer (${MODE}): ${step}")
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR
      "consumer (${MODE}): ${step} failed (${rc}):\n${out}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

set(configure_args -S "${CONSUMER_DIR}" -B "${build}"
  "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
if(GENERATOR)
  list(APPEND configure_args -G "${GENERATOR}")
endif()
if(MAKE_PROGRAM)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(SANITIZE_FLAGS)
  # A sanitized static libarbiter needs the sanitizer runtime at link time.
  list(APPEND configure_args "-DCMAKE_EXE_LINKER_FLAGS=${SANITIZE_FLAGS}")
endif()

# Runs the C++ consumer and the C one (main.c, through the C API).
macro(run_consumers)
  foreach(exe IN ITEMS consumer consumer_c)
    find_program(${exe}_exe ${exe} PATHS "${build}" "${build}/${BUILD_TYPE}"
      NO_DEFAULT_PATH REQUIRED)
    run("run ${exe}" "${${exe}_exe}")
    message(STATUS "${last_output}")
  endforeach()
endmacro()

if(MODE STREQUAL "find_package")
  run("install" "${CMAKE_COMMAND}" --install "${BINARY_DIR}"
    --prefix "${prefix}" --config "${BUILD_TYPE}")

  # Only the public API may be installed.
  file(GLOB_RECURSE headers RELATIVE "${prefix}/include" "${prefix}/include/*")
  foreach(header IN LISTS headers)
    if(NOT header MATCHES "^arbiter/[^/]+\\.h$")
      message(FATAL_ERROR "consumer: unexpected installed file include/${header}")
    endif()
  endforeach()
  if(NOT "arbiter/arbiter.h" IN_LIST headers)
    message(FATAL_ERROR "consumer: include/arbiter/arbiter.h not installed")
  endif()

  run("configure" "${CMAKE_COMMAND}" ${configure_args}
    "-DCMAKE_PREFIX_PATH=${prefix}")
  run("build" "${CMAKE_COMMAND}" --build "${build}" --config "${BUILD_TYPE}")
  run_consumers()
elseif(MODE STREQUAL "build_tree")
  run("configure" "${CMAKE_COMMAND}" ${configure_args}
    "-Darbiter_DIR=${BINARY_DIR}")
  run("build" "${CMAKE_COMMAND}" --build "${build}" --config "${BUILD_TYPE}")
  run_consumers()
elseif(MODE STREQUAL "add_subdirectory")
  run("configure" "${CMAKE_COMMAND}" ${configure_args}
    "-DARBITER_SOURCE_DIR=${SOURCE_DIR}")
else()
  message(FATAL_ERROR "run_consumer.cmake: unknown MODE `${MODE}`")
endif()

message(STATUS "consumer (${MODE}): ok")
