#pragma once
// The JSON documents of OAuth discovery and registration, parsed into values:
// protected-resource metadata (RFC 9728 §2-3), authorization server metadata
// (RFC 8414 §2-3, OpenID Connect Discovery 1.0 §3), Dynamic Client
// Registration responses (RFC 7591 §3.2), token responses (RFC 6749 §5.1-5.2).
//
// Rules: a required member missing, or a member we use having the wrong JSON
// type, is auth.metadata_invalid (auth.token_invalid for token responses);
// unknown members are ignored (RFC 8414 §3.2, RFC 7591 §3.2.1). Parsing is
// bounded by the JsonLimits given.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/errors.h"
#include "support/json.h"
#include "support/result.h"

namespace mcpw::auth {

/// Limits for discovery documents (small: metadata is a few KiB).
inline constexpr JsonLimits METADATA_JSON_LIMITS{1u << 20, 32, 64u * 1024};

/// RFC 9728 §2 protected-resource metadata (the members MCP uses).
struct ProtectedResourceMetadata {
  std::string resource;                            // REQUIRED (RFC 9728 §2)
  std::vector<std::string> authorization_servers;  // issuer identifiers
  std::vector<std::string> scopes_supported;
  std::vector<std::string> bearer_methods_supported;
  std::optional<std::string> resource_name;
};

/// Parses RFC 9728 §3.2 metadata; `resource` is required.
Result<ProtectedResourceMetadata> parse_protected_resource_metadata(std::string_view body);

/// RFC 8414 §2 authorization server metadata (also an OpenID Provider
/// configuration: the members used here have the same names).
struct AuthorizationServerMetadata {
  std::string issuer;                  // REQUIRED
  std::string authorization_endpoint;  // required for the code grant
  std::string token_endpoint;          // required for the code grant
  std::optional<std::string> registration_endpoint;
  std::vector<std::string> scopes_supported;
  std::vector<std::string> response_types_supported;
  std::vector<std::string> grant_types_supported;
  std::vector<std::string> code_challenge_methods_supported;
  /// Absent means client_secret_basic only (RFC 8414 §2).
  std::vector<std::string> token_endpoint_auth_methods_supported;
  bool authorization_response_iss_parameter_supported = false;  // RFC 9207 §3
  bool client_id_metadata_document_supported = false;           // CIMD draft §5
};

/// Parses RFC 8414 §3.2 / OIDC Discovery §4.2 metadata. `issuer`,
/// `authorization_endpoint` and `token_endpoint` are required.
Result<AuthorizationServerMetadata> parse_authorization_server_metadata(std::string_view body);

/// RFC 7591 §3.2.1 client information response.
struct ClientInformation {
  std::string client_id;  // REQUIRED
  std::optional<std::string> client_secret;
  std::optional<std::int64_t> client_id_issued_at;
  std::optional<std::int64_t> client_secret_expires_at;  // 0 = never
  std::optional<std::string> token_endpoint_auth_method;
};

/// Parses a successful registration response (RFC 7591 §3.2.1).
Result<ClientInformation> parse_registration_response(std::string_view body);

/// An OAuth error response (RFC 6749 §5.2, RFC 7591 §3.2.2).
struct OAuthErrorResponse {
  std::string error;
  std::optional<std::string> error_description;
  std::optional<std::string> error_uri;
};

/// Parses an error body; nullopt when it is not JSON with a string `error`.
std::optional<OAuthErrorResponse> parse_oauth_error(std::string_view body);

/// RFC 6749 §5.1 successful token response.
struct TokenResponse {
  std::string access_token;
  std::string token_type;                  // as sent, e.g. "Bearer" (case-insensitive)
  std::optional<std::int64_t> expires_in;  // seconds
  std::optional<std::string> refresh_token;
  std::optional<std::string> scope;
};

/// Parses RFC 6749 §5.1. `access_token` and `token_type` are required;
/// `expires_in` may be a number or a decimal string (seen in the wild).
/// Errors are auth.token_invalid and never quote the body.
Result<TokenResponse> parse_token_response(std::string_view body);

}  // namespace mcpw::auth
