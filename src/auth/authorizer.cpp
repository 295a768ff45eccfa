// The machine's lifecycle: entry points, effects, storage, retries and
// outcomes. Discovery, client identity and the authorization request are in
// authorizer_flow.cpp. The rules are written at the top of authorizer.h.

#include "auth/authorizer.h"

#include <algorithm>

#include "support/json.h"
#include "support/url.h"

namespace mcpw::auth {
namespace {

constexpr std::uint64_t MAX_EXPIRES_IN_S = 10ull * 365 * 24 * 3600;  // clamp absurd lifetimes

void replace_all(std::string& text, std::string_view secret) {
  if (secret.size() < 4) return;  // too short to be a credential; would mangle prose
  constexpr std::string_view MASK = "[redacted]";
  std::size_t pos = 0;
  while ((pos = text.find(secret, pos)) != std::string::npos) {
    text.replace(pos, secret.size(), MASK);
    pos += MASK.size();
  }
}

bool same_origin(std::string_view a, std::string_view b) {
  auto ua = parse_url(a);
  auto ub = parse_url(b);
  if (!ua || !ub || !ua->has_authority || !ub->has_authority) return false;
  return url_origin(*ua) == url_origin(*ub);
}

}  // namespace

Authorizer::Authorizer(AuthConfig config) : config_(std::move(config)), next_exchange_(config_.first_exchange) {
  ClientMetadata& m = config_.oauth.client_metadata;
  if (m.redirect_uris.empty() && !config_.oauth.redirect_uri.empty())
    m.redirect_uris.push_back(config_.oauth.redirect_uri);
  if (m.application_type.empty()) m.application_type = default_application_type(config_.oauth.redirect_uri);
}

std::string Authorizer::tokens_key() const { return config_.storage_prefix + ".tokens|" + config_.server_url; }

std::string Authorizer::lock_key() const { return config_.storage_prefix + ".lock|" + config_.server_url; }

std::string Authorizer::client_key(std::string_view issuer) const {
  return config_.storage_prefix + ".client|" + std::string(issuer);
}

// ---- entry points -----------------------------------------------------------

bool Authorizer::ensure(std::uint64_t now_ms) {
  now_ = std::max(now_, now_ms);
  if (busy()) return false;
  if (is_static()) return true;
  if (token_valid(now_ms)) return true;
  if (!loaded_) {
    start_load_tokens();
  } else if (tokens_ && tokens_->refresh_token) {
    start_refresh(now_ms);
  } else {
    start_sign_in(now_ms);
  }
  return false;
}

void Authorizer::handle_unauthorized(std::string_view www_authenticate, std::uint64_t now_ms) {
  now_ = std::max(now_, now_ms);
  if (busy()) return;  // single flight: the running flow's outcome answers this 401 too
  challenge_ = parse_bearer_challenge(www_authenticate);
  if (is_static()) {
    if (config_.static_credentials->refreshable && !static_asked_) {
      static_asked_ = true;
      step_ = Step::static_token;
      effects_.emplace_back(NeedStaticToken{});
      return;
    }
    fail(Error(UNAUTHORIZED,
               "the server refused the configured credentials (HTTP 401): check the API key or make a new one"));
    return;
  }
  if (++unauthorized_count_ > config_.max_unauthorized) {
    fail(Error(UNAUTHORIZED, "the server keeps answering 401 after new credentials"));
    return;
  }
  // RFC 9449 §9: a resource server asking for a nonce is not refusing the
  // token; the request goes again with a proof carrying the nonce.
  if (uses_dpop()) {
    if (auto all = parse_www_authenticate(www_authenticate)) {
      for (const auto& c : *all) {
        if (transport::iequals(c.scheme, "DPoP") && c.param("error") == std::string_view("use_dpop_nonce")) {
          succeed();
          return;
        }
      }
    }
  }
  if (tokens_ && tokens_->refresh_token && !refreshed_after_401_) {
    refreshed_after_401_ = true;
    refused_access_ = tokens_->access_token;
    start_refresh(now_ms);
    return;
  }
  if (!loaded_) {
    start_load_tokens();
    return;
  }
  if (tokens_) refused_access_ = tokens_->access_token;
  forget_tokens();  // refused: never send it again (storage is overwritten on success)
  start_sign_in(now_ms);
}

bool Authorizer::handle_forbidden(std::string_view www_authenticate, std::uint64_t now_ms) {
  now_ = std::max(now_, now_ms);
  auto c = parse_bearer_challenge(www_authenticate);
  if (!c || c->error != "insufficient_scope" || is_static()) return false;
  if (busy()) return true;
  if (step_ups_ >= config_.max_step_ups) {
    fail(Error(INSUFFICIENT_SCOPE, "the server still answers insufficient_scope after " +
                                       std::to_string(config_.max_step_ups) + " new authorizations"));
    return true;
  }
  ++step_ups_;
  std::string current = tokens_ ? tokens_->scope : requested_scope_;
  scope_override_ = union_scopes(current, c->scope.value_or(""));
  if (c->resource_metadata) challenge_ = c;
  if (as_ && client_) {
    start_authorize(now_ms);
  } else {
    start_sign_in(now_ms);
  }
  return true;
}

void Authorizer::note_success() {
  unauthorized_count_ = 0;
  step_ups_ = 0;
  refreshed_after_401_ = false;
  static_asked_ = false;
}

transport::Headers Authorizer::headers_for(std::string_view url) const {
  transport::Headers out;
  if (!same_origin(url, config_.server_url)) return out;
  if (tokens_ && tokens_->dpop && !config_.oauth.dpop_key_id.empty()) return out;  // begin_request_proof instead
  if (is_static()) {
    const StaticCredentials& s = *config_.static_credentials;
    out = s.headers;
    if (s.bearer) out.emplace_back("Authorization", "Bearer " + *s.bearer);
    return out;
  }
  if (tokens_ && !tokens_->access_token.empty()) out.emplace_back("Authorization", "Bearer " + tokens_->access_token);
  return out;
}

// ---- inputs -------------------------------------------------------------------

void Authorizer::handle_response(transport::ExchangeId ex, const transport::HttpResponseHead& head,
                                 std::string_view body, std::uint64_t now_ms) {
  if (!exchange_ || *exchange_ != ex) return;  // stale or foreign exchange
  exchange_.reset();
  streamed_head_.reset();
  streamed_body_.clear();
  dispatch(head, body, now_ms);
}

void Authorizer::handle_response_head(transport::ExchangeId ex, const transport::HttpResponseHead& head,
                                      std::uint64_t) {
  if (!exchange_ || *exchange_ != ex || streamed_head_) return;
  streamed_head_ = head;
  streamed_body_.clear();
}

void Authorizer::handle_body(transport::ExchangeId ex, std::string_view bytes, std::uint64_t) {
  if (!exchange_ || *exchange_ != ex || !streamed_head_) return;
  if (streamed_body_.size() + bytes.size() > config_.max_body_bytes) {
    streamed_head_.reset();
    streamed_body_.clear();
    fail(Error(LIMIT_EXCEEDED, "an OAuth response body exceeds " + std::to_string(config_.max_body_bytes) + " bytes"));
    return;
  }
  streamed_body_.append(bytes);
}

void Authorizer::handle_body_end(transport::ExchangeId ex, std::uint64_t now_ms) {
  if (!exchange_ || *exchange_ != ex || !streamed_head_) return;
  exchange_.reset();
  transport::HttpResponseHead head = std::move(*streamed_head_);
  std::string body = std::move(streamed_body_);
  streamed_head_.reset();
  streamed_body_.clear();
  dispatch(head, body, now_ms);
}

void Authorizer::dispatch(const transport::HttpResponseHead& head, std::string_view body, std::uint64_t now_ms) {
  now_ = std::max(now_, now_ms);
  if (body.size() > config_.max_body_bytes) {
    fail(Error(LIMIT_EXCEEDED, "an OAuth response body exceeds " + std::to_string(config_.max_body_bytes) + " bytes"));
    return;
  }
  switch (step_) {
    case Step::prm:
      on_prm(head, body, now_ms);
      break;
    case Step::as_metadata:
      on_as(head, body, now_ms);
      break;
    case Step::register_client:
      on_registered(head, body, now_ms);
      break;
    case Step::code_exchange:
    case Step::refresh:
      on_token_response(head, body, now_ms);
      break;
    case Step::token_exchange:
      on_token_exchange(head, body, now_ms);
      break;
    default:
      break;
  }
}

void Authorizer::handle_network_error(transport::ExchangeId ex, std::string_view message, std::uint64_t now_ms) {
  now_ = std::max(now_, now_ms);
  if (!exchange_ || *exchange_ != ex) return;
  exchange_.reset();
  streamed_head_.reset();
  streamed_body_.clear();
  if (retry_later(now_ms)) return;
  if (step_ == Step::refresh && tokens_ && tokens_->expires_at_ms && now_ms < *tokens_->expires_at_ms) {
    succeed();  // the AS is unreachable but the current token has not expired yet
    return;
  }
  std::string what(message);
  redact(what);
  fail(Error(NETWORK, "network error talking to the authorization server (" + what.substr(0, 200) + "), after " +
                          std::to_string(config_.max_retries) + " retries"));
}

void Authorizer::handle_loaded(std::string_view key, std::optional<std::string_view> value, std::uint64_t now_ms) {
  now_ = std::max(now_, now_ms);
  if (pending_load_.empty() || key != pending_load_) return;
  pending_load_.clear();
  switch (step_) {
    case Step::load_tokens:
      on_tokens_loaded(value, now_ms);
      break;
    case Step::reload_tokens:
      on_reloaded(value, now_ms);
      break;
    case Step::load_client:
      on_client_loaded(value, now_ms);
      break;
    case Step::locked_reload:
      on_locked_reload(value, now_ms);
      break;
    default:
      break;
  }
}

void Authorizer::handle_random(std::string_view bytes, std::uint64_t now_ms) {
  now_ = std::max(now_, now_ms);
  if (step_ == Step::random) {
    on_random(bytes, now_ms);
  } else if (step_ == Step::assertion_random) {
    on_assertion_random(bytes, now_ms);
  }
}

void Authorizer::handle_redirect_cancelled(std::uint64_t) {
  if (step_ != Step::redirect) return;
  fail(Error(REDIRECT_CANCELLED, "the sign-in was abandoned"));
}

void Authorizer::handle_static_token(std::optional<std::string> token, std::uint64_t) {
  if (step_ != Step::static_token) return;
  if (!token || token->empty()) {
    fail(Error(UNAUTHORIZED, "the server refused the credentials and the token getter gave no new one"));
    return;
  }
  config_.static_credentials->bearer = std::move(*token);
  succeed();
}

void Authorizer::handle_timeout(std::uint64_t now_ms) {
  now_ = std::max(now_, now_ms);
  if (!retry_at_ || now_ms < *retry_at_) return;
  retry_at_.reset();
  if (transport::find_header(last_request_.headers, "DPoP")) {
    dpop_pending_ = unsigned_token_request_;
    sign_token_request(false);  // a proof is single-use: sign anew
    return;
  }
  transport::HttpRequest again = last_request_;
  again.exchange = next_exchange_++;
  exchange_ = again.exchange;
  effects_.emplace_back(std::move(again));
}

std::optional<Effect> Authorizer::poll_effect() {
  if (effects_.empty()) return std::nullopt;
  Effect e = std::move(effects_.front());
  effects_.pop_front();
  return e;
}

std::optional<Status> Authorizer::poll_outcome() {
  if (outcomes_.empty()) return std::nullopt;
  Status s = std::move(outcomes_.front());
  outcomes_.pop_front();
  return s;
}

std::optional<std::uint64_t> Authorizer::next_deadline() const { return retry_at_; }

// ---- helpers ------------------------------------------------------------------

bool Authorizer::token_valid(std::uint64_t now_ms) const {
  if (!tokens_ || tokens_->access_token.empty()) return false;
  if (!tokens_->expires_at_ms) return true;
  std::uint64_t expires = *tokens_->expires_at_ms;
  // Refresh ahead of expiry, but never more than half the lifetime ahead (a
  // 30 s token with a 60 s skew would otherwise refresh forever).
  std::uint64_t lifetime = expires > tokens_->obtained_at_ms ? expires - tokens_->obtained_at_ms : 0;
  std::uint64_t skew = std::min(config_.refresh_skew_ms, lifetime / 2);
  return now_ms + skew < expires;
}

void Authorizer::start_load_tokens() {
  step_ = Step::load_tokens;
  pending_load_ = tokens_key();
  effects_.emplace_back(LoadValue{pending_load_});
}

void Authorizer::start_refresh(std::uint64_t now_ms) {
  if (lock_first(Next::refresh)) return;
  if (!is_secure_endpoint(tokens_->token_endpoint)) {
    forget_tokens();
    start_sign_in(now_ms);
    return;
  }
  step_ = Step::refresh;
  refresh_used_ = tokens_->refresh_token;
  TokenAuthMethod method = select_token_auth_method(tokens_->client, {});
  send_token(build_refresh_request(tokens_->token_endpoint, tokens_->client, method, *tokens_->refresh_token,
                                   tokens_->resource));
}

void Authorizer::send(transport::HttpRequest request) {
  if (dpop_fresh_) retries_ = 0;
  dpop_fresh_ = true;
  request.exchange = next_exchange_++;
  exchange_ = request.exchange;
  last_request_ = request;
  effects_.emplace_back(std::move(request));
}

bool Authorizer::retry_later(std::uint64_t now_ms) {
  if (retries_ >= config_.max_retries) return false;
  retry_at_ = now_ms + (config_.retry_base_ms << std::min(retries_, 16));
  ++retries_;
  return true;
}

// Ends the flow in progress: nothing of it (codes, verifiers, assertions,
// request bodies with refresh tokens) outlives it, and the lock is released.
void Authorizer::end_flow() {
  step_ = Step::idle;
  exchange_.reset();
  streamed_head_.reset();
  streamed_body_.clear();
  retry_at_.reset();
  pending_load_.clear();
  code_.clear();
  verifier_.clear();
  state_.clear();
  scope_override_.reset();
  reloaded_once_ = false;
  assertion_.clear();
  signing_input_.clear();
  last_request_ = {};  // its body may hold a code, a verifier or a refresh token
  unsigned_token_request_ = {};
  dpop_pending_.reset();
  dpop_input_.clear();
  nonce_retried_ = false;
  release_lock();
}

void Authorizer::succeed() {
  end_flow();
  outcomes_.emplace_back();
}

void Authorizer::forget_tokens() {
  if (!tokens_) return;
  // Still masked in later errors: a server may echo a token we dropped.
  retired_secrets_.push_back(std::move(tokens_->access_token));
  if (tokens_->refresh_token) retired_secrets_.push_back(std::move(*tokens_->refresh_token));
  while (retired_secrets_.size() > 8) retired_secrets_.erase(retired_secrets_.begin());
  tokens_.reset();
}

void Authorizer::redact(std::string& text) const {
  // No secret may leave the machine (issue 4 "Security"): mask every one we know.
  std::vector<std::string_view> secrets = {code_, verifier_, state_, assertion_};
  for (const auto& r : retired_secrets_) secrets.push_back(r);
  secrets.push_back(config_.oauth.assertion);
  secrets.push_back(config_.oauth.id_token);
  if (config_.oauth.idp_client && config_.oauth.idp_client->client_secret) {
    secrets.push_back(*config_.oauth.idp_client->client_secret);
  }
  if (tokens_) {
    secrets.push_back(tokens_->access_token);
    if (tokens_->refresh_token) secrets.push_back(*tokens_->refresh_token);
    if (tokens_->client.client_secret) secrets.push_back(*tokens_->client.client_secret);
  }
  if (refresh_used_) secrets.push_back(*refresh_used_);
  if (client_ && client_->client_secret) secrets.push_back(*client_->client_secret);
  if (config_.oauth.pre_registered && config_.oauth.pre_registered->client_secret) {
    secrets.push_back(*config_.oauth.pre_registered->client_secret);
  }
  if (config_.static_credentials) {
    if (config_.static_credentials->bearer) secrets.push_back(*config_.static_credentials->bearer);
    for (const auto& h : config_.static_credentials->headers) secrets.push_back(h.second);
  }
  for (auto s : secrets) replace_all(text, s);
}

std::string Authorizer::describe_oauth_error(std::string_view body) const {
  auto err = parse_oauth_error(body);
  if (!err) return "";
  // Redact before truncating: a cut secret would no longer match.
  std::string error = err->error;
  redact(error);
  std::string out = ", " + error.substr(0, 64);
  if (err->error_description) {
    std::string d = *err->error_description;
    redact(d);
    out += ": " + d.substr(0, 200);
  }
  return out;
}

void Authorizer::fail(Error error) {
  redact(error.message);
  redact(error.data_json);
  end_flow();
  outcomes_.emplace_back(std::move(error));
}

void Authorizer::store_tokens() { effects_.emplace_back(StoreValue{tokens_key(), dump_token_record(*tokens_)}); }

void Authorizer::wipe_tokens() { effects_.emplace_back(StoreValue{tokens_key(), std::nullopt}); }

void Authorizer::on_tokens_loaded(std::optional<std::string_view> value, std::uint64_t now_ms) {
  loaded_ = true;
  if (value) {
    if (auto rec = parse_token_record_for(*value, config_.oauth.dpop_public_jwk)) tokens_ = std::move(*rec);
  }
  if (token_valid(now_ms)) {
    succeed();
  } else if (tokens_ && tokens_->refresh_token) {
    start_refresh(now_ms);
  } else {
    forget_tokens();
    start_sign_in(now_ms);
  }
}

void Authorizer::on_reloaded(std::optional<std::string_view> value, std::uint64_t now_ms) {
  std::optional<TokenRecord> rec;
  if (value) rec = parse_token_record_for(*value, config_.oauth.dpop_public_jwk);
  // Another tab or isolate may have rotated the refresh token meanwhile: its
  // record then holds a different one, which we adopt instead of wiping.
  if (rec && tokens_ && rec->issuer == tokens_->issuer && rec->refresh_token != refresh_used_) {
    tokens_ = std::move(*rec);
    if (token_valid(now_ms)) {
      succeed();
      return;
    }
    if (tokens_->refresh_token) {
      start_refresh(now_ms);
      return;
    }
  }
  wipe_tokens();
  forget_tokens();
  start_sign_in(now_ms);
}

void Authorizer::on_token_response(const transport::HttpResponseHead& head, std::string_view body,
                                   std::uint64_t now_ms) {
  auto give_up_or_retry = [&] {
    if (retry_later(now_ms)) return;
    if (step_ == Step::refresh && tokens_ && tokens_->expires_at_ms && now_ms < *tokens_->expires_at_ms) {
      succeed();
      return;
    }
    fail(Error(NETWORK, "the token endpoint kept failing (HTTP " + std::to_string(head.status) + ")"));
  };
  if (auto nonce = transport::find_header(head.headers, "dpop-nonce"); nonce && nonce->size() <= 1024) {
    as_nonce_ = std::string(*nonce);
  }
  if (head.status >= 200 && head.status < 300) {
    auto parsed = parse_token_response(body);
    if (!parsed) {
      fail(parsed.take_error());
      return;
    }
    accept_tokens(std::move(*parsed), now_ms);
    succeed();
    return;
  }
  if (head.status >= 500 || head.status == 429) {
    give_up_or_retry();
    return;
  }
  auto err = parse_oauth_error(body);
  if (err && err->error == "temporarily_unavailable") {
    give_up_or_retry();
    return;
  }
  // RFC 9449 §8: the AS wants a nonce in the proof; sign again once.
  if (err && err->error == "use_dpop_nonce" && !as_nonce_.empty() && !nonce_retried_ &&
      !config_.oauth.dpop_key_id.empty()) {
    nonce_retried_ = true;
    dpop_pending_ = unsigned_token_request_;
    sign_token_request(false);
    return;
  }
  if (step_ == Step::refresh) {
    if (err && err->error == "invalid_grant" && !reloaded_once_) {
      reloaded_once_ = true;
      step_ = Step::reload_tokens;
      pending_load_ = tokens_key();
      effects_.emplace_back(LoadValue{pending_load_});
      return;
    }
    // The refresh token is dead: forget it and sign in again.
    wipe_tokens();
    forget_tokens();
    start_sign_in(now_ms);
    return;
  }
  // A registration the AS no longer knows (RFC 6749 §5.2 invalid_client): drop
  // it, so the next sign-in registers again instead of failing forever.
  bool pre_registered =
      config_.oauth.pre_registered && client_ && client_->client_id == config_.oauth.pre_registered->client_id;
  if (err && err->error == "invalid_client" && as_ && client_ && !pre_registered) {
    effects_.emplace_back(StoreValue{client_key(as_->issuer), std::nullopt});
  }
  fail(Error(TOKEN_ERROR, "the token endpoint refused the request (HTTP " + std::to_string(head.status) +
                              describe_oauth_error(body) + ")"));
}

void Authorizer::accept_tokens(TokenResponse response, std::uint64_t now_ms) {
  TokenRecord rec;
  if (step_ == Step::refresh && tokens_) {
    rec = *tokens_;
  } else {
    rec.issuer = as_->issuer;
    rec.token_endpoint = as_->token_endpoint;
    if (client_) {  // a jwt_bearer workload may have none
      rec.client = *client_;
      rec.client.token_endpoint_auth_method = std::string(
          token_auth_method_name(select_token_auth_method(*client_, as_->token_endpoint_auth_methods_supported)));
    }
    rec.resource = resource_;
    rec.scope = requested_scope_;
    rec.refresh_token.reset();
  }
  rec.access_token = std::move(response.access_token);
  rec.dpop = transport::iequals(response.token_type, "DPoP");
  rec.dpop_jwk = rec.dpop ? config_.oauth.dpop_public_jwk : std::string();
  if (response.refresh_token) rec.refresh_token = std::move(response.refresh_token);
  if (response.scope) rec.scope = std::move(*response.scope);
  rec.obtained_at_ms = now_ms;
  rec.expires_at_ms.reset();
  if (response.expires_in) {
    auto seconds = std::min(static_cast<std::uint64_t>(*response.expires_in), MAX_EXPIRES_IN_S);
    rec.expires_at_ms = now_ms + seconds * 1000;
  }
  tokens_ = std::move(rec);
  loaded_ = true;
  store_tokens();
}

}  // namespace mcpw::auth
