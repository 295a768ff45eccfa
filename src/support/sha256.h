#pragma once
// SHA-256 (FIPS 180-4 §6.2), for PKCE S256 code challenges (RFC 7636 §4.2).

#include <array>
#include <cstdint>
#include <string_view>

namespace mcpw {

/// The 32-byte SHA-256 digest of `bytes` (FIPS 180-4 §6.2).
std::array<std::uint8_t, 32> sha256(std::string_view bytes);

}  // namespace mcpw
