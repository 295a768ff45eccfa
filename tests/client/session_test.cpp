#include "client/session.h"

#include <gtest/gtest.h>

#include "peer.h"

namespace mcpw::client {
namespace {

using testing::Peer;
using testing::Split;
using transport::find_header;

class SessionTest : public ::testing::TestWithParam<Split> {};

// spec: 2025-11-25 basic/lifecycle#initialization, transports#session-management
TEST_P(SessionTest, HandshakeSendsInitializeThenInitializedWithSessionHeaders) {
  Peer p(GetParam());
  OpId op = p.session.connect(p.now);
  auto init = p.take_one();
  EXPECT_EQ(init.method, "POST");
  EXPECT_EQ(init.url, "http://127.0.0.1:9/mcp");
  EXPECT_EQ(find_header(init.headers, "content-type"), "application/json");
  EXPECT_EQ(find_header(init.headers, "accept"), "application/json, text/event-stream");
  EXPECT_EQ(find_header(init.headers, "authorization"), "Bearer test");
  EXPECT_FALSE(find_header(init.headers, "mcp-session-id"));
  EXPECT_FALSE(find_header(init.headers, "mcp-protocol-version"));
  json body = Peer::body_of(init);
  EXPECT_EQ(body["method"], "initialize");
  EXPECT_EQ(body["params"]["protocolVersion"], "2025-11-25");

  p.respond_json(init, Peer::response(body["id"], Peer::init_result()), {{"Mcp-Session-Id", "abc"}});
  EXPECT_TRUE(p.settled().empty());  // not before initialized is delivered
  auto note = p.take_one();
  EXPECT_EQ(Peer::body_of(note)["method"], "notifications/initialized");
  EXPECT_FALSE(Peer::body_of(note).contains("id"));
  EXPECT_EQ(find_header(note.headers, "mcp-session-id"), "abc");
  EXPECT_EQ(find_header(note.headers, "mcp-protocol-version"), "2025-11-25");
  p.respond(note, 202, "", "");
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].op, op);
  ASSERT_TRUE(s[0].result.ok());
  EXPECT_EQ((*s[0].result)["serverInfo"]["name"], "fake");
  EXPECT_EQ(p.session.session_id(), "abc");
  EXPECT_EQ(p.session.server_info()["name"], "fake");
}

// spec: 2025-11-25 basic/lifecycle#version-negotiation
TEST_P(SessionTest, OlderServerVersionIsUsedOnLaterRequests) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake("2025-03-26").ok());
  p.session.request("tools/list", json::object(), p.now);
  auto req = p.take_one();
  EXPECT_EQ(find_header(req.headers, "mcp-protocol-version"), "2025-03-26");
}

TEST_P(SessionTest, UnsupportedVersionFailsConnectAndLaterRequests) {
  Peer p(GetParam());
  OpId op = p.session.connect(p.now);
  auto init = p.take_one();
  p.respond_json(init, Peer::response(Peer::body_of(init)["id"], Peer::init_result("1999-01-01")));
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].op, op);
  ASSERT_FALSE(s[0].result.ok());
  EXPECT_TRUE(s[0].result.error().is(protocol::PROTOCOL_UNSUPPORTED_VERSION));
  EXPECT_TRUE(p.take_requests().empty());  // no initialized notification
  p.session.request("tools/list", json::object(), p.now);
  auto later = p.settled();
  ASSERT_EQ(later.size(), 1u);
  EXPECT_TRUE(later[0].result.error().is(CLIENT_NOT_CONNECTED));
}

TEST_P(SessionTest, RequestsMadeDuringHandshakeWaitUntilReady) {
  Peer p(GetParam());
  p.session.connect(p.now);
  OpId early = p.session.request("tools/list", json::object(), p.now);
  auto init = p.take_one();  // only initialize so far
  p.respond_json(init, Peer::response(Peer::body_of(init)["id"], Peer::init_result()), {{"Mcp-Session-Id", "s"}});
  auto note = p.take_one();
  EXPECT_EQ(Peer::body_of(note)["method"], "notifications/initialized");
  p.respond(note, 202, "", "");
  auto list = p.take_one();
  EXPECT_EQ(Peer::body_of(list)["method"], "tools/list");
  p.respond_json(list, Peer::response(Peer::body_of(list)["id"], json{{"tools", json::array()}}));
  auto s = p.settled();
  ASSERT_EQ(s.size(), 2u);  // connect, then the early request
  EXPECT_EQ(s[1].op, early);
  EXPECT_TRUE(s[1].result.ok());
}

