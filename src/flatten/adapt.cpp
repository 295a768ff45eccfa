// Tool schemas -> provider schemas (flatten.h "Provider adapters"). Each
// adapted schema node comes with a plan node that says how a value of the
// provider's form maps back (adapt_map.cpp walks the plans).
//
// Plan kinds: "value" (as is), "json_text" (JSON text of any value),
// "object" {props: {adapted key: {orig, plan, mode}}, extra?}, "array"
// {items}, "map" {value} (free-form keys kept), "kv" {value} (free-form map as
// [{key, value}]), "ref" {def}, "union" {branches}. Modes: "required",
// "optional" (absent in the provider form = absent), "null_omits" (strict:
// null = absent), "wrap" (strict: null = absent, {value} = present).

#include <algorithm>
#include <array>
#include <set>

#include "flatten/encoding.h"
#include "flatten/flatten.h"
#include "flatten/schema_inline.h"

namespace mcpw::flatten {
namespace {

constexpr std::size_t kMaxDepth = 48;
constexpr std::size_t kMaxName = 64;

bool strictish(Provider p) { return p == Provider::openai_strict || p == Provider::gemini; }

bool name_char_ok(char c, Provider p) {
  const bool base = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  return base || (p == Provider::gemini && c == '.');
}

bool key_char_ok(char c, Provider p) {
  const bool base = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  if (p == Provider::gemini) return base;
  return base || c == '.' || c == '-';
}

// Replaces what the charset forbids; a changed or too long name keeps a hash
// of the original so two originals never meet in one name.
std::string safe_identifier(std::string_view raw, Provider p, bool is_key) {
  std::string out;
  for (char c : raw) out.push_back(is_key ? (key_char_ok(c, p) ? c : '_') : (name_char_ok(c, p) ? c : '_'));
  if (p == Provider::gemini && (out.empty() || (out[0] >= '0' && out[0] <= '9') || out[0] == '.' || out[0] == '-'))
    out.insert(out.begin(), '_');
  if (out.empty()) out = "_";
  const int digits = is_key ? 4 : 8;
  if (out != raw || out.size() > kMaxName) {
    const std::string hash = detail::hex_digits(detail::fnv1a64(raw), digits);
    out = out.substr(0, kMaxName - 1 - static_cast<std::size_t>(digits)) + "_" + hash;
  }
  return out;
}

// Keywords each provider takes (JSON Schema for openai / anthropic: all).
bool keyword_ok(std::string_view k, Provider p) {
  static constexpr std::array<std::string_view, 21> kStrict = {
      "type", "properties", "required", "additionalProperties", "items", "enum", "const", "anyOf", "description",
      "$ref", "$defs", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
      "minItems", "maxItems", "title"};
  static constexpr std::array<std::string_view, 18> kGemini = {
      "type", "format", "description", "nullable", "enum", "properties", "required", "items", "minItems", "maxItems",
      "minimum", "maximum", "anyOf", "title", "minLength", "maxLength", "pattern", "propertyOrdering"};
  if (p == Provider::openai_strict) return std::find(kStrict.begin(), kStrict.end(), k) != kStrict.end();
  if (p == Provider::gemini) return std::find(kGemini.begin(), kGemini.end(), k) != kGemini.end();
  return true;
}

bool format_ok(std::string_view type, std::string_view f, Provider p) {
  if (p == Provider::gemini) {
    if (type == "string") return f == "date-time" || f == "enum";
    if (type == "integer") return f == "int32" || f == "int64";
    if (type == "number") return f == "float" || f == "double";
    return false;
  }
  if (p == Provider::openai_strict) {
    static constexpr std::array<std::string_view, 9> k = {"date-time", "time", "date", "duration", "email",
                                                          "hostname", "ipv4", "ipv6", "uuid"};
    return std::find(k.begin(), k.end(), f) != k.end();
  }
  return true;
}

json value_plan() { return json{{"kind", "value"}}; }
bool is_identity(const json& plan) { return plan.value("kind", "") == "value"; }

struct Adapted {
  json schema;
  json plan;
  bool nullable = false;  // the original accepted null
};

class Adapter {
 public:
  Adapter(const json& root, Provider p) : root_(root), p_(p) {}

