// Recovery paths: resuming dropped SSE streams, 429 with Retry-After, and a
// session the server forgot (404). Bodies fed whole, bytewise and at random splits.
#include <gtest/gtest.h>

#include "client/session.h"
#include "peer.h"

namespace mcpw::client {
namespace {

using testing::Peer;
using testing::Split;
using transport::find_header;

class Recovery : public ::testing::TestWithParam<Split> {};

std::string answer(const transport::HttpRequest& req, const std::string& text) {
  return dump_json(Peer::response(Peer::body_of(req)["id"], json{{"content", json::array({{{"type", "text"}, {"text", text}}})}}));
}

// spec: 2025-11-25 transports#resumability-and-redelivery
TEST_P(Recovery, DroppedStreamResumesWithLastEventIdAfterRetry) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  OpId op = p.session.request("tools/call", json{{"name", "slow"}}, p.now);
  auto post = p.take_one();
  p.respond(post, 200, "text/event-stream", "id: ev-1\nretry: 500\ndata:\n\n");  // priming, then the stream drops
  EXPECT_TRUE(p.settled().empty());
  EXPECT_TRUE(p.take_requests().empty());
  EXPECT_EQ(p.session.next_deadline(), p.now + 500);
  p.session.handle_timeout(p.now + 499);
  EXPECT_TRUE(p.take_requests().empty());
  p.now += 500;
  p.session.handle_timeout(p.now);
  auto get = p.take_one();
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(find_header(get.headers, "last-event-id"), "ev-1");
  EXPECT_EQ(find_header(get.headers, "accept"), "text/event-stream");
  EXPECT_EQ(find_header(get.headers, "mcp-session-id"), "sess-1");
  EXPECT_TRUE(get.body.empty());
  p.respond(get, 200, "text/event-stream", testing::sse_event(answer(post, "resumed"), "ev-2"));
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].op, op);
  ASSERT_TRUE(s[0].result.ok());
  EXPECT_EQ((*s[0].result)["content"][0]["text"], "resumed");
  EXPECT_EQ(p.session.open_exchanges(), 0u);
}

TEST_P(Recovery, ResumesAreBoundedAndBackOffWithoutRetry) {
  SessionConfig config = Peer::default_config();
  config.request_timeout_ms = 60'000;  // the backoffs (1 s, 2 s, 4 s) stay under it
  Peer p(GetParam(), config);
  ASSERT_TRUE(p.handshake().ok());
  p.session.request("tools/call", json{{"name", "slow"}}, p.now);
  auto req = p.take_one();
  p.respond(req, 200, "text/event-stream", "id: a\ndata:\n\n");
  for (unsigned attempt = 0; attempt < 3; ++attempt) {
    auto due = p.session.next_deadline();
    ASSERT_TRUE(due.has_value());
    const std::uint64_t base = 1000u << attempt;
    EXPECT_GE(*due - p.now, base) << attempt;
    EXPECT_LE(*due - p.now, base + base / 4) << attempt;
    p.now = *due;
    p.session.handle_timeout(p.now);
    auto get = p.take_one();
    EXPECT_EQ(get.method, "GET");
    p.respond(get, 200, "text/event-stream", "id: b\ndata:\n\n");  // drops again
  }
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(TRANSPORT_STREAM_ENDED));
}

TEST_P(Recovery, NetworkErrorMidStreamResumes) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  p.session.request("tools/call", json{{"name", "slow"}}, p.now);
  auto post = p.take_one();
  transport::HttpResponseHead head{200, {{"Content-Type", "text/event-stream"}}};
  p.session.handle_response_head(post.exchange, head, p.now);
  p.feed(post.exchange, "retry: 100\nid: 9\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}}\n\n");
  p.session.handle_network_error(post.exchange, "ECONNRESET", p.now);
  EXPECT_TRUE(p.settled().empty());
  p.now += 100;
  p.session.handle_timeout(p.now);
  auto get = p.take_one();
  EXPECT_EQ(find_header(get.headers, "last-event-id"), "9");
  p.respond(get, 200, "text/event-stream", testing::sse_event(answer(post, "ok")));
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.ok());
}

TEST_P(Recovery, ResumeRefusedByTheServerIsTyped) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  p.session.request("tools/call", json{{"name", "slow"}}, p.now);
  p.respond(p.take_one(), 200, "text/event-stream", "id: 1\nretry: 10\ndata:\n\n");
  p.now += 10;
  p.session.handle_timeout(p.now);
  p.respond(p.take_one(), 405, "", "");
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(HTTP_STATUS));
  EXPECT_EQ(parse_ordered_json(s[0].result.error().data_json).value()["status"], 405);
}

