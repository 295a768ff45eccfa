#pragma once
// Random flat arguments for a tool, for the round-trip property tests
// (arguments -> build_request -> parse_request -> the same arguments).
//
// Values are drawn where the wire can carry them without ambiguity that the
// OpenAPI styles themselves create (each exclusion says which rule):
//  - outside JSON (path, query, header, cookie, form, multipart) there is no
//    null, and an empty array or object is not sent (RFC 6570 §2.3), so
//    those are not drawn there; a union takes its first branch and a type
//    list its string member (text reads back type-directed, string first);
//  - label style joins with "." and spaceDelimited with "%20", which are
//    also an unreserved character and an encoded space (OpenAPI 3.1
//    §4.8.12.4): items there carry no "." / " ";
//  - allowReserved keeps "," which is also the list separator: not drawn.

#include <random>
#include <string>

#include "flatten/flatten.h"
#include "flatten/encoding.h"

namespace mcpw::flatten::testing {

class ArgGenerator {
 public:
  explicit ArgGenerator(std::uint32_t seed) : rng_(seed) {}

  json arguments(const Tool& tool) {
    defs_ = tool.binding.defs;
    json args = json::object();
    for (const KeyBinding& k : tool.binding.keys) {
      if (!k.required && !chance(60)) continue;
      Ctx ctx;
      ctx.text = !(k.content_json || ((k.location == Location::body_field || k.location == Location::body) &&
                                      tool.binding.body == BodyEncoding::json));
      ctx.allow_null = !ctx.text && k.nullable;
      if (k.style == Style::label && k.location == Location::path) ctx.banned += '.';
      if (k.style == Style::space_delimited) ctx.banned += ' ';
      if (k.allow_reserved) ctx.banned += ',';
      // Form and multipart fields send objects (and nested values) as JSON.
      ctx.object_as_json = k.location == Location::body_field;
      args[k.flat_key] = value(k.schema, ctx, 0);
      if (k.is_file && args[k.flat_key].contains("mimeType")) {
        static const char* kTypes[] = {"application/zip", "image/png", "text/plain; charset=utf-8"};
        args[k.flat_key]["mimeType"] = kTypes[range(0, 2)];
      }
    }
    if (tool.binding.body_additional && tool.binding.body == BodyEncoding::json && chance(40)) {
      const json* ap = find_member(tool.input_schema, "additionalProperties");
      Ctx ctx;
      args["zz_extra_key"] = value(ap && ap->is_object() ? *ap : json::object(), ctx, 1);
    }
    return args;
  }

 private:
  struct Ctx {
    bool text = false;            // goes over the wire as text, not JSON
    bool allow_null = true;
    bool object_as_json = false;  // an object value is sent as JSON text
    std::string banned;
  };

