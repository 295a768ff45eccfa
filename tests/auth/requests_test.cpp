#include <gtest/gtest.h>

#include <random>
#include <string>

#include "auth/requests.h"
#include "support/url.h"
#include "transport/http.h"

namespace mcpw::auth {
namespace {

std::vector<std::pair<std::string, std::string>> query_of(const std::string& url) {
  auto u = parse_url(url);
  EXPECT_TRUE(u.ok()) << url;
  auto q = parse_form(u.ok() ? u->query.value_or("") : "");
  EXPECT_TRUE(q.has_value());
  return q.value_or(std::vector<std::pair<std::string, std::string>>{});
}

std::string get(const std::vector<std::pair<std::string, std::string>>& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return "<absent>";
}

// spec: RFC 7636 Appendix B
TEST(Pkce, Rfc7636AppendixB) {
  const unsigned char bytes[] = {116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
                                 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121};
  auto p = make_pkce(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  EXPECT_EQ(p->challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  EXPECT_EQ(compute_s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  EXPECT_FALSE(make_pkce("short").ok());
  auto longest = make_pkce(std::string(200, 'x'));
  ASSERT_TRUE(longest.ok());
  EXPECT_EQ(longest->verifier.size(), 128u);  // RFC 7636 §4.1 maximum
  EXPECT_EQ(make_state("\x01\x02\x03"), "AQID");
}

// spec: 2025-11-25 authorization#scope-selection-strategy; offline_access only if listed
TEST(Scope, SelectionRules) {
  std::vector<std::string> prm = {"runs:read", "runs:write"};
  std::vector<std::string> as_plain = {"runs:read"};
  std::vector<std::string> as_offline = {"runs:read", "offline_access"};
  EXPECT_EQ(select_scope(std::string("files:read"), prm, as_plain, true), "files:read");
  EXPECT_EQ(select_scope(std::nullopt, prm, as_plain, true), "runs:read runs:write");
  EXPECT_EQ(select_scope(std::nullopt, {}, as_plain, true), "");
  EXPECT_EQ(select_scope(std::string(""), prm, as_plain, true), "runs:read runs:write");
  EXPECT_EQ(select_scope(std::nullopt, prm, as_offline, true), "runs:read runs:write offline_access");
  EXPECT_EQ(select_scope(std::nullopt, prm, as_offline, false), "runs:read runs:write");
  EXPECT_EQ(select_scope(std::string("a offline_access"), prm, as_offline, true), "a offline_access");
  EXPECT_EQ(select_scope(std::nullopt, {}, as_offline, true), "");  // no scope at all: none added
  EXPECT_EQ(union_scopes("a b", "b c"), "a b c");
  EXPECT_EQ(union_scopes("", "  x  x "), "x");
  EXPECT_EQ(split_scope(" a  b a ").size(), 2u);
}

// spec: RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 8707 §2 (resource exactly as given)
TEST(AuthorizationUrl, CarriesEveryParameter) {
  AuthorizationRequest r;
  r.authorization_endpoint = "https://auth.duvo.ai/authorize?tenant=a";
  r.client_id = "client 1";
  r.redirect_uri = "http://localhost:3000/callback";
  r.scope = "runs:read offline_access";
  r.state = "st4te";
  r.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  r.resource = "https://api.duvo.ai/v2/mcp";
  std::string url = build_authorization_url(r);
  // RFC 6749 §3.1: the endpoint's own query is kept.
  EXPECT_EQ(url.rfind("https://auth.duvo.ai/authorize?tenant=a&response_type=code&", 0), 0u) << url;
  auto q = query_of(url);
  EXPECT_EQ(get(q, "tenant"), "a");
  EXPECT_EQ(get(q, "response_type"), "code");
  EXPECT_EQ(get(q, "client_id"), "client 1");
  EXPECT_EQ(get(q, "code_challenge_method"), "S256");
  EXPECT_EQ(get(q, "code_challenge"), r.code_challenge);
  EXPECT_EQ(get(q, "redirect_uri"), r.redirect_uri);
  EXPECT_EQ(get(q, "state"), "st4te");
  EXPECT_EQ(get(q, "scope"), "runs:read offline_access");
  EXPECT_EQ(get(q, "resource"), "https://api.duvo.ai/v2/mcp");
  EXPECT_NE(url.find("scope=runs%3Aread%20offline_access"), std::string::npos);  // %20, never '+'

  r.authorization_endpoint = "https://as.example/authorize";
  r.scope = "";
  r.resource = std::string("https://api.duvo.ai");  // no trailing slash added
  auto q2 = query_of(build_authorization_url(r));
  EXPECT_EQ(get(q2, "scope"), "<absent>");
  EXPECT_EQ(get(q2, "resource"), "https://api.duvo.ai");
  r.resource.reset();
  EXPECT_EQ(get(query_of(build_authorization_url(r)), "resource"), "<absent>");
}

// spec: RFC 6749 §4.1.2 / §10.12 state; RFC 9207 §2.4 iss
TEST(Callback, StateIssAndErrors) {
  const std::string iss = "https://auth.duvo.ai";
  auto ok = parse_authorization_callback("http://localhost:3000/callback?code=abc&state=S&iss=https%3A%2F%2Fauth.duvo.ai",
                                         "S", iss, true);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->code, "abc");
  // iss not advertised and absent: proceed.
  EXPECT_TRUE(parse_authorization_callback("http://localhost:3000/callback?code=abc&state=S", "S", iss, false).ok());
  struct Case {
    const char* url;
    bool iss_required;
    ErrorId id;
  };
  const Case cases[] = {
      {"http://localhost:3000/callback?code=abc&state=X", false, STATE_MISMATCH},
      {"http://localhost:3000/callback?code=abc", false, STATE_MISMATCH},
      {"http://localhost:3000/callback?code=abc&state=S", true, ISSUER_MISMATCH},
      {"http://localhost:3000/callback?code=abc&state=S&iss=https%3A%2F%2Fevil.example", false, ISSUER_MISMATCH},
      {"http://localhost:3000/callback?code=abc&state=S&iss=https%3A%2F%2Fauth.duvo.ai%2F", true, ISSUER_MISMATCH},
      {"http://localhost:3000/callback?error=access_denied&state=S", false, AUTHORIZATION_DENIED},
      {"http://localhost:3000/callback?state=S", false, CALLBACK_INVALID},
      {"http://localhost:3000/callback?state=S&code=", false, CALLBACK_INVALID},
      {"http://localhost:3000/callback?state=S&code=a&code=b", false, CALLBACK_INVALID},
      {"http://localhost:3000/callback?state=S&code=%zz", false, CALLBACK_INVALID},
      {"not a url", false, CALLBACK_INVALID},
  };
  for (const auto& c : cases) {
    auto r = parse_authorization_callback(c.url, "S", iss, c.iss_required);
    ASSERT_FALSE(r.ok()) << c.url;
    EXPECT_TRUE(r.error().is(c.id)) << c.url << " -> " << r.error().id.id;
  }
  // An error with a bad state is a state mismatch first (a forged error must not end our flow).
  auto forged = parse_authorization_callback("http://l/cb?error=access_denied&state=Z", "S", iss, false);
  ASSERT_FALSE(forged.ok());
  EXPECT_TRUE(forged.error().is(STATE_MISMATCH));
}

// spec: RFC 6749 §2.3.1 (client_secret_basic, client_secret_post), RFC 7591 §2 (none)
TEST(TokenRequest, ClientAuthenticationMethods) {
  ClientCredentials secret{"my client", std::string("p@ss:w rd"), std::nullopt};
  ClientCredentials pub{"pub-client", std::nullopt, std::nullopt};
  EXPECT_EQ(select_token_auth_method(secret, {}), TokenAuthMethod::client_secret_basic);
  EXPECT_EQ(select_token_auth_method(secret, {"client_secret_post"}), TokenAuthMethod::client_secret_post);
  EXPECT_EQ(select_token_auth_method(secret, {"none", "client_secret_basic"}), TokenAuthMethod::client_secret_basic);
  EXPECT_EQ(select_token_auth_method(pub, {"client_secret_basic"}), TokenAuthMethod::none);
  ClientCredentials registered_post{"c", std::string("s"), std::string("client_secret_post")};
  EXPECT_EQ(select_token_auth_method(registered_post, {}), TokenAuthMethod::client_secret_post);
  EXPECT_EQ(select_token_auth_method(registered_post, {"client_secret_post", "client_secret_basic"}),
            TokenAuthMethod::client_secret_post);
  // Registered method not offered by the AS: the AS's list decides.
  EXPECT_EQ(select_token_auth_method(registered_post, {"client_secret_basic"}), TokenAuthMethod::client_secret_basic);
  // A DCR secret with an AS that only takes public clients (conformance default).
  EXPECT_EQ(select_token_auth_method(secret, {"none"}), TokenAuthMethod::none);
  EXPECT_EQ(select_token_auth_method(secret, {"private_key_jwt"}), TokenAuthMethod::client_secret_post);
  EXPECT_EQ(select_token_auth_method(pub, {"private_key_jwt"}), TokenAuthMethod::none);

  auto basic = build_authorization_code_request("https://as/token", secret, TokenAuthMethod::client_secret_basic,
                                                "the-code", "the-verifier", "http://localhost/cb",
                                                std::string("https://api.duvo.ai/v2/mcp"));
  EXPECT_EQ(basic.method, "POST");
  EXPECT_EQ(basic.url, "https://as/token");
  EXPECT_EQ(transport::find_header(basic.headers, "content-type"), "application/x-www-form-urlencoded");
  // base64("my+client:p%40ss%3Aw+rd")
  EXPECT_EQ(transport::find_header(basic.headers, "authorization"), "Basic bXkrY2xpZW50OnAlNDBzcyUzQXcrcmQ=");
  auto form = parse_form(basic.body);
  ASSERT_TRUE(form.has_value());
  EXPECT_EQ(get(*form, "grant_type"), "authorization_code");
  EXPECT_EQ(get(*form, "code"), "the-code");
  EXPECT_EQ(get(*form, "code_verifier"), "the-verifier");
  EXPECT_EQ(get(*form, "redirect_uri"), "http://localhost/cb");
  EXPECT_EQ(get(*form, "resource"), "https://api.duvo.ai/v2/mcp");
  EXPECT_EQ(get(*form, "client_id"), "<absent>");
  EXPECT_EQ(get(*form, "client_secret"), "<absent>");

  auto post = build_refresh_request("https://as/token", secret, TokenAuthMethod::client_secret_post, "rt",
                                    std::nullopt);
  EXPECT_FALSE(transport::find_header(post.headers, "authorization").has_value());
  auto pf = parse_form(post.body);
  ASSERT_TRUE(pf.has_value());
  EXPECT_EQ(get(*pf, "grant_type"), "refresh_token");
  EXPECT_EQ(get(*pf, "refresh_token"), "rt");
  EXPECT_EQ(get(*pf, "client_id"), "my client");
  EXPECT_EQ(get(*pf, "client_secret"), "p@ss:w rd");
  EXPECT_EQ(get(*pf, "resource"), "<absent>");

  auto none = build_refresh_request("https://as/token", pub, TokenAuthMethod::none, "rt",
                                    std::string("https://api.duvo.ai/v2/mcp"));
  auto nf = parse_form(none.body);
  ASSERT_TRUE(nf.has_value());
  EXPECT_EQ(get(*nf, "client_id"), "pub-client");
  EXPECT_EQ(get(*nf, "client_secret"), "<absent>");
  EXPECT_EQ(get(*nf, "resource"), "https://api.duvo.ai/v2/mcp");
}

// spec: RFC 7591 §2-3.1; MCP 2026-07-28 application_type and refresh_token grant
TEST(Registration, RequestBody) {
  ClientMetadata m;
  m.client_name = "Duvo side panel";
  m.redirect_uris = {"https://ext.example/cb"};
  m.application_type = default_application_type("https://ext.example/cb");
  auto req = build_registration_request("https://auth.duvo.ai/register", m, "runs:read");
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(transport::find_header(req.headers, "content-type"), "application/json");
  EXPECT_EQ(req.body,
            R"({"application_type":"web","client_name":"Duvo side panel","grant_types":["authorization_code","refresh_token"],"redirect_uris":["https://ext.example/cb"],"response_types":["code"],"scope":"runs:read","token_endpoint_auth_method":"none"})");
  EXPECT_EQ(default_application_type("http://127.0.0.1:8123/cb"), "native");
  EXPECT_EQ(default_application_type("com.example.app:/cb"), "native");
  EXPECT_EQ(default_application_type("http://app.example/cb"), "web");
}

}  // namespace
}  // namespace mcpw::auth
