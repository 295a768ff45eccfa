#pragma once
// The JSON scanner's string reader (internal: included by scan.cpp only,
// which the Wasm build compiles with -msimd128; see CMakeLists.txt). Reads a
// string from just after its opening quote into the tape's arena: plain runs
// a block at a time, escapes, UTF-8 and errors in string_rest.

#include <cstdint>
#include <cstring>
#include <string>

#include "schema/utf8.h"
#include "support/hex.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace mcpw::schema::scan_detail {

struct SpecialBytes {
  unsigned char v[256] = {};
  constexpr SpecialBytes() {
    for (int c = 0; c < 256; ++c) v[c] = c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
  }
};
inline constexpr SpecialBytes SPECIAL{};

// The special bytes among 8 (little-endian): a quote, a backslash, below
// 0x20, or 0x80 and above (the usual has-zero-byte and has-less-than
// tricks). Borrows can flag bytes above a special one, never below it, so
// the lowest flag is exact: ctz / 8 is the index of the first special byte.
inline std::uint64_t special_mask(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  const std::uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
  const std::uint64_t zero_q = (quote - ones) & ~quote, zero_b = (backslash - ones) & ~backslash;
  const std::uint64_t control = w - ones * 0x20;
  return (zero_q | zero_b | control | w) & highs;
}

inline bool special(unsigned char c) { return SPECIAL.v[c] != 0; }

#if defined(__wasm_simd128__)
// The special bytes among 16 as a bitmask (bit i: byte i). One signed
// compare takes both "below 0x20" and "0x80 and above" (those are negative
// as int8): V8 has no unsigned byte compare, so u8x16_lt plus an OR with the
// top bits was six x64 instructions where this is one (measured in the
// scanner's string loop, 2026-12-07).
[[gnu::always_inline]] inline std::uint32_t special_bits(v128_t w) {
  const v128_t quote = wasm_i8x16_eq(w, wasm_i8x16_splat('"')), backslash = wasm_i8x16_eq(w, wasm_i8x16_splat('\\'));
  const v128_t hit = wasm_v128_or(wasm_v128_or(quote, backslash), wasm_i8x16_lt(w, wasm_i8x16_splat(0x20)));
  return static_cast<std::uint32_t>(wasm_i8x16_bitmask(hit));
}
#endif

// Length of a well-formed UTF-8 sequence at p (RFC 3629 §4), or 0.
inline std::size_t utf8_sequence(const char* p, const char* end) {
  const auto b = [&](std::ptrdiff_t k) { return static_cast<unsigned char>(p[k]); };
  const auto in = [](unsigned char x, unsigned lo, unsigned hi) { return x >= lo && x <= hi; };
  const std::ptrdiff_t left = end - p;
  const unsigned char c = b(0);
  if (in(c, 0xC2, 0xDF)) return left >= 2 && in(b(1), 0x80, 0xBF) ? 2 : 0;
  if (c == 0xE0) return left >= 3 && in(b(1), 0xA0, 0xBF) && in(b(2), 0x80, 0xBF) ? 3 : 0;
  if (in(c, 0xE1, 0xEC) || in(c, 0xEE, 0xEF)) return left >= 3 && in(b(1), 0x80, 0xBF) && in(b(2), 0x80, 0xBF) ? 3 : 0;
  if (c == 0xED) return left >= 3 && in(b(1), 0x80, 0x9F) && in(b(2), 0x80, 0xBF) ? 3 : 0;
  if (c == 0xF0) return left >= 4 && in(b(1), 0x90, 0xBF) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF) ? 4 : 0;
  if (in(c, 0xF1, 0xF3)) return left >= 4 && in(b(1), 0x80, 0xBF) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF) ? 4 : 0;
  if (c == 0xF4) return left >= 4 && in(b(1), 0x80, 0x8F) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF) ? 4 : 0;
  return 0;
}

inline bool read_u16(const char*& p, const char* end, unsigned& out) {
  if (end - p < 4) return false;
  out = 0;
  for (int k = 0; k < 4; ++k) {
    const int h = hex_value(p[k]);
    if (h < 0) return false;
    out = out * 16 + static_cast<unsigned>(h);
  }
  p += 4;
  return true;
}

// Where a string scan ended: after the closing quote, or at an error (p is
// where it was found, `error` says what).
struct StringEnd {
  const char* p;
  char* out;
  const char* error;
};

