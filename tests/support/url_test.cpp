#include <gtest/gtest.h>

#include <random>
#include <string>

#include "support/url.h"

namespace mcpw {
namespace {

// spec: RFC 3986 §3 components.
TEST(Url, ParsesComponents) {
  auto u = parse_url("HTTPS://user:pw@API.Duvo.ai:8443/v2/mcp?x=1&y=%20#frag");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->scheme, "https");
  EXPECT_TRUE(u->has_authority);
  EXPECT_EQ(u->userinfo, "user:pw");
  EXPECT_EQ(u->host, "api.duvo.ai");
  EXPECT_EQ(u->port, "8443");
  EXPECT_EQ(u->path, "/v2/mcp");
  EXPECT_EQ(u->query, std::optional<std::string>("x=1&y=%20"));
  EXPECT_EQ(u->fragment, std::optional<std::string>("frag"));
  EXPECT_EQ(to_string(*u), "https://user:pw@api.duvo.ai:8443/v2/mcp?x=1&y=%20#frag");
  EXPECT_EQ(url_origin(*u), "https://api.duvo.ai:8443");
}

TEST(Url, IpLiteralsAndNoAuthority) {
  auto v6 = parse_url("http://[::1]:3000/cb");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "[::1]");
  EXPECT_EQ(v6->port, "3000");
  auto custom = parse_url("com.example.app:/oauth/callback?code=x");
  ASSERT_TRUE(custom.ok());
  EXPECT_FALSE(custom->has_authority);
  EXPECT_EQ(custom->path, "/oauth/callback");
  auto empty_query = parse_url("https://a.example?");
  ASSERT_TRUE(empty_query.ok());
  EXPECT_EQ(empty_query->query, std::optional<std::string>(""));
  EXPECT_EQ(empty_query->path, "");
}

TEST(Url, RejectsMalformed) {
  for (const char* bad : {"", "no-scheme", "://x", "1http://x", "https://a b", "https://x/%zz", "https://x/%4",
                          "https://x:99999/", "https://x:8a/", "https://[::1/", "https://[::1]x/", "https://x/\x01",
                          "https://\xc3\xa9.example/", "https://x/<script>"}) {
    auto r = parse_url(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) EXPECT_TRUE(r.error().is(URL_INVALID));
  }
}

TEST(Url, Loopback) {
  for (const char* h : {"localhost", "127.0.0.1", "127.1.2.3", "[::1]", "app.localhost"}) {
    EXPECT_TRUE(is_loopback_host(h)) << h;
  }
  for (const char* h : {"", "localhost.example", "127.0.0", "127.0.0.1.2", "128.0.0.1", "[::2]", "127.0.0.1234",
                        "example.com"}) {
    EXPECT_FALSE(is_loopback_host(h)) << h;
  }
}

// spec: RFC 3986 §2.3 unreserved stay literal; WHATWG form encoding uses '+'.
TEST(Url, Encodings) {
  EXPECT_EQ(percent_encode("a-b._~ c/d?é"), "a-b._~%20c%2Fd%3F%C3%A9");
  EXPECT_EQ(form_encode("a b*~/"), "a+b*%7E%2F");
  EXPECT_EQ(build_form({{"grant_type", "authorization_code"}, {"redirect_uri", "http://localhost:3000/cb?x=1"}}),
            "grant_type=authorization_code&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb%3Fx%3D1");
  auto parsed = parse_form("a=1&b=x+y%21&&c&d=%E2%9C%93");
  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->size(), 4u);
  EXPECT_EQ((*parsed)[1], (std::pair<std::string, std::string>{"b", "x y!"}));
  EXPECT_EQ((*parsed)[2], (std::pair<std::string, std::string>{"c", ""}));
  EXPECT_EQ((*parsed)[3].second, "\xE2\x9C\x93");
  EXPECT_FALSE(parse_form("a=%2").has_value());
  EXPECT_FALSE(parse_form("a=%g0").has_value());
  EXPECT_EQ(percent_decode_component("a+b", false), std::optional<std::string>("a+b"));
}

TEST(Url, FormRoundTripOnRandomBytes) {
  std::mt19937 rng(11);
  for (int i = 0; i < 300; ++i) {
    std::string name(rng() % 8, '\0');
    std::string value(rng() % 30, '\0');
    for (char& c : name) c = static_cast<char>(rng() & 0xff);
    for (char& c : value) c = static_cast<char>(rng() & 0xff);
    if (name.empty()) name = "n";
    auto back = parse_form(build_form({{name, value}}));
    ASSERT_TRUE(back.has_value());
    ASSERT_EQ(back->size(), 1u);
    EXPECT_EQ((*back)[0].first, name);
    EXPECT_EQ((*back)[0].second, value);
  }
}

TEST(Url, RandomGarbageNeverCrashes) {
  std::mt19937 rng(5);
  const std::string alphabet = "hts:/[]@%?#.:0123456789abcXYZ \x01\xff";
  for (int i = 0; i < 5000; ++i) {
    std::string s(rng() % 40, '\0');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    auto r = parse_url(s);
    if (r.ok()) {
      // Whatever parses recomposes to something that parses the same way.
      auto again = parse_url(to_string(*r));
      ASSERT_TRUE(again.ok()) << s;
      EXPECT_EQ(to_string(*again), to_string(*r));
    }
    (void)parse_form(s);
  }
}

}  // namespace
}  // namespace mcpw
