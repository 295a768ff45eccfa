#pragma once
// Reading a member straight from JSON text, without a DOM (e.g. a result's
// text inside a JSON-RPC message, handed to the host as the server wrote it).
// The text must already be known to be valid JSON; on other text the answer
// is unspecified but every read stays in bounds. Nothing recurses.

#include <string_view>

namespace mcpw {

/// The text of the LAST member `key` of the object `text` (the one JSON.parse
/// and the DOM keep; names written with escapes are decoded), or empty when
/// absent or `text` is no object.
std::string_view member_text(std::string_view object_text, std::string_view key);

}  // namespace mcpw
