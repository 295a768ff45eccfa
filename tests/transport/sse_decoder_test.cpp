#include "transport/sse_decoder.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace mcpw::transport {
namespace {

struct Decoded {
  std::vector<SseEvent> events;
  std::string last_id;
  std::optional<std::uint64_t> retry;
  bool failed = false;
};

Decoded decode(const std::vector<std::string_view>& chunks, SseLimits limits = {}) {
  SseDecoder d(limits);
  Decoded out;
  for (auto c : chunks) {
    if (!d.feed(c).ok()) out.failed = true;
    while (auto ev = d.poll_event()) out.events.push_back(std::move(*ev));
  }
  d.finish();
  EXPECT_FALSE(d.poll_event().has_value());
  out.last_id = d.last_event_id();
  out.retry = d.retry_ms();
  return out;
}

Decoded decode_whole(std::string_view s, SseLimits limits = {}) { return decode({s}, limits); }

Decoded decode_bytewise(std::string_view s, SseLimits limits = {}) {
  std::vector<std::string_view> chunks;
  for (std::size_t i = 0; i < s.size(); ++i) chunks.push_back(s.substr(i, 1));
  return decode(chunks, limits);
}

Decoded decode_random_splits(std::string_view s, std::mt19937& rng, SseLimits limits = {}) {
  std::vector<std::string_view> chunks;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = std::uniform_int_distribution<std::size_t>(0, 7)(rng);  // empty chunks too
    n = std::min(n, s.size() - i);
    chunks.push_back(s.substr(i, n));
    i += n;
  }
  return decode(chunks, limits);
}

void expect_same(const Decoded& a, const Decoded& b, std::string_view what) {
  ASSERT_EQ(a.events.size(), b.events.size()) << what;
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].type, b.events[i].type) << what << " #" << i;
    EXPECT_EQ(a.events[i].data, b.events[i].data) << what << " #" << i;
    EXPECT_EQ(a.events[i].id, b.events[i].id) << what << " #" << i;
  }
  EXPECT_EQ(a.last_id, b.last_id) << what;
  EXPECT_EQ(a.retry, b.retry) << what;
  EXPECT_EQ(a.failed, b.failed) << what;
}

// Every test below checks the stream three ways: whole, one byte at a time,
// and at random split points; all must agree (STYLE.md: feed bytes).
Decoded decode_all_ways(std::string_view s, SseLimits limits = {}) {
  Decoded whole = decode_whole(s, limits);
  expect_same(whole, decode_bytewise(s, limits), "bytewise");
  std::mt19937 rng(12345);
  for (int round = 0; round < 50; ++round) expect_same(whole, decode_random_splits(s, rng, limits), "random split");
  return whole;
}

TEST(SseDecoder, SingleEvent) {
  auto d = decode_all_ways("data: hello\n\n");
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].type, "message");
  EXPECT_EQ(d.events[0].data, "hello");
}

TEST(SseDecoder, MultiLineDataJoinedWithLf) {
  auto d = decode_all_ways("data: a\ndata: b\ndata:\ndata: c\n\n");
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].data, "a\nb\n\nc");
}

TEST(SseDecoder, CrLfAndCrrLineEnds) {
  auto d = decode_all_ways("data: a\r\rdata: b\r\n\r\ndata: c\n\ndata: d\r\n\n");
  ASSERT_EQ(d.events.size(), 4u);
  EXPECT_EQ(d.events[0].data, "a");
  EXPECT_EQ(d.events[1].data, "b");
  EXPECT_EQ(d.events[2].data, "c");
  EXPECT_EQ(d.events[3].data, "d");
}

TEST(SseDecoder, CrLfSplitAcrossChunksIsOneLineEnd) {
  // "\r" then "\n\r\n": if the split CRLF counted twice we would dispatch an
  // extra blank line before the event ends.
  auto d = decode({"data: x\r", "\ndata: y\r", "\n\r\n"});
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].data, "x\ny");
}

TEST(SseDecoder, IdRetryAndComments) {
  auto d = decode_all_ways(": keep-alive\nid: 7\nretry: 500\nevent: note\ndata: x\n\n: bye\n");
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].type, "note");
  EXPECT_EQ(d.events[0].id, "7");
  EXPECT_EQ(d.last_id, "7");
  EXPECT_EQ(d.retry, 500u);
}

// spec: 2025-11-25 transports#resumability — priming event: id + empty data.
TEST(SseDecoder, EventWithoutDataIsNotDispatchedButKeepsIdAndRetry) {
  auto d = decode_all_ways("id: prime-1\nretry: 300\n\ndata: after\n\n");
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].data, "after");
  EXPECT_EQ(d.events[0].id, "prime-1");  // id persists to later events
  EXPECT_EQ(d.retry, 300u);
}

TEST(SseDecoder, EmptyDataFieldDispatchesAnEmptyEvent) {
  auto d = decode_all_ways("data:\n\ndata\n\n");
  ASSERT_EQ(d.events.size(), 2u);
  EXPECT_EQ(d.events[0].data, "");
  EXPECT_EQ(d.events[1].data, "");
}

