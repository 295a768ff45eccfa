#pragma once
// Reads the body of a Streamable HTTP response into JSON-RPC message texts
// (spec: 2025-11-25 basic/transports#sending-messages-to-the-server: the
// server answers a POST with one JSON object, or with an SSE stream whose
// events each carry one JSON-RPC message). Bounded; fed bytes in any split.

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "support/result.h"
#include "transport/http.h"
#include "transport/sse_decoder.h"

namespace mcpw::transport {

inline constexpr ErrorId TRANSPORT_CONTENT_TYPE{"transport.content_type", ErrorKind::remote};
inline constexpr ErrorId TRANSPORT_BODY_TOO_LARGE{"transport.body_too_large", ErrorKind::remote};

/// How a response body is framed.
enum class BodyMode : unsigned char { json, sse, empty };

/// Bounds for one response body.
struct BodyLimits {
  std::size_t max_body_bytes = 32u << 20;  // a JSON body, or one SSE event
};

/// Turns response bytes into message texts; one reader per response.
class MessageReader {
 public:
  /// Chooses the framing from the head: 202/204 or no body -> empty,
  /// application/json -> json, text/event-stream -> sse, else an error.
  static Result<MessageReader> for_response(const HttpResponseHead& head, BodyLimits limits = {});

  /// Consumes body bytes; complete messages become available to poll_message().
  Status feed(std::string_view bytes);
  /// The body ended; a JSON body becomes its message now.
  Status finish();
  /// The next complete message text, in order.
  std::optional<std::string> poll_message();
  /// SSE only: the next event of another type than "message" (e.g. the
  /// legacy transport's `endpoint`), in order.
  std::optional<SseEvent> poll_other_event();

  BodyMode mode() const { return mode_; }
  /// For SSE: the last event id and the server's retry hint (resumability).
  const SseDecoder& sse() const { return sse_; }

 private:
  MessageReader(BodyMode mode, BodyLimits limits);

  BodyMode mode_;
  BodyLimits limits_;
  std::string body_;
  SseDecoder sse_;
  std::deque<std::string> messages_;
  std::deque<SseEvent> others_;
};

}  // namespace mcpw::transport
