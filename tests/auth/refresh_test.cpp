// The Authorizer after sign-in: stored tokens, refresh (before expiry, on
// 401, races between two machines sharing storage), step-up, retries,
// secrets in errors, and hostile answers.

#include <gtest/gtest.h>

#include <random>

#include "fake_as.h"

namespace mcpw::auth {
namespace {

using testing::FakeAs;
using testing::form_param;
using testing::Host;
using testing::json_reply;
using testing::query_param;

void sign_in(FakeAs& as, Host& h, Authorizer& a) {
  as.install(h);
  a.ensure(h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  ASSERT_TRUE(h.outcomes[0].ok()) << h.outcomes[0].error().message;
  h.outcomes.clear();
  h.requests.clear();
  h.opened.clear();
}

std::string bearer(const Authorizer& a) {
  auto headers = a.headers_for("https://api.duvo.ai/v2/mcp");
  return headers.empty() ? "" : headers[0].second;
}

// spec: issue 4 "credentials keyed by issuer" — a stored record skips discovery
TEST(Tokens, StoredTokenIsUsedWithoutAnyRequest) {
  FakeAs as;
  Host h;
  Authorizer a(as.config());
  sign_in(as, h, a);
  Host h2;
  h2.storage = h.storage;
  Authorizer b(as.config());
  EXPECT_FALSE(b.ensure(h2.now));
  h2.pump(b);
  ASSERT_EQ(h2.outcomes.size(), 1u);
  EXPECT_TRUE(h2.outcomes[0].ok());
  EXPECT_TRUE(h2.requests.empty());
  EXPECT_EQ(bearer(b), "Bearer at-1");
  EXPECT_TRUE(b.ensure(h2.now));
}

TEST(Tokens, RecordRoundTripAndJunk) {
  TokenRecord r;
  r.issuer = "https://as";
  r.token_endpoint = "https://as/token";
  r.client = ClientCredentials{"c", std::string("s"), std::string("client_secret_post")};
  r.resource = "https://api/mcp";
  r.access_token = "a";
  r.refresh_token = "b";
  r.expires_at_ms = 123;
  r.obtained_at_ms = 100;
  r.scope = "x y";
  auto back = parse_token_record(dump_token_record(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(dump_token_record(*back), dump_token_record(r));
  for (const char* bad : {"", "{}", "[1]", R"({"v":2,"issuer":"a"})", R"({"v":1,"issuer":"a"})"}) {
    EXPECT_FALSE(parse_token_record(bad).has_value()) << bad;
  }
  // spec: RFC 9449 §6 — a DPoP-bound token keeps its binding in storage, and
  // is no use to a client signing with another key.
  r.dpop = true;
  r.dpop_jwk = R"({"kty":"EC","x":"1"})";
  auto bound = parse_token_record(dump_token_record(r));
  ASSERT_TRUE(bound.has_value());
  EXPECT_TRUE(bound->dpop);
  EXPECT_TRUE(parse_token_record_for(dump_token_record(r), r.dpop_jwk).has_value());
  EXPECT_FALSE(parse_token_record_for(dump_token_record(r), R"({"kty":"EC","x":"2"})").has_value());
}

// spec: issue 4 "refresh before expiry"; RFC 6749 §6
TEST(Refresh, BeforeExpiry) {
  FakeAs as;
  Host h;
  Authorizer a(as.config());
  sign_in(as, h, a);
  h.now += 3600 * 1000 - 120 * 1000;  // two minutes left: still fine (skew 60 s)
  EXPECT_TRUE(a.ensure(h.now));
  h.now += 90 * 1000;  // 30 s left: refresh
  EXPECT_FALSE(a.ensure(h.now));
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_TRUE(h.outcomes[0].ok());
  ASSERT_EQ(h.requests.size(), 1u);
  EXPECT_EQ(form_param(h.requests[0].body, "grant_type"), "refresh_token");
  EXPECT_EQ(form_param(h.requests[0].body, "refresh_token"), "rt-1");
  EXPECT_EQ(form_param(h.requests[0].body, "resource"), "https://api.duvo.ai/v2/mcp");
  EXPECT_EQ(form_param(h.requests[0].body, "client_id"), "dcr-client-1");
  EXPECT_EQ(bearer(a), "Bearer at-2");
  auto stored = parse_token_record(h.storage->at(a.tokens_key()));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->refresh_token, "rt-2");  // rotation persisted
}

TEST(Refresh, ShortLivedTokensDoNotLoop) {
  FakeAs as;
  as.expires_in = 30;  // shorter than the 60 s skew
  Host h;
  Authorizer a(as.config());
  sign_in(as, h, a);
  EXPECT_TRUE(a.ensure(h.now + 5000));
  EXPECT_FALSE(a.ensure(h.now + 20000));
}

// spec: issue 4 "refresh ... on 401"
TEST(Refresh, On401ThenSignInAgain) {
  FakeAs as;
  Host h;
  Authorizer a(as.config());
  sign_in(as, h, a);
  a.handle_unauthorized(R"(Bearer error="invalid_token")", h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_TRUE(h.outcomes[0].ok());
  EXPECT_TRUE(h.opened.empty());
  EXPECT_EQ(bearer(a), "Bearer at-2");
  // The refreshed token is refused too: interactive sign-in, once.
  a.handle_unauthorized(R"(Bearer error="invalid_token")", h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 2u);
  EXPECT_TRUE(h.outcomes[1].ok());
  EXPECT_EQ(h.opened.size(), 1u);
  EXPECT_EQ(bearer(a), "Bearer at-3");
  // And a server that refuses everything is given up on.
  a.handle_unauthorized("Bearer", h.now);
  h.pump(a);
  a.handle_unauthorized("Bearer", h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 4u);
  ASSERT_FALSE(h.outcomes[3].ok());
  EXPECT_TRUE(h.outcomes[3].error().is(UNAUTHORIZED));
  a.note_success();
  a.handle_unauthorized("Bearer", h.now);
  h.pump(a);
  EXPECT_TRUE(h.outcomes.back().ok());
}

// spec: issue 4 "on invalid_grant re-read storage before wiping" (two clients, one storage)
TEST(Refresh, RaceBetweenTwoTabsAdoptsTheWinner) {
  FakeAs as;
  Host h1;
  Authorizer tab1(as.config());
  sign_in(as, h1, tab1);
  Host h2;
  h2.storage = h1.storage;
  as.install(h2);
  Authorizer tab2(as.config());
  tab2.ensure(h2.now);
  h2.pump(tab2);  // loads rt-1 / at-1 from storage
  ASSERT_EQ(h2.outcomes.size(), 1u);
  // Both near expiry; tab2 refreshes first and rotates rt-1 away.
  std::uint64_t later = h1.now + 3590 * 1000;
  h1.now = h2.now = later;
  EXPECT_FALSE(tab2.ensure(later));
  h2.pump(tab2);
  EXPECT_EQ(bearer(tab2), "Bearer at-2");
  // tab1 still holds rt-1: invalid_grant, re-read, adopt tab2's tokens.
  EXPECT_FALSE(tab1.ensure(later));
  h1.pump(tab1);
  ASSERT_EQ(h1.outcomes.size(), 1u);
  EXPECT_TRUE(h1.outcomes[0].ok());
  EXPECT_TRUE(h1.opened.empty());
  EXPECT_EQ(bearer(tab1), "Bearer at-2");
  EXPECT_EQ(as.tokens_issued, 2);
}

// spec: issue 4 "single-flight per issuer/client/resource (also across tabs
// and isolates through the storage adapter)"
TEST(Locks, OneRefreshAcrossTabs) {
  FakeAs as;
  Host h1;
  AuthConfig c = as.config();
  c.use_locks = true;
  Authorizer tab1(c);
  sign_in(as, h1, tab1);
  Host h2;
  h2.storage = h1.storage;
  h2.locks = h1.locks;
  as.install(h2);
  Authorizer tab2(c);
  tab2.ensure(h2.now);
  h2.pump(tab2);
  ASSERT_EQ(h2.outcomes.size(), 1u);
  h2.outcomes.clear();
  std::uint64_t later = h1.now + 3590 * 1000;
  h1.now = h2.now = later;
  // Both want to refresh; tab2's host grants its lock first, tab1 queues.
  EXPECT_FALSE(tab1.ensure(later));
  EXPECT_FALSE(tab2.ensure(later));
  h2.pump(tab2);  // tab2: AcquireLock is granted (tab1 has not polled yet)
  h1.pump(tab1);  // tab1: waits
  EXPECT_TRUE(h1.requests.empty());
  ASSERT_EQ(h2.requests.size(), 1u);  // tab2 refreshed once
  ASSERT_EQ(h2.outcomes.size(), 1u);
  EXPECT_TRUE(h2.outcomes[0].ok());
  // tab2's release handed the lock to tab1, which re-reads storage and adopts.
  h1.pump(tab1);
  ASSERT_EQ(h1.outcomes.size(), 1u);
  EXPECT_TRUE(h1.outcomes[0].ok());
  EXPECT_TRUE(h1.requests.empty());
  EXPECT_EQ(bearer(tab1), "Bearer at-2");
  EXPECT_EQ(bearer(tab2), "Bearer at-2");
  EXPECT_EQ(as.tokens_issued, 2);
  EXPECT_TRUE(h1.locks->held.empty());
}

// spec: issue 4 "never more than one interactive sign-in at a time"
TEST(Locks, OneSignInAcrossTabs) {
  FakeAs as;
  AuthConfig c = as.config();
  c.use_locks = true;
  Host h1;
  as.install(h1);
  h1.browser = nullptr;  // the user is still signing in
  Host h2;
  h2.storage = h1.storage;
  h2.locks = h1.locks;
  as.install(h2);
  Authorizer tab1(c);
  Authorizer tab2(c);
  tab1.ensure(h1.now);
  tab2.ensure(h2.now);
  h1.pump(tab1);
  h2.pump(tab2);
  ASSERT_EQ(h1.opened.size(), 1u);
  EXPECT_TRUE(h2.opened.empty());
  EXPECT_TRUE(h2.requests.empty());
  tab1.handle_redirect(*as.authorize(h1.opened[0]), h1.now);
  h1.pump(tab1);
  ASSERT_EQ(h1.outcomes.size(), 1u);
  EXPECT_TRUE(h1.outcomes[0].ok());
  h2.pump(tab2);
  ASSERT_EQ(h2.outcomes.size(), 1u);
  EXPECT_TRUE(h2.outcomes[0].ok());
  EXPECT_TRUE(h2.opened.empty());
  EXPECT_EQ(bearer(tab2), "Bearer at-1");
  // The token the server refused is still in storage: not adopted, tab2 refreshes.
  h2.browser = [&](const std::string& url) { return as.authorize(url); };
  tab2.handle_unauthorized("Bearer", h2.now);
  h2.pump(tab2);
  ASSERT_EQ(h2.outcomes.size(), 2u);
  EXPECT_TRUE(h2.outcomes[1].ok());
  EXPECT_EQ(bearer(tab2), "Bearer at-2");
  EXPECT_EQ(h1.locks->acquisitions, 3);
  EXPECT_TRUE(h1.locks->held.empty());
}

TEST(Refresh, InvalidGrantWithUnchangedStorageWipesAndSignsIn) {
  FakeAs as;
  Host h;
  Authorizer a(as.config());
  sign_in(as, h, a);
  as.live_refresh.clear();  // the AS revoked everything
  a.handle_unauthorized("Bearer", h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_TRUE(h.outcomes[0].ok());
  EXPECT_EQ(h.opened.size(), 1u);
  EXPECT_EQ(bearer(a), "Bearer at-2");
}

// spec: issue 4 "network errors, 5xx and temporarily_unavailable retried, not fatal"
TEST(Retry, TransientFailuresAreRetried) {
  FakeAs as;
  Host h;
  Authorizer a(as.config());
  int prm_failures = 2;
  h.routes.push_back([&](const transport::HttpRequest& r) -> std::optional<testing::Reply> {
    if (r.url == as.prm_url && prm_failures > 0) {
      --prm_failures;
      return prm_failures == 1 ? json_reply(503, "busy") : testing::Reply{0, "", true, {}};
    }
    return std::nullopt;
  });
  as.token_failures_left = 1;
  as.install(h);
  a.ensure(h.now);
  h.pump(a);
  EXPECT_TRUE(h.outcomes.empty());
  ASSERT_TRUE(a.next_deadline().has_value());
  EXPECT_EQ(*a.next_deadline(), h.now + 500);
  h.run_timers(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_TRUE(h.outcomes[0].ok()) << h.outcomes[0].error().message;
  EXPECT_EQ(h.urls()[0], h.urls()[1]);
  EXPECT_EQ(h.urls()[1], h.urls()[2]);
}

TEST(Retry, TemporarilyUnavailableThenGiveUpKeepsTokens) {
  FakeAs as;
  Host h;
  Authorizer a(as.config());
  sign_in(as, h, a);
  as.token_override = json_reply(400, R"({"error":"temporarily_unavailable"})");
  h.now += 3590 * 1000;  // 10 s left
  EXPECT_FALSE(a.ensure(h.now));
  h.pump(a);
  h.run_timers(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  // Retries ran out before expiry: the still-valid token keeps working.
  EXPECT_TRUE(h.outcomes[0].ok());
  EXPECT_EQ(h.requests.size(), 4u);  // 1 + 3 retries
  EXPECT_EQ(bearer(a), "Bearer at-1");
  // After expiry the failure surfaces, and tokens are still kept for later.
  h.now += 60 * 1000;
  h.requests.clear();
  EXPECT_FALSE(a.ensure(h.now));
  h.pump(a);
  h.run_timers(a);
  ASSERT_EQ(h.outcomes.size(), 2u);
  ASSERT_FALSE(h.outcomes[1].ok());
  EXPECT_TRUE(h.outcomes[1].error().is(NETWORK));
  EXPECT_TRUE(a.tokens().has_value());
  as.token_override.reset();
  EXPECT_FALSE(a.ensure(h.now));
  h.pump(a);
  EXPECT_TRUE(h.outcomes.back().ok());
  EXPECT_EQ(bearer(a), "Bearer at-2");
}

// spec: RFC 6750 §3.1 insufficient_scope; SPEC.md "union of scopes (at most 3 tries)"
TEST(StepUp, UnionOfScopesAtMostThreeTimes) {
  FakeAs as;
  Host h;
  AuthConfig c = as.config();
  Authorizer a(c);
  as.install(h);
  a.handle_unauthorized(R"(Bearer scope="runs:read")", h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_FALSE(a.handle_forbidden(R"(Bearer error="invalid_token")", h.now));
  EXPECT_FALSE(a.handle_forbidden("", h.now));
  EXPECT_TRUE(a.handle_forbidden(R"(Bearer error="insufficient_scope", scope="files:write")", h.now));
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 2u);
  EXPECT_TRUE(h.outcomes[1].ok());
  ASSERT_EQ(h.opened.size(), 2u);
  EXPECT_EQ(query_param(h.opened[1], "scope"), "runs:read offline_access files:write");
  EXPECT_EQ(as.registrations, 1);  // no new discovery or registration
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(a.handle_forbidden(R"(Bearer error="insufficient_scope", scope="more)" + std::to_string(i) + "\"",
                                   h.now));
    h.pump(a);
  }
  ASSERT_EQ(h.outcomes.size(), 4u);
  EXPECT_TRUE(h.outcomes[3].ok());
  EXPECT_TRUE(a.handle_forbidden(R"(Bearer error="insufficient_scope", scope="again")", h.now));
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 5u);
  ASSERT_FALSE(h.outcomes[4].ok());
  EXPECT_TRUE(h.outcomes[4].error().is(INSUFFICIENT_SCOPE));
  EXPECT_EQ(h.opened.size(), 4u);
}

// spec: issue 4 "no token, code, verifier or secret in any error"
TEST(Secrets, NeverInErrors) {
  FakeAs as;
  as.expected_client_secret = "client-secret-XYZ";
  Host h;
  as.install(h);
  std::string code_seen, verifier_seen;
  h.routes.insert(h.routes.begin(), [&](const transport::HttpRequest& r) -> std::optional<testing::Reply> {
    if (r.url != "https://auth.duvo.ai/token") return std::nullopt;
    code_seen = form_param(r.body, "code");
    verifier_seen = form_param(r.body, "code_verifier");
    // A server that echoes everything it got into its error.
    return json_reply(400, R"({"error":"invalid_request","error_description":"bad )" + code_seen + " " +
                               verifier_seen + " " + r.body + R"("})");
  });
  AuthConfig c = as.config();
  c.oauth.client_metadata.token_endpoint_auth_method = "client_secret_post";
  Authorizer a(c);
  a.ensure(h.now);
  h.pump(a);
  ASSERT_EQ(h.outcomes.size(), 1u);
  ASSERT_FALSE(h.outcomes[0].ok());
  const Error& e = h.outcomes[0].error();
  EXPECT_TRUE(e.is(TOKEN_ERROR));
  ASSERT_FALSE(code_seen.empty());
  ASSERT_FALSE(verifier_seen.empty());
  for (const std::string& secret : {code_seen, verifier_seen, std::string("client-secret-XYZ")}) {
    EXPECT_EQ(e.message.find(secret), std::string::npos) << e.message;
  }
  EXPECT_NE(e.message.find("[redacted]"), std::string::npos);

  // Refresh token and access token echoed by a failing refresh.
  FakeAs as2;
  Host h2;
  Authorizer b(as2.config());
  sign_in(as2, h2, b);
  as2.token_override = json_reply(400, R"({"error":"invalid_request","error_description":"rt-1 at-1"})");
  h2.routes.insert(h2.routes.begin(), [&](const transport::HttpRequest& r) -> std::optional<testing::Reply> {
    if (r.url == as2.prm_url) return testing::Reply{0, "", true, {}};  // discovery then fails
    return std::nullopt;
  });
  b.handle_unauthorized("Bearer", h2.now);
  h2.pump(b);
  h2.run_timers(b);
  ASSERT_EQ(h2.outcomes.size(), 1u);
  ASSERT_FALSE(h2.outcomes[0].ok());
  EXPECT_EQ(h2.outcomes[0].error().message.find("rt-1"), std::string::npos);
}

TEST(Secrets, NetworkMessageIsRedacted) {
  FakeAs as;
  Host h;
  Authorizer a(as.config());
  sign_in(as, h, a);
  h.hold_requests = true;
  h.now += 3600 * 1000;  // expired: a failed refresh cannot fall back on it
  a.handle_unauthorized("Bearer", h.now);
  h.pump(a);
  for (int i = 0; i <= 3; ++i) {
    ASSERT_EQ(h.held.size(), 1u);
    auto req = h.held.back();
    h.held.clear();
    a.handle_network_error(req.exchange, "failed to POST refresh_token=rt-1 with Bearer at-1", h.now);
    h.pump(a);
    if (auto d = a.next_deadline()) {
      h.now = *d;
      a.handle_timeout(h.now);
      h.pump(a);
    }
  }
  ASSERT_EQ(h.outcomes.size(), 1u);
  ASSERT_FALSE(h.outcomes[0].ok());
  EXPECT_TRUE(h.outcomes[0].error().is(NETWORK));
  EXPECT_EQ(h.outcomes[0].error().message.find("rt-1"), std::string::npos);
  EXPECT_EQ(h.outcomes[0].error().message.find("at-1"), std::string::npos);
}

TEST(Inputs, StaleAndUnexpectedInputsAreIgnored) {
  FakeAs as;
  Host h;
  as.install(h);
  Authorizer a(as.config());
  a.handle_redirect("http://localhost:3000/callback?code=x&state=y", h.now);
  a.handle_random("0123456789012345678901234567890123456789012345678", h.now);
  a.handle_loaded("whatever", std::nullopt, h.now);
  a.handle_response(12345, {200, {}}, "{}", h.now);
  a.handle_network_error(12345, "x", h.now);
  a.handle_static_token(std::string("t"), h.now);
  a.handle_timeout(h.now + 100000);
  EXPECT_FALSE(a.poll_effect().has_value());
  EXPECT_FALSE(a.poll_outcome().has_value());
  EXPECT_FALSE(a.busy());
  // Random bytes too short for PKCE are a local error.
  h.hold_requests = false;
  h.browser = nullptr;
  a.ensure(h.now);
  for (int i = 0; i < 50; ++i) {
    auto e = a.poll_effect();
    if (!e) break;
    if (std::get_if<NeedRandom>(&*e)) {
      a.handle_random("short", h.now);
      break;
    }
    // Perform the others through the host.
    if (auto* req = std::get_if<transport::HttpRequest>(&*e)) {
      auto reply = h.route(*req);
      a.handle_response(req->exchange, {reply.status, {}}, reply.body, h.now);
    } else if (auto* load = std::get_if<LoadValue>(&*e)) {
      a.handle_loaded(load->key, std::nullopt, h.now);
    }
  }
  auto o = a.poll_outcome();
  ASSERT_TRUE(o.has_value());
  ASSERT_FALSE(o->ok());
  EXPECT_TRUE(o->error().is(INVALID_CONFIG));
}

// Hostile answers at every step: never a crash, always exactly one outcome.
TEST(Inputs, RandomAnswersAlwaysSettleOnce) {
  std::mt19937 rng(2024);
  const std::string bodies[] = {"", "{}", "null", "[", "{\"resource\":5}", "<html>",
                                R"({"resource":"https://api.duvo.ai/v2/mcp","authorization_servers":["https://auth.duvo.ai"]})",
                                R"({"issuer":"https://auth.duvo.ai","authorization_endpoint":"https://auth.duvo.ai/a","token_endpoint":"https://auth.duvo.ai/t","registration_endpoint":"https://auth.duvo.ai/r","code_challenge_methods_supported":["S256"]})",
                                R"({"client_id":"c"})", R"({"access_token":"a","token_type":"Bearer"})",
                                R"({"error":"invalid_grant"})", R"({"error":"temporarily_unavailable"})"};
  const int statuses[] = {200, 201, 302, 400, 401, 404, 429, 500, 503};
  int redacted_rounds = 0;
  for (int round = 0; round < 300; ++round) {
    FakeAs as;
    Host h;
    h.routes.push_back([&](const transport::HttpRequest& req) -> std::optional<testing::Reply> {
      if (rng() % 2 == 0) return std::nullopt;  // the well-behaved fake AS answers
      if (rng() % 10 == 0) return testing::Reply{0, "", true, {}};
      if (rng() % 4 == 0) {  // a server that echoes the request into its error
        json echo = {{"error", "invalid_request"}, {"error_description", req.body}};
        return json_reply(400, dump_json(echo));
      }
      return json_reply(statuses[rng() % 9], bodies[rng() % 12]);
    });
    as.install(h);
    h.browser = [&](const std::string& url) -> std::optional<std::string> {
      switch (rng() % 3) {
        case 0: return as.authorize(url);
        case 1: return std::string("http://localhost:3000/callback?state=") + query_param(url, "state") + "&code=c";
        default: return std::string("garbage \x01");
      }
    };
    Authorizer a(as.config());
    if (rng() % 2) {
      a.ensure(h.now);
    } else {
      a.handle_unauthorized(rng() % 2 ? "Bearer scope=\"x\"" : "junk ,, \"", h.now);
    }
    h.pump(a);
    h.run_timers(a);
    ASSERT_EQ(h.outcomes.size(), 1u) << "round " << round;
    EXPECT_FALSE(a.busy());
    // Property: no secret the client sent appears in the error.
    if (!h.outcomes[0].ok()) {
      const std::string& msg = h.outcomes[0].error().message;
      if (msg.find("[redacted]") != std::string::npos) ++redacted_rounds;
      for (const auto& req : h.requests) {
        for (const char* name : {"code", "code_verifier", "refresh_token", "client_secret", "assertion"}) {
          std::string v = form_param(req.body, name);
          if (v.size() >= 4 && v != "<absent>" && v != "<bad form>") EXPECT_EQ(msg.find(v), std::string::npos) << msg;
        }
      }
    }
  }
  EXPECT_GT(redacted_rounds, 0);  // the property was exercised
}

}  // namespace
}  // namespace mcpw::auth
