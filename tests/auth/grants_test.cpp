// Extension grants: client credentials with client_secret_basic and with
// private_key_jwt (the host signs; here a stand-in signature), SEP-1046.

#include <gtest/gtest.h>

#include "auth/jwt.h"
#include "fake_as.h"

namespace mcpw::auth {
namespace {

using testing::FakeAs;
using testing::form_param;
using testing::Host;
using testing::json_reply;

std::optional<json> decode_part(std::string_view jwt, int index) {
  std::size_t start = 0;
  for (int i = 0; i < index; ++i) start = jwt.find('.', start) + 1;
  std::size_t end = jwt.find('.', start);
  auto bytes = base64url_decode(jwt.substr(start, end == std::string_view::npos ? end : end - start));
  if (!bytes) return std::nullopt;
  auto j = parse_json(*bytes);
  if (!j) return std::nullopt;
  return *j;
}

// spec: RFC 7523 §3 claims; RFC 7515 §7.1 compact form
TEST(Jwt, ClientAssertionShape) {
  std::string input = build_client_assertion_input("conformance-test-client", "https://as.example", 1'700'000'000'123,
                                                   std::string(16, '\x01'), "ES256", "key-1");
  auto header = decode_part(input, 0);
  auto payload = decode_part(input, 1);
  ASSERT_TRUE(header && payload);
  EXPECT_EQ(dump_json(*header), R"({"alg":"ES256","kid":"key-1","typ":"JWT"})");
  EXPECT_EQ(find_string(*payload, "iss"), "conformance-test-client");
  EXPECT_EQ(find_string(*payload, "sub"), "conformance-test-client");
  EXPECT_EQ(find_string(*payload, "aud"), "https://as.example");
  EXPECT_EQ(find_integer(*payload, "iat"), 1'700'000'000);
  EXPECT_EQ(find_integer(*payload, "exp"), 1'700'000'300);
  EXPECT_EQ(find_string(*payload, "jti"), "AQEBAQEBAQEBAQEBAQEBAQ");
  auto jwt = finish_jwt(input, std::string(64, 'z'));
  ASSERT_TRUE(jwt.ok());
  EXPECT_EQ(*jwt, input + "." + base64url_encode(std::string(64, 'z')));
  EXPECT_FALSE(finish_jwt(input, std::string(63, 'z')).ok());  // not r||s
}

AuthConfig client_credentials_config(const FakeAs& as) {
  AuthConfig c = as.config();
  c.oauth.grant = OAuthSettings::Grant::client_credentials;
  c.oauth.pre_registered = ClientCredentials{"svc-client", std::string("svc-secret-value"), std::nullopt};
  return c;
}

// spec: RFC 6749 §4.4.2 with client_secret_basic; extension oauth-client-credentials
TEST(ClientCredentials, SecretBasicNoBrowser) {
  FakeAs as;
  as.metadata["token_endpoint_auth_methods_supported"] = {"client_secret_basic"};
  Host h;
  as.install(h);
  h.routes.insert(h.routes.begin(), [&](const transport::HttpRequest& r) -> std::optional<testing::Reply> {
    if (r.url != "https://auth.duvo.ai/token") return std::nullopt;
    if (form_param(r.body, "grant_type") != "client_credentials") return json_reply(400, R"({"error":"x"})");
    std::string expected = "Basic " + base64_std_encode("svc-client:svc-secret-value");
    if (transport::find_header(r.headers, "authorization") != std::string_view(expected)) {
      return json_reply(401, R"({"error":"invalid_client"})");
    }
    return json_reply(200, R"({"access_token":"cc-1","token_type":"Bearer","expires_in":60})");
  });
  Authorizer a(client_credentials_config(as));
  a.handle_unauthorized(R"(Bearer scope="runs:read")", h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_TRUE(h.outcomes[0].ok()) << h.outcomes[0].error().message;
  EXPECT_TRUE(h.opened.empty());
  EXPECT_EQ(as.registrations, 0);
  const auto& token_req = h.requests.back();
  EXPECT_EQ(form_param(token_req.body, "scope"), "runs:read");
  EXPECT_EQ(form_param(token_req.body, "resource"), "https://api.duvo.ai/v2/mcp");
  EXPECT_EQ(a.headers_for(as.server_url).at(0).second, "Bearer cc-1");
  // Expiry: a new client_credentials request, still without a browser.
  h.now += 61 * 1000;
  EXPECT_FALSE(a.ensure(h.now));
  h.pump(a);
  EXPECT_TRUE(h.outcomes.back().ok());
  EXPECT_TRUE(h.opened.empty());
}

// spec: RFC 7523 §2.2 private_key_jwt; SPEC.md "iss=sub=client_id, aud = AS issuer"
TEST(ClientCredentials, PrivateKeyJwtSignedByTheHost) {
  FakeAs as;
  as.metadata["token_endpoint_auth_methods_supported"] = {"private_key_jwt"};
  Host h;
  as.install(h);
  std::string assertion;
  h.routes.insert(h.routes.begin(), [&](const transport::HttpRequest& r) -> std::optional<testing::Reply> {
    if (r.url != "https://auth.duvo.ai/token") return std::nullopt;
    assertion = form_param(r.body, "client_assertion");
    if (form_param(r.body, "client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" ||
        transport::find_header(r.headers, "authorization") || form_param(r.body, "client_secret") != "<absent>") {
      return json_reply(401, R"({"error":"invalid_client"})");
    }
    return json_reply(200, R"({"access_token":"cc-jwt","token_type":"Bearer"})");
  });
  AuthConfig c = client_credentials_config(as);
  c.oauth.pre_registered->client_secret.reset();
  c.oauth.signing_key_id = "host-key-7";
  Authorizer a(c);
  a.ensure(h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_TRUE(h.outcomes[0].ok()) << h.outcomes[0].error().message;
  ASSERT_EQ(h.signed_inputs.size(), 1u);
  EXPECT_EQ(h.signed_inputs[0].key_id, "host-key-7");
  EXPECT_EQ(h.signed_inputs[0].alg, "ES256");
  // The assertion is the signed input plus the host's signature.
  EXPECT_EQ(assertion, h.signed_inputs[0].signing_input + "." +
                           base64url_encode(Host::fake_signature("host-key-7", h.signed_inputs[0].signing_input)));
  auto payload = decode_part(assertion, 1);
  ASSERT_TRUE(payload.has_value());
  EXPECT_EQ(find_string(*payload, "iss"), "svc-client");
  EXPECT_EQ(find_string(*payload, "sub"), "svc-client");
  EXPECT_EQ(find_string(*payload, "aud"), "https://auth.duvo.ai");
  EXPECT_EQ(a.headers_for(as.server_url).at(0).second, "Bearer cc-jwt");
}

TEST(ClientCredentials, NeedsAPreRegisteredClientAndRedactsTheAssertion) {
  FakeAs as;
  Host h;
  as.install(h);
  AuthConfig c = as.config();
  c.oauth.grant = OAuthSettings::Grant::client_credentials;
  Authorizer a(c);
  a.ensure(h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_TRUE(h.outcomes[0].error().is(NO_CLIENT_IDENTITY));
  EXPECT_EQ(as.registrations, 0);

  // A server echoing the assertion in its error: it is masked.
  FakeAs as2;
  Host h2;
  as2.install(h2);
  h2.routes.insert(h2.routes.begin(), [&](const transport::HttpRequest& r) -> std::optional<testing::Reply> {
    if (r.url != "https://auth.duvo.ai/token") return std::nullopt;
    return json_reply(400, R"({"error":"invalid_client","error_description":")" +
                               form_param(r.body, "client_assertion") + "\"}");
  });
  AuthConfig c2 = client_credentials_config(as2);
  c2.oauth.signing_key_id = "k";
  Authorizer b(c2);
  b.ensure(h2.now);
  h2.pump(b);
  ASSERT_EQ(h2.outcomes.size(), 1u);
  ASSERT_FALSE(h2.outcomes[0].ok());
  EXPECT_TRUE(h2.outcomes[0].error().is(TOKEN_ERROR));
  ASSERT_EQ(h2.signed_inputs.size(), 1u);
  // Neither the assertion nor any piece of its signature appears.
  std::string signature = base64url_encode(Host::fake_signature("k", h2.signed_inputs[0].signing_input));
  EXPECT_EQ(h2.outcomes[0].error().message.find(h2.signed_inputs[0].signing_input), std::string::npos);
  EXPECT_EQ(h2.outcomes[0].error().message.find(signature.substr(0, 12)), std::string::npos);
  EXPECT_NE(h2.outcomes[0].error().message.find("[redacted]"), std::string::npos);
}

}  // namespace
}  // namespace mcpw::auth
