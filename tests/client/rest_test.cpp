// Session::rest — plain HTTP requests (REST operations as tools, issue 6)
// through the session's pipeline, by transcript: bodies fed whole, byte by
// byte and at random splits.
#include <gtest/gtest.h>

#include <string>

#include "client/session.h"
#include "peer.h"

namespace mcpw::client {
namespace {

using testing::Peer;
using testing::Split;
using transport::find_header;

const std::string API = "http://127.0.0.1:9/api/v1";  // the MCP server's origin (Peer: http://127.0.0.1:9/mcp)

RestRequest get(const std::string& url) { return RestRequest{"GET", url, {}, {}}; }

SessionConfig with_bearer(bool refreshable) { return Peer::with_bearer(refreshable, {{"X-Api-Key", "configured"}}); }

// The one settled outcome of `op` (and nothing else settled).
Result<json> only(Peer& p, OpId op) {
  auto s = p.settled();
  EXPECT_EQ(s.size(), 1u);
  if (s.size() != 1) return Error(INVALID_STATE, "settled " + std::to_string(s.size()) + " times");
  EXPECT_EQ(s[0].op, op);
  return std::move(s[0].result);
}

class Rest : public ::testing::TestWithParam<Split> {};

TEST_P(Rest, WithoutConnectAnswersStatusHeadersAndBody) {
  Peer p(GetParam());
  RestRequest r{"POST", API + "/folders/a%2Fb?x=1", {{"Content-Type", "application/json"}}, R"({"parent":null})"};
  OpId op = p.session.rest(r, p.now);
  auto req = p.take_one();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, API + "/folders/a%2Fb?x=1");
  EXPECT_EQ(req.body, R"({"parent":null})");
  EXPECT_EQ(find_header(req.headers, "content-type"), "application/json");
  EXPECT_EQ(find_header(req.headers, "authorization"), "Bearer test");  // SessionConfig::headers, same origin
  EXPECT_TRUE(find_header(req.headers, "accept").has_value());
  EXPECT_FALSE(find_header(req.headers, "mcp-session-id"));
  const std::string body = R"({"id":"f1","name":"é ünïcode"})";
  p.respond(req, 201, "application/json; charset=utf-8", body, {{"Location", "/api/v1/folders/f1"}});
  auto res = only(p, op);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ((*res)["status"], 201);
  EXPECT_EQ((*res)["body"], body);
  EXPECT_EQ((*res)["headers"]["content-type"], "application/json; charset=utf-8");
  EXPECT_EQ((*res)["headers"]["location"], "/api/v1/folders/f1");
  EXPECT_FALSE(res->contains("retryAfterMs"));
  EXPECT_EQ(p.session.pending_operations(), 0u);
  EXPECT_EQ(p.session.open_exchanges(), 0u);
}

TEST_P(Rest, HttpErrorsAreAnswersNotErrors) {
  Peer p(GetParam());
  for (int status : {400, 404, 422, 500, 503}) {
    OpId op = p.session.rest(get(API + "/x"), p.now);
    const std::string body = R"({"error":"status )" + std::to_string(status) + R"("})";
    p.respond(p.take_one(), status, "application/json", body);
    auto res = only(p, op);
    ASSERT_TRUE(res.ok());
    EXPECT_EQ((*res)["status"], status);
    EXPECT_EQ((*res)["body"], body);
  }
}

TEST_P(Rest, AfterTheHandshakeNoMcpHeadersGoWithIt) {
  Peer p(GetParam());
  ASSERT_TRUE(p.handshake().ok());
  OpId op = p.session.rest(get(API + "/me"), p.now);
  auto req = p.take_one();
  EXPECT_FALSE(find_header(req.headers, "mcp-session-id"));
  EXPECT_FALSE(find_header(req.headers, "mcp-protocol-version"));
  EXPECT_EQ(req.body, "");
  p.respond(req, 204, "", "");
  auto res = only(p, op);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ((*res)["status"], 204);
  EXPECT_EQ((*res)["body"], "");
}

// SPEC.md: a token never goes to another origin.
TEST_P(Rest, CredentialsGoOnlyToTheServersOrigin) {
  Peer p(GetParam(), with_bearer(true));
  p.session.rest(get(API + "/same"), p.now);
  auto same = p.take_one();
  EXPECT_EQ(find_header(same.headers, "authorization"), "Bearer key-1");
  EXPECT_EQ(find_header(same.headers, "x-api-key"), "configured");
  for (const std::string url : {"http://127.0.0.1:10/api", "https://127.0.0.1:9/api", "http://localhost:9/api",
                                "http://evil.example/api?u=http://127.0.0.1:9/"}) {
    OpId op = p.session.rest(get(url), p.now);
    auto other = p.take_one();
    EXPECT_FALSE(find_header(other.headers, "authorization")) << url;
    EXPECT_FALSE(find_header(other.headers, "x-api-key")) << url;
    // Its 401 is that server's answer: no flow, no token getter.
    p.respond(other, 401, "text/plain", "who are you", {{"WWW-Authenticate", "Bearer"}});
    EXPECT_FALSE(p.session.poll_auth_effect().has_value());
    auto res = only(p, op);
    ASSERT_TRUE(res.ok());
    EXPECT_EQ((*res)["status"], 401);
    EXPECT_EQ((*res)["body"], "who are you");
  }
}

TEST_P(Rest, CallersHeaderWinsOverTheConfiguredOne) {
  Peer p(GetParam(), with_bearer(false));
  RestRequest r = get(API + "/x");
  r.headers.emplace_back("x-api-key", "mine");
  p.session.rest(r, p.now);
  auto req = p.take_one();
  EXPECT_EQ(find_header(req.headers, "x-api-key"), "mine");
  int n = 0;
  for (const auto& h : req.headers) n += transport::iequals(h.first, "x-api-key");
  EXPECT_EQ(n, 1);
}

// A 401 from the server's origin: the getter is asked once, the request goes
// once more; a second 401 is the answer.
TEST_P(Rest, Unauthorized401RenewsTheBearerThenRetriesOnce) {
  Peer p(GetParam(), with_bearer(true));
  OpId op = p.session.rest(RestRequest{"POST", API + "/runs", {}, "{}"}, p.now);
  p.respond(p.take_one(), 401, "", "", {{"WWW-Authenticate", R"(Bearer error="invalid_token")"}});
  auto effect = p.session.poll_auth_effect();
  ASSERT_TRUE(effect.has_value());
  ASSERT_TRUE(std::holds_alternative<auth::NeedStaticToken>(*effect));
  EXPECT_TRUE(p.settled().empty());
  p.session.handle_auth_static_token(std::string("key-2"), p.now);
  auto again = p.take_one();
  EXPECT_EQ(again.method, "POST");
  EXPECT_EQ(again.body, "{}");
  EXPECT_EQ(find_header(again.headers, "authorization"), "Bearer key-2");
  p.respond(again, 401, "application/json", R"({"error":"still no"})", {{"WWW-Authenticate", "Bearer"}});
  EXPECT_FALSE(p.session.poll_auth_effect().has_value());
  EXPECT_TRUE(p.take_requests().empty());
  auto res = only(p, op);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ((*res)["status"], 401);
  EXPECT_EQ((*res)["body"], R"({"error":"still no"})");
}

TEST_P(Rest, Unauthorized401ThenSuccess) {
  Peer p(GetParam(), with_bearer(true));
  OpId op = p.session.rest(get(API + "/me"), p.now);
  p.respond(p.take_one(), 401, "", "", {{"WWW-Authenticate", "Bearer"}});
  ASSERT_TRUE(p.session.poll_auth_effect().has_value());
  p.session.handle_auth_static_token(std::string("key-2"), p.now);
  p.respond(p.take_one(), 200, "application/json", R"({"me":1})");
  auto res = only(p, op);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ((*res)["status"], 200);
}

// spec: RFC 9110 §10.2.3 Retry-After; idempotent methods only (RFC 9110 §9.2.2).
TEST_P(Rest, RateLimitedGetIsRetriedAfterRetryAfter) {
  Peer p(GetParam());
  OpId op = p.session.rest(get(API + "/x"), p.now);
  p.respond(p.take_one(), 429, "text/plain", "slow down", {{"Retry-After", "1"}});
  EXPECT_TRUE(p.settled().empty());
  EXPECT_TRUE(p.take_requests().empty());
  EXPECT_EQ(p.session.next_deadline(), p.now + 1000);
  p.now += 999;
  p.session.handle_timeout(p.now);
  EXPECT_TRUE(p.take_requests().empty());
  p.now += 1;
  p.session.handle_timeout(p.now);
  auto again = p.take_one();
  EXPECT_EQ(again.url, API + "/x");
  p.respond(again, 200, "application/json", "[1,2]");
  auto res = only(p, op);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ((*res)["status"], 200);
  EXPECT_EQ((*res)["body"], "[1,2]");
}

TEST_P(Rest, RateLimitRetriesAreBounded) {
  Peer p(GetParam());
  OpId op = p.session.rest(RestRequest{"DELETE", API + "/x", {}, {}}, p.now);
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto req = p.take_one();
    EXPECT_EQ(req.method, "DELETE");
    p.respond(req, 429, "", "busy", {{"Retry-After", "2"}});
    p.now += 2000;
    p.session.handle_timeout(p.now);
  }
  EXPECT_TRUE(p.take_requests().empty());  // 1 + max_rate_limit_retries (2)
  auto res = only(p, op);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ((*res)["status"], 429);
  EXPECT_EQ((*res)["retryAfterMs"], 2000);
  EXPECT_EQ((*res)["body"], "busy");
}