// spec: 2025-11-25 transports#sending-messages-to-the-server — an SSE answer
// may carry notifications and server requests before the response.
TEST_P(SessionTest, SseAnswerWithNotificationsAndPing) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  OpId op = p.session.request("tools/call", json{{"name", "slow"}, {"arguments", json::object()}}, p.now);
  auto req = p.take_one();
  json id = Peer::body_of(req)["id"];
  std::string body = "id: 0\nretry: 500\ndata:\n\n";  // priming event
  body += testing::sse_event(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1,"total":2}})", "1");
  body += testing::sse_event(R"({"jsonrpc":"2.0","id":"srv-1","method":"ping"})", "2");
  body += testing::sse_event(dump_json(Peer::response(id, json{{"content", json::array({{{"type", "text"}, {"text", "done"}}})}})), "3");
  p.respond(req, 200, "text/event-stream", body);
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].op, op);
  ASSERT_TRUE(s[0].result.ok());
  EXPECT_EQ((*s[0].result)["content"][0]["text"], "done");
  auto n = p.session.poll_notification();
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->method, "notifications/progress");
  EXPECT_EQ(n->params["total"], 2);
  auto pong = p.take_one();  // the client answered the server's ping
  json pong_body = Peer::body_of(pong);
  EXPECT_EQ(pong_body["id"], "srv-1");
  EXPECT_TRUE(pong_body["result"].is_object());
  EXPECT_EQ(find_header(pong.headers, "mcp-session-id"), "sess-1");
}

TEST_P(SessionTest, UnsupportedServerRequestGetsMethodNotFound) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  p.session.request("tools/call", json{{"name", "x"}}, p.now);
  auto req = p.take_one();
  std::string body = testing::sse_event(R"({"jsonrpc":"2.0","id":9,"method":"sampling/createMessage","params":{}})");
  p.respond(req, 200, "text/event-stream", body);
  auto replies = p.take_requests();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(Peer::body_of(replies[0])["error"]["code"], protocol::METHOD_NOT_FOUND);
  auto s = p.settled();  // the stream ended without the answer
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(TRANSPORT_STREAM_ENDED));
}

// spec: 2025-11-25 server/utilities/pagination
TEST_P(SessionTest, ListAllFollowsEveryPage) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  OpId op = p.session.list_all("tools/list", "tools", json::object(), p.now);
  for (int page = 0; page < 3; ++page) {
    auto req = p.take_one();
    json body = Peer::body_of(req);
    if (page == 0) {
      EXPECT_FALSE(body["params"].contains("cursor"));
    } else {
      EXPECT_EQ(body["params"]["cursor"], "c" + std::to_string(page));
    }
    json result = {{"tools", json::array({{{"name", "t" + std::to_string(page)}, {"inputSchema", {{"type", "object"}}}}})}};
    if (page < 2) result["nextCursor"] = "c" + std::to_string(page + 1);
    p.respond_json(req, Peer::response(body["id"], result));
  }
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].op, op);
  ASSERT_TRUE(s[0].result.ok());
  const json& tools = (*s[0].result)["tools"];
  ASSERT_EQ(tools.size(), 3u);
  EXPECT_EQ(tools[2]["name"], "t2");
  EXPECT_FALSE(s[0].result->contains("nextCursor"));
}

TEST_P(SessionTest, ListAllStopsOnACursorLoop) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  p.session.list_all("tools/list", "tools", json::object(), p.now);
  for (int page = 0; page < 2; ++page) {
    auto req = p.take_one();
    p.respond_json(req, Peer::response(Peer::body_of(req)["id"], json{{"tools", json::array()}, {"nextCursor", "same"}}));
  }
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(protocol::PROTOCOL_INVALID_RESULT));
  EXPECT_TRUE(p.take_requests().empty());
}

// A list page is read from its text (no DOM); the text is still checked as a
// whole JSON message, and names written with escapes still count.
TEST_P(SessionTest, ListPagesReadFromTextKeepTheMessageRules) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  const auto answer = [&](const std::string& rest) {
    p.session.list_all("tools/list", "tools", json::object(), p.now);
    auto req = p.take_one();
    p.respond(req, 200, "application/json", R"({"jsonrpc":"2.0","id":)" + dump_json(Peer::body_of(req)["id"]) + rest);
    auto s = p.settled();
    EXPECT_EQ(s.size(), 1u);
    return s.empty() ? Result<json>(Error(INVALID_STATE, "none")) : std::move(s[0].result);
  };
  // Not JSON after the result: the message fails as parse_message fails it.
  auto r = answer(R"(,"result":{"tools":[]}} x)");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(JSON_SYNTAX)) << r.error().id.id;
  r = answer(R"(,"result":{"tools":[{"name":"a","inputSchema":{"type":"object"}}],})");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(JSON_SYNTAX)) << r.error().id.id;
  // Escaped names: "t\u006fols" is "tools"; the last "nextCursor" wins (the empty one).
  r = answer(R"(,"result":{"t\u006fols":[{"name":"b\u0061r","inputSchema":{"type":"object"}}],)"
             R"("nextCursor":"more","next\u0043ursor":""}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ((*r)["tools"].size(), 1u);
  EXPECT_EQ((*r)["tools"][0]["name"], "bar");
  EXPECT_TRUE(p.take_requests().empty());
  // An array where the tools should be is not a page.
  r = answer(R"(,"result":{"tools":{"name":"c"}}})");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(protocol::PROTOCOL_INVALID_RESULT));
}

