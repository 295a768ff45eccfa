#include "protocol/lifecycle.h"

namespace mcpw::protocol {

bool is_supported_version(std::string_view version) {
  for (auto v : SUPPORTED_PROTOCOL_VERSIONS) {
    if (v == version) return true;
  }
  return false;
}

json make_initialize_params(const ClientIdentity& client) {
  return json{{"protocolVersion", client.protocol_version},
              {"capabilities", client.capabilities.is_object() ? client.capabilities : json::object()},
              {"clientInfo", client.client_info}};
}

Result<InitializeResult> parse_initialize_result(const json& result) {
  if (!result.is_object()) return Error(PROTOCOL_INVALID_RESULT, "initialize result is not an object");
  auto version = find_string(result, "protocolVersion");
  if (!version) return Error(PROTOCOL_INVALID_RESULT, "initialize result has no protocolVersion");
  if (!is_supported_version(*version)) {
    return Error(PROTOCOL_UNSUPPORTED_VERSION,
                 "server answered protocol version " + dump_json(json(std::string(*version))) +
                     ", which this client does not support",
                 dump_json(json{{"requested", std::string(LATEST_PROTOCOL_VERSION)}, {"answered", *version}}));
  }
  const json* caps = find_object(result, "capabilities");
  if (!caps) return Error(PROTOCOL_INVALID_RESULT, "initialize result has no capabilities object");
  const json* info = find_object(result, "serverInfo");
  if (!info || !find_string(*info, "name")) {
    return Error(PROTOCOL_INVALID_RESULT, "initialize result has no serverInfo.name");
  }
  InitializeResult out;
  out.protocol_version = std::string(*version);
  out.capabilities = *caps;
  out.server_info = *info;
  if (auto instr = find_string(result, "instructions")) out.instructions = std::string(*instr);
  out.raw = result;
  return out;
}

}  // namespace mcpw::protocol
