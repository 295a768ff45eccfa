#include "auth/requests.h"

#include <algorithm>

#include "support/base64.h"
#include "support/json.h"
#include "support/sha256.h"
#include "support/url.h"

namespace mcpw::auth {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::optional<std::string_view> find_param(const std::vector<std::pair<std::string, std::string>>& params,
                                           std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::size_t count_param(const std::vector<std::pair<std::string, std::string>>& params, std::string_view name) {
  std::size_t n = 0;
  for (const auto& p : params) n += p.first == name ? 1 : 0;
  return n;
}

}  // namespace

std::string compute_s256_challenge(std::string_view verifier) {
  auto digest = sha256(verifier);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

Result<Pkce> make_pkce(std::string_view random_bytes) {
  if (random_bytes.size() < 32) return Error(INVALID_CONFIG, "PKCE needs at least 32 random bytes");
  // 96 bytes -> 128 characters, the RFC 7636 §4.1 maximum.
  Pkce p;
  p.verifier = base64url_encode(random_bytes.substr(0, 96));
  p.challenge = compute_s256_challenge(p.verifier);
  return p;
}

std::string make_state(std::string_view random_bytes) { return base64url_encode(random_bytes); }

std::vector<std::string> split_scope(std::string_view scope) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < scope.size()) {
    while (i < scope.size() && scope[i] == ' ') ++i;
    std::size_t start = i;
    while (i < scope.size() && scope[i] != ' ') ++i;
    if (i > start) {
      std::string token(scope.substr(start, i - start));
      if (!contains(out, token)) out.push_back(std::move(token));
    }
  }
  return out;
}

