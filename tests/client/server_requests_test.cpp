#include <gtest/gtest.h>

#include "client/session.h"
#include "peer.h"

namespace mcpw::client {
namespace {

using testing::Peer;
using testing::Split;

SessionConfig handling(std::set<std::string> methods, json capabilities = json::object()) {
  SessionConfig c = Peer::default_config();
  c.handled_server_requests = std::move(methods);
  c.identity.capabilities = std::move(capabilities);
  return c;
}

// Sends a server request on the stream of a pending tools/call.
transport::HttpRequest server_asks(Peer& p, const std::string& request_json) {
  p.session.request("tools/call", json{{"name", "ask"}}, p.now);
  auto req = p.take_one();
  transport::HttpResponseHead head;
  head.status = 200;
  head.headers.emplace_back("Content-Type", "text/event-stream");
  p.session.handle_response_head(req.exchange, head, p.now);
  p.feed(req.exchange, testing::sse_event(request_json));
  return req;
}

const char* ELICIT =
    R"({"jsonrpc":"2.0","id":"e1","method":"elicitation/create","params":{"mode":"form",)"
    R"("message":"Who?","requestedSchema":{"type":"object","properties":{"name":{"type":"string","default":"Ada"},)"
    R"("age":{"type":"integer","default":36},"nick":{"type":"string"}}}}})";

// spec: 2025-11-25 client/elicitation — the host answers; form defaults
// are applied because the client declared elicitation.form.applyDefaults.
TEST(ServerRequests, ElicitationAnsweredWithSchemaDefaults) {
  Peer p(Split::random, handling({"elicitation/create"}, json{{"elicitation", {{"form", {{"applyDefaults", true}}}}}}));
  ASSERT_TRUE(p.handshake().ok());
  server_asks(p, ELICIT);
  auto r = p.session.poll_server_request();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->method, "elicitation/create");
  EXPECT_EQ(r->params["message"], "Who?");
  EXPECT_FALSE(p.session.poll_server_request().has_value());
  p.session.respond(r->handle, json{{"action", "accept"}, {"content", {{"age", 7}}}}, p.now);
  p.session.respond(r->handle, json{{"action", "decline"}}, p.now);  // a second answer is ignored
  auto replies = p.take_requests();
  ASSERT_EQ(replies.size(), 1u);
  json reply = Peer::body_of(replies[0]);
  EXPECT_EQ(reply["id"], "e1");
  EXPECT_EQ(reply["result"]["action"], "accept");
  EXPECT_EQ(reply["result"]["content"]["age"], 7);      // the user's answer wins
  EXPECT_EQ(reply["result"]["content"]["name"], "Ada");  // default filled in
  EXPECT_FALSE(reply["result"]["content"].contains("nick"));
}

TEST(ServerRequests, NoDefaultsWithoutTheCapabilityOrWhenDeclined) {
  Peer p(Split::whole, handling({"elicitation/create"}, json{{"elicitation", json::object()}}));
  ASSERT_TRUE(p.handshake().ok());
  server_asks(p, ELICIT);
  auto r = p.session.poll_server_request();
  ASSERT_TRUE(r.has_value());
  p.session.respond(r->handle, json{{"action", "accept"}, {"content", {{"age", 7}}}}, p.now);
  json reply = Peer::body_of(p.take_one());
  EXPECT_FALSE(reply["result"]["content"].contains("name"));

  Peer q(Split::whole, handling({"elicitation/create"}, json{{"elicitation", {{"form", {{"applyDefaults", true}}}}}}));
  ASSERT_TRUE(q.handshake().ok());
  server_asks(q, ELICIT);
  auto d = q.session.poll_server_request();
  ASSERT_TRUE(d.has_value());
  q.session.respond(d->handle, json{{"action", "decline"}}, q.now);
  json declined = Peer::body_of(q.take_one());
  EXPECT_FALSE(declined["result"].contains("content"));
}

TEST(ServerRequests, HostErrorsBecomeJsonRpcErrors) {
  Peer p(Split::bytewise, handling({"sampling/createMessage"}));
  ASSERT_TRUE(p.handshake().ok());
  server_asks(p, R"({"jsonrpc":"2.0","id":41,"method":"sampling/createMessage","params":{"messages":[]}})");
  auto r = p.session.poll_server_request();
  ASSERT_TRUE(r.has_value());
  p.session.respond(r->handle, Error(INVALID_ARGUMENT, "user rejected sampling", R"({"code":-1})"), p.now);
  json reply = Peer::body_of(p.take_one());
  EXPECT_EQ(reply["id"], 41);
  EXPECT_EQ(reply["error"]["code"], -1);
  EXPECT_EQ(reply["error"]["message"], "user rejected sampling");
}

TEST(ServerRequests, UnhandledMethodsGetMethodNotFoundAndPingIsAutomatic) {
  Peer p(Split::whole, handling({"roots/list"}));
  ASSERT_TRUE(p.handshake().ok());
  server_asks(p, R"({"jsonrpc":"2.0","id":1,"method":"sampling/createMessage","params":{}})");
  EXPECT_FALSE(p.session.poll_server_request().has_value());
  EXPECT_EQ(Peer::body_of(p.take_one())["error"]["code"], protocol::METHOD_NOT_FOUND);
  server_asks(p, R"({"jsonrpc":"2.0","id":2,"method":"ping"})");
  EXPECT_FALSE(p.session.poll_server_request().has_value());
  EXPECT_TRUE(Peer::body_of(p.take_one())["result"].is_object());
}

// spec: 2025-11-25 basic/utilities/progress — progress restarts the timeout,
// up to the absolute cap.
TEST(Progress, ProgressRestartsTheTimeoutUpToTheCap) {
  Peer p(Split::whole);
  ASSERT_TRUE(p.handshake().ok());
  RequestOptions opts;
  opts.timeout_ms = 1000;
  opts.max_total_timeout_ms = 2500;
  const std::uint64_t t0 = p.now;
  p.session.request("tools/call", json{{"name", "slow"}, {"_meta", {{"progressToken", "tok"}}}}, t0, opts);
  auto req = p.take_one();
  transport::HttpResponseHead head{200, {{"Content-Type", "text/event-stream"}}};
  p.session.handle_response_head(req.exchange, head, t0);
  EXPECT_EQ(p.session.next_deadline(), t0 + 1000);
  const std::string progress =
      testing::sse_event(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"tok","progress":1}})");
  p.session.handle_body(req.exchange, progress, t0 + 900);
  EXPECT_EQ(p.session.next_deadline(), t0 + 1900);
  p.session.handle_body(req.exchange, progress, t0 + 1800);
  EXPECT_EQ(p.session.next_deadline(), t0 + 2500);  // capped
  // Another token's progress changes nothing.
  p.session.handle_body(req.exchange,
                        testing::sse_event(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"x","progress":1}})"),
                        t0 + 2000);
  EXPECT_EQ(p.session.next_deadline(), t0 + 2500);
  p.session.handle_timeout(t0 + 2500);
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(CLIENT_TIMEOUT));
  int progress_seen = 0;
  while (auto n = p.session.poll_notification()) progress_seen += n->method == "notifications/progress";
  EXPECT_EQ(progress_seen, 3);  // all forwarded to the host
}

TEST(Progress, NoRestartWhenDisabled) {
  Peer p(Split::whole);
  ASSERT_TRUE(p.handshake().ok());
  RequestOptions opts;
  opts.timeout_ms = 1000;
  opts.reset_timeout_on_progress = false;
  const std::uint64_t t0 = p.now;
  p.session.request("tools/call", json{{"name", "slow"}, {"_meta", {{"progressToken", 7}}}}, t0, opts);
  auto req = p.take_one();
  transport::HttpResponseHead head{200, {{"Content-Type", "text/event-stream"}}};
  p.session.handle_response_head(req.exchange, head, t0);
  p.session.handle_body(req.exchange,
                        testing::sse_event(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":7,"progress":1}})"),
                        t0 + 900);
  EXPECT_EQ(p.session.next_deadline(), t0 + 1000);
}

}  // namespace
}  // namespace mcpw::client
