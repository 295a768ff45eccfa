#pragma once
// Building OAuth requests and reading the authorization response: PKCE S256
// (RFC 7636), `state` (RFC 6749 §10.12), the authorization URL with RFC 8707
// `resource`, scope selection (MCP 2025-11-25 authorization#scope-selection-strategy),
// the callback with RFC 9207 `iss`, token requests (RFC 6749 §4.1.3, §6,
// §2.3.1 client authentication) and the registration request (RFC 7591 §3.1).
// Pure functions: randomness comes in as bytes.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/errors.h"
#include "auth/metadata.h"
#include "support/result.h"
#include "transport/http.h"

namespace mcpw::auth {

/// A PKCE pair (RFC 7636 §4.1-4.2), method S256.
struct Pkce {
  std::string verifier;   // 43..128 unreserved characters
  std::string challenge;  // BASE64URL(SHA256(ASCII(verifier)))
};

/// RFC 7636 §4.2: the S256 challenge of a verifier.
std::string compute_s256_challenge(std::string_view verifier);
/// RFC 7636 §4.1: verifier = base64url of >= 32 random bytes (fewer is
/// auth.invalid_config).
Result<Pkce> make_pkce(std::string_view random_bytes);
/// An unguessable `state` value (RFC 6749 §10.10): base64url of the bytes.
std::string make_state(std::string_view random_bytes);

/// Space-separated scope tokens (RFC 6749 §3.3), duplicates removed, order kept.
std::vector<std::string> split_scope(std::string_view scope);
std::string join_scope(const std::vector<std::string>& tokens);
/// The union of two scope strings, tokens of `a` first (for step-up).
std::string union_scopes(std::string_view a, std::string_view b);

/// MCP scope selection: the challenge's `scope`, else every PRM
/// `scopes_supported`, else none (empty = omit the parameter). When
/// `want_refresh` and the AS lists `offline_access`, it is added; it is never
/// added when the AS does not list it.
std::string select_scope(const std::optional<std::string>& challenge_scope,
                         const std::vector<std::string>& resource_scopes_supported,
                         const std::vector<std::string>& as_scopes_supported, bool want_refresh);

/// The parameters of one authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3).
struct AuthorizationRequest {
  std::string authorization_endpoint;
  std::string client_id;
  std::string redirect_uri;
  std::string scope;  // empty = omitted
  std::string state;
  std::string code_challenge;
  std::optional<std::string> resource;  // RFC 8707 §2, exactly as the PRM gives it
};

/// The URL to open; a query already in the endpoint is kept (RFC 6749 §3.1).
std::string build_authorization_url(const AuthorizationRequest& request);

/// What the redirect back carried.
struct AuthorizationCode {
  std::string code;
};

/// Checks a redirect callback URL: `state` must equal `expected_state`; then
/// RFC 9207 §2.4: when `iss_required` (the AS advertises
/// authorization_response_iss_parameter_supported) `iss` must be present, and
/// when present it must equal `expected_issuer` exactly; then an `error`
/// parameter is auth.authorization_denied; else `code` is required.
Result<AuthorizationCode> parse_authorization_callback(std::string_view callback_url, std::string_view expected_state,
                                                       std::string_view expected_issuer, bool iss_required);

/// Client authentication at the token endpoint (RFC 6749 §2.3.1, RFC 7591 §2).
enum class TokenAuthMethod : unsigned char { none, client_secret_basic, client_secret_post };

/// The RFC 7591 §2 name of a method ("none", "client_secret_basic", ...).
std::string_view token_auth_method_name(TokenAuthMethod method);

/// The client as the token endpoint knows it.
struct ClientCredentials {
  std::string client_id;
  std::optional<std::string> client_secret;
  /// As registered (RFC 7591 §2 `token_endpoint_auth_method`), if known.
  std::optional<std::string> token_endpoint_auth_method;
};

/// The method to use (the TypeScript SDK's order): the registered one when
/// the AS lists it (or lists nothing); else, with a secret,
/// client_secret_basic then client_secret_post if listed; else none if
/// listed; else client_secret_post with a secret, none without. An empty list
/// means client_secret_basic only (RFC 8414 §2).
TokenAuthMethod select_token_auth_method(const ClientCredentials& client,
                                         const std::vector<std::string>& as_methods_supported);

/// One form POST to the token endpoint, with client authentication applied.
transport::HttpRequest build_token_request(std::string_view token_endpoint,
                                           std::vector<std::pair<std::string, std::string>> form,
                                           const ClientCredentials& client, TokenAuthMethod method);

/// RFC 6749 §4.1.3 + RFC 7636 §4.5 + RFC 8707 §2.2.
transport::HttpRequest build_authorization_code_request(std::string_view token_endpoint,
                                                        const ClientCredentials& client, TokenAuthMethod method,
                                                        std::string_view code, std::string_view verifier,
                                                        std::string_view redirect_uri,
                                                        const std::optional<std::string>& resource);

/// RFC 6749 §6 + RFC 8707 §2.2.
transport::HttpRequest build_refresh_request(std::string_view token_endpoint, const ClientCredentials& client,
                                             TokenAuthMethod method, std::string_view refresh_token,
                                             const std::optional<std::string>& resource);

/// The client metadata sent to a registration endpoint (RFC 7591 §2).
struct ClientMetadata {
  std::string client_name = "mcp-wasm";
  std::vector<std::string> redirect_uris;
  /// "native" or "web" (OIDC Registration §2; MCP 2026-07-28 asks for it).
  std::string application_type;
  std::string token_endpoint_auth_method = "none";
  std::optional<std::string> client_uri;
  std::optional<std::string> logo_uri;
  std::optional<std::string> software_id;
  std::optional<std::string> software_version;
};

/// RFC 7591 §3.1: POST JSON with grant_types authorization_code and
/// refresh_token, response_types code, and `scope` when not empty.
transport::HttpRequest build_registration_request(std::string_view registration_endpoint,
                                                  const ClientMetadata& metadata, std::string_view scope);

/// "native" for loopback http or custom-scheme redirect URIs, else "web".
std::string default_application_type(std::string_view redirect_uri);

}  // namespace mcpw::auth
