// OpenAPI document -> flat tools. The rules are listed in flatten.h; this
// file walks the document, schema_inline.cpp makes the schemas
// self-contained, request.cpp / parse_request.cpp use the bindings.

#include "flatten/flatten.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "flatten/encoding.h"
#include "flatten/schema_inline.h"

namespace mcpw::flatten {
using detail::follow_refs;

namespace {

using detail::Direction;
using detail::SchemaInliner;
using detail::is_plain_object_schema;
using detail::resolve_local_ref;

constexpr std::array<std::string_view, 8> kMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

std::string_view location_suffix(Location l) {
  switch (l) {
    case Location::path: return "path";
    case Location::query: return "query";
    case Location::header: return "header";
    case Location::cookie: return "cookie";
    case Location::body_field:
    case Location::body: return "body";
  }
  return "body";
}

int location_rank(Location l) { return static_cast<int>(l); }

Status check_document_shape(const json& doc, const FlattenLimits& limits) {
  // Iterative walk: no recursion on input-controlled depth.
  std::vector<std::pair<const json*, std::size_t>> todo{{&doc, 1}};
  while (!todo.empty()) {
    auto [node, depth] = todo.back();
    todo.pop_back();
    if (depth > limits.max_doc_depth) {
      return Error(TOO_LARGE, "document nested deeper than " + std::to_string(limits.max_doc_depth));
    }
    if (node->is_structured()) {
      for (const json& child : *node) {
        if (child.is_structured()) todo.emplace_back(&child, depth + 1);
      }
    }
  }
  return {};
}

std::optional<Style> parse_style(std::string_view s) {
  if (s == "simple") return Style::simple;
  if (s == "label") return Style::label;
  if (s == "matrix") return Style::matrix;
  if (s == "form") return Style::form;
  if (s == "spaceDelimited") return Style::space_delimited;
  if (s == "pipeDelimited") return Style::pipe_delimited;
  if (s == "deepObject") return Style::deep_object;
  return std::nullopt;
}

bool is_json_media(std::string_view mt) {
  const std::string m = detail::ascii_lower(mt.substr(0, mt.find(';')));
  return m == "application/json" || (m.size() > 5 && m.compare(m.size() - 5, 5, "+json") == 0);
}

// The chosen request media type and its encoding, by the preference order.
std::pair<std::string, BodyEncoding> choose_media(const json& content) {
  std::vector<std::string> types;
  for (auto it = content.begin(); it != content.end(); ++it) types.push_back(it.key());
  auto pick = [&](auto pred) -> std::optional<std::string> {
    for (const std::string& t : types) {
      if (pred(detail::ascii_lower(t.substr(0, t.find(';'))))) return t;
    }
    return std::nullopt;
  };
  if (auto t = pick([](const std::string& m) { return m == "application/json"; })) return {*t, BodyEncoding::json};
  if (auto t = pick([](const std::string& m) { return is_json_media(m); })) return {*t, BodyEncoding::json};
  if (auto t = pick([](const std::string& m) { return m == "application/x-www-form-urlencoded"; }))
    return {*t, BodyEncoding::form};
  if (auto t = pick([](const std::string& m) { return m == "multipart/form-data"; }))
    return {*t, BodyEncoding::multipart};
  if (auto t = pick([](const std::string& m) { return m.rfind("text/", 0) == 0; })) return {*t, BodyEncoding::text};
  if (auto t = pick([](const std::string& m) { return m == "application/octet-stream"; }))
    return {*t, BodyEncoding::binary};
  if (!types.empty()) return {types.front(), BodyEncoding::binary};
  return {"", BodyEncoding::none};
}

bool is_file_schema(const json& s) {
  if (!s.is_object()) return false;
  auto fmt = find_string(s, "format");
  if (fmt && (*fmt == "binary" || *fmt == "base64")) return true;
  return find_member(s, "contentEncoding") != nullptr || find_member(s, "contentMediaType") != nullptr;
}

json file_part_schema(const json& original) {
  json s = {{"type", "object"},
            {"properties",
             {{"data", {{"type", "string"}, {"contentEncoding", "base64"}, {"description", "file content, base64"}}},
              {"mimeType", {{"type", "string"}}},
              {"filename", {{"type", "string"}}}}},
            {"required", json::array({"data"})},
            {"additionalProperties", false}};
  if (auto d = find_string(original, "description")) s["description"] = *d;
  return s;
}

// Merges a root oneOf/anyOf with a discriminator into one object schema
// (OpenAPI 3.1 §4.8.25 Discriminator Object). `raw` is the body schema as
// written, whose $refs give the implicit discriminator values. Returns false
// (schema untouched) when a variant is not a plain object.
bool merge_discriminated_union(json& schema, const json& raw_root, const json& doc) {
  if (!schema.is_object()) return false;
  const json* disc = find_object(schema, "discriminator");
  auto prop = disc ? find_string(*disc, "propertyName") : std::nullopt;
  if (!prop) return false;
  const char* key = find_array(schema, "oneOf") ? "oneOf" : (find_array(schema, "anyOf") ? "anyOf" : nullptr);
  if (!key) return false;
  const json& variants = *find_array(schema, key);
  const json* raw_variants = find_array(raw_root, key);
  for (const json& v : variants) {
    if (!is_plain_object_schema(v)) return false;
  }
  const std::string pname(*prop);
  json merged = schema;
  merged.erase(key);
  merged.erase("discriminator");
  merged["type"] = "object";
  json props = merged.contains("properties") ? merged["properties"] : json::object();
  std::optional<json> required_all;
  json values = json::array();
  auto add_value = [&](const json& v) {
    if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
  };
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const json& v = variants[i];
    if (const json* ps = find_object(v, "properties")) {
      for (auto p = ps->begin(); p != ps->end(); ++p) {
        auto q = props.find(p.key());
        if (q == props.end()) {
          props[p.key()] = p.value();
        } else if (*q != p.value()) {
          json alts = q->contains("anyOf") && q->size() == 1 ? (*q)["anyOf"] : json::array({*q});
          if (std::find(alts.begin(), alts.end(), p.value()) == alts.end()) alts.push_back(p.value());
          *q = json{{"anyOf", alts}};
        }
      }
      if (const json* dp = find_member(*ps, pname)) {
        if (const json* c = find_member(*dp, "const")) add_value(*c);
        if (const json* e = find_array(*dp, "enum")) {
          for (const json& x : *e) add_value(x);
        }
      }
    }
    // Mapping entries pointing at this variant, else the implicit name.
    std::string raw_ref;
    if (raw_variants && i < raw_variants->size()) raw_ref = std::string(find_string((*raw_variants)[i], "$ref").value_or(""));
    bool mapped = false;
    if (const json* mapping = find_object(*disc, "mapping")) {
      for (auto m = mapping->begin(); m != mapping->end(); ++m) {
        if (m->is_string() && !raw_ref.empty() && m->get_ref<const std::string&>() == raw_ref) {
          add_value(m.key());
          mapped = true;
        }
      }
    }
    if (!mapped && !raw_ref.empty() && resolve_local_ref(doc, raw_ref)) {
      add_value(raw_ref.substr(raw_ref.rfind('/') + 1));
    }
    const json* req_list = find_array(v, "required");
    json req = req_list ? *req_list : json::array();
    if (!required_all) {
      required_all = req;
    } else {
      json both = json::array();
      for (const json& r : *required_all) {
        if (std::find(req.begin(), req.end(), r) != req.end()) both.push_back(r);
      }
      required_all = std::move(both);
    }
  }
  json dschema = {{"type", "string"}};
  if (auto d = props.find(pname); d != props.end() && d->is_object() && d->contains("description"))
    dschema["description"] = (*d)["description"];
  if (!values.empty()) dschema["enum"] = values;
  props[pname] = dschema;
  merged["properties"] = std::move(props);
  json req = merged.contains("required") && merged["required"].is_array() ? merged["required"] : json::array();
  for (const json& r : required_all.value_or(json::array())) {
    if (std::find(req.begin(), req.end(), r) == req.end()) req.push_back(r);
  }
  if (std::find(req.begin(), req.end(), pname) == req.end()) req.push_back(pname);
  merged["required"] = std::move(req);
  schema = std::move(merged);
  return true;
}

struct OpContext {
  const json& doc;
  const FlattenLimits& limits;
  std::string method;  // lower case
  std::string path;
};

Result<Tool> flatten_operation(const OpContext& ctx, const json& path_item, const json& op) {
  Tool tool;
  Binding& b = tool.binding;
  b.method = ctx.method;
  std::transform(b.method.begin(), b.method.end(), b.method.begin(), [](char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  });
  b.path_template = ctx.path;
  SchemaInliner req(ctx.doc, ctx.limits, Direction::request);

  // Parameters: (in, name) identifies one; header names case-insensitively.
  std::vector<std::pair<std::string, const json*>> params;  // identity -> object
  for (const json* list : {find_array(path_item, "parameters"), find_array(op, "parameters")}) {
    if (!list) continue;
    for (const json& raw : *list) {
      auto p = follow_refs(ctx.doc, raw, ctx.limits.max_ref_chain);
      if (!p) return p.take_error();
      auto in = find_string(**p, "in");
      auto name = find_string(**p, "name");
      if (!in || !name) continue;
      std::string id = std::string(*in) + ":" + (*in == "header" ? detail::ascii_lower(*name) : std::string(*name));
      auto same = std::find_if(params.begin(), params.end(), [&](const auto& e) { return e.first == id; });
      if (same != params.end()) same->second = *p;  // the operation's wins
      else params.emplace_back(std::move(id), *p);
    }
  }
  for (const auto& [id, p] : params) {
    const std::string in(find_string(*p, "in").value_or(""));
    const std::string name(find_string(*p, "name").value_or(""));
    KeyBinding k;
    k.name = name;
    if (in == "path") k.location = Location::path;
    else if (in == "query") k.location = Location::query;
    else if (in == "header") k.location = Location::header;
    else if (in == "cookie") k.location = Location::cookie;
    else continue;
    if (k.location == Location::header) {
      const std::string lower = detail::ascii_lower(name);
      if (lower == "accept" || lower == "content-type" || lower == "authorization") continue;
    }
    k.style = (k.location == Location::path || k.location == Location::header) ? Style::simple : Style::form;
    if (auto s = find_string(*p, "style")) {
      if (auto st = parse_style(*s)) k.style = *st;
    }
    k.explode = find_bool(*p, "explode").value_or(k.style == Style::form);
    k.allow_reserved = find_bool(*p, "allowReserved").value_or(false);
    k.allow_slash = find_bool(*p, "x-mcpw-allow-slash").value_or(false);
    k.required = k.location == Location::path || find_bool(*p, "required").value_or(false);
    json raw_schema = json{{"type", "string"}};
    if (const json* s = find_member(*p, "schema")) {
      raw_schema = *s;
    } else if (const json* content = find_object(*p, "content"); content && !content->empty()) {
      k.content_json = true;
      const json* s = find_member(content->begin().value(), "schema");
      raw_schema = s ? *s : json::object();
    }
    auto schema = req.inline_schema(raw_schema);
    if (!schema) return schema.take_error();
    k.schema = std::move(schema.value());
    if (auto d = find_string(*p, "description"); d && k.schema.is_object() && !k.schema.contains("description"))
      k.schema["description"] = *d;
    if (find_bool(*p, "deprecated").value_or(false) && k.schema.is_object()) k.schema["deprecated"] = true;
    k.nullable = detail::schema_allows_null(k.schema);
    b.keys.push_back(std::move(k));
  }

  // The path template is the truth about path parameters: one it names but
  // the document forgot becomes a required string; one it does not name
  // cannot be sent and is dropped.
  std::vector<std::string> template_vars;
  for (std::size_t i = ctx.path.find('{'); i != std::string::npos; i = ctx.path.find('{', i + 1)) {
    const std::size_t close = ctx.path.find('}', i);
    if (close == std::string::npos) break;
    template_vars.push_back(ctx.path.substr(i + 1, close - i - 1));
  }
  b.keys.erase(std::remove_if(b.keys.begin(), b.keys.end(),
                              [&](const KeyBinding& k) {
                                return k.location == Location::path &&
                                       std::find(template_vars.begin(), template_vars.end(), k.name) == template_vars.end();
                              }),
               b.keys.end());
  for (const std::string& var : template_vars) {
    const bool declared = std::any_of(b.keys.begin(), b.keys.end(), [&](const KeyBinding& k) {
      return k.location == Location::path && k.name == var;
    });
    if (declared) continue;
    KeyBinding k;
    k.location = Location::path;
    k.name = var;
    k.style = Style::simple;
    k.explode = false;
    k.required = true;
    k.schema = json{{"type", "string"}};
    b.keys.push_back(std::move(k));
  }

  // The server: the operation's, else the path item's, else the document's
  // (OpenAPI 3.1 §4.8.10.1 "servers"), variables at their defaults.
  for (const json* servers : {find_array(op, "servers"), find_array(path_item, "servers"), find_array(ctx.doc, "servers")}) {
    if (!servers || servers->empty()) continue;
    const json& first = (*servers)[0];
    std::string url(find_string(first, "url").value_or(""));
    if (const json* vars = find_object(first, "variables")) {
      for (auto it = vars->begin(); it != vars->end(); ++it) {
        const std::string needle = "{" + it.key() + "}";
        const std::string value(find_string(it.value(), "default").value_or(""));
        for (std::size_t at = url.find(needle); at != std::string::npos; at = url.find(needle, at + value.size()))
          url.replace(at, needle.size(), value);
      }
    }
    b.server = std::move(url);
    break;
  }

  // Request body.
  json body_additional_schema;
  if (const json* rb_raw = find_object(op, "requestBody")) {
    auto rb = follow_refs(ctx.doc, *rb_raw, ctx.limits.max_ref_chain);
    if (!rb) return rb.take_error();
    const json* content = find_object(**rb, "content");
    if (content && !content->empty()) {
      auto [media, enc] = choose_media(*content);
      b.media_type = media;
      b.body = enc;
      b.body_required = find_bool(**rb, "required").value_or(false);
      const json* media_obj = find_member(*content, media);
      const json* raw_schema = media_obj ? find_member(*media_obj, "schema") : nullptr;
      json raw = raw_schema ? *raw_schema : json::object();
      json raw_root = raw;
      if (auto chased = follow_refs(ctx.doc, raw, ctx.limits.max_ref_chain); chased) raw_root = **chased;
      auto schema = req.inline_schema(raw);
      if (!schema) return schema.take_error();
      json s = std::move(schema.value());
      if (enc == BodyEncoding::json || enc == BodyEncoding::form || enc == BodyEncoding::multipart) {
        merge_discriminated_union(s, raw_root, ctx.doc);
      }
      const json* props = find_object(s, "properties");
      const bool spread = (enc == BodyEncoding::json || enc == BodyEncoding::form || enc == BodyEncoding::multipart) &&
                          detail::is_plain_object_schema(s) && props && !props->empty();
      if (spread) {
        b.body_spread = true;
        const json* req_list = find_array(s, "required");
        for (auto it = props->begin(); it != props->end(); ++it) {
          KeyBinding k;
          k.location = Location::body_field;
          k.name = it.key();
          k.schema = it.value();
          k.required = b.body_required && req_list &&
                       std::find(req_list->begin(), req_list->end(), it.key()) != req_list->end();
          k.nullable = enc == BodyEncoding::json && detail::schema_allows_null(k.schema);
          if (enc == BodyEncoding::multipart && is_file_schema(k.schema)) {
            k.is_file = true;
            k.schema = file_part_schema(k.schema);
          }
          b.keys.push_back(std::move(k));
        }
        if (const json* ap = find_member(s, "additionalProperties"); ap && !(ap->is_boolean() && !ap->get<bool>())) {
          b.body_additional = true;
          body_additional_schema = *ap;
        }
      } else {
        if (enc == BodyEncoding::form || enc == BodyEncoding::multipart) {
          return Error(UNSUPPORTED_BODY, "a " + media + " body must be an object with properties");
        }
        KeyBinding k;
        k.location = Location::body;
        k.name = "body";
        k.required = b.body_required;
        if (enc == BodyEncoding::binary) {
          k.schema = json{{"type", "string"}, {"contentEncoding", "base64"}, {"contentMediaType", media}};
        } else if (enc == BodyEncoding::text) {
          k.schema = json{{"type", "string"}, {"contentMediaType", media}};
        } else {
          k.schema = std::move(s);
        }
        if (auto d = find_string(**rb, "description"); d && k.schema.is_object() && !k.schema.contains("description"))
          k.schema["description"] = *d;
        k.nullable = enc == BodyEncoding::json && detail::schema_allows_null(k.schema);
        b.keys.push_back(std::move(k));
      }
    }
  }

  // Flat keys: the first place (path, query, header, cookie, body) keeps a
  // contested name, the others take a location suffix.
  std::stable_sort(b.keys.begin(), b.keys.end(), [](const KeyBinding& x, const KeyBinding& y) {
    return location_rank(x.location) < location_rank(y.location);
  });
  // Two passes, so an uncontested name (a real parameter called "id_query")
  // is never displaced by a suffixed one.
  std::set<std::string> taken;
  std::vector<bool> named(b.keys.size(), false);
  for (std::size_t i = 0; i < b.keys.size(); ++i) {
    if (taken.insert(b.keys[i].name).second) {
      b.keys[i].flat_key = b.keys[i].name;
      named[i] = true;
    }
  }
  for (std::size_t i = 0; i < b.keys.size(); ++i) {
    if (named[i]) continue;
    KeyBinding& k = b.keys[i];
    const std::string key = k.name + "_" + std::string(location_suffix(k.location));
    std::string candidate = key;
    for (int n = 2; taken.count(candidate); ++n) candidate = key + "_" + std::to_string(n);
    k.flat_key = candidate;
    taken.insert(candidate);
  }

  // The flat input schema.
  json properties = json::object();
  json required = json::array();
  for (const KeyBinding& k : b.keys) {
    properties[k.flat_key] = k.schema;
    if (k.required) required.push_back(k.flat_key);
  }
  tool.input_schema = json{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) tool.input_schema["required"] = std::move(required);
  tool.input_schema["additionalProperties"] = b.body_additional ? body_additional_schema : json(false);
  auto defs = req.take_defs();
  if (!defs) return defs.take_error();
  if (!defs->empty()) {
    tool.input_schema["$defs"] = std::move(defs.value());
    b.defs = tool.input_schema["$defs"];
  }

  // Output: the first 2xx JSON response.
  tool.output_schema = nullptr;
  if (const json* responses = find_object(op, "responses")) {
    std::vector<std::string> codes;
    for (auto it = responses->begin(); it != responses->end(); ++it) {
      const std::string& c = it.key();
      if (c.size() == 3 && c[0] == '2' && c[1] >= '0' && c[1] <= '9' && c[2] >= '0' && c[2] <= '9') codes.push_back(c);
    }
    std::sort(codes.begin(), codes.end());
    for (const char* extra : {"2XX", "2xx"}) {
      if (responses->contains(extra)) codes.emplace_back(extra);
    }
    for (const std::string& c : codes) {
      auto resp = follow_refs(ctx.doc, *find_member(*responses, c), ctx.limits.max_ref_chain);
      if (!resp) return resp.take_error();
      const json* content = find_object(**resp, "content");
      if (!content) continue;
      const json* chosen = nullptr;
      for (auto it = content->begin(); it != content->end(); ++it) {
        if (is_json_media(it.key())) {
          chosen = &it.value();
          break;
        }
      }
      if (!chosen) continue;
      SchemaInliner res(ctx.doc, ctx.limits, Direction::response);
      const json* raw = find_member(*chosen, "schema");
      auto s = res.inline_schema(raw ? *raw : json::object());
      if (!s) return s.take_error();
      json out = std::move(s.value());
      if (!(out.is_object() && find_member(out, "type") && *find_member(out, "type") == "object")) {
        out = json{{"type", "object"}, {"properties", {{"result", std::move(out)}}}, {"required", {"result"}}};
        b.output_wrapped = true;
      }
      auto odefs = res.take_defs();
      if (!odefs) return odefs.take_error();
      if (!odefs->empty()) out["$defs"] = std::move(odefs.value());
      tool.output_schema = std::move(out);
      break;
    }
  }

  if (auto id = find_string(op, "operationId"); id && !id->empty()) {
    tool.name = sanitize_tool_name(*id);
  } else {
    tool.name = sanitize_tool_name(ctx.method + "_" + ctx.path);
  }
  auto desc = find_string(op, "description");
  if (!desc || desc->empty()) desc = find_string(op, "summary");
  tool.description = std::string(desc.value_or(""));
  if (auto summary = find_string(op, "summary"); summary && !summary->empty() && *summary != tool.description)
    tool.title = std::string(*summary);
  return tool;
}

}  // namespace

