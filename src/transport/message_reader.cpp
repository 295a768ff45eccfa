#include "transport/message_reader.h"

namespace mcpw::transport {

MessageReader::MessageReader(BodyMode mode, BodyLimits limits)
    : mode_(mode), limits_(limits), sse_(SseLimits{limits.max_body_bytes}) {}

Result<MessageReader> MessageReader::for_response(const HttpResponseHead& head, BodyLimits limits) {
  if (head.status == 202 || head.status == 204) return MessageReader(BodyMode::empty, limits);
  auto ct = find_header(head.headers, "content-type");
  std::string type = ct ? media_type(*ct) : std::string();
  if (type == "application/json") return MessageReader(BodyMode::json, limits);
  if (type == "text/event-stream") return MessageReader(BodyMode::sse, limits);
  return Error(TRANSPORT_CONTENT_TYPE,
               "expected application/json or text/event-stream, got " + (type.empty() ? "no Content-Type" : type));
}

Status MessageReader::feed(std::string_view bytes) {
  switch (mode_) {
    case BodyMode::empty:
      return {};  // tolerated: some servers send a body with 202
    case BodyMode::json:
      if (body_.size() + bytes.size() > limits_.max_body_bytes) {
        body_.clear();
        return Error(TRANSPORT_BODY_TOO_LARGE, "response body over " + std::to_string(limits_.max_body_bytes) + " bytes");
      }
      body_.append(bytes);
      return {};
    case BodyMode::sse: {
      Status st = sse_.feed(bytes);
      while (auto ev = sse_.poll_event()) {
        // Events of other types (and empty priming events) carry no message.
        if (ev->data.empty()) continue;  // priming events carry only id / retry
        if (ev->type == "message") {
          messages_.push_back(std::move(ev->data));
        } else if (others_.size() < 64) {  // bounded: nobody may be reading them
          others_.push_back(std::move(*ev));
        }
      }
      return st;
    }
  }
  return {};
}

Status MessageReader::finish() {
  if (mode_ == BodyMode::json) {
    if (!body_.empty()) messages_.push_back(std::move(body_));
    body_.clear();
  } else if (mode_ == BodyMode::sse) {
    sse_.finish();
  }
  return {};
}

std::optional<SseEvent> MessageReader::poll_other_event() {
  if (others_.empty()) return std::nullopt;
  SseEvent e = std::move(others_.front());
  others_.pop_front();
  return e;
}

std::optional<std::string> MessageReader::poll_message() {
  if (messages_.empty()) return std::nullopt;
  std::string m = std::move(messages_.front());
  messages_.pop_front();
  return m;
}

}  // namespace mcpw::transport