// 429: idempotent requests wait and retry; others fail at once with the wait.
TEST_P(Recovery, RateLimitedListIsRetriedAfterRetryAfter) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  OpId op = p.session.list_all("tools/list", "tools", json::object(), p.now);
  auto first = p.take_one();
  p.respond(first, 429, "application/json", R"({"error":"slow down"})", {{"Retry-After", "2"}});
  EXPECT_TRUE(p.settled().empty());
  EXPECT_EQ(p.session.next_deadline(), p.now + 2000);
  p.now += 2000;
  p.session.handle_timeout(p.now);
  auto again = p.take_one();
  EXPECT_EQ(Peer::body_of(again)["method"], "tools/list");
  p.respond_json(again, Peer::response(Peer::body_of(again)["id"], json{{"tools", json::array({{{"name", "t"}, {"inputSchema", {{"type", "object"}}}}})}}));
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].op, op);
  ASSERT_TRUE(s[0].result.ok());
  EXPECT_EQ((*s[0].result)["tools"].size(), 1u);
}

TEST_P(Recovery, RateLimitedCallFailsWithTheWait) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  p.session.request("tools/call", json{{"name", "x"}}, p.now);
  p.respond(p.take_one(), 429, "application/json", R"({"error":"rate_limited","message":"300 per minute"})",
            {{"Retry-After", "30"}});
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(HTTP_STATUS));
  json data = parse_ordered_json(s[0].result.error().data_json).value();
  EXPECT_EQ(data["status"], 429);
  EXPECT_EQ(data["retryAfterMs"], 30000);
}

TEST_P(Recovery, RateLimitRetriesAreBounded) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  p.session.request("ping", nullptr, p.now);
  for (int i = 0; i < 3; ++i) {
    auto req = p.take_one();
    p.respond(req, 429, "", "", {{"Retry-After", "1"}});
    if (i < 2) {
      p.now += 1000;
      p.session.handle_timeout(p.now);
    }
  }
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(HTTP_STATUS));
  EXPECT_TRUE(p.take_requests().empty());
}

TEST_P(Recovery, LongRetryAfterIsNotWaitedOut) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  p.session.request("tools/list", json::object(), p.now);
  p.respond(p.take_one(), 429, "", "", {{"Retry-After", "3600"}});
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(parse_ordered_json(s[0].result.error().data_json).value()["retryAfterMs"], 3600000);
}

// spec: 2025-11-25 transports#session-management — 404 with a session id:
// start a new session, then send the request again, once.
TEST_P(Recovery, ForgottenSessionIsReinitializedAndTheRequestReplayedOnce) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  OpId op = p.session.request("tools/call", json{{"name", "echo"}}, p.now);
  auto first = p.take_one();
  p.respond(first, 404, "application/json", R"({"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}})");
  auto init = p.take_one();
  EXPECT_EQ(Peer::body_of(init)["method"], "initialize");
  EXPECT_FALSE(find_header(init.headers, "mcp-session-id"));
  p.respond_json(init, Peer::response(Peer::body_of(init)["id"], Peer::init_result()), {{"Mcp-Session-Id", "sess-2"}});
  auto note = p.take_one();
  EXPECT_EQ(find_header(note.headers, "mcp-session-id"), "sess-2");
  p.respond(note, 202, "", "");
  auto replay = p.take_one();
  EXPECT_EQ(Peer::body_of(replay)["method"], "tools/call");
  EXPECT_EQ(find_header(replay.headers, "mcp-session-id"), "sess-2");
  EXPECT_TRUE(p.settled().empty());  // the internal re-initialize is never reported
  // The replayed request is lost too: no second replay, a typed error.
  p.respond(replay, 404, "", "");
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].op, op);
  EXPECT_TRUE(s[0].result.error().is(HTTP_STATUS));
  EXPECT_EQ(p.session.session_id(), "sess-2");
  EXPECT_TRUE(p.take_requests().empty());
}

TEST_P(Recovery, FailedReinitializationFailsTheWaitingRequests) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  OpId a = p.session.request("tools/call", json{{"name", "a"}}, p.now);
  OpId b = p.session.request("tools/call", json{{"name", "b"}}, p.now);
  auto reqs = p.take_requests();
  ASSERT_EQ(reqs.size(), 2u);
  p.respond(reqs[0], 404, "", "");
  p.respond(reqs[1], 404, "", "");  // both wait for the same new session
  auto init = p.take_one();
  p.respond(init, 500, "", "");
  auto s = p.settled();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].op + s[1].op, a + b);
  for (auto& x : s) EXPECT_TRUE(x.result.error().is(HTTP_STATUS));
  EXPECT_EQ(p.session.pending_operations(), 0u);
}

TEST_P(Recovery, NoReplayWithoutASession) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake("2025-11-25", "").ok());  // a stateless server: no session id
  p.session.request("tools/list", json::object(), p.now);
  p.respond(p.take_one(), 404, "", "");
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(HTTP_STATUS));
  EXPECT_TRUE(p.take_requests().empty());
}

INSTANTIATE_TEST_SUITE_P(Splits, Recovery, ::testing::Values(Split::whole, Split::bytewise, Split::random));

}  // namespace
}  // namespace mcpw::client
