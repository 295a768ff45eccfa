#pragma once
// SessionConfig from the JSON a host passes (the JS `Client.connect` options).

#include "client/session.h"

namespace mcpw::client {

/// Reads {url, headers: {name: value}, clientInfo, capabilities, timeoutMs,
/// maxTotalTimeoutMs, protocolVersion, maxBodyBytes, handlers: [method],
/// validation: "strict"|"warn"|"off", validateArguments}. `url` must be http(s); header names and
/// values must be strings without CR/LF. Errors: support.invalid_argument.
Result<SessionConfig> parse_session_config(const json& options);

/// Reads per-call options {timeoutMs, maxTotalTimeoutMs, resetTimeoutOnProgress, validateArguments};
/// null gives defaults.
Result<RequestOptions> parse_request_options(const json& options);

}  // namespace mcpw::client
