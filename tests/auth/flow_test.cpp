// The Authorizer by transcript: discovery ladder, client identity,
// authorization, checks (resource, issuer, https, PKCE, state, iss).

#include <gtest/gtest.h>

#include "fake_as.h"

namespace mcpw::auth {
namespace {

using testing::FakeAs;
using testing::Host;
using testing::json_reply;
using testing::query_param;
using testing::DUVO_CHALLENGE;
using testing::expect_one_error;
using testing::expect_one_ok;



// spec: DUVO.md OAuth (RFC 9728 discovery + DCR); 2025-11-25 authorization#authorization-flow-steps
TEST(Flow, DuvoEndToEnd) {
  FakeAs as;
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.handle_unauthorized(DUVO_CHALLENGE, h.now);
  h.pump(a);
  expect_one_ok(h);
  EXPECT_EQ(h.urls(), (std::vector<std::string>{
                          "GET https://api.duvo.ai/.well-known/oauth-protected-resource/v2/mcp",
                          "GET https://auth.duvo.ai/.well-known/oauth-authorization-server",
                          "POST https://auth.duvo.ai/register",
                          "POST https://auth.duvo.ai/token",
                      }));
  // Registration: public client, refresh_token grant, application_type.
  auto reg = parse_json(h.requests[2].body);
  ASSERT_TRUE(reg.ok());
  EXPECT_EQ(dump_json(*find_member(*reg, "grant_types")), R"(["authorization_code","refresh_token"])");
  EXPECT_EQ(find_string(*reg, "application_type"), "native");
  EXPECT_EQ(dump_json(*find_member(*reg, "redirect_uris")), R"(["http://localhost:3000/callback"])");
  // The authorization URL: challenge scope + offline_access (listed by the AS), resource exactly.
  ASSERT_EQ(h.opened.size(), 1u);
  const std::string& url = h.opened[0];
  EXPECT_EQ(url.rfind("https://auth.duvo.ai/authorize?", 0), 0u);
  EXPECT_EQ(query_param(url, "client_id"), "dcr-client-1");
  EXPECT_EQ(query_param(url, "scope"), "runs:read offline_access");
  EXPECT_EQ(query_param(url, "resource"), "https://api.duvo.ai/v2/mcp");
  EXPECT_EQ(query_param(url, "code_challenge_method"), "S256");
  EXPECT_EQ(query_param(url, "response_type"), "code");
  EXPECT_GE(query_param(url, "state").size(), 16u);
  // The bearer goes to the server's origin, nowhere else.
  auto headers = a.headers_for("https://api.duvo.ai/v2/mcp");
  ASSERT_EQ(headers.size(), 1u);
  EXPECT_EQ(headers[0].second, "Bearer at-1");
  EXPECT_TRUE(a.headers_for("https://api.duvo.ai/v1/mcp").size() == 1u);
  EXPECT_TRUE(a.headers_for("https://auth.duvo.ai/token").empty());
  EXPECT_TRUE(a.headers_for("https://evil.example/v2/mcp").empty());
  EXPECT_TRUE(a.headers_for("http://api.duvo.ai/v2/mcp").empty());
  // Stored: tokens keyed by server, client keyed by issuer.
  EXPECT_EQ(h.storage->count(a.tokens_key()), 1u);
  EXPECT_EQ(h.storage->count(a.client_key("https://auth.duvo.ai")), 1u);
  EXPECT_TRUE(a.ensure(h.now));
  EXPECT_FALSE(a.poll_effect().has_value());
}

// STYLE.md: byte-facing input fed whole, byte by byte and at random splits.
TEST(Flow, DuvoEndToEndStreamedAnswers) {
  std::vector<std::string> transcripts;
  for (int mode : {0, 1, 2}) {
    FakeAs as;
    Host h;
    h.stream_mode = mode;
    as.install(h);
    Authorizer a(as.config());
    a.handle_unauthorized(DUVO_CHALLENGE, h.now);
    h.pump(a);
    expect_one_ok(h);
    std::string t;
    for (const auto& r : h.requests) t += r.method + " " + r.url + "\n" + r.body + "\n";
    t += h.opened.at(0);
    transcripts.push_back(t);
    EXPECT_EQ(a.headers_for(as.server_url).at(0).second, "Bearer at-1");
  }
  EXPECT_EQ(transcripts[0], transcripts[1]);
  EXPECT_EQ(transcripts[0], transcripts[2]);
}

TEST(Flow, OversizedStreamedBodyFails) {
  FakeAs as;
  as.prm["padding"] = std::string(5000, 'x');
  Host h;
  h.stream_mode = 2;
  as.install(h);
  AuthConfig c = as.config();
  c.max_body_bytes = 4096;
  Authorizer a(c);
  a.ensure(h.now);
  h.pump(a);
  expect_one_error(h, LIMIT_EXCEEDED);
  EXPECT_FALSE(a.busy());
}

// spec: RFC 9728 §3.1 path-based first; SPEC.md "Never ask for the root one first"
TEST(Flow, DiscoveryWithoutChallengeUsesPathBasedFirst) {
  FakeAs as;
  Host h;
  as.install(h);
  Authorizer a(as.config());
  EXPECT_FALSE(a.ensure(h.now));
  h.pump(a);
  expect_one_ok(h);
  EXPECT_EQ(h.requests.front().url, "https://api.duvo.ai/.well-known/oauth-protected-resource/v2/mcp");
  EXPECT_FALSE(h.requested("https://api.duvo.ai/.well-known/oauth-protected-resource"));
  // No challenge scope: every PRM scope, plus offline_access.
  EXPECT_EQ(query_param(h.opened[0], "scope"), "runs:read runs:write offline_access");
}

TEST(Flow, ChallengeUrlFailingFallsBackToWellKnown) {
  FakeAs as;
  as.prm_url = "https://api.duvo.ai/.well-known/oauth-protected-resource";  // only the root answers
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.handle_unauthorized(R"(Bearer resource_metadata="https://api.duvo.ai/prm-moved")", h.now);
  h.pump(a);
  expect_one_ok(h);
  EXPECT_EQ(h.urls()[0], "GET https://api.duvo.ai/prm-moved");
  EXPECT_EQ(h.urls()[1], "GET https://api.duvo.ai/.well-known/oauth-protected-resource/v2/mcp");
  EXPECT_EQ(h.urls()[2], "GET https://api.duvo.ai/.well-known/oauth-protected-resource");
}

// spec: SPEC.md AS metadata order for an issuer with a path; never the root
TEST(Flow, IssuerWithPathTriesThreeUrlsNeverRoot) {
  FakeAs as;
  as.issuer = "https://auth.example.com/tenant1";
  as.prm["authorization_servers"] = {as.issuer};
  as.metadata["issuer"] = as.issuer;
  as.as_metadata_url = "https://auth.example.com/tenant1/.well-known/openid-configuration";
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.handle_unauthorized("Bearer", h.now);
  h.pump(a);
  expect_one_ok(h);
  EXPECT_EQ(h.urls()[1], "GET https://auth.example.com/.well-known/oauth-authorization-server/tenant1");
  EXPECT_EQ(h.urls()[2], "GET https://auth.example.com/.well-known/openid-configuration/tenant1");
  EXPECT_EQ(h.urls()[3], "GET https://auth.example.com/tenant1/.well-known/openid-configuration");
  EXPECT_FALSE(h.requested("https://auth.example.com/.well-known/oauth-authorization-server"));
  EXPECT_FALSE(h.requested("https://auth.example.com/.well-known/openid-configuration"));
}

TEST(Flow, IssuerWithPathAndNoMetadataFails) {
  FakeAs as;
  as.prm["authorization_servers"] = {"https://auth.example.com/tenant1"};
  as.as_metadata_url = "https://auth.example.com/.well-known/oauth-authorization-server";  // the trap
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.ensure(h.now);
  h.pump(a);
  expect_one_error(h, METADATA_NOT_FOUND);
  EXPECT_FALSE(h.requested("https://auth.example.com/.well-known/oauth-authorization-server"));
  EXPECT_FALSE(h.requested("https://api.duvo.ai/authorize"));
}

// spec: 2025-03-26 authorization#server-metadata-discovery and fallbacks
TEST(Flow, LegacyServerWithoutAnyMetadataUsesDefaultEndpoints) {
  FakeAs as;
  as.prm_url = "-";
  as.as_metadata_url = "-";
  as.metadata["token_endpoint"] = "https://api.duvo.ai/token";
  as.metadata["registration_endpoint"] = "https://api.duvo.ai/register";
  as.metadata["issuer"] = "https://api.duvo.ai";
  as.resource = "<absent>";  // no PRM: no RFC 8707 resource
  as.send_iss = false;
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.handle_unauthorized("Bearer", h.now);
  h.pump(a);
  expect_one_ok(h);
  EXPECT_EQ(h.urls(), (std::vector<std::string>{
                          "GET https://api.duvo.ai/.well-known/oauth-protected-resource/v2/mcp",
                          "GET https://api.duvo.ai/.well-known/oauth-protected-resource",
                          "GET https://api.duvo.ai/.well-known/oauth-authorization-server",
                          "GET https://api.duvo.ai/.well-known/openid-configuration",
                          "POST https://api.duvo.ai/register",
                          "POST https://api.duvo.ai/token",
                      }));
  EXPECT_EQ(h.opened[0].rfind("https://api.duvo.ai/authorize?", 0), 0u);
  EXPECT_EQ(query_param(h.opened[0], "resource"), "<absent>");
}

TEST(Flow, LegacyServerWithMetadataAtOrigin) {
  FakeAs as;
  as.prm_url = "-";
  as.as_metadata_url = "https://api.duvo.ai/.well-known/oauth-authorization-server";
  as.resource = "<absent>";
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.ensure(h.now);
  h.pump(a);
  expect_one_ok(h);
  EXPECT_EQ(h.opened[0].rfind("https://auth.duvo.ai/authorize?", 0), 0u);
}

// spec: RFC 9728 §3.3; SPEC.md "if it names another resource than the server's, stop"
TEST(Flow, RefusesMetadataForAnotherResource) {
  FakeAs as;
  as.prm["resource"] = "https://other.example/mcp";
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.handle_unauthorized(DUVO_CHALLENGE, h.now);
  h.pump(a);
  expect_one_error(h, RESOURCE_MISMATCH);
  EXPECT_EQ(h.requests.size(), 1u);
  EXPECT_TRUE(h.opened.empty());
}

TEST(Flow, ResourceIsUsedExactlyAsGiven) {
  FakeAs as;
  as.resource = "https://api.duvo.ai";  // covers /v2/mcp; no trailing slash must appear
  as.prm["resource"] = as.resource;
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.ensure(h.now);
  h.pump(a);
  expect_one_ok(h);
  EXPECT_EQ(query_param(h.opened[0], "resource"), "https://api.duvo.ai");
  EXPECT_EQ(testing::form_param(as.token_bodies[0], "resource"), "https://api.duvo.ai");
}

// spec: RFC 8414 §3.3; SPEC.md 2026 "metadata whose issuer differs ... is unusable"
TEST(Flow, IssuerMismatchIsUnusableIn2026) {
  for (const char* version : {"2026-07-28", "2025-11-25"}) {
    FakeAs as;
    as.metadata["issuer"] = "https://auth.duvo.ai/other";
    Host h;
    as.install(h);
    AuthConfig c = as.config();
    c.protocol_version = version;
    Authorizer a(c);
    a.ensure(h.now);
    h.pump(a);
    if (std::string(version) == "2026-07-28") {
      expect_one_error(h, ISSUER_MISMATCH);
      EXPECT_TRUE(h.opened.empty());
    } else {
      expect_one_ok(h);  // 2025 servers are let through
    }
  }
}

// spec: OAuth 2.1 §1.5; issue 4 "HTTPS required for non-loopback OAuth endpoints"
TEST(Flow, RefusesPlainHttpEndpoints) {
  {
    FakeAs as;
    as.prm["authorization_servers"] = {"http://auth.duvo.ai"};
    Host h;
    as.install(h);
    Authorizer a(as.config());
    a.ensure(h.now);
    h.pump(a);
    expect_one_error(h, INSECURE_ENDPOINT);
  }
  {
    FakeAs as;
    as.metadata["token_endpoint"] = "http://auth.duvo.ai/token";
    Host h;
    as.install(h);
    Authorizer a(as.config());
    a.ensure(h.now);
    h.pump(a);
    expect_one_error(h, INSECURE_ENDPOINT);
    EXPECT_TRUE(h.opened.empty());
  }
  {
    FakeAs as;
    Host h;
    as.install(h);
    Authorizer a(as.config());
    a.handle_unauthorized(R"(Bearer resource_metadata="http://evil.example/prm")", h.now);
    h.pump(a);
    expect_one_error(h, INSECURE_ENDPOINT);
    EXPECT_TRUE(h.requests.empty());
  }
}

TEST(Flow, LoopbackHttpIsAllowed) {
  FakeAs as;
  as.server_url = "http://localhost:3001/mcp";
  as.resource = "http://localhost:3001/mcp";
  as.issuer = "http://127.0.0.1:3002";
  as.prm_url = "http://localhost:3001/.well-known/oauth-protected-resource/mcp";
  as.as_metadata_url = "http://127.0.0.1:3002/.well-known/oauth-authorization-server";
  as.prm = {{"resource", as.resource}, {"authorization_servers", {as.issuer}}};
  as.metadata["issuer"] = as.issuer;
  as.metadata["authorization_endpoint"] = as.issuer + "/authorize";
  as.metadata["token_endpoint"] = as.issuer + "/token";
  as.metadata["registration_endpoint"] = as.issuer + "/register";
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.ensure(h.now);
  h.pump(a);
  expect_one_ok(h);
  EXPECT_EQ(a.headers_for("http://localhost:3001/mcp").size(), 1u);
}

// spec: 2025-11-25 authorization#authorization-code-protection (S256 must be advertised)
TEST(Flow, RefusesAnAsWithoutS256) {
  FakeAs as;
  as.metadata.erase("code_challenge_methods_supported");
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.ensure(h.now);
  h.pump(a);
  expect_one_error(h, PKCE_UNSUPPORTED);
  FakeAs plain;
  plain.metadata["code_challenge_methods_supported"] = {"plain"};
  Host h2;
  plain.install(h2);
  AuthConfig lenient = plain.config();
  lenient.oauth.require_s256_metadata = false;
  Authorizer b(lenient);
  b.ensure(h2.now);
  h2.pump(b);
  expect_one_error(h2, PKCE_UNSUPPORTED);
}

// spec: RFC 9207 §2.4 — advertised iss must be present and equal
TEST(Flow, IssChecks) {
  {
    FakeAs as;
    as.send_iss = false;
    Host h;
    as.install(h);
    Authorizer a(as.config());
    a.ensure(h.now);
    h.pump(a);
    expect_one_error(h, ISSUER_MISMATCH);
    EXPECT_EQ(as.token_bodies.size(), 0u);  // the code is never redeemed
  }
  {
    FakeAs as;
    as.send_iss = false;
    as.metadata["authorization_response_iss_parameter_supported"] = false;
    Host h;
    as.install(h);
    Authorizer a(as.config());
    a.ensure(h.now);
    h.pump(a);
    expect_one_ok(h);
  }
  {
    FakeAs as;
    as.metadata.erase("authorization_response_iss_parameter_supported");
    Host h;
    as.install(h);
    h.browser = [&](const std::string& url) -> std::optional<std::string> {
      auto cb = as.authorize(url);
      return cb->substr(0, cb->find("&iss=")) + "&iss=https%3A%2F%2Fevil.example";
    };
    Authorizer a(as.config());
    a.ensure(h.now);
    h.pump(a);
    expect_one_error(h, ISSUER_MISMATCH);
  }
}

// spec: RFC 6749 §10.12 state
TEST(Flow, StateMismatchAndCancel) {
  FakeAs as;
  Host h;
  as.install(h);
  h.browser = [](const std::string&) { return std::optional<std::string>("http://localhost:3000/callback?code=x&state=forged"); };
  Authorizer a(as.config());
  a.ensure(h.now);
  h.pump(a);
  expect_one_error(h, STATE_MISMATCH);

  Host h2;
  as.install(h2);
  h2.browser = nullptr;
  Authorizer b(as.config());
  b.ensure(h2.now);
  h2.pump(b);
  EXPECT_TRUE(h2.outcomes.empty());
  ASSERT_EQ(h2.opened.size(), 1u);
  b.handle_redirect_cancelled(h2.now);
  h2.pump(b);
  expect_one_error(h2, REDIRECT_CANCELLED);
}

// spec: issue 4 "never more than one interactive sign-in at a time" (single flight)
TEST(Flow, SingleFlight) {
  FakeAs as;
  Host h;
  as.install(h);
  h.browser = nullptr;  // the user has not come back yet
  Authorizer a(as.config());
  EXPECT_FALSE(a.ensure(h.now));
  h.pump(a);
  EXPECT_FALSE(a.ensure(h.now));
  a.handle_unauthorized(DUVO_CHALLENGE, h.now);
  EXPECT_TRUE(a.handle_forbidden(R"(Bearer error="insufficient_scope", scope="x")", h.now));
  h.pump(a);
  EXPECT_EQ(h.opened.size(), 1u);
  EXPECT_TRUE(h.outcomes.empty());
  auto cb = as.authorize(h.opened[0]);
  a.handle_redirect(*cb, h.now);
  h.pump(a);
  expect_one_ok(h);
  EXPECT_EQ(as.registrations, 1);
  // A late duplicate callback is ignored.
  a.handle_redirect(*cb, h.now);
  h.pump(a);
  EXPECT_EQ(h.outcomes.size(), 1u);
}

}  // namespace
}  // namespace mcpw::auth
