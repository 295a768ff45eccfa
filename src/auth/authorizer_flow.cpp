// Sign-in: discovery (RFC 9728, RFC 8414 / OIDC, 2025-03-26 fallbacks),
// client identity (pre-registered, stored, CIMD, RFC 7591 DCR) and the
// authorization request (RFC 6749 §4.1 + RFC 7636 + RFC 8707 + RFC 9207).

#include <algorithm>

#include "auth/authorizer.h"
#include "support/json.h"
#include "support/url.h"

namespace mcpw::auth {
namespace {

bool retryable_status(int status) { return status >= 500 || status == 429; }

transport::HttpRequest metadata_request(std::string url) {
  transport::HttpRequest req;
  req.method = "GET";
  req.url = std::move(url);
  req.headers.emplace_back("Accept", "application/json");
  return req;
}

Error insecure(std::string_view what, std::string_view url) {
  return Error(INSECURE_ENDPOINT, std::string(what) + " is not https (nor loopback http): " + std::string(url));
}

bool contains(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

void Authorizer::start_sign_in(std::uint64_t now_ms) {
  if (lock_first(Next::sign_in)) return;
  step_ = Step::prm;
  prm_.reset();
  resource_.reset();
  legacy_ = false;
  as_.reset();
  client_.reset();
  issuer_mismatch_seen_ = false;
  prm_candidates_.clear();
  prm_index_ = 0;
  if (challenge_ && challenge_->resource_metadata) {
    if (!is_secure_endpoint(*challenge_->resource_metadata)) {
      fail(insecure("the resource_metadata URL", *challenge_->resource_metadata));
      return;
    }
    prm_candidates_.push_back(*challenge_->resource_metadata);
  }
  auto built = build_protected_resource_metadata_urls(config_.server_url);
  if (!built) {
    fail(Error(INVALID_CONFIG, "the server URL is not an http(s) URL"));
    return;
  }
  for (auto& u : *built) {
    if (!contains(prm_candidates_, u)) prm_candidates_.push_back(std::move(u));
  }
  next_prm(now_ms);
}

void Authorizer::next_prm(std::uint64_t now_ms) {
  if (prm_index_ >= prm_candidates_.size()) {
    // No protected-resource metadata anywhere: a 2025-03-26 server, whose
    // authorization server lives at the MCP origin.
    auto base = build_authorization_base_url(config_.server_url);
    if (!base) {
      fail(Error(INVALID_CONFIG, "the server URL is not an http(s) URL"));
      return;
    }
    start_as_discovery(*base, true, now_ms);
    return;
  }
  const std::string& url = prm_candidates_[prm_index_++];
  if (!is_secure_endpoint(url)) {
    fail(insecure("protected resource metadata", url));
    return;
  }
  send(metadata_request(url));
}

void Authorizer::on_prm(const transport::HttpResponseHead& head, std::string_view body, std::uint64_t now_ms) {
  if (retryable_status(head.status)) {
    if (!retry_later(now_ms)) {
      fail(Error(NETWORK, "protected resource metadata kept failing (HTTP " + std::to_string(head.status) + ")"));
    }
    return;
  }
  if (head.status != 200) {
    next_prm(now_ms);  // 404 and friends: the next candidate
    return;
  }
  auto prm = parse_protected_resource_metadata(body);
  if (!prm) {
    fail(prm.take_error());
    return;
  }
  // RFC 9728 §3.3: metadata for another resource must not be used.
  if (!resource_covers(prm->resource, config_.server_url)) {
    fail(Error(RESOURCE_MISMATCH,
               "protected resource metadata is for " + prm->resource + ", not " + config_.server_url));
    return;
  }
  if (prm->authorization_servers.empty()) {
    fail(Error(METADATA_INVALID, "protected resource metadata lists no authorization_servers"));
    return;
  }
  std::string issuer = prm->authorization_servers.front();
  if (!is_secure_endpoint(issuer)) {
    fail(insecure("the authorization server", issuer));
    return;
  }
  resource_ = prm->resource;  // used exactly as given (RFC 8707 §2)
  prm_ = std::move(*prm);
  start_as_discovery(std::move(issuer), false, now_ms);
}

void Authorizer::start_as_discovery(std::string issuer, bool legacy, std::uint64_t now_ms) {
  step_ = Step::as_metadata;
  issuer_ = std::move(issuer);
  legacy_ = legacy;
  issuer_mismatch_seen_ = false;
  auto candidates = build_authorization_server_metadata_urls(issuer_);
  if (!candidates) {
    fail(Error(METADATA_INVALID, "the authorization server identifier is not an http(s) URL"));
    return;
  }
  as_candidates_ = std::move(*candidates);
  as_index_ = 0;
  next_as(now_ms);
}

void Authorizer::next_as(std::uint64_t now_ms) {
  if (as_index_ >= as_candidates_.size()) {
    if (issuer_mismatch_seen_) {
      fail(Error(ISSUER_MISMATCH, "authorization server metadata names another issuer than " + issuer_));
      return;
    }
    if (!legacy_) {
      fail(Error(METADATA_NOT_FOUND, "no authorization server metadata for " + issuer_));
      return;
    }
    // 2025-03-26: default endpoints on the MCP origin.
    auto fallback = build_fallback_endpoints(config_.server_url);
    if (!fallback) {
      fail(Error(INVALID_CONFIG, "the server URL is not an http(s) URL"));
      return;
    }
    AuthorizationServerMetadata m;
    m.issuer = fallback->issuer;
    m.authorization_endpoint = fallback->authorization_endpoint;
    m.token_endpoint = fallback->token_endpoint;
    m.registration_endpoint = fallback->registration_endpoint;
    m.code_challenge_methods_supported = {"S256"};
    use_metadata(std::move(m), now_ms);
    return;
  }
  const std::string& url = as_candidates_[as_index_++].url;
  if (!is_secure_endpoint(url)) {
    fail(insecure("authorization server metadata", url));
    return;
  }
  send(metadata_request(url));
}

void Authorizer::on_as(const transport::HttpResponseHead& head, std::string_view body, std::uint64_t now_ms) {
  if (retryable_status(head.status)) {
    if (!retry_later(now_ms)) {
      fail(Error(NETWORK, "authorization server metadata kept failing (HTTP " + std::to_string(head.status) + ")"));
    }
    return;
  }
  if (head.status != 200) {
    next_as(now_ms);
    return;
  }
  auto m = parse_authorization_server_metadata(body);
  if (!m) {
    fail(m.take_error());
    return;
  }
  // RFC 8414 §3.3: `issuer` must be the identifier the URL was built from.
  // 2026-07-28 makes other metadata unusable; 2025 servers are let through.
  bool modern = config_.protocol_version >= "2026-07-28";
  if (m->issuer != issuer_ && modern && !legacy_) {
    issuer_mismatch_seen_ = true;
    next_as(now_ms);
    return;
  }
  if (!contains(m->code_challenge_methods_supported, "S256") &&
      (config_.oauth.require_s256_metadata || !m->code_challenge_methods_supported.empty())) {
    fail(Error(PKCE_UNSUPPORTED, "the authorization server does not advertise PKCE S256"));
    return;
  }
  use_metadata(std::move(*m), now_ms);
}

void Authorizer::use_metadata(AuthorizationServerMetadata m, std::uint64_t now_ms) {
  if (!is_secure_endpoint(m.authorization_endpoint)) {
    fail(insecure("the authorization endpoint", m.authorization_endpoint));
    return;
  }
  if (!is_secure_endpoint(m.token_endpoint)) {
    fail(insecure("the token endpoint", m.token_endpoint));
    return;
  }
  if (m.registration_endpoint && !is_secure_endpoint(*m.registration_endpoint)) {
    fail(insecure("the registration endpoint", *m.registration_endpoint));
    return;
  }
  as_ = std::move(m);
  start_client_identity(now_ms);
}

void Authorizer::start_client_identity(std::uint64_t now_ms) {
  if (config_.oauth.pre_registered &&
      (config_.oauth.pre_registered_issuer.empty() || config_.oauth.pre_registered_issuer == as_->issuer)) {
    client_ = *config_.oauth.pre_registered;
    start_authorize(now_ms);
    return;
  }
  switch (config_.oauth.grant) {
    case OAuthSettings::Grant::jwt_bearer:
      start_authorize(now_ms);  // the assertion identifies the workload; no client needed
      return;
    case OAuthSettings::Grant::client_credentials:
    case OAuthSettings::Grant::enterprise:
      fail(Error(NO_CLIENT_IDENTITY, "this grant needs a pre-registered client for this issuer"));
      return;
    case OAuthSettings::Grant::authorization_code:
      break;
  }
  // A client registered earlier with this issuer (never another issuer's).
  step_ = Step::load_client;
  pending_load_ = client_key(as_->issuer);
  effects_.emplace_back(LoadValue{pending_load_});
}

void Authorizer::on_client_loaded(std::optional<std::string_view> value, std::uint64_t now_ms) {
  if (value) {
    auto j = parse_json(*value, METADATA_JSON_LIMITS);
    if (j && j->is_object() && find_string(*j, "issuer") == std::string_view(as_->issuer) &&
        find_string(*j, "redirect_uri") == std::string_view(config_.oauth.redirect_uri)) {
      auto id = find_string(*j, "client_id");
      auto expires = find_integer(*j, "client_secret_expires_at").value_or(0);
      bool expired = expires > 0 && static_cast<std::uint64_t>(expires) * 1000 <= now_ms;
      if (id && !id->empty() && !expired) {
        ClientCredentials c;
        c.client_id = std::string(*id);
        if (auto s = find_string(*j, "client_secret")) c.client_secret = std::string(*s);
        if (auto m = find_string(*j, "token_endpoint_auth_method")) c.token_endpoint_auth_method = std::string(*m);
        client_ = std::move(c);
        start_authorize(now_ms);
        return;
      }
    }
  }
  const std::string& cimd = config_.oauth.client_metadata_url;
  if (as_->client_id_metadata_document_supported && !cimd.empty()) {
    auto u = parse_url(cimd);
    if (!u || u->scheme != "https" || u->path.empty() || u->path == "/" || u->fragment) {
      fail(Error(INVALID_CONFIG, "client_metadata_url must be an https URL with a path"));
      return;
    }
    ClientCredentials c;
    c.client_id = cimd;
    c.token_endpoint_auth_method = "none";
    client_ = std::move(c);
    start_authorize(now_ms);
    return;
  }
  if (as_->registration_endpoint) {
    register_client(now_ms);
    return;
  }
  fail(
      Error(NO_CLIENT_IDENTITY,
            "the authorization server offers no client registration: configure a pre-registered client or an API key"));
}

void Authorizer::register_client(std::uint64_t) {
  step_ = Step::register_client;
  std::string scope = challenge_ ? challenge_->scope.value_or("") : "";
  if (scope.empty() && prm_) scope = join_scope(prm_->scopes_supported);
  send(build_registration_request(*as_->registration_endpoint, config_.oauth.client_metadata, scope));
}

void Authorizer::on_registered(const transport::HttpResponseHead& head, std::string_view body, std::uint64_t now_ms) {
  if (retryable_status(head.status)) {
    if (!retry_later(now_ms)) {
      fail(Error(NETWORK, "client registration kept failing (HTTP " + std::to_string(head.status) + ")"));
    }
    return;
  }
  if (head.status != 200 && head.status != 201) {
    fail(Error(REGISTRATION_FAILED,
               "client registration refused (HTTP " + std::to_string(head.status) + describe_oauth_error(body) + ")"));
    return;
  }
  auto info = parse_registration_response(body);
  if (!info) {
    fail(info.take_error());
    return;
  }
  ClientCredentials c;
  c.client_id = info->client_id;
  c.client_secret = info->client_secret;
  c.token_endpoint_auth_method = info->token_endpoint_auth_method;
  client_ = c;
  json record = json::object();
  record["issuer"] = as_->issuer;
  record["redirect_uri"] = config_.oauth.redirect_uri;
  record["client_id"] = c.client_id;
  if (c.client_secret) record["client_secret"] = *c.client_secret;
  if (c.token_endpoint_auth_method) record["token_endpoint_auth_method"] = *c.token_endpoint_auth_method;
  if (info->client_secret_expires_at) record["client_secret_expires_at"] = *info->client_secret_expires_at;
  effects_.emplace_back(StoreValue{client_key(as_->issuer), dump_json(record)});
  start_authorize(now_ms);
}

void Authorizer::start_authorize(std::uint64_t now_ms) {
  switch (config_.oauth.grant) {
    case OAuthSettings::Grant::client_credentials:
    case OAuthSettings::Grant::jwt_bearer:
    case OAuthSettings::Grant::enterprise:
      start_client_credentials(now_ms);
      return;
    case OAuthSettings::Grant::authorization_code:
      break;
  }
  step_ = Step::random;
  effects_.emplace_back(NeedRandom{48});  // 32 for the PKCE verifier, 16 for state
}

void Authorizer::on_random(std::string_view bytes, std::uint64_t) {
  if (bytes.size() < 48) {
    fail(Error(INVALID_CONFIG, "48 random bytes were asked for, fewer came"));
    return;
  }
  auto pkce = make_pkce(bytes.substr(0, 32));
  if (!pkce) {
    fail(pkce.take_error());
    return;
  }
  verifier_ = pkce->verifier;
  state_ = make_state(bytes.substr(32, 16));
  if (scope_override_) {
    requested_scope_ = *scope_override_;
  } else {
    std::optional<std::string> challenge_scope = challenge_ ? challenge_->scope : std::nullopt;
    requested_scope_ = select_scope(challenge_scope, prm_ ? prm_->scopes_supported : std::vector<std::string>{},
                                    as_->scopes_supported, config_.oauth.want_refresh);
  }
  AuthorizationRequest r;
  r.authorization_endpoint = as_->authorization_endpoint;
  r.client_id = client_->client_id;
  r.redirect_uri = config_.oauth.redirect_uri;
  r.scope = requested_scope_;
  r.state = state_;
  r.code_challenge = pkce->challenge;
  r.resource = resource_;
  step_ = Step::redirect;
  effects_.emplace_back(OpenUrl{build_authorization_url(r)});
}

void Authorizer::handle_redirect(std::string_view callback_url, std::uint64_t) {
  if (step_ != Step::redirect) return;
  auto code = parse_authorization_callback(callback_url, state_, as_->issuer,
                                           as_->authorization_response_iss_parameter_supported);
  if (!code) {
    fail(code.take_error());
    return;
  }
  code_ = std::move(code->code);
  step_ = Step::code_exchange;
  TokenAuthMethod method = select_token_auth_method(*client_, as_->token_endpoint_auth_methods_supported);
  send_token(build_authorization_code_request(as_->token_endpoint, *client_, method, code_, verifier_,
                                              config_.oauth.redirect_uri, resource_));
}

}  // namespace mcpw::auth
