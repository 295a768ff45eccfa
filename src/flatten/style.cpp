#include "flatten/style.h"

#include <algorithm>

#include "flatten/encoding.h"
#include "flatten/schema_inline.h"

namespace mcpw::flatten::detail {
namespace {

constexpr std::size_t kMaxDerefHops = 16;

Keep path_keep(const KeyBinding& k) {
  if (k.allow_reserved) return Keep::reserved;
  if (k.allow_slash) return Keep::slash;
  return Keep::unreserved;
}

Keep query_keep(const KeyBinding& k) { return k.allow_reserved ? Keep::reserved_query : Keep::unreserved; }

std::string header_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool edge_space = c == ' ' && (i == 0 || i + 1 == s.size());
    if (c < 0x20 || c >= 0x7f || c == '%' || c == ',' || edge_space) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

Error bad(std::string msg) { return Error(BAD_REQUEST, std::move(msg)); }

// Items (array) or alternating key, value (object), each encoded.
template <class Enc>
std::vector<std::string> items_of(const json& v, Enc enc) {
  std::vector<std::string> out;
  if (v.is_array()) {
    for (const json& e : v) out.push_back(enc(scalar_text(e)));
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      out.push_back(enc(it.key()));
      out.push_back(enc(scalar_text(it.value())));
    }
  }
  return out;
}

template <class Enc>
std::vector<std::string> pairs_of(const json& v, Enc enc) {
  std::vector<std::string> out;
  for (auto it = v.begin(); it != v.end(); ++it) out.push_back(enc(it.key()) + "=" + enc(scalar_text(it.value())));
  return out;
}

const json& item_schema(const json& schema, const json& defs) {
  static const json kAny = json::object();
  const json& s = deref(schema, defs);
  const json* items = find_member(s, "items");
  return items ? *items : kAny;
}

const json& property_schema(const json& schema, std::string_view key, const json& defs) {
  static const json kAny = json::object();
  const json& s = deref(schema, defs);
  if (const json* props = find_object(s, "properties")) {
    if (const json* p = find_member(*props, key)) return *p;
  }
  if (const json* ap = find_member(s, "additionalProperties"); ap && ap->is_object()) return *ap;
  return kAny;
}

// Reads decoded item texts into an array or an object (alternating or k=v).
Result<json> read_list(const json& schema, const std::vector<std::string_view>& raw, bool kv_pairs, bool plus_space,
                       const json& defs, Shape shape) {
  if (shape == Shape::array) {
    json arr = json::array();
    for (std::string_view r : raw) {
      auto d = pct_decode(r, plus_space);
      if (!d) return bad("bad percent-encoding");
      auto v = value_from_text(item_schema(schema, defs), *d, defs);
      if (!v) return v.take_error();
      arr.push_back(std::move(v.value()));
    }
    return arr;
  }
  json obj = json::object();
  auto put = [&](std::string_view rk, std::string_view rv) -> Status {
    auto k = pct_decode(rk, plus_space);
    auto d = pct_decode(rv, plus_space);
    if (!k || !d) return bad("bad percent-encoding");
    auto v = value_from_text(property_schema(schema, *k, defs), *d, defs);
    if (!v) return v.take_error();
    obj[*k] = std::move(v.value());
    return {};
  };
  if (kv_pairs) {
    for (std::string_view r : raw) {
      const std::size_t eq = r.find('=');
      if (eq == std::string_view::npos) return bad("expected key=value");
      if (auto st = put(r.substr(0, eq), r.substr(eq + 1)); !st) return st.take_error();
    }
  } else {
    if (raw.size() % 2) return bad("expected key,value pairs");
    for (std::size_t i = 0; i < raw.size(); i += 2) {
      if (auto st = put(raw[i], raw[i + 1]); !st) return st.take_error();
    }
  }
  return obj;
}

// A parameter defined with `content` (OpenAPI 3.1 §4.8.12.3): JSON text.
Result<json> read_json_text(const KeyBinding& k, std::string_view raw) {
  auto d = pct_decode(raw);
  if (!d) return bad("bad percent-encoding");
  auto j = parse_json(*d);
  if (!j) return bad("parameter " + k.name + " is not JSON text");
  return std::move(j.value());
}

Result<json> read_scalar(const json& schema, std::string_view raw, bool plus_space, const json& defs) {
  auto d = pct_decode(raw, plus_space);
  if (!d) return bad("bad percent-encoding");
  return value_from_text(schema, *d, defs);
}

}  // namespace