TEST_P(Rest, RateLimitedPostIsAnsweredAtOnce) {
  Peer p(GetParam());
  OpId op = p.session.rest(RestRequest{"POST", API + "/x", {}, "{}"}, p.now);
  p.respond(p.take_one(), 429, "", "", {{"Retry-After", "1"}});
  auto res = only(p, op);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ((*res)["status"], 429);
  EXPECT_EQ((*res)["retryAfterMs"], 1000);
  EXPECT_TRUE(p.take_requests().empty());
}

TEST_P(Rest, RetryAfterBeyondTheBoundIsNotWaitedFor) {
  Peer p(GetParam());
  OpId op = p.session.rest(get(API + "/x"), p.now);
  p.respond(p.take_one(), 429, "", "", {{"Retry-After", "3600"}});
  auto res = only(p, op);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ((*res)["retryAfterMs"], 3'600'000);
}

TEST_P(Rest, TimesOutAndAbortsTheExchange) {
  Peer p(GetParam());
  RequestOptions o;
  o.timeout_ms = 100;
  OpId op = p.session.rest(get(API + "/slow"), p.now, o);
  auto req = p.take_one();
  p.now += 100;
  p.session.handle_timeout(p.now);
  auto res = only(p, op);
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(res.error().is(CLIENT_TIMEOUT));
  EXPECT_EQ(p.session.poll_abort(), req.exchange);
  p.respond(req, 200, "application/json", "{}");  // late: ignored
  EXPECT_TRUE(p.settled().empty());
}

