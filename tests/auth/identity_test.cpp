// The Authorizer by transcript: client identity — pre-registered (bound to
// an issuer), CIMD, DCR, stored per issuer, authorization-server migration.

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



// spec: SPEC.md client identity order: pre-registered first; RFC 6749 §2.3.1 basic
TEST(Identity, PreRegisteredClientWithSecretBasic) {
  FakeAs as;
  as.expected_client_id = "pre-client";
  as.expected_client_secret = "pre-secret-value";
  as.expected_auth = "client_secret_basic";
  Host h;
  as.install(h);
  AuthConfig c = as.config();
  c.oauth.pre_registered = ClientCredentials{"pre-client", std::string("pre-secret-value"), std::nullopt};
  Authorizer a(c);
  a.ensure(h.now);
  h.pump(a);
  expect_one_ok(h);
  EXPECT_EQ(as.registrations, 0);
  EXPECT_EQ(query_param(h.opened[0], "client_id"), "pre-client");
  // Bound to another issuer: never presented here; DCR instead.
  FakeAs other;
  Host h2;
  other.install(h2);
  c.oauth.pre_registered_issuer = "https://login.other.example";
  Authorizer b(c);
  b.ensure(h2.now);
  h2.pump(b);
  expect_one_ok(h2);
  EXPECT_EQ(other.registrations, 1);
  EXPECT_EQ(query_param(h2.opened[0], "client_id"), "dcr-client-1");
}

TEST(Identity, PreRegisteredClientWithSecretPost) {
  FakeAs as;
  as.metadata["token_endpoint_auth_methods_supported"] = {"client_secret_post"};
  as.expected_client_id = "pre-client";
  as.expected_client_secret = "pre-secret-value";
  as.expected_auth = "client_secret_post";
  Host h;
  as.install(h);
  AuthConfig c = as.config();
  c.oauth.pre_registered = ClientCredentials{"pre-client", std::string("pre-secret-value"), std::nullopt};
  Authorizer a(c);
  a.ensure(h.now);
  h.pump(a);
  expect_one_ok(h);
}

// spec: CIMD (client_id_metadata_document_supported): the client_id is an https URL
TEST(Identity, ClientIdMetadataDocumentWhenSupported) {
  FakeAs as;
  as.metadata["client_id_metadata_document_supported"] = true;
  as.expected_client_id = "https://app.example.com/oauth/client.json";
  Host h;
  as.install(h);
  AuthConfig c = as.config();
  c.oauth.client_metadata_url = "https://app.example.com/oauth/client.json";
  Authorizer a(c);
  a.ensure(h.now);
  h.pump(a);
  expect_one_ok(h);
  EXPECT_EQ(as.registrations, 0);
  EXPECT_EQ(query_param(h.opened[0], "client_id"), "https://app.example.com/oauth/client.json");
  // Not supported by the AS: DCR instead.
  FakeAs dcr;
  Host h2;
  dcr.install(h2);
  Authorizer b(c);
  b.ensure(h2.now);
  h2.pump(b);
  expect_one_ok(h2);
  EXPECT_EQ(dcr.registrations, 1);
}

// spec: SPEC.md "Credentials are keyed by issuer ... never present one AS's client id to another"
TEST(Identity, RegisteredClientIsReusedPerIssuerOnly) {
  FakeAs as;
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.ensure(h.now);
  h.pump(a);
  expect_one_ok(h);
  EXPECT_EQ(as.registrations, 1);
  // A second machine (another tab) with the same storage and no tokens.
  h.storage->erase(a.tokens_key());
  Host h2;
  h2.storage = h.storage;
  as.install(h2);
  Authorizer b(as.config());
  b.ensure(h2.now);
  h2.pump(b);
  expect_one_ok(h2);
  EXPECT_EQ(as.registrations, 1);
  // The AS migrates: the new issuer gets its own registration.
  FakeAs moved;
  moved.issuer = "https://login.duvo.ai";
  moved.prm["authorization_servers"] = {moved.issuer};
  moved.as_metadata_url = "https://login.duvo.ai/.well-known/oauth-authorization-server";
  moved.metadata["issuer"] = moved.issuer;
  moved.metadata["authorization_endpoint"] = moved.issuer + "/authorize";
  moved.metadata["token_endpoint"] = moved.issuer + "/token";
  moved.metadata["registration_endpoint"] = moved.issuer + "/register";
  moved.registrations = 10;  // its ids differ from the first AS's
  h.storage->erase(a.tokens_key());
  Host h3;
  h3.storage = h.storage;
  moved.install(h3);
  Authorizer c(moved.config());
  c.ensure(h3.now);
  h3.pump(c);
  expect_one_ok(h3);
  EXPECT_EQ(moved.registrations, 11);
  EXPECT_EQ(query_param(h3.opened[0], "client_id"), "dcr-client-11");
  EXPECT_EQ(h.storage->count(c.client_key("https://login.duvo.ai")), 1u);
  EXPECT_EQ(h.storage->count(c.client_key("https://auth.duvo.ai")), 1u);
}