const json& deref(const json& schema, const json& defs) {
  const json* cur = &schema;
  for (std::size_t i = 0; i < kMaxDerefHops; ++i) {
    auto ref = find_string(*cur, "$ref");
    if (!ref || ref->rfind("#/$defs/", 0) != 0) return *cur;
    const json* next = find_member(defs, ref->substr(8));
    if (!next) return *cur;
    cur = next;
  }
  return *cur;
}

Shape schema_shape(const json& schema, const json& defs) {
  const json& s = deref(schema, defs);
  const json* t = find_member(s, "type");
  auto shape_of = [](std::string_view name) {
    if (name == "array") return Shape::array;
    if (name == "object") return Shape::object;
    return Shape::scalar;
  };
  if (t && t->is_string()) return shape_of(t->get_ref<const std::string&>());
  if (t && t->is_array()) {
    for (const json& e : *t) {
      if (e.is_string() && e != "null") return shape_of(e.get_ref<const std::string&>());
    }
  }
  if (!t && find_object(s, "properties")) return Shape::object;
  return Shape::scalar;
}

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  return dump_json(v);
}

namespace {
Result<json> value_from_text_at(const json& schema_in, std::string_view text, const json& defs, std::size_t depth);
}  // namespace

Result<json> value_from_text(const json& schema_in, std::string_view text, const json& defs) {
  return value_from_text_at(schema_in, text, defs, 0);
}

namespace {

// Unions may nest (and, through $defs, refer to themselves): bounded.
constexpr std::size_t kMaxUnionDepth = 32;

Result<json> value_from_text_at(const json& schema_in, std::string_view text, const json& defs, std::size_t depth) {
  if (depth > kMaxUnionDepth) return bad("unions nested too deep to read \"" + std::string(text) + "\"");
  const json& schema = deref(schema_in, defs);
  auto as_json = [&]() -> std::optional<json> {
    JsonLimits lim;
    lim.max_depth = 64;
    auto p = parse_json(text, lim);
    if (!p) return std::nullopt;
    return std::move(p.value());
  };
  if (const json* c = find_member(schema, "const")) {
    if (scalar_text(*c) == text) return *c;
  }
  if (const json* e = find_array(schema, "enum")) {
    for (const json& m : *e) {
      if (!m.is_null() && scalar_text(m) == text) return m;
    }
  }
  const std::vector<std::string> types = schema_types(schema);
  auto has = [&](std::string_view n) { return std::find(types.begin(), types.end(), n) != types.end(); };
  if (types.empty()) {
    for (const char* u : {"anyOf", "oneOf"}) {
      if (const json* arr = find_array(schema, u)) {
        for (const json& branch : *arr) {
          auto v = value_from_text_at(branch, text, defs, depth + 1);
          if (v) return v;
          if (v.error().message.find("nested too deep") != std::string::npos) return v;
        }
        return bad("no branch of the union reads \"" + std::string(text) + "\"");
      }
    }
    return json(std::string(text));
  }
  if (has("string")) return json(std::string(text));
  if (has("boolean") && (text == "true" || text == "false")) return json(text == "true");
  if (has("integer") || has("number")) {
    auto j = as_json();
    if (j && j->is_number() && (has("number") || !j->is_number_float())) return *j;
  }
  if (has("array") || has("object")) {
    auto j = as_json();  // nested containers travel as JSON text
    if (j && ((has("array") && j->is_array()) || (has("object") && j->is_object()))) return *j;
  }
  if (has("null") && text == "null") return json(nullptr);
  return bad("\"" + std::string(text) + "\" does not fit the schema");
}

}  // namespace

bool path_raw_char(const KeyBinding& k, unsigned char c) {
  return keeps(c, path_keep(k)) || c == '%' || c == ',' || c == ';' || c == '=' || c == '.';
}

