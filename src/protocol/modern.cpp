#include "protocol/modern.h"

#include <cstdint>

#include "support/base64.h"

namespace mcpw::protocol {
namespace {

constexpr std::string_view SENTINEL_OPEN = "=?base64?";
constexpr std::string_view SENTINEL_CLOSE = "?=";

bool is_tchar(char c) {  // RFC 9110 §5.6.2
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// True when `schema` holds an x-mcp-header anywhere (bounded walk, no recursion).
bool has_annotation_anywhere(const json& schema) {
  std::vector<const json*> stack{&schema};
  std::size_t visited = 0;
  while (!stack.empty() && ++visited < 100000) {
    const json* j = stack.back();
    stack.pop_back();
    if (j->is_object()) {
      if (j->contains("x-mcp-header")) return true;
      for (const auto& [k, v] : j->items()) stack.push_back(&v);
    } else if (j->is_array()) {
      for (const json& v : *j) stack.push_back(&v);
    }
  }
  return false;
}

}  // namespace

json with_request_meta(json params, const ClientIdentity& client, std::string_view version) {
  if (!params.is_object()) params = json::object();
  json& meta = params["_meta"];
  if (!meta.is_object()) meta = json::object();
  meta["io.modelcontextprotocol/protocolVersion"] = version;
  meta["io.modelcontextprotocol/clientCapabilities"] =
      client.capabilities.is_object() ? client.capabilities : json::object();
  meta["io.modelcontextprotocol/clientInfo"] = client.client_info;
  return params;
}

std::string encode_header_value(std::string_view value) {
  bool safe = value.empty() || (value.front() != ' ' && value.back() != ' ');
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) safe = false;
  }
  // A value that itself looks like the sentinel is encoded too, so it cannot be misread.
  if (value.substr(0, SENTINEL_OPEN.size()) == SENTINEL_OPEN) safe = false;
  if (safe) return std::string(value);
  return std::string(SENTINEL_OPEN) + base64_std_encode(value) + std::string(SENTINEL_CLOSE);
}

std::optional<ToolHeaders> parse_tool_headers(const json& tool) {
  ToolHeaders out;
  const json* schema = find_object(tool, "inputSchema");
  if (!schema) return out;
  const json* props = find_object(*schema, "properties");
  std::vector<std::string> seen;
  if (props) {
    for (const auto& [name, prop] : props->items()) {
      if (!prop.is_object()) continue;
      const json* h = find_member(prop, "x-mcp-header");
      if (!h) {
        if (has_annotation_anywhere(prop)) return std::nullopt;  // nested: not reachable as a parameter
        continue;
      }
      if (!h->is_string() || h->get_ref<const std::string&>().empty()) return std::nullopt;
      const std::string& header = h->get_ref<const std::string&>();
      for (char c : header) {
        if (!is_tchar(c)) return std::nullopt;
      }
      auto type = find_string(prop, "type");
      if (!type || (*type != "string" && *type != "integer" && *type != "boolean")) return std::nullopt;
      std::string key = lower(header);
      for (const auto& s : seen) {
        if (s == key) return std::nullopt;
      }
      seen.push_back(std::move(key));
      out.emplace_back(header, name);
    }
  }
  // Annotations anywhere else in the schema ($defs, items, compositions) are invalid.
  json rest = *schema;
  rest.erase("properties");
  if (has_annotation_anywhere(rest)) return std::nullopt;
  return out;
}

std::vector<std::pair<std::string, std::string>> modern_headers(std::string_view method, const json& params,
                                                                const ToolHeaders* tool_headers) {
  std::vector<std::pair<std::string, std::string>> h;
  h.emplace_back("Mcp-Method", encode_header_value(method));
  std::optional<std::string_view> name;
  if (method == "tools/call" || method == "prompts/get") name = find_string(params, "name");
  if (method == "resources/read") name = find_string(params, "uri");
  if (name) h.emplace_back("Mcp-Name", encode_header_value(*name));
  if (method != "tools/call" || !tool_headers) return h;
  const json* args = find_object(params, "arguments");
  if (!args) return h;
  for (const auto& [header, prop] : *tool_headers) {
    const json* v = find_member(*args, prop);
    if (!v || v->is_null()) continue;
    std::string text;
    if (v->is_string()) {
      text = v->get_ref<const std::string&>();
    } else if (v->is_boolean()) {
      text = v->get<bool>() ? "true" : "false";
    } else if (v->is_number_integer()) {
      text = dump_json(*v);
    } else if (v->is_number_float()) {
      const double d = v->get<double>();
      if (d != static_cast<double>(static_cast<std::int64_t>(d))) continue;  // not an integer: no header
      text = std::to_string(static_cast<std::int64_t>(d));
    } else {
      continue;
    }
    h.emplace_back("Mcp-Param-" + header, encode_header_value(text));
  }
  return h;
}

std::string_view result_type(const json& result) {
  auto t = find_string(result, "resultType");
  return t ? *t : std::string_view("complete");
}

}  // namespace mcpw::protocol
