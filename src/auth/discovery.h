#pragma once
// Discovery URL builders (pure functions, as the TypeScript SDK's
// `buildDiscoveryUrls`): where to look for protected-resource metadata
// (RFC 9728 §3.1) and authorization server metadata (RFC 8414 §3.1, OpenID
// Connect Discovery 1.0 §4.1), in the order MCP prescribes (2025-11-25
// authorization#authorization-server-metadata-discovery).

#include <string>
#include <string_view>
#include <vector>

#include "support/result.h"
#include "support/url.h"

namespace mcpw::auth {

/// RFC 9728 §3.1 candidates for a resource URL: the well-known suffix inserted
/// between the host and the path (query kept), then — only when the path is
/// not empty — the root one. A trailing '/' of the path is dropped first.
Result<std::vector<std::string>> build_protected_resource_metadata_urls(std::string_view resource_url);

/// Which kind of document a candidate URL serves.
enum class MetadataKind : unsigned char { oauth, openid };

struct MetadataCandidate {
  std::string url;
  MetadataKind kind;
};

/// Candidates for an issuer: without a path, the RFC 8414 and OIDC root URLs;
/// with a path, RFC 8414 inserted, OIDC inserted, OIDC appended — never the
/// root (it would belong to another issuer on the same host).
Result<std::vector<MetadataCandidate>> build_authorization_server_metadata_urls(std::string_view issuer);

/// The 2025-03-26 fallback endpoints on the MCP origin when no metadata
/// exists (2025-03-26 authorization#fallbacks-for-servers-without-metadata-discovery).
struct FallbackEndpoints {
  std::string issuer;  // the origin itself
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string registration_endpoint;
};
Result<FallbackEndpoints> build_fallback_endpoints(std::string_view server_url);

/// The authorization base URL of 2025-03-26: the server URL with the path,
/// query and fragment discarded.
Result<std::string> build_authorization_base_url(std::string_view server_url);

/// OAuth 2.1 §1.5: https, or http to a loopback host. Also requires an
/// authority and no fragment.
bool is_secure_endpoint(std::string_view url);

/// RFC 9728 §3.3 / RFC 8707 §2: does metadata naming `resource` cover the
/// server at `server_url`? Same origin, and the resource's path is the
/// server's path or a '/'-bounded prefix of it.
bool resource_covers(std::string_view resource, std::string_view server_url);

}  // namespace mcpw::auth