// The rest of a string once a special byte was met: escapes, UTF-8,
// controls, the end of input. Out of line: most strings never get here.
[[gnu::noinline]] inline StringEnd string_rest(const char* p, const char* end, char* out) {
  while (true) {
    while (p < end && !special(static_cast<unsigned char>(*p))) *out++ = *p++;
    if (p == end) return {p, out, "unterminated string"};
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') return {p + 1, out, nullptr};
    if (c < 0x20) return {p, out, "control character in string"};
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence(p, end);
      if (n == 0) return {p, out, "invalid UTF-8 in string"};
      std::memcpy(out, p, n);
      out += n;
      p += n;
      continue;
    }
    if (end - p < 2) return {p, out, "unterminated escape"};
    const char e = p[1];
    p += 2;
    switch (e) {
      case '"': *out++ = '"'; break;
      case '\\': *out++ = '\\'; break;
      case '/': *out++ = '/'; break;
      case 'b': *out++ = '\b'; break;
      case 'f': *out++ = '\f'; break;
      case 'n': *out++ = '\n'; break;
      case 'r': *out++ = '\r'; break;
      case 't': *out++ = '\t'; break;
      case 'u': {
        unsigned cp;
        if (!read_u16(p, end, cp)) return {p, out, "invalid \\u escape"};
        if (cp >= 0xDC00 && cp <= 0xDFFF) return {p, out, "lone low surrogate"};
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          unsigned lo;
          if (end - p < 2 || p[0] != '\\' || p[1] != 'u') return {p, out, "high surrogate without low"};
          p += 2;
          if (!read_u16(p, end, lo) || lo < 0xDC00 || lo > 0xDFFF) return {p, out, "high surrogate without low"};
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        std::string bytes;  // rare: \u escapes
        append_utf8(bytes, cp);  // at most 4 bytes, from at least 6 of source
        std::memcpy(out, bytes.data(), bytes.size());
        out += bytes.size();
        break;
      }
      default: return {p, out, "invalid escape"};
    }
  }
}

// A block copied whole held a special byte k bytes on: the cursors move to
// it; the closing quote ends the string, anything else is for string_rest.
[[gnu::always_inline]] inline StringEnd stop_at(const char* p, char* out, std::size_t k, const char* end) {
  p += k;
  out += k;
  if (*p == '"') return {p + 1, out, nullptr};
  return string_rest(p, end, out);
}

// A string from just after its opening quote: the plain ASCII run is copied
// a block at a time (16 bytes with Wasm SIMD, else 8 by SWAR); the block
// holding the first special byte is copied whole and the cursors advance to
// that byte (no byte loop: its exit was the scanner's most mispredicted
// branch). Only the text's last 7 bytes go byte by byte. The arena is as
// long as the text and a decoded string never outgrows its source, so a
// block read from the text always fits.
[[gnu::always_inline]] inline StringEnd scan_string(const char* p, const char* end, char* out) {
#if defined(__wasm_simd128__)
  // 16 bytes at a time where the module is built with Wasm SIMD (scan.cpp
  // only: see CMakeLists.txt).
  while (end - p >= 16) {
    const v128_t w = wasm_v128_load(p);
    wasm_v128_store(out, w);
    if (const std::uint32_t m = special_bits(w)) {
      return stop_at(p, out, static_cast<std::size_t>(__builtin_ctz(m)), end);
    }
    p += 16;
    out += 16;
  }
#endif
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    std::memcpy(out, &w, 8);
    if (const std::uint64_t m = special_mask(w)) return stop_at(p, out, static_cast<std::size_t>(__builtin_ctzll(m) >> 3), end);
    p += 8;
    out += 8;
  }
  while (p < end && !special(static_cast<unsigned char>(*p))) *out++ = *p++;
  if (p < end && *p == '"') return {p + 1, out, nullptr};
  return string_rest(p, end, out);
}

// The end of a plain string (printable ASCII, no backslash) from just
// after its opening quote: the byte after its closing quote, or null when a
// special byte other than the closing quote comes first (scan_string then
// reads it). Writes nothing.
[[gnu::always_inline]] inline const char* plain_string_end(const char* p, const char* end) {
#if defined(__wasm_simd128__)
  while (end - p >= 16) {
    const v128_t w = wasm_v128_load(p);
    if (const std::uint32_t m = special_bits(w)) {
      p += __builtin_ctz(m);
      return *p == '"' ? p + 1 : nullptr;
    }
    p += 16;
  }
#endif
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if (const std::uint64_t m = special_mask(w)) {
      p += __builtin_ctzll(m) >> 3;
      return *p == '"' ? p + 1 : nullptr;
    }
    p += 8;
  }
  while (p < end && !special(static_cast<unsigned char>(*p))) ++p;
  return p < end && *p == '"' ? p + 1 : nullptr;
}

}  // namespace mcpw::schema::scan_detail
