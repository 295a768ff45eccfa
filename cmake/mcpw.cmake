# Shared build rules for every module and test folder.

# nlohmann/json comes from Debian (/usr/include/nlohmann). em++ must never see
# -I/usr/include (it breaks the Emscripten sysroot), so both builds reach it
# through a folder that holds only a symlink to it.
add_library(mcpw_nlohmann INTERFACE)
target_include_directories(mcpw_nlohmann SYSTEM INTERFACE
  "${CMAKE_SOURCE_DIR}/third_party/nlohmann-include")
# The core never throws: nlohmann's throwing paths become aborts, which the
# native fuzzers and sanitizer runs then find as crashes (DESIGN.md: no input
# may abort the Wasm instance, so no such path may be reachable).
target_compile_definitions(mcpw_nlohmann INTERFACE JSON_NOEXCEPTION=1)

add_library(mcpw_flags INTERFACE)
target_compile_options(mcpw_flags INTERFACE -Wall -Wextra -Wpedantic -fno-exceptions)
if(MCPW_SANITIZE AND NOT EMSCRIPTEN)
  target_compile_options(mcpw_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                         -fno-sanitize-recover=undefined)
  target_link_options(mcpw_flags INTERFACE -fsanitize=address,undefined)
endif()
if(EMSCRIPTEN)
  # Exceptions are off in the Wasm build (size, and no JS-based EH on hot paths).
  target_compile_options(mcpw_flags INTERFACE -fno-exceptions)
endif()

# mcpw_module(NAME SOURCES ... DEPS ...): the one CMake target of src/NAME.
function(mcpw_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(mcpw_${name} STATIC ${M_SOURCES})
  target_include_directories(mcpw_${name} PUBLIC "${CMAKE_SOURCE_DIR}/src")
  target_link_libraries(mcpw_${name} PUBLIC mcpw_flags mcpw_nlohmann ${M_DEPS})
endfunction()

# GoogleTest built from Debian's sources, once per build tree (native or wasm).
function(mcpw_add_gtest_library)
  if(TARGET gtest)
    return()
  endif()
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  set(BUILD_GMOCK ON CACHE BOOL "" FORCE)
  if(EMSCRIPTEN)
    set(gtest_disable_pthreads ON CACHE BOOL "" FORCE)
  endif()
  add_subdirectory(/usr/src/googletest "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL)
  if(EMSCRIPTEN)
    target_compile_definitions(gtest PUBLIC GTEST_HAS_EXCEPTIONS=0)
  endif()
endfunction()

# mcpw_test(NAME SOURCES ... DEPS ...): the test binary of tests/NAME.
# Native: a plain executable. Wasm: a .js run by Node with direct file access
# (NODERAWFS) so tests can read ../shared data by path.
function(mcpw_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(test_${name} ${T_SOURCES})
  target_link_libraries(test_${name} PRIVATE ${T_DEPS} mcpw_flags mcpw_nlohmann GTest::gtest_main GTest::gmock)
  target_compile_definitions(test_${name} PRIVATE
    MCPW_SHARED_DIR="${MCPW_SHARED_DIR}" MCPW_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  if(EMSCRIPTEN)
    target_link_options(test_${name} PRIVATE -sNODERAWFS=1 -sENVIRONMENT=node
      -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1
      -sWASM_ASYNC_COMPILATION=0
      "--pre-js=${CMAKE_SOURCE_DIR}/cmake/wasm_test_env.js")  # 3.1.6 glue would try fetch() on a path in Node 18+
    add_test(NAME ${name} COMMAND node "$<TARGET_FILE:test_${name}>")
  else()
    add_test(NAME ${name} COMMAND test_${name})
  endif()
endfunction()
