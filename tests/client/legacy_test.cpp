// The HTTP+SSE transport of 2024-11-05, reached by fallback
// (spec: 2025-11-25 basic/transports#backwards-compatibility).
#include <gtest/gtest.h>

#include "client/session.h"
#include "peer.h"

namespace mcpw::client {
namespace {

using testing::Peer;
using testing::Split;
using transport::find_header;

class Legacy : public ::testing::TestWithParam<Split> {};

// Up to the open stream: initialize refused with `status`, then the GET.
transport::HttpRequest refuse_and_take_stream(Peer& p, int status) {
  p.session.connect(p.now);
  auto post = p.take_one();
  p.respond(post, status, "text/plain", "Method Not Allowed");
  return p.take_one();
}

void open_stream(Peer& p, const transport::HttpRequest& get, const std::string& endpoint) {
  transport::HttpResponseHead head{200, {{"Content-Type", "text/event-stream"}}};
  p.session.handle_response_head(get.exchange, head, p.now);
  p.feed(get.exchange, "event: endpoint\ndata: " + endpoint + "\n\n");
}

TEST_P(Legacy, FallsBackAndTalksThroughTheEndpoint) {
  Peer p(GetParam());
  auto get = refuse_and_take_stream(p, 405);
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.url, "http://127.0.0.1:9/mcp");
  EXPECT_EQ(find_header(get.headers, "accept"), "text/event-stream");
  open_stream(p, get, "/messages?sessionId=abc");
  auto init = p.take_one();
  EXPECT_EQ(init.method, "POST");
  EXPECT_EQ(init.url, "http://127.0.0.1:9/messages?sessionId=abc");
  EXPECT_EQ(Peer::body_of(init)["method"], "initialize");
  p.respond(init, 202, "", "");  // accepted; the answer comes on the stream
  EXPECT_TRUE(p.settled().empty());
  p.feed(get.exchange, testing::sse_event(dump_json(Peer::response(Peer::body_of(init)["id"], Peer::init_result("2024-11-05")))));
  auto note = p.take_one();
  EXPECT_EQ(note.url, "http://127.0.0.1:9/messages?sessionId=abc");
  EXPECT_EQ(Peer::body_of(note)["method"], "notifications/initialized");
  p.respond(note, 202, "", "");
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.ok());
  EXPECT_EQ(p.session.protocol_version(), "2024-11-05");
  EXPECT_TRUE(p.take_requests().empty());  // no second GET: the stream is the listen stream

  p.session.request("tools/list", json::object(), p.now);
  auto list = p.take_one();
  EXPECT_EQ(list.url, "http://127.0.0.1:9/messages?sessionId=abc");
  p.respond(list, 202, "", "");
  // Notifications and server requests share the stream.
  p.feed(get.exchange, testing::sse_event(R"({"jsonrpc":"2.0","id":"srv","method":"ping"})"));
  EXPECT_EQ(Peer::body_of(p.take_one())["id"], "srv");
  p.feed(get.exchange, testing::sse_event(dump_json(Peer::response(Peer::body_of(list)["id"], json{{"tools", json::array()}}))));
  auto l = p.settled();
  ASSERT_EQ(l.size(), 1u);
  EXPECT_TRUE(l[0].result.ok());

  p.session.close(p.now);
  bool aborted = false;
  while (auto a = p.session.poll_abort()) aborted |= *a == get.exchange;
  EXPECT_TRUE(aborted);
  EXPECT_TRUE(p.take_requests().empty());  // no session id: no DELETE
}

TEST_P(Legacy, NotTriedOnAuthRateLimitOrServerErrors) {
  for (int status : {401, 403, 429, 500, 503}) {
    Peer p(GetParam());
    p.session.connect(p.now);
    p.respond(p.take_one(), status, "", "");
    auto s = p.settled();
    ASSERT_EQ(s.size(), 1u) << status;
    EXPECT_TRUE(s[0].result.error().is(HTTP_STATUS)) << status;
    EXPECT_TRUE(p.take_requests().empty()) << status;
  }
}

TEST_P(Legacy, EndpointOnAnotherOriginIsRefused) {
  Peer p(GetParam());
  auto get = refuse_and_take_stream(p, 404);
  open_stream(p, get, "http://elsewhere.example/messages");
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(LEGACY_ENDPOINT));
  EXPECT_TRUE(p.take_requests().empty());  // nothing sent elsewhere
}

TEST_P(Legacy, StreamLossFailsWhatIsPending) {
  Peer p(GetParam());
  auto get = refuse_and_take_stream(p, 400);
  open_stream(p, get, "/m");
  auto init = p.take_one();
  p.respond(init, 202, "", "");
  p.feed(get.exchange, testing::sse_event(dump_json(Peer::response(Peer::body_of(init)["id"], Peer::init_result()))));
  p.respond(p.take_one(), 202, "", "");
  ASSERT_EQ(p.settled().size(), 1u);
  p.session.request("tools/call", json{{"name", "slow"}}, p.now);
  p.respond(p.take_one(), 202, "", "");
  p.session.handle_body_end(get.exchange, p.now);  // the server drops the stream
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(TRANSPORT_STREAM_ENDED));
  p.session.request("ping", nullptr, p.now);
  auto after = p.settled();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_TRUE(after[0].result.error().is(CLIENT_NOT_CONNECTED));
}

TEST_P(Legacy, RefusedStreamFailsTheConnect) {
  Peer p(GetParam());
  auto get = refuse_and_take_stream(p, 405);
  p.respond(get, 405, "", "");
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(HTTP_STATUS));
}

INSTANTIATE_TEST_SUITE_P(Splits, Legacy, ::testing::Values(Split::whole, Split::bytewise, Split::random));

}  // namespace
}  // namespace mcpw::client
