// The 2026-07-28 era: negotiation (discover, corrections, fallback to the
// 2025 handshake), stateless requests, x-mcp-header tools, and MRTR.
#include <gtest/gtest.h>

#include "client/session.h"
#include "peer.h"

namespace mcpw::client {
namespace {

using testing::Peer;
using testing::Split;
using transport::find_header;

SessionConfig with(Negotiation n, std::set<std::string> handled = {}) {
  SessionConfig c = Peer::default_config();
  c.negotiation = n;
  c.handled_server_requests = std::move(handled);
  return c;
}

json discover_result() {
  return json{{"resultType", "complete"}, {"supportedVersions", json::array({"2026-07-28"})},
              {"capabilities", {{"tools", json::object()}}}, {"serverInfo", {{"name", "modern"}, {"version", "2"}}}};
}

// Connects a modern session; returns the discover request.
transport::HttpRequest connect_modern(Peer& p) {
  p.session.connect(p.now);
  auto d = p.take_one();
  p.respond_json(d, Peer::response(Peer::body_of(d)["id"], discover_result()));
  auto s = p.settled();
  EXPECT_EQ(s.size(), 1u);
  EXPECT_TRUE(p.session.is_modern());
  return d;
}

class Modern : public ::testing::TestWithParam<Split> {};

// spec: 2026-07-28 (SEP-2575) — _meta and MCP-Protocol-Version on every request
TEST_P(Modern, DiscoverThenStatelessRequestsWithMetaAndHeaders) {
  Peer p(GetParam(), with(Negotiation::automatic));
  auto d = connect_modern(p);
  json body = Peer::body_of(d);
  EXPECT_EQ(body["method"], "server/discover");
  EXPECT_EQ(body["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"], "2026-07-28");
  EXPECT_TRUE(body["params"]["_meta"].contains("io.modelcontextprotocol/clientCapabilities"));
  EXPECT_EQ(find_header(d.headers, "mcp-protocol-version"), "2026-07-28");
  EXPECT_EQ(find_header(d.headers, "mcp-method"), "server/discover");
  EXPECT_EQ(p.session.protocol_version(), "2026-07-28");
  EXPECT_EQ(p.session.server_info()["name"], "modern");
  EXPECT_TRUE(p.take_requests().empty());  // no initialized notification, no GET stream

  p.session.request("tools/call", json{{"name", "echo"}, {"arguments", {{"text", "hi"}}}}, p.now);
  auto call = p.take_one();
  EXPECT_FALSE(find_header(call.headers, "mcp-session-id"));
  EXPECT_EQ(find_header(call.headers, "mcp-method"), "tools/call");
  EXPECT_EQ(find_header(call.headers, "mcp-name"), "echo");
  EXPECT_EQ(Peer::body_of(call)["params"]["_meta"]["io.modelcontextprotocol/clientInfo"]["name"], "mcp-wasm");
  p.respond_json(call, Peer::response(Peer::body_of(call)["id"], json{{"resultType", "complete"}, {"content", json::array()}}));
  ASSERT_EQ(p.settled().size(), 1u);
  p.session.close(p.now);
  EXPECT_TRUE(p.take_requests().empty());  // no session: no DELETE
}

// spec: 2026-07-28 (SEP-2243)
TEST_P(Modern, ToolsWithInvalidHeaderAnnotationsAreDroppedAndParamsMirrored) {
  Peer p(GetParam(), with(Negotiation::modern));
  connect_modern(p);
  p.session.list_all("tools/list", "tools", json::object(), p.now);
  auto list = p.take_one();
  json tools = parse_ordered_json(R"([
    {"name":"valid_tool","inputSchema":{"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"},
      "n":{"type":"integer","x-mcp-header":"N"},"label":{"type":"string","x-mcp-header":"Label"}}}},
    {"name":"bad_number","inputSchema":{"type":"object","properties":{"s":{"type":"number","x-mcp-header":"S"}}}},
    {"name":"bad_dup","inputSchema":{"type":"object","properties":{"a":{"type":"string","x-mcp-header":"X"},
      "b":{"type":"string","x-mcp-header":"x"}}}}])").value();
  p.respond_json(list, Peer::response(Peer::body_of(list)["id"], json{{"resultType", "complete"}, {"tools", tools}}));
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  ASSERT_EQ((*s[0].result)["tools"].size(), 1u);
  EXPECT_EQ((*s[0].result)["tools"][0]["name"], "valid_tool");
  p.session.request("tools/call", json{{"name", "valid_tool"}, {"arguments", {{"region", "eu-west"}, {"n", 42}, {"label", " padded"}}}},
                    p.now);
  auto call = p.take_one();
  EXPECT_EQ(find_header(call.headers, "mcp-param-region"), "eu-west");
  EXPECT_EQ(find_header(call.headers, "mcp-param-n"), "42");
  EXPECT_EQ(find_header(call.headers, "mcp-param-label"), "=?base64?IHBhZGRlZA==?=");
}

