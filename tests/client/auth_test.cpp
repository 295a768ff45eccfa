// The session with its authorizer, end to end against a scripted server and
// authorization server (Duvo's flow: 401 -> RFC 9728 metadata -> RFC 8414
// metadata -> Dynamic Client Registration -> browser sign-in -> token ->
// the request again, with the bearer token).
#include <gtest/gtest.h>

#include <string>

#include "client/session.h"
#include "peer.h"

namespace mcpw::client {
namespace {

using testing::Peer;
using testing::Split;
using transport::find_header;

const std::string MCP = "http://127.0.0.1:9/v2/mcp";
const std::string AS = "http://127.0.0.1:9/as";

SessionConfig with_oauth() {
  SessionConfig c = Peer::default_config();
  c.url = MCP;
  c.headers.clear();
  auth::AuthConfig a;
  a.server_url = MCP;
  a.oauth.redirect_uri = "http://127.0.0.1:7777/callback";
  c.auth = a;
  return c;
}

std::string query_param(const std::string& url, const std::string& name) {
  auto q = url.find('?');
  std::string s = q == std::string::npos ? "" : url.substr(q + 1);
  std::size_t i = 0;
  while (i <= s.size()) {
    auto amp = s.find('&', i);
    std::string kv = s.substr(i, amp == std::string::npos ? std::string::npos : amp - i);
    if (kv.rfind(name + "=", 0) == 0) return kv.substr(name.size() + 1);
    if (amp == std::string::npos) break;
    i = amp + 1;
  }
  return {};
}

struct FakeAuthServer {
  int registrations = 0, token_requests = 0, prm_fetches = 0;
  std::string resource_seen;

  // Answers one request of the authorizer; false when it is not one.
  bool answer(Peer& p, const transport::HttpRequest& r) {
    if (r.url == "http://127.0.0.1:9/.well-known/oauth-protected-resource/v2/mcp") {
      ++prm_fetches;
      p.respond_json(r, json{{"resource", MCP}, {"authorization_servers", json::array({AS})}});
    } else if (r.url == "http://127.0.0.1:9/.well-known/oauth-authorization-server/as") {
      p.respond_json(r, json{{"issuer", AS}, {"authorization_endpoint", AS + "/authorize"},
                             {"token_endpoint", AS + "/token"}, {"registration_endpoint", AS + "/register"},
                             {"response_types_supported", json::array({"code"})},
                             {"code_challenge_methods_supported", json::array({"S256"})},
                             {"token_endpoint_auth_methods_supported", json::array({"none"})}});
    } else if (r.url == AS + "/register") {
      ++registrations;
      EXPECT_EQ(r.method, "POST");
      p.respond(r, 201, "application/json", R"({"client_id":"client-1","token_endpoint_auth_method":"none"})");
    } else if (r.url == AS + "/token") {
      ++token_requests;
      resource_seen = query_param("?" + r.body, "resource");
      EXPECT_NE(r.body.find("grant_type=authorization_code"), std::string::npos);
      EXPECT_NE(r.body.find("code_verifier="), std::string::npos);
      p.respond_json(r, json{{"access_token", "at-1"}, {"token_type", "Bearer"}, {"expires_in", 3600}});
    } else if (r.url.rfind("http://127.0.0.1:9/.well-known/", 0) == 0) {
      p.respond(r, 404, "", "");
    } else {
      return false;
    }
    return true;
  }

