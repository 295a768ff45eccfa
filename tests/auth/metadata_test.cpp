#include <gtest/gtest.h>

#include <random>
#include <string>

#include "auth/metadata.h"

namespace mcpw::auth {
namespace {

// spec: RFC 9728 §2, §3.2
TEST(ProtectedResourceMetadata, ParsesDuvoShape) {
  auto m = parse_protected_resource_metadata(R"({
    "resource": "https://api.duvo.ai/v2/mcp",
    "authorization_servers": ["https://auth.duvo.ai"],
    "scopes_supported": ["runs:read", "runs:write"],
    "bearer_methods_supported": ["header"],
    "resource_name": "Duvo",
    "unknown_member": {"x": 1}
  })");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->resource, "https://api.duvo.ai/v2/mcp");
  EXPECT_EQ(m->authorization_servers, std::vector<std::string>{"https://auth.duvo.ai"});
  EXPECT_EQ(m->scopes_supported.size(), 2u);
  EXPECT_EQ(m->resource_name, "Duvo");
}

TEST(ProtectedResourceMetadata, RejectsBadDocuments) {
  for (const char* bad : {"", "[]", "{", R"({"authorization_servers":["https://a"]})", R"({"resource":""})",
                          R"({"resource":1})", R"({"resource":"https://r","authorization_servers":"https://a"})",
                          R"({"resource":"https://r","authorization_servers":[1]})",
                          R"({"resource":"https://r","scopes_supported":{"a":1}})"}) {
    auto m = parse_protected_resource_metadata(bad);
    EXPECT_FALSE(m.ok()) << bad;
    if (!m.ok()) EXPECT_TRUE(m.error().is(METADATA_INVALID)) << bad;
  }
  // Null members are treated as absent.
  EXPECT_TRUE(parse_protected_resource_metadata(R"({"resource":"https://r","scopes_supported":null})").ok());
}

// spec: RFC 8414 §2, RFC 9207 §3, CIMD client_id_metadata_document_supported
TEST(AuthorizationServerMetadata, ParsesMembers) {
  auto m = parse_authorization_server_metadata(R"({
    "issuer": "https://auth.duvo.ai",
    "authorization_endpoint": "https://auth.duvo.ai/authorize",
    "token_endpoint": "https://auth.duvo.ai/token",
    "registration_endpoint": "https://auth.duvo.ai/register",
    "scopes_supported": ["openid", "offline_access"],
    "response_types_supported": ["code"],
    "grant_types_supported": ["authorization_code", "refresh_token"],
    "code_challenge_methods_supported": ["S256"],
    "token_endpoint_auth_methods_supported": ["none", "client_secret_post"],
    "authorization_response_iss_parameter_supported": true,
    "client_id_metadata_document_supported": true
  })");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->issuer, "https://auth.duvo.ai");
  EXPECT_EQ(m->registration_endpoint, "https://auth.duvo.ai/register");
  EXPECT_TRUE(m->authorization_response_iss_parameter_supported);
  EXPECT_TRUE(m->client_id_metadata_document_supported);
  EXPECT_EQ(m->token_endpoint_auth_methods_supported.size(), 2u);
}

TEST(AuthorizationServerMetadata, RequiredMembersAndTypes) {
  const std::string ok_tail = R"("authorization_endpoint":"https://a/authorize","token_endpoint":"https://a/token")";
  EXPECT_TRUE(parse_authorization_server_metadata("{\"issuer\":\"https://a\"," + ok_tail + "}").ok());
  for (const std::string& bad :
       {"{" + ok_tail + "}", std::string(R"({"issuer":"https://a","token_endpoint":"https://a/token"})"),
        std::string(R"({"issuer":"https://a","authorization_endpoint":"https://a/authorize"})"),
        "{\"issuer\":\"https://a\",\"code_challenge_methods_supported\":\"S256\"," + ok_tail + "}",
        "{\"issuer\":\"https://a\",\"authorization_response_iss_parameter_supported\":\"yes\"," + ok_tail + "}",
        std::string("<html>not json</html>")}) {
    auto m = parse_authorization_server_metadata(bad);
    EXPECT_FALSE(m.ok()) << bad;
    if (!m.ok()) EXPECT_TRUE(m.error().is(METADATA_INVALID));
  }
}

// spec: RFC 7591 §3.2.1
TEST(RegistrationResponse, ParsesAndValidates) {
  auto c = parse_registration_response(
      R"({"client_id":"c-123","client_secret":"s3cr3t-value","client_id_issued_at":1700000000,"client_secret_expires_at":0,"token_endpoint_auth_method":"client_secret_post","redirect_uris":["http://localhost/cb"]})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->client_id, "c-123");
  EXPECT_EQ(c->client_secret, "s3cr3t-value");
  EXPECT_EQ(c->client_secret_expires_at, 0);
  EXPECT_EQ(c->token_endpoint_auth_method, "client_secret_post");
  for (const char* bad : {R"({})", R"({"client_id":5})", R"({"client_id":"x","client_id_issued_at":"soon"})",
                          R"({"client_id":"x","client_secret_expires_at":1.5})"}) {
    auto r = parse_registration_response(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
}

// spec: RFC 6749 §5.1
TEST(TokenResponse, ParsesSuccess) {
  auto t = parse_token_response(
      R"({"access_token":"at-1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-1","scope":"a b"})");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->access_token, "at-1");
  EXPECT_EQ(t->expires_in, 3600);
  EXPECT_EQ(t->refresh_token, "rt-1");
  EXPECT_EQ(t->scope, "a b");
  auto s = parse_token_response(R"({"access_token":"at","token_type":"bearer","expires_in":"120"})");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->expires_in, 120);
  auto f = parse_token_response(R"({"access_token":"at","token_type":"bearer","expires_in":59.9})");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->expires_in, 59);
}

TEST(TokenResponse, ErrorsNeverQuoteTheBody) {
  const std::string secret = "SECRET-ACCESS-TOKEN-123";
  for (const std::string& bad :
       {R"({"access_token":")" + secret + R"("})", R"({"access_token":")" + secret + R"(","token_type":7})",
        R"({"access_token":")" + secret + R"(","token_type":"Bearer","expires_in":-5})",
        R"({"access_token":")" + secret + R"(","token_type":"Bearer","expires_in":"12x"})",
        R"({"access_token":")" + secret + R"(",)", std::string(R"({"token_type":"Bearer"})")}) {
    auto t = parse_token_response(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_TRUE(t.error().is(TOKEN_INVALID));
    EXPECT_EQ(t.error().message.find(secret), std::string::npos);
    EXPECT_EQ(t.error().data_json.find(secret), std::string::npos);
  }
}

// Found by fuzz/oauth_metadata.cpp: a long non-numeric expires_in string
// overflowed the accumulator (signed overflow, UBSan) before being refused.
TEST(TokenResponse, LongExpiresInStringIsRefusedWithoutOverflow) {
  for (const std::string& v : {std::string("3@") + std::string(100, '%'), std::string(40, '9'), std::string("1234567890123456")}) {
    auto t = parse_token_response(R"({"access_token":"at","token_type":"Bearer","expires_in":")" + v + R"("})");
    ASSERT_FALSE(t.ok()) << v;
    EXPECT_TRUE(t.error().is(TOKEN_INVALID));
  }
  auto ok = parse_token_response(R"({"access_token":"at","token_type":"Bearer","expires_in":"999999999999999"})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->expires_in, 999999999999999);
}

// spec: RFC 6749 §5.2
TEST(OAuthError, Parses) {
  auto e = parse_oauth_error(R"({"error":"invalid_grant","error_description":"expired","error_uri":"https://e"})");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->error, "invalid_grant");
  EXPECT_EQ(e->error_description, "expired");
  EXPECT_FALSE(parse_oauth_error("oops").has_value());
  EXPECT_FALSE(parse_oauth_error(R"({"error":1})").has_value());
}

TEST(Metadata, DeepAndHugeDocumentsAreErrors) {
  std::string deep = R"({"resource":"https://r","x":)" + std::string(10000, '[') + std::string(10000, ']') + "}";
  EXPECT_FALSE(parse_protected_resource_metadata(deep).ok());
  std::string huge = R"({"resource":"https://r","x":")" + std::string(2u << 20, 'a') + "\"}";
  EXPECT_FALSE(parse_protected_resource_metadata(huge).ok());
}

TEST(Metadata, RandomMutationsNeverCrash) {
  const std::string docs[] = {
      R"({"resource":"https://r","authorization_servers":["https://a"],"scopes_supported":["x"]})",
      R"({"issuer":"https://a","authorization_endpoint":"https://a/x","token_endpoint":"https://a/t","code_challenge_methods_supported":["S256"]})",
      R"({"access_token":"a","token_type":"Bearer","expires_in":10,"refresh_token":"r"})",
      R"({"client_id":"c","client_secret_expires_at":0})"};
  std::mt19937 rng(99);
  for (int i = 0; i < 4000; ++i) {
    std::string s = docs[i % 4];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits && !s.empty(); ++k) {
      std::size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0: s[at] = static_cast<char>(rng() & 0xff); break;
        case 1: s.erase(at, 1); break;
        default: s.insert(at, 1, "{}[]\",:0"[rng() % 8]); break;
      }
    }
    (void)parse_protected_resource_metadata(s);
    (void)parse_authorization_server_metadata(s);
    (void)parse_token_response(s);
    (void)parse_registration_response(s);
    (void)parse_oauth_error(s);
  }
}

}  // namespace
}  // namespace mcpw::auth
