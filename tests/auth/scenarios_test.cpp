// Transcripts shaped like the official conformance scenarios
// (@modelcontextprotocol/conformance 0.2.0-alpha.12, auth/*): an MCP server
// and an authorization server on two loopback ports, metadata at the places
// each scenario uses, and the observations each one checks. These run the
// machine alone; the real suite runs the whole client (tests/conformance).

#include <gtest/gtest.h>

#include "harness.h"

namespace mcpw::auth {
namespace {

using testing::form_param;
using testing::Host;
using testing::json_reply;
using testing::query_param;
using testing::Reply;

constexpr const char* MCP = "http://localhost:4100";
constexpr const char* AS = "http://localhost:4200";

// The conformance mock authorization server (its `J` factory), reduced to
// what a client can observe.
struct MockAs {
  std::string base = AS;
  std::string route_prefix;                                  // e.g. "/tenant1"
  std::string metadata_path = "/.well-known/oauth-authorization-server";
  std::vector<std::string> auth_methods = {"none"};
  std::optional<std::vector<std::string>> scopes_supported;
  bool cimd = false;
  bool dcr = true;
  bool iss_supported = true;
  std::string iss_in_redirect = "correct";  // correct | wrong | normalized | none
  std::optional<std::string> metadata_issuer;
  std::optional<std::string> registered_method;
  std::optional<std::string> registered_secret = std::string("test-client-secret");
  // Observations.
  std::vector<std::string> authorize_scopes;
  std::vector<std::string> authorize_resources;
  std::vector<std::string> token_resources;
  std::vector<std::string> token_auth;  // none | client_secret_basic | client_secret_post
  int registrations = 0;
  std::string application_type;

  std::string issuer() const { return metadata_issuer.value_or(base + route_prefix); }

  std::optional<Reply> handle(const transport::HttpRequest& r) {
    if (r.method == "GET" && r.url == base + metadata_path) {
      json m = {{"issuer", issuer()},
                {"authorization_endpoint", base + route_prefix + "/authorize"},
                {"token_endpoint", base + route_prefix + "/token"},
                {"response_types_supported", {"code"}},
                {"code_challenge_methods_supported", {"S256"}},
                {"token_endpoint_auth_methods_supported", auth_methods}};
      if (dcr) m["registration_endpoint"] = base + route_prefix + "/register";
      if (iss_supported) m["authorization_response_iss_parameter_supported"] = true;
      if (scopes_supported) m["scopes_supported"] = *scopes_supported;
      if (cimd) m["client_id_metadata_document_supported"] = true;
      return json_reply(200, dump_json(m));
    }
    if (r.method == "POST" && dcr && r.url == base + route_prefix + "/register") {
      ++registrations;
      auto body = parse_json(r.body);
      if (body) application_type = std::string(find_string(*body, "application_type").value_or("(omitted)"));
      json out = {{"client_id", "test-client-id"}, {"redirect_uris", {"http://localhost:3000/callback"}}};
      if (registered_secret) out["client_secret"] = *registered_secret;
      if (registered_method) out["token_endpoint_auth_method"] = *registered_method;
      return json_reply(201, dump_json(out));
    }
    if (r.method == "POST" && r.url == base + route_prefix + "/token") {
      token_resources.push_back(form_param(r.body, "resource"));
      if (transport::find_header(r.headers, "authorization")) {
        token_auth.push_back("client_secret_basic");
      } else if (form_param(r.body, "client_secret") != "<absent>") {
        token_auth.push_back("client_secret_post");
      } else {
        token_auth.push_back("none");
      }
      return json_reply(200, R"({"access_token":"test-token-1","token_type":"Bearer","expires_in":3600})");
    }
    return std::nullopt;
  }

