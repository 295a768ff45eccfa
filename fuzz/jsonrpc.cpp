// libFuzzer target: the JSON-RPC decoder (src/protocol/jsonrpc.h).
// Properties: any bytes decode to a message or a typed error (never a crash);
// a decoded message encoded with its builder decodes to the same message, and
// encoding that again gives the same bytes (decode -> encode is stable).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_util.h"
#include "protocol/jsonrpc.h"

using namespace mcpw;
using namespace mcpw::protocol;

namespace {

std::string encode(const Message& m) {
  switch (m.kind) {
    case MessageKind::request: return build_request(m.id, m.method, m.params);
    case MessageKind::notification: return build_notification(m.method, m.params);
    case MessageKind::response: return build_response(m.id, m.result);
    case MessageKind::error: return build_error_response(m.id, m.error);
  }
  return {};
}

bool same(const Message& a, const Message& b) {
  if (a.kind != b.kind || a.method != b.method || a.error.code != b.error.code || a.error.message != b.error.message)
    return false;
  if (a.error.has_data() != b.error.has_data()) return false;
  if (a.error.has_data() && a.error.data != b.error.data) return false;
  return a.id == b.id && a.params == b.params && a.result == b.result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  JsonLimits limits;
  limits.max_depth = 64;
  auto m = parse_message(text, limits);
  if (!m.ok()) {
    MCPW_FUZZ_CHECK(!m.error().message.empty(), "an error without a message");
    return 0;
  }
  const std::string once = encode(*m);
  auto again = parse_message(once, limits);
  MCPW_FUZZ_CHECK(again.ok(), "an encoded message does not decode");
  MCPW_FUZZ_CHECK(same(*m, *again), "decode -> encode -> decode changed the message");
  MCPW_FUZZ_CHECK(encode(*again) == once, "encoding is not stable");
  return 0;
}