// spec: SEP-2352 authorization-server migration within one connection
TEST(Identity, AuthorizationServerMigrationReRegisters) {
  FakeAs as1;
  FakeAs as2;
  as2.issuer = "https://login.duvo.ai";
  as2.as_metadata_url = "https://login.duvo.ai/.well-known/oauth-authorization-server";
  as2.metadata["issuer"] = as2.issuer;
  as2.metadata["authorization_endpoint"] = as2.issuer + "/authorize";
  as2.metadata["token_endpoint"] = as2.issuer + "/token";
  as2.metadata["registration_endpoint"] = as2.issuer + "/register";
  as2.registrations = 10;
  bool migrated = false;
  Host h;
  h.routes.push_back([&](const transport::HttpRequest& r) -> std::optional<testing::Reply> {
    if (r.url != as1.prm_url) return std::nullopt;
    json prm = as1.prm;
    if (migrated) prm["authorization_servers"] = {as2.issuer};
    return json_reply(200, dump_json(prm));
  });
  as1.install(h);
  as2.install(h);
  h.browser = [&](const std::string& url) {
    return url.rfind(as2.issuer, 0) == 0 ? as2.authorize(url) : as1.authorize(url);
  };
  as1.rotate_refresh = true;
  Authorizer a(as1.config());
  a.handle_unauthorized(DUVO_CHALLENGE, h.now);
  h.pump(a);
  expect_one_ok(h);
  ASSERT_EQ(as1.registrations, 1);
  migrated = true;
  as1.live_refresh.clear();  // AS1 no longer honours its tokens
  a.handle_unauthorized(DUVO_CHALLENGE, h.now);  // refresh at AS1 fails, then a new sign-in
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 2u);
  EXPECT_TRUE(h.outcomes[1].ok()) << h.outcomes[1].error().message;
  EXPECT_EQ(as2.registrations, 11);
  ASSERT_EQ(as2.authorize_urls.size(), 1u);
  EXPECT_EQ(query_param(as2.authorize_urls[0], "client_id"), "dcr-client-11");
  for (const auto& body : as2.token_bodies) EXPECT_EQ(body.find("dcr-client-1&"), std::string::npos) << body;
  for (const auto& r : h.requests) {
    if (r.url.rfind(as2.issuer, 0) == 0) EXPECT_EQ(r.body.find("dcr-client-1\""), std::string::npos);
  }
  EXPECT_EQ(a.tokens()->issuer, "https://login.duvo.ai");
}

// RFC 6749 §5.2 invalid_client: a forgotten registration is dropped, then redone
TEST(Identity, InvalidClientDropsTheStoredRegistration) {
  FakeAs as;
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.ensure(h.now);
  h.pump(a);
  expect_one_ok(h);
  ASSERT_EQ(h.storage->count(a.client_key(as.issuer)), 1u);
  as.expected_client_id = "someone-else";  // the AS forgot dcr-client-1
  h.storage->erase(a.tokens_key());
  Authorizer b(as.config());
  b.ensure(h.now);
  h.pump(b);
  ASSERT_EQ(h.outcomes.size(), 2u);
  EXPECT_TRUE(h.outcomes[1].error().is(TOKEN_ERROR));
  EXPECT_EQ(h.storage->count(a.client_key(as.issuer)), 0u);
  Authorizer c(as.config());
  c.ensure(h.now);
  h.pump(c);
  ASSERT_EQ(h.outcomes.size(), 3u);
  EXPECT_TRUE(h.outcomes[2].ok()) << h.outcomes[2].error().message;
  EXPECT_EQ(as.registrations, 2);
}

TEST(Identity, NoRegistrationNoCimdMeansNoClientIdentity) {
  FakeAs as;
  as.metadata.erase("registration_endpoint");
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.ensure(h.now);
  h.pump(a);
  expect_one_error(h, NO_CLIENT_IDENTITY);
}

TEST(Identity, RegistrationRefused) {
  FakeAs as;
  Host h;
  h.routes.push_back([](const transport::HttpRequest& r) -> std::optional<testing::Reply> {
    if (r.url == "https://auth.duvo.ai/register") {
      return json_reply(400, R"({"error":"invalid_redirect_uri","error_description":"nope"})");
    }
    return std::nullopt;
  });
  as.install(h);
  Authorizer a(as.config());
  a.ensure(h.now);
  h.pump(a);
  expect_one_error(h, REGISTRATION_FAILED);
  EXPECT_NE(h.outcomes[0].error().message.find("invalid_redirect_uri"), std::string::npos);
}

}  // namespace
}  // namespace mcpw::auth
