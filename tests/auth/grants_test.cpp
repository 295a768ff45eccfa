// Extension grants: client credentials with client_secret_basic and with
// private_key_jwt (the host signs; here a stand-in signature), SEP-1046.

#include <gtest/gtest.h>

#include <set>

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

// spec: RFC 9449 §4.2 proof syntax, §7.1 ath example
TEST(Dpop, ProofShape) {
  EXPECT_EQ(compute_ath("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"), "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
  EXPECT_EQ(*dpop_htu("https://api.duvo.ai/v2/mcp?x=1#f"), "https://api.duvo.ai/v2/mcp");
  const std::string jwk = R"({"kty":"EC","crv":"P-256","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"})";
  auto input = build_dpop_proof_input(jwk, "ES256", "POST", "https://as.example/token?x=1", 1'700'000'000'000,
                                      std::string(16, '\x02'), "server-nonce", "at-1");
  ASSERT_TRUE(input.ok()) << input.error().message;
  auto header = decode_part(*input, 0);
  auto payload = decode_part(*input, 1);
  ASSERT_TRUE(header && payload);
  EXPECT_EQ(find_string(*header, "typ"), "dpop+jwt");
  EXPECT_EQ(find_string(*header, "alg"), "ES256");
  EXPECT_EQ(dump_json(*find_member(*header, "jwk")), dump_json(*parse_json(jwk)));
  EXPECT_EQ(find_string(*payload, "htm"), "POST");
  EXPECT_EQ(find_string(*payload, "htu"), "https://as.example/token");
  EXPECT_EQ(find_integer(*payload, "iat"), 1'700'000'000);
  EXPECT_EQ(find_string(*payload, "nonce"), "server-nonce");
  EXPECT_EQ(find_string(*payload, "ath"), compute_ath("at-1"));
  EXPECT_EQ(find_string(*payload, "jti")->size(), 22u);
  auto bare = build_dpop_proof_input(jwk, "ES256", "GET", "https://r.example/x", 0, "j");
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(find_member(*decode_part(*bare, 1), "nonce"));
  EXPECT_FALSE(find_member(*decode_part(*bare, 1), "ath"));
  // A private key must never be put in a header.
  EXPECT_FALSE(build_dpop_proof_input(R"({"kty":"EC","d":"secret"})", "ES256", "GET", "https://r/x", 0, "j").ok());
  EXPECT_FALSE(build_dpop_proof_input("[]", "ES256", "GET", "https://r/x", 0, "j").ok());
  EXPECT_FALSE(build_dpop_proof_input(jwk, "ES256", "GET", "/relative", 0, "j").ok());
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

// spec: RFC 7523 §2.1 JWT bearer grant; SEP-1933 workload identity: errors are not retried
TEST(JwtBearer, WorkloadAssertionWithoutClient) {
  FakeAs as;
  Host h;
  as.install(h);
  int token_requests = 0;
  h.routes.insert(h.routes.begin(), [&](const transport::HttpRequest& r) -> std::optional<testing::Reply> {
    if (r.url != "https://auth.duvo.ai/token") return std::nullopt;
    ++token_requests;
    if (form_param(r.body, "grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" ||
        form_param(r.body, "client_id") != "<absent>" || transport::find_header(r.headers, "authorization")) {
      return json_reply(400, R"({"error":"unsupported_grant_type"})");
    }
    if (form_param(r.body, "assertion") == "workload.jwt.ok") {
      return json_reply(200, R"({"access_token":"wif-1","token_type":"Bearer","expires_in":300})");
    }
    return json_reply(400, R"({"error":"invalid_grant"})");
  });
  AuthConfig c = as.config();
  c.oauth.grant = OAuthSettings::Grant::jwt_bearer;
  c.oauth.assertion = "workload.jwt.ok";
  Authorizer a(c);
  a.ensure(h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_TRUE(h.outcomes[0].ok()) << h.outcomes[0].error().message;
  EXPECT_EQ(a.headers_for(as.server_url).at(0).second, "Bearer wif-1");
  EXPECT_EQ(as.registrations, 0);
  EXPECT_TRUE(h.opened.empty());

  c.oauth.assertion = "workload.jwt.expired";
  Authorizer b(c);
  Host h2;
  as.install(h2);
  h2.routes = h.routes;
  token_requests = 0;
  b.ensure(h2.now);
  h2.pump(b);
  h2.run_timers(b);
  ASSERT_EQ(h2.outcomes.size(), 1u);
  ASSERT_FALSE(h2.outcomes[0].ok());
  EXPECT_TRUE(h2.outcomes[0].error().is(TOKEN_ERROR));
  EXPECT_EQ(token_requests, 1);  // no retry, no other grant
  EXPECT_EQ(h2.outcomes[0].error().message.find("workload.jwt.expired"), std::string::npos);
}

// spec: RFC 8693 §2.1 token exchange for an ID-JAG, then RFC 7523 at the AS (SEP-990)
TEST(Enterprise, TokenExchangeThenJwtBearer) {
  FakeAs as;
  Host h;
  as.install(h);
  h.routes.insert(h.routes.begin(), [&](const transport::HttpRequest& r) -> std::optional<testing::Reply> {
    if (r.url == "https://idp.example.com/token") {
      bool ok = form_param(r.body, "grant_type") == "urn:ietf:params:oauth:grant-type:token-exchange" &&
                form_param(r.body, "subject_token") == "user.id.token" &&
                form_param(r.body, "subject_token_type") == "urn:ietf:params:oauth:token-type:id_token" &&
                form_param(r.body, "requested_token_type") == "urn:ietf:params:oauth:token-type:id-jag" &&
                form_param(r.body, "audience") == "https://auth.duvo.ai" &&
                form_param(r.body, "resource") == "https://api.duvo.ai/v2/mcp" &&
                form_param(r.body, "client_id") == "idp-client";
      if (!ok) return json_reply(400, R"({"error":"invalid_request"})");
      return json_reply(200, R"({"access_token":"the.id.jag","issued_token_type":"urn:ietf:params:oauth:token-type:id-jag","token_type":"N_A"})");
    }
    if (r.url == "https://auth.duvo.ai/token") {
      std::string basic = "Basic " + base64_std_encode("mcp-client:mcp-secret-value");
      if (form_param(r.body, "grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" ||
          form_param(r.body, "assertion") != "the.id.jag" ||
          transport::find_header(r.headers, "authorization") != std::string_view(basic)) {
        return json_reply(401, R"({"error":"invalid_client"})");
      }
      return json_reply(200, R"({"access_token":"ema-1","token_type":"Bearer"})");
    }
    return std::nullopt;
  });
  AuthConfig c = as.config();
  c.oauth.grant = OAuthSettings::Grant::enterprise;
  c.oauth.pre_registered = ClientCredentials{"mcp-client", std::string("mcp-secret-value"), std::nullopt};
  c.oauth.id_token = "user.id.token";
  c.oauth.idp_token_endpoint = "https://idp.example.com/token";
  c.oauth.idp_client = ClientCredentials{"idp-client", std::nullopt, std::nullopt};
  Authorizer a(c);
  a.ensure(h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_TRUE(h.outcomes[0].ok()) << h.outcomes[0].error().message;
  EXPECT_EQ(a.headers_for(as.server_url).at(0).second, "Bearer ema-1");
  EXPECT_TRUE(h.opened.empty());
  // Plain http to a remote IdP is refused.
  c.oauth.idp_token_endpoint = "http://idp.example.com/token";
  Authorizer b(c);
  Host h2;
  as.install(h2);
  b.ensure(h2.now);
  h2.pump(b);
  ASSERT_EQ(h2.outcomes.size(), 1u);
  EXPECT_TRUE(h2.outcomes[0].error().is(INSECURE_ENDPOINT));
}

constexpr const char* DPOP_JWK =
    R"({"kty":"EC","crv":"P-256","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"})";

// Checks one proof the way an AS or RS does (RFC 9449 §4.3), with the
// stand-in signature; returns its payload or an empty object.
json check_proof(std::string_view proof, std::string_view htm, std::string_view htu, std::uint64_t now_ms) {
  auto header = decode_part(proof, 0);
  auto payload = decode_part(proof, 1);
  if (!header || !payload) return json::object();
  std::string input(proof.substr(0, proof.rfind('.')));
  if (proof.substr(proof.rfind('.') + 1) != base64url_encode(Host::fake_signature("dpop-key", input))) return json::object();
  if (find_string(*header, "typ") != "dpop+jwt" || find_string(*header, "alg") != "ES256") return json::object();
  const json* jwk = find_member(*header, "jwk");
  if (!jwk || find_member(*jwk, "d") || find_string(*jwk, "kty") != "EC") return json::object();
  if (find_string(*payload, "htm") != htm || find_string(*payload, "htu") != htu) return json::object();
  if (find_integer(*payload, "iat") != static_cast<std::int64_t>(now_ms / 1000)) return json::object();
  if (!find_string(*payload, "jti")) return json::object();
  return *payload;
}

// spec: RFC 9449 §5 (token request proof), §8 (AS nonce), §7.1 (resource proofs with ath), §9 (RS nonce)
TEST(Dpop, TokenAndResourceProofsWithNonces) {
  FakeAs as;
  Host h;
  as.install(h);
  std::set<std::string> jtis;
  int token_calls = 0;
  h.routes.insert(h.routes.begin(), [&](const transport::HttpRequest& r) -> std::optional<testing::Reply> {
    if (r.url != "https://auth.duvo.ai/token") return std::nullopt;
    ++token_calls;
    auto proof = transport::find_header(r.headers, "DPoP");
    if (!proof) return json_reply(400, R"({"error":"invalid_dpop_proof"})");
    json payload = check_proof(*proof, "POST", "https://auth.duvo.ai/token", h.now);
    if (payload.empty()) return json_reply(400, R"({"error":"invalid_dpop_proof"})");
    if (!jtis.insert(std::string(*find_string(payload, "jti"))).second) return json_reply(400, R"({"error":"replay"})");
    if (find_string(payload, "nonce") != "as-nonce-1") {
      testing::Reply reply = json_reply(400, R"({"error":"use_dpop_nonce"})");
      reply.headers.emplace_back("DPoP-Nonce", "as-nonce-1");
      return reply;
    }
    return json_reply(200, R"({"access_token":"dpop-at-1","token_type":"DPoP","expires_in":3600})");
  });
  AuthConfig c = as.config();
  c.oauth.dpop_key_id = "dpop-key";
  c.oauth.dpop_public_jwk = DPOP_JWK;
  c.oauth.dpop_seed = std::string(32, '\x07');
  Authorizer a(c);
  a.ensure(h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  ASSERT_TRUE(h.outcomes[0].ok()) << h.outcomes[0].error().message;
  EXPECT_EQ(token_calls, 2);  // nonce challenge, then success
  EXPECT_TRUE(a.uses_dpop());
  EXPECT_TRUE(a.headers_for(as.server_url).empty());  // never as a bearer token

  // A request to the server: the proof binds method, URL and token.
  std::uint64_t id = a.begin_request_proof("POST", "https://api.duvo.ai/v2/mcp?x=1", h.now);
  ASSERT_NE(id, 0u);
  h.pump(a);
  auto proof = a.poll_proof();
  ASSERT_TRUE(proof.has_value());
  EXPECT_EQ(proof->proof, id);
  EXPECT_EQ(transport::find_header(proof->headers, "authorization"), "DPoP dpop-at-1");
  auto dpop = transport::find_header(proof->headers, "dpop");
  ASSERT_TRUE(dpop.has_value());
  json payload = check_proof(*dpop, "POST", "https://api.duvo.ai/v2/mcp", h.now);
  ASSERT_FALSE(payload.empty());
  EXPECT_EQ(find_string(payload, "ath"), compute_ath("dpop-at-1"));
  EXPECT_FALSE(find_member(payload, "nonce"));
  EXPECT_EQ(a.begin_request_proof("GET", "https://evil.example/v2/mcp", h.now), 0u);

  // The server asks for a nonce: no new token, the next proof carries it.
  a.note_resource_nonce("rs-nonce-9");
  a.handle_unauthorized(R"(DPoP error="use_dpop_nonce", error_description="Resource server requires nonce")", h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 2u);
  EXPECT_TRUE(h.outcomes[1].ok());
  EXPECT_EQ(token_calls, 2);
  std::uint64_t id2 = a.begin_request_proof("POST", "https://api.duvo.ai/v2/mcp", h.now);
  h.pump(a);
  auto proof2 = a.poll_proof();
  ASSERT_TRUE(proof2 && proof2->proof == id2);
  json payload2 = check_proof(*transport::find_header(proof2->headers, "dpop"), "POST", "https://api.duvo.ai/v2/mcp",
                              h.now);
  EXPECT_EQ(find_string(payload2, "nonce"), "rs-nonce-9");
  EXPECT_NE(find_string(payload2, "jti"), find_string(payload, "jti"));
}

TEST(Dpop, RetriedTokenRequestsAreSignedAgain) {
  FakeAs as;
  Host h;
  as.install(h);
  std::set<std::string> jtis;
  int calls = 0;
  h.routes.insert(h.routes.begin(), [&](const transport::HttpRequest& r) -> std::optional<testing::Reply> {
    if (r.url != "https://auth.duvo.ai/token") return std::nullopt;
    auto proof = transport::find_header(r.headers, "DPoP");
    if (!proof) return json_reply(400, R"({"error":"invalid_dpop_proof"})");
    json payload = check_proof(*proof, "POST", "https://auth.duvo.ai/token", h.now);
    if (payload.empty() || !jtis.insert(std::string(*find_string(payload, "jti"))).second) {
      return json_reply(400, R"({"error":"invalid_dpop_proof"})");
    }
    if (++calls < 3) return json_reply(503, "busy");
    return json_reply(200, R"({"access_token":"dpop-at","token_type":"DPoP"})");
  });
  AuthConfig c = as.config();
  c.oauth.dpop_key_id = "dpop-key";
  c.oauth.dpop_public_jwk = DPOP_JWK;
  c.oauth.dpop_seed = std::string(16, '\x01');
  Authorizer a(c);
  a.ensure(h.now);
  h.pump(a);
  h.run_timers(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_TRUE(h.outcomes[0].ok()) << h.outcomes[0].error().message;
  EXPECT_EQ(jtis.size(), 3u);

  // Without a seed, DPoP is a configuration error.
  c.oauth.dpop_seed.clear();
  Authorizer b(c);
  Host h2;
  as.install(h2);
  b.ensure(h2.now);
  h2.pump(b);
  ASSERT_EQ(h2.outcomes.size(), 1u);
  EXPECT_TRUE(h2.outcomes[0].error().is(INVALID_CONFIG));
}

}  // namespace
}  // namespace mcpw::auth
