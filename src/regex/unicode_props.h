#pragma once
// Unicode property escapes \p{...} / \P{...} (ECMA-262 §22.2.2.9,
// UnicodePropertyValueExpression; tables 67-69): General_Category, Script,
// Script_Extensions and the binary properties, generated from Node's RegExp
// by tools/gen_unicode_tables.mjs into unicode_tables.inc.

#include <string_view>
#include <vector>

#include "regex/program.h"

namespace mcpw::regex::detail {

/// Appends the set named by `\p{name}` (value empty) or `\p{name=value}`.
/// False when ECMA-262 does not define that name/value (a SyntaxError).
bool lookup_property(std::string_view name, std::string_view value, std::vector<Range>& out);

/// Whether `cp` has binary property `name` (e.g. "ID_Start").
/// lookup_property and this are what the shipped Wasm module defines from
/// the host's RegExp instead of the tables (bindings/host_unicode.cpp).
bool has_binary_property(const char* name, char32_t cp);

/// ID_Start / ID_Continue, for group names (§22.2.1 RegExpIdentifierName).
inline bool is_id_start(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  return has_binary_property("ID_Start", cp);
}
inline bool is_id_continue(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
  return has_binary_property("ID_Continue", cp);
}

}  // namespace mcpw::regex::detail