  // Host side of the effects: empty storage, random bytes, the browser.
  void effects(Peer& p) {
    while (auto e = p.session.poll_auth_effect()) {
      if (auto* load = std::get_if<auth::LoadValue>(&*e)) {
        p.session.handle_auth_loaded(load->key, std::nullopt, p.now);
      } else if (auto* rnd = std::get_if<auth::NeedRandom>(&*e)) {
        p.session.handle_auth_random(std::string(rnd->bytes, '\x2a'), p.now);
      } else if (auto* open = std::get_if<auth::OpenUrl>(&*e)) {
        EXPECT_EQ(open->url.rfind(AS + "/authorize?", 0), 0u);
        EXPECT_EQ(query_param(open->url, "code_challenge_method"), "S256");
        EXPECT_FALSE(query_param(open->url, "resource").empty());  // RFC 8707
        p.session.handle_auth_redirect(
            "http://127.0.0.1:7777/callback?code=the-code&state=" + query_param(open->url, "state"), p.now);
      }
    }
  }
};

class Auth : public ::testing::TestWithParam<Split> {};

// spec: 2025-11-25 basic/authorization (RFC 9728, RFC 8414, RFC 7591, RFC 7636, RFC 8707)
TEST_P(Auth, UnauthorizedConnectSignsInAndRetriesWithTheToken) {
  Peer p(GetParam(), with_oauth());
  FakeAuthServer as;
  OpId op = p.session.connect(p.now);
  auto first = p.take_one();
  EXPECT_FALSE(find_header(first.headers, "authorization"));  // nothing to send yet
  p.respond(first, 401, "application/json", R"({"error":"unauthorized"})",
            {{"WWW-Authenticate", R"(Bearer resource_metadata="http://127.0.0.1:9/.well-known/oauth-protected-resource/v2/mcp")"}});
  transport::HttpRequest init;
  for (int step = 0; step < 20 && init.method.empty(); ++step) {
    as.effects(p);
    for (auto& r : p.take_requests()) {
      if (!as.answer(p, r)) init = r;  // the MCP request again
    }
  }
  ASSERT_EQ(init.url, MCP);
  EXPECT_EQ(find_header(init.headers, "authorization"), "Bearer at-1");
  EXPECT_EQ(Peer::body_of(init)["method"], "initialize");
  EXPECT_EQ(as.registrations, 1);
  EXPECT_EQ(as.token_requests, 1);
  EXPECT_EQ(as.resource_seen.empty(), false);
  p.respond_json(init, Peer::response(Peer::body_of(init)["id"], Peer::init_result()), {{"Mcp-Session-Id", "s"}});
  auto note = p.take_one();
  EXPECT_EQ(find_header(note.headers, "authorization"), "Bearer at-1");
  p.respond(note, 202, "", "");
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].op, op);
  EXPECT_TRUE(s[0].result.ok());
  // Later requests carry the token without another flow.
  p.session.request("tools/list", json::object(), p.now);
  auto list = p.take_one();
  EXPECT_EQ(find_header(list.headers, "authorization"), "Bearer at-1");
}

TEST_P(Auth, WithoutOAuthA401IsAnUnauthorizedError) {
  Peer p(GetParam());
  p.session.connect(p.now);
  p.respond(p.take_one(), 401, "application/json", R"({"error":"unauthorized"})", {{"WWW-Authenticate", "Bearer"}});
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.error().is(HTTP_STATUS));
  EXPECT_EQ(parse_ordered_json(s[0].result.error().data_json).value()["status"], 401);
  EXPECT_FALSE(p.session.poll_auth_effect().has_value());
}

TEST_P(Auth, CancelledSignInFailsTheConnect) {
  Peer p(GetParam(), with_oauth());
  FakeAuthServer as;
  p.session.connect(p.now);
  p.respond(p.take_one(), 401, "", "", {{"WWW-Authenticate", "Bearer"}});
  bool cancelled = false;
  for (int step = 0; step < 20 && !cancelled; ++step) {
    while (auto e = p.session.poll_auth_effect()) {
      if (auto* load = std::get_if<auth::LoadValue>(&*e)) p.session.handle_auth_loaded(load->key, std::nullopt, p.now);
      if (auto* rnd = std::get_if<auth::NeedRandom>(&*e)) p.session.handle_auth_random(std::string(rnd->bytes, 'x'), p.now);
      if (std::get_if<auth::OpenUrl>(&*e)) {
        p.session.handle_auth_redirect_cancelled(p.now);  // the user closed the window
        cancelled = true;
      }
    }
    for (auto& r : p.take_requests()) as.answer(p, r);
  }
  ASSERT_TRUE(cancelled);
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_FALSE(s[0].result.ok());
  EXPECT_EQ(std::string(s[0].result.error().id.id).rfind("auth.", 0), 0u) << s[0].result.error().id.id;
}

INSTANTIATE_TEST_SUITE_P(Splits, Auth, ::testing::Values(Split::whole, Split::bytewise, Split::random));

}  // namespace
}  // namespace mcpw::client

namespace mcpw::client {
namespace {

SessionConfig with_bearer(bool refreshable) { return testing::Peer::with_bearer(refreshable); }

// An API key (Duvo's dv_...): sent from the first request; on a 401 the
// host's getter is asked once for another; OAuth discovery never runs.
TEST(StaticBearer, SentFromTheStartAndRenewedOnceAfter401) {
  testing::Peer p(testing::Split::bytewise, with_bearer(true));
  p.session.connect(p.now);
  auto first = p.take_one();
  EXPECT_EQ(transport::find_header(first.headers, "authorization"), "Bearer key-1");
  p.respond(first, 401, "", "", {{"WWW-Authenticate", R"(Bearer error="invalid_token")"}});
  auto effect = p.session.poll_auth_effect();
  ASSERT_TRUE(effect.has_value());
  ASSERT_TRUE(std::holds_alternative<auth::NeedStaticToken>(*effect));
  EXPECT_TRUE(p.take_requests().empty());  // no discovery request
  p.session.handle_auth_static_token(std::string("key-2"), p.now);
  auto again = p.take_one();
  EXPECT_EQ(testing::Peer::body_of(again)["method"], "initialize");
  EXPECT_EQ(transport::find_header(again.headers, "authorization"), "Bearer key-2");
}

TEST(StaticBearer, WithoutAGetterA401IsTyped) {
  testing::Peer p(testing::Split::whole, with_bearer(false));
  p.session.connect(p.now);
  p.respond(p.take_one(), 401, "", "", {{"WWW-Authenticate", "Bearer"}});
  auto s = p.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_FALSE(s[0].result.ok());
  EXPECT_TRUE(p.take_requests().empty());
  EXPECT_FALSE(p.session.poll_auth_effect().has_value());
}

}  // namespace
}  // namespace mcpw::client