  Result<Adapted> node(const json& s, std::size_t depth);
  Result<json> take_defs(json& def_plans);

 private:
  Result<Adapted> object_node(const json& s, std::size_t depth, bool nullable);
  Adapted json_text(std::string_view description, bool nullable);
  Result<Adapted> kv_list(const json* value_schema, std::size_t depth, std::string_view description, bool nullable);
  void finish(json& out, bool nullable) const;

  const json& root_;
  Provider p_;
  std::vector<std::string> stack_;
  json defs_ = json::object();
  json def_plans_ = json::object();
};

// Adds null to an adapted schema the provider's way.
void add_null(json& schema, Provider p) {
  if (p == Provider::gemini) {
    schema["nullable"] = true;
    return;
  }
  if (schema.contains("type") && schema["type"].is_string()) {
    if (schema["type"] != "null") schema["type"] = json::array({schema["type"], "null"});
  } else if (schema.contains("type") && schema["type"].is_array()) {
    if (std::find(schema["type"].begin(), schema["type"].end(), "null") == schema["type"].end())
      schema["type"].push_back("null");
  } else if (schema.contains("anyOf") && schema["anyOf"].is_array()) {
    schema["anyOf"].push_back(json{{"type", "null"}});
  } else {
    json inner = std::move(schema);
    schema = json{{"anyOf", json::array({std::move(inner), json{{"type", "null"}}})}};
    return;
  }
  if (schema.contains("enum") && schema["enum"].is_array() &&
      std::find(schema["enum"].begin(), schema["enum"].end(), nullptr) == schema["enum"].end())
    schema["enum"].push_back(nullptr);
}

void Adapter::finish(json& out, bool nullable) const {
  if (nullable) add_null(out, p_);
}

Adapted Adapter::json_text(std::string_view description, bool nullable) {
  Adapted a;
  std::string d = "JSON text of the value";
  if (!description.empty()) d = std::string(description) + " (" + d + ")";
  a.schema = json{{"type", "string"}, {"description", d}};
  a.plan = json{{"kind", "json_text"}};
  a.nullable = nullable;
  finish(a.schema, nullable);
  return a;
}

Result<Adapted> Adapter::kv_list(const json* value_schema, std::size_t depth, std::string_view description,
                                 bool nullable) {
  Adapted value;
  if (value_schema && value_schema->is_object() && !value_schema->empty()) {
    auto v = node(*value_schema, depth + 1);
    if (!v) return v.take_error();
    value = std::move(v.value());
  } else {
    value = json_text("", false);
  }
  json item = {{"type", "object"},
               {"properties", {{"key", {{"type", "string"}}}, {"value", value.schema}}},
               {"required", json::array({"key", "value"})}};
  if (p_ == Provider::openai_strict) item["additionalProperties"] = false;
  Adapted a;
  a.schema = json{{"type", "array"}, {"items", std::move(item)}};
  std::string d = "entries of a map, as {key, value}";
  a.schema["description"] = description.empty() ? d : std::string(description) + " (" + d + ")";
  a.plan = json{{"kind", "kv"}, {"value", value.plan}};
  a.nullable = nullable;
  finish(a.schema, nullable);
  return a;
}

Result<Adapted> Adapter::node(const json& s_in, std::size_t depth) {
  if (depth > kMaxDepth) return Error(ADAPT_UNSUPPORTED, "schema nested too deep");
  if (s_in.is_boolean()) {
    if (!s_in.get<bool>()) return Error(ADAPT_UNSUPPORTED, "a false schema accepts nothing");
    return strictish(p_) ? json_text("", true) : Adapted{json::object(), value_plan(), true};
  }
  if (!s_in.is_object()) return Error(ADAPT_UNSUPPORTED, "a schema must be an object");
  json s = s_in;
  const std::string description(find_string(s, "description").value_or(""));

  if (auto ref = find_string(s, "$ref")) {
    if (ref->rfind("#/$defs/", 0) != 0) return Error(ADAPT_UNSUPPORTED, "only #/$defs/ references are supported");
    const std::string name(ref->substr(8));
    const json* defs = find_object(root_, "$defs");
    const json* target = defs ? find_member(*defs, name) : nullptr;
    if (!target) return Error(ADAPT_UNSUPPORTED, "unresolvable $ref " + std::string(*ref));
    if (p_ == Provider::gemini) {
      if (std::find(stack_.begin(), stack_.end(), name) != stack_.end())
        return Error(ADAPT_UNSUPPORTED, "recursive schema (" + name + ") and gemini has no $ref");
      stack_.push_back(name);
      auto a = node(*target, depth + 1);
      stack_.pop_back();
      return a;
    }
    if (!defs_.contains(name)) {
      defs_[name] = json::object();  // in progress: a cycle now only points here
      def_plans_[name] = value_plan();
      auto a = node(*target, depth + 1);
      if (!a) return a.take_error();
      defs_[name] = a->schema;
      def_plans_[name] = a->plan;
    }
    Adapted out{json{{"$ref", "#/$defs/" + name}}, json{{"kind", "ref"}, {"def", name}}, false};
    out.nullable = detail::schema_allows_null(*target);
    return out;
  }

  // Unions: oneOf -> anyOf where oneOf is not accepted; allOf merged.
  if (strictish(p_) && s.contains("oneOf") && !s.contains("anyOf")) {
    s["anyOf"] = s["oneOf"];
    s.erase("oneOf");
  }
  if (s.contains("allOf") && s["allOf"].is_array()) {
    json members = s["allOf"];
    s.erase("allOf");
    detail::merge_all_of(s, members, 16);
    if (s.contains("allOf")) {
      // Contradicting members (string and integer): only JSON Schema itself
      // can say that; anthropic keeps them when no key inside is renamed.
      if (strictish(p_)) return Error(ADAPT_UNSUPPORTED, "allOf that cannot be merged");
      json rest = json::array();
      for (const json& m : s["allOf"]) {
        auto a = node(m, depth + 1);
        if (!a) return a.take_error();
        if (!is_identity(a->plan)) return Error(ADAPT_UNSUPPORTED, "allOf with renamed keys that cannot be merged");
        rest.push_back(std::move(a->schema));
      }
      s["allOf"] = std::move(rest);
    }
  }
  const char* union_kw = s.contains("anyOf") ? "anyOf" : (s.contains("oneOf") ? "oneOf" : nullptr);
  if (union_kw && s[union_kw].is_array() && !s.contains("type")) {
    json branches = json::array(), plans = json::array();
    bool nullable = false, trivial = true;
    for (const json& b : s[union_kw]) {
      if (strictish(p_) && b.is_object() && b.size() == 1 && b.value("type", "") == "null") {
        nullable = true;  // expressed as null on the whole union below
        continue;
      }
      auto a = node(b, depth + 1);
      if (!a) return a.take_error();
      nullable = nullable || a->nullable;
      trivial = trivial && is_identity(a->plan);
      branches.push_back(std::move(a->schema));
      plans.push_back(std::move(a->plan));
    }
    if (branches.empty()) return Error(ADAPT_UNSUPPORTED, "a union of nothing but null");
    Adapted out;
    if (branches.size() == 1) {
      out.schema = branches[0];
      out.plan = plans[0];
    } else {
      out.schema = json{{union_kw, branches}};
      out.plan = trivial ? value_plan() : json{{"kind", "union"}, {"branches", plans}};
    }
    if (!description.empty() && !out.schema.contains("$ref")) out.schema["description"] = description;
    out.nullable = nullable;
    if (nullable && strictish(p_)) add_null(out.schema, p_);
    return out;
  }
  if (p_ != Provider::openai_strict && p_ != Provider::gemini) {
    // anthropic: JSON Schema as is, but object keys anywhere may be renamed.
    const json* t = find_member(s, "type");
    const bool objectish = (t && (*t == "object" || (t->is_array() && std::find(t->begin(), t->end(), "object") != t->end()))) ||
                           (!t && find_member(s, "properties"));
    if (objectish) return object_node(s, depth, detail::schema_allows_null(s));
    if (s.contains("items") && s["items"].is_object()) {
      auto items = node(s["items"], depth + 1);
      if (!items) return items.take_error();
      s["items"] = items->schema;
      if (!is_identity(items->plan)) return Adapted{s, json{{"kind", "array"}, {"items", items->plan}}, false};
    }
    return Adapted{s, value_plan(), detail::schema_allows_null(s)};
  }

  // Strict and gemini from here: one type (and null), known keywords.
  std::vector<std::string> types = detail::schema_types(s);
  if (!find_member(s, "type") && find_member(s, "properties")) types.push_back("object");
  bool nullable = std::find(types.begin(), types.end(), "null") != types.end();
  types.erase(std::remove(types.begin(), types.end(), "null"), types.end());
  if (const json* e = find_array(s, "enum"); e && std::find(e->begin(), e->end(), nullptr) != e->end()) nullable = true;
  if (types.empty()) {
    if (const json* c = find_member(s, "const"); c && c->is_string()) types.push_back("string");
    else if (const json* e = find_array(s, "enum"); e && std::all_of(e->begin(), e->end(), [](const json& x) { return x.is_string() || x.is_null(); }))
      types.push_back("string");
    else return json_text(description, true);
  }
  if (types.size() > 1) {
    json alt = json::object();
    alt["anyOf"] = json::array();
    for (const std::string& t : types) {
      json one = s;
      one["type"] = t;
      one.erase("description");
      alt["anyOf"].push_back(std::move(one));
    }
    if (nullable) alt["anyOf"].push_back(json{{"type", "null"}});
    if (!description.empty()) alt["description"] = description;
    return node(alt, depth + 1);
  }
  const std::string type = types[0];
  if (type == "object") return object_node(s, depth, nullable);

  json out = json::object();
  for (auto it = s.begin(); it != s.end(); ++it) {
    if (!keyword_ok(it.key(), p_) || it.key() == "properties" || it.key() == "items" || it.key() == "anyOf") continue;
    out[it.key()] = it.value();
  }
  out["type"] = type;
  if (auto f = find_string(s, "format"); f && !format_ok(type, *f, p_)) out.erase("format");
  if (p_ == Provider::gemini) {
    if (const json* c = find_member(s, "const")) {
      out.erase("const");
      if (c->is_string()) out["enum"] = json::array({*c});
    }
    if (out.contains("enum")) {
      json only = json::array();
      for (const json& e : out["enum"]) {
        if (e.is_string()) only.push_back(e);
      }
      if (type != "string" || only.empty()) out.erase("enum");
      else out["enum"] = only;
    }
  } else if (out.contains("enum")) {
    json no_null = json::array();
    for (const json& e : out["enum"]) {
      if (!e.is_null()) no_null.push_back(e);
    }
    out["enum"] = no_null;
  }
  Adapted a{std::move(out), value_plan(), nullable};
  if (type == "array") {
    const json* items = find_member(s, "items");
    json item_schema = items ? *items : json::object();
    if (const json* prefix = find_array(s, "prefixItems"); prefix && !items) item_schema = json{{"anyOf", *prefix}};
    auto it = node(item_schema, depth + 1);
    if (!it) return it.take_error();
    a.schema["items"] = it->schema;
    if (!is_identity(it->plan)) a.plan = json{{"kind", "array"}, {"items", it->plan}};
  }
  finish(a.schema, nullable);
  return a;
}

Result<Adapted> Adapter::object_node(const json& s, std::size_t depth, bool nullable) {
  const std::string description(find_string(s, "description").value_or(""));
  const json* props = find_object(s, "properties");
  const json* ap = find_member(s, "additionalProperties");
  const bool open = !ap || !(ap->is_boolean() && !ap->get<bool>());
  // The root stays an object even when empty (a tool without arguments).
  if ((!props || props->empty()) && p_ != Provider::anthropic && depth > 0) {
    // A free-form map: keys are data. Strict and gemini need it as a list.
    if (!open) {
      Adapted a{json{{"type", "object"}, {"properties", json::object()}, {"required", json::array()}}, value_plan(), nullable};
      if (p_ == Provider::openai_strict) a.schema["additionalProperties"] = false;
      if (p_ == Provider::gemini) return json_text(description, nullable);  // gemini: OBJECT needs properties
      finish(a.schema, nullable);
      return a;
    }
    return kv_list(ap && ap->is_object() ? ap : nullptr, depth, description, nullable);
  }
  json out = json::object();
  for (auto it = s.begin(); it != s.end(); ++it) {
    const std::string& k = it.key();
    if (k == "properties" || k == "required" || k == "additionalProperties" || k == "type" || !keyword_ok(k, p_)) continue;
    if (strictish(p_) && (k == "enum" || k == "const" || k == "format" || k == "anyOf" || k == "items")) continue;
    out[k] = it.value();
  }
  out["type"] = "object";
  json out_props = json::object();
  json required_out = json::array();
  json plan_props = json::object();
  const json* req = find_array(s, "required");
  std::set<std::string> taken;
  bool trivial = true;
  if (props) {
    for (auto it = props->begin(); it != props->end(); ++it) {
      std::string key = p_ == Provider::openai ? it.key() : safe_identifier(it.key(), p_, true);
      for (int n = 2; taken.count(key); ++n) key = key.substr(0, kMaxName - 4) + "_" + std::to_string(n);
      taken.insert(key);
      auto child = node(it.value(), depth + 1);
      if (!child) return child.take_error();
      const bool required = req && std::find(req->begin(), req->end(), it.key()) != req->end();
      std::string mode = required ? "required" : "optional";
      json schema = std::move(child->schema);
      if (p_ == Provider::openai_strict && !required) {
        if (child->nullable) {
          // "send null" and "leave out" must stay apart: wrap the value.
          json wrapped = {{"type", "object"},
                          {"properties", {{"value", schema}}},
                          {"required", json::array({"value"})},
                          {"additionalProperties", false},
                          {"description", "null leaves this out; {\"value\": ...} sends the value (which may be null)"}};
          schema = json{{"anyOf", json::array({std::move(wrapped), json{{"type", "null"}}})}};
          mode = "wrap";
        } else {
          add_null(schema, p_);
          mode = "null_omits";
        }
      }
      if (key != it.key() || (mode != "required" && mode != "optional") || !is_identity(child->plan)) trivial = false;
      out_props[key] = std::move(schema);
      if (required || p_ == Provider::openai_strict) required_out.push_back(key);
      plan_props[key] = json{{"orig", it.key()}, {"plan", std::move(child->plan)}, {"mode", mode}};
    }
  }
  json plan = {{"kind", "object"}, {"props", plan_props}};
  if (open && ap && (p_ == Provider::openai_strict || p_ == Provider::gemini)) {
    // Declared extra members travel in a synthetic {key, value} list.
    auto extra = kv_list(ap->is_object() ? ap : nullptr, depth, "further members", false);
    if (!extra) return extra.take_error();
    std::string key = "additional_members";
    for (int n = 2; taken.count(key); ++n) key = "additional_members_" + std::to_string(n);
    json schema = std::move(extra->schema);
    if (p_ == Provider::openai_strict) {
      add_null(schema, p_);
      required_out.push_back(key);
    }
    out_props[key] = std::move(schema);
    plan["extra"] = json{{"key", key}, {"plan", extra->plan}};
    trivial = false;
  } else if (open && ap && ap->is_object() && p_ == Provider::anthropic) {
    auto extra = node(*ap, depth + 1);
    if (!extra) return extra.take_error();
    out["additionalProperties"] = extra->schema;
    plan["map_extra"] = extra->plan;
    trivial = trivial && is_identity(extra->plan);
  } else if (ap && p_ == Provider::anthropic) {
    out["additionalProperties"] = *ap;
  }
  out["properties"] = std::move(out_props);
  if (!required_out.empty() || p_ == Provider::openai_strict) out["required"] = std::move(required_out);
  if (p_ == Provider::openai_strict) out["additionalProperties"] = false;
  Adapted a{std::move(out), trivial ? value_plan() : std::move(plan), nullable};
  finish(a.schema, nullable);
  return a;
}

Result<json> Adapter::take_defs(json& def_plans) {
  def_plans = def_plans_;
  return defs_;
}

}  // namespace

Result<ProviderTool> adapt_tool(std::string_view name, std::string_view description, const json& input_schema,
                                Provider provider) {
  if (!input_schema.is_object()) return Error(ADAPT_UNSUPPORTED, "input schema is not an object");
  if (find_member(input_schema, "anyOf") || find_member(input_schema, "oneOf") || find_member(input_schema, "allOf")) {
    if (provider != Provider::openai) return Error(ADAPT_UNSUPPORTED, "a union at the root of the input schema");
  }
  if (provider == Provider::openai) {
    if (find_member(input_schema, "type") && *find_member(input_schema, "type") != "object")
      return Error(ADAPT_UNSUPPORTED, "input schema is not of type object");
    ProviderTool t{safe_identifier(name, provider, false), std::string(name), std::string(description), input_schema,
                   json{{"root", value_plan()}, {"defs", json::object()}}};
    if (!t.parameters.contains("type")) t.parameters["type"] = "object";
    return t;
  }
  Adapter adapter(input_schema, provider);
  json root = input_schema;
  root.erase("$defs");
  if (!root.contains("type")) root["type"] = "object";
  if (root["type"] != "object") return Error(ADAPT_UNSUPPORTED, "input schema is not of type object");
  auto a = adapter.node(root, 0);
  if (!a) return a.take_error();
  json def_plans;
  auto defs = adapter.take_defs(def_plans);
  if (!defs) return defs.take_error();
  ProviderTool t;
  t.original_name = std::string(name);
  t.name = safe_identifier(name, provider, false);
  t.description = std::string(description);
  t.parameters = std::move(a->schema);
  if (t.parameters.contains("type") && t.parameters["type"].is_array()) t.parameters["type"] = "object";
  t.parameters.erase("nullable");
  if (!defs->empty()) t.parameters["$defs"] = std::move(defs.value());
  t.plan = json{{"root", a->plan}, {"defs", def_plans}};
  return t;
}

AdaptResult adapt_tools(const std::vector<Tool>& tools, Provider provider) {
  AdaptResult out;
  std::set<std::string> names;
  for (const Tool& tool : tools) {
    auto t = adapt_tool(tool.name, tool.description, tool.input_schema, provider);
    if (!t) {
      out.diagnostics.push_back({tool.name, t.error().id.id, t.error().message});
      continue;
    }
    if (names.count(t->name)) {
      // Two originals sanitised alike: the hash of the original settles it.
      const std::string hash = "_" + detail::hex_digits(detail::fnv1a64(tool.name), 8);
      t->name = t->name.substr(0, kMaxName - hash.size()) + hash;
      for (int n = 2; names.count(t->name); ++n) t->name = t->name.substr(0, kMaxName - 3) + "_" + std::to_string(n % 100);
    }
    names.insert(t->name);
    out.tools.push_back(std::move(t.value()));
  }
  return out;
}

}  // namespace mcpw::flatten
