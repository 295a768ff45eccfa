// Client credentials (RFC 6749 §4.4; MCP extension
// io.modelcontextprotocol/oauth-client-credentials, SEP-1046): a service
// authenticates as itself, with a client secret (basic or post) or a JWT
// assertion signed by the host (private_key_jwt, RFC 7523 §2.2).

#include "auth/authorizer.h"
#include "auth/jwt.h"
#include "support/url.h"

namespace mcpw::auth {

void Authorizer::start_client_credentials(std::uint64_t now_ms) {
  if (scope_override_) {
    requested_scope_ = *scope_override_;
  } else {
    std::optional<std::string> challenge_scope = challenge_ ? challenge_->scope : std::nullopt;
    // No refresh tokens in this grant (RFC 6749 §4.4.3), so no offline_access.
    requested_scope_ = select_scope(challenge_scope, prm_ ? prm_->scopes_supported : std::vector<std::string>{},
                                    as_->scopes_supported, false);
  }
  if (config_.oauth.grant == OAuthSettings::Grant::jwt_bearer) {
    if (config_.oauth.assertion.empty()) {
      fail(Error(INVALID_CONFIG, "jwt_bearer needs an assertion"));
      return;
    }
    send_jwt_bearer(config_.oauth.assertion);
    return;
  }
  if (config_.oauth.grant == OAuthSettings::Grant::enterprise) {
    start_token_exchange();
    return;
  }
  if (config_.oauth.signing_key_id.empty()) {
    send_client_credentials(std::nullopt);
    return;
  }
  step_ = Step::assertion_random;
  effects_.emplace_back(NeedRandom{16});  // the assertion's jti
  (void)now_ms;
}

void Authorizer::on_assertion_random(std::string_view bytes, std::uint64_t now_ms) {
  if (bytes.size() < 16) {
    fail(Error(INVALID_CONFIG, "16 random bytes were asked for, fewer came"));
    return;
  }
  // RFC 7523 §3: aud identifies the authorization server (its issuer).
  signing_input_ = build_client_assertion_input(client_->client_id, as_->issuer, now_ms, bytes.substr(0, 16),
                                                config_.oauth.signing_alg);
  step_ = Step::sign;
  effects_.emplace_back(SignJwt{config_.oauth.signing_key_id, config_.oauth.signing_alg, signing_input_});
}

void Authorizer::handle_signature(std::string_view raw_signature, std::uint64_t now_ms) {
  now_ = std::max(now_, now_ms);
  if (dpop_pending_ && !dpop_input_.empty()) {
    on_token_proof_signature(raw_signature);
    return;
  }
  if (step_ != Step::sign) return;
  auto jwt = finish_jwt(signing_input_, raw_signature, config_.oauth.signing_alg);
  if (!jwt) {
    fail(jwt.take_error());
    return;
  }
  assertion_ = std::move(*jwt);
  send_client_credentials(assertion_);
}

void Authorizer::send_client_credentials(const std::optional<std::string>& assertion) {
  step_ = Step::code_exchange;  // the token response is handled like a code exchange's
  std::vector<std::pair<std::string, std::string>> form = {{"grant_type", "client_credentials"}};
  if (!requested_scope_.empty()) form.emplace_back("scope", requested_scope_);
  if (resource_) form.emplace_back("resource", *resource_);
  if (assertion) {
    form.emplace_back("client_assertion_type", std::string(JWT_BEARER_ASSERTION_TYPE));
    form.emplace_back("client_assertion", *assertion);
    transport::HttpRequest req;
    req.method = "POST";
    req.url = as_->token_endpoint;
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    req.headers.emplace_back("Accept", "application/json");
    req.body = build_form(form);
    send_token(std::move(req));
    return;
  }
  TokenAuthMethod method = select_token_auth_method(*client_, as_->token_endpoint_auth_methods_supported);
  send_token(build_token_request(as_->token_endpoint, std::move(form), *client_, method));
}

void Authorizer::send_jwt_bearer(const std::string& assertion) {
  step_ = Step::code_exchange;
  std::vector<std::pair<std::string, std::string>> form = {
      {"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}, {"assertion", assertion}};
  if (!requested_scope_.empty()) form.emplace_back("scope", requested_scope_);
  if (resource_) form.emplace_back("resource", *resource_);
  if (client_) {
    TokenAuthMethod method = select_token_auth_method(*client_, as_->token_endpoint_auth_methods_supported);
    send_token(build_token_request(as_->token_endpoint, std::move(form), *client_, method));
    return;
  }
  transport::HttpRequest req;
  req.method = "POST";
  req.url = as_->token_endpoint;
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  req.headers.emplace_back("Accept", "application/json");
  req.body = build_form(form);
  send_token(std::move(req));
}

// RFC 8693 §2.1: the user's ID token for an Identity Assertion JWT
// Authorization Grant (ID-JAG) aimed at this AS and resource.
void Authorizer::start_token_exchange() {
  const OAuthSettings& o = config_.oauth;
  if (o.id_token.empty() || o.idp_token_endpoint.empty()) {
    fail(Error(INVALID_CONFIG, "enterprise authorization needs id_token and idp_token_endpoint"));
    return;
  }
  if (!is_secure_endpoint(o.idp_token_endpoint)) {
    fail(Error(INSECURE_ENDPOINT, "the IdP token endpoint is not https (nor loopback http): " + o.idp_token_endpoint));
    return;
  }
  step_ = Step::token_exchange;
  std::vector<std::pair<std::string, std::string>> form = {
      {"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
      {"requested_token_type", "urn:ietf:params:oauth:token-type:id-jag"},
      {"subject_token", o.id_token},
      {"subject_token_type", "urn:ietf:params:oauth:token-type:id_token"},
      {"audience", as_->issuer},
  };
  if (resource_) form.emplace_back("resource", *resource_);
  if (!requested_scope_.empty()) form.emplace_back("scope", requested_scope_);
  ClientCredentials idp = o.idp_client.value_or(ClientCredentials{});
  TokenAuthMethod method = select_token_auth_method(idp, {});
  if (idp.client_id.empty()) {
    transport::HttpRequest req;
    req.method = "POST";
    req.url = o.idp_token_endpoint;
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    req.headers.emplace_back("Accept", "application/json");
    req.body = build_form(form);
    send(std::move(req));
    return;
  }
  send(build_token_request(o.idp_token_endpoint, std::move(form), idp, method));
}

void Authorizer::on_token_exchange(const transport::HttpResponseHead& head, std::string_view body,
                                   std::uint64_t now_ms) {
  if (head.status >= 500 || head.status == 429) {
    if (!retry_later(now_ms)) {
      fail(Error(NETWORK, "the IdP token endpoint kept failing (HTTP " + std::to_string(head.status) + ")"));
    }
    return;
  }
  if (head.status < 200 || head.status >= 300) {
    fail(Error(TOKEN_ERROR, "the IdP refused the token exchange (HTTP " + std::to_string(head.status) +
                                describe_oauth_error(body) + ")"));
    return;
  }
  auto parsed = parse_token_response(body);  // RFC 8693 §2.2.1: token_type is "N_A"
  if (!parsed) {
    fail(parsed.take_error());
    return;
  }
  assertion_ = std::move(parsed->access_token);
  send_jwt_bearer(assertion_);
}

}  // namespace mcpw::auth
