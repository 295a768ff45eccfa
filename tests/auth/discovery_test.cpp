#include <gtest/gtest.h>

#include "auth/discovery.h"

namespace mcpw::auth {
namespace {

std::vector<std::string> urls(const std::vector<MetadataCandidate>& c) {
  std::vector<std::string> out;
  for (const auto& m : c) out.push_back(m.url);
  return out;
}

// spec: RFC 9728 §3.1; DUVO.md (/.well-known/oauth-protected-resource/v2/mcp)
TEST(Discovery, ProtectedResourcePathBasedThenRoot) {
  auto r = build_protected_resource_metadata_urls("https://api.duvo.ai/v2/mcp");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<std::string>{"https://api.duvo.ai/.well-known/oauth-protected-resource/v2/mcp",
                                          "https://api.duvo.ai/.well-known/oauth-protected-resource"}));
  // No path: only the root (it is the path-based one).
  auto root = build_protected_resource_metadata_urls("https://mcp.example.com");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, std::vector<std::string>{"https://mcp.example.com/.well-known/oauth-protected-resource"});
  auto slash = build_protected_resource_metadata_urls("https://mcp.example.com/");
  ASSERT_TRUE(slash.ok());
  EXPECT_EQ(*slash, std::vector<std::string>{"https://mcp.example.com/.well-known/oauth-protected-resource"});
  // Port kept, trailing slash dropped, query kept (RFC 9728 §3.1).
  auto port = build_protected_resource_metadata_urls("http://localhost:3000/mcp/?tenant=a");
  ASSERT_TRUE(port.ok());
  EXPECT_EQ((*port)[0], "http://localhost:3000/.well-known/oauth-protected-resource/mcp?tenant=a");
  EXPECT_EQ((*port)[1], "http://localhost:3000/.well-known/oauth-protected-resource");
  EXPECT_FALSE(build_protected_resource_metadata_urls("ftp://x/y").ok());
  EXPECT_FALSE(build_protected_resource_metadata_urls("not a url").ok());
}

// spec: SPEC.md "Authorization server metadata" example; RFC 8414 §3.1; OIDC Discovery §4.1
TEST(Discovery, AuthorizationServerWithPathNeverRoot) {
  auto r = build_authorization_server_metadata_urls("https://as/tenant1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(urls(*r), (std::vector<std::string>{"https://as/.well-known/oauth-authorization-server/tenant1",
                                                "https://as/.well-known/openid-configuration/tenant1",
                                                "https://as/tenant1/.well-known/openid-configuration"}));
  EXPECT_EQ((*r)[0].kind, MetadataKind::oauth);
  EXPECT_EQ((*r)[1].kind, MetadataKind::openid);
  for (const auto& u : urls(*r)) {
    EXPECT_NE(u, "https://as/.well-known/oauth-authorization-server");
    EXPECT_NE(u, "https://as/.well-known/openid-configuration");
  }
  auto trailing = build_authorization_server_metadata_urls("https://as/tenant1/");
  ASSERT_TRUE(trailing.ok());
  EXPECT_EQ(urls(*trailing), urls(*r));
}

TEST(Discovery, AuthorizationServerAtRoot) {
  auto r = build_authorization_server_metadata_urls("https://auth.duvo.ai");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(urls(*r), (std::vector<std::string>{"https://auth.duvo.ai/.well-known/oauth-authorization-server",
                                                "https://auth.duvo.ai/.well-known/openid-configuration"}));
}

// spec: 2025-03-26 authorization#fallbacks-for-servers-without-metadata-discovery
TEST(Discovery, LegacyFallbacks) {
  auto base = build_authorization_base_url("https://api.example.com/v1/mcp?x=1");
  ASSERT_TRUE(base.ok());
  EXPECT_EQ(*base, "https://api.example.com");
  auto f = build_fallback_endpoints("https://api.example.com:8443/v1/mcp");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->authorization_endpoint, "https://api.example.com:8443/authorize");
  EXPECT_EQ(f->token_endpoint, "https://api.example.com:8443/token");
  EXPECT_EQ(f->registration_endpoint, "https://api.example.com:8443/register");
}

// spec: OAuth 2.1 §1.5 (TLS), RFC 8252 §8.3 loopback
TEST(Discovery, SecureEndpoints) {
  for (const char* ok : {"https://a.example/token", "http://localhost:8080/token", "http://127.0.0.1/x",
                         "http://[::1]:9/x"}) {
    EXPECT_TRUE(is_secure_endpoint(ok)) << ok;
  }
  for (const char* bad : {"http://a.example/token", "ftp://a/x", "https://a/x#frag", "https:/x", "javascript:alert(1)",
                          "http://localhost.evil.example/x"}) {
    EXPECT_FALSE(is_secure_endpoint(bad)) << bad;
  }
}

// spec: RFC 9728 §3.3 / RFC 8707 §2
TEST(Discovery, ResourceCoversServer) {
  EXPECT_TRUE(resource_covers("https://api.duvo.ai/v2/mcp", "https://api.duvo.ai/v2/mcp"));
  EXPECT_TRUE(resource_covers("https://api.duvo.ai", "https://api.duvo.ai/v2/mcp"));
  EXPECT_TRUE(resource_covers("https://api.duvo.ai/", "https://api.duvo.ai/v2/mcp"));
  EXPECT_TRUE(resource_covers("https://api.duvo.ai/v2", "https://api.duvo.ai/v2/mcp"));
  EXPECT_TRUE(resource_covers("https://API.duvo.ai:443/v2/mcp", "https://api.duvo.ai/v2/mcp"));
  EXPECT_FALSE(resource_covers("https://api.duvo.ai/v2/mc", "https://api.duvo.ai/v2/mcp"));
  EXPECT_FALSE(resource_covers("https://api.duvo.ai/v1/mcp", "https://api.duvo.ai/v2/mcp"));
  EXPECT_FALSE(resource_covers("https://evil.example/v2/mcp", "https://api.duvo.ai/v2/mcp"));
  EXPECT_FALSE(resource_covers("http://api.duvo.ai/v2/mcp", "https://api.duvo.ai/v2/mcp"));
  EXPECT_FALSE(resource_covers("https://api.duvo.ai:8443/v2/mcp", "https://api.duvo.ai/v2/mcp"));
  EXPECT_FALSE(resource_covers("https://api.duvo.ai/v2/mcp/deeper", "https://api.duvo.ai/v2/mcp"));
}

}  // namespace
}  // namespace mcpw::auth