TEST_P(Modern, OlderServerFallsBackToInitialize) {
  // The SDK's stateful server answers a session-less non-initialize POST with 400.
  for (int variant = 0; variant < 3; ++variant) {
    Peer p(GetParam(), with(Negotiation::automatic));
    OpId op = p.session.connect(p.now);
    auto d = p.take_one();
    if (variant == 0) {
      p.respond(d, 400, "application/json",
                R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"},"id":null})");
    } else if (variant == 1) {
      p.respond_json(d, Peer::response(Peer::body_of(d)["id"], json{{"capabilities", json::object()}}));  // no supportedVersions
    } else {
      p.respond_json(d, json{{"jsonrpc", "2.0"}, {"id", Peer::body_of(d)["id"]},
                             {"error", {{"code", -32601}, {"message", "Method not found"}}}});
    }
    auto init = p.take_one();
    EXPECT_EQ(Peer::body_of(init)["method"], "initialize") << variant;
    EXPECT_EQ(Peer::body_of(init)["params"]["protocolVersion"], "2025-11-25");
    EXPECT_FALSE(find_header(init.headers, "mcp-protocol-version"));
    EXPECT_FALSE(Peer::body_of(init)["params"].contains("_meta"));
    p.respond_json(init, Peer::response(Peer::body_of(init)["id"], Peer::init_result()), {{"Mcp-Session-Id", "s"}});
    p.respond(p.take_one(), 202, "", "");
    auto s = p.settled();
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].op, op);
    EXPECT_TRUE(s[0].result.ok());
    EXPECT_FALSE(p.session.is_modern());
    EXPECT_EQ(p.session.protocol_version(), "2025-11-25");
  }
}

// spec: 2026-07-28 — -32022 UnsupportedProtocolVersion with data.supported
TEST_P(Modern, UnsupportedVersionErrorIsCorrectedOnce) {
  Peer p(GetParam(), with(Negotiation::automatic));
  p.session.connect(p.now);
  auto d = p.take_one();
  p.respond(d, 400, "application/json",
            R"({"jsonrpc":"2.0","id":1,"error":{"code":-32022,"message":"Unsupported protocol version","data":{"supported":["2026-07-28"]}}})");
  auto again = p.take_one();
  EXPECT_EQ(Peer::body_of(again)["method"], "server/discover");
  EXPECT_NE(Peer::body_of(again)["id"], Peer::body_of(d)["id"]);
  p.respond_json(again, Peer::response(Peer::body_of(again)["id"], discover_result()));
  ASSERT_EQ(p.settled().size(), 1u);
  EXPECT_TRUE(p.session.is_modern());

  Peer q(GetParam(), with(Negotiation::automatic));
  q.session.connect(q.now);
  q.respond(q.take_one(), 400, "application/json",
            R"({"jsonrpc":"2.0","id":1,"error":{"code":-32022,"message":"no","data":{"supported":["2025-06-18"]}}})");
  auto init = q.take_one();
  EXPECT_EQ(Peer::body_of(init)["params"]["protocolVersion"], "2025-06-18");
}

