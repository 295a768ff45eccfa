// API-key mode (DUVO.md "API key, for scripts, CI and service accounts"):
// static credentials are sent as they are and OAuth discovery never runs.

#include <gtest/gtest.h>

#include "harness.h"

namespace mcpw::auth {
namespace {

using testing::Host;

AuthConfig duvo_key(bool refreshable = false) {
  AuthConfig c;
  c.server_url = "https://api.duvo.ai/v2/mcp";
  c.static_credentials = StaticCredentials{std::string("dv_live_SECRETKEY123"), {}, refreshable};
  return c;
}

// spec: issue 4 "Static credentials ... When set, OAuth discovery never runs."
TEST(Static, BearerKeyIsSentAndDiscoveryNeverRuns) {
  Authorizer a(duvo_key());
  Host h;
  EXPECT_TRUE(a.is_static());
  EXPECT_TRUE(a.ensure(h.now));
  auto headers = a.headers_for("https://api.duvo.ai/v2/mcp");
  ASSERT_EQ(headers.size(), 1u);
  EXPECT_EQ(headers[0].first, "Authorization");
  EXPECT_EQ(headers[0].second, "Bearer dv_live_SECRETKEY123");
  EXPECT_EQ(a.headers_for("https://api.duvo.ai/v1/mcp").size(), 1u);  // same origin
  EXPECT_TRUE(a.headers_for("https://evil.example/v2/mcp").empty());
  EXPECT_TRUE(a.headers_for("not a url").empty());

  a.handle_unauthorized(
      R"(Bearer resource_metadata="https://api.duvo.ai/.well-known/oauth-protected-resource/v2/mcp")", h.now);
  EXPECT_FALSE(a.handle_forbidden(R"(Bearer error="insufficient_scope", scope="x")", h.now));
  h.pump(a);
  EXPECT_TRUE(h.requests.empty());
  EXPECT_TRUE(h.opened.empty());
  EXPECT_TRUE(h.storage->empty());
  ASSERT_EQ(h.outcomes.size(), 1u);
  ASSERT_FALSE(h.outcomes[0].ok());
  EXPECT_TRUE(h.outcomes[0].error().is(UNAUTHORIZED));
  EXPECT_EQ(h.outcomes[0].error().message.find("SECRETKEY"), std::string::npos);
  EXPECT_TRUE(a.ensure(h.now));  // still usable; the caller decides what to do
}

TEST(Static, ArbitraryHeaders) {
  AuthConfig c;
  c.server_url = "https://api.example.com/mcp";
  c.static_credentials = StaticCredentials{std::nullopt, {{"X-Api-Key", "k-123"}, {"X-Team", "t1"}}, false};
  Authorizer a(c);
  EXPECT_TRUE(a.ensure(0));
  auto headers = a.headers_for("https://api.example.com/mcp");
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers[0], (std::pair<std::string, std::string>{"X-Api-Key", "k-123"}));
  EXPECT_TRUE(a.headers_for("https://other.example.com/mcp").empty());
  EXPECT_FALSE(a.poll_effect().has_value());
}

// spec: issue 4 "a bearer token (string, or async getter called again once on 401)"
TEST(Static, GetterIsAskedOnceOn401) {
  Authorizer a(duvo_key(true));
  Host h;
  h.token_getter = [] { return std::optional<std::string>("dv_live_NEWKEY456"); };
  a.handle_unauthorized("Bearer", h.now);
  EXPECT_FALSE(a.ensure(h.now));  // waiting for the getter
  h.pump(a);
  EXPECT_EQ(h.static_asks, 1);
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_TRUE(h.outcomes[0].ok());
  EXPECT_EQ(a.headers_for("https://api.duvo.ai/v2/mcp")[0].second, "Bearer dv_live_NEWKEY456");
  // Refused again before any success: no second ask.
  a.handle_unauthorized("Bearer", h.now);
  h.pump(a);
  EXPECT_EQ(h.static_asks, 1);
  ASSERT_EQ(h.outcomes.size(), 2u);
  EXPECT_TRUE(h.outcomes[1].error().is(UNAUTHORIZED));
  EXPECT_EQ(h.outcomes[1].error().message.find("NEWKEY"), std::string::npos);
  // After a success the getter may be asked again.
  a.note_success();
  a.handle_unauthorized("Bearer", h.now);
  h.pump(a);
  EXPECT_EQ(h.static_asks, 2);
  EXPECT_TRUE(h.outcomes[2].ok());
  EXPECT_TRUE(h.requests.empty());
}

TEST(Static, GetterWithoutAnswer) {
  Authorizer a(duvo_key(true));
  Host h;
  a.handle_unauthorized("Bearer", h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  ASSERT_FALSE(h.outcomes[0].ok());
  EXPECT_TRUE(h.outcomes[0].error().is(UNAUTHORIZED));
}

}  // namespace
}  // namespace mcpw::auth