std::string join_scope(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

std::string union_scopes(std::string_view a, std::string_view b) {
  auto tokens = split_scope(a);
  for (auto& t : split_scope(b)) {
    if (!contains(tokens, t)) tokens.push_back(std::move(t));
  }
  return join_scope(tokens);
}

std::string select_scope(const std::optional<std::string>& challenge_scope,
                         const std::vector<std::string>& resource_scopes_supported,
                         const std::vector<std::string>& as_scopes_supported, bool want_refresh) {
  std::vector<std::string> tokens;
  if (challenge_scope && !split_scope(*challenge_scope).empty()) {
    tokens = split_scope(*challenge_scope);
  } else {
    tokens = split_scope(join_scope(resource_scopes_supported));
  }
  constexpr std::string_view OFFLINE = "offline_access";
  if (want_refresh && !tokens.empty() && contains(as_scopes_supported, OFFLINE) && !contains(tokens, OFFLINE)) {
    tokens.emplace_back(OFFLINE);
  }
  return join_scope(tokens);
}

std::string build_authorization_url(const AuthorizationRequest& r) {
  std::vector<std::pair<std::string, std::string>> params = {
      {"response_type", "code"},         {"client_id", r.client_id},       {"code_challenge", r.code_challenge},
      {"code_challenge_method", "S256"}, {"redirect_uri", r.redirect_uri}, {"state", r.state},
  };
  if (!r.scope.empty()) params.emplace_back("scope", r.scope);
  if (r.resource) params.emplace_back("resource", *r.resource);
  std::string url = r.authorization_endpoint;
  if (auto hash = url.find('#'); hash != std::string::npos) url.erase(hash);  // RFC 6749 §3.1: no fragment
  char sep = url.find('?') == std::string::npos ? '?' : '&';
  if (!url.empty() && (url.back() == '?' || url.back() == '&')) sep = '\0';
  for (const auto& [k, v] : params) {
    if (sep) url += sep;
    url += percent_encode(k);
    url += '=';
    url += percent_encode(v);
    sep = '&';
  }
  return url;
}

Result<AuthorizationCode> parse_authorization_callback(std::string_view callback_url, std::string_view expected_state,
                                                       std::string_view expected_issuer, bool iss_required) {
  auto url = parse_url(callback_url);
  if (!url) return Error(CALLBACK_INVALID, "authorization callback: not a valid URL");
  auto params = parse_form(url->query.value_or(""));
  if (!params) return Error(CALLBACK_INVALID, "authorization callback: malformed query");
  for (std::string_view name : {"state", "code", "iss", "error"}) {
    if (count_param(*params, name) > 1) {
      return Error(CALLBACK_INVALID, "authorization callback: repeated `" + std::string(name) + "`");
    }
  }
  auto state = find_param(*params, "state");
  if (!state || *state != expected_state) {
    return Error(STATE_MISMATCH, "authorization callback: `state` does not match the request");
  }
  auto iss = find_param(*params, "iss");
  if (iss_required && !iss) {
    return Error(ISSUER_MISMATCH, "authorization callback: `iss` missing though the server advertises it");
  }
  if (iss && *iss != expected_issuer) {
    return Error(ISSUER_MISMATCH,
                 "authorization callback: `iss` is not the expected issuer " + std::string(expected_issuer));
  }
  if (auto error = find_param(*params, "error")) {
    std::string msg = "authorization refused: " + std::string(error->substr(0, 64));
    if (auto d = find_param(*params, "error_description")) msg += " (" + std::string(d->substr(0, 200)) + ")";
    return Error(AUTHORIZATION_DENIED, std::move(msg));
  }
  auto code = find_param(*params, "code");
  if (!code || code->empty()) return Error(CALLBACK_INVALID, "authorization callback: no `code`");
  return AuthorizationCode{std::string(*code)};
}

std::string_view token_auth_method_name(TokenAuthMethod method) {
  switch (method) {
    case TokenAuthMethod::client_secret_basic:
      return "client_secret_basic";
    case TokenAuthMethod::client_secret_post:
      return "client_secret_post";
    case TokenAuthMethod::none:
      break;
  }
  return "none";
}

TokenAuthMethod select_token_auth_method(const ClientCredentials& client,
                                         const std::vector<std::string>& as_methods_supported) {
  bool has_secret = client.client_secret && !client.client_secret->empty();
  auto parse = [](std::string_view m) -> std::optional<TokenAuthMethod> {
    if (m == "none") return TokenAuthMethod::none;
    if (m == "client_secret_basic") return TokenAuthMethod::client_secret_basic;
    if (m == "client_secret_post") return TokenAuthMethod::client_secret_post;
    return std::nullopt;
  };
  // No list: RFC 8414 §2 says client_secret_basic is the default.
  if (as_methods_supported.empty()) {
    if (client.token_endpoint_auth_method) {
      auto m = parse(*client.token_endpoint_auth_method);
      if (m && (*m == TokenAuthMethod::none || has_secret)) return *m;
    }
    return has_secret ? TokenAuthMethod::client_secret_basic : TokenAuthMethod::none;
  }
  if (client.token_endpoint_auth_method && contains(as_methods_supported, *client.token_endpoint_auth_method)) {
    auto m = parse(*client.token_endpoint_auth_method);
    if (m && (*m == TokenAuthMethod::none || has_secret)) return *m;
  }
  if (has_secret && contains(as_methods_supported, "client_secret_basic")) return TokenAuthMethod::client_secret_basic;
  if (has_secret && contains(as_methods_supported, "client_secret_post")) return TokenAuthMethod::client_secret_post;
  if (contains(as_methods_supported, "none")) return TokenAuthMethod::none;
  return has_secret ? TokenAuthMethod::client_secret_post : TokenAuthMethod::none;
}

transport::HttpRequest build_token_request(std::string_view token_endpoint,
                                           std::vector<std::pair<std::string, std::string>> form,
                                           const ClientCredentials& client, TokenAuthMethod method) {
  transport::HttpRequest req;
  req.method = "POST";
  req.url = std::string(token_endpoint);
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  req.headers.emplace_back("Accept", "application/json");
  switch (method) {
    case TokenAuthMethod::client_secret_basic: {
      // RFC 6749 §2.3.1: both parts form-encoded before base64.
      std::string pair = form_encode(client.client_id) + ":" + form_encode(client.client_secret.value_or(""));
      req.headers.emplace_back("Authorization", "Basic " + base64_std_encode(pair));
      break;
    }
    case TokenAuthMethod::client_secret_post:
      form.emplace_back("client_id", client.client_id);
      form.emplace_back("client_secret", client.client_secret.value_or(""));
      break;
    case TokenAuthMethod::none:
      form.emplace_back("client_id", client.client_id);
      break;
  }
  req.body = build_form(form);
  return req;
}

transport::HttpRequest build_authorization_code_request(std::string_view token_endpoint,
                                                        const ClientCredentials& client, TokenAuthMethod method,
                                                        std::string_view code, std::string_view verifier,
                                                        std::string_view redirect_uri,
                                                        const std::optional<std::string>& resource) {
  std::vector<std::pair<std::string, std::string>> form = {
      {"grant_type", "authorization_code"},
      {"code", std::string(code)},
      {"code_verifier", std::string(verifier)},
      {"redirect_uri", std::string(redirect_uri)},
  };
  if (resource) form.emplace_back("resource", *resource);
  return build_token_request(token_endpoint, std::move(form), client, method);
}

transport::HttpRequest build_refresh_request(std::string_view token_endpoint, const ClientCredentials& client,
                                             TokenAuthMethod method, std::string_view refresh_token,
                                             const std::optional<std::string>& resource) {
  std::vector<std::pair<std::string, std::string>> form = {
      {"grant_type", "refresh_token"},
      {"refresh_token", std::string(refresh_token)},
  };
  if (resource) form.emplace_back("resource", *resource);
  return build_token_request(token_endpoint, std::move(form), client, method);
}

transport::HttpRequest build_registration_request(std::string_view registration_endpoint,
                                                  const ClientMetadata& metadata, std::string_view scope) {
  json body = json::object();
  body["client_name"] = metadata.client_name;
  body["redirect_uris"] = metadata.redirect_uris;
  body["grant_types"] = json::array({"authorization_code", "refresh_token"});
  body["response_types"] = json::array({"code"});
  body["token_endpoint_auth_method"] = metadata.token_endpoint_auth_method;
  if (!metadata.application_type.empty()) body["application_type"] = metadata.application_type;
  if (!scope.empty()) body["scope"] = std::string(scope);
  if (metadata.client_uri) body["client_uri"] = *metadata.client_uri;
  if (metadata.logo_uri) body["logo_uri"] = *metadata.logo_uri;
  if (metadata.software_id) body["software_id"] = *metadata.software_id;
  if (metadata.software_version) body["software_version"] = *metadata.software_version;
  transport::HttpRequest req;
  req.method = "POST";
  req.url = std::string(registration_endpoint);
  req.headers.emplace_back("Content-Type", "application/json");
  req.headers.emplace_back("Accept", "application/json");
  req.body = dump_json(body);
  return req;
}

std::string default_application_type(std::string_view redirect_uri) {
  auto url = parse_url(redirect_uri);
  if (!url) return "native";
  if (url->scheme == "https") return "web";
  if (url->scheme == "http") return is_loopback_host(url->host) ? "native" : "web";
  return "native";  // private-use URI scheme (RFC 8252 §7.1)
}

}  // namespace mcpw::auth
