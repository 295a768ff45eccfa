// The GET stream for server-initiated messages
// (spec: 2025-11-25 transports#listening-for-messages-from-the-server).
#include <gtest/gtest.h>

#include "client/session.h"
#include "peer.h"

namespace mcpw::client {
namespace {

using testing::Peer;
using testing::Split;
using transport::find_header;

SessionConfig listening() {
  SessionConfig c = Peer::default_config();
  c.listen = true;
  c.request_timeout_ms = 60'000;
  return c;
}

// Handshake, then the GET the session opens once ready.
transport::HttpRequest connect_and_take_get(Peer& p) {
  p.session.connect(p.now);
  auto init = p.take_one();
  p.respond_json(init, Peer::response(Peer::body_of(init)["id"], Peer::init_result()), {{"Mcp-Session-Id", "s"}});
  p.respond(p.take_one(), 202, "", "");
  EXPECT_EQ(p.settled().size(), 1u);
  return p.take_one();
}

class Listen : public ::testing::TestWithParam<Split> {};

TEST_P(Listen, OpensAfterInitializedAndDeliversServerMessages) {
  Peer p(GetParam(), listening());
  auto get = connect_and_take_get(p);
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(find_header(get.headers, "accept"), "text/event-stream");
  EXPECT_EQ(find_header(get.headers, "mcp-session-id"), "s");
  transport::HttpResponseHead head{200, {{"Content-Type", "text/event-stream"}}};
  p.session.handle_response_head(get.exchange, head, p.now);
  p.feed(get.exchange, testing::sse_event(R"({"jsonrpc":"2.0","method":"notifications/tools/list_changed"})", "1") +
                           testing::sse_event(R"({"jsonrpc":"2.0","id":5,"method":"ping"})", "2"));
  auto n = p.session.poll_notification();
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->method, "notifications/tools/list_changed");
  auto pong = p.take_one();
  EXPECT_EQ(Peer::body_of(pong)["id"], 5);
  // Requests still work beside the open stream.
  p.session.request("tools/list", json::object(), p.now);
  auto list = p.take_one();
  p.respond_json(list, Peer::response(Peer::body_of(list)["id"], json{{"tools", json::array()}}));
  EXPECT_EQ(p.settled().size(), 1u);
}

TEST_P(Listen, RefusalIsNeverFatal) {
  Peer p(GetParam(), listening());
  auto get = connect_and_take_get(p);
  p.respond(get, 405, "", "");
  EXPECT_TRUE(p.settled().empty());
  EXPECT_FALSE(p.session.next_deadline().has_value());  // no reconnect after a refusal
  p.session.request("ping", nullptr, p.now);
  auto ping = p.take_one();
  p.respond_json(ping, Peer::response(Peer::body_of(ping)["id"], json::object()));
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.ok());
}

TEST_P(Listen, DroppedStreamReconnectsWithLastEventIdBounded) {
  Peer p(GetParam(), listening());
  auto get = connect_and_take_get(p);
  p.respond(get, 200, "text/event-stream", "retry: 200\nid: 7\ndata:\n\n");  // accepted, then dropped
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(p.session.next_deadline(), p.now + 200) << i;
    p.now += 200;
    p.session.handle_timeout(p.now);
    auto again = p.take_one();
    EXPECT_EQ(again.method, "GET");
    EXPECT_EQ(find_header(again.headers, "last-event-id"), "7");
    p.respond(again, 200, "text/event-stream", "retry: 200\nid: 7\ndata:\n\n");
  }
  EXPECT_FALSE(p.session.next_deadline().has_value());  // 3 in a row with nothing: it stops
  EXPECT_TRUE(p.take_requests().empty());
}

// A server that answers and ends every GET stream at once with "retry: 10":
// the first reconnect honours retry, the next ones back off (1 s doubling,
// up to 32 s), so a minute sees a handful of GETs, not thousands; and the
// stream is never given up, since every one of them answered.
TEST_P(Listen, AnswerThenCloseAtOnceBacksOffInsteadOfLooping) {
  Peer p(GetParam(), listening());
  auto get = connect_and_take_get(p);
  const std::string answer_and_end =
      "retry: 10\nid: 1\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\n\n";
  p.respond(get, 200, "text/event-stream", answer_and_end);
  ASSERT_EQ(p.session.next_deadline(), p.now + 10);  // the server's retry, once
  const std::uint64_t start = p.now;
  std::vector<std::uint64_t> waits;
  while (p.now - start < 60'000 && waits.size() < 200) {
    auto due = p.session.next_deadline();
    ASSERT_TRUE(due.has_value()) << "the stream was given up after " << waits.size() << " reconnects";
    waits.push_back(*due - p.now);
    p.now = *due;
    p.session.handle_timeout(p.now);
    auto again = p.take_one();
    ASSERT_EQ(again.method, "GET");
    p.respond(again, 200, "text/event-stream", answer_and_end);
    while (p.session.poll_notification()) {
    }
  }
  EXPECT_LE(waits.size(), 8u);
  ASSERT_GE(waits.size(), 4u);
  EXPECT_EQ(waits[0], 10u);
  for (std::size_t i = 2; i < waits.size(); ++i) EXPECT_GT(waits[i], waits[i - 1]) << i;  // growing
  EXPECT_TRUE(p.session.next_deadline().has_value());  // still listening
}

// A polling server (2025-11-25: it may end the stream after each event and
// say when to come back) is reconnected exactly when it asks.
TEST_P(Listen, PollingServerIsReconnectedWhenItAsks) {
  Peer p(GetParam(), listening());
  auto get = connect_and_take_get(p);
  const std::string event = "retry: 5000\nid: 1\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\n\n";
  p.respond(get, 200, "text/event-stream", event);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(p.session.next_deadline(), p.now + 5000) << i;
    p.now += 5000;
    p.session.handle_timeout(p.now);
    auto again = p.take_one();
    ASSERT_EQ(again.method, "GET");
    p.respond(again, 200, "text/event-stream", event);
    while (p.session.poll_notification()) {
    }
  }
}

TEST_P(Listen, CloseAbortsTheStream) {
  Peer p(GetParam(), listening());
  auto get = connect_and_take_get(p);
  transport::HttpResponseHead head{200, {{"Content-Type", "text/event-stream"}}};
  p.session.handle_response_head(get.exchange, head, p.now);
  p.session.close(p.now);
  bool aborted = false;
  while (auto a = p.session.poll_abort()) aborted |= *a == get.exchange;
  EXPECT_TRUE(aborted);
  EXPECT_EQ(p.take_one().method, "DELETE");
}

INSTANTIATE_TEST_SUITE_P(Splits, Listen, ::testing::Values(Split::whole, Split::bytewise, Split::random));

}  // namespace
}  // namespace mcpw::client
