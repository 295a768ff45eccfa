// Storage-facing parts of the machine: the cross-tab lock (use_locks) and
// the stored token record. The rules are written at the top of authorizer.h.

#include "auth/authorizer.h"
#include "support/json.h"

namespace mcpw::auth {

bool Authorizer::lock_first(Next next) {
  if (!config_.use_locks || lock_held_) return false;
  locked_next_ = next;
  step_ = Step::lock;
  effects_.emplace_back(AcquireLock{lock_key()});
  return true;
}

void Authorizer::handle_lock_acquired(std::string_view key, std::uint64_t) {
  if (step_ != Step::lock || key != lock_key()) return;
  lock_held_ = true;
  // Another tab may have refreshed or signed in while we waited.
  step_ = Step::locked_reload;
  pending_load_ = tokens_key();
  effects_.emplace_back(LoadValue{pending_load_});
}

void Authorizer::on_locked_reload(std::optional<std::string_view> value, std::uint64_t now_ms) {
  std::optional<TokenRecord> rec;
  if (value) rec = parse_token_record_for(*value, config_.oauth.dpop_public_jwk);
  bool newer = rec && rec->access_token != refused_access_ &&
               (!tokens_ || (rec->issuer == tokens_->issuer && rec->access_token != tokens_->access_token));
  if (newer) {
    tokens_ = std::move(*rec);
    if (token_valid(now_ms)) {
      succeed();
      return;
    }
  }
  if (locked_next_ == Next::refresh && tokens_ && tokens_->refresh_token) {
    start_refresh(now_ms);
  } else {
    start_sign_in(now_ms);
  }
}

void Authorizer::release_lock() {
  if (!lock_held_) return;
  lock_held_ = false;
  effects_.emplace_back(ReleaseLock{lock_key()});
}

// ---- the stored record ----------------------------------------------------------

std::string dump_token_record(const TokenRecord& r) {
  json j = json::object();
  j["v"] = 1;
  j["issuer"] = r.issuer;
  j["token_endpoint"] = r.token_endpoint;
  j["client_id"] = r.client.client_id;
  if (r.client.client_secret) j["client_secret"] = *r.client.client_secret;
  if (r.client.token_endpoint_auth_method) j["token_endpoint_auth_method"] = *r.client.token_endpoint_auth_method;
  if (r.resource) j["resource"] = *r.resource;
  j["access_token"] = r.access_token;
  if (r.refresh_token) j["refresh_token"] = *r.refresh_token;
  if (r.expires_at_ms) j["expires_at_ms"] = *r.expires_at_ms;
  j["obtained_at_ms"] = r.obtained_at_ms;
  j["scope"] = r.scope;
  if (r.dpop) {
    j["dpop"] = true;
    j["dpop_jwk"] = r.dpop_jwk;
  }
  return dump_json(j);
}

std::optional<TokenRecord> parse_token_record(std::string_view text) {
  auto parsed = parse_json(text, METADATA_JSON_LIMITS);
  if (!parsed || !parsed->is_object() || find_integer(*parsed, "v") != 1) return std::nullopt;
  const json& j = *parsed;
  auto str = [&](std::string_view key) -> std::optional<std::string> {
    if (auto s = find_string(j, key)) return std::string(*s);
    return std::nullopt;
  };
  TokenRecord r;
  auto issuer = str("issuer");
  auto endpoint = str("token_endpoint");
  auto client_id = str("client_id");
  auto access = str("access_token");
  if (!issuer || !endpoint || !client_id || !access) return std::nullopt;
  r.issuer = std::move(*issuer);
  r.token_endpoint = std::move(*endpoint);
  r.client.client_id = std::move(*client_id);
  r.client.client_secret = str("client_secret");
  r.client.token_endpoint_auth_method = str("token_endpoint_auth_method");
  r.resource = str("resource");
  r.access_token = std::move(*access);
  r.refresh_token = str("refresh_token");
  if (auto e = find_integer(j, "expires_at_ms"); e && *e >= 0) r.expires_at_ms = static_cast<std::uint64_t>(*e);
  if (auto o = find_integer(j, "obtained_at_ms"); o && *o >= 0) r.obtained_at_ms = static_cast<std::uint64_t>(*o);
  r.scope = str("scope").value_or("");
  r.dpop = find_bool(j, "dpop").value_or(false);
  r.dpop_jwk = str("dpop_jwk").value_or("");
  return r;
}

std::optional<TokenRecord> parse_token_record_for(std::string_view text, std::string_view dpop_jwk) {
  auto r = parse_token_record(text);
  if (r && r->dpop && r->dpop_jwk != dpop_jwk) return std::nullopt;
  return r;
}

}  // namespace mcpw::auth
