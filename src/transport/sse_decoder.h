#pragma once
// Server-Sent Events decoder, fed bytes in chunks of any size.
// Implements the "event stream interpretation" of the WHATWG HTML Standard
// (§9.2.6 "Interpreting an event stream"): CR, LF and CRLF line ends (a CRLF
// split across two chunks is one line end), a leading BOM, comments, fields
// `event`/`data`/`id`/`retry`, dispatch on a blank line, and no dispatch for an
// event whose data buffer is empty (its `id` and `retry` still take effect,
// which is what MCP servers rely on for priming events).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "support/result.h"

namespace mcpw::transport {

inline constexpr ErrorId SSE_EVENT_TOO_LARGE{"sse.event_too_large", ErrorKind::remote};

/// Bounds for one decoder; an event (or a line) over max_event_bytes fails the stream.
struct SseLimits {
  std::size_t max_event_bytes = 16u << 20;
};

/// One dispatched event. `id` is the stream's last event id at dispatch time.
struct SseEvent {
  std::string type = "message";
  std::string data;
  std::string id;
};

/// Incremental decoder; feed() may be called with any split of the stream.
class SseDecoder {
 public:
  explicit SseDecoder(SseLimits limits = {}) : limits_(limits) {}

  /// Consumes bytes, queueing complete events. After an error, every later
  /// feed returns the same error and nothing more is queued.
  Status feed(std::string_view bytes);
  /// Ends the stream: a pending event with no blank line after it is dropped.
  void finish();

  /// The next queued event, in stream order.
  std::optional<SseEvent> poll_event();
  bool has_event() const { return !events_.empty(); }

  /// The id of the last dispatched event (`id:` field; WHATWG: set on
  /// dispatch, not when the line is read), for a resume with Last-Event-ID.
  const std::string& last_event_id() const { return last_event_id_; }
  /// The latest valid `retry:` value, in milliseconds.
  std::optional<std::uint64_t> retry_ms() const { return retry_ms_; }

 private:
  Status process_line(std::string_view line);
  void dispatch();
  Status fail();

  SseLimits limits_;
  std::string line_;  // partial line carried across chunks
  std::string data_;
  std::string type_;
  std::string last_event_id_;
  std::string id_buffer_;  // the `id:` of the event being read
  std::optional<std::uint64_t> retry_ms_;
  std::deque<SseEvent> events_;
  bool after_cr_ = false;  // last byte seen was CR: an LF next is the same line end
  bool bom_checked_ = false;
  bool failed_ = false;
};

}  // namespace mcpw::transport
