#pragma once
// URI references as JSON Schema uses them for `$id` and `$ref`
// (RFC 3986 §5.2 reference resolution; JSON Pointer fragments, RFC 6901 §6).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpw::schema {

/// Resolves `ref` against the absolute `base` (RFC 3986 §5.2.2, with
/// remove_dot_segments §5.2.4). An empty fragment ("x#") is dropped.
std::string resolve_uri(std::string_view base, std::string_view ref);

/// Splits "abs#frag" into ("abs", "frag"); the fragment is empty when absent.
std::pair<std::string_view, std::string_view> split_fragment(std::string_view uri);

/// True when the reference has a scheme (RFC 3986 §4.3 absolute-URI form).
bool has_scheme(std::string_view uri);

/// Percent-decodes a URI fragment (RFC 3986 §2.1); nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view s);

/// Splits a JSON Pointer (RFC 6901 §3) into unescaped tokens; nullopt when malformed.
std::optional<std::vector<std::string>> parse_json_pointer(std::string_view pointer);

/// Appends "/" + token, escaped (RFC 6901 §3: ~ -> ~0, / -> ~1).
void append_pointer_token(std::string& pointer, std::string_view token);

}  // namespace mcpw::schema
