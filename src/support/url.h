#pragma once
// Absolute URLs as OAuth uses them (RFC 3986 §3 generic syntax), plus the
// percent-encodings that carry OAuth parameters: RFC 3986 §2.1 for query
// components and application/x-www-form-urlencoded (WHATWG URL §5, which
// RFC 6749 Appendix B points to) for token request bodies.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/result.h"

namespace mcpw {

inline constexpr ErrorId URL_INVALID{"url.invalid", ErrorKind::remote};

/// The components of an absolute URL (RFC 3986 §3). `scheme` and `host` are
/// lower-cased; everything else is kept as written (still percent-encoded).
struct Url {
  std::string scheme;
  bool has_authority = false;
  std::string userinfo;
  std::string host;  // an IPv6 literal keeps its brackets
  std::string port;  // digits, or empty
  std::string path;
  std::optional<std::string> query;
  std::optional<std::string> fragment;
};

/// Parses an absolute URL (RFC 3986 §4.3); rejects spaces, controls,
/// non-ASCII bytes, bad percent escapes and ports beyond 65535.
Result<Url> parse_url(std::string_view text);
/// The URL as text (RFC 3986 §5.3 recomposition).
std::string to_string(const Url& url);
/// scheme://host[:port] (RFC 6454 §4 serialised origin).
std::string url_origin(const Url& url);
/// True for localhost names and loopback literals (127.0.0.0/8, [::1]).
bool is_loopback_host(std::string_view host);

/// RFC 3986 §2.1: every byte but the unreserved set (§2.3) as %XX.
std::string percent_encode(std::string_view bytes);
/// application/x-www-form-urlencoded byte serialisation (space as '+').
std::string form_encode(std::string_view bytes);
/// name=value pairs joined with '&', both form-encoded.
std::string build_form(const std::vector<std::pair<std::string, std::string>>& pairs);
/// Decodes %XX escapes (and '+' as space when `plus_is_space`); nullopt on a
/// malformed escape.
std::optional<std::string> percent_decode_component(std::string_view text, bool plus_is_space);
/// Splits a query or form body into decoded name/value pairs ('+' is space);
/// nullopt on a malformed escape.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_form(std::string_view text);

}  // namespace mcpw
