#pragma once
// Helpers shared by the libFuzzer targets of this folder: a property that does
// not hold is reported on stderr and aborts, which libFuzzer records as a
// crash with the input that caused it.

#include <cstdio>
#include <cstdlib>

#define MCPW_FUZZ_CHECK(cond, what)                                                             \
  do {                                                                                          \
    if (!(cond)) {                                                                              \
      std::fprintf(stderr, "fuzz property failed: %s (%s) at %s:%d\n", what, #cond, __FILE__, __LINE__); \
      std::abort();                                                                             \
    }                                                                                           \
  } while (0)