TEST_P(Rest, CancelledMidBodySettlesOnce) {
  Peer p(GetParam());
  OpId op = p.session.rest(get(API + "/x"), p.now);
  auto req = p.take_one();
  transport::HttpResponseHead head{200, {{"Content-Type", "application/json"}}};
  p.session.handle_response_head(req.exchange, head, p.now);
  p.feed(req.exchange, R"({"partial":)");
  p.session.cancel(op, p.now);
  p.feed(req.exchange, "1}");
  p.session.handle_body_end(req.exchange, p.now);
  auto res = only(p, op);
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(res.error().is(CLIENT_CANCELLED));
  EXPECT_EQ(p.session.poll_abort(), req.exchange);
  EXPECT_TRUE(p.take_requests().empty());  // no notifications/cancelled for REST
}

TEST_P(Rest, NetworkErrorIsTyped) {
  Peer p(GetParam());
  OpId op = p.session.rest(get(API + "/x"), p.now);
  p.session.handle_network_error(p.take_one().exchange, "ECONNREFUSED", p.now);
  auto res = only(p, op);
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(res.error().is(TRANSPORT_NETWORK));
}

TEST_P(Rest, BodyOverTheLimitIsAnError) {
  SessionConfig c = Peer::default_config();
  c.body_limits.max_body_bytes = 16;
  Peer p(GetParam(), c);
  OpId op = p.session.rest(get(API + "/big"), p.now);
  auto req = p.take_one();
  p.respond(req, 200, "text/plain", std::string(40, 'x'));
  auto res = only(p, op);
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(res.error().is(LIMIT_EXCEEDED));
  EXPECT_EQ(p.session.poll_abort(), req.exchange);
}

