#pragma once
// JSON-RPC 2.0 messages (https://www.jsonrpc.org/specification) as MCP uses
// them: requests, notifications, responses and error responses. Batches are
// rejected with a typed error: MCP removed them in 2025-06-18
// (spec: 2025-06-18 changelog "Remove support for JSON-RPC batching").

#include <cstdint>
#include <string>
#include <string_view>

#include "support/json.h"

namespace mcpw::protocol {

/// Messages keep their members in the order the peer sent them (see support/json.h).
using json = ordered_json;

inline constexpr ErrorId JSONRPC_INVALID{"jsonrpc.invalid", ErrorKind::remote};
inline constexpr ErrorId JSONRPC_BATCH_UNSUPPORTED{"jsonrpc.batch_unsupported", ErrorKind::remote};

/// Standard JSON-RPC error codes (spec §5.1).
inline constexpr std::int64_t PARSE_ERROR = -32700;
inline constexpr std::int64_t INVALID_REQUEST = -32600;
inline constexpr std::int64_t METHOD_NOT_FOUND = -32601;
inline constexpr std::int64_t INVALID_PARAMS = -32602;
inline constexpr std::int64_t INTERNAL_ERROR = -32603;

enum class MessageKind : unsigned char { request, notification, response, error };

/// The `error` member of an error response (spec §5.1).
struct RpcError {
  std::int64_t code = 0;
  std::string message;
  json data;  // discarded (json::value_t::discarded) when absent
  bool has_data() const { return !data.is_discarded(); }
};

/// One decoded message. `id` is kept exactly as sent (string, number or null:
/// "ids of any JSON-RPC kind"), so a reply to a server request echoes it.
struct Message {
  MessageKind kind = MessageKind::notification;
  json id;               // request, response, error (null allowed only on errors)
  std::string method;    // request, notification
  json params;           // request, notification: object, array, or null when absent
  json result;           // response
  RpcError error;        // error
};

/// Decodes one message from text (bounded by `limits`).
Result<Message> parse_message(std::string_view text, const JsonLimits& limits = {});
/// Decodes one message from an already parsed document.
Result<Message> parse_message_doc(json doc);

/// Encodes a request; `params` may be null (then omitted).
std::string build_request(const json& id, std::string_view method, const json& params);
/// The same with `params` already encoded (empty: omitted).
std::string build_request_text(std::int64_t id, std::string_view method, std::string_view params_text);
/// Encodes a notification; `params` may be null (then omitted).
std::string build_notification(std::string_view method, const json& params);
/// Encodes a success response.
std::string build_response(const json& id, const json& result);
/// Encodes an error response; `data` omitted when discarded.
std::string build_error_response(const json& id, const RpcError& error);

}  // namespace mcpw::protocol
