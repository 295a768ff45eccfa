// Swagger 2.0 -> OpenAPI 3.0.3, as far as flattening reads a document
// (flatten.h swagger2_to_openapi3). Follows the OpenAPI 2.0 specification
// (https://swagger.io/specification/v2/) field by field; what 3.0 has no
// place for (securityDefinitions, examples, response headers) is dropped.

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "flatten/flatten.h"

namespace mcpw::flatten {
namespace {

constexpr std::array<std::string_view, 7> kMethods = {"get", "put", "post", "delete", "options", "head", "patch"};

// Keywords a 2.0 non-body parameter (and its `items`) shares with JSON Schema.
constexpr std::array<std::string_view, 16> kParamSchemaKeys = {
    "type",      "format",    "enum",     "default",  "maximum",  "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern",  "maxItems", "minItems", "uniqueItems",      "multipleOf", "description"};

constexpr std::string_view kDefinitions = "#/definitions/";

// A 2.0 schema -> a 3.0 schema, in place: "#/definitions/X" refs ->
// "#/components/schemas/X", `discriminator: "prop"` -> {propertyName},
// `x-nullable` -> `nullable`, `type: file` -> binary string. `names` marks a
// map of names to schemas (properties, definitions), whose members may be
// called "enum" or "default" and are schemas all the same. Depth is bounded
// by the caller (flatten_openapi checks the document's nesting first).
void convert_schema(json& node, bool names = false) {
  if (node.is_array()) {
    for (json& e : node) convert_schema(e);
    return;
  }
  if (!node.is_object()) return;
  if (names) {
    for (auto& [name, schema] : node.items()) convert_schema(schema);
    return;
  }
  if (auto ref = find_string(node, "$ref"); ref && ref->rfind(kDefinitions, 0) == 0) {
    node["$ref"] = "#/components/schemas/" + std::string(ref->substr(kDefinitions.size()));
  }
  if (auto d = find_string(node, "discriminator")) node["discriminator"] = json{{"propertyName", *d}};
  if (auto n = find_bool(node, "x-nullable"); n && *n) node["nullable"] = true;
  if (auto t = find_string(node, "type"); t && *t == "file") {
    node["type"] = "string";
    node["format"] = "binary";
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string& k = it.key();
    if (k == "enum" || k == "default" || k == "example" || k.rfind("x-", 0) == 0) continue;  // values, not schemas
    if (it.value().is_structured()) convert_schema(it.value(), k == "properties" || k == "patternProperties");
  }
}

// `#/parameters/X` or `#/responses/X` -> the object it names (2.0 allows
// these refs only at the top level; a chain is followed a bounded number of
// hops).
Result<const json*> resolve(const json& doc, const json& node, std::string_view section, std::size_t max_chain) {
  const json* cur = &node;
  for (std::size_t hops = 0; hops <= max_chain; ++hops) {
    auto ref = find_string(*cur, "$ref");
    if (!ref) return cur;
    const std::string prefix = "#/" + std::string(section) + "/";
    if (ref->rfind(prefix, 0) != 0) return Error(BAD_REF, "unsupported $ref " + std::string(*ref));
    const json* table = find_object(doc, section);
    const json* target = table ? find_member(*table, ref->substr(prefix.size())) : nullptr;
    if (!target || !target->is_object()) return Error(BAD_REF, "unresolved $ref " + std::string(*ref));
    cur = target;
  }
  return Error(BAD_REF, "$ref chain longer than " + std::to_string(max_chain));
}

// collectionFormat -> (style, explode) for a parameter in `in`.
Result<std::pair<std::string, bool>> style_of(std::string_view in, std::string_view format) {
  const bool simple_place = in == "path" || in == "header";
  if (format.empty() || format == "csv") return std::pair<std::string, bool>{simple_place ? "simple" : "form", false};
  if (simple_place) return Error(UNSUPPORTED_PARAMETER, "collectionFormat " + std::string(format) + " in " + std::string(in));
  if (format == "multi") return std::pair<std::string, bool>{"form", true};
  if (format == "ssv") return std::pair<std::string, bool>{"spaceDelimited", false};
  if (format == "pipes") return std::pair<std::string, bool>{"pipeDelimited", false};
  return Error(UNSUPPORTED_PARAMETER, "collectionFormat " + std::string(format) + " has no OpenAPI 3 style");
}

// The schema part of a non-body parameter or of an `items` object.
json param_schema(const json& p, std::size_t depth) {
  json s = json::object();
  for (std::string_view k : kParamSchemaKeys) {
    if (const json* v = find_member(p, k)) s[std::string(k)] = *v;
  }
  if (const json* items = find_object(p, "items"); items && depth < 16) s["items"] = param_schema(*items, depth + 1);
  if (auto n = find_bool(p, "x-nullable"); n && *n) s["nullable"] = true;
  if (auto t = find_string(s, "type"); t && *t == "file") {
    s["type"] = "string";
    s["format"] = "binary";
  }
  return s;
}

struct Media {
  std::vector<std::string> consumes, produces;
};

std::vector<std::string> media_list(const json& node, std::string_view key, const std::vector<std::string>& fallback) {
  const json* list = find_array(node, key);
  if (!list) return fallback;
  std::vector<std::string> out;
  for (const json& m : *list) {
    if (m.is_string()) out.push_back(m.get<std::string>());
  }
  return out;
}

// A body schema's media types: the consumes list without "*/*" (any type:
// JSON is 2.0's default for a body schema), application/json when empty.
json content_for(const std::vector<std::string>& types, const json& schema) {
  json content = json::object();
  for (const std::string& t : types) {
    if (t != "*/*") content[t] = json{{"schema", schema}};
  }
  if (content.empty()) content["application/json"] = json{{"schema", schema}};
  return content;
}

Result<json> convert_operation(const json& doc, const json& path_item, const json& op, const Media& media,
                               const FlattenLimits& limits) {
  json out = json::object();
  for (std::string_view k : {"operationId", "summary", "description", "deprecated", "tags"}) {
    if (const json* v = find_member(op, k)) out[std::string(k)] = *v;
  }
  // Path-level then operation-level parameters; the operation's win per (in, name).
  std::vector<std::pair<std::string, const json*>> order;
  std::map<std::string, const json*> by_place;
  for (const json* list : {find_array(path_item, "parameters"), find_array(op, "parameters")}) {
    if (!list) continue;
    for (const json& raw : *list) {
      auto p = resolve(doc, raw, "parameters", limits.max_ref_chain);
      if (!p) return p.take_error();
      auto in = find_string(**p, "in");
      auto name = find_string(**p, "name");
      if (!in || !name) return Error(BAD_REF, "a parameter without \"in\" and \"name\"");
      const std::string place = std::string(*in) + "\n" + std::string(*name);
      if (!by_place.count(place)) order.emplace_back(place, nullptr);
      by_place[place] = *p;
    }
  }
  const std::vector<std::string> consumes = media_list(op, "consumes", media.consumes);
  json params = json::array();
  json form_props = json::object();
  json form_required = json::array();
  bool has_file = false;
  for (const auto& entry : order) {
    const json& p = *by_place[entry.first];
    const std::string in(find_string(p, "in").value_or(""));
    const std::string name(find_string(p, "name").value_or(""));
    if (in == "body") {
      json schema = find_member(p, "schema") ? *find_member(p, "schema") : json::object();
      convert_schema(schema);
      json body = {{"content", content_for(consumes, schema)}};
      if (auto r = find_bool(p, "required"); r && *r) body["required"] = true;
      if (auto d = find_string(p, "description")) body["description"] = *d;
      out["requestBody"] = std::move(body);
      continue;
    }
    json schema = param_schema(p, 0);
    if (in == "formData") {
      if (find_string(p, "type").value_or("") == "file") has_file = true;
      // Form arrays travel as repeated fields (multi); csv & co. would need
      // a 3.0 `encoding` the flattener does not read.
      const std::string_view cf = find_string(p, "collectionFormat").value_or("csv");
      if (find_string(p, "type").value_or("") == "array" && cf != "multi")
        return Error(UNSUPPORTED_PARAMETER, "form field " + name + ": collectionFormat " + std::string(cf));
      form_props[name] = std::move(schema);
      if (auto r = find_bool(p, "required"); r && *r) form_required.push_back(name);
      continue;
    }
    json q = {{"name", name}, {"in", in}};
    if (auto d = find_string(p, "description")) q["description"] = *d;
    if (auto r = find_bool(p, "required"); r && *r) q["required"] = true;
    if (in == "path") q["required"] = true;
    if (auto ae = find_bool(p, "allowEmptyValue")) q["allowEmptyValue"] = *ae;
    if (find_string(p, "type").value_or("") == "array") {
      auto st = style_of(in, find_string(p, "collectionFormat").value_or(""));
      if (!st) return st.take_error();
      q["style"] = st->first;
      q["explode"] = st->second;
    }
    schema.erase("description");
    q["schema"] = std::move(schema);
    params.push_back(std::move(q));
  }
  if (!params.empty()) out["parameters"] = std::move(params);
  if (!form_props.empty()) {
    // formData: multipart when a field is a file or consumes says so, else urlencoded.
    if (out.contains("requestBody")) return Error(UNSUPPORTED_BODY, "both a body and formData parameters");
    const bool multipart =
        has_file || std::find(consumes.begin(), consumes.end(), "multipart/form-data") != consumes.end();
    const bool required = !form_required.empty();
    json schema = {{"type", "object"}, {"properties", std::move(form_props)}};
    if (required) schema["required"] = std::move(form_required);
    const char* type = multipart ? "multipart/form-data" : "application/x-www-form-urlencoded";
    json body = {{"content", {{type, {{"schema", std::move(schema)}}}}}};
    if (required) body["required"] = true;
    out["requestBody"] = std::move(body);
  }
  // Responses: the schema under each of the produced media types.
  const std::vector<std::string> produces = media_list(op, "produces", media.produces);
  json responses = json::object();
  if (const json* rs = find_object(op, "responses")) {
    for (auto it = rs->begin(); it != rs->end(); ++it) {
      if (it.key().rfind("x-", 0) == 0) continue;
      auto r = resolve(doc, it.value(), "responses", limits.max_ref_chain);
      if (!r) return r.take_error();
      json resp = {{"description", find_string(**r, "description").value_or("")}};
      if (const json* s = find_member(**r, "schema")) {
        json schema = *s;
        convert_schema(schema);
        resp["content"] = content_for(produces, schema);
      }
      responses[it.key()] = std::move(resp);
    }
  }
  out["responses"] = std::move(responses);
  return out;
}

std::string server_url(const json& doc) {
  const std::string base_path(find_string(doc, "basePath").value_or(""));
  auto host = find_string(doc, "host");
  if (!host) return base_path;
  std::string scheme = "https";
  if (const json* schemes = find_array(doc, "schemes"); schemes && !schemes->empty() && schemes->front().is_string())
    scheme = schemes->front().get<std::string>();
  return scheme + "://" + std::string(*host) + base_path;
}

}  // namespace

Result<ConvertedDocument> swagger2_to_openapi3(const json& doc, const FlattenLimits& limits) {
  if (!doc.is_object() || find_string(doc, "swagger").value_or("") != "2.0")
    return Error(NOT_OPENAPI, "not a Swagger 2.0 document");
  ConvertedDocument out;
  json& d = out.document;
  d = json{{"openapi", "3.0.3"}, {"paths", json::object()}};
  if (const json* info = find_member(doc, "info")) d["info"] = *info;
  if (const std::string url = server_url(doc); !url.empty()) d["servers"] = json::array({{{"url", url}}});
  if (const json* defs = find_object(doc, "definitions")) {
    json schemas = *defs;
    convert_schema(schemas, true);
    d["components"] = {{"schemas", std::move(schemas)}};
  }
  const Media media{media_list(doc, "consumes", {}), media_list(doc, "produces", {})};
  const json* paths = find_object(doc, "paths");
  if (!paths) return out;
  for (auto it = paths->begin(); it != paths->end(); ++it) {
    if (!it.value().is_object() || it.key().rfind("x-", 0) == 0) continue;
    json item = json::object();
    for (std::string_view m : kMethods) {
      const json* op = find_object(it.value(), m);
      if (!op) continue;
      auto converted = convert_operation(doc, it.value(), *op, media, limits);
      if (!converted) {
        out.diagnostics.push_back({std::string(m) + " " + it.key(), converted.error().id.id, converted.error().message});
        continue;
      }
      item[std::string(m)] = std::move(converted.value());
    }
    d["paths"][it.key()] = std::move(item);
  }
  return out;
}

}  // namespace mcpw::flatten