TEST_P(Rest, BadInputIsATypedError) {
  Peer p(GetParam());
  const RestRequest bad[] = {
      {"GET", "/relative", {}, {}},
      {"GET", "ftp://127.0.0.1:9/x", {}, {}},
      {"GET", "not a url", {}, {}},
      {"G ET", API, {}, {}},
      {"", API, {}, {}},
      {"GET", API, {{"X-A", "v\r\nInjected: 1"}}, {}},
      {"GET", API, {{"Bad Name", "v"}}, {}},
  };
  for (const auto& r : bad) {
    OpId op = p.session.rest(r, p.now);
    auto res = only(p, op);
    ASSERT_FALSE(res.ok()) << r.url;
    EXPECT_TRUE(res.error().is(INVALID_ARGUMENT)) << r.url;
  }
  EXPECT_TRUE(p.take_requests().empty());
}

TEST_P(Rest, CloseSettlesPendingAndLaterCallsWithClosed) {
  Peer p(GetParam());
  OpId pending = p.session.rest(get(API + "/x"), p.now);
  auto req = p.take_one();
  OpId closing = p.session.close(p.now);
  auto s = p.settled();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].op, pending);
  EXPECT_TRUE(s[0].result.error().is(CLIENT_CLOSED));
  EXPECT_EQ(s[1].op, closing);
  EXPECT_EQ(p.session.poll_abort(), req.exchange);
  OpId after = p.session.rest(get(API + "/x"), p.now);
  auto res = only(p, after);
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(res.error().is(CLIENT_CLOSED));
}

