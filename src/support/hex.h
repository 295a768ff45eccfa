#pragma once
// The value of a hexadecimal digit: one definition for every reader of hex
// (JSON \u escapes, URI and URL %-escapes, regex escapes, hex-encoded bytes).

namespace mcpw {

/// 0-15 for '0'-'9', 'a'-'f' and 'A'-'F'; -1 for any other byte.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Whether `c` is a hexadecimal digit.
constexpr bool is_hex_digit(char c) { return hex_value(c) >= 0; }

}  // namespace mcpw
