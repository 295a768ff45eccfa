#pragma once
// Byte-level helpers of the flatten module: RFC 3986 percent-encoding as
// RFC 6570 expansion uses it, WHATWG form encoding, RFC 4648 base64, and a
// small stable hash for names. Internal to src/flatten.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpw::flatten::detail {

/// Which characters stay literal when percent-encoding (RFC 6570 §1.5, §3.2.1).
enum class Keep : unsigned char {
  unreserved,        ///< RFC 3986 §2.3 only ({var}, {?var})
  reserved,          ///< unreserved + reserved except "?" "#" ("+" expansion in a path)
  reserved_query,    ///< unreserved + reserved except "&" "=" "#" (allowReserved in a query)
  slash,             ///< unreserved + "/" (x-mcpw-allow-slash)
};

/// Whether pct_encode leaves byte `c` as it is under `keep`.
bool keeps(unsigned char c, Keep keep);
/// RFC 3986 §2.1 percent-encoding of UTF-8 bytes; "%" is always encoded, so
/// argument text round-trips exactly (a deliberate difference from RFC 6570's
/// pass-through of pct-triplets in "+" expansion).
std::string pct_encode(std::string_view s, Keep keep);
/// Percent-decoding; nullopt on a malformed triplet. `plus_is_space` for
/// application/x-www-form-urlencoded (WHATWG URL §5.1).
std::optional<std::string> pct_decode(std::string_view s, bool plus_is_space = false);
/// WHATWG URL §5.2 application/x-www-form-urlencoded byte serialiser.
std::string form_encode(std::string_view s);

/// RFC 4648 §4 base64 with padding.
std::string base64_encode(std::string_view bytes);
/// Strict RFC 4648 §4 decoding (padding required, no whitespace).
std::optional<std::string> base64_decode(std::string_view text);

/// FNV-1a 64-bit: a stable, platform-independent hash for derived names.
std::uint64_t fnv1a64(std::string_view s);
/// Lower-case hex of the low `digits` nibbles of v.
std::string hex_digits(std::uint64_t v, int digits);
/// Levenshtein distance, ASCII case-insensitive, on at most the first 64
/// bytes of each (names are short; the cap bounds the work).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// ASCII lower case.
std::string ascii_lower(std::string_view s);

}  // namespace mcpw::flatten::detail
