// The functions written between MCPW_SIZE_OPT_BEGIN and MCPW_SIZE_OPT_END are
// optimised for size (clang's `minsize`), whatever the file's -O level: code
// that runs once per schema or pattern (compiling), not per value (issue 9,
// bench/size/README.md). Put it after the #includes: the templates and inline
// functions of headers keep the file's level. A flag per file (-Oz) would not
// do: under -flto the copies of inline functions shared with the hot files
// are merged, and a minsize copy can win (measured: validation 1.2-1.8x slower).
#pragma once

#if defined(__clang__)
#define MCPW_SIZE_OPT_BEGIN _Pragma("clang attribute push(__attribute__((minsize)), apply_to = function)")
#define MCPW_SIZE_OPT_END _Pragma("clang attribute pop")
#define MCPW_MINSIZE __attribute__((minsize))  // one function: the entry to such code
#else
#define MCPW_MINSIZE
#define MCPW_SIZE_OPT_BEGIN
#define MCPW_SIZE_OPT_END
#endif