TEST_P(SessionTest, HttpErrorsAreTypedWithStatusAndServerMessage) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  p.session.request("tools/list", json::object(), p.now);
  auto req = p.take_one();
  p.respond(req, 500, "application/json",
            R"({"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"Internal trouble"}})");
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  ASSERT_FALSE(s[0].result.ok());
  EXPECT_TRUE(s[0].result.error().is(HTTP_STATUS));
  EXPECT_EQ(s[0].result.error().message, "HTTP 500: Internal trouble");
  EXPECT_EQ(parse_ordered_json(s[0].result.error().data_json).value()["status"], 500);
}

TEST_P(SessionTest, JsonRpcErrorIsTypedWithCode) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  p.session.request("tools/call", json{{"name", "nope"}}, p.now);
  auto req = p.take_one();
  p.respond_json(req, json{{"jsonrpc", "2.0"}, {"id", Peer::body_of(req)["id"]},
                           {"error", {{"code", -32602}, {"message", "Unknown tool: nope"}}}});
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(RPC_ERROR));
  EXPECT_EQ(s[0].result.error().message, "Unknown tool: nope");
  EXPECT_EQ(parse_ordered_json(s[0].result.error().data_json).value()["code"], -32602);
}

TEST_P(SessionTest, MalformedBodiesAreTypedErrors) {
  struct Case {
    std::string content_type, body;
    ErrorId expected;
  };
  const Case cases[] = {
      {"application/json", "{not json", JSON_SYNTAX},
      {"application/json", std::string(100000, '['), JSON_TOO_DEEP},
      {"application/json", R"([{"jsonrpc":"2.0","id":2,"result":{}}])", protocol::JSONRPC_BATCH_UNSUPPORTED},
      {"text/html", "<html>", transport::TRANSPORT_CONTENT_TYPE},
      {"text/event-stream", "data: {\"jsonrpc\":\"2.0\",\"id\":2,\"res\n\n", JSON_SYNTAX},
      {"application/json", "", TRANSPORT_STREAM_ENDED},
  };
  for (const Case& c : cases) {
    Peer p(GetParam());
    ASSERT_TRUE(p.handshake().ok());
    p.session.request("tools/list", json::object(), p.now);
    auto req = p.take_one();
    p.respond(req, 200, c.content_type, c.body);
    auto s = p.settled();
    ASSERT_EQ(s.size(), 1u) << c.body.substr(0, 40);
    ASSERT_FALSE(s[0].result.ok());
    EXPECT_TRUE(s[0].result.error().is(c.expected)) << c.body.substr(0, 40) << " -> " << s[0].result.error().id.id;
    EXPECT_EQ(p.session.pending_operations(), 0u);
    EXPECT_EQ(p.session.open_exchanges(), 0u);
  }
}

TEST_P(SessionTest, NetworkErrorSettlesOnce) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  p.session.request("ping", nullptr, p.now);
  auto req = p.take_one();
  p.session.handle_network_error(req.exchange, "ECONNRESET", p.now);
  p.session.handle_network_error(req.exchange, "again", p.now);  // late duplicate input is ignored
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(TRANSPORT_NETWORK));
  EXPECT_EQ(s[0].result.error().message, "network error: ECONNRESET");
}

// spec: 2025-11-25 basic/utilities/cancellation — a timed-out request is cancelled.
TEST_P(SessionTest, TimeoutSettlesAbortsAndCancels) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  p.session.request("tools/call", json{{"name", "slow"}}, p.now);
  auto req = p.take_one();
  ASSERT_TRUE(p.session.next_deadline().has_value());
  EXPECT_EQ(*p.session.next_deadline(), p.now + 5000);
  p.session.handle_timeout(p.now + 4999);
  EXPECT_TRUE(p.settled().empty());
  p.session.handle_timeout(p.now + 5000);
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(CLIENT_TIMEOUT));
  EXPECT_EQ(p.session.poll_abort(), req.exchange);
  auto cancel = p.take_one();
  json c = Peer::body_of(cancel);
  EXPECT_EQ(c["method"], "notifications/cancelled");
  EXPECT_EQ(c["params"]["requestId"], Peer::body_of(req)["id"]);
  // The answer arriving late changes nothing.
  p.respond_json(req, Peer::response(Peer::body_of(req)["id"], json::object()));
  EXPECT_TRUE(p.settled().empty());
  EXPECT_FALSE(p.session.next_deadline().has_value());
}

