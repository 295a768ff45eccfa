# libFuzzer targets (issue 8): built only with -DMCPW_FUZZ=ON and clang, e.g.
# the native-fuzz preset, which compiles every module with
# -fsanitize=fuzzer-no-link,address,undefined so the fuzzers see coverage.

set(MCPW_FUZZ_SECONDS 10 CACHE STRING "Seconds each target runs under the fuzz_run target")
# The sanitizers linked into the fuzz binaries. Long runs of the slow session
# target may use "undefined" alone (about 4x the executions per second: ASan's
# allocator dominates it); the preset and CI keep both (fuzz/README.md).
set(MCPW_FUZZ_SANITIZERS "address,undefined" CACHE STRING "Sanitizers of the fuzz binaries, with fuzzer")
if(NOT TARGET fuzz_run)
  add_custom_target(fuzz_run)
endif()

# mcpw_fuzz(NAME SOURCES ... DEPS ...): the fuzz binary fuzz_NAME, seeded from
# fuzz/corpus/NAME (read only: new inputs go to the build tree), plus a
# fuzz_run_NAME target that runs it for MCPW_FUZZ_SECONDS. Skipped when a
# dependency is not part of this build (MCPW_MODULES).
function(mcpw_fuzz name)
  cmake_parse_arguments(F "" "" "SOURCES;DEPS" ${ARGN})
  foreach(dep IN LISTS F_DEPS)
    if(NOT TARGET ${dep})
      message(STATUS "fuzz_${name}: skipped (${dep} not built)")
      return()
    endif()
  endforeach()
  add_executable(fuzz_${name} ${F_SOURCES})
  target_link_libraries(fuzz_${name} PRIVATE ${F_DEPS} mcpw_flags mcpw_nlohmann)
  target_include_directories(fuzz_${name} PRIVATE "${CMAKE_SOURCE_DIR}/src" "${CMAKE_SOURCE_DIR}")
  target_compile_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,${MCPW_FUZZ_SANITIZERS})
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,${MCPW_FUZZ_SANITIZERS})
  target_compile_definitions(fuzz_${name} PRIVATE MCPW_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  set(seeds "${CMAKE_SOURCE_DIR}/fuzz/corpus/${name}")
  set(work "${CMAKE_BINARY_DIR}/fuzz-corpus/${name}")
  set(dict "")
  if(EXISTS "${CMAKE_SOURCE_DIR}/fuzz/dict/${name}.dict")
    set(dict "-dict=${CMAKE_SOURCE_DIR}/fuzz/dict/${name}.dict")
  endif()
  add_custom_target(fuzz_run_${name}
    COMMAND ${CMAKE_COMMAND} -E make_directory "${work}"
    COMMAND $<TARGET_FILE:fuzz_${name}> -max_total_time=${MCPW_FUZZ_SECONDS} -print_final_stats=1 ${dict} "${work}" "${seeds}"
    DEPENDS fuzz_${name} USES_TERMINAL VERBATIM)
  add_dependencies(fuzz_run fuzz_run_${name})
endfunction()
