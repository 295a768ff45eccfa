#pragma once
// MCP lifecycle, 2025 era (spec: 2025-11-25 basic/lifecycle): the initialize
// request the client sends, and the checks on the server's answer.

#include <string>
#include <string_view>

#include "protocol/jsonrpc.h"

namespace mcpw::protocol {

inline constexpr ErrorId PROTOCOL_UNSUPPORTED_VERSION{"protocol.unsupported_version", ErrorKind::remote};
inline constexpr ErrorId PROTOCOL_INVALID_RESULT{"protocol.invalid_result", ErrorKind::remote};

/// The newest 2025-era revision; offered in initialize.
inline constexpr std::string_view LATEST_PROTOCOL_VERSION = "2025-11-25";
/// Revisions the client accepts in an initialize answer, newest first.
inline constexpr std::string_view SUPPORTED_PROTOCOL_VERSIONS[] = {"2025-11-25", "2025-06-18", "2025-03-26",
                                                                    "2024-11-05"};

/// True when `version` is one the client speaks.
bool is_supported_version(std::string_view version);

/// What the client says about itself in initialize.
struct ClientIdentity {
  json client_info = json{{"name", "mcp-wasm"}, {"version", "0.1.0"}};
  json capabilities = json::object();
  std::string protocol_version = std::string(LATEST_PROTOCOL_VERSION);
};

/// The `params` of an initialize request (spec: lifecycle#initialization).
json make_initialize_params(const ClientIdentity& client);

/// The parts of an InitializeResult the client keeps.
struct InitializeResult {
  std::string protocol_version;
  json capabilities;
  json server_info;
  std::string instructions;
  json raw;  // the result as received
};

/// Checks an InitializeResult: a supported protocolVersion, object
/// capabilities, a serverInfo with a name (spec: lifecycle#version-negotiation).
Result<InitializeResult> parse_initialize_result(const json& result);

}  // namespace mcpw::protocol