std::string sanitize_tool_name(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.';
    if (ok) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');  // a run of other characters ("/{", "}/") becomes one "_"
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) out = "tool";
  constexpr std::size_t kMax = 128;
  if (out.size() > kMax) {
    out = out.substr(0, kMax - 9) + "_" + detail::hex_digits(detail::fnv1a64(raw), 8);
  }
  return out;
}

Result<FlattenResult> flatten_openapi(const json& document, const FlattenLimits& limits) {
  if (!document.is_object()) return Error(NOT_OPENAPI, "an OpenAPI document is a JSON object");
  if (auto swagger = find_string(document, "swagger"); swagger && !find_member(document, "openapi")) {
    if (*swagger != "2.0") return Error(NOT_OPENAPI, "unsupported \"swagger\" version (2.0 only)");
    if (auto st = check_document_shape(document, limits); !st) return st.take_error();
    auto converted = swagger2_to_openapi3(document, limits);
    if (!converted) return converted.take_error();
    auto r = flatten_openapi(converted->document, limits);
    if (!r) return r;
    r->diagnostics.insert(r->diagnostics.begin(), converted->diagnostics.begin(), converted->diagnostics.end());
    return r;
  }
  auto version = find_string(document, "openapi");
  if (!version || version->rfind("3.", 0) != 0) {
    return Error(NOT_OPENAPI, "missing or unsupported \"openapi\" version (3.0.x or 3.1.x)");
  }
  if (auto st = check_document_shape(document, limits); !st) return st.take_error();
  FlattenResult result;
  const json* paths = find_object(document, "paths");
  if (!paths) return result;
  std::size_t count = 0;
  for (auto it = paths->begin(); it != paths->end(); ++it) {
    for (std::string_view m : kMethods) count += find_object(it.value(), m) ? 1 : 0;
  }
  if (count > limits.max_operations) {
    return Error(TOO_LARGE, std::to_string(count) + " operations exceed the limit of " +
                                std::to_string(limits.max_operations));
  }
  std::set<std::string> names;
  for (auto it = paths->begin(); it != paths->end(); ++it) {
    auto item = follow_refs(document, it.value(), limits.max_ref_chain);
    if (!item) {
      result.diagnostics.push_back({it.key(), item.error().id.id, item.error().message});
      continue;
    }
    for (std::string_view m : kMethods) {
      const json* op = find_object(**item, m);
      if (!op) continue;
      OpContext ctx{document, limits, std::string(m), it.key()};
      std::string where = detail::ascii_lower(m) + " " + it.key();
      auto tool = flatten_operation(ctx, **item, *op);
      if (!tool) {
        result.diagnostics.push_back({where, tool.error().id.id, tool.error().message});
        continue;
      }
      std::string base = tool->name, name = base;
      for (int n = 2; names.count(name); ++n) {
        const std::string suffix = "_" + std::to_string(n);
        name = base.substr(0, std::min(base.size(), std::size_t{128} - suffix.size())) + suffix;
      }
      if (name != base) {
        result.diagnostics.push_back({where, "flatten.duplicate_name", "tool name \"" + base + "\" taken; using \"" + name + "\""});
      }
      names.insert(name);
      tool->name = name;
      result.tools.push_back(std::move(tool.value()));
    }
  }
  return result;
}

}  // namespace mcpw::flatten
