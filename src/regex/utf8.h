#pragma once
// UTF-8 decoding for regex subjects and patterns (RFC 3629 §3/§4).
//
// Invalid input never crashes and never stops a search: each byte that does
// not start a well-formed sequence (bad lead, missing continuation, overlong
// form, surrogate, > U+10FFFF) decodes as U+FFFD consuming exactly ONE byte.
// So an invalid byte is matched by `.`, `\S`, `[^a]`, `\u{FFFD}` and so on,
// and nothing else; a subject's valid parts still match normally.
// decode_before() is the exact mirror of decode_at() at positions that
// decode_at() produces, so lookbehind sees the same code points as forward
// matching.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "support/utf8.h"

namespace mcpw::regex::detail {

inline constexpr char32_t REPLACEMENT = 0xFFFD;

struct Decoded {
  char32_t cp;
  std::size_t len;  // bytes consumed, >= 1
};

/// Decodes the code point starting at s[i] (i < s.size()).
inline Decoded decode_at(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {b0, 1};
  std::size_t n;
  char32_t cp;
  char32_t min;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return {REPLACEMENT, 1};
  }
  if (s.size() - i < n) return {REPLACEMENT, 1};
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return {REPLACEMENT, 1};
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {REPLACEMENT, 1};
  return {cp, n};
}

/// Decodes the code point that ends at s[i - 1] (0 < i <= s.size()).
inline Decoded decode_before(std::string_view s, std::size_t i) {
  const auto last = static_cast<unsigned char>(s[i - 1]);
  if (last < 0x80) return {last, 1};
  // A lead byte within 3 bytes back whose well-formed sequence ends exactly at i.
  for (std::size_t back = 2; back <= 4 && back <= i; ++back) {
    const auto b = static_cast<unsigned char>(s[i - back]);
    if ((b & 0xC0) == 0x80) continue;  // still a continuation byte
    const Decoded d = decode_at(s, i - back);
    if (d.len == back) return d;
    break;
  }
  return {REPLACEMENT, 1};
}

/// Appends the UTF-8 form of cp (support's encoder; surrogates are only
/// used for names, never for matching).
inline void encode_utf8(char32_t cp, std::string& out) { append_utf8(out, cp); }

}  // namespace mcpw::regex::detail
