#pragma once
// The rest of a document after a root member that fails a verdict-only read
// (MemberProbe; internal: included by scan.cpp only). It checks that the
// text goes on as JSON the scanner would accept, writing no nodes. It may
// say "not sure" (false) where the scanner would still accept: a number
// that might overflow, nesting past its own bit stack, a string near the
// length limit, a later root member of the failed name. The scanner then
// reads on from where it was, exactly as without a probe.

#include <cstdint>
#include <string_view>

#include "schema/scan_string.h"
#include "support/json.h"

namespace mcpw::schema::scan_detail {

// A number's grammar (RFC 8259 §6) from p; false for a malformed one and for
// any whose magnitude could reach infinity (the scanner's "number overflow").
[[gnu::always_inline]] inline bool skim_number(const char*& p, const char* end) {
  if (*p == '-') ++p;
  const auto digit = [&] { return p < end && *p >= '0' && *p <= '9'; };
  if (!digit()) return false;
  std::uint32_t int_digits = 1;
  if (*p == '0') {
    ++p;
  } else {
    while (digit()) {
      ++p;
      ++int_digits;
    }
  }
  if (p < end && *p == '.') {
    ++p;
    if (!digit()) return false;
    while (digit()) ++p;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool negative = false;
    if (p < end && (*p == '+' || *p == '-')) negative = *p++ == '-';
    if (!digit()) return false;
    std::uint32_t e = 0;
    while (digit()) {
      if (e < 100000) e = e * 10 + static_cast<std::uint32_t>(*p - '0');
      ++p;
    }
    if (!negative && int_digits + e > 300) return false;
  }
  return int_digits <= 300;
}

// Whether the text from p (just after a ',' between members of the root
// object) ends the document as the scanner would accept it, naming no
// member `failed` directly in the root object. `scratch` takes each decoded
// string in turn: at least end - p writable bytes (the tape's arena past its
// last string).
inline bool skim_rest(const char* p, const char* end, char* scratch, const JsonLimits& limits,
                      std::string_view failed) {
  constexpr std::size_t MAX_DEPTH = 256;  // the bit stack's reach; deeper: not sure
  std::uint64_t objects[MAX_DEPTH / 64] = {1};  // bit d: the container at depth d+1 is an object
  std::size_t depth = 1;
  const auto is_object = [&] { return (objects[(depth - 1) / 64] >> ((depth - 1) % 64)) & 1u; };
  const auto skip_ws = [&]() __attribute__((always_inline)) {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
  };
  bool want_name = true;  // after a ',' in an object
  while (true) {
    skip_ws();
    if (p == end) return false;
    const char c = *p;
    if (c == '"') {
      // A name or a string value, read in one place (the module's size): a
      // plain one in place, any other decoded into `scratch`.
      const char* text = p + 1;
      std::size_t len;
      if (const char* q = plain_string_end(p + 1, end)) {
        len = static_cast<std::size_t>(q - p - 2);
        p = q;
      } else {
        const StringEnd r = scan_string(p + 1, end, scratch);
        if (r.error) return false;
        len = static_cast<std::size_t>(r.out - scratch);
        text = scratch;
        p = r.p;
      }
      if (len > limits.max_string) return false;
      if (want_name) {
        if (depth == 1 && len == failed.size() && std::string_view(text, len) == failed) return false;
        skip_ws();
        if (p == end || *p != ':') return false;
        ++p;
        want_name = false;
        continue;  // its value
      }
    } else if (want_name) {
      return false;
    } else if (c == '{' || c == '[') {
      if (depth + 1 > limits.max_depth || depth + 1 > MAX_DEPTH) return false;
      const std::uint64_t bit = std::uint64_t{1} << (depth % 64);
      if (c == '{') {
        objects[depth / 64] |= bit;
      } else {
        objects[depth / 64] &= ~bit;
      }
      ++depth;
      ++p;
      skip_ws();
      if (p < end && *p == (c == '{' ? '}' : ']')) {
        ++p;
        --depth;
      } else {
        want_name = c == '{';
        continue;
      }
    } else if (c == 't' || c == 'f' || c == 'n') {
      const char* const word = c == 't' ? "true" : c == 'f' ? "false" : "null";
      const std::size_t len = c == 'f' ? 5 : 4;
      if (static_cast<std::size_t>(end - p) < len) return false;
      for (std::size_t k = 1; k < len; ++k) {
        if (p[k] != word[k]) return false;
      }
      p += len;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      if (!skim_number(p, end)) return false;
    } else {
      return false;
    }
    // After a value: ',' or the ends of containers.
    while (true) {
      skip_ws();
      if (depth == 0) return p == end;
      if (p == end) return false;
      const char d = *p++;
      if (d == ',') {
        want_name = is_object();
        break;
      }
      if (d != (is_object() ? '}' : ']')) return false;
      --depth;
    }
  }
}

}  // namespace mcpw::schema::scan_detail
