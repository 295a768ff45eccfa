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

#include <nlohmann/json.hpp>

#include "support/result.h"

namespace mcpw {

using json = nlohmann::json;

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

/// Serialises compactly; invalid UTF-8 in strings is replaced by U+FFFD.
std::string dump_json(const json& value);

/// Member `key` of `obj`, or nullptr when obj is not an object or lacks it.
const json* find_member(const json& obj, std::string_view key);
/// The string member `key`, or nullopt when absent or not a string.
std::optional<std::string_view> find_string(const json& obj, std::string_view key);
/// The integer member `key` (no fraction), or nullopt.
std::optional<std::int64_t> find_integer(const json& obj, std::string_view key);
/// The boolean member `key`, or nullopt.
std::optional<bool> find_bool(const json& obj, std::string_view key);
/// The object member `key`, or nullptr when absent or not an object.
const json* find_object(const json& obj, std::string_view key);
/// The array member `key`, or nullptr when absent or not an array.
const json* find_array(const json& obj, std::string_view key);

}  // namespace mcpw
