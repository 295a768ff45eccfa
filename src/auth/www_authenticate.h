#pragma once
// The WWW-Authenticate response header (RFC 9110 §11.6.1 / §11.3): a list of
// challenges, each a scheme with a token68 or auth-params; and the Bearer
// challenge fields MCP reads (RFC 6750 §3, RFC 9728 §5.1).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/errors.h"
#include "support/result.h"

namespace mcpw::auth {

/// One challenge (RFC 9110 §11.3). Param names are lower-cased (they are
/// case-insensitive); values are unquoted. The first of duplicate names wins.
struct Challenge {
  std::string scheme;
  std::optional<std::string> token68;
  std::vector<std::pair<std::string, std::string>> params;

  /// The value of auth-param `name` (lower-case), or nullopt.
  std::optional<std::string_view> param(std::string_view name) const;
};

/// Bounds on one header value; beyond them parsing fails.
struct ChallengeLimits {
  std::size_t max_bytes = 16 * 1024;
  std::size_t max_challenges = 32;
  std::size_t max_params = 64;
};

/// Parses a WWW-Authenticate value (RFC 9110 §11.6.1: `#challenge`, empty list
/// elements allowed). Errors are auth.challenge_invalid.
Result<std::vector<Challenge>> parse_www_authenticate(std::string_view value, const ChallengeLimits& limits = {});

/// What a Bearer challenge tells an MCP client (RFC 6750 §3, RFC 9728 §5.1).
struct BearerChallenge {
  std::optional<std::string> resource_metadata;
  std::optional<std::string> scope;
  std::optional<std::string> error;  // e.g. "invalid_token", "insufficient_scope"
  std::optional<std::string> error_description;
};

/// The first challenge whose scheme is Bearer (case-insensitive), else the
/// first DPoP one (RFC 9449 §7.1), or nullopt.
std::optional<BearerChallenge> find_bearer_challenge(const std::vector<Challenge>& challenges);

/// Convenience: parse, then find the Bearer challenge; a malformed or missing
/// header gives nullopt (discovery then proceeds from well-known URLs).
std::optional<BearerChallenge> parse_bearer_challenge(std::string_view value);

}  // namespace mcpw::auth