  std::optional<std::string> authorize(const std::string& url) {
    if (url.rfind(base + route_prefix + "/authorize?", 0) != 0) return std::string("http://localhost:3000/callback?error=wrong_endpoint");
    authorize_scopes.push_back(query_param(url, "scope"));
    authorize_resources.push_back(query_param(url, "resource"));
    std::string cb = query_param(url, "redirect_uri") + "?code=test-auth-code&state=" +
                     percent_encode(query_param(url, "state"));
    if (iss_in_redirect == "correct") cb += "&iss=" + percent_encode(issuer());
    if (iss_in_redirect == "wrong") cb += "&iss=" + percent_encode("https://evil.example.com");
    if (iss_in_redirect == "normalized") cb += "&iss=" + percent_encode(issuer() + "/");
    return cb;
  }
};

// The conformance MCP server's PRM (its `X` factory).
struct MockServer {
  std::optional<std::string> prm_path = std::string("/.well-known/oauth-protected-resource/mcp");
  std::optional<std::string> resource_override;
  std::optional<std::vector<std::string>> scopes_supported;
  std::string authorization_server = AS;

  std::optional<Reply> handle(const transport::HttpRequest& r) {
    if (!prm_path || r.method != "GET" || r.url != std::string(MCP) + *prm_path) return std::nullopt;
    std::string resource = resource_override.value_or(
        *prm_path == "/.well-known/oauth-protected-resource" ? std::string(MCP) : std::string(MCP) + "/mcp");
    json prm = {{"resource", resource}, {"authorization_servers", {authorization_server}}};
    if (scopes_supported) prm["scopes_supported"] = *scopes_supported;
    return json_reply(200, dump_json(prm));
  }
};

struct Transcript {
  Host host;
  std::vector<Status> outcomes;
};

Transcript run(MockServer& server, MockAs& as, const std::string& www_authenticate, const std::string& version,
        AuthConfig config = {}) {
  Transcript r;
  r.host.routes.push_back([&](const transport::HttpRequest& q) { return server.handle(q); });
  r.host.routes.push_back([&](const transport::HttpRequest& q) { return as.handle(q); });
  r.host.browser = [&](const std::string& url) { return as.authorize(url); };
  config.server_url = std::string(MCP) + "/mcp";
  config.protocol_version = version;
  if (config.oauth.redirect_uri.empty()) config.oauth.redirect_uri = "http://localhost:3000/callback";
  Authorizer a(config);
  a.handle_unauthorized(www_authenticate, r.host.now);
  r.host.pump(a);
  r.outcomes = r.host.outcomes;
  return r;
}

std::string prm_header(const std::string& path) {
  return "Bearer resource_metadata=\"" + std::string(MCP) + path + "\"";
}

const char* const VERSIONS[] = {"2025-11-25", "2026-07-28"};

// auth/metadata-default, -var1, -var2, -var3
TEST(Scenario, MetadataDiscoveryVariants) {
  struct Variant {
    const char* name;
    const char* prm;
    bool in_www_auth;
    const char* as_metadata;
    const char* prefix;
  };
  const Variant variants[] = {
      {"metadata-default", "/.well-known/oauth-protected-resource/mcp", true, "/.well-known/oauth-authorization-server", ""},
      {"metadata-var1", "/.well-known/oauth-protected-resource/mcp", false, "/.well-known/openid-configuration", ""},
      {"metadata-var2", "/.well-known/oauth-protected-resource", false, "/.well-known/oauth-authorization-server/tenant1", "/tenant1"},
      {"metadata-var3", "/custom/metadata/location.json", true, "/tenant1/.well-known/openid-configuration", "/tenant1"},
  };
  for (const char* version : VERSIONS) {
    for (const auto& v : variants) {
      MockServer server;
      server.prm_path = std::string(v.prm);
      server.resource_override = std::string(v.prm) == "/.well-known/oauth-protected-resource"
                                     ? std::optional<std::string>(MCP)
                                     : std::optional<std::string>(std::string(MCP) + "/mcp");
      server.authorization_server = std::string(AS) + v.prefix;
      MockAs as;
      as.metadata_path = std::string(v.as_metadata);
      as.route_prefix = v.prefix;
      Transcript r = run(server, as, v.in_www_auth ? prm_header(v.prm) : "Bearer", version);
      ASSERT_EQ(r.outcomes.size(), 1u) << v.name;
      EXPECT_TRUE(r.outcomes[0].ok()) << v.name << " " << version << ": " << r.outcomes[0].error().message;
      EXPECT_FALSE(r.host.requested(std::string(MCP) + "/.well-known/oauth-protected-resource") &&
                   std::string(v.name) == "metadata-default")
          << "trap: root PRM";
      if (std::string(v.prefix) == "/tenant1") {
        EXPECT_FALSE(r.host.requested(std::string(AS) + "/.well-known/oauth-authorization-server")) << v.name;
        EXPECT_FALSE(r.host.requested(std::string(AS) + "/.well-known/openid-configuration")) << v.name;
      }
      // resource-parameter-matches-prm: exactly as published.
      ASSERT_EQ(as.authorize_resources.size(), 1u);
      EXPECT_EQ(as.authorize_resources[0], *server.resource_override) << v.name;
      EXPECT_EQ(as.token_resources.at(0), *server.resource_override) << v.name;
      // sep-837 application_type in 2026.
      EXPECT_EQ(as.application_type, "native");
    }
  }
}

// auth/2025-03-26-oauth-metadata-backcompat and -endpoint-fallback
TEST(Scenario, Legacy20250326) {
  MockServer server;
  server.prm_path.reset();
  MockAs as;
  as.base = MCP;
  as.route_prefix = "/oauth";
  as.metadata_issuer = std::string(MCP);
  Transcript r = run(server, as, "Bearer", "2025-11-25");
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_TRUE(r.outcomes[0].ok()) << r.outcomes[0].error().message;
  EXPECT_EQ(as.registrations, 1);
  EXPECT_EQ(as.token_auth.size(), 1u);

  MockServer bare;
  bare.prm_path.reset();
  MockAs fallback;
  fallback.base = MCP;
  fallback.metadata_path = "/nowhere";
  fallback.iss_in_redirect = "none";
  fallback.iss_supported = false;
  Transcript f = run(bare, fallback, "Bearer", "2025-11-25");
  ASSERT_EQ(f.outcomes.size(), 1u);
  EXPECT_TRUE(f.outcomes[0].ok()) << f.outcomes[0].error().message;
  EXPECT_TRUE(f.host.requested(std::string(MCP) + "/register"));
  EXPECT_TRUE(f.host.requested(std::string(MCP) + "/token"));
}

// auth/token-endpoint-auth-basic, -post, -none (DCR answers the method)
TEST(Scenario, TokenEndpointAuthMethods) {
  for (const char* method : {"client_secret_basic", "client_secret_post", "none"}) {
    MockServer server;
    MockAs as;
    as.auth_methods = {method};
    as.registered_method = std::string(method);
    if (std::string(method) == "none") as.registered_secret.reset();
    Transcript r = run(server, as, "Bearer", "2025-11-25");
    ASSERT_EQ(r.outcomes.size(), 1u);
    EXPECT_TRUE(r.outcomes[0].ok());
    ASSERT_EQ(as.token_auth.size(), 1u);
    EXPECT_EQ(as.token_auth[0], method);
  }
}

// auth/scope-from-www-authenticate, -from-scopes-supported, -omitted-when-undefined,
// auth/offline-access-scope, auth/offline-access-not-supported
TEST(Scenario, ScopeSelection) {
  {
    MockServer server;
    server.scopes_supported = std::vector<std::string>{"mcp:basic", "mcp:read"};
    MockAs as;
    Transcript r = run(server, as, "Bearer scope=\"mcp:basic\", resource_metadata=\"" + std::string(MCP) +
                                "/.well-known/oauth-protected-resource/mcp\"",
                "2026-07-28");
    EXPECT_EQ(as.authorize_scopes.at(0), "mcp:basic");
  }
  {
    MockServer server;
    server.scopes_supported = std::vector<std::string>{"mcp:basic", "mcp:read"};
    MockAs as;
    as.scopes_supported = std::vector<std::string>{"mcp:basic", "mcp:read"};
    Transcript r = run(server, as, "Bearer", "2026-07-28");
    EXPECT_EQ(as.authorize_scopes.at(0), "mcp:basic mcp:read");  // no offline_access: not listed
  }
  {
    MockServer server;
    MockAs as;
    as.scopes_supported = std::vector<std::string>{"mcp:basic", "offline_access"};
    Transcript r = run(server, as, "Bearer", "2026-07-28");
    EXPECT_EQ(as.authorize_scopes.at(0), "<absent>");  // scope-omitted-when-undefined
  }
  {
    MockServer server;
    server.scopes_supported = std::vector<std::string>{"mcp:basic"};
    MockAs as;
    as.scopes_supported = std::vector<std::string>{"mcp:basic", "offline_access"};
    Transcript r = run(server, as, "Bearer", "2026-07-28");
    EXPECT_EQ(as.authorize_scopes.at(0), "mcp:basic offline_access");
  }
}

// auth/iss-supported, -not-advertised, -supported-missing, -wrong-issuer, -unexpected, -normalized
TEST(Scenario, IssParameter) {
  struct Case {
    bool supported;
    const char* in_redirect;
    bool accepted;
  };
  const Case cases[] = {{true, "correct", true},  {false, "none", true},        {true, "none", false},
                        {true, "wrong", false},   {false, "wrong", false},      {true, "normalized", false}};
  for (const auto& c : cases) {
    MockServer server;
    MockAs as;
    as.iss_supported = c.supported;
    as.iss_in_redirect = c.in_redirect;
    Transcript r = run(server, as, "Bearer", "2026-07-28");
    ASSERT_EQ(r.outcomes.size(), 1u);
    EXPECT_EQ(r.outcomes[0].ok(), c.accepted) << c.supported << " " << c.in_redirect;
    EXPECT_EQ(as.token_auth.size(), c.accepted ? 1u : 0u) << "the code must not reach the token endpoint";
  }
}

// auth/metadata-issuer-mismatch (2026) and auth/resource-mismatch
TEST(Scenario, MismatchesStopBeforeUsingEndpoints) {
  MockServer server;
  MockAs as;
  as.route_prefix = "/mismatched-as";
  as.metadata_path = "/.well-known/oauth-authorization-server/mismatched-as";
  as.metadata_issuer = std::string("https://attacker.example.com");
  server.authorization_server = std::string(AS) + "/mismatched-as";
  Transcript r = run(server, as, "Bearer", "2026-07-28");
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_TRUE(r.outcomes[0].error().is(ISSUER_MISMATCH));
  EXPECT_EQ(as.registrations, 0);
  EXPECT_TRUE(as.authorize_scopes.empty());

  MockServer evil;
  evil.resource_override = std::string("https://evil.example.com/mcp");
  MockAs as2;
  Transcript e = run(evil, as2, "Bearer", "2025-11-25");
  ASSERT_EQ(e.outcomes.size(), 1u);
  EXPECT_TRUE(e.outcomes[0].error().is(RESOURCE_MISMATCH));
  EXPECT_TRUE(as2.authorize_scopes.empty());
}

// auth/basic-cimd and auth/pre-registration
TEST(Scenario, ClientIdentity) {
  MockServer server;
  MockAs as;
  as.cimd = true;
  AuthConfig c;
  c.oauth.client_metadata_url = "https://conformance-test.local/client-metadata.json";
  Transcript r = run(server, as, "Bearer", "2025-11-25", c);
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_TRUE(r.outcomes[0].ok());
  EXPECT_EQ(as.registrations, 0);
  EXPECT_EQ(query_param(r.host.opened.at(0), "client_id"), c.oauth.client_metadata_url);

  MockServer server2;
  MockAs pre;
  pre.dcr = false;
  pre.auth_methods = {"client_secret_basic"};
  AuthConfig p;
  p.oauth.pre_registered = ClientCredentials{"conformance-pre-registered", std::string("pre-secret"), std::nullopt};
  p.oauth.pre_registered_issuer = AS;
  Transcript q = run(server2, pre, "Bearer", "2025-11-25", p);
  ASSERT_EQ(q.outcomes.size(), 1u);
  EXPECT_TRUE(q.outcomes[0].ok());
  EXPECT_EQ(pre.token_auth.at(0), "client_secret_basic");
}

}  // namespace
}  // namespace mcpw::auth
