// MCP result shapes per revision (see shapes.h). Each revision's schema is
// one document with $defs, built once from the differences between
// revisions; a method's validator refers into it.
#include "shapes/shapes.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace mcpw::shapes {
namespace {

// Revisions in order; features are "since revision N".
enum Rev : int { r2024_11 = 0, r2025_03, r2025_06, r2025_11, r2026_07, REVS };

int revision_of(std::string_view version) {
  if (version == "2024-11-05") return r2024_11;
  if (version == "2025-03-26") return r2025_03;
  if (version == "2025-06-18") return r2025_06;
  if (version == "2026-07-28") return r2026_07;
  return r2025_11;
}

json ref(const char* name) { return json{{"$ref", std::string("#/$defs/") + name}}; }
json type(const char* t) { return json{{"type", t}}; }
json array_of(json items) { return json{{"type", "array"}, {"items", std::move(items)}}; }
json constant(const char* value) { return json{{"type", "string"}, {"const", value}}; }

json object(json properties, std::initializer_list<const char*> required) {
  json o{{"type", "object"}, {"properties", std::move(properties)}};
  if (required.size() > 0) {
    json r = json::array();
    for (const char* k : required) r.push_back(k);
    o["required"] = std::move(r);
  }
  return o;
}

// The revision's whole set of definitions.
json definitions(int r) {
  const bool since_03 = r >= r2025_03, since_06 = r >= r2025_06, since_11 = r >= r2025_11, modern = r >= r2026_07;
  json d = json::object();
  d["Meta"] = modern ? type("object") : json{{"type", "object"}, {"additionalProperties", json::object()}};
  d["Role"] = json{{"type", "string"}, {"enum", {"assistant", "user"}}};
  d["Implementation"] = object({{"name", type("string")}, {"version", type("string")}}, {"name", "version"});
  d["Icon"] = object({{"src", type("string")}, {"mimeType", type("string")}, {"sizes", array_of(type("string"))},
                      {"theme", json{{"type", "string"}, {"enum", {"dark", "light"}}}}},
                     {"src"});
  json annotations{{"audience", array_of(ref("Role"))},
                   {"priority", json{{"type", "number"}, {"minimum", 0}, {"maximum", 1}}}};
  if (since_06) annotations["lastModified"] = type("string");
  d["Annotations"] = object(std::move(annotations), {});

  // Members every content-like object of the revision may carry.
  auto with_common = [&](json props, bool annotated) {
    if (annotated) props["annotations"] = ref("Annotations");
    if (since_06) props["_meta"] = ref("Meta");
    return props;
  };
  d["TextContent"] = object(with_common({{"type", constant("text")}, {"text", type("string")}}, true), {"type", "text"});
  d["ImageContent"] = object(
      with_common({{"type", constant("image")}, {"data", type("string")}, {"mimeType", type("string")}}, true),
      {"type", "data", "mimeType"});
  if (since_03) {
    d["AudioContent"] = object(
        with_common({{"type", constant("audio")}, {"data", type("string")}, {"mimeType", type("string")}}, true),
        {"type", "data", "mimeType"});
  }
  d["TextResourceContents"] = object(
      with_common({{"uri", type("string")}, {"mimeType", type("string")}, {"text", type("string")}}, false),
      {"uri", "text"});
  d["BlobResourceContents"] = object(
      with_common({{"uri", type("string")}, {"mimeType", type("string")}, {"blob", type("string")}}, false),
      {"uri", "blob"});
  d["ResourceContentsItem"] = json{{"anyOf", {ref("TextResourceContents"), ref("BlobResourceContents")}}};
  d["EmbeddedResource"] = object(with_common({{"type", constant("resource")}, {"resource", ref("ResourceContentsItem")}}, true),
                                 {"type", "resource"});

  // A resource as listed (and, since 2025-06-18, as linked from content).
  auto resource_props = [&] {
    json p{{"uri", type("string")}, {"name", type("string")}, {"description", type("string")},
           {"mimeType", type("string")}, {"size", type("integer")}};
    if (since_06) p["title"] = type("string");
    if (since_11) p["icons"] = array_of(ref("Icon"));
    return with_common(std::move(p), true);
  };
  d["Resource"] = object(resource_props(), {"uri", "name"});
  json content = json::array({ref("TextContent"), ref("ImageContent")});
  if (since_03) content.push_back(ref("AudioContent"));
  if (since_06) {
    json link = resource_props();
    link["type"] = constant("resource_link");
    d["ResourceLink"] = object(std::move(link), {"type", "uri", "name"});
    content.push_back(ref("ResourceLink"));
  }
  content.push_back(ref("EmbeddedResource"));
  d["ContentBlock"] = json{{"anyOf", std::move(content)}};

  json templ{{"uriTemplate", type("string")}, {"name", type("string")}, {"description", type("string")},
             {"mimeType", type("string")}};
  if (since_06) templ["title"] = type("string");
  if (since_11) templ["icons"] = array_of(ref("Icon"));
  d["ResourceTemplate"] = object(with_common(std::move(templ), true), {"uriTemplate", "name"});

  // Tools.
  json schema_props{{"type", constant("object")}};
  if (!modern) {
    schema_props["properties"] = json{{"type", "object"}, {"additionalProperties", type("object")}};
    schema_props["required"] = array_of(type("string"));
  }
  if (since_11) schema_props["$schema"] = type("string");
  d["InputSchema"] = object(schema_props, {"type"});
  if (modern) {
    d["OutputSchema"] = object({{"$schema", type("string")}}, {});
  } else {
    d["OutputSchema"] = object(schema_props, {"type"});
  }
  d["ToolAnnotations"] = object({{"title", type("string")}, {"readOnlyHint", type("boolean")},
                                 {"destructiveHint", type("boolean")}, {"idempotentHint", type("boolean")},
                                 {"openWorldHint", type("boolean")}},
                                {});
  json tool{{"name", type("string")}, {"inputSchema", ref("InputSchema")}, {"description", type("string")}};
  if (since_03) tool["annotations"] = ref("ToolAnnotations");
  if (since_06) {
    tool["title"] = type("string");
    tool["outputSchema"] = ref("OutputSchema");
    tool["_meta"] = ref("Meta");
  }
  if (since_11) tool["icons"] = array_of(ref("Icon"));
  if (r == r2025_11) {
    tool["execution"] = object({{"taskSupport", json{{"type", "string"}, {"enum", {"forbidden", "optional", "required"}}}}}, {});
  }
  d["Tool"] = object(std::move(tool), {"name", "inputSchema"});

  // Prompts.
  json argument{{"name", type("string")}, {"description", type("string")}, {"required", type("boolean")}};
  if (since_06) argument["title"] = type("string");
  d["PromptArgument"] = object(std::move(argument), {"name"});
  json prompt{{"name", type("string")}, {"description", type("string")}, {"arguments", array_of(ref("PromptArgument"))}};
  if (since_06) {
    prompt["title"] = type("string");
    prompt["_meta"] = ref("Meta");
  }
  if (since_11) prompt["icons"] = array_of(ref("Icon"));
  d["Prompt"] = object(std::move(prompt), {"name"});
  d["PromptMessage"] = object({{"role", ref("Role")}, {"content", ref("ContentBlock")}}, {"role", "content"});
  return d;
}

// The members every result has: _meta, and in 2026-07-28 resultType; list
// and read results there also carry their cache hints (spec: 2026-07-28
// basic/utilities/caching). Those three are typed but not required here,
// unlike schema.json: the spec has clients read an absent resultType as
// "complete", and absent cache hints as "do not cache", so a result without
// them is usable (tests/shapes lists this as the one deliberate difference).
json result(int r, json props, std::initializer_list<const char*> required, bool paginated, bool cached) {
  const bool modern = r >= r2026_07;
  props["_meta"] = modern ? object({{"io.modelcontextprotocol/serverInfo", ref("Implementation")}}, {})
                          : ref("Meta");
  if (paginated) props["nextCursor"] = type("string");
  json o = object(std::move(props), required);
  if (modern) {
    o["properties"]["resultType"] = type("string");
    if (cached) {
      o["properties"]["cacheScope"] = json{{"type", "string"}, {"enum", {"private", "public"}}};
      o["properties"]["ttlMs"] = json{{"type", "integer"}, {"minimum", 0}};
    }
  }
  return o;
}

json method_shape(int r, std::string_view method) {
  const bool modern = r >= r2026_07;
  if (method == "tools/list") return result(r, {{"tools", array_of(ref("Tool"))}}, {"tools"}, true, true);
  if (method == "tools/call") {
    json props{{"content", array_of(ref("ContentBlock"))}, {"isError", type("boolean")}};
    if (r == r2025_06 || r == r2025_11) props["structuredContent"] = ref("Meta");
    return result(r, std::move(props), {"content"}, false, false);
  }
  if (method == "resources/list") return result(r, {{"resources", array_of(ref("Resource"))}}, {"resources"}, true, true);
  if (method == "resources/templates/list") {
    return result(r, {{"resourceTemplates", array_of(ref("ResourceTemplate"))}}, {"resourceTemplates"}, true, true);
  }
  if (method == "resources/read") {
    return result(r, {{"contents", array_of(ref("ResourceContentsItem"))}}, {"contents"}, false, true);
  }
  if (method == "prompts/list") return result(r, {{"prompts", array_of(ref("Prompt"))}}, {"prompts"}, true, true);
  if (method == "prompts/get") {
    return result(r, {{"description", type("string")}, {"messages", array_of(ref("PromptMessage"))}}, {"messages"}, false,
                  false);
  }
  if (method == "completion/complete") {
    json values = array_of(type("string"));
    if (modern) values["maxItems"] = 100;
    return result(r,
                  {{"completion", object({{"values", std::move(values)}, {"total", type("integer")},
                                          {"hasMore", type("boolean")}},
                                         {"values"})}},
                  {"completion"}, false, false);
  }
  if (method == "ping" || method == "logging/setLevel" || method == "resources/subscribe" ||
      method == "resources/unsubscribe") {
    return result(r, json::object(), {}, false, false);
  }
  return nullptr;
}

struct Entry {
  json schema;
  std::unique_ptr<schema::CompiledSchema> compiled;
  bool tried = false;
};

struct Cache {
  std::mutex mutex;
  std::map<std::string, Entry, std::less<>> entries[REVS];
};

Cache& cache() {
  static Cache c;
  return c;
}

// The entry for (revision, method), its schema built on first use.
Entry* entry(int r, std::string_view method) {
  Cache& c = cache();
  auto& by_method = c.entries[r];
  if (auto it = by_method.find(method); it != by_method.end()) return &it->second;
  json shape = method_shape(r, method);
  if (shape.is_null()) return nullptr;
  shape["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  shape["$defs"] = definitions(r);
  auto [it, _] = by_method.emplace(std::string(method), Entry{std::move(shape), nullptr, false});
  return &it->second;
}

}  // namespace

const json* result_schema(std::string_view version, std::string_view method) {
  std::lock_guard lock(cache().mutex);
  Entry* e = entry(revision_of(version), method);
  return e ? &e->schema : nullptr;
}

const schema::CompiledSchema* result_validator(std::string_view version, std::string_view method) {
  std::lock_guard lock(cache().mutex);
  Entry* e = entry(revision_of(version), method);
  if (!e) return nullptr;
  if (!e->tried) {
    e->tried = true;
    auto compiled = schema::CompiledSchema::compile(e->schema);
    if (compiled.ok()) e->compiled = std::make_unique<schema::CompiledSchema>(std::move(*compiled));
  }
  return e->compiled.get();
}

}  // namespace mcpw::shapes