TEST(SseDecoder, OnlyOneLeadingSpaceIsRemoved) {
  auto d = decode_all_ways("data:  two\ndata:none\n\n");
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].data, " two\nnone");
}

TEST(SseDecoder, InvalidIdAndRetryAreIgnored) {
  std::string s = "id: 1\n\nid: a";
  s += '\0';
  s += "b\nretry: 5s\nretry: -1\nretry: 99999999999999\ndata: x\n\n";
  auto d = decode_all_ways(s);
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].id, "1");
  EXPECT_FALSE(d.retry.has_value());
}

TEST(SseDecoder, EmptyIdResetsLastEventId) {
  auto d = decode_all_ways("id: 5\ndata: a\n\nid\ndata: b\n\n");
  ASSERT_EQ(d.events.size(), 2u);
  EXPECT_EQ(d.events[0].id, "5");
  EXPECT_EQ(d.events[1].id, "");
}

// spec: WHATWG HTML server-sent events, "dispatch the event" step 1 — the
// last event id changes when an event completes, not when `id:` is read.
TEST(SseDecoder, LastEventIdChangesOnlyWhenAnEventCompletes) {
  auto d = decode_all_ways("id: ev-1\ndata: a\n\nid: ev-2\ndata: b");  // cut inside the second event
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.last_id, "ev-1");
  auto done = decode_all_ways("id: ev-1\ndata: a\n\nid: ev-2\n\n");  // an id-only event still counts
  EXPECT_EQ(done.events.size(), 1u);
  EXPECT_EQ(done.last_id, "ev-2");
}

TEST(SseDecoder, LeadingBomIsStrippedOnce) {
  auto d = decode_all_ways("\xEF\xBB\xBF" "data: a\n\n\xEF\xBB\xBF" "data: b\n\n");
  ASSERT_EQ(d.events.size(), 1u);  // the second BOM makes an unknown field name
  EXPECT_EQ(d.events[0].data, "a");
  // A BOM split over three chunks.
  auto split = decode({"\xEF", "\xBB", "\xBF" "data: c\n\n"});
  ASSERT_EQ(split.events.size(), 1u);
  EXPECT_EQ(split.events[0].data, "c");
}

TEST(SseDecoder, UnknownFieldsAreIgnored) {
  auto d = decode_all_ways("foo: bar\ndata: x\nDATA: y\n\n");
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].data, "x");
}

TEST(SseDecoder, IncompleteEventAtEndIsDropped) {
  auto d = decode_all_ways("data: done\n\ndata: partial\n");
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].data, "done");
}

TEST(SseDecoder, EventOverTheLimitFailsTheStream) {
  SseLimits lim;
  lim.max_event_bytes = 16;
  auto ok = decode_all_ways("data: 0123456789\n\n", lim);
  EXPECT_FALSE(ok.failed);
  ASSERT_EQ(ok.events.size(), 1u);
  auto big = decode_all_ways("data: 0123456789\ndata: 0123456789\n\ndata: later\n\n", lim);
  EXPECT_TRUE(big.failed);
  EXPECT_TRUE(big.events.empty());
  // A line that never ends is bounded too.
  auto endless = decode_all_ways(std::string(100, 'x'), lim);
  EXPECT_TRUE(endless.failed);
  SseDecoder dec(lim);
  auto st = dec.feed(std::string(100, 'x'));
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(SSE_EVENT_TOO_LARGE));
  EXPECT_FALSE(dec.feed("\n\ndata: y\n\n").ok());  // stays failed
  EXPECT_FALSE(dec.poll_event().has_value());
}

// Found by fuzz/sse_decoder.cpp: a non-data line over the limit failed the
// stream when it came in pieces but not when it came in one chunk.
TEST(SseDecoder, LongLineFailsTheStreamWhateverItsChunking) {
  SseLimits lim;
  lim.max_event_bytes = 16;
  auto d = decode_all_ways("event: " + std::string(40, 'e') + "\ndata: x\n\n", lim);
  EXPECT_TRUE(d.failed);
  EXPECT_TRUE(d.events.empty());
  lim.max_event_bytes = 1;
  EXPECT_TRUE(decode_all_ways(std::string("\x05\0\n", 3), lim).failed);
}

TEST(SseDecoder, RandomStreamsDecodeTheSameUnderAnySplit) {
  // Random streams over an alphabet rich in line ends and field syntax.
  const std::string_view pieces[] = {"data:", "data: ", "id: ", "retry: ", "event: ", ":", "\r", "\n", "\r\n",
                                     "x",     "42",     " ",    "\xEF\xBB\xBF", "{\"a\":1}"};
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string s;
    int len = std::uniform_int_distribution<int>(0, 40)(rng);
    for (int k = 0; k < len; ++k) s += pieces[std::uniform_int_distribution<int>(0, 13)(rng)];
    decode_all_ways(s);
  }
}

}  // namespace
}  // namespace mcpw::transport
