#include "transport/sse_decoder.h"

#include <cstring>

namespace mcpw::transport {
namespace {

constexpr std::string_view BOM = "\xEF\xBB\xBF";

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Status SseDecoder::fail() {
  failed_ = true;
  line_.clear();
  data_.clear();
  return Error(SSE_EVENT_TOO_LARGE, "SSE event larger than " + std::to_string(limits_.max_event_bytes) + " bytes");
}

Status SseDecoder::feed(std::string_view bytes) {
  if (failed_) return fail();
  // The BOM may itself arrive split across chunks: hold bytes until 3 are seen.
  if (!bom_checked_) {
    line_.append(bytes);
    if (line_.size() < BOM.size() && BOM.substr(0, line_.size()) == line_) return {};
    bom_checked_ = true;
    std::string held;
    held.swap(line_);
    std::string_view rest = held;
    if (rest.substr(0, BOM.size()) == BOM) rest.remove_prefix(BOM.size());
    return feed(rest);  // one level only: bom_checked_ is now set
  }
  std::size_t i = 0;
  const std::size_t n = bytes.size();
  if (after_cr_ && n > 0) {
    after_cr_ = false;
    if (bytes[0] == '\n') i = 1;  // second half of a CRLF split across chunks
  }
  while (i < n) {
    // Find the next line end (CR or LF) from i.
    std::size_t j = i;
    while (j < n && bytes[j] != '\n' && bytes[j] != '\r') ++j;
    if (j == n) {
      if (line_.size() + (n - i) > limits_.max_event_bytes) return fail();
      line_.append(bytes.substr(i));
      break;
    }
    Status st = Status();
    if (line_.empty()) {
      if (j - i > limits_.max_event_bytes) return fail();  // as when the line comes in pieces
      st = process_line(bytes.substr(i, j - i));
    } else {
      if (line_.size() + (j - i) > limits_.max_event_bytes) return fail();
      line_.append(bytes.substr(i, j - i));
      st = process_line(line_);
      line_.clear();
    }
    if (!st.ok()) return st;
    if (bytes[j] == '\r') {
      if (j + 1 < n) {
        if (bytes[j + 1] == '\n') ++j;
      } else {
        after_cr_ = true;
      }
    }
    i = j + 1;
  }
  return {};
}

Status SseDecoder::process_line(std::string_view line) {
  if (line.empty()) {
    dispatch();
    return {};
  }
  if (line[0] == ':') return {};  // comment
  std::string_view field = line;
  std::string_view value;
  if (auto colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (data_.size() + value.size() + 1 > limits_.max_event_bytes) return fail();
    data_.append(value);
    data_.push_back('\n');
  } else if (field == "event") {
    type_.assign(value);
  } else if (field == "id") {
    // The id buffer becomes the stream's last event id only when an event
    // is dispatched (WHATWG "dispatch the event" step 1): a stream cut inside
    // an event resumes after the previous complete one.
    if (value.find('\0') == std::string_view::npos) id_buffer_.assign(value);
  } else if (field == "retry") {
    // At most 12 digits: enough for any sane wait, and no overflow.
    if (all_digits(value) && value.size() <= 12) {
      std::uint64_t ms = 0;
      for (char c : value) ms = ms * 10 + static_cast<std::uint64_t>(c - '0');
      retry_ms_ = ms;
    }
  }
  return {};
}

void SseDecoder::dispatch() {
  last_event_id_ = id_buffer_;
  if (data_.empty()) {
    type_.clear();
    return;
  }
  data_.pop_back();  // the LF after the last data line
  SseEvent ev;
  if (!type_.empty()) ev.type = std::move(type_);
  ev.data = std::move(data_);
  ev.id = last_event_id_;
  events_.push_back(std::move(ev));
  data_.clear();
  type_.clear();
}

void SseDecoder::finish() {
  id_buffer_ = last_event_id_;  // an unfinished event's id is not kept
  line_.clear();
  data_.clear();
  type_.clear();
  after_cr_ = false;
}

std::optional<SseEvent> SseDecoder::poll_event() {
  if (events_.empty()) return std::nullopt;
  SseEvent ev = std::move(events_.front());
  events_.pop_front();
  return ev;
}

}  // namespace mcpw::transport
