// Tool and Binding <-> JSON (flatten.h "JSON forms"): what crosses into
// JavaScript and what a server built from the same document reloads.

#include <array>
#include <string_view>

#include "flatten/flatten.h"

namespace mcpw::flatten {
namespace {

constexpr std::array<std::string_view, 6> kLocations = {"path", "query", "header", "cookie", "bodyField", "body"};
constexpr std::array<std::string_view, 7> kStyles = {"simple", "label", "matrix", "form", "spaceDelimited",
                                                     "pipeDelimited", "deepObject"};
constexpr std::array<std::string_view, 6> kBodies = {"none", "json", "form", "multipart", "text", "binary"};

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::string_view, N>& names, std::optional<std::string_view> s) {
  if (!s) return std::nullopt;
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == *s) return static_cast<E>(i);
  }
  return std::nullopt;
}

Error bad(std::string msg) { return Error(BAD_BINDING, std::move(msg)); }

}  // namespace

json make_tool_json(const Tool& tool) {
  json t = {{"name", tool.name}, {"description", tool.description}, {"inputSchema", tool.input_schema}};
  if (!tool.title.empty()) t["title"] = tool.title;
  if (tool.output_schema.is_object()) t["outputSchema"] = tool.output_schema;
  return t;
}

json make_binding_json(const Binding& b) {
  json keys = json::array();
  for (const KeyBinding& k : b.keys) {
    keys.push_back({{"key", k.flat_key},
                    {"in", kLocations[static_cast<std::size_t>(k.location)]},
                    {"name", k.name},
                    {"style", kStyles[static_cast<std::size_t>(k.style)]},
                    {"explode", k.explode},
                    {"allowReserved", k.allow_reserved},
                    {"allowSlash", k.allow_slash},
                    {"contentJson", k.content_json},
                    {"required", k.required},
                    {"nullable", k.nullable},
                    {"file", k.is_file},
                    {"schema", k.schema}});
  }
  json out = {{"method", b.method},
              {"path", b.path_template},
              {"server", b.server},
              {"body", kBodies[static_cast<std::size_t>(b.body)]},
              {"mediaType", b.media_type},
              {"bodyRequired", b.body_required},
              {"bodySpread", b.body_spread},
              {"bodyAdditional", b.body_additional},
              {"outputWrapped", b.output_wrapped},
              {"keys", std::move(keys)}};
  if (b.defs.is_object()) out["defs"] = b.defs;
  return out;
}

Result<Binding> parse_binding_json(const json& v) {
  if (!v.is_object()) return bad("a binding is a JSON object");
  Binding b;
  auto method = find_string(v, "method");
  auto path = find_string(v, "path");
  auto body = lookup<BodyEncoding>(kBodies, find_string(v, "body"));
  const json* keys = find_array(v, "keys");
  if (!method || !path || !body || !keys) return bad("a binding needs method, path, body and keys");
  b.method = std::string(*method);
  b.path_template = std::string(*path);
  b.body = *body;
  b.media_type = std::string(find_string(v, "mediaType").value_or(""));
  b.server = std::string(find_string(v, "server").value_or(""));
  b.body_required = find_bool(v, "bodyRequired").value_or(false);
  b.body_spread = find_bool(v, "bodySpread").value_or(false);
  b.body_additional = find_bool(v, "bodyAdditional").value_or(false);
  b.output_wrapped = find_bool(v, "outputWrapped").value_or(false);
  if (const json* defs = find_object(v, "defs")) b.defs = *defs;
  for (const json& kj : *keys) {
    KeyBinding k;
    auto key = find_string(kj, "key");
    auto name = find_string(kj, "name");
    auto loc = lookup<Location>(kLocations, find_string(kj, "in"));
    auto style = lookup<Style>(kStyles, find_string(kj, "style"));
    if (!key || !name || !loc || !style) return bad("each key needs key, in, name and style");
    k.flat_key = std::string(*key);
    k.name = std::string(*name);
    k.location = *loc;
    k.style = *style;
    k.explode = find_bool(kj, "explode").value_or(false);
    k.allow_reserved = find_bool(kj, "allowReserved").value_or(false);
    k.allow_slash = find_bool(kj, "allowSlash").value_or(false);
    k.content_json = find_bool(kj, "contentJson").value_or(false);
    k.required = find_bool(kj, "required").value_or(false);
    k.nullable = find_bool(kj, "nullable").value_or(false);
    k.is_file = find_bool(kj, "file").value_or(false);
    if (const json* s = find_member(kj, "schema")) k.schema = *s;
    b.keys.push_back(std::move(k));
  }
  return b;
}

}  // namespace mcpw::flatten