TEST_P(Modern, AuthFailuresAndModernOnlyDoNotFallBack) {
  Peer p(GetParam(), with(Negotiation::automatic));
  p.session.connect(p.now);
  p.respond(p.take_one(), 401, "", "");
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(HTTP_STATUS));
  EXPECT_TRUE(p.take_requests().empty());

  Peer q(GetParam(), with(Negotiation::modern));
  q.session.connect(q.now);
  q.respond(q.take_one(), 404, "", "");
  auto t = q.settled();
  ASSERT_EQ(t.size(), 1u);
  EXPECT_FALSE(t[0].result.ok());
  EXPECT_TRUE(q.take_requests().empty());
}

// spec: 2026-07-28 basic/utilities/mrtr (SEP-2322)
TEST_P(Modern, InputRequiredIsFulfilledAndRetriedWithStateEchoed) {
  Peer p(GetParam(), with(Negotiation::modern, {"elicitation/create"}));
  connect_modern(p);
  OpId op = p.session.request("tools/call", json{{"name", "confirm_me"}, {"arguments", json::object()}}, p.now);
  auto first = p.take_one();
  const std::string state = R"({"nonce":"n-1","originalId":7})";
  p.respond_json(first, Peer::response(Peer::body_of(first)["id"],
                                       json{{"resultType", "input_required"},
                                            {"inputRequests", {{"confirm", {{"method", "elicitation/create"},
                                                                            {"params", {{"message", "ok?"}}}}}}},
                                            {"requestState", state}}));
  EXPECT_TRUE(p.settled().empty());
  auto ask = p.session.poll_server_request();
  ASSERT_TRUE(ask.has_value());
  EXPECT_EQ(ask->method, "elicitation/create");
  EXPECT_EQ(ask->params["message"], "ok?");
  // An unrelated call meanwhile carries nothing of it.
  p.session.request("tools/call", json{{"name", "other"}, {"arguments", json::object()}}, p.now);
  auto other = p.take_one();
  EXPECT_FALSE(Peer::body_of(other)["params"].contains("inputResponses"));
  EXPECT_FALSE(Peer::body_of(other)["params"].contains("requestState"));
  p.session.respond(ask->handle, json{{"action", "accept"}, {"content", {{"confirmed", true}}}}, p.now);
  auto retry = p.take_one();
  json rb = Peer::body_of(retry);
  EXPECT_EQ(rb["method"], "tools/call");
  EXPECT_NE(rb["id"], Peer::body_of(first)["id"]);
  EXPECT_EQ(rb["params"]["name"], "confirm_me");
  EXPECT_EQ(rb["params"]["requestState"], state);
  EXPECT_EQ(rb["params"]["inputResponses"]["confirm"]["content"]["confirmed"], true);
  p.respond_json(retry, Peer::response(rb["id"], json{{"content", json::array()}}));  // no resultType: complete
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].op, op);
  EXPECT_TRUE(s[0].result.ok());
}

TEST_P(Modern, InputRequiredWithoutStateAndWithoutHandler) {
  Peer p(GetParam(), with(Negotiation::modern, {"elicitation/create"}));
  connect_modern(p);
  p.session.request("tools/call", json{{"name", "t"}}, p.now);
  auto first = p.take_one();
  p.respond_json(first, Peer::response(Peer::body_of(first)["id"],
                                       json{{"resultType", "input_required"},
                                            {"inputRequests", {{"c", {{"method", "elicitation/create"}, {"params", json::object()}}}}}}));
  auto ask = p.session.poll_server_request();
  ASSERT_TRUE(ask.has_value());
  p.session.respond(ask->handle, json{{"action", "decline"}}, p.now);
  EXPECT_FALSE(Peer::body_of(p.take_one())["params"].contains("requestState"));

  p.session.request("tools/call", json{{"name", "t2"}}, p.now);
  auto second = p.take_one();
  p.respond_json(second, Peer::response(Peer::body_of(second)["id"],
                                        json{{"resultType", "input_required"},
                                             {"inputRequests", {{"s", {{"method", "sampling/createMessage"}}}}}}));
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(protocol::PROTOCOL_INVALID_RESULT));
}

TEST_P(Modern, UnknownResultTypeIsInvalid) {
  Peer p(GetParam(), with(Negotiation::modern));
  connect_modern(p);
  p.session.request("tools/call", json{{"name", "t"}}, p.now);
  auto call = p.take_one();
  p.respond_json(call, Peer::response(Peer::body_of(call)["id"], json{{"resultType", "mystery"}}));
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(protocol::PROTOCOL_INVALID_RESULT));
}

