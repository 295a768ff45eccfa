#include "client/config.h"

#include "support/base64.h"

namespace mcpw::client {
namespace {

Error bad(std::string what) { return Error(INVALID_ARGUMENT, "invalid client options: " + std::move(what)); }

bool has_crlf(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

}  // namespace

Result<RequestOptions> parse_request_options(const json& options) {
  RequestOptions o;
  if (options.is_null()) return o;
  if (!options.is_object()) return bad("request options must be an object");
  for (const char* key : {"timeoutMs", "maxTotalTimeoutMs"}) {
    const json* v = find_member(options, key);
    if (!v || v->is_null()) continue;
    auto ms = find_integer(options, key);
    if (!ms || *ms <= 0) return bad(std::string(key) + " must be a positive integer");
    (std::string_view(key) == "timeoutMs" ? o.timeout_ms : o.max_total_timeout_ms) = static_cast<std::uint64_t>(*ms);
  }
  if (auto reset = find_bool(options, "resetTimeoutOnProgress")) o.reset_timeout_on_progress = *reset;
  if (auto v = find_bool(options, "validateArguments")) o.validate_arguments = *v;
  return o;
}

// {redirectUri, clientId, clientSecret, tokenEndpointAuthMethod,
//  preRegisteredIssuer, clientMetadataUrl, clientName, applicationType, grant,
//  signingKeyId, signingAlg, wantRefresh, storagePrefix}
Result<auth::AuthConfig> parse_oauth(const json& o, const std::string& url, Negotiation negotiation) {
  if (!o.is_object()) return bad("oauth must be an object");
  auth::AuthConfig a;
  a.server_url = url;
  a.protocol_version = negotiation == Negotiation::only_2025 ? "2025-11-25" : "2026-07-28";
  auto str = [&](const char* key) -> std::optional<std::string> {
    auto v = find_string(o, key);
    return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
  };
  a.oauth.redirect_uri = str("redirectUri").value_or("");
  if (auto id = str("clientId")) {
    auth::ClientCredentials c;
    c.client_id = *id;
    c.client_secret = str("clientSecret");
    c.token_endpoint_auth_method = str("tokenEndpointAuthMethod");
    a.oauth.pre_registered = std::move(c);
  }
  a.oauth.pre_registered_issuer = str("preRegisteredIssuer").value_or("");
  a.oauth.client_metadata_url = str("clientMetadataUrl").value_or("");
  if (auto n = str("clientName")) a.oauth.client_metadata.client_name = *n;
  if (auto t = str("applicationType")) a.oauth.client_metadata.application_type = *t;
  if (auto g = str("grant")) {
    using Grant = auth::OAuthSettings::Grant;
    if (*g == "client_credentials") {
      a.oauth.grant = Grant::client_credentials;
    } else if (*g == "jwt_bearer") {
      a.oauth.grant = Grant::jwt_bearer;  // workload identity (SEP-1933)
    } else if (*g == "enterprise") {
      a.oauth.grant = Grant::enterprise;  // enterprise-managed authorization (SEP-990)
    } else if (*g != "authorization_code") {
      return bad("oauth.grant must be authorization_code, client_credentials, jwt_bearer or enterprise");
    }
  }
  a.oauth.assertion = str("assertion").value_or("");
  a.oauth.id_token = str("idToken").value_or("");
  a.oauth.idp_token_endpoint = str("idpTokenEndpoint").value_or("");
  if (auto idp = str("idpClientId")) {
    auth::ClientCredentials c;
    c.client_id = *idp;
    c.client_secret = str("idpClientSecret");
    a.oauth.idp_client = std::move(c);
  }
  // DPoP (RFC 9449): the host holds the private key; the core gets its public
  // JWK and a random seed for proof ids.
  a.oauth.dpop_key_id = str("dpopKeyId").value_or("");
  a.oauth.dpop_public_jwk = str("dpopPublicJwk").value_or("");
  if (auto alg = str("dpopAlg")) a.oauth.dpop_alg = *alg;
  if (auto seed = str("dpopSeedHex")) {
    auto bytes = hex_decode(*seed);
    if (!bytes) return bad("oauth.dpopSeedHex must be hex");
    a.oauth.dpop_seed = std::move(*bytes);
  }
  if (a.oauth.grant == auth::OAuthSettings::Grant::authorization_code && a.oauth.redirect_uri.empty()) {
    return bad("oauth.redirectUri is required for the authorization code grant");
  }
  a.oauth.signing_key_id = str("signingKeyId").value_or("");
  if (auto alg = str("signingAlg")) a.oauth.signing_alg = *alg;
  if (auto r = find_bool(o, "wantRefresh")) a.oauth.want_refresh = *r;
  if (auto p = str("storagePrefix")) a.storage_prefix = *p;
  if (auto l = find_bool(o, "useLocks")) a.use_locks = *l;
  return a;
}

Result<SessionConfig> parse_session_config(const json& options) {
  if (!options.is_object()) return bad("not an object");
  SessionConfig c;
  auto url = find_string(options, "url");
  if (!url || !(url->rfind("http://", 0) == 0 || url->rfind("https://", 0) == 0)) {
    return bad("url must be an http:// or https:// URL");
  }
  c.url = std::string(*url);
  if (const json* headers = find_member(options, "headers"); headers && !headers->is_null()) {
    if (!headers->is_object()) return bad("headers must be an object of strings");
    for (const auto& [name, value] : headers->items()) {
      if (!value.is_string()) return bad("header " + name + " is not a string");
      const auto& v = value.get_ref<const std::string&>();
      if (name.empty() || has_crlf(name) || has_crlf(v)) return bad("header " + name + " has a line break");
      c.headers.emplace_back(name, v);
    }
  }
  if (const json* info = find_object(options, "clientInfo")) {
    if (!find_string(*info, "name") || !find_string(*info, "version")) {
      return bad("clientInfo needs string name and version");
    }
    c.identity.client_info = *info;
  }
  if (const json* caps = find_object(options, "capabilities")) c.identity.capabilities = *caps;
  if (auto v = find_string(options, "protocolVersion")) {
    // "auto": discover, falling back to initialize; "2026-07-28": modern only;
    // a 2025-era version: the initialize handshake offering it.
    if (*v == "auto") {
      c.negotiation = Negotiation::automatic;
    } else if (*v == protocol::MODERN_PROTOCOL_VERSION) {
      c.negotiation = Negotiation::modern;
    } else if (protocol::is_supported_version(*v)) {
      c.identity.protocol_version = std::string(*v);
    } else {
      return bad("unsupported protocolVersion " + std::string(*v));
    }
  }
  if (const json* t = find_member(options, "timeoutMs"); t && !t->is_null()) {
    auto ms = find_integer(options, "timeoutMs");
    if (!ms || *ms <= 0) return bad("timeoutMs must be a positive integer");
    c.request_timeout_ms = static_cast<std::uint64_t>(*ms);
  }
  if (const json* t = find_member(options, "maxTotalTimeoutMs"); t && !t->is_null()) {
    auto ms = find_integer(options, "maxTotalTimeoutMs");
    if (!ms || *ms <= 0) return bad("maxTotalTimeoutMs must be a positive integer");
    c.max_total_timeout_ms = static_cast<std::uint64_t>(*ms);
  }
  if (const json* h = find_member(options, "handlers"); h && !h->is_null()) {
    if (!h->is_array()) return bad("handlers must be an array of method names");
    for (const json& m : *h) {
      if (!m.is_string()) return bad("handlers must be an array of method names");
      c.handled_server_requests.insert(m.get<std::string>());
    }
  }
  if (auto listen = find_bool(options, "listen")) c.listen = *listen;
  if (auto trace = find_bool(options, "trace")) c.trace = *trace;
  // A static bearer token (Duvo's API keys): sent from the first request on;
  // with a getter, a 401 asks it once for a new one. OAuth never runs.
  if (const json* b = find_object(options, "bearer")) {
    auto token = find_string(*b, "token");
    if (!token || token->empty() || has_crlf(*token)) return bad("bearer.token must be a non-empty string");
    auth::AuthConfig a;
    a.server_url = c.url;
    auth::StaticCredentials creds;
    creds.bearer = std::string(*token);
    creds.refreshable = find_bool(*b, "refreshable") == true;
    a.static_credentials = std::move(creds);
    c.auth = std::move(a);
  }
  if (const json* o = find_member(options, "oauth"); o && !o->is_null()) {
    if (c.auth) return bad("bearer and oauth exclude each other");
    auto a = parse_oauth(*o, c.url, c.negotiation);
    if (!a.ok()) return a.take_error();
    c.auth = std::move(*a);
  }
  if (const json* r = find_member(options, "randomSeed"); r && !r->is_null()) {
    auto seed = find_integer(options, "randomSeed");
    if (!seed) return bad("randomSeed must be an integer");
    c.random_seed = static_cast<std::uint64_t>(*seed);
  }
  if (const json* m = find_member(options, "maxBodyBytes"); m && !m->is_null()) {
    auto n = find_integer(options, "maxBodyBytes");
    if (!n || *n <= 0) return bad("maxBodyBytes must be a positive integer");
    c.body_limits.max_body_bytes = static_cast<std::size_t>(*n);
  }
  if (const json* v = find_member(options, "validation"); v && !v->is_null()) {
    auto mode = find_string(options, "validation");
    if (mode && *mode == "strict") {
      c.validation = Validation::strict;
    } else if (mode && *mode == "warn") {
      c.validation = Validation::warn;
    } else if (mode && *mode == "off") {
      c.validation = Validation::off;
    } else {
      return bad("validation must be \"strict\", \"warn\" or \"off\"");
    }
  }
  if (auto v = find_bool(options, "validateArguments")) c.validate_arguments = *v;
  return c;
}

}  // namespace mcpw::client
