#include "protocol/jsonrpc.h"

#include <utility>

namespace mcpw::protocol {
namespace {

Error invalid(std::string what) { return Error(JSONRPC_INVALID, "invalid JSON-RPC message: " + std::move(what)); }

bool is_valid_id(const json& id) { return id.is_string() || id.is_number() || id.is_null(); }

}  // namespace

Result<Message> parse_message(std::string_view text, const JsonLimits& limits) {
  auto doc = parse_ordered_json(text, limits);
  if (!doc) return doc.take_error();
  return parse_message_doc(std::move(*doc));
}

Result<Message> parse_message_doc(json doc) {
  if (doc.is_array()) return Error(JSONRPC_BATCH_UNSUPPORTED, "JSON-RPC batches are not supported by MCP");
  if (!doc.is_object()) return invalid("not an object");
  if (find_string(doc, "jsonrpc") != "2.0") return invalid("\"jsonrpc\" is not \"2.0\"");

  Message m;
  const json* id = find_member(doc, "id");
  const json* method = find_member(doc, "method");
  const json* result = find_member(doc, "result");
  const json* error = find_member(doc, "error");
  if (id && !is_valid_id(*id)) return invalid("\"id\" must be a string, a number or null");

  if (method) {
    if (!method->is_string()) return invalid("\"method\" is not a string");
    if (result || error) return invalid("a request carries \"result\" or \"error\"");
    m.method = method->get_ref<const std::string&>();
    if (const json* params = find_member(doc, "params")) {
      if (!params->is_object() && !params->is_array()) return invalid("\"params\" must be an object or an array");
      m.params = std::move(doc["params"]);
    }
    if (id) {
      m.kind = MessageKind::request;
      m.id = *id;
    } else {
      m.kind = MessageKind::notification;
    }
    return m;
  }
  if (!id) return invalid("neither \"method\" nor \"id\"");
  if ((result != nullptr) == (error != nullptr)) return invalid("a response needs exactly one of \"result\" and \"error\"");
  m.id = *id;
  if (result) {
    if (id->is_null()) return invalid("a success response with a null id");
    m.kind = MessageKind::response;
    m.result = std::move(doc["result"]);
    return m;
  }
  if (!error->is_object()) return invalid("\"error\" is not an object");
  auto code = find_integer(*error, "code");
  auto message = find_string(*error, "message");
  if (!code) return invalid("\"error.code\" is not an integer");
  if (!message) return invalid("\"error.message\" is not a string");
  m.kind = MessageKind::error;
  m.error.code = *code;
  m.error.message = std::string(*message);
  m.error.data = json(json::value_t::discarded);
  if (const json* data = find_member(*error, "data")) m.error.data = *data;
  return m;
}

std::string build_request(const json& id, std::string_view method, const json& params) {
  json j = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) j["params"] = params;
  return dump_json(j);
}

std::string build_request_text(std::int64_t id, std::string_view method, std::string_view params_text) {
  std::string out;
  out.reserve(48 + method.size() + params_text.size());
  out += R"({"jsonrpc":"2.0","id":)";
  out += std::to_string(id);
  out += R"(,"method":)";
  bool plain = true;
  for (unsigned char c : method) plain = plain && c >= 0x20 && c != '"' && c != '\\';
  if (plain) {
    out.push_back('"');
    out.append(method);
    out.push_back('"');
  } else {
    out += dump_json(json(std::string(method)));
  }
  if (!params_text.empty()) {
    out += R"(,"params":)";
    out.append(params_text);
  }
  out.push_back('}');
  return out;
}

std::string build_notification(std::string_view method, const json& params) {
  json j = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) j["params"] = params;
  return dump_json(j);
}

std::string build_response(const json& id, const json& result) {
  return dump_json(json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

std::string build_error_response(const json& id, const RpcError& error) {
  json e = {{"code", error.code}, {"message", error.message}};
  if (error.has_data()) e["data"] = error.data;
  return dump_json(json{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(e)}});
}

}  // namespace mcpw::protocol