INSTANTIATE_TEST_SUITE_P(Splits, Modern, ::testing::Values(Split::whole, Split::bytewise, Split::random));

}  // namespace
}  // namespace mcpw::client

namespace mcpw::client {
namespace {

// spec: 2026-07-28 basic/utilities/subscriptions
TEST(ModernListen, SubscriptionsListenDeliversListChanges) {
  SessionConfig c = testing::Peer::default_config();
  c.negotiation = Negotiation::modern;
  c.listen = true;
  testing::Peer p(testing::Split::random, c);
  p.session.connect(p.now);
  auto d = p.take_one();
  json result = {{"supportedVersions", json::array({"2026-07-28"})},
                 {"capabilities", {{"tools", {{"listChanged", true}}}, {"prompts", json::object()}}}};
  p.respond_json(d, testing::Peer::response(testing::Peer::body_of(d)["id"], result));
  ASSERT_EQ(p.settled().size(), 1u);
  auto listen = p.take_one();
  json body = testing::Peer::body_of(listen);
  EXPECT_EQ(body["method"], "subscriptions/listen");
  EXPECT_EQ(body["params"]["notifications"], json({{"toolsListChanged", true}}));  // only what the server offers
  EXPECT_EQ(transport::find_header(listen.headers, "mcp-method"), "subscriptions/listen");
  transport::HttpResponseHead head{200, {{"Content-Type", "text/event-stream"}}};
  p.session.handle_response_head(listen.exchange, head, p.now);
  p.feed(listen.exchange,
         testing::sse_event(R"({"jsonrpc":"2.0","method":"notifications/subscriptions/acknowledged","params":{"_meta":{"io.modelcontextprotocol/subscriptionId":"s1"}}})") +
             testing::sse_event(R"({"jsonrpc":"2.0","method":"notifications/tools/list_changed","params":{"_meta":{"io.modelcontextprotocol/subscriptionId":"s1"}}})"));
  std::vector<std::string> seen;
  while (auto n = p.session.poll_notification()) seen.push_back(n->method);
  EXPECT_EQ(seen, (std::vector<std::string>{"notifications/subscriptions/acknowledged", "notifications/tools/list_changed"}));
  EXPECT_FALSE(p.session.next_deadline().has_value() && *p.session.next_deadline() < p.now + 3'600'000);  // never times out
  // The server ends it gracefully: nothing is reported, requests still work.
  p.feed(listen.exchange, testing::sse_event(dump_json(testing::Peer::response(body["id"], json{{"resultType", "complete"}}))));
  p.session.handle_body_end(listen.exchange, p.now);
  EXPECT_TRUE(p.settled().empty());
  p.session.request("tools/list", json::object(), p.now);
  auto l = p.take_one();
  p.respond_json(l, testing::Peer::response(testing::Peer::body_of(l)["id"], json{{"tools", json::array()}}));
  EXPECT_EQ(p.settled().size(), 1u);
}

TEST(ModernListen, RefusedSubscriptionIsHarmless) {
  SessionConfig c = testing::Peer::default_config();
  c.negotiation = Negotiation::modern;
  c.listen = true;
  testing::Peer p(testing::Split::whole, c);
  p.session.connect(p.now);
  auto d = p.take_one();
  p.respond_json(d, testing::Peer::response(testing::Peer::body_of(d)["id"],
                                            json{{"supportedVersions", json::array({"2026-07-28"})},
                                                 {"capabilities", {{"resources", {{"listChanged", true}}}}}}));
  ASSERT_EQ(p.settled().size(), 1u);
  auto listen = p.take_one();
  p.respond_json(listen, json{{"jsonrpc", "2.0"}, {"id", testing::Peer::body_of(listen)["id"]},
                              {"error", {{"code", -32601}, {"message", "Method not found"}}}});
  EXPECT_TRUE(p.settled().empty());
  EXPECT_EQ(p.session.pending_operations(), 0u);
}

}  // namespace
}  // namespace mcpw::client