// OAuth with a DPoP-bound token (RFC 9449 §7.1): a 401 from the server's
// origin runs the flow (client credentials here), then the request goes
// again with `Authorization: DPoP` and a host-signed proof; a request to
// another origin gets neither.
TEST_P(Rest, DpopTokenAndProofOnlyForTheServersOrigin) {
  const std::string AS = "http://127.0.0.1:9/as";
  SessionConfig c = Peer::default_config();
  c.headers.clear();
  auth::AuthConfig a;
  a.server_url = c.url;
  a.oauth.grant = auth::OAuthSettings::Grant::client_credentials;
  a.oauth.pre_registered = auth::ClientCredentials{"svc", std::string("svc-secret"), std::nullopt};
  a.oauth.dpop_key_id = "dpop-key";
  a.oauth.dpop_public_jwk = R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";
  a.oauth.dpop_seed = std::string(32, '\x07');
  c.auth = a;
  Peer p(GetParam(), c);
  OpId op = p.session.rest(get(API + "/me?x=1"), p.now);
  auto first = p.take_one();
  EXPECT_FALSE(find_header(first.headers, "authorization"));  // nothing to send yet
  p.respond(first, 401, "", "", {{"WWW-Authenticate", "Bearer"}});
  transport::HttpRequest again;
  int proofs = 0;
  for (int step = 0; step < 20 && again.url.empty(); ++step) {
    while (auto e = p.session.poll_auth_effect()) {
      if (auto* load = std::get_if<auth::LoadValue>(&*e)) {
        p.session.handle_auth_loaded(load->key, std::nullopt, p.now);
      } else if (auto* rnd = std::get_if<auth::NeedRandom>(&*e)) {
        p.session.handle_auth_random(std::string(rnd->bytes, '\x2a'), p.now);
      } else if (auto* sign = std::get_if<auth::SignJwt>(&*e)) {
        EXPECT_EQ(sign->key_id, "dpop-key");
        if (sign->proof == 0) {
          p.session.handle_auth_signature(std::string(64, '\x01'), p.now);  // the token request's proof
        } else {
          ++proofs;
          p.session.handle_auth_proof_signature(sign->proof, std::string(64, '\x01'), p.now);
        }
      }
    }
    for (auto& r : p.take_requests()) {
      if (r.url == "http://127.0.0.1:9/.well-known/oauth-protected-resource/mcp") {
        p.respond_json(r, json{{"resource", c.url}, {"authorization_servers", json::array({AS})}});
      } else if (r.url == "http://127.0.0.1:9/.well-known/oauth-authorization-server/as") {
        p.respond_json(r, json{{"issuer", AS}, {"token_endpoint", AS + "/token"}, {"authorization_endpoint", AS + "/authorize"},
                               {"response_types_supported", json::array({"code"})},
                               {"grant_types_supported", json::array({"client_credentials"})},
                               {"code_challenge_methods_supported", json::array({"S256"})},
                               {"token_endpoint_auth_methods_supported", json::array({"client_secret_post"})}});
      } else if (r.url == AS + "/token") {
        EXPECT_TRUE(find_header(r.headers, "dpop").has_value());
        p.respond_json(r, json{{"access_token", "dpop-at-1"}, {"token_type", "DPoP"}, {"expires_in", 3600}});
      } else if (r.url.find("/.well-known/") != std::string::npos) {
        p.respond(r, 404, "", "");
      } else {
        again = r;
      }
    }
  }
  ASSERT_EQ(again.url, API + "/me?x=1");
  EXPECT_EQ(proofs, 1);
  EXPECT_EQ(find_header(again.headers, "authorization"), "DPoP dpop-at-1");
  EXPECT_TRUE(find_header(again.headers, "dpop").has_value());
  p.respond(again, 200, "application/json", R"({"me":"x"})");
  auto res = only(p, op);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ((*res)["status"], 200);
  // Another origin: no token, no proof to sign.
  OpId other = p.session.rest(get("http://127.0.0.1:10/me"), p.now);
  auto cross = p.take_one();
  EXPECT_FALSE(find_header(cross.headers, "authorization"));
  EXPECT_FALSE(find_header(cross.headers, "dpop"));
  EXPECT_FALSE(p.session.poll_auth_effect().has_value());
  p.respond(cross, 200, "text/plain", "ok");
  EXPECT_TRUE(only(p, other).ok());
  // The same origin again: a fresh proof.
  p.session.rest(get(API + "/me"), p.now);
  auto effect = p.session.poll_auth_effect();
  ASSERT_TRUE(effect.has_value());
  ASSERT_TRUE(std::holds_alternative<auth::SignJwt>(*effect));
}

INSTANTIATE_TEST_SUITE_P(Splits, Rest, ::testing::Values(Split::whole, Split::bytewise, Split::random));

}  // namespace
}  // namespace mcpw::client
