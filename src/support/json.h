#pragma once
// Bounded JSON in and out, with no throwing path (the core builds with
// JSON_NOEXCEPTION: an nlohmann throw would abort the Wasm instance).
//
// Rules for all core code:
//  - parse only through parse_json (size, depth and string limits are checked
//    while parsing, before nlohmann could recurse into a deep document);
//  - serialise only through dump_json (invalid UTF-8 is replaced, never thrown);
//  - read members through the find_* helpers below, never through at(),
//    operator[] on a const value, or get<T>() on an unchecked type.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "support/result.h"

namespace mcpw {

using json = nlohmann::json;
/// Keeps object members in document order. Messages the client passes through
/// to its host use it: a tool schema must reach the user exactly as the server
/// sent it (conformance checks that). Its `==` is order-sensitive, so schema
/// code (enum, const, uniqueItems) keeps using `json`.
using ordered_json = nlohmann::ordered_json;

inline constexpr ErrorId JSON_SYNTAX{"json.syntax", ErrorKind::remote};
inline constexpr ErrorId JSON_TOO_LARGE{"json.too_large", ErrorKind::remote};
inline constexpr ErrorId JSON_TOO_DEEP{"json.too_deep", ErrorKind::remote};
inline constexpr ErrorId JSON_STRING_TOO_LONG{"json.string_too_long", ErrorKind::remote};

/// Limits for one parse. Defaults suit MCP messages; callers may tighten them.
struct JsonLimits {
  std::size_t max_bytes = 64u << 20;   // whole document
  std::size_t max_depth = 128;         // nested arrays + objects
  std::size_t max_string = 16u << 20;  // one string or key, in bytes
};

/// Parses one JSON document (RFC 8259). Never throws, never recurses deeper
/// than limits.max_depth, rejects trailing content.
Result<json> parse_json(std::string_view text, const JsonLimits& limits = {});
/// The same, keeping object members in document order.
Result<ordered_json> parse_ordered_json(std::string_view text, const JsonLimits& limits = {});

/// Serialises compactly; invalid UTF-8 in strings is replaced by U+FFFD.
std::string dump_json(const json& value);
std::string dump_json(const ordered_json& value);

/// Member `key` of `obj`, or nullptr when obj is not an object or lacks it.
template <class J>
const J* find_member(const J& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

/// The string member `key`, or nullopt when absent or not a string.
template <class J>
std::optional<std::string_view> find_string(const J& obj, std::string_view key) {
  const J* m = find_member(obj, key);
  if (!m || !m->is_string()) return std::nullopt;
  return std::string_view(m->template get_ref<const std::string&>());
}

/// The integer member `key` (no fraction, within int64), or nullopt.
template <class J>
std::optional<std::int64_t> find_integer(const J& obj, std::string_view key) {
  const J* m = find_member(obj, key);
  if (!m) return std::nullopt;
  if (m->is_number_unsigned()) {
    auto u = m->template get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(u);
    return std::nullopt;
  }
  if (m->is_number_integer()) return m->template get<std::int64_t>();
  return std::nullopt;
}

/// The boolean member `key`, or nullopt.
template <class J>
std::optional<bool> find_bool(const J& obj, std::string_view key) {
  const J* m = find_member(obj, key);
  if (!m || !m->is_boolean()) return std::nullopt;
  return m->template get<bool>();
}

/// The object member `key`, or nullptr when absent or not an object.
template <class J>
const J* find_object(const J& obj, std::string_view key) {
  const J* m = find_member(obj, key);
  return m && m->is_object() ? m : nullptr;
}

/// The array member `key`, or nullptr when absent or not an array.
template <class J>
const J* find_array(const J& obj, std::string_view key) {
  const J* m = find_member(obj, key);
  return m && m->is_array() ? m : nullptr;
}

/// The same in a value the caller may change (to move items out of it).
template <class J>
J* find_array(J& obj, std::string_view key) {
  return const_cast<J*>(find_array(std::as_const(obj), key));
}

}  // namespace mcpw
