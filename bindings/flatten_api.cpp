// The flattener for JS (web/src/flatten.mjs): stateless calls, JSON text in
// and out. Every call answers {"ok": true, "value": ...} or {"ok": false,
// "error": {id, kind, message, data}}; bytes cross as base64 (Embind's string
// conversion is UTF-8).

#include <emscripten/bind.h>

#include <set>
#include <string>

#include "flatten/encoding.h"
#include "flatten/flatten.h"

namespace mcpw::bindings {
namespace {

using namespace mcpw::flatten;

std::string answer_error(const Error& e) {
  json data = nullptr;
  if (!e.data_json.empty()) {
    if (auto d = parse_json(e.data_json); d.ok()) data = std::move(*d);
  }
  return dump_json(json{{"ok", false},
                        {"error",
                         {{"id", e.id.id},
                          {"kind", e.kind() == ErrorKind::local ? "local" : "remote"},
                          {"message", e.message},
                          {"data", std::move(data)}}}});
}

std::string answer(json value) { return dump_json(json{{"ok", true}, {"value", std::move(value)}}); }

json diagnostics_json(const std::vector<Diagnostic>& ds) {
  json out = json::array();
  for (const Diagnostic& d : ds) out.push_back({{"operation", d.where}, {"code", d.id}, {"message", d.message}});
  return out;
}

// {name, description?, inputSchema, outputSchema?} objects -> Tools (no binding).
Result<std::vector<Tool>> tools_from_json(const json& list) {
  if (!list.is_array()) return Error(INVALID_ARGUMENT, "tools must be an array");
  std::vector<Tool> tools;
  for (const json& t : list) {
    auto name = find_string(t, "name");
    const json* input = find_object(t, "inputSchema");
    if (!name || !input) return Error(INVALID_ARGUMENT, "each tool needs a name and an inputSchema object");
    Tool tool;
    tool.name = std::string(*name);
    tool.description = std::string(find_string(t, "description").value_or(""));
    tool.input_schema = *input;
    if (const json* out = find_object(t, "outputSchema")) tool.output_schema = *out;
    tools.push_back(std::move(tool));
  }
  return tools;
}

Result<Provider> provider_from(std::string_view name) {
  if (name == "openai") return Provider::openai;
  if (name == "openai-strict") return Provider::openai_strict;
  if (name == "anthropic") return Provider::anthropic;
  if (name == "gemini") return Provider::gemini;
  return Error(INVALID_ARGUMENT, "unknown provider \"" + std::string(name) +
                                     "\" (openai, openai-strict, anthropic, gemini)");
}

json provider_tool_json(const ProviderTool& t) {
  return {{"name", t.name},
          {"originalName", t.original_name},
          {"description", t.description},
          {"parameters", t.parameters},
          {"plan", t.plan}};
}

// A binding from its JSON text (flatten.h make_binding_json).
Result<Binding> binding_from(const std::string& text) {
  auto b = parse_json(text);
  if (!b) return b.take_error();
  return parse_binding_json(*b);
}

// options: {maxOperations?}
std::string flatten_document(const std::string& document, const std::string& options) {
  auto doc = parse_json(document);
  if (!doc) return answer_error(doc.error());
  FlattenLimits limits;
  if (auto o = parse_json(options); o.ok()) {
    if (auto n = find_integer(*o, "maxOperations"); n && *n > 0) limits.max_operations = static_cast<std::size_t>(*n);
  }
  auto r = flatten_openapi(*doc, limits);
  if (!r) return answer_error(r.error());
  json tools = json::array();
  for (const Tool& t : r->tools) {
    json tool = make_tool_json(t);
    tool["binding"] = make_binding_json(t.binding);
    tools.push_back(std::move(tool));
  }
  return answer({{"tools", std::move(tools)}, {"diagnostics", diagnostics_json(r->diagnostics)}});
}

std::string build(const std::string& binding, const std::string& arguments) {
  auto parsed = binding_from(binding);
  if (!parsed) return answer_error(parsed.error());
  auto args = parse_json(arguments);
  if (!args) return answer_error(args.error());
  auto req = build_request(*parsed, *args);
  if (!req) return answer_error(req.error());
  json headers = json::array();
  for (const auto& [n, v] : req->headers) headers.push_back({n, v});
  json out = {{"method", req->method}, {"target", req->target}, {"headers", std::move(headers)}};
  const bool text = parsed->body == BodyEncoding::json || parsed->body == BodyEncoding::form ||
                    parsed->body == BodyEncoding::text;
  if (!req->body.empty() || parsed->body_required) {
    if (text) out["body"] = req->body;
    else out["body64"] = detail::base64_encode(req->body);
  }
  return answer(std::move(out));
}

// request: {method, target, headers: [[name, value]...], body? (text), body64?}
std::string parse(const std::string& binding, const std::string& request) {
  auto parsed = binding_from(binding);
  if (!parsed) return answer_error(parsed.error());
  auto r = parse_json(request);
  if (!r) return answer_error(r.error());
  HttpRequest req;
  req.method = std::string(find_string(*r, "method").value_or(""));
  req.target = std::string(find_string(*r, "target").value_or(""));
  if (const json* hs = find_array(*r, "headers")) {
    for (const json& h : *hs) {
      if (!h.is_array() || h.size() != 2 || !h[0].is_string() || !h[1].is_string())
        return answer_error(Error(INVALID_ARGUMENT, "headers must be [name, value] string pairs"));
      req.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
    }
  }
  if (auto text = find_string(*r, "body")) req.body = std::string(*text);
  if (auto b64 = find_string(*r, "body64")) {
    auto bytes = detail::base64_decode(*b64);
    if (!bytes) return answer_error(Error(INVALID_ARGUMENT, "body64 is not base64"));
    req.body = std::move(*bytes);
  }
  auto args = parse_request(*parsed, req);
  if (!args) return answer_error(args.error());
  return answer(std::move(*args));
}

std::string adapt(const std::string& tools_text, const std::string& provider_name) {
  auto provider = provider_from(provider_name);
  if (!provider) return answer_error(provider.error());
  auto list = parse_json(tools_text);
  if (!list) return answer_error(list.error());
  auto tools = tools_from_json(*list);
  if (!tools) return answer_error(tools.error());
  AdaptResult r = adapt_tools(*tools, *provider);
  json out = json::array();
  for (const ProviderTool& t : r.tools) out.push_back(provider_tool_json(t));
  return answer({{"tools", std::move(out)}, {"diagnostics", diagnostics_json(r.diagnostics)}});
}

// provider_tool: one element of adapt()'s tools; direction "from" (model ->
// tool) or "to" (tool -> model).
std::string map_arguments(const std::string& provider_tool, const std::string& arguments, const std::string& direction) {
  auto t = parse_json(provider_tool);
  if (!t) return answer_error(t.error());
  auto args = parse_json(arguments);
  if (!args) return answer_error(args.error());
  ProviderTool pt;
  pt.name = std::string(find_string(*t, "name").value_or(""));
  pt.original_name = std::string(find_string(*t, "originalName").value_or(""));
  if (const json* p = find_member(*t, "parameters")) pt.parameters = *p;
  if (const json* p = find_member(*t, "plan")) pt.plan = *p;
  auto mapped = direction == "to" ? arguments_to_provider(pt, *args) : arguments_from_provider(pt, *args);
  if (!mapped) return answer_error(mapped.error());
  return answer(std::move(*mapped));
}

std::string meta_tools() {
  json out = json::array();
  for (json& t : make_meta_tools()) out.push_back(std::move(t));
  return answer(std::move(out));
}

std::string handle_meta(const std::string& tools_text, const std::string& meta_tool, const std::string& arguments) {
  auto list = parse_json(tools_text);
  if (!list) return answer_error(list.error());
  auto tools = tools_from_json(*list);
  if (!tools) return answer_error(tools.error());
  auto args = parse_json(arguments);
  if (!args) return answer_error(args.error());
  auto r = handle_meta_tool(*tools, meta_tool, *args);
  if (!r) return answer_error(r.error());
  json out = json::object();
  if (!r->call_tool.empty()) {
    out["callTool"] = r->call_tool;
    out["callArguments"] = r->call_arguments;
  } else {
    out["result"] = r->result;
  }
  return answer(std::move(out));
}

}  // namespace

EMSCRIPTEN_BINDINGS(mcpw_flatten) {
  emscripten::function("flattenDocument", &flatten_document);
  emscripten::function("flattenBuild", &build);
  emscripten::function("flattenParse", &parse);
  emscripten::function("flattenAdapt", &adapt);
  emscripten::function("flattenMapArguments", &map_arguments);
  emscripten::function("flattenMetaTools", &meta_tools);
  emscripten::function("flattenHandleMeta", &handle_meta);
}

}  // namespace mcpw::bindings
