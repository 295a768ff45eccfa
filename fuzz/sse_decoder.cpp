// libFuzzer target: the SSE decoder (src/transport/sse_decoder.h).
// Property: any split of the same bytes gives the same events, the same last
// event id and retry value, and the same verdict (a stream over the limit
// fails whatever its chunking). The input is both the stream and the source
// of the chunk sizes; its first byte picks a small limit so that the limit
// paths are reached too.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "transport/sse_decoder.h"

using namespace mcpw;
using namespace mcpw::transport;

namespace {

struct Outcome {
  std::vector<SseEvent> events;
  std::string last_id;
  std::optional<std::uint64_t> retry;
  bool failed = false;
};

bool same(const Outcome& a, const Outcome& b) {
  if (a.events.size() != b.events.size() || a.last_id != b.last_id || a.retry != b.retry || a.failed != b.failed)
    return false;
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    const SseEvent& x = a.events[i];
    const SseEvent& y = b.events[i];
    if (x.type != y.type || x.data != y.data || x.id != y.id) return false;
  }
  return true;
}

// Feeds `stream` in chunks whose sizes come from `sizes` (cycled; 0 = whole).
Outcome decode(std::string_view stream, const SseLimits& limits, std::string_view sizes, std::size_t fixed) {
  SseDecoder d(limits);
  Outcome out;
  std::size_t i = 0;
  std::size_t k = 0;
  while (i < stream.size()) {
    std::size_t n = fixed;
    if (n == 0 && !sizes.empty()) n = 1 + static_cast<unsigned char>(sizes[k++ % sizes.size()]) % 11;
    if (n == 0) n = stream.size();
    n = std::min(n, stream.size() - i);
    if (!d.feed(stream.substr(i, n)).ok()) out.failed = true;
    // Events are taken as they come, as a host would, between chunks.
    while (auto e = d.poll_event()) out.events.push_back(std::move(*e));
    i += n;
  }
  // An empty chunk changes nothing either.
  if (!d.feed({}).ok()) out.failed = true;
  d.finish();
  while (auto e = d.poll_event()) out.events.push_back(std::move(*e));
  out.last_id = d.last_event_id();
  out.retry = d.retry_ms();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  SseLimits limits;
  if (data[0] < 128) limits.max_event_bytes = 1 + data[0] % 64;  // half the inputs: a tiny limit
  const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Outcome whole = decode(stream, limits, {}, 0);
  const Outcome bytewise = decode(stream, limits, {}, 1);
  MCPW_FUZZ_CHECK(same(whole, bytewise), "byte-by-byte feed differs from the whole stream");
  // Chunk sizes drawn from the stream itself, and from its reverse.
  const Outcome split = decode(stream, limits, stream, 0);
  MCPW_FUZZ_CHECK(same(whole, split), "chunked feed differs from the whole stream");
  const std::string reversed(stream.rbegin(), stream.rend());
  const Outcome split2 = decode(stream, limits, reversed, 0);
  MCPW_FUZZ_CHECK(same(whole, split2), "chunked feed differs from the whole stream");
  return 0;
}
