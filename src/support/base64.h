#pragma once
// Base64 alphabets of RFC 4648: §4 (padded, for HTTP Basic credentials) and
// §5 base64url without padding (PKCE, JWT, random `state` values).

#include <optional>
#include <string>
#include <string_view>

namespace mcpw {

/// RFC 4648 §4 base64 with `=` padding.
std::string base64_std_encode(std::string_view bytes);
/// RFC 4648 §5 base64url, no padding (RFC 7636 §4.2 / RFC 7515 §2 style).
std::string base64url_encode(std::string_view bytes);
/// Decodes base64url with or without padding; nullopt on any other character
/// or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

/// Bytes from hex text (either case); nullopt on an odd length or a non-hex
/// character. Hosts pass raw bytes this way: Embind's string conversion is UTF-8.
std::optional<std::string> hex_decode(std::string_view text);

}  // namespace mcpw
