#include <gtest/gtest.h>

#include <random>
#include <string>

#include "auth/www_authenticate.h"

namespace mcpw::auth {
namespace {

// spec: RFC 9110 §11.6.1, RFC 9728 §5.1 (resource_metadata), RFC 6750 §3 (scope, error)
TEST(WwwAuthenticate, BearerWithResourceMetadataAndScope) {
  auto r = parse_www_authenticate(
      R"(Bearer resource_metadata="https://api.duvo.ai/.well-known/oauth-protected-resource/v2/mcp", scope="runs:read agents:read")");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].scheme, "Bearer");
  auto b = find_bearer_challenge(*r);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->resource_metadata, "https://api.duvo.ai/.well-known/oauth-protected-resource/v2/mcp");
  EXPECT_EQ(b->scope, "runs:read agents:read");
  EXPECT_FALSE(b->error.has_value());
}

// spec: RFC 6750 §3.1 insufficient_scope
TEST(WwwAuthenticate, InsufficientScopeWithEscapes) {
  auto b = parse_bearer_challenge(
      R"(Bearer error="insufficient_scope", scope="files:write", error_description="need \"files:write\"")");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->error, "insufficient_scope");
  EXPECT_EQ(b->scope, "files:write");
  EXPECT_EQ(b->error_description, "need \"files:write\"");
}

// spec: RFC 9110 §11.6.1 multiple challenges, token68, case-insensitive names
TEST(WwwAuthenticate, MultipleChallengesAndToken68) {
  auto r = parse_www_authenticate(
      R"(Basic realm="x", Newauth realm="apps", type=1, title="Login to \"apps\"", DPoP algs="ES256", bearer REALM=api, Foo abc123==)");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 5u);
  EXPECT_EQ((*r)[0].scheme, "Basic");
  EXPECT_EQ((*r)[1].scheme, "Newauth");
  EXPECT_EQ((*r)[1].param("type"), "1");
  EXPECT_EQ((*r)[1].param("title"), "Login to \"apps\"");
  EXPECT_EQ((*r)[2].param("algs"), "ES256");
  EXPECT_EQ((*r)[3].param("realm"), "api");  // names are lower-cased
  EXPECT_EQ((*r)[4].token68, "abc123==");
  auto b = find_bearer_challenge(*r);
  ASSERT_TRUE(b.has_value());  // "bearer" matches case-insensitively
}

TEST(WwwAuthenticate, EdgeShapes) {
  auto bare = parse_www_authenticate("Bearer");
  ASSERT_TRUE(bare.ok());
  ASSERT_EQ(bare->size(), 1u);
  EXPECT_TRUE(bare->front().params.empty());
  auto empty = parse_www_authenticate("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  // Empty list elements and BWS around '=' are allowed.
  auto loose = parse_www_authenticate(" , Bearer ,, Basic realm = \"r\" , ");
  ASSERT_TRUE(loose.ok()) << loose.error().message;
  ASSERT_EQ(loose->size(), 2u);
  EXPECT_EQ((*loose)[1].param("realm"), "r");
  // Duplicate parameter: the first wins.
  auto dup = parse_bearer_challenge(R"(Bearer scope="a", scope="b")");
  ASSERT_TRUE(dup.has_value());
  EXPECT_EQ(dup->scope, "a");
  // Quoted string with an empty value.
  auto q = parse_bearer_challenge(R"(Bearer scope="")");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->scope, "");
  // No Bearer challenge at all.
  EXPECT_FALSE(parse_bearer_challenge("Basic realm=x").has_value());
}

TEST(WwwAuthenticate, RejectsMalformed) {
  for (const char* bad : {R"(Bearer scope="unterminated)", "Bearer a=b c=d", "Bearer a=\"x\"y",
                          "=x", "Bearer scope=\"a\x01\"", "Bearer a=b,, =c", "Bearer realm=\"x\\"}) {
    auto r = parse_www_authenticate(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) EXPECT_TRUE(r.error().is(CHALLENGE_INVALID));
  }
  EXPECT_FALSE(parse_bearer_challenge(R"(Bearer scope="x)").has_value());
}

TEST(WwwAuthenticate, Limits) {
  std::string many;
  for (int i = 0; i < 40; ++i) many += "Basic realm=x, ";
  EXPECT_FALSE(parse_www_authenticate(many).ok());
  std::string params = "Bearer ";
  for (int i = 0; i < 70; ++i) params += "p" + std::to_string(i) + "=v, ";
  EXPECT_FALSE(parse_www_authenticate(params).ok());
  EXPECT_FALSE(parse_www_authenticate("Bearer scope=\"" + std::string(20000, 'a') + "\"").ok());
}

// Every prefix of a valid header either parses or fails cleanly; the full
// value fed byte by byte (as prefixes) must end with the full answer.
TEST(WwwAuthenticate, EveryPrefix) {
  const std::string full =
      R"(Bearer realm="mcp", error="invalid_token", resource_metadata="https://x.example/.well-known/oauth-protected-resource", Basic abc=)";
  for (std::size_t n = 0; n <= full.size(); ++n) (void)parse_www_authenticate(full.substr(0, n));
  auto r = parse_www_authenticate(full);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].param("resource_metadata"), "https://x.example/.well-known/oauth-protected-resource");
  EXPECT_EQ((*r)[1].token68, "abc=");
}

TEST(WwwAuthenticate, RandomGarbageNeverCrashes) {
  std::mt19937 rng(42);
  const std::string alphabet = "Bearer scope=\"\\, \t=abc\x01\xff";
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 48, '\0');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    auto r = parse_www_authenticate(s);
    if (r.ok()) {
      for (const auto& c : *r) EXPECT_FALSE(c.scheme.empty());
    }
  }
}

}  // namespace
}  // namespace mcpw::auth
