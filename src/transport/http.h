#pragma once
// HTTP as plain values: the sans-I/O core emits requests and is fed response
// heads and body bytes by the host (DESIGN.md "Sans-I/O core").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcpw::transport {

/// Header list; names compare case-insensitively (RFC 9110 §5.1).
using Headers = std::vector<std::pair<std::string, std::string>>;

/// Identifies one HTTP exchange between the core and the host.
using ExchangeId = std::uint64_t;

/// An HTTP request the host must perform (and stream the answer back).
struct HttpRequest {
  ExchangeId exchange = 0;
  std::string method;
  std::string url;
  Headers headers;
  std::string body;
};

/// The status line and the headers of interest of a response.
struct HttpResponseHead {
  int status = 0;
  Headers headers;
};

/// Response headers the core reads; a host may pass only these.
inline constexpr std::string_view RESPONSE_HEADERS[] = {"content-type", "mcp-session-id", "mcp-protocol-version",
                                                        "retry-after", "www-authenticate", "location", "dpop-nonce"};

/// ASCII case-insensitive equality, for header names and media types.
bool iequals(std::string_view a, std::string_view b);
/// The value of the first header called `name`, or nullopt.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);
/// The media type of a Content-Type value, lower-cased, without parameters.
std::string media_type(std::string_view content_type);

/// `ref` (absolute, scheme-relative, absolute-path or relative, RFC 3986 §5)
/// resolved against `base`, only when the result has base's origin: headers
/// such as an API key must never follow a server's pointer elsewhere.
std::optional<std::string> resolve_same_origin(std::string_view base, std::string_view ref);

/// The wait a Retry-After value asks for, in ms from `now_ms` (Unix epoch
/// ms): delay-seconds, or an IMF-fixdate (RFC 9110 §10.2.3, §5.6.7). A date
/// in the past gives 0; anything else gives nullopt.
std::optional<std::uint64_t> parse_retry_after(std::string_view value, std::uint64_t now_ms);

}  // namespace mcpw::transport