  bool chance(int percent) { return std::uniform_int_distribution<int>(0, 99)(rng_) < percent; }
  int range(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::string text(const Ctx& ctx) {
    static const std::vector<std::string> kPieces = {"a", "Z", "0", "9", " ", "-", ".", "_", "~", "!", "$", "&", "'",
                                                     "(", ")", "*", "+", ",", ";", "=", ":", "@", "/", "?", "#", "[",
                                                     "]", "%", "\"", "<", "|", "\\", "\xC3\xA9", "\xE6\x97\xA5", "\t", "%41"};
    std::string out;
    const int n = range(0, 8);
    for (int i = 0; i < n; ++i) {
      const std::string& p = kPieces[static_cast<std::size_t>(range(0, static_cast<int>(kPieces.size()) - 1))];
      if (p.size() == 1 && ctx.banned.find(p[0]) != std::string::npos) continue;
      out += p;
    }
    return out;
  }

  const json& deref(const json& s) {
    const json* cur = &s;
    for (int i = 0; i < 8; ++i) {
      auto ref = find_string(*cur, "$ref");
      if (!ref || ref->rfind("#/$defs/", 0) != 0) break;
      const json* next = find_member(defs_, ref->substr(8));
      if (!next) break;
      cur = next;
    }
    return *cur;
  }

  json value(const json& schema_in, Ctx ctx, int depth) {
    const json& s = deref(schema_in);
    // A hard stop for schemas whose required members recurse forever; the
    // wire format, not the schema, is under test here.
    if (!s.is_object() || depth > 12) return text(ctx);
    if (const json* c = find_member(s, "const")) return *c;
    if (const json* e = find_array(s, "enum"); e && !e->empty()) {
      std::vector<json> members;
      for (const json& m : *e) {
        if (!m.is_null() || ctx.allow_null) members.push_back(m);
      }
      if (!members.empty()) return members[static_cast<std::size_t>(range(0, static_cast<int>(members.size()) - 1))];
    }
    // A union beside a type or properties only narrows them: draw from the
    // typed part (the union's branches alone can miss the typed members).
    const bool typed = find_member(s, "type") || find_member(s, "properties");
    for (const char* u : {"oneOf", "anyOf"}) {
      if (const json* arr = find_array(s, u); arr && !arr->empty() && !typed) {
        std::vector<const json*> branches;
        for (const json& b : *arr) {
          if (ctx.allow_null || find_string(b, "type").value_or("") != "null") branches.push_back(&b);
        }
        if (branches.empty()) break;
        const std::size_t pick = ctx.text ? 0 : static_cast<std::size_t>(range(0, static_cast<int>(branches.size()) - 1));
        return value(*branches[pick], ctx, depth + 1);
      }
    }
    if (const json* all = find_array(s, "allOf"); all && !all->empty() && !find_member(s, "type")) {
      return value((*all)[0], ctx, depth + 1);
    }
    std::vector<std::string> types;
    if (const json* t = find_member(s, "type")) {
      if (t->is_string()) types.push_back(t->get<std::string>());
      if (t->is_array()) {
        for (const json& x : *t) {
          if (x.is_string()) types.push_back(x.get<std::string>());
        }
      }
    } else if (find_member(s, "properties")) {
      types.push_back("object");
    }
    if (ctx.allow_null && !types.empty() && std::find(types.begin(), types.end(), "null") != types.end() && chance(25))
      return nullptr;
    types.erase(std::remove(types.begin(), types.end(), "null"), types.end());
    std::string type;
    if (types.empty()) type = "string";
    else if (ctx.text && std::find(types.begin(), types.end(), "string") != types.end()) type = "string";
    else type = ctx.text ? types[0] : types[static_cast<std::size_t>(range(0, static_cast<int>(types.size()) - 1))];

    Ctx inner = ctx;
    inner.allow_null = !ctx.text;
    if (type == "string") {
      if (find_member(s, "contentEncoding") && *find_member(s, "contentEncoding") == "base64") {
        std::string bytes;
        for (int i = range(0, 12); i > 0; --i) bytes.push_back(static_cast<char>(range(0, 255)));
        return detail::base64_encode(bytes);
      }
      return text(ctx);
    }
    if (type == "integer") return range(-1000, 1000);
    if (type == "number") return range(-4000, 4000) / 4.0;
    if (type == "boolean") return chance(50);
    if (type == "array") {
      // Items of a text-carried list are text; containers inside go as JSON.
      const json* items = find_member(s, "items");
      json arr = json::array();
      if (const json* prefix = find_array(s, "prefixItems")) {
        for (const json& p : *prefix) arr.push_back(value(p, item_ctx(ctx), depth + 1));
        return arr;
      }
      const int lo = ctx.text ? 1 : 0;
      const int n = depth > 4 ? lo : range(lo, 3);
      for (int i = 0; i < n; ++i) arr.push_back(value(items ? *items : json::object(), item_ctx(ctx), depth + 1));
      return arr;
    }
    if (type == "object") {
      Ctx member = item_ctx(ctx);
      if (ctx.object_as_json) member = Ctx{};
      json obj = json::object();
      const json* props = find_object(s, "properties");
      const json* req = find_array(s, "required");
      if (props) {
        for (auto it = props->begin(); it != props->end(); ++it) {
          const bool required = req && std::find(req->begin(), req->end(), it.key()) != req->end();
          if (!required && (depth > 4 || !chance(50))) continue;
          obj[it.key()] = value(it.value(), member, depth + 1);
        }
      }
      const json* ap = find_member(s, "additionalProperties");
      const bool open = !ap || !(ap->is_boolean() && !ap->get<bool>());
      if ((ap && open && chance(40) && depth <= 4) || (ctx.text && obj.empty())) {
        if (props && !props->empty() && !(ap && open)) {
          obj[props->begin().key()] = value(props->begin().value(), member, depth + 1);
        } else {
          obj["k" + std::to_string(range(0, 99))] =
              value(ap && ap->is_object() ? *ap : json{{"type", "string"}}, member, depth + 1);
        }
      }
      return obj;
    }
    return text(ctx);
  }

  // Members of a text-carried list or object: scalars stay text, containers
  // travel as JSON (and so may hold anything).
  static Ctx item_ctx(const Ctx& ctx) {
    Ctx c = ctx;
    return c;
  }

  std::mt19937 rng_;
  json defs_;
};

/// What parse_request can know: a file part always has a media type and a
/// filename on the wire (flatten.h: defaults application/octet-stream and the
/// field name), so the expected arguments of a round trip carry them too.
inline json with_file_defaults(const Tool& t, json args) {
  for (const KeyBinding& k : t.binding.keys) {
    if (!k.is_file || !args.contains(k.flat_key)) continue;
    json& f = args[k.flat_key];
    if (!f.contains("mimeType")) f["mimeType"] = "application/octet-stream";
    if (!f.contains("filename") || f["filename"] == "") f["filename"] = k.name;
  }
  return args;
}

}  // namespace mcpw::flatten::testing