Result<std::string> expand_path(const KeyBinding& k, const json& v) {
  const Keep keep = path_keep(k);
  auto enc = [keep](std::string_view s) { return pct_encode(s, keep); };
  if (k.content_json) return enc(dump_json(v));
  const bool container = v.is_array() || v.is_object();
  const bool obj_pairs = v.is_object() && k.explode;
  switch (k.style) {
    case Style::simple:
      if (!container) return enc(scalar_text(v));
      return obj_pairs ? join(pairs_of(v, enc), ",") : join(items_of(v, enc), ",");
    case Style::label: {
      if (!container) return "." + enc(scalar_text(v));
      const char* sep = k.explode ? "." : ",";
      return "." + (obj_pairs ? join(pairs_of(v, enc), sep) : join(items_of(v, enc), sep));
    }
    case Style::matrix: {
      const std::string name = ";" + enc(k.name);
      if (!container) {
        const std::string t = enc(scalar_text(v));
        return t.empty() ? name : name + "=" + t;
      }
      if (obj_pairs) return ";" + join(pairs_of(v, enc), ";");
      if (v.is_array() && k.explode) {
        std::string out;
        for (const std::string& item : items_of(v, enc)) out += name + "=" + item;
        return out;
      }
      return name + "=" + join(items_of(v, enc), ",");
    }
    default: return Error(BAD_ARGUMENT, "style not allowed in a path: " + k.name);
  }
}

Result<std::vector<std::string>> expand_query(const KeyBinding& k, const json& v) {
  const Keep keep = query_keep(k);
  auto enc = [keep](std::string_view s) { return pct_encode(s, keep); };
  const std::string name = pct_encode(k.name, Keep::unreserved);
  std::vector<std::string> out;
  if (k.content_json) return std::vector<std::string>{name + "=" + enc(dump_json(v))};
  if (!v.is_array() && !v.is_object()) return std::vector<std::string>{name + "=" + enc(scalar_text(v))};
  if (k.style == Style::deep_object) {
    if (!v.is_object()) return Error(BAD_ARGUMENT, "deepObject needs an object: " + k.name);
    for (auto it = v.begin(); it != v.end(); ++it)
      out.push_back(name + "[" + enc(it.key()) + "]=" + enc(scalar_text(it.value())));
    return out;
  }
  if (k.explode) {
    if (v.is_array()) {
      for (const std::string& item : items_of(v, enc)) out.push_back(name + "=" + item);
    } else {
      out = pairs_of(v, enc);
    }
    return out;
  }
  const char* sep = k.style == Style::space_delimited ? "%20" : (k.style == Style::pipe_delimited ? "|" : ",");
  out.push_back(name + "=" + join(items_of(v, enc), sep));
  return out;
}

Result<std::string> expand_header(const KeyBinding& k, const json& v) {
  if (k.content_json) return header_encode(dump_json(v));
  if (!v.is_array() && !v.is_object()) return header_encode(scalar_text(v));
  return v.is_object() && k.explode ? join(pairs_of(v, header_encode), ",") : join(items_of(v, header_encode), ",");
}

Result<std::vector<std::string>> expand_cookie(const KeyBinding& k, const json& v) {
  KeyBinding form = k;
  form.style = Style::form;
  form.allow_reserved = false;
  return expand_query(form, v);
}

Result<json> read_path(const KeyBinding& k, std::string_view raw, const json& defs) {
  if (k.content_json) return read_json_text(k, raw);
  const Shape shape = schema_shape(k.schema, defs);
  std::string_view body = raw;
  char sep = ',';
  switch (k.style) {
    case Style::simple: break;
    case Style::label:
      if (body.empty() || body[0] != '.') return bad("label expansion must start with '.'");
      body.remove_prefix(1);
      if (k.explode) sep = '.';
      break;
    case Style::matrix: {
      if (body.empty() || body[0] != ';') return bad("matrix expansion must start with ';'");
      body.remove_prefix(1);
      const std::string name = pct_encode(k.name, Keep::unreserved);
      if (shape == Shape::object && k.explode) {
        return read_list(k.schema, split(body, ';'), true, false, defs, shape);
      }
      if (shape == Shape::array && k.explode) {
        std::vector<std::string_view> items;
        for (std::string_view piece : split(body, ';')) {
          if (piece.substr(0, name.size() + 1) != name + "=") return bad("matrix item of another name");
          items.push_back(piece.substr(name.size() + 1));
        }
        return read_list(k.schema, items, false, false, defs, shape);
      }
      if (body == name) return read_scalar(k.schema, "", false, defs);
      if (body.substr(0, name.size() + 1) != name + "=") return bad("matrix parameter of another name");
      body.remove_prefix(name.size() + 1);
      break;
    }
    default: return bad("style not allowed in a path");
  }
  if (shape == Shape::scalar) return read_scalar(k.schema, body, false, defs);
  return read_list(k.schema, split(body, sep), shape == Shape::object && k.explode, false, defs, shape);
}

