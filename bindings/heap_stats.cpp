// The Wasm allocator's bytes in use, for leak checks in the JS tests
// (web/test/faults.test.mjs: after N faults memory is back at its baseline).
#include <emscripten/bind.h>
#include <malloc.h>

namespace mcpw::bindings {
namespace {

/// Bytes currently allocated by malloc/new in this module (mallinfo's uordblks: dlmalloc and emmalloc both keep it).
double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(mcpw_heap_stats) { emscripten::function("heapInUse", &heap_in_use); }

}  // namespace mcpw::bindings
