#pragma once
// The 2026-07-28 (stateless) protocol's per-request obligations: `_meta`
// carrying version, capabilities and client info (SEP-2575), the standard
// headers Mcp-Method / Mcp-Name and the Mcp-Param-* mirrors of tool
// arguments annotated `x-mcp-header` (SEP-2243), and result types (SEP-2322).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/lifecycle.h"

namespace mcpw::protocol {

/// The stateless revision.
inline constexpr std::string_view MODERN_PROTOCOL_VERSION = "2026-07-28";

/// Error codes of the 2026-07-28 revision.
inline constexpr std::int64_t HEADER_MISMATCH = -32020;
inline constexpr std::int64_t MISSING_CLIENT_CAPABILITY = -32021;
inline constexpr std::int64_t UNSUPPORTED_PROTOCOL_VERSION = -32022;

/// `params` with `_meta` holding io.modelcontextprotocol/protocolVersion,
/// clientCapabilities and clientInfo (kept: whatever `_meta` already had).
json with_request_meta(json params, const ClientIdentity& client, std::string_view version);

/// A header value as sent: as is when it is visible ASCII without leading or
/// trailing space, else `=?base64?<base64 of the UTF-8>?=`.
std::string encode_header_value(std::string_view value);

/// The arguments a tool mirrors into headers: (header name, property name).
using ToolHeaders = std::vector<std::pair<std::string, std::string>>;

/// The `x-mcp-header` annotations of a tool, or nullopt when they are
/// invalid (empty, not an RFC 9110 token, duplicated case-insensitively, on a
/// property that is not string/integer/boolean, or anywhere but directly
/// under inputSchema.properties): such a tool must not be offered.
std::optional<ToolHeaders> parse_tool_headers(const json& tool);

/// Headers a modern request carries besides MCP-Protocol-Version:
/// Mcp-Method, Mcp-Name (tools/call, prompts/get: name; resources/read:
/// uri), and Mcp-Param-<header> for each annotated argument that is present
/// and not null.
std::vector<std::pair<std::string, std::string>> modern_headers(std::string_view method, const json& params,
                                                                const ToolHeaders* tool_headers);

/// A result's `resultType`: "complete" when absent.
std::string_view result_type(const json& result);

}  // namespace mcpw::protocol