Result<json> read_pairs(const KeyBinding& k, const std::vector<std::pair<std::string, std::string>>& pairs,
                        std::vector<bool>& used, const json& defs) {
  const Shape shape = k.content_json ? Shape::scalar : schema_shape(k.schema, defs);
  const std::string& name = k.name;
  if (k.style == Style::deep_object && shape == Shape::object) {
    const std::string prefix = name + "[";
    json obj = json::object();
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const std::string& n = pairs[i].first;
      if (used[i] || n.size() <= prefix.size() || n.rfind(prefix, 0) != 0 || n.back() != ']') continue;
      used[i] = true;
      const std::string key = n.substr(prefix.size(), n.size() - prefix.size() - 1);
      auto v = read_scalar(property_schema(k.schema, key, defs), pairs[i].second, false, defs);
      if (!v) return v.take_error();
      obj[key] = std::move(v.value());
    }
    return obj.empty() ? json() : obj;
  }
  if (shape == Shape::object && k.explode) {
    // Exploded form objects have no name of their own: they own the keys
    // their schema names (callers run these after every named parameter).
    const json& s = deref(k.schema, defs);
    const json* props = find_object(s, "properties");
    json obj = json::object();
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      if (used[i]) continue;
      const std::string& key = pairs[i].first;
      if (!(props && find_member(*props, key)) && !find_member(s, "additionalProperties")) continue;
      used[i] = true;
      auto v = read_scalar(property_schema(k.schema, key, defs), pairs[i].second, false, defs);
      if (!v) return v.take_error();
      obj[key] = std::move(v.value());
    }
    return obj.empty() ? json() : obj;
  }
  std::vector<std::size_t> mine;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (!used[i] && pairs[i].first == name) mine.push_back(i);
  }
  if (mine.empty()) return json();
  for (std::size_t i : mine) used[i] = true;
  if (k.content_json) return read_json_text(k, pairs[mine[0]].second);
  if (shape == Shape::scalar) {
    if (mine.size() != 1) return bad("parameter " + k.name + " given more than once");
    return read_scalar(k.schema, pairs[mine[0]].second, false, defs);
  }
  if (shape == Shape::array && k.explode) {
    std::vector<std::string_view> items;
    for (std::size_t i : mine) items.push_back(pairs[i].second);
    return read_list(k.schema, items, false, false, defs, shape);
  }
  if (mine.size() != 1) return bad("parameter " + k.name + " given more than once");
  std::string_view v = pairs[mine[0]].second;
  std::vector<std::string_view> parts;
  if (k.style == Style::space_delimited) {
    std::size_t start = 0;
    while (true) {
      const std::size_t at = v.find("%20", start);
      parts.push_back(v.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
      if (at == std::string_view::npos) break;
      start = at + 3;
    }
  } else {
    parts = split(v, k.style == Style::pipe_delimited ? '|' : ',');
  }
  return read_list(k.schema, parts, false, false, defs, shape);
}

Result<json> read_header(const KeyBinding& k, std::string_view raw, const json& defs) {
  if (k.content_json) return read_json_text(k, raw);
  const Shape shape = schema_shape(k.schema, defs);
  if (shape == Shape::scalar) return read_scalar(k.schema, raw, false, defs);
  return read_list(k.schema, split(raw, ','), shape == Shape::object && k.explode, false, defs, shape);
}

}  // namespace mcpw::flatten::detail