TEST_P(SessionTest, DuplicateAndUnknownAnswersAreIgnored) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  p.session.request("test/echo", json::object(), p.now);
  auto req = p.take_one();
  json id = Peer::body_of(req)["id"];
  std::string body = testing::sse_event(dump_json(Peer::response(12345, json::object()))) +
                     testing::sse_event(dump_json(Peer::response("x", json::object()))) +
                     testing::sse_event(dump_json(Peer::response(id, json{{"n", 1}}))) +
                     testing::sse_event(dump_json(Peer::response(id, json{{"n", 2}})));
  p.respond(req, 200, "text/event-stream", body);
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ((*s[0].result)["n"], 1);
}

// spec: 2025-11-25 transports#session-management — DELETE with the session id.
TEST_P(SessionTest, CloseDeletesTheSessionAndSettlesEverything) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  OpId pending = p.session.request("tools/call", json{{"name", "slow"}}, p.now);
  auto req = p.take_one();
  OpId close = p.session.close(p.now);
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].op, pending);
  EXPECT_TRUE(s[0].result.error().is(CLIENT_CLOSED));
  EXPECT_EQ(p.session.poll_abort(), req.exchange);
  auto del = p.take_one();
  EXPECT_EQ(del.method, "DELETE");
  EXPECT_EQ(find_header(del.headers, "mcp-session-id"), "sess-1");
  EXPECT_TRUE(del.body.empty());
  p.respond(del, 405, "", "");  // a server may refuse DELETE: still closed
  auto done = p.settled();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].op, close);
  EXPECT_TRUE(done[0].result.ok());
  p.session.request("tools/list", json::object(), p.now);
  auto after = p.settled();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_TRUE(after[0].result.error().is(CLIENT_CLOSED));
  EXPECT_EQ(p.session.pending_operations(), 0u);
  EXPECT_EQ(p.session.open_exchanges(), 0u);
}

TEST_P(SessionTest, CloseWithoutSessionIdSendsNothing) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake("2025-11-25", "").ok());
  p.session.close(p.now);
  EXPECT_TRUE(p.take_requests().empty());
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.ok());
}

TEST_P(SessionTest, CancelSettlesOnceAndNotifiesTheServer) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  OpId op = p.session.request("tools/call", json{{"name", "slow"}}, p.now);
  auto req = p.take_one();
  p.session.cancel(op, p.now);
  p.session.cancel(op, p.now);
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(CLIENT_CANCELLED));
  EXPECT_EQ(Peer::body_of(p.take_one())["method"], "notifications/cancelled");
  EXPECT_EQ(p.session.poll_abort(), req.exchange);
}

// Tool schemas must reach the host exactly as the server sent them
// (spec: 2025-11-25 server/tools; conformance checks schemas survive untouched).
TEST_P(SessionTest, ResultsKeepTheServersMemberOrder) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  p.session.list_all("tools/list", "tools", json::object(), p.now);
  auto req = p.take_one();
  const std::string tools =
      R"({"tools":[{"name":"z","inputSchema":{"type":"object","properties":{"zeta":{"type":"string"},)"
      R"("alpha":{"type":"integer"},"mid":{"$ref":"#/$defs/m"}},"$defs":{"m":{}},"required":["zeta"]}}]})";
  p.respond(req, 200, "application/json",
            R"({"jsonrpc":"2.0","id":)" + dump_json(Peer::body_of(req)["id"]) + R"(,"result":)" + tools + "}");
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  ASSERT_TRUE(s[0].result.ok());
  EXPECT_EQ(dump_json(*s[0].result), tools);
}

INSTANTIATE_TEST_SUITE_P(Splits, SessionTest, ::testing::Values(Split::whole, Split::bytewise, Split::random),
                         [](const auto& info) {
                           switch (info.param) {
                             case Split::whole: return std::string("Whole");
                             case Split::bytewise: return std::string("Bytewise");
                             case Split::random: return std::string("RandomSplits");
                           }
                           return std::string("X");
                         });

}  // namespace
}  // namespace mcpw::client
