// Connection-state changes and the redacted trace.
#include <gtest/gtest.h>

#include "client/session.h"
#include "peer.h"

namespace mcpw::client {
namespace {

using testing::Peer;
using testing::Split;

std::vector<std::string> states(Peer& p) {
  std::vector<std::string> out;
  while (auto s = p.session.poll_state_change()) out.push_back(*s);
  return out;
}

TEST(Observe, ConnectionStatesIncludingReconnecting) {
  Peer p(Split::whole);
  EXPECT_TRUE(states(p).empty());
  p.session.connect(p.now);
  EXPECT_EQ(states(p), std::vector<std::string>{"connecting"});
  auto init = p.take_one();
  p.respond_json(init, Peer::response(Peer::body_of(init)["id"], Peer::init_result()), {{"Mcp-Session-Id", "s1"}});
  p.respond(p.take_one(), 202, "", "");
  EXPECT_EQ(states(p), std::vector<std::string>{"ready"});
  p.session.request("tools/list", json::object(), p.now);
  p.respond(p.take_one(), 404, "", "");  // the server forgot the session
  EXPECT_EQ(states(p), std::vector<std::string>{"reconnecting"});
  auto again = p.take_one();
  p.respond_json(again, Peer::response(Peer::body_of(again)["id"], Peer::init_result()), {{"Mcp-Session-Id", "s2"}});
  p.respond(p.take_one(), 202, "", "");
  EXPECT_EQ(states(p), std::vector<std::string>{"ready"});
  p.session.close(p.now);
  EXPECT_EQ(states(p), std::vector<std::string>{"closed"});
}

TEST(Observe, FailedConnect) {
  Peer p(Split::whole);
  p.session.connect(p.now);
  states(p);
  p.respond(p.take_one(), 500, "", "");
  EXPECT_EQ(states(p), std::vector<std::string>{"failed"});
}

TEST(Observe, TraceHasEveryExchangeAndNoSecret) {
  SessionConfig c = Peer::default_config();
  c.trace = true;
  c.url = "http://127.0.0.1:9/mcp?code=the-code&state=the-state&tenant=t1";
  c.headers = {{"Authorization", "Bearer SECRET-TOKEN-1"}, {"X-Api-Key", "SECRET-KEY-2"}, {"X-Trace", "visible"}};
  Peer p(Split::random, c);
  ASSERT_TRUE(p.handshake().ok());
  p.session.request("tools/list", json::object(), p.now);
  auto req = p.take_one();
  p.session.handle_network_error(req.exchange, "ECONNRESET", p.now);
  std::vector<json> records;
  while (auto r = p.session.poll_trace()) records.push_back(std::move(*r));
  ASSERT_EQ(records.size(), 3u * 3u - 1u);  // initialize, initialized: request/response/end; list: request/error
  const std::string all = [&] {
    std::string s;
    for (auto& r : records) s += dump_json(r) + "\n";
    return s;
  }();
  for (const char* secret : {"SECRET-TOKEN-1", "SECRET-KEY-2", "the-code", "the-state"}) {
    EXPECT_EQ(all.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(all.find("visible"), std::string::npos);
  EXPECT_NE(all.find("tenant=t1"), std::string::npos);
  EXPECT_EQ(records[0]["event"], "request");
  EXPECT_EQ(records[0]["method"], "POST");
  EXPECT_GT(records[0]["bodyBytes"].get<int>(), 0);
  EXPECT_EQ(records[1]["event"], "response");
  EXPECT_EQ(records[1]["status"], 200);
  EXPECT_EQ(records.back()["event"], "error");
  EXPECT_FALSE(records[0].contains("body"));  // never the body itself
}

TEST(Observe, NoTraceUnlessAskedFor) {
  Peer p(Split::whole);
  ASSERT_TRUE(p.handshake().ok());
  EXPECT_FALSE(p.session.poll_trace().has_value());
}

}  // namespace
}  // namespace mcpw::client
